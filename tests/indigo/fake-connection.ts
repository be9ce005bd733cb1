import type { Connection, UpgradeRequest } from "../../src/net/endpoint";

/** Records frames; `dropNext` makes the next sends fail as if the peer were not reading. */
export class FakeConnection implements Connection {
  readonly frames: string[] = [];
  closed: { code: number; reason: string } | null = null;
  dropNext = 0;
  bufferedBytes = 0;

  readonly droppable: boolean[] = [];

  send(text: string, droppable = false): boolean {
    if (this.dropNext > 0) {
      this.dropNext--;
      return false;
    }
    this.frames.push(text);
    this.droppable.push(droppable);
    return true;
  }

  close(code: number, reason: string): void {
    this.closed = { code, reason };
  }

  /** Parsed frames received since the last call. */
  take(): any[] {
    this.droppable.splice(0);
    return this.frames.splice(0).map((f) => JSON.parse(f));
  }
}

export function upgrade(path: string, remote = "127.0.0.1:50000"): UpgradeRequest {
  return { path, query: {}, remote };
}
