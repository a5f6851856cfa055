import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SaleView } from '../../../shared/sale';
import type { PaymentSettings } from '../../../electron/till/charge-input';
import {
  NOON,
  clockAt,
  closeAll,
  exchanges,
  finalWithin,
  footprint,
  mustSimOrder,
  openTestTill,
  setFaults,
  startExternalSimulator,
  statePath,
  tempDir,
  waitFor,
  type TestTill,
  type TestTillOptions,
} from './support';

// Issue 13 §1 in the engine: the cashier scans the customer's payment code.
// One payment request per code, ever; waiting for the customer's password
// within the wallet's window; reversal (confirmed by query) when the window
// ends, the cashier cancels, or the answer is lost and the order is still in
// progress; a reversal answered "already paid" is paid. Against the real
// simulator over HTTP; the simulator shares the till's clock, so a window is
// ended with clock.advance(), never waited out.
//
// The simulator plays the customer by the code's last digit: 1 confirms a
// password after cpmPasswordMs, 2 never confirms, 3 has too little money,
// anything else pays at once.

afterEach(closeAll);

const SETTINGS: PaymentSettings = { mpmPayTypes: ['800201'], realNamePayTypes: ['800208'], unifiedCpm: false, cpmWindowSeconds: 60 };
const WECHAT = (last: string) => `13456789012345678${last}`;
const ALIPAY = (last: string) => `28765432109876543${last}`;

async function readyTill(options: TestTillOptions & { settings?: PaymentSettings } = {}): Promise<TestTill> {
  const { settings = SETTINGS, ...rest } = options;
  const till = await openTestTill({ payments: () => settings, ...rest, simulator: { cpmPasswordMs: 200, ...rest.simulator } });
  await till.engine.recover();
  return till;
}

async function scan(till: TestTill, authCode: string, extra: { payType?: string; amountMinor?: number } = {}): Promise<SaleView> {
  const result = await till.engine.chargeCode({ amountMinor: extra.amountMinor ?? 1230, currency: 'HKD', authCode, payType: extra.payType });
  if (!result.ok) throw new Error(`chargeCode refused: ${JSON.stringify(result.error)}`);
  return result.value;
}

/** Ends the wallet's window: time jumps past it and the sale's wait is cut short. */
function endWindow(till: TestTill, id: string, seconds = SETTINGS.cpmWindowSeconds): void {
  till.clock.advance(seconds * 1000 + 1);
  (till.engine as unknown as { wakeFor(id: string): { fire(): void } }).wakeFor(id).fire();
}

describe('a scanned code, answered at once', () => {
  it('paid: one payment request with the code, the journal keeps only its last 4 digits', async () => {
    const till = await readyTill();
    const code = WECHAT('9');
    const sale = await scan(till, code);
    expect(sale).toMatchObject({ state: 'requesting', payType: '800208', authCodeMasked: '**************6789', qrcode: null });
    const final = await finalWithin(till, sale.outTradeNo);
    expect(final).toMatchObject({ state: 'paid', payType: '800208', authCodeMasked: '**************6789', paidAfterCancel: false });
    expect(final.syssn).toBeTruthy();
    expect(statePath(till, sale.outTradeNo)).toEqual(['requesting', 'paid']);
    expect(mustSimOrder(till.sim, sale.outTradeNo)).toMatchObject({ state: 'paid', pay_type: '800208', paymentRequests: 1 });
    expect(till.sim.requestCounts.payment).toBe(1);
    expect(till.journal.sale(sale.outTradeNo)!.authCodeMasked).toBe('**************6789');
    expect((exchanges(till, sale.outTradeNo, 'payment')[0]!.data as { request: Record<string, string> }).request).toMatchObject({ auth_code: '**************6789', pay_type: '800208' });
    // The code itself is nowhere in the journal file.
    till.journal.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const name of readdirSync(till.dataDir)) expect(readFileSync(join(till.dataDir, name)).toString('latin1')).not.toContain(code.slice(0, 14));
    expect((till.engine as unknown as { saleDriver: { personalHeld: number } }).saleDriver.personalHeld).toBe(0);
  });

  it('an Alipay code goes as 800108; with the unified code setting, any code goes as 800008', async () => {
    const till = await readyTill();
    const alipay = await scan(till, ALIPAY('9'));
    expect((await finalWithin(till, alipay.outTradeNo)).payType).toBe('800108');
    const unified = await readyTill({ settings: { ...SETTINGS, unifiedCpm: true } });
    const sale = await scan(unified, WECHAT('8'));
    expect(await finalWithin(unified, sale.outTradeNo)).toMatchObject({ state: 'paid', payType: '800008' });
  });

  it('insufficient balance (1201): failed, nothing charged, no query needed to say so', async () => {
    const till = await readyTill();
    const sale = await scan(till, WECHAT('3'));
    const final = await finalWithin(till, sale.outTradeNo);
    expect(final).toMatchObject({ state: 'failed', respcd: '1201' });
    expect(mustSimOrder(till.sim, sale.outTradeNo)).toMatchObject({ paymentRequests: 1 });
    expect(till.sim.requestCounts.reversal).toBe(0);
  });

  it('429 on the payment: failed, the request did not run, the code was never used', async () => {
    const till = await readyTill();
    setFaults(till.sim, { payment: { httpStatus: 429, count: 1 } });
    const sale = await scan(till, WECHAT('9'));
    expect(await finalWithin(till, sale.outTradeNo)).toMatchObject({ state: 'failed', respcd: 'HTTP_429' });
    expect(till.sim.orders().filter((o) => o.out_trade_no === sale.outTradeNo)).toHaveLength(0);
  });
});

