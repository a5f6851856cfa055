import type { ConnectionState } from '../../shared/contract';
import type { FetchLike, Timers } from '../qfpay/client';

// Whether QFPay can be reached, as the till's own requests find it (issue 12):
// the QFPay client's transport is wrapped, so every request counts and no
// extra traffic is sent. A transport error, or a request still unanswered
// after STALL_MS, is "offline" at once — the cashier learns it within
// seconds instead of watching a "checking" spinner for the client's whole
// timeout; any HTTP answer is "online".

/** A request unanswered this long counts as "cannot reach" (the cashier is told within 5 s). */
export const STALL_MS = 4_000;

const defaultTimers: Timers = { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };

function describe(error: unknown): string {
  if (error instanceof Error) {
    if (error.name === 'AbortError') return 'no answer: the request timed out';
    const cause = (error as Error & { cause?: unknown }).cause;
    const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}

export class ConnectionMonitor {
  private state: ConnectionState;
  /** Counts requests, so an older request's late outcome never overrides a newer one's. */
  private sequence = 0;
  private lastSettled = 0;

  constructor(
    private readonly onChange: (state: ConnectionState) => void,
    private readonly now: () => number = Date.now,
    private readonly timers: Timers = defaultTimers,
  ) {
    this.state = { state: 'unknown', detail: null, sinceMs: now() };
  }

  get current(): ConnectionState {
    return this.state;
  }

  /** `fetch` as the QFPay client should use it: the same requests, observed. */
  wrap(fetch: FetchLike): FetchLike {
    return async (url, init) => {
      const id = ++this.sequence;
      const stall = this.timers.setTimeout(() => {
        if (id > this.lastSettled) this.set('offline', `no answer from QFPay for ${STALL_MS / 1000} s`);
      }, STALL_MS);
      try {
        const response = await fetch(url, init);
        this.settle(id, 'online', null);
        return response;
      } catch (error) {
        this.settle(id, 'offline', describe(error));
        throw error;
      } finally {
        this.timers.clearTimeout(stall);
      }
    };
  }

  private settle(id: number, state: 'online' | 'offline', detail: string | null): void {
    if (id < this.lastSettled) return;
    this.lastSettled = id;
    this.set(state, detail);
  }

  private set(state: 'online' | 'offline', detail: string | null): void {
    if (this.state.state === state && this.state.detail === detail) return;
    this.state = { state, detail, sinceMs: this.now() };
    this.onChange(this.state);
  }
}
