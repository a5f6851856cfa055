import { describe, expect, it } from 'vitest';
import type { ConnectionState } from '../../../../shared/contract';
import { ConnectionMonitor, STALL_MS } from '../../../../electron/service/connection';
import type { FetchLike, Timers } from '../../../../electron/qfpay/client';

// The connection monitor sees the QFPay client's own requests: a transport
// error or a request unanswered for STALL_MS is "offline" with the reason,
// any HTTP answer "online". Timers are fake: nothing here waits.

function fakeTimers() {
  const pending = new Map<number, { at: number; cb: () => void }>();
  let now = 0;
  let next = 1;
  const timers: Timers = {
    setTimeout: (cb, ms) => {
      pending.set(next, { at: now + ms, cb });
      return next++;
    },
    clearTimeout: (h) => void pending.delete(h as number),
  };
  const advance = (ms: number) => {
    now += ms;
    for (const [id, t] of [...pending]) {
      if (t.at > now) continue;
      pending.delete(id);
      t.cb();
    }
  };
  return { timers, advance, now: () => now };
}

const answer = { status: 200, headers: { get: () => null }, text: async () => '{}' };
const init = { method: 'POST', headers: {}, body: '', signal: new AbortController().signal, redirect: 'manual' as const };

describe('ConnectionMonitor', () => {
  it('unknown before any request; online after an answer; offline with the error after a transport failure', async () => {
    const clock = fakeTimers();
    const changes: ConnectionState[] = [];
    const monitor = new ConnectionMonitor((s) => changes.push(s), clock.now, clock.timers);
    expect(monitor.current.state).toBe('unknown');
    let fail = false;
    const fetch = monitor.wrap(async () => {
      if (fail) throw Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND' } });
      return answer;
    });
    await fetch('u', init);
    expect(monitor.current).toMatchObject({ state: 'online', detail: null });
    fail = true;
    await expect(fetch('u', init)).rejects.toThrow('fetch failed');
    expect(monitor.current).toMatchObject({ state: 'offline', detail: 'fetch failed (ENOTFOUND)' });
    await expect(fetch('u', init)).rejects.toThrow();
    // The same state again is not a change.
    expect(changes.map((c) => c.state)).toEqual(['online', 'offline']);
  });

  it('a request unanswered for STALL_MS is offline before the client\'s own timeout; its answer brings it back', async () => {
    const clock = fakeTimers();
    const monitor = new ConnectionMonitor(() => undefined, clock.now, clock.timers);
    let release: (value: typeof answer) => void = () => undefined;
    const fetch = monitor.wrap((() => new Promise((ok) => (release = ok))) as FetchLike);
    const request = fetch('u', init);
    clock.advance(STALL_MS - 1);
    expect(monitor.current.state).toBe('unknown');
    clock.advance(1);
    expect(monitor.current).toMatchObject({ state: 'offline', detail: `no answer from QFPay for ${STALL_MS / 1000} s` });
    expect(STALL_MS).toBeLessThan(5_000);
    release(answer);
    await request;
    expect(monitor.current.state).toBe('online');
  });

  it('an aborted request (the client\'s timeout) says it timed out', async () => {
    const clock = fakeTimers();
    const monitor = new ConnectionMonitor(() => undefined, clock.now, clock.timers);
    const fetch = monitor.wrap(async () => {
      throw Object.assign(new Error('This operation was aborted'), { name: 'AbortError' });
    });
    await expect(fetch('u', init)).rejects.toThrow();
    expect(monitor.current.detail).toBe('no answer: the request timed out');
  });
});