describe('the customer confirms on the phone', () => {
  it('1145, then paid within the window: awaiting the customer (no QR), then paid; never a second payment request', async () => {
    const till = await readyTill();
    const sale = await scan(till, WECHAT('1'));
    const waiting = await waitFor(() => till.views.find((v) => v.outTradeNo === sale.outTradeNo && v.state === 'awaiting_scan'), 2_000, 'customer confirming');
    expect(waiting).toMatchObject({ qrcode: null });
    await waitFor(() => till.views.find((v) => v.outTradeNo === sale.outTradeNo && v.activity === 'customer_paying'), 2_000, 'customer_paying shown');
    const final = await finalWithin(till, sale.outTradeNo);
    expect(final).toMatchObject({ state: 'paid', paidAfterCancel: false });
    expect(statePath(till, sale.outTradeNo)).toEqual(['requesting', 'awaiting_scan', 'paid']);
    expect(mustSimOrder(till.sim, sale.outTradeNo)).toMatchObject({ state: 'paid', paymentRequests: 1, reversalRequests: 0 });
  });

  it('no confirmation within the window: reversed at QFPay, confirmed by query, the sale cancelled (expiry)', async () => {
    const till = await readyTill();
    const sale = await scan(till, WECHAT('2'));
    await waitFor(() => till.journal.sale(sale.outTradeNo)?.state === 'awaiting_scan', 2_000, 'customer confirming');
    endWindow(till, sale.outTradeNo);
    const final = await finalWithin(till, sale.outTradeNo);
    expect(final).toMatchObject({ state: 'cancelled', cancelReason: 'expiry', paidAfterCancel: false });
    expect(statePath(till, sale.outTradeNo)).toEqual(['requesting', 'awaiting_scan', 'cancelling', 'cancelled']);
    const order = mustSimOrder(till.sim, sale.outTradeNo);
    expect(order).toMatchObject({ state: 'reversed', paymentRequests: 1, closeRequests: 0 });
    expect(order.reversalRequests).toBeGreaterThanOrEqual(1);
    // Confirmed by a query after the reversal answered.
    const trail = till.journal.events(sale.outTradeNo).filter((e) => e.kind === 'exchange').map((e) => (e.data as { endpoint: string }).endpoint);
    expect(trail.lastIndexOf('query')).toBeGreaterThan(trail.indexOf('reversal'));
  });

  it('the window is timed from before the request left, on the monotonic clock (a wall-clock step does not stretch it)', async () => {
    const till = await readyTill();
    const sale = await scan(till, WECHAT('2'));
    await waitFor(() => till.journal.sale(sale.outTradeNo)?.state === 'awaiting_scan', 2_000, 'customer confirming');
    till.clock.stepWall(-3_600_000);
    endWindow(till, sale.outTradeNo);
    expect(await finalWithin(till, sale.outTradeNo)).toMatchObject({ state: 'cancelled', cancelReason: 'expiry' });
  });

  it('the reversal is answered "already paid" (the customer confirmed in time): paid, not flagged', async () => {
    const till = await readyTill();
    const sale = await scan(till, WECHAT('2'));
    await waitFor(() => till.journal.sale(sale.outTradeNo)?.state === 'awaiting_scan', 2_000, 'customer confirming');
    // The customer confirms at the last moment; the till's next look is after its window: it reverses, QFPay says 1260.
    setFaults(till.sim, { query: { httpStatus: 500, count: 1 } });
    till.sim.pay({ out_trade_no: sale.outTradeNo });
    endWindow(till, sale.outTradeNo);
    const final = await finalWithin(till, sale.outTradeNo);
    expect(final).toMatchObject({ state: 'paid', paidAfterCancel: false, cancelReason: 'expiry' });
    expect(exchanges(till, sale.outTradeNo, 'reversal').map((e) => e.data.respcd)).toContain('1260');
    expect(statePath(till, sale.outTradeNo)).toEqual(['requesting', 'awaiting_scan', 'cancelling', 'paid']);
    expect(mustSimOrder(till.sim, sale.outTradeNo)).toMatchObject({ state: 'paid', paymentRequests: 1 });
  });

  it("the cashier's cancel reverses the order: cancelled (cashier)", async () => {
    const till = await readyTill();
    const sale = await scan(till, WECHAT('2'));
    await waitFor(() => till.journal.sale(sale.outTradeNo)?.state === 'awaiting_scan', 2_000, 'customer confirming');
    const cancelled = await till.engine.cancel();
    expect(cancelled.ok && cancelled.value.state).toBe('cancelling');
    expect(await finalWithin(till, sale.outTradeNo)).toMatchObject({ state: 'cancelled', cancelReason: 'cashier' });
    expect(mustSimOrder(till.sim, sale.outTradeNo)).toMatchObject({ state: 'reversed', closeRequests: 0 });
  });
});

