import { afterEach, describe, expect, it } from 'vitest';
import { closeAll, chargeShown, finalWithin, mustSimOrder, openTestTill, reissuedShown, setFaults, simOrder, statePath, transitions, waitFor, type TestTill } from './support';

// Issue 9, §1: a sale ends only on a definitive answer from QFPay — paid,
// closed (confirmed), or expired. A declined attempt on an open order, a
// 0000 that was reversed, an answer in a shape the till cannot read, an
// answer for another order: none of them ends a sale, and none lets a cancel
// conclude "nothing was charged".

afterEach(closeAll);

const activities = (till: TestTill, id: string) => till.views.filter((v) => v.outTradeNo === id).map((v) => v.activity);

describe('a failure code on an open order is not the end of it', () => {
  it.each(['1201', '1297', '1100', '1254', '9876'])('%s seen on the query, then the customer pays the same QR: paid', async (respcd) => {
    const till = await openTestTill();
    await till.engine.recover();
    const shown = await chargeShown(till);
    setFaults(till.sim, { openRespcd: { respcd, count: 4 } });
    await waitFor(() => till.engine.saleViewOf(shown.outTradeNo)?.activity === 'declined', 1_500, 'declined shown');
    expect(till.journal.sale(shown.outTradeNo)).toMatchObject({ state: 'awaiting_scan', lastRespcd: respcd });
    // The customer tries another card: the order was open all along.
    till.sim.pay({ out_trade_no: shown.outTradeNo });
    const final = await finalWithin(till, shown.outTradeNo);
    expect(final).toMatchObject({ state: 'paid', paidAfterCancel: false });
    expect(statePath(till, shown.outTradeNo)).toEqual(['requesting', 'awaiting_scan', 'paid']);
  });

  it('a declined order the cashier gives up on is closed and the close confirmed', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const shown = await chargeShown(till);
    till.sim.fail({ out_trade_no: shown.outTradeNo }, '1201');
    await waitFor(() => till.engine.saleViewOf(shown.outTradeNo)?.activity === 'declined', 1_500, 'declined shown');
    expect((await till.engine.cancel(shown.outTradeNo)).ok).toBe(true);
    const final = await finalWithin(till, shown.outTradeNo);
    expect(final).toMatchObject({ state: 'cancelled', cancelReason: 'cashier' });
    expect(mustSimOrder(till.sim, shown.outTradeNo).state).toBe('closed');
  });
});

describe('0000 with cancel 1 or 2 is not paid', () => {
  it('a cancelled order QFPay reports as 0000 + cancel 2 ends cancelled, not paid', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    setFaults(till.sim, { closedAsPaidCancel: true });
    const shown = await chargeShown(till);
    expect((await till.engine.cancel(shown.outTradeNo)).ok).toBe(true);
    const final = await finalWithin(till, shown.outTradeNo);
    expect(final).toMatchObject({ state: 'cancelled', paidAfterCancel: false, paidAtMs: null });
    expect(mustSimOrder(till.sim, shown.outTradeNo).state).toBe('closed');
  });

  it('an order closed outside the till, reported as 0000 + cancel 2 on the poll: cancelled', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    setFaults(till.sim, { closedAsPaidCancel: true });
    const shown = await chargeShown(till);
    // Closed from the merchant portal (another client).
    const client = till.client;
    await client.close({ out_trade_no: shown.outTradeNo, txamt: shown.amountMinor });
    const final = await finalWithin(till, shown.outTradeNo);
    expect(final).toMatchObject({ state: 'cancelled', paidAtMs: null });
  });
});

describe('query answers in other shapes', () => {
  it.each(['object', 'string'] as const)('data as %s: the paid record is read, the sale ends paid', async (shape) => {
    const till = await openTestTill();
    await till.engine.recover();
    const shown = await chargeShown(till);
    setFaults(till.sim, { queryShape: { shape, count: 1_000 } });
    till.sim.pay({ out_trade_no: shown.outTradeNo });
    const final = await finalWithin(till, shown.outTradeNo);
    expect(final.state).toBe('paid');
  });

  it('records without respcd are unknown: a cancel whose close was lost waits, then finds the payment (never "nothing charged")', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const shown = await chargeShown(till);
    const id = shown.outTradeNo;
    setFaults(till.sim, { queryShape: { shape: 'no_respcd', count: 1_000 }, close: { dropRequest: true } });
    till.sim.pay({ out_trade_no: id });
    expect((await till.engine.cancel(id)).ok).toBe(true);
    // Well past the grace period: the sale is still open (parked), never "cancelled".
    await waitFor(() => till.engine.saleViewOf(id)?.parked === true, 1_500, 'parked');
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(till.journal.sale(id)!.state).toBe('cancelling');
    setFaults(till.sim, {});
    const final = await finalWithin(till, id);
    expect(final).toMatchObject({ state: 'paid', paidAfterCancel: true });
  });

  it('data in an unreadable shape never makes an unknown payment "never created"', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    setFaults(till.sim, { payment: { dropResponse: true, count: 1 }, queryShape: { shape: 'no_respcd', count: 1_000 }, autoPayAfterMs: 0 });
    const charged = await till.engine.charge({ amountMinor: 1000, currency: 'HKD' });
    const id = charged.ok ? charged.value.outTradeNo : '';
    await new Promise((resolve) => setTimeout(resolve, 800));
    expect(till.journal.sale(id)!.state).toBe('unknown');
    expect(transitions(till, id).map((t) => t.reason)).not.toContain('order never created');
    setFaults(till.sim, {});
    expect((await finalWithin(till, id)).state).toBe('paid');
  });
});

