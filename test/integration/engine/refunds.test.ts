import { afterEach, describe, expect, it } from 'vitest';
import type { RefundView } from '../../../shared/sale';
import {
  chargeShown,
  clockAt,
  closeAll,
  exchanges,
  finalWithin,
  footprint,
  hk,
  mustSimOrder,
  openTestTill,
  refundFinalWithin,
  setFaults,
  simOrder,
  tillWithPaidSale,
  waitFor,
  type TestTill,
} from './support';

// Rule 8: refunds are sales in reverse: own out_trade_no, written ahead,
// queried when unclear, never more than the refundable remainder (checked
// here before anything is sent).

afterEach(closeAll);

async function refundOk(till: TestTill, saleOutTradeNo: string, amountMinor?: number): Promise<RefundView> {
  const result = await till.engine.refund({ saleOutTradeNo, amountMinor });
  if (!result.ok) throw new Error(`refund refused: ${JSON.stringify(result.error)}`);
  return refundFinalWithin(till, result.value.outTradeNo);
}

function refundTransitions(till: TestTill, refundId: string): string[] {
  return till.journal
    .events(refundId)
    .filter((e) => e.kind === 'transition')
    .map((e) => e.data.to as string);
}

describe('refunds that go through', () => {
  it('full refund (amount left out): refunded, sale refundedMinor = amount, one request', async () => {
    const { till, saleId } = await tillWithPaidSale(1000);
    const refund = await refundOk(till, saleId);

    expect(refund).toMatchObject({ state: 'refunded', amountMinor: 1000, saleOutTradeNo: saleId, respcd: '0000' });
    expect(refund.outTradeNo).toMatch(/^till-01-R\d{12}[0-9A-Z]{6}$/);
    expect(refundTransitions(till, refund.outTradeNo)).toEqual(['requesting', 'refunded']);
    expect(till.journal.sale(saleId)).toMatchObject({ state: 'paid', refundedMinor: 1000 });
    expect(till.engine.saleViewOf(saleId)!.refundedMinor).toBe(1000);
    const order = mustSimOrder(till.sim, refund.outTradeNo);
    expect(order).toMatchObject({ order_type: 'refund', state: 'refunded', txamt: 1000, refundRequests: 1, origssn: till.journal.sale(saleId)!.syssn });
    expect(till.journal.refund(refund.outTradeNo)!.syssn).toBe(order.syssn);
    expect(mustSimOrder(till.sim, saleId).refundedMinor).toBe(1000);
    // The sale's view was re-emitted with the new refunded total.
    expect(till.views.filter((v) => v.outTradeNo === saleId).at(-1)!.refundedMinor).toBe(1000);
  });

  it('partial refund', async () => {
    const { till, saleId } = await tillWithPaidSale(1000);
    const refund = await refundOk(till, saleId, 300);
    expect(refund).toMatchObject({ state: 'refunded', amountMinor: 300 });
    expect(till.journal.sale(saleId)!.refundedMinor).toBe(300);
    expect(till.journal.reservedRefundMinor(saleId)).toBe(300);
    expect(mustSimOrder(till.sim, saleId).refundedMinor).toBe(300);
  });

  it('two partials summing to the total; a third is refused locally without any request', async () => {
    const { till, saleId } = await tillWithPaidSale(1000);
    await refundOk(till, saleId, 400);
    await refundOk(till, saleId, 600);
    expect(till.journal.sale(saleId)!.refundedMinor).toBe(1000);
    expect(mustSimOrder(till.sim, saleId).refundedMinor).toBe(1000);

    const before = footprint(till);
    const third = await till.engine.refund({ saleOutTradeNo: saleId });
    expect(third.ok === false && third.error.code).toBe('nothing_to_refund');
    const thirdWithAmount = await till.engine.refund({ saleOutTradeNo: saleId, amountMinor: 1 });
    expect(thirdWithAmount.ok === false && thirdWithAmount.error.code).toBe('nothing_to_refund');
    expect(footprint(till)).toEqual(before);
    expect(till.sim.requestCounts.refund).toBe(2);
  });

  it('more than what is left is refused locally (exceeds_refundable), nothing sent', async () => {
    const { till, saleId } = await tillWithPaidSale(1000);
    await refundOk(till, saleId, 600);
    const before = footprint(till);
    const tooMuch = await till.engine.refund({ saleOutTradeNo: saleId, amountMinor: 401 });
    expect(tooMuch).toEqual({ ok: false, error: expect.objectContaining({ code: 'exceeds_refundable', field: 'txamt' }) });
    expect(footprint(till)).toEqual(before);
    expect(till.sim.requestCounts.refund).toBe(1);
    // Exactly what is left still goes through.
    expect((await refundOk(till, saleId, 400)).state).toBe('refunded');
  });
});

