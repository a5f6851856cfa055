import { describe, expect, it } from 'vitest';
import type { IpcResult } from '../../../../shared/contract';
import { PIN_LOCK_MAX_MS, PIN_TRIES, bruteForceMinutes, lockMs } from '../../../../electron/service/pin-guard';
import { ManualClock, fakeBox, memoryBackend } from './support';
import { setup, type Setup } from './service-setup';

// The PIN lock-out (issue 10): a burst of concurrent guesses gets no more
// tries than a patient guesser, the count and the lock survive a restart,
// and the schedule makes trying every 4-digit PIN cost months.

const PIN = '2468';
const WRONG = ['1111', '2222', '3333', '4444', '5555', '6666', '7777', '8888', '9999', '0000'];

const wrongAnswers = (results: IpcResult<unknown>[]) => results.filter((r) => r.ok && (r.value as { valid: boolean }).valid === false).length;
const lockedAnswers = (results: IpcResult<unknown>[]) => results.filter((r) => !r.ok && r.error.code === 'pin_locked').length;

async function burst(s: Setup, n: number): Promise<IpcResult<unknown>[]> {
  return Promise.all(Array.from({ length: n }, (_, i) => s.call('checkPin', { pin: WRONG[i % WRONG.length]! })));
}

describe('concurrent guesses', { timeout: 60_000 }, () => {
  it('40 wrong PINs at once: at most five are evaluated, the rest are locked out, and then the right PIN is refused', async () => {
    const s = await setup({ pin: PIN });
    const results = await burst(s, 40);
    expect(wrongAnswers(results)).toBe(PIN_TRIES);
    expect(lockedAnswers(results)).toBe(40 - PIN_TRIES);
    expect(s.lines.filter((l) => l.includes('wrong supervisor PIN'))).toHaveLength(PIN_TRIES);
    expect(await s.call('checkPin', { pin: PIN })).toMatchObject({ ok: false, error: { code: 'pin_locked' } });
    expect(await s.call('refund', { saleOutTradeNo: 'S-TILL-1', pin: PIN })).toMatchObject({ ok: false, error: { code: 'pin_locked' } });
    expect(s.till.refundCalls).toEqual([]);
  });

  it('a burst through the gated methods counts the same way (refunds, Z, settings at once)', async () => {
    const s = await setup({ pin: PIN });
    const results = await Promise.all([
      ...Array.from({ length: 10 }, () => s.call('refund', { saleOutTradeNo: 'S-TILL-1', pin: WRONG[0]! })),
      ...Array.from({ length: 10 }, () => s.call('zReport', { pin: WRONG[1]! })),
      ...Array.from({ length: 10 }, () => s.call('updateSettings', { patch: { merchantName: 'X' }, pin: WRONG[2]! })),
    ]);
    expect(results.filter((r) => !r.ok && r.error.code === 'pin_wrong')).toHaveLength(PIN_TRIES);
    expect(lockedAnswers(results)).toBe(30 - PIN_TRIES);
    expect(await s.call('checkPin', { pin: PIN })).toMatchObject({ ok: false, error: { code: 'pin_locked' } });
  });

  it('the right PIN in a burst of wrong ones is answered in turn: the count before it decides', async () => {
    const s = await setup({ pin: PIN });
    const results = await Promise.all([...WRONG.slice(0, 4), PIN, ...WRONG.slice(0, 4)].map((pin) => s.call('checkPin', { pin })));
    expect(results.map((r) => (r.ok ? (r.value as { valid: boolean }).valid : r.error.code))).toEqual([false, false, false, false, true, false, false, false, false]);
  });
});