describe('parking (DESIGN.md rule 2)', () => {
  it('a reversal QFPay cannot confirm yet: parked, the next customer is served; settled cancelled once QFPay answers', async () => {
    const till = await readyTill();
    const sale = await scan(till, WECHAT('2'));
    await waitFor(() => till.journal.sale(sale.outTradeNo)?.state === 'awaiting_scan', 2_000, 'customer confirming');
    setFaults(till.sim, { reversal: { httpStatus: 503 } });
    await till.engine.cancel();
    await waitFor(() => till.engine.parkedSales().some((s) => s.outTradeNo === sale.outTradeNo), 2_000, 'parked');
    const next = await scan(till, WECHAT('9'));
    expect(await finalWithin(till, next.outTradeNo)).toMatchObject({ state: 'paid' });
    setFaults(till.sim, {});
    expect(await finalWithin(till, sale.outTradeNo, 4_000)).toMatchObject({ state: 'cancelled', cancelReason: 'cashier', paidAfterCancel: false });
    expect(mustSimOrder(till.sim, sale.outTradeNo)).toMatchObject({ state: 'reversed', paymentRequests: 1 });
  });
});

describe('a lost payment answer', () => {
  it('the connection drops after QFPay took the payment: found paid by query, never resent', async () => {
    const till = await readyTill();
    setFaults(till.sim, { payment: { dropResponse: true, count: 1 } });
    const sale = await scan(till, WECHAT('9'));
    const final = await finalWithin(till, sale.outTradeNo);
    expect(final.state).toBe('paid');
    expect(statePath(till, sale.outTradeNo)).toEqual(['requesting', 'unknown', 'paid']);
    expect(till.sim.requestCounts.payment).toBe(1);
    expect(mustSimOrder(till.sim, sale.outTradeNo).paymentRequests).toBe(1);
  });

  it('lost while the customer is confirming, then the window ends: reversed, never resent', async () => {
    const till = await readyTill();
    setFaults(till.sim, { payment: { dropResponse: true, count: 1 } });
    const sale = await scan(till, WECHAT('2'));
    await waitFor(() => till.journal.sale(sale.outTradeNo)?.state === 'awaiting_scan', 2_000, 'found confirming by query');
    endWindow(till, sale.outTradeNo);
    expect(await finalWithin(till, sale.outTradeNo)).toMatchObject({ state: 'cancelled', cancelReason: 'expiry' });
    expect(mustSimOrder(till.sim, sale.outTradeNo)).toMatchObject({ state: 'reversed', paymentRequests: 1 });
    expect(till.sim.requestCounts.payment).toBe(1);
  });

  it('the request never reached QFPay: absent past the grace, the reversal finds nothing: failed, nothing charged, one request', async () => {
    const till = await readyTill();
    setFaults(till.sim, { payment: { dropRequest: true, count: 1 } });
    const sale = await scan(till, WECHAT('9'));
    const final = await finalWithin(till, sale.outTradeNo, 4_000);
    expect(final).toMatchObject({ state: 'failed' });
    expect(till.sim.orders().filter((o) => o.out_trade_no === sale.outTradeNo)).toHaveLength(0);
    expect(exchanges(till, sale.outTradeNo, 'payment')).toHaveLength(1);
    expect(exchanges(till, sale.outTradeNo, 'reversal').length).toBeGreaterThanOrEqual(1);
  });
});

