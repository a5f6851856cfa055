import { describe, expect, it } from 'vitest';
import type { MethodName } from '../../../../shared/contract';
import { SettingsManager } from '../../../../electron/service/settings-manager';
import { DISPLAY_FINAL_MS, TillService } from '../../../../electron/service/till-service';
import { CLIENT_KEY, ManualClock, fakeBox, fakeTill, memoryBackend, openFake, saleView } from './support';
import { setup, type Setup } from './service-setup';

// TillService over a fake till (no journal, no network): the supervisor PIN
// gate and its lock-out on an injected clock, the mode-switch rule, and what
// the customer display is told as sales come and go.

const PIN = '2468';
const WRONG = '1111';

interface Gated {
  name: MethodName;
  input: (pin: string | undefined) => unknown;
  /** The effect the call has once past the gate: false before, true after. */
  happened: (s: Setup) => boolean;
}

const GATED: Gated[] = [
  {
    name: 'refund',
    input: (pin) => ({ saleOutTradeNo: 'S-TILL-1', ...(pin === undefined ? {} : { pin }) }),
    happened: (s) => s.till.refundCalls.length > 0,
  },
  {
    name: 'zReport',
    input: (pin) => (pin === undefined ? {} : { pin }),
    // Past the gate the fake till has no journal to close: any answer but a PIN error means the gate let it through.
    happened: () => true,
  },
  {
    name: 'updateSettings',
    input: (pin) => ({ patch: { merchantName: 'Changed' }, ...(pin === undefined ? {} : { pin }) }),
    happened: (s) => s.settings.current.merchantName === 'Changed',
  },
  {
    name: 'setCredentials',
    input: (pin) => ({ environment: 'test', appCode: 'APP0001', clientKey: CLIENT_KEY, ...(pin === undefined ? {} : { pin }) }),
    happened: (s) => s.settings.current.environment === 'test',
  },
  {
    name: 'setPin',
    input: (pin) => ({ newPin: '13579', ...(pin === undefined ? {} : { currentPin: pin }) }),
    happened: (s) => s.settings.current.pinHash !== s.pinHashBefore,
  },
];

// scrypt is slow on purpose (~50–100 ms a PIN): generous timeouts for a loaded CI machine.
describe('the supervisor PIN gate', { timeout: 60_000 }, () => {
  it.each(GATED.map((g) => [g.name, g] as const))('%s: without a PIN set, no PIN is asked', async (_name, gated) => {
    const s = await setup();
    const result = await s.call(gated.name, gated.input(undefined) as never);
    expect(result.ok || !['pin_required', 'pin_wrong'].includes(result.error.code)).toBe(true);
  });

  it.each(GATED.map((g) => [g.name, g] as const))('%s: with a PIN set, no PIN is pin_required and nothing happens', async (_name, gated) => {
    const s = await setup({ pin: PIN });
    const result = await s.call(gated.name, gated.input(undefined) as never);
    expect(result).toEqual({ ok: false, error: { code: 'pin_required', message: expect.any(String), field: 'pin' } });
    if (gated.name !== 'zReport') expect(gated.happened(s)).toBe(false);
  });

  it.each(GATED.map((g) => [g.name, g] as const))('%s: a wrong PIN is pin_wrong and nothing happens', async (_name, gated) => {
    const s = await setup({ pin: PIN });
    const opened = s.till.opened.length;
    const result = await s.call(gated.name, gated.input(WRONG) as never);
    expect(result).toEqual({ ok: false, error: { code: 'pin_wrong', message: expect.any(String), field: 'pin' } });
    if (gated.name !== 'zReport') expect(gated.happened(s)).toBe(false);
    expect(s.till.opened).toHaveLength(opened);
  });

  it.each(GATED.map((g) => [g.name, g] as const))('%s: the right PIN passes the gate', async (_name, gated) => {
    const s = await setup({ pin: PIN });
    const result = await s.call(gated.name, gated.input(PIN) as never);
    if (!result.ok) expect(['pin_required', 'pin_wrong']).not.toContain(result.error.code);
    expect(gated.happened(s)).toBe(true);
  });

  it('setPin with the current PIN changes it: the old one stops working, the new one works', async () => {
    const s = await setup({ pin: PIN });
    expect((await s.call('setPin', { currentPin: PIN, newPin: '9753' })).ok).toBe(true);
    expect(await s.call('checkPin', { pin: PIN })).toEqual({ ok: true, value: { valid: false } });
    expect(await s.call('checkPin', { pin: '9753' })).toEqual({ ok: true, value: { valid: true } });
  });

  it('setPin null with the current PIN removes it; the gate opens', async () => {
    const s = await setup({ pin: PIN });
    expect(await s.call('setPin', { currentPin: PIN, newPin: null })).toMatchObject({ ok: true, value: { pinSet: false } });
    expect(s.settings.current.pinHash).toBeNull();
    expect((await s.call('updateSettings', { patch: { merchantName: 'Open' } })).ok).toBe(true);
  });

  it('the PIN and its hash never reach the log, a broadcast or the settings view', async () => {
    const s = await setup({ pin: PIN });
    await s.call('checkPin', { pin: WRONG });
    const hash = s.settings.current.pinHash!;
    const everything = JSON.stringify([s.lines, s.broadcasts, s.settings.view()]);
    expect(everything).not.toContain(hash);
    expect(everything).not.toContain(PIN);
    expect(everything).not.toContain(WRONG);
  });

});