describe('several records for one order', () => {
  it('a failed attempt listed before the paid record: the paid record decides', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    setFaults(till.sim, { payment: { dropResponse: true, count: 1 }, autoPayAfterMs: 0, failedAttemptListed: true });
    const charged = await till.engine.charge({ amountMinor: 1000, currency: 'HKD' });
    const id = charged.ok ? charged.value.outTradeNo : '';
    const final = await finalWithin(till, id);
    expect(final).toMatchObject({ state: 'paid', syssn: mustSimOrder(till.sim, id).syssn });
  });
});

describe('the payment answer is checked against the request', () => {
  it("an answer naming another order (another till's paid HK$1.00) is unknown: our own order is found, closed, and re-issued", async () => {
    const till = await openTestTill();
    await till.engine.recover();
    setFaults(till.sim, { paymentWrongOrder: 1 });
    const charged = await till.engine.charge({ amountMinor: 10_000, currency: 'HKD' });
    const id = charged.ok ? charged.value.outTradeNo : '';
    const fresh = await reissuedShown(till, id);
    expect(transitions(till, id).map((t) => t.reason)).toContain('payment answer for another order');
    // The other order's QR was never shown; the sale was never paid by it.
    expect(till.views.filter((v) => v.outTradeNo === id && v.qrcode !== null).every((v) => v.qrcode === fresh.qrcode)).toBe(true);
    expect(mustSimOrder(till.sim, id)).toMatchObject({ state: 'closed', txamt: 10_000 });
    till.sim.pay({ out_trade_no: fresh.orderNo });
    expect(await finalWithin(till, id)).toMatchObject({ state: 'paid', amountMinor: 10_000 });
  });
});

describe('429 with a long Retry-After', () => {
  it('Retry-After: 120 holds the till no longer than the cap; the cashier sees "busy"; the payment is found', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const shown = await chargeShown(till);
    setFaults(till.sim, { query: { httpStatus: 429, retryAfterS: 120, count: 1 } });
    await waitFor(() => activities(till, shown.outTradeNo).includes('busy'), 1_000, 'busy shown');
    till.sim.pay({ out_trade_no: shown.outTradeNo });
    // maxServerWaitMs is 300 ms here: well inside the 2.5 s bound, never 120 s.
    expect((await finalWithin(till, shown.outTradeNo)).state).toBe('paid');
  });
});

describe('durations on a monotonic clock', () => {
  it('the wall clock stepped back an hour does not stretch the "never created" grace period', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    setFaults(till.sim, { payment: { dropRequest: true, count: 1 } });
    const charged = await till.engine.charge({ amountMinor: 1000, currency: 'HKD' });
    const id = charged.ok ? charged.value.outTradeNo : '';
    await waitFor(() => till.journal.sale(id)?.state === 'unknown', 1_000, 'unknown');
    till.clock.stepWall(-3_600_000);
    // Given up after the 400 ms grace and re-issued, not an hour later.
    await reissuedShown(till, id);
    expect(simOrder(till.sim, id)).toBeUndefined();
  });

  it('the wall clock stepped forward an hour does not expire a fresh QR', async () => {
    const { clockAt, NOON, startExternalSimulator } = await import('./support');
    const simClock = clockAt(NOON);
    const sim = await startExternalSimulator(simClock);
    const till = await openTestTill({ external: sim });
    await till.engine.recover();
    const shown = await chargeShown(till);
    till.clock.stepWall(3_600_000);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(till.journal.sale(shown.outTradeNo)!.state).toBe('awaiting_scan');
    sim.pay({ out_trade_no: shown.outTradeNo });
    expect((await finalWithin(till, shown.outTradeNo)).state).toBe('paid');
  });
});