describe('answers that say nothing for sure', () => {
  it('a duplicate answer (1102): unknown, resolved by query (paid), never resent', async () => {
    const till = await readyTill();
    setFaults(till.sim, { payment: { respcd: '1102', commit: true, count: 1 } });
    const sale = await scan(till, WECHAT('9'));
    expect(await finalWithin(till, sale.outTradeNo)).toMatchObject({ state: 'paid' });
    expect(statePath(till, sale.outTradeNo)).toEqual(['requesting', 'unknown', 'paid']);
    expect(till.sim.requestCounts.payment).toBe(1);
  });

  it('a "system error" failure code (1254) while QFPay did take the payment: not failed on its word, found paid by query', async () => {
    const till = await readyTill();
    setFaults(till.sim, { payment: { respcd: '1254', commit: true, count: 1 } });
    const sale = await scan(till, WECHAT('9'));
    expect(await finalWithin(till, sale.outTradeNo)).toMatchObject({ state: 'paid' });
    expect(statePath(till, sale.outTradeNo)).toEqual(['requesting', 'unknown', 'paid']);
    expect(till.sim.requestCounts.payment).toBe(1);
  });

  it('a 5xx after QFPay took a payment the customer is still confirming: found by query, waited for, paid', async () => {
    const till = await readyTill();
    setFaults(till.sim, { payment: { httpStatus: 502, commit: true, count: 1 } });
    const sale = await scan(till, WECHAT('1'));
    expect(await finalWithin(till, sale.outTradeNo)).toMatchObject({ state: 'paid' });
    expect(statePath(till, sale.outTradeNo)).toEqual(['requesting', 'unknown', 'awaiting_scan', 'paid']);
    expect(till.sim.requestCounts.payment).toBe(1);
  });
});

describe('after the sale', () => {
  it('a paid scanned sale is refunded like any other', async () => {
    const till = await readyTill();
    const sale = await scan(till, ALIPAY('9'));
    await finalWithin(till, sale.outTradeNo);
    const refund = await till.engine.refund({ saleOutTradeNo: sale.outTradeNo, amountMinor: 230 });
    expect(refund.ok).toBe(true);
    await waitFor(() => till.engine.saleViewOf(sale.outTradeNo)?.refundedMinor === 230, 2_000, 'refunded');
  });

  it('a real-name check with a scanned code: sent once, kept masked, dropped from memory when the sale ends', async () => {
    const till = await readyTill();
    const realName = { idCardNumber: '110101199003071233', name: '欧阳小明' };
    const result = await till.engine.chargeCode({ amountMinor: 500, currency: 'HKD', authCode: WECHAT('9'), realName });
    expect(result.ok && result.value.realNameChecked).toBe(true);
    const id = result.ok ? result.value.outTradeNo : '';
    await finalWithin(till, id);
    const request = (exchanges(till, id, 'payment')[0]!.data as { request: Record<string, string> }).request;
    expect(JSON.parse(request.extend_info!)).toEqual({ user_creid: '11**************33', user_truename: '欧***' });
    expect((till.engine as unknown as { saleDriver: { personalHeld: number } }).saleDriver.personalHeld).toBe(0);
    expect(await till.engine.chargeCode({ amountMinor: 500, currency: 'HKD', authCode: ALIPAY('9'), realName })).toMatchObject({ ok: false, error: { code: 'pay_type_disabled', field: 'realName' } });
  });
});