describe('PIN lock-out', { timeout: 60_000 }, () => {
  async function fiveWrong(s: Setup) {
    for (let i = 0; i < 5; i++) expect(await s.call('checkPin', { pin: WRONG })).toEqual({ ok: true, value: { valid: false } });
  }

  it('after five wrong PINs even the right one is refused for a minute, by checkPin and by the gate', async () => {
    const s = await setup({ pin: PIN });
    await fiveWrong(s);
    expect(await s.call('checkPin', { pin: PIN })).toMatchObject({ ok: false, error: { code: 'pin_locked', field: 'pin' } });
    expect(await s.call('refund', { saleOutTradeNo: 'S-TILL-1', pin: PIN })).toMatchObject({ ok: false, error: { code: 'pin_locked' } });
    expect(s.till.refundCalls).toEqual([]);
    await s.clock.advance(59_999);
    expect(await s.call('checkPin', { pin: PIN })).toMatchObject({ ok: false, error: { code: 'pin_locked' } });
    await s.clock.advance(1);
    expect(await s.call('checkPin', { pin: PIN })).toEqual({ ok: true, value: { valid: true } });
    expect((await s.call('refund', { saleOutTradeNo: 'S-TILL-1', pin: PIN })).ok).toBe(true);
  });

  it('wrong PINs through the gate count too', async () => {
    const s = await setup({ pin: PIN });
    for (let i = 0; i < 5; i++) expect(await s.call('zReport', { pin: WRONG })).toMatchObject({ ok: false, error: { code: 'pin_wrong' } });
    expect(await s.call('checkPin', { pin: PIN })).toMatchObject({ ok: false, error: { code: 'pin_locked' } });
  });

  it('four wrong PINs then the right one reset the count: four more do not lock', async () => {
    const s = await setup({ pin: PIN });
    for (let i = 0; i < 4; i++) await s.call('checkPin', { pin: WRONG });
    expect(await s.call('checkPin', { pin: PIN })).toEqual({ ok: true, value: { valid: true } });
    for (let i = 0; i < 4; i++) await s.call('checkPin', { pin: WRONG });
    expect(await s.call('checkPin', { pin: PIN })).toEqual({ ok: true, value: { valid: true } });
  });

  it('lock-outs without a right PIN in between double: the second lasts two minutes', async () => {
    const s = await setup({ pin: PIN });
    await fiveWrong(s);
    await s.clock.advance(60_000);
    await fiveWrong(s);
    await s.clock.advance(119_999);
    expect(await s.call('checkPin', { pin: PIN })).toMatchObject({ ok: false, error: { code: 'pin_locked' } });
    await s.clock.advance(1);
    expect(await s.call('checkPin', { pin: PIN })).toEqual({ ok: true, value: { valid: true } });
  });

  it('after the lock-out ends, it takes five new wrong PINs to lock again', async () => {
    const s = await setup({ pin: PIN });
    await fiveWrong(s);
    await s.clock.advance(60_000);
    for (let i = 0; i < 4; i++) expect(await s.call('checkPin', { pin: WRONG })).toEqual({ ok: true, value: { valid: false } });
    expect(await s.call('checkPin', { pin: PIN })).toEqual({ ok: true, value: { valid: true } });
    await fiveWrong(s);
    expect(await s.call('checkPin', { pin: PIN })).toMatchObject({ ok: false, error: { code: 'pin_locked' } });
  });
});

