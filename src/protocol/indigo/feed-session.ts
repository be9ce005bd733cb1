// One client on one Indigo feed: what it is sent, and whether its copies of the feed's
// objects are stale (a push was dropped) until it gets a whole list again.
import type { CommandOrigin } from "../../core/api";
import type { Connection, Session } from "../../net/endpoint";
import type { FeedName } from "./feed-paths";

/** The feeds that opened a session: they take its messages and its closing. */
export interface FeedSessionOwner {
  handleMessage(session: FeedSession, text: string): void;
  refusedMessage(session: FeedSession, reason: string, text: string): void;
  detach(session: FeedSession): void;
}

export class FeedSession implements Session {
  /** A push was dropped (slow reader): the client's copies are stale until it gets a full list again. */
  stale = false;
  /** A full list is on its way: the pushes behind it must arrive too. Dropped while the list
   *  drains (it is larger than the queue's soft limit), they would make the client stale
   *  again at once, and a slow link would carry nothing but lists. */
  private settling = false;
  private closed = false;

  constructor(
    private readonly feeds: FeedSessionOwner,
    readonly feed: FeedName,
    private readonly connection: Connection,
    readonly origin: CommandOrigin,
  ) {}

  /** `droppable`: a tick's push, which the transport may drop while the client is slow
   *  to read; the client then gets the whole list again on a later tick. */
  send(text: string, droppable = false): boolean {
    if (this.closed) return false;
    if (this.settling && this.drained) this.settling = false;
    const sent = this.connection.send(text, droppable && !this.settling);
    if (!sent) this.stale = true;
    return sent;
  }

  /** Sends a whole list of the feed's objects: the client's copies are current again. */
  sendList(text: string): boolean {
    if (!this.send(text)) return false;
    this.stale = false;
    this.settling = true;
    return true;
  }

  /** Whether the client has read everything queued for it. */
  get drained(): boolean {
    return this.connection.bufferedBytes === 0;
  }

  onMessage(text: string): void {
    if (this.closed) return;
    this.feeds.handleMessage(this, text);
  }

  onRefused(reason: string, text: string): void {
    if (!this.closed) this.feeds.refusedMessage(this, reason, text);
  }

  onClose(): void {
    if (this.closed) return;
    this.closed = true;
    this.feeds.detach(this);
  }
}
