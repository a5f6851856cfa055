// Time for the engine: read from an injected clock, waited on through a
// sleep that can be cut short (a cashier's cancel must not wait out a poll
// interval). Tests move the offset clock forward instead of waiting.
//
// Two readings: now() is the wall clock, for what QFPay sees (txdtm) and for
// reports; monotonic() never jumps when the wall clock is stepped (NTP, a
// cashier fixing the time, a dead RTC battery), so every duration — grace
// periods, timeouts, poll intervals, the budget — is measured on it.

export interface Clock {
  /** Wall-clock epoch ms: txdtm, journal timestamps, reports. */
  now(): number;
  /** Milliseconds on a clock that only moves forward at the pace of real time: durations only. */
  monotonic(): number;
  /** Resolves after `ms`, or at once when `wake` fires. */
  sleep(ms: number, wake?: Wake): Promise<void>;
}

export class Wake {
  private listeners = new Set<() => void>();

  /** Ends every sleep currently waiting on this wake. */
  fire(): void {
    const listeners = this.listeners;
    this.listeners = new Set();
    for (const listener of listeners) listener();
  }

  on(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** Wall-clock time plus an offset that tests (and the simulator's twin) can advance. */
export class OffsetClock implements Clock {
  private offsetMs = 0;
  private wallStepMs = 0;

  constructor(
    private readonly base: () => number = Date.now,
    private readonly monotonicBase: () => number = () => performance.now(),
  ) {}

  now(): number {
    return this.base() + this.offsetMs + this.wallStepMs;
  }

  monotonic(): number {
    return this.monotonicBase() + this.offsetMs;
  }

  /** Time passes: both readings move on. */
  advance(ms: number): void {
    this.offsetMs += ms;
  }

  /** Someone sets the wall clock (back or forward): the monotonic reading does not move. */
  stepWall(ms: number): void {
    this.wallStepMs += ms;
  }

  sleep(ms: number, wake?: Wake): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(
        () => {
          off?.();
          resolve();
        },
        Math.max(0, ms),
      );
      const off = wake?.on(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }
}

export const systemClock: Clock = new OffsetClock();