describe('the lock-out survives a restart', { timeout: 60_000 }, () => {
  it('five wrong PINs, then the app restarts: the right PIN is still refused until the lock ends', async () => {
    const clock = new ManualClock();
    const first = await setup({ pin: PIN, clock });
    await burst(first, 5);
    const again = await setup({ backend: first.backend, box: first.box, clock });
    expect(await again.call('checkPin', { pin: PIN })).toMatchObject({ ok: false, error: { code: 'pin_locked' } });
    await clock.advance(lockMs(0));
    expect(await again.call('checkPin', { pin: PIN })).toEqual({ ok: true, value: { valid: true } });
  });

  it('three wrong PINs before a restart and two after lock the till', async () => {
    const clock = new ManualClock();
    const first = await setup({ pin: PIN, clock });
    for (const pin of WRONG.slice(0, 3)) await first.call('checkPin', { pin });
    const again = await setup({ backend: first.backend, box: first.box, clock });
    for (const pin of WRONG.slice(3, 5)) expect(await again.call('checkPin', { pin })).toEqual({ ok: true, value: { valid: false } });
    expect(await again.call('checkPin', { pin: PIN })).toMatchObject({ ok: false, error: { code: 'pin_locked' } });
  });

  it('the escalation survives too: the lock-out after a restart is the doubled one', async () => {
    const clock = new ManualClock();
    const first = await setup({ pin: PIN, clock });
    await burst(first, 5);
    await clock.advance(lockMs(0));
    const again = await setup({ backend: first.backend, box: first.box, clock });
    await burst(again, 5);
    await clock.advance(lockMs(1) - 1);
    expect(await again.call('checkPin', { pin: PIN })).toMatchObject({ ok: false, error: { code: 'pin_locked' } });
    await clock.advance(1);
    expect(await again.call('checkPin', { pin: PIN })).toEqual({ ok: true, value: { valid: true } });
  });

  it('the attempt is on disk before its hash is computed', async () => {
    const s = await setup({ pin: PIN });
    const pending = s.call('checkPin', { pin: WRONG[0]! });
    // The check is queued behind nothing: one turn of the event loop starts it, long before scrypt returns.
    await Promise.resolve();
    await Promise.resolve();
    expect((s.backend.data as { pinLock: { failures: number } }).pinLock.failures).toBe(1);
    await pending;
  });
});

describe('the brute-force figure', { timeout: 120_000 }, () => {
  it('the service locks for exactly the schedule lockMs gives, up to its cap', async () => {
    const clock = new ManualClock();
    const s = await setup({ pin: PIN, clock });
    expect(lockMs(7)).toBe(PIN_LOCK_MAX_MS);
    for (let k = 0; k < 8; k++) {
      await burst(s, PIN_TRIES);
      await clock.advance(lockMs(k) - 1);
      expect(await s.call('checkPin', { pin: PIN }), `lock-out ${k}`).toMatchObject({ ok: false, error: { code: 'pin_locked' } });
      await clock.advance(1);
    }
    expect(await s.call('checkPin', { pin: PIN })).toEqual({ ok: true, value: { valid: true } });
  });

  it('trying all 10,000 four-digit PINs takes at least 10,000 minutes of lock-out', () => {
    const minutes = bruteForceMinutes(10_000);
    // 1999 lock-outs: 1 + 2 + 4 + 8 + 16 + 32 minutes, then 1993 of an hour.
    expect(minutes).toBe(1 + 2 + 4 + 8 + 16 + 32 + (Math.floor(9_999 / PIN_TRIES) - 6) * 60);
    expect(minutes).toBe(119_643);
    expect(minutes).toBeGreaterThanOrEqual(10_000);
    console.info(`brute force: ${minutes} minutes (${(minutes / 1440).toFixed(1)} days) of lock-out to try every 4-digit PIN`);
  });

  it('lockMs doubles from a minute and stops at an hour', () => {
    expect([0, 1, 2, 3, 4, 5, 6, 7, 100].map(lockMs)).toEqual([60_000, 120_000, 240_000, 480_000, 960_000, 1_920_000, 3_600_000, 3_600_000, 3_600_000]);
  });
});

describe('a fresh store', () => {
  it('has no lock', async () => {
    const s = await setup({ backend: memoryBackend(), box: fakeBox('os') });
    expect(s.settings.current.pinLock).toEqual({ failures: 0, lockedUntilMs: 0, lockouts: 0 });
  });
});
