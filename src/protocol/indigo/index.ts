// The Indigo-compatible object feeds: one IndigoFeeds per incubator, registered as an Endpoint.
export { IndigoFeeds, FEED_PATHS, type FeedName, type IndigoFeedsOptions } from "./feeds";
export type { JsonObject, JsonValue } from "./json";
export { ACTION_GROUPS, DEVICES, DEVICE_LIST, VARIABLES, DASHBOARD_PAGE_ID, FOLDER_IDS, OBJECT_TYPES } from "./model";
