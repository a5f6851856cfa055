// Time for the engine: read from an injected clock, waited on through a
// sleep that can be cut short (a cashier's cancel must not wait out a poll
// interval). Tests move the offset clock forward instead of waiting.

export interface Clock {
  now(): number;
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

  constructor(private readonly base: () => number = Date.now) {}

  now(): number {
    return this.base() + this.offsetMs;
  }

  advance(ms: number): void {
    this.offsetMs += ms;
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
