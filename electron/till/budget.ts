import { Wake, type Clock } from './clock';

// Every QFPay call of this till takes a token first (DESIGN.md rule 7). QFPay
// allows 400 requests a minute per merchant, shared by all its tills; each
// till takes its share, with headroom for clock skew and other software.

export const MERCHANT_LIMIT_PER_MINUTE = 400;
export const HEADROOM = 0.8;
/** API.md: honour 429 within the budget, but never let a server-supplied wait exceed this. */
export const MAX_SERVER_PAUSE_MS = 30_000;

/** This till's requests per minute when `tillsPerMerchant` tills share one merchant. */
export function tillBudgetPerMinute(tillsPerMerchant: number): number {
  const tills = Math.max(1, Math.floor(tillsPerMerchant));
  return Math.max(6, Math.floor((MERCHANT_LIMIT_PER_MINUTE * HEADROOM) / tills));
}

/** A take() refused because the till is stopping: no QFPay call may leave after stop. */
export class BucketStoppedError extends Error {
  override readonly name = 'BucketStoppedError';
  constructor() {
    super('the till is stopping: no more QFPay calls');
  }
}

export class TokenBucket {
  private tokens: number;
  private updatedAtMs: number;
  // Monotonic readings may be any number (even negative): "no pause" is -Infinity, never 0.
  private blockedUntilMs = -Infinity;
  private stopped = false;
  private readonly stopWake = new Wake();
  private queue: Promise<void> = Promise.resolve();
  private readonly perMs: number;
  /** Calls admitted, for tests and the soak's requests-per-minute figure. */
  taken = 0;

  constructor(
    readonly perMinute: number,
    private readonly clock: Clock,
    private readonly burst = Math.min(5, Math.max(1, Math.floor(perMinute / 20))),
    /** The longest pause a server may impose (Retry-After): one stray `Retry-After: 120` must not freeze the till. */
    private readonly maxPauseMs = MAX_SERVER_PAUSE_MS,
  ) {
    this.perMs = perMinute / 60_000;
    this.tokens = this.burst;
    this.updatedAtMs = clock.monotonic();
  }

  /** Whether a 429 pause is in force now: the cashier is told the till is waiting on QFPay. */
  get paused(): boolean {
    return this.clock.monotonic() < this.blockedUntilMs;
  }

  /** Waits for a token. Callers are served in order, so a refund cannot starve a sale or the reverse. */
  take(): Promise<void> {
    const turn = this.queue.then(() => this.acquire());
    this.queue = turn.catch(() => undefined);
    return turn;
  }

  /**
   * The till is stopping: every waiting and every later take() fails with
   * BucketStoppedError at once, instead of sitting out a pause (up to the
   * backoff ceiling, or QFPay's Retry-After) only to send a call nobody needs.
   */
  stop(): void {
    this.stopped = true;
    this.stopWake.fire();
  }

  /** After an HTTP 429: nobody on this till calls QFPay for `ms` (at most maxPauseMs). */
  pause(ms: number): void {
    this.blockedUntilMs = Math.max(this.blockedUntilMs, this.clock.monotonic() + Math.min(Math.max(0, ms), this.maxPauseMs));
  }

  private refill(now: number): void {
    const elapsed = Math.max(0, now - this.updatedAtMs);
    this.tokens = Math.min(this.burst, this.tokens + elapsed * this.perMs);
    this.updatedAtMs = now;
  }

  private async acquire(): Promise<void> {
    for (;;) {
      if (this.stopped) throw new BucketStoppedError();
      const now = this.clock.monotonic();
      this.refill(now);
      if (now >= this.blockedUntilMs && this.tokens >= 1) {
        this.tokens -= 1;
        this.taken += 1;
        return;
      }
      const waitForToken = this.tokens >= 1 ? 0 : Math.ceil((1 - this.tokens) / this.perMs);
      await this.clock.sleep(Math.max(waitForToken, this.blockedUntilMs - now, 1), this.stopWake);
    }
  }
}

/** Exponential backoff with full jitter, for 429s and an unreachable QFPay. */
export function backoffMs(attempt: number, random: () => number, baseMs = 1000, maxMs = 30_000): number {
  const ceiling = Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling / 2 + random() * (ceiling / 2));
}
