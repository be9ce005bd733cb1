// Indigo's WebSocket feeds (/v2/api/ws/device-feed, variable-feed, action-feed, page-feed,
// log-feed) served from the incubator core: refresh, add / patch / delete pushed on
// change, commands, and the log replay. Transport-neutral: registers as an Endpoint.
import type { IncubatorApi, IncubatorEvent, Snapshot } from "../../core/api";
import type { Connection, Endpoint, Session, UpgradeRequest } from "../../net/endpoint";
import type { JsonObject } from "./json";
import { LogRing, logEventFor, LOG_REPLAY_COUNT } from "./log-ring";
import { DevicePublisher } from "./device-publisher";
import { buildActionGroups, buildControlPages, OBJECT_TYPES, type ObjectKind } from "./model";
import { ConstantPublisher } from "./constant-publisher";
import { FeedMessageHandler } from "./feed-messages";
import { FEED_KIND, feedOfPath, type FeedName } from "./feed-paths";
import { FeedSession, type FeedSessionOwner } from "./feed-session";
import type { ObjectPublisher } from "./object-publisher";
import { VariablePublisher } from "./variable-publisher";

export { FEED_PATHS, type FeedName } from "./feed-paths";

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
  private readonly messages: FeedMessageHandler;
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
    this.messages = new FeedMessageHandler(api, {
      bringCurrent: (feed, snapshot, except) => this.bringCurrent(feed, snapshot, except),
      device: (objectId) => this.devices.get(objectId),
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
  // Client messages (answered by the FeedMessageHandler)

  refusedMessage(session: FeedSession, reason: string, text: string): void {
    this.messages.refusedMessage(session, reason, text);
  }

  handleMessage(session: FeedSession, text: string): void {
    this.messages.handleMessage(session, text);
  }
}

function addMessage(entry: JsonObject): string {
  return JSON.stringify({ message: "add", objectType: OBJECT_TYPES.logEvent, objectDict: entry });
}
