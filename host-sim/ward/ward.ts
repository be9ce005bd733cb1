// The ward: N beds split over groups (inline, or one per worker thread when one thread
// cannot carry them), all publishing to one broker. Used by `npm run ward`, the nurse-station
// test and the ward bench.
import { Worker } from "node:worker_threads";
import { BedGroup, type BedGroupOptions, type BedInfo, type EventTrace, type PublishTrace } from "./bed-group";
import type { WorkerRequest } from "./ward-worker";

export interface WardOptions extends Omit<BedGroupOptions, "beds"> {
  readonly beds: number;
  /** 0: every bed in this thread; n: n worker threads. */
  readonly workers: number;
}

interface Group {
  request(message: WorkerRequest): void;
  stats(): Promise<{ links: Record<string, number>; droppedEvents: number }>;
  stop(): Promise<void>;
}

export class Ward {
  readonly beds: BedInfo[] = [];
  readonly publishes: PublishTrace[] = [];
  readonly events: EventTrace[] = [];
  private readonly groups: Group[] = [];
  private readonly owner = new Map<number, Group>();

  private constructor(readonly options: WardOptions) {}

  static async start(options: WardOptions): Promise<Ward> {
    const ward = new Ward(options);
    const all = Array.from({ length: options.beds }, (_, i) => i + 1);
    const parts = Math.max(1, options.workers);
    const slices = Array.from({ length: parts }, (_, k) => all.filter((b) => (b - 1) % parts === k));
    await Promise.all(slices.map((beds) => (options.workers > 0 ? ward.startWorker(beds) : ward.startInline(beds))));
    ward.beds.sort((a, b) => a.bed - b.bed);
    return ward;
  }

  private groupOptions(beds: number[]): BedGroupOptions {
    const { beds: _n, workers: _w, ...rest } = this.options;
    return { ...rest, beds };
  }

  private async startInline(beds: number[]): Promise<void> {
    const group = await BedGroup.start(this.groupOptions(beds));
    const flush = () => {
      this.publishes.push(...group.publishes.splice(0));
      this.events.push(...group.events.splice(0));
    };
    const timer = setInterval(flush, 250);
    const g: Group = {
      request: (m) => {
        if (m.type === "fault") group.fault(m.bed, m.spec);
        else if (m.type === "kill") group.kill(m.bed);
      },
      stats: async () => ({ links: group.linkStates(), droppedEvents: group.droppedEvents() }),
      stop: async () => {
        clearInterval(timer);
        flush();
        await group.stop();
      },
    };
    this.add(g, group.info);
  }

  private async startWorker(beds: number[]): Promise<void> {
    const worker = new Worker(new URL("./ward-worker-entry.mjs", import.meta.url), { workerData: this.groupOptions(beds) });
    const pending = new Map<number, (value: { links: Record<string, number>; droppedEvents: number }) => void>();
    let nextId = 1;
    let stopped: () => void = () => {};
    const ready = new Promise<BedInfo[]>((resolve, reject) => {
      worker.on("message", (m) => {
        if (m.type === "ready") resolve(m.beds);
        else if (m.type === "trace") {
          this.publishes.push(...m.publishes);
          this.events.push(...m.events);
        } else if (m.type === "stats") pending.get(m.id)?.(m), pending.delete(m.id);
        else if (m.type === "stopped") stopped();
        else if (m.type === "error") process.stderr.write(`ward worker: ${m.message}\n`);
      });
      worker.once("error", reject);
    });
    const g: Group = {
      request: (m) => worker.postMessage(m),
      stats: () => new Promise((resolve) => {
        const id = nextId++;
        pending.set(id, resolve);
        worker.postMessage({ type: "stats", id });
      }),
      stop: async () => {
        const done = new Promise<void>((resolve) => (stopped = resolve));
        worker.postMessage({ type: "stop" });
        await Promise.race([done, new Promise((r) => setTimeout(r, 5000))]);
        await worker.terminate();
      },
    };
    this.add(g, await ready);
  }

  private add(group: Group, beds: BedInfo[]): void {
    this.groups.push(group);
    for (const b of beds) {
      this.beds.push(b);
      this.owner.set(b.bed, group);
    }
  }

  fault(bed: number, spec: string): void {
    this.owner.get(bed)?.request({ type: "fault", bed, spec });
  }

  kill(bed: number): void {
    this.owner.get(bed)?.request({ type: "kill", bed });
  }

  async stats(): Promise<{ links: Record<string, number>; droppedEvents: number }> {
    const all = await Promise.all(this.groups.map((g) => g.stats()));
    const links: Record<string, number> = {};
    for (const s of all) for (const [k, v] of Object.entries(s.links)) links[k] = (links[k] ?? 0) + v;
    return { links, droppedEvents: all.reduce((n, s) => n + s.droppedEvents, 0) };
  }

  async stop(): Promise<void> {
    await Promise.all(this.groups.map((g) => g.stop()));
  }
}
