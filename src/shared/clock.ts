// Time is injected everywhere so that unit tests can pin "now" and nothing reads the wall clock behind their back.
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still at `instant` until moved; for tests and offline verification (`--at`). */
export class FixedClock implements Clock {
  private current: number;
  constructor(instant: Date | string) {
    this.current = new Date(instant).getTime();
    if (Number.isNaN(this.current)) throw new RangeError(`invalid instant: ${String(instant)}`);
  }
  now(): Date {
    return new Date(this.current);
  }
  advance(ms: number): void {
    this.current += ms;
  }
  set(instant: Date | string): void {
    this.current = new Date(instant).getTime();
  }
}
