import { afterEach, describe, expect, it } from 'vitest';
import { chargeShown, closeAll, exchanges, finalWithin, mustSimOrder, openTestTill, paidSale, setFaults, statePath, totalRequests } from './support';

// Rule 3 (in progress and unanswered are not failures) and rule 7 (every
// call inside the till's budget; 429 backs off).

afterEach(closeAll);

describe('in progress (1145)', () => {
  it('1145 for 30 queries while the customer pays: activity customer_paying, then paid', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const shown = await chargeShown(till);
    setFaults(till.sim, { inProgressQueries: 30 });
    till.sim.pay({ out_trade_no: shown.outTradeNo });
    const final = await finalWithin(till, shown.outTradeNo);

    expect(final.state).toBe('paid');
    const mine = till.views.filter((v) => v.outTradeNo === shown.outTradeNo);
    expect(mine.some((v) => v.state === 'awaiting_scan' && v.activity === 'customer_paying' && v.qrcode !== null)).toBe(true);
    const queryCodes = exchanges(till, shown.outTradeNo, 'query').map((e) => (e.data.response as string).match(/"respcd":"(\d{4})","errmsg"/)?.[1]);
    expect(queryCodes.filter((c) => c === '1145').length).toBeGreaterThanOrEqual(30);
    expect(statePath(till, shown.outTradeNo)).toEqual(['requesting', 'awaiting_scan', 'paid']);
    expect(mustSimOrder(till.sim, shown.outTradeNo)).toMatchObject({ state: 'paid', paymentRequests: 1, closeRequests: 0 });
  });
});

describe('HTTP 429 storm', () => {
  it('20 queries answered 429: the engine backs off exponentially, invents no state, and ends paid', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const shown = await chargeShown(till);
    setFaults(till.sim, { query: { httpStatus: 429, count: 20 } });
    till.sim.pay({ out_trade_no: shown.outTradeNo });
    const final = await finalWithin(till, shown.outTradeNo, 4_000);

    expect(final.state).toBe('paid');
    // No invented state: the 429s were neither "failed" nor "unknown".
    expect(statePath(till, shown.outTradeNo)).toEqual(['requesting', 'awaiting_scan', 'paid']);
    const queries = exchanges(till, shown.outTradeNo, 'query');
    const limited = queries.filter((e) => e.data.outcome === 'rate_limited');
    expect(limited).toHaveLength(20);
    // Backoff: base 20 ms doubling to a 100 ms ceiling, each wait at least half its ceiling
    // (10 + 20 + 40 + 17 × 50 = 920 ms at the very least for 20 refusals).
    const firstLimited = limited[0]!.atMs;
    const firstAnswer = queries.find((e) => e.atMs > firstLimited && e.data.outcome === 'answered')!;
    expect(firstAnswer.atMs - firstLimited).toBeGreaterThanOrEqual(900);
    const gaps = limited.slice(1).map((e, i) => e.atMs - limited[i]!.atMs);
    expect(Math.min(...gaps.slice(3))).toBeGreaterThanOrEqual(45);
    expect(mustSimOrder(till.sim, shown.outTradeNo)).toMatchObject({ state: 'paid', paymentRequests: 1, closeRequests: 0 });
    expect(till.sim.requestCounts.payment).toBe(1);
  });

  it('a 429 on the payment itself: the order was not created, the sale fails, nothing at QFPay', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    setFaults(till.sim, { payment: { httpStatus: 429, count: 1 } });
    const charged = await till.engine.charge({ amountMinor: 1000, currency: 'HKD' });
    if (!charged.ok) throw new Error('charge refused');
    const final = await finalWithin(till, charged.value.outTradeNo);
    expect(final).toMatchObject({ state: 'failed', respcd: 'HTTP_429' });
    expect(till.sim.orders()).toHaveLength(0);
    expect(till.sim.requestCounts.query).toBe(0);
  });
});

describe('429 on close and refund', () => {
  it('a 429 on the close pauses the till within the configured backoff, then the close is confirmed', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const shown = await chargeShown(till);
    setFaults(till.sim, { close: { httpStatus: 429, count: 1 } });
    await till.engine.cancel();
    const final = await finalWithin(till, shown.outTradeNo);

    expect(final.state).toBe('cancelled');
    const after = till.journal.events(shown.outTradeNo).filter((e) => e.kind === 'exchange');
    const limited = after.findIndex((e) => e.data.endpoint === 'close' && e.data.outcome === 'rate_limited');
    expect(limited).toBeGreaterThanOrEqual(0);
    // The pause follows the till's timing (backoff ceiling 100 ms), not a hard-coded second.
    const next = after[limited + 1]!;
    expect(next.atMs - after[limited]!.atMs).toBeLessThan(300);
    expect(mustSimOrder(till.sim, shown.outTradeNo)).toMatchObject({ state: 'closed', closeRequests: 1 });
  });

  it('a 429 on the refund: nothing refunded, the refund fails, and the till pauses within the configured backoff', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const sale = await paidSale(till, 1000);
    setFaults(till.sim, { refund: { httpStatus: 429, count: 1 } });
    const refund = await till.engine.refund({ saleOutTradeNo: sale.outTradeNo, amountMinor: 300 });
    expect(refund.ok && refund.value).toMatchObject({ state: 'failed', respcd: 'HTTP_429' });
    expect(till.journal.sale(sale.outTradeNo)!.refundedMinor).toBe(0);
    const started = performance.now();
    const next = await till.engine.refund({ saleOutTradeNo: sale.outTradeNo, amountMinor: 300 });
    expect(next.ok && next.value.state).toBe('refunded');
    expect(performance.now() - started).toBeLessThan(300);
  });
});

describe('budget', () => {
  it('a sale awaiting scan and a refund being resolved share 2 requests/s: growth ≤ burst + 2 × seconds + 1', async () => {
    const till = await openTestTill({ budgetPerMinute: 120 });
    await till.engine.recover();
    const first = await paidSale(till, 1000);
    // The refund stays pending at QFPay (1145) and is queried until it settles.
    setFaults(till.sim, { refundSettleMs: 600_000 });
    const refund = await till.engine.refund({ saleOutTradeNo: first.outTradeNo, amountMinor: 400 });
    expect(refund.ok && refund.value.state).toBe('unknown');
    const second = await chargeShown(till, 700);

    const burst = 5; // min(5, 120 / 20)
    const startCount = totalRequests(till.sim);
    const startMs = performance.now();
    await new Promise((resolve) => setTimeout(resolve, 3_000)); // a measuring window: wall time is the point here
    const seconds = (performance.now() - startMs) / 1000;
    const grown = totalRequests(till.sim) - startCount;

    expect(grown).toBeLessThanOrEqual(burst + 2 * seconds + 1);
    // Both loops were busy (the refund alone would ask 25 times a second): the bucket did the limiting.
    expect(grown).toBeGreaterThanOrEqual(2 * seconds - 2);
    expect(till.sim.requestCounts.rate_limited).toBe(0);
    expect(till.engine.saleViewOf(second.outTradeNo)!.state).toBe('awaiting_scan');
    expect(till.engine.refundViewOf(refund.ok ? refund.value.outTradeNo : '')!.state).toBe('unknown');
    const saleQueries = exchanges(till, second.outTradeNo, 'query').length;
    const refundQueries = exchanges(till, refund.ok ? refund.value.outTradeNo : '', 'query').length;
    // Neither starves the other.
    expect(saleQueries).toBeGreaterThanOrEqual(3);
    expect(refundQueries).toBeGreaterThanOrEqual(3);
  });
});
