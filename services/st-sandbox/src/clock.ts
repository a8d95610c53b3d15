/**
 * The sandbox's notion of "now". It follows real time plus an offset, so tests can jump
 * past the export feed's 15-minute lag or a token's lifetime without waiting.
 * Rate limiting deliberately does not use it: throttling is about real request spacing.
 */
export class SandboxClock {
  private offsetMs = 0;

  constructor(private readonly realNow: () => number = Date.now) {}

  now(): number {
    return this.realNow() + this.offsetMs;
  }

  advance(ms: number): number {
    this.offsetMs += ms;
    return this.now();
  }

  set(epochMs: number): number {
    this.offsetMs = epochMs - this.realNow();
    return this.now();
  }

  reset(): void {
    this.offsetMs = 0;
  }
}
