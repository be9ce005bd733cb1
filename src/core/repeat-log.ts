// Repeated log lines, aggregated: a client hammering the server with a wrong API key would
// otherwise fill the log feed (25 entries replayed on connect, the last 500 kept) with
// copies of one refusal and push out everything that matters. The first line of a kind
// passes at once; further lines of the same kind within the window (the same text but for
// the client address) are counted and reported in one line when the window ends.
import type { TimerHandle, Timers } from "./types";

export const REPEAT_WINDOW_MS = 60_000;

/** The same line but for the client's address and port and any other number ("try again in 9 s"). */
function kindOf(text: string): string {
  return text.replace(/\[[0-9a-fA-F:.]+\](?::\d+)?|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?/g, "<client>").replace(/\d+(?:\.\d+)?/g, "<n>");
}

const ADDRESS = /\[[0-9a-fA-F:.]+\](?::\d+)?|\b\d{1,3}(?:\.\d{1,3}){3}(?::\d+)?/;

interface Window {
  count: number;
  /** Some clients were not kept in `clients` (at most 3 are named). */
  more: boolean;
  readonly clients: Set<string>;
  readonly timer: TimerHandle;
}

export class RepeatLog {
  private readonly windows = new Map<string, Window>();

  constructor(
    private readonly timers: Timers,
    private readonly emit: (text: string) => void,
    private readonly windowMs = REPEAT_WINDOW_MS,
    /** Lines that are aggregated; the rest pass as they are. */
    private readonly applies: (text: string) => boolean = (t) => t.startsWith("refused "),
  ) {}

  line(text: string): void {
    if (!this.applies(text)) {
      this.emit(text);
      return;
    }
    const kind = kindOf(text);
    const open = this.windows.get(kind);
    if (open) {
      open.count++;
      const client = ADDRESS.exec(text)?.[0].replace(/:\d+$/, "");
      if (client && !open.clients.has(client)) {
        if (open.clients.size < 3) open.clients.add(client);
        else open.more = true;
      }
      return;
    }
    this.emit(text);
    const window: Window = {
      count: 0,
      more: false,
      clients: new Set<string>(),
      timer: this.timers.after(this.windowMs, () => {
        this.windows.delete(kind);
        if (window.count === 0) return;
        const from = window.clients.size > 0 ? ` from ${[...window.clients].join(", ")}${window.more ? ", …" : ""}` : "";
        this.emit(`${window.count} more like it in the last ${Math.round(this.windowMs / 1000)} s${from}: ${kind}`);
      }),
    };
    this.windows.set(kind, window);
  }

  /** Reports what is counted so far and stops the timers. */
  flush(): void {
    for (const [kind, w] of this.windows) {
      w.timer.cancel();
      if (w.count > 0) this.emit(`${w.count} more like it: ${kind}`);
    }
    this.windows.clear();
  }
}