describe('refunds refused', () => {
  it('a sale that is not paid cannot be refunded (not_paid), nothing written or sent', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const shown = await chargeShown(till);
    const before = footprint(till);
    const result = await till.engine.refund({ saleOutTradeNo: shown.outTradeNo });
    expect(result.ok === false && result.error.code).toBe('not_paid');
    expect(footprint(till).refunds).toBe(before.refunds);
    expect(till.sim.requestCounts.refund).toBe(0);
  });

  it('two refunds of one sale at once: the second is refused (refund_open)', async () => {
    const { till, saleId } = await tillWithPaidSale(1000);
    setFaults(till.sim, { refundSettleMs: 200 });
    const [a, b] = await Promise.all([
      till.engine.refund({ saleOutTradeNo: saleId, amountMinor: 100 }),
      till.engine.refund({ saleOutTradeNo: saleId, amountMinor: 100 }),
    ]);
    expect(a.ok).toBe(true);
    expect(b).toEqual({ ok: false, error: expect.objectContaining({ code: 'refund_open', outTradeNo: a.ok ? a.value.outTradeNo : '' }) });
    // While the first is still unresolved, another is refused too.
    const c = await till.engine.refund({ saleOutTradeNo: saleId, amountMinor: 100 });
    expect(c.ok === false && c.error.code).toBe('refund_open');
    expect(till.sim.requestCounts.refund).toBe(1);
    await refundFinalWithin(till, a.ok ? a.value.outTradeNo : '');
    expect(till.journal.sale(saleId)!.refundedMinor).toBe(100);
  });

  it('QFPay refuses (1269, the day cannot cover it): failed, and the refundable amount is unchanged', async () => {
    const { till, saleId } = await tillWithPaidSale(1000, { simulator: { refundNeedsCover: true } });
    // The sale was paid yesterday: today's takings are nothing.
    till.clock.advance(24 * 3_600_000);
    const result = await till.engine.refund({ saleOutTradeNo: saleId, amountMinor: 500 });
    expect(result.ok && result.value).toMatchObject({ state: 'failed', respcd: '1269' });

    const refundId = result.ok ? result.value.outTradeNo : '';
    expect(till.journal.refund(refundId)).toMatchObject({ state: 'failed', lastRespcd: '1269' });
    expect(till.journal.sale(saleId)!.refundedMinor).toBe(0);
    expect(till.journal.reservedRefundMinor(saleId)).toBe(0);
    expect(simOrder(till.sim, refundId)).toBeUndefined();
    expect(mustSimOrder(till.sim, saleId).refundedMinor).toBe(0);
    // The whole amount is still refundable: a full refund is let through to QFPay (which refuses again).
    const again = await till.engine.refund({ saleOutTradeNo: saleId });
    expect(again.ok && again.value).toMatchObject({ amountMinor: 1000, state: 'failed', respcd: '1269' });
  });

  it.each([
    ['23:30', 23, 30],
    ['23:59', 23, 59],
    ['00:00', 0, 0],
    ['00:29', 0, 29],
  ])('at %s local time a refund is refused by the till (refund_window), nothing sent', async (_label, hour, minute) => {
    const clock = clockAt(hk(2026, 11, 26, 23, 0));
    const { till, saleId } = await tillWithPaidSale(1000, { clock });
    const target = hour >= 12 ? hk(2026, 11, 26, hour, minute) : hk(2026, 11, 27, hour, minute);
    clock.advance(target - clock.now());
    const before = footprint(till);
    const result = await till.engine.refund({ saleOutTradeNo: saleId });
    expect(result.ok === false && result.error.code).toBe('refund_window');
    expect(footprint(till)).toEqual(before);
    expect(till.sim.requestCounts.refund).toBe(0);
  });

  it('at 00:30 refunds are possible again', async () => {
    const clock = clockAt(hk(2026, 11, 26, 22, 0));
    const { till, saleId } = await tillWithPaidSale(1000, { clock });
    clock.advance(hk(2026, 11, 27, 0, 30) - clock.now());
    expect((await refundOk(till, saleId, 100)).state).toBe('refunded');
  });
});