describe('mode and connection changes wait for the open sale', () => {
  it('setCredentials is busy while a sale is open, and reopens the till once it is done', async () => {
    const s = await setup({ pin: PIN });
    s.till.emit(saleView({ outTradeNo: 'S-A', state: 'awaiting_scan' }));
    const opened = s.till.opened.length;
    expect(await s.call('setCredentials', { environment: 'test', appCode: 'APP0001', clientKey: CLIENT_KEY, pin: PIN })).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(s.settings.current.environment).toBe('training');
    expect(s.till.opened).toHaveLength(opened);
    s.till.emit(saleView({ outTradeNo: 'S-A', state: 'cancelled', qrcode: null }));
    expect(await s.call('setCredentials', { environment: 'test', appCode: 'APP0001', clientKey: CLIENT_KEY, pin: PIN })).toMatchObject({ ok: true, value: { environment: 'test', hasClientKey: true } });
    expect(s.till.opened).toHaveLength(opened + 1);
    expect(s.till.opened.at(-1)!.credentials).toMatchObject({ appCode: 'APP0001', clientKey: CLIENT_KEY });
  });

  it('a settings change that reconnects (udid) is busy while a sale is open; a display-only change is not', async () => {
    const s = await setup();
    s.till.emit(saleView({ outTradeNo: 'S-A' }));
    expect(await s.call('updateSettings', { patch: { udid: 'TILL-OTHER' } })).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(s.settings.current.udid).toBe('TILL-TEST0001');
    expect(await s.call('updateSettings', { patch: { merchantName: 'Tea' } })).toMatchObject({ ok: true, value: { merchantName: 'Tea' } });
  });

  it('settings the till cannot open with are undone, and the till reopens as it was', async () => {
    const s = await setup({ refuseUdid: 'TILL-BROKEN' });
    const result = await s.call('updateSettings', { patch: { udid: 'TILL-BROKEN' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'connection_failed' } });
    expect(s.settings.current.udid).toBe('TILL-TEST0001');
    expect(s.till.opened.at(-1)!.udid).toBe('TILL-TEST0001');
    expect((await s.call('status', undefined)) as unknown).toMatchObject({ ok: true, value: { ready: true } });
  });

  it('a new udid reopens the till with it', async () => {
    const s = await setup();
    expect((await s.call('updateSettings', { patch: { udid: 'TILL-OTHER' } })).ok).toBe(true);
    expect(s.till.opened.at(-1)!.udid).toBe('TILL-OTHER');
    expect(s.till.closed).toBe(1);
  });

  it('simulateCustomerPayment outside training mode is training_only', async () => {
    const s = await setup({ till: fakeTill(false) });
    expect(await s.call('simulateCustomerPayment', { outTradeNo: 'S-A' })).toMatchObject({ ok: false, error: { code: 'training_only' } });
  });
});