describe('bad codes are refused before anything is written', () => {
  it('a code that is neither wallet\'s, a code of the wrong wallet, an MPM pay type, a malformed code', async () => {
    const till = await readyTill();
    const before = footprint(till);
    const code = (authCode: string, payType?: string) => till.engine.chargeCode({ amountMinor: 100, currency: 'HKD', authCode, payType });
    expect(await code('991234567890123456')).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'auth_code' } });
    expect(await code(WECHAT('9'), '800108')).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'auth_code' } });
    expect(await code(WECHAT('9'), '800201')).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'pay_type' } });
    expect(await code('13abc')).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'auth_code' } });
    const refused = await code('991234567890123456');
    expect(JSON.stringify(refused)).not.toContain('991234567890123456');
    expect(footprint(till)).toEqual(before);
  });
});

describe('recovery of a scanned code', () => {
  it('a sale found waiting for the customer at start is reversed, never resumed as waiting', async () => {
    const clock = clockAt(NOON);
    const sim = await startExternalSimulator(clock, { cpmPasswordMs: 200 });
    const dataDir = tempDir();
    const first = await readyTill({ clock, external: sim, dataDir });
    const charged = await first.engine.chargeCode({ amountMinor: 1230, currency: 'HKD', authCode: WECHAT('2'), realName: { idCardNumber: '110101199003071233', name: '欧阳小明' } });
    const sale = charged.ok ? charged.value : expect.unreachable('chargeCode refused');
    await waitFor(() => first.journal.sale(sale.outTradeNo)?.state === 'awaiting_scan', 2_000, 'customer confirming');
    expect((first.engine as unknown as { saleDriver: { personalHeld: number } }).saleDriver.personalHeld).toBe(1);
    await first.close();
    // A stopped engine keeps no plain code or real name for a sale it left open.
    expect((first.engine as unknown as { saleDriver: { personalHeld: number } }).saleDriver.personalHeld).toBe(0);
    const second = await openTestTill({ payments: () => SETTINGS, clock, external: sim, dataDir, timing: { parkAfterMs: 2_000 } });
    const summary = await second.engine.recover();
    expect(summary.sales).toEqual([{ outTradeNo: sale.outTradeNo, from: 'awaiting_scan', to: 'cancelled' }]);
    expect(statePath(second, sale.outTradeNo)).toEqual(['requesting', 'awaiting_scan', 'unknown', 'cancelling', 'cancelled']);
    expect(second.views.filter((v) => v.outTradeNo === sale.outTradeNo).every((v) => v.state !== 'awaiting_scan')).toBe(true);
    expect(mustSimOrder(sim, sale.outTradeNo)).toMatchObject({ state: 'reversed', paymentRequests: 1 });
  });

  it('the customer confirmed while the till was down: found paid by query at start, no reversal sent', async () => {
    const clock = clockAt(NOON);
    const sim = await startExternalSimulator(clock);
    const dataDir = tempDir();
    const first = await readyTill({ clock, external: sim, dataDir });
    const sale = await scan(first, WECHAT('2'));
    await waitFor(() => first.journal.sale(sale.outTradeNo)?.state === 'awaiting_scan', 2_000, 'customer confirming');
    await first.close();
    expect(sim.pay({ out_trade_no: sale.outTradeNo }).ok).toBe(true);
    const second = await openTestTill({ payments: () => SETTINGS, clock, external: sim, dataDir, timing: { parkAfterMs: 2_000 } });
    const summary = await second.engine.recover();
    expect(summary.sales).toEqual([{ outTradeNo: sale.outTradeNo, from: 'awaiting_scan', to: 'paid' }]);
    expect(mustSimOrder(sim, sale.outTradeNo)).toMatchObject({ state: 'paid', paymentRequests: 1, reversalRequests: 0 });
  });

  it("a 'requesting' row whose code was paid while the till was down: paid by query, no second request", async () => {
    const clock = clockAt(NOON);
    const sim = await startExternalSimulator(clock);
    const dataDir = tempDir();
    const first = await readyTill({ clock, external: sim, dataDir });
    setFaults(sim, { payment: { dropResponse: true, count: 1 } });
    const sale = await scan(first, WECHAT('9'));
    await waitFor(() => sim.requestCounts.payment === 1, 2_000, 'the payment at QFPay');
    await first.close();
    setFaults(sim, {});
    const second = await openTestTill({ payments: () => SETTINGS, clock, external: sim, dataDir, timing: { parkAfterMs: 2_000 } });
    await second.engine.recover();
    expect(second.journal.sale(sale.outTradeNo)!.state).toBe('paid');
    expect(sim.requestCounts.payment).toBe(1);
  });
});