describe('refunds with unclear answers', () => {
  it('answer lost (dropResponse): unknown, resolved by query to refunded, one refund request', async () => {
    const { till, saleId } = await tillWithPaidSale(1000);
    setFaults(till.sim, { refund: { dropResponse: true, count: 1 } });
    const result = await till.engine.refund({ saleOutTradeNo: saleId, amountMinor: 700 });
    expect(result.ok && result.value.state).toBe('unknown');
    const refundId = result.ok ? result.value.outTradeNo : '';
    // While unknown, its amount is reserved: nothing more than 300 can be started.
    expect(till.journal.reservedRefundMinor(saleId)).toBe(700);
    const final = await refundFinalWithin(till, refundId);

    expect(final.state).toBe('refunded');
    expect(refundTransitions(till, refundId)).toEqual(['requesting', 'unknown', 'refunded']);
    expect(mustSimOrder(till.sim, refundId)).toMatchObject({ state: 'refunded', refundRequests: 1 });
    expect(till.sim.requestCounts.refund).toBe(1);
    expect(till.journal.sale(saleId)!.refundedMinor).toBe(700);
    expect(till.journal.refund(refundId)!.syssn).toBe(mustSimOrder(till.sim, refundId).syssn);
  });

  it('refund pending at QFPay (1145 while refundSettleMs runs): unknown, then refunded by query', async () => {
    const { till, saleId } = await tillWithPaidSale(1000);
    setFaults(till.sim, { refundSettleMs: 300 });
    const result = await till.engine.refund({ saleOutTradeNo: saleId });
    expect(result.ok && result.value).toMatchObject({ state: 'unknown', respcd: '1145' });
    const refundId = result.ok ? result.value.outTradeNo : '';
    const final = await refundFinalWithin(till, refundId);

    expect(final.state).toBe('refunded');
    const queries = exchanges(till, refundId, 'query');
    expect(queries.length).toBeGreaterThanOrEqual(2);
    expect(mustSimOrder(till.sim, refundId)).toMatchObject({ state: 'refunded', refundRequests: 1 });
    expect(till.journal.sale(saleId)!.refundedMinor).toBe(1000);
  });

  it('refund racing a sale poll in flight: both settle, each sale keeps its own refunded total', async () => {
    const { till, saleId } = await tillWithPaidSale(1000);
    const next = await chargeShown(till, 2000);
    // The next poll of the open sale hangs 200 ms at QFPay while the refund is made.
    setFaults(till.sim, { query: { delayMs: 200, count: 1 } });
    const queries = till.sim.requestCounts.query;
    await waitFor(() => till.sim.requestCounts.query > queries, 1_000, 'a slow poll in flight');
    const refund = await refundOk(till, saleId, 250);
    till.sim.pay({ out_trade_no: next.outTradeNo });
    const paid = await finalWithin(till, next.outTradeNo);

    expect(refund.state).toBe('refunded');
    expect(paid).toMatchObject({ state: 'paid', refundedMinor: 0 });
    expect(till.journal.sale(saleId)).toMatchObject({ state: 'paid', refundedMinor: 250 });
    expect(till.journal.sale(next.outTradeNo)!.refundedMinor).toBe(0);
    expect(mustSimOrder(till.sim, saleId).refundedMinor).toBe(250);
    expect(mustSimOrder(till.sim, next.outTradeNo)).toMatchObject({ state: 'paid', refundedMinor: 0, paymentRequests: 1 });
  });

  it('a refund of a sale whose payment answer was lost but later found paid', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    setFaults(till.sim, { payment: { dropResponse: true, count: 1 }, autoPayAfterMs: 0 });
    const charged = await till.engine.charge({ amountMinor: 1200, currency: 'HKD' });
    const id = charged.ok ? charged.value.outTradeNo : '';
    expect((await finalWithin(till, id)).state).toBe('paid');
    setFaults(till.sim, {});
    const refund = await refundOk(till, id, 200);
    expect(refund.state).toBe('refunded');
    expect(mustSimOrder(till.sim, refund.outTradeNo).origssn).toBe(mustSimOrder(till.sim, id).syssn);
  });
});
