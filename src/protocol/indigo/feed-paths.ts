// The five Indigo feeds: the path each is served on and the object kind each serves.
import type { ObjectKind } from "./model";

export type FeedName = "device" | "variable" | "action" | "page" | "log";

export const FEED_PATHS: Readonly<Record<FeedName, string>> = Object.freeze({
  device: "/v2/api/ws/device-feed",
  variable: "/v2/api/ws/variable-feed",
  action: "/v2/api/ws/action-feed",
  page: "/v2/api/ws/page-feed",
  log: "/v2/api/ws/log-feed",
});

/** The object kind each feed serves (the log feed serves none). */
export const FEED_KIND: Readonly<Record<FeedName, ObjectKind | null>> = Object.freeze({
  device: "device",
  variable: "variable",
  action: "actionGroup",
  page: "controlPage",
  log: null,
});

const FEED_NAMES = Object.freeze(Object.keys(FEED_PATHS) as FeedName[]);
const FEED_PATHS_SLASHED = Object.freeze(FEED_NAMES.map((name) => `${FEED_PATHS[name]}/`));

/** The feed at `path` (a trailing "/" allowed). Compares whole strings only: every HTTP
 *  request is asked this, and on XS string methods and for...of leave garbage. */
export function feedOfPath(path: string): FeedName | null {
  for (let i = 0; i < FEED_NAMES.length; i++) {
    const name = FEED_NAMES[i];
    if (FEED_PATHS[name] === path || FEED_PATHS_SLASHED[i] === path) return name;
  }
  return null;
}
