// What an Indigo feed's client sends: refresh requests, answered from the feed's objects,
// and command messages, run on the core (each only on its own feed); both answered or
// refused in Indigo's error form.
import type { IncubatorApi, Snapshot } from "../../core/api";
import {
  actionGroupCommand,
  deviceCommand,
  serverLogCommand,
  thermostatCommand,
  variableCommand,
  readObjectId,
  refused,
  type CommandContext,
  type CommandOutcome,
  type PendingOutcome,
} from "./commands";
import { FEED_KIND, FEED_PATHS, type FeedName } from "./feed-paths";
import type { FeedSession } from "./feed-session";
import type { JsonObject, JsonValue } from "./json";
import { folders, OBJECT_TYPES } from "./model";
import type { ObjectPublisher } from "./object-publisher";

/** Every command message and the feed that takes it. */
const COMMAND_FEED: Readonly<Record<string, FeedName>> = Object.freeze({
  "indigo.device.turnOn": "device",
  "indigo.device.turnOff": "device",
  "indigo.device.toggle": "device",
  "indigo.device.statusRequest": "device",
  "indigo.thermostat.setHeatSetpoint": "device",
  "indigo.thermostat.increaseHeatSetpoint": "device",
  "indigo.thermostat.decreaseHeatSetpoint": "device",
  "indigo.thermostat.setHvacMode": "device",
  "indigo.variable.updateValue": "variable",
  "indigo.actionGroup.execute": "action",
  "indigo.server.log": "log",
});

/** The feeds' publishing as the handler reaches it: made once by the feeds, each call
 *  reading their publishers and sessions as they are then. */
export interface FeedPublishing {
  /** Brings `feed`'s objects to `snapshot` and pushes the changes to its sessions; `except`:
   *  a session about to get the whole list anyway (its refresh reply). */
  bringCurrent(feed: FeedName, snapshot: Snapshot, except?: FeedSession): ObjectPublisher;
  /** The device's object as last published. */
  device(objectId: number): JsonObject | undefined;
}

export class FeedMessageHandler {
  constructor(
    private readonly api: IncubatorApi,
    private readonly feeds: FeedPublishing,
  ) {}

  /** A server limit (the message rate) refused a message: say so in Indigo's error form. */
  refusedMessage(session: FeedSession, reason: string, text: string): void {
    let id: JsonValue = null;
    try {
      const parsed = JSON.parse(text) as JsonValue;
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed) && parsed.id !== undefined) id = parsed.id;
    } catch {
      // not JSON: no id to echo
    }
    sendError(session, id, refused(reason));
  }

  handleMessage(session: FeedSession, text: string): void {
    let parsed: JsonValue;
    try {
      parsed = JSON.parse(text) as JsonValue;
    } catch (error) {
      sendError(session, null, refused(`invalid JSON: ${error instanceof Error ? error.message : String(error)}`));
      return;
    }
    if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
      sendError(session, null, refused("a message must be a JSON object"));
      return;
    }
    const msg = parsed;
    const id = msg.id === undefined ? null : msg.id;
    const kind = msg.message;
    if (typeof kind !== "string") {
      sendError(session, id, refused('"message" is required and must be a string', "message"));
      return;
    }
    if (kind === "refresh") {
      this.refresh(session, msg, id);
      return;
    }
    const owner = COMMAND_FEED[kind];
    if (owner === undefined) {
      sendError(session, id, refused(`unknown message ${JSON.stringify(kind)}`, "message"));
      return;
    }
    if (owner !== session.feed) {
      sendError(session, id, refused(`${kind} is not accepted on the ${session.feed}-feed; send it on ${FEED_PATHS[owner]}`, "message"));
      return;
    }
    const outcome = this.runCommand(session, kind, msg);
    const answer = (done: CommandOutcome): void => {
      if (done.kind === "error") sendError(session, id, done);
      else if (done.kind === "reply") session.send(JSON.stringify(withId(done.body, msg)));
    };
    if ("then" in outcome) void outcome.then(answer);
    else answer(outcome);
  }

  private runCommand(session: FeedSession, kind: string, msg: JsonObject): PendingOutcome {
    const ctx: CommandContext = {
      api: this.api,
      origin: session.origin,
      currentDevice: (objectId) => {
        this.feeds.bringCurrent("device", this.api.snapshot());
        return this.feeds.device(objectId);
      },
    };
    const dot = kind.lastIndexOf(".");
    const verb = kind.slice(dot + 1);
    if (kind.startsWith("indigo.device.")) return deviceCommand(ctx, verb, msg);
    if (kind.startsWith("indigo.thermostat.")) return thermostatCommand(ctx, verb, msg);
    if (kind === "indigo.variable.updateValue") return variableCommand(ctx, msg);
    if (kind === "indigo.actionGroup.execute") return actionGroupCommand(ctx, msg);
    return serverLogCommand(ctx, msg);
  }

  private refresh(session: FeedSession, msg: JsonObject, id: JsonValue): void {
    const kind = FEED_KIND[session.feed];
    if (kind === null) {
      sendError(session, id, refused("the log-feed has no refresh: it replays the last 25 entries on connect", "message"));
      return;
    }
    const mainType = OBJECT_TYPES[kind];
    const folderType = mainType + ".Folder";
    const objectType = msg.objectType === undefined ? mainType : msg.objectType;
    if (objectType !== mainType && objectType !== folderType) {
      sendError(session, id, refused(`objectType ${JSON.stringify(objectType)} is not served on the ${session.feed}-feed (use ${mainType} or ${folderType})`, "objectType"));
      return;
    }
    const hasObjectId = msg.objectId !== undefined && msg.objectId !== null;
    let objectId = 0;
    if (hasObjectId) {
      const read = readObjectId(msg);
      if (typeof read !== "number") {
        sendError(session, id, read);
        return;
      }
      objectId = read;
    }
    const echo = msg.id;
    let reply: string | null;
    if (objectType === folderType) {
      const list = folders(kind);
      if (!hasObjectId) {
        reply = JSON.stringify(withId({ message: "refresh", objectType, list }, msg));
      } else {
        const found = list.find((o) => o.id === objectId);
        reply = found ? JSON.stringify(withId({ message: "refresh", objectType, objectDict: found }, msg)) : null;
      }
    } else {
      const publisher = this.feeds.bringCurrent(session.feed, this.api.snapshot(), hasObjectId ? undefined : session);
      reply = hasObjectId ? publisher.objectMessage(objectId, echo) : publisher.refreshMessage(echo);
    }
    if (reply === null) {
      sendError(session, id, refused(`unknown object: no ${objectType} with id ${objectId}`, "objectId"));
      return;
    }
    if (objectType === mainType && !hasObjectId) session.sendList(reply);
    else session.send(reply);
  }
}

/** Echoes the client's tracking `id` when it sent one. */
function withId(body: JsonObject, msg: JsonObject): JsonObject {
  if (msg.id !== undefined) body.id = msg.id;
  return body;
}

function sendError(session: FeedSession, id: JsonValue, outcome: CommandOutcome): void {
  if (outcome.kind !== "error") return;
  const body: JsonObject = { error: outcome.error, id };
  if (outcome.validationErrors) body.validationErrors = outcome.validationErrors;
  if (outcome.code !== undefined) body.code = outcome.code;
  session.send(JSON.stringify(body));
}
