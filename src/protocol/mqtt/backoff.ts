// Reconnection delays: exponential from `baseMs` to `maxMs`, each drawn with equal jitter
// (half the step fixed, half random) so that a ward of incubators that lost one broker
// does not come back in lock step.
export class Backoff {
  private attempt = 0;

  constructor(
    private readonly random: () => number,
    readonly baseMs = 1000,
    readonly maxMs = 20_000,
  ) {}

  /** The delay before the next attempt; each call doubles the step up to the cap. */
  next(): number {
    const step = Math.min(this.maxMs, this.baseMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return step / 2 + this.random() * (step / 2);
  }

  /** A connection was established: the next failure starts from the base again. */
  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
