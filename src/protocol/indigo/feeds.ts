// Indigo's WebSocket feeds (/v2/api/ws/device-feed, variable-feed, action-feed, page-feed,
// log-feed) served from the incubator core: refresh, add / patch / delete pushed on
// change, commands, and the log replay. Transport-neutral: registers as an Endpoint.
import type { IncubatorApi, IncubatorEvent, Snapshot } from "../../core/api";
import type { Connection, Endpoint, Session, UpgradeRequest } from "../../net/endpoint";
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
import type { JsonObject, JsonValue } from "./json";
import { LogRing, logEventFor, LOG_REPLAY_COUNT } from "./log-ring";
import { DevicePublisher } from "./device-publisher";
import { buildActionGroups, buildControlPages, folders, OBJECT_TYPES, type ObjectKind } from "./model";
import { ConstantPublisher } from "./constant-publisher";
import { FEED_KIND, FEED_PATHS, feedOfPath, type FeedName } from "./feed-paths";
import { FeedSession, type FeedSessionOwner } from "./feed-session";
import type { ObjectPublisher } from "./object-publisher";
import { VariablePublisher } from "./variable-publisher";

export { FEED_PATHS, type FeedName } from "./feed-paths";

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

/** The feeds a tick updates, in the order it updates them. */
const OBJECT_FEEDS: readonly FeedName[] = Object.freeze(["device", "variable", "action", "page"] as FeedName[]);

export interface IndigoFeedsOptions {
  /**
   * Runs a tick's Indigo work (build, diff, send) later instead of inside the core's
   * tick event, e.g. `(work) => timers.after(0, work)`, so the control tick is not
   * lengthened by it. Ticks that pass meanwhile are folded into one update from the
   * latest snapshot. Without it the work runs in the event (tests, host-sim).
   */
  readonly schedule?: (work: () => void) => void;
}

export class IndigoFeeds implements Endpoint, FeedSessionOwner {
  // An array walked by index (a Set's or for-of's iterator allocates on XS, every tick),
  // replaced rather than changed when a session comes or goes, so a walk sees a fixed list.
  private sessions: readonly FeedSession[] = [];
  private readonly devices = new DevicePublisher();
  private readonly publishers: Readonly<Record<ObjectKind, ObjectPublisher>>;
  private readonly runPending = (): void => this.publishPending();
  private readonly log = new LogRing(LOG_REPLAY_COUNT);
  private readonly unsubscribe: () => void;
  private reporting = false;
  private pending: Snapshot | null = null;

  constructor(
    private readonly api: IncubatorApi,
    private readonly options: IndigoFeedsOptions = {},
  ) {
    this.publishers = Object.freeze({
      device: this.devices,
      variable: new VariablePublisher(),
      actionGroup: new ConstantPublisher(OBJECT_TYPES.actionGroup, buildActionGroups),
      controlPage: new ConstantPublisher(OBJECT_TYPES.controlPage, buildControlPages),
    });
    this.unsubscribe = api.subscribe((event) => this.onEvent(event));
  }

  /** Stops listening to the core and forgets the sessions (the transport closes them). */
  dispose(): void {
    this.unsubscribe();
    this.sessions = [];
  }

  accepts(path: string): boolean {
    return feedOfPath(path) !== null;
  }

  open(connection: Connection, request: UpgradeRequest): Session {
    const feed = feedOfPath(request.path) ?? "device";
    const session = new FeedSession(this, feed, connection, { via: "indigo", client: `${feed}-feed ${request.remote}` });
    this.sessions = this.sessions.concat(session);
    if (feed === "log") {
      for (const entry of this.log.list()) session.send(addMessage(entry));
    }
    return session;
  }

  /** Number of open sessions on a feed (for tests and status pages). */
  sessionCount(feed?: FeedName): number {
    const sessions = this.sessions;
    let n = 0;
    for (let i = 0; i < sessions.length; i++) if (feed === undefined || sessions[i].feed === feed) n++;
    return n;
  }

  detach(session: FeedSession): void {
    this.sessions = this.sessions.filter((s) => s !== session);
  }

  // -------------------------------------------------------------------------------------
  // Core events

  private onEvent(event: IncubatorEvent): void {
    try {
      if (event.type === "tick") {
        const schedule = this.options.schedule;
        if (!schedule) {
          this.publish(event.snapshot);
        } else if (this.sessions.length > 0) {
          const first = this.pending === null;
          this.pending = event.snapshot;
          if (first) schedule(this.runPending);
        }
        return;
      }
      const entry = logEventFor(event);
      if (entry) {
        this.log.push(entry, event.epochMs);
        const text = addMessage(entry);
        const sessions = this.sessions;
        for (let i = 0; i < sessions.length; i++) if (sessions[i].feed === "log") sessions[i].send(text);
      }
    } catch (error) {
      // Listeners must not throw into the control tick.
      this.report(error);
    }
  }

  private publishPending(): void {
    const snapshot = this.pending;
    this.pending = null;
    if (snapshot === null) return;
    try {
      this.publish(snapshot);
    } catch (error) {
      this.report(error);
    }
  }

  private report(error: unknown): void {
    // Report once, without recursing through our own log listener.
    if (this.reporting) return;
    this.reporting = true;
    try {
      this.api.log(`Indigo feeds: ${String(error)}`, "indigo");
    } finally {
      this.reporting = false;
    }
  }

  /** Brings every watched object type to `snapshot` and pushes the changes. */
  private publish(snapshot: Snapshot): void {
    for (let i = 0; i < OBJECT_FEEDS.length; i++) {
      const feed = OBJECT_FEEDS[i];
      if (this.sessionCount(feed) > 0) this.bringCurrent(feed, snapshot);
    }
  }

  /** `except`: a session about to get the whole list anyway (its refresh reply). */
  private bringCurrent(feed: FeedName, snapshot: Snapshot, except?: FeedSession): ObjectPublisher {
    const kind = FEED_KIND[feed] as ObjectKind;
    const publisher = this.publishers[kind];
    if (publisher.isCurrent(snapshot)) return publisher;
    const messages = publisher.update(snapshot);
    const sessions = this.sessions;
    for (let i = 0; i < sessions.length; i++) {
      const s = sessions[i];
      if (s.feed !== feed || s === except) continue;
      if (s.stale) {
        // The client missed a push: it gets the whole list again instead of patches it cannot
        // apply, once it has read what is queued (made before, the list would only be dropped
        // or pile up behind what the client has not read).
        if (s.drained) s.sendList(publisher.refreshMessage(undefined));
        continue;
      }
      for (let j = 0; j < messages.length; j++) if (!s.send(messages[j], true)) break;
    }
    return publisher;
  }

  // -------------------------------------------------------------------------------------
  // Client messages

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
        this.bringCurrent("device", this.api.snapshot());
        return this.devices.get(objectId);
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
      const publisher = this.bringCurrent(session.feed, this.api.snapshot(), hasObjectId ? undefined : session);
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

function addMessage(entry: JsonObject): string {
  return JSON.stringify({ message: "add", objectType: OBJECT_TYPES.logEvent, objectDict: entry });
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