describe('before the till is open (starting, or reopening after a mode change)', () => {
  it('calls that need the till answer not_ready, not internal, and log no error', async () => {
    const settings = new SettingsManager(memoryBackend(), fakeBox('os'), () => 'TILL-TEST0001');
    const lines: string[] = [];
    let release: () => void = () => undefined;
    const till = fakeTill();
    const service = new TillService({
      settings,
      dataDir: '/nonexistent/journal',
      log: { log: (level, message) => lines.push(`${level} ${message}`) },
      clock: new ManualClock(),
      broadcast: () => undefined,
      // Opening the journal takes a moment: the renderer may already be asking.
      openTill: async (options) => {
        await new Promise<void>((resolve) => (release = resolve));
        return openFake(till)(options);
      },
    });
    const starting = service.start();
    for (const [name, input] of [
      ['charge', { amountMinor: 100, currency: 'HKD' }],
      ['cancel', {}],
      ['history', { limit: 50, offset: 0 }],
      ['saleDetail', { outTradeNo: 'S-A' }],
      ['refund', { saleOutTradeNo: 'S-A' }],
      ['simulateCustomerPayment', { outTradeNo: 'S-A' }],
      ['testConnection', undefined],
    ] as const) {
      expect(await service.call(name, input as never), name).toMatchObject({ ok: false, error: { code: 'not_ready' } });
    }
    expect(await service.call('status', undefined)).toMatchObject({ ok: true, value: { ready: false } });
    expect(await service.call('currentSale', undefined)).toEqual({ ok: true, value: null });
    expect(lines.filter((l) => l.startsWith('error'))).toEqual([]);
    release();
    await starting;
    expect(await service.call('status', undefined)).toMatchObject({ ok: true, value: { ready: true } });
  });
});

describe('settings the till cannot run with are refused', () => {
  it('an unknown time zone is invalid_input and is not stored', async () => {
    const s = await setup();
    const result = await s.call('updateSettings', { patch: { timeZone: 'Mars/Olympus' } });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'timeZone' } });
    expect(s.settings.current.timeZone).toBe('Asia/Hong_Kong');
  });

  it('a real IANA zone is accepted', async () => {
    const s = await setup();
    expect(await s.call('updateSettings', { patch: { timeZone: 'Asia/Singapore' } })).toMatchObject({ ok: true, value: { timeZone: 'Asia/Singapore' } });
  });
});

