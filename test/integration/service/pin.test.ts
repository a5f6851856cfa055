import { afterEach, describe, expect, it } from 'vitest';
import type { IpcResult } from '../../../shared/contract';
import { PIN_COST } from '../../../electron/service/pin';
import { PIN_TRIES, lockMs } from '../../../electron/service/pin-guard';
import { closeAll, startService } from './support';

// The supervisor PIN from the cashier window, through ipc.ts's handler, at
// the real scrypt cost (issue 10): a burst of concurrent guesses and a
// patient sequence both get five tries per lock-out, and the app never goes
// live without a PIN whatever the window sends.

afterEach(closeAll);

const PIN = '2468';
const guesses = (n: number) => Array.from({ length: n }, (_, i) => String(1000 + i));

describe('guessing the PIN through IPC', { timeout: 180_000 }, () => {
  it('40 concurrent wrong PINs: five are evaluated, 35 refused as locked, then the right PIN is refused too', async () => {
    const h = await startService({ pinCost: PIN_COST }, { pin: PIN });
    const started = performance.now();
    const results = await Promise.all(guesses(40).map((pin) => h.call<{ valid: boolean }>('checkPin', { pin })));
    const ms = performance.now() - started;
    const evaluated = results.filter((r) => r.ok && !r.value.valid).length;
    const locked = results.filter((r) => !r.ok && r.error.code === 'pin_locked').length;
    console.info(`burst of 40 concurrent wrong PINs: ${evaluated} evaluated, ${locked} locked out, ${ms.toFixed(0)} ms (about ${(ms / Math.max(1, evaluated)).toFixed(0)} ms per check at N=2^17)`);
    expect(evaluated).toBe(PIN_TRIES);
    expect(locked).toBe(40 - PIN_TRIES);
    expect(await h.call('checkPin', { pin: PIN })).toMatchObject({ ok: false, error: { code: 'pin_locked' } });
  });

  it('in sequence: five tries, then nothing until the lock-out has run out', async () => {
    const h = await startService({}, { pin: PIN });
    const results: IpcResult<unknown>[] = [];
    for (const pin of guesses(7)) results.push(await h.call('checkPin', { pin }));
    expect(results.map((r) => (r.ok ? 'wrong' : r.error.code))).toEqual(['wrong', 'wrong', 'wrong', 'wrong', 'wrong', 'pin_locked', 'pin_locked']);
    h.clock.advance(lockMs(0));
    expect(await h.call('checkPin', { pin: PIN })).toEqual({ ok: true, value: { valid: true } });
  });
});

describe('going live without a PIN, through IPC', { timeout: 60_000 }, () => {
  it('is refused, and no PIN record can be written through the settings patch', async () => {
    const h = await startService();
    const live = { environment: 'production', appCode: 'APP0001', clientKey: 'SECRETKEY1234567890' };
    expect(await h.call('setCredentials', live)).toMatchObject({ ok: false, error: { code: 'pin_not_set' } });
    expect(await h.call('status')).toMatchObject({ ok: true, value: { mode: 'training' } });
    // The renderer cannot slip a PIN record in through the settings patch either.
    expect(await h.call('updateSettings', { patch: { pinHash: null } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(await h.call('updateSettings', { patch: { pinSeal: null } })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });
});
