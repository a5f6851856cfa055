import { afterEach, describe, expect, it } from 'vitest';
import { chargeShown, closeAll, exchanges, mustSimOrder, openTestTill, paidSale, setFaults, simOrder, statePath, waitFor } from './support';

// engine.stop() (the app quitting, Ctrl+C on the command line) waits for
// every loop to journal the answer it is waiting for, but must not sit out a
// rate-limit pause or a poll interval first: nothing is to be learnt there.

afterEach(closeAll);

async function timeToStop(close: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await close();
  return performance.now() - started;
}

describe('stop', () => {
  it('during a long 429 pause: returns at once, the sale left open for recovery', async () => {
    const till = await openTestTill({ timing: { backoffBaseMs: 4_000, backoffMaxMs: 4_000 } });
    await till.engine.recover();
    const shown = await chargeShown(till);
    setFaults(till.sim, { query: { httpStatus: 429 } });
    await waitFor(() => exchanges(till, shown.outTradeNo, 'query').some((e) => e.data.outcome === 'rate_limited'), 1_000, 'a 429');
    const queries = till.sim.requestCounts.query;

    expect(await timeToStop(() => till.engine.stop())).toBeLessThan(1_000);
    expect(till.sim.requestCounts.query).toBe(queries);
    // Nothing was invented: the sale is still open, for the next start to resolve.
    expect(statePath(till, shown.outTradeNo)).toEqual(['requesting', 'awaiting_scan']);
  });

  it('while a refund query is in flight: journals its answer, then returns without waiting out the poll interval', async () => {
    const till = await openTestTill({ timing: { refundPollMs: 4_000 } });
    await till.engine.recover();
    const sale = await paidSale(till, 1000);
    setFaults(till.sim, { refundSettleMs: 600_000, query: { delayMs: 150 } });
    const refund = await till.engine.refund({ saleOutTradeNo: sale.outTradeNo, amountMinor: 100 });
    expect(refund.ok && refund.value.state).toBe('unknown');
    const id = refund.ok ? refund.value.outTradeNo : '';
    const queries = till.sim.requestCounts.query;
    await waitFor(() => till.sim.requestCounts.query > queries, 1_000, 'a refund query in flight');

    expect(await timeToStop(() => till.engine.stop())).toBeLessThan(1_000);
    expect(exchanges(till, id, 'query').length).toBeGreaterThanOrEqual(1);
    expect(till.journal.refund(id)?.state).toBe('unknown');
  });

  it('a payment still waiting for a token when the till stops is never sent: the sale fails at once', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    till.engine.bucket.pause(10_000);
    const charged = await till.engine.charge({ amountMinor: 100, currency: 'HKD' });
    const id = charged.ok ? charged.value.outTradeNo : '';
    expect(await timeToStop(() => till.engine.stop())).toBeLessThan(1_000);
    expect(till.journal.sale(id)).toMatchObject({ state: 'failed', lastMessage: expect.stringContaining('stopped') });
    expect(simOrder(till.sim, id)).toBeUndefined();
    expect(till.sim.requestCounts.payment).toBe(0);
  });

  it('a refund still waiting for a token when the till stops is never sent: it fails, nothing refunded', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const sale = await paidSale(till, 1000);
    till.engine.bucket.pause(10_000);
    const refunding = till.engine.refund({ saleOutTradeNo: sale.outTradeNo, amountMinor: 100 });
    const id = await waitFor(() => till.journal.refundsOfSale(sale.outTradeNo)[0]?.outTradeNo, 1_000, 'the refund row');
    expect(await timeToStop(() => till.engine.stop())).toBeLessThan(1_000);
    expect((await refunding).ok).toBe(true);
    expect(till.journal.refund(id)).toMatchObject({ state: 'failed' });
    expect(till.journal.reservedRefundMinor(sale.outTradeNo)).toBe(0);
    expect(till.sim.requestCounts.refund).toBe(0);
  });

  it('a close still waiting for a token when the till stops is not sent: the sale stays cancelling for recovery', async () => {
    // 6 a minute, burst 1: the payment takes the only token, and the next comes ten seconds later.
    const till = await openTestTill({ budgetPerMinute: 6 });
    await till.engine.recover();
    const first = await till.engine.charge({ amountMinor: 100, currency: 'HKD' });
    const id = first.ok ? first.value.outTradeNo : '';
    await waitFor(() => till.journal.sale(id)?.state === 'awaiting_scan', 1_000, 'the first QR');
    await till.engine.cancel();
    expect(await timeToStop(() => till.engine.stop())).toBeLessThan(1_000);
    // The close never left (no token): the sale stays cancelling for recovery, QFPay untouched.
    expect(till.journal.sale(id)!.state).toBe('cancelling');
    expect(mustSimOrder(till.sim, id)).toMatchObject({ state: 'unpaid', closeRequests: 0 });
  });
});