describe('what the customer display is told', () => {
  const last = (s: Setup) => s.displays().at(-1);

  it('a sale awaiting the scan shows its QR and amount', async () => {
    const s = await setup();
    s.till.emit(saleView({ outTradeNo: 'S-A' }));
    expect(last(s)).toMatchObject({ kind: 'qr', amountMinor: 1230, currency: 'HKD', qrcode: 'weixin://wxpay/bizpayurl?pr=FAKE' });
    expect(await s.call('displayState', undefined)).toEqual({ ok: true, value: last(s) });
  });

  it('paid shows "paid", then goes back to idle after DISPLAY_FINAL_MS (a single-screen overlay must come down)', async () => {
    const s = await setup();
    s.till.emit(saleView({ outTradeNo: 'S-A' }));
    s.till.emit(saleView({ outTradeNo: 'S-A', state: 'paid', qrcode: null, paidAtMs: s.clock.now() }));
    expect(last(s)).toMatchObject({ kind: 'paid', amountMinor: 1230 });
    await s.clock.advance(DISPLAY_FINAL_MS - 1);
    expect(last(s)?.kind).toBe('paid');
    await s.clock.advance(1);
    expect(last(s)?.kind).toBe('idle');
    expect(await s.call('displayState', undefined)).toMatchObject({ ok: true, value: { kind: 'idle' } });
  });

  it.each(['cancelled', 'expired', 'failed'] as const)('%s shows "closed", then goes back to idle after DISPLAY_FINAL_MS', async (state) => {
    const s = await setup();
    s.till.emit(saleView({ outTradeNo: 'S-A' }));
    s.till.emit(saleView({ outTradeNo: 'S-A', state: 'cancelling', qrcode: null }));
    expect(last(s)?.kind).toBe('idle');
    s.till.emit(saleView({ outTradeNo: 'S-A', state, qrcode: null }));
    expect(last(s)).toMatchObject({ kind: 'closed', reason: state });
    await s.clock.advance(DISPLAY_FINAL_MS);
    expect(last(s)?.kind).toBe('idle');
    expect(await s.call('displayState', undefined)).toMatchObject({ ok: true, value: { kind: 'idle' } });
  });

  it("at start, the previous session's last sale (cancelled) is not put on the customer screen", async () => {
    const till = fakeTill();
    till.emit(saleView({ outTradeNo: 'S-OLD', state: 'cancelled', qrcode: null }));
    const s = await setup({ till });
    expect(last(s)?.kind).toBe('idle');
    expect(await s.call('displayState', undefined)).toMatchObject({ ok: true, value: { kind: 'idle' } });
  });

  it('a refund of an earlier sale does not take the open QR off the customer screen', async () => {
    const s = await setup();
    s.till.emit(saleView({ outTradeNo: 'S-A' }));
    s.till.emit(saleView({ outTradeNo: 'S-A', state: 'paid', qrcode: null, paidAtMs: s.clock.now() }));
    await s.clock.advance(60_000);
    s.till.emit(saleView({ outTradeNo: 'S-B', amountMinor: 500, qrcode: 'weixin://wxpay/B' }));
    expect(last(s)).toMatchObject({ kind: 'qr', qrcode: 'weixin://wxpay/B' });
    // The engine re-emits the refunded sale (refundedMinor changed) while B is still waiting for its scan.
    s.till.emit(saleView({ outTradeNo: 'S-A', state: 'paid', qrcode: null, paidAtMs: s.clock.now() - 60_000, refundedMinor: 1230 }));
    expect(last(s)).toMatchObject({ kind: 'qr', qrcode: 'weixin://wxpay/B', amountMinor: 500 });
  });

  it('a new sale right after a paid one replaces the "paid" screen, and the old timer does not blank it', async () => {
    const s = await setup();
    s.till.emit(saleView({ outTradeNo: 'S-A' }));
    s.till.emit(saleView({ outTradeNo: 'S-A', state: 'paid', qrcode: null, paidAtMs: s.clock.now() }));
    await s.clock.advance(1_000);
    s.till.emit(saleView({ outTradeNo: 'S-B', qrcode: 'weixin://wxpay/B' }));
    await s.clock.advance(DISPLAY_FINAL_MS);
    expect(last(s)).toMatchObject({ kind: 'qr', qrcode: 'weixin://wxpay/B' });
  });

  it('no state but awaiting_scan ever carries a QR', async () => {
    const s = await setup();
    for (const state of ['requesting', 'unknown', 'cancelling', 'paid', 'failed', 'expired', 'cancelled'] as const) {
      // Even if a view carried a QR by mistake, the display must not show it.
      s.till.emit(saleView({ outTradeNo: `S-${state}`, state, qrcode: 'weixin://wxpay/LEAK' }));
      expect(JSON.stringify(last(s))).not.toContain('LEAK');
    }
  });

  it('stop() cancels the pending idle timer', async () => {
    const s = await setup();
    s.till.emit(saleView({ outTradeNo: 'S-A' }));
    s.till.emit(saleView({ outTradeNo: 'S-A', state: 'paid', qrcode: null, paidAtMs: s.clock.now() }));
    expect(s.clock.pendingSleeps).toBe(1);
    await s.service.stop();
    expect(s.clock.pendingSleeps).toBe(0);
    const count = s.displays().length;
    await s.clock.advance(DISPLAY_FINAL_MS);
    expect(s.displays()).toHaveLength(count);
  });
});
