import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TIMING } from '../../../electron/till/timing';
import {
  closeAll,
  exchanges,
  mustSimOrder,
  refundFinalWithin,
  setFaults,
  simOrder,
  tillWithPaidSale,
  waitFor,
  type TestTill,
  type TestTillOptions,
} from './support';

// Issue 9 §3: a refund is never paid twice. A refund whose outcome is not
// known stays unknown — its amount reserved, another refund of the sale
// refused — until QFPay says it is done, refuses it before it ran, or still
// has no trace of it a whole processing window after it could last have
// received the request. The simulator's `commitAfterMs` runs a refund request
// that long after it arrived, whatever the till was told.

afterEach(closeAll);

/** Production timing for everything that decides "absent" (15 s client timeout, 5 min window); fast polling. */
const PRODUCTION_LIKE: TestTillOptions = {
  requestTimeoutMs: 15_000,
  timing: { notCreatedGraceMs: DEFAULT_TIMING.notCreatedGraceMs, refundProcessingWindowMs: DEFAULT_TIMING.refundProcessingWindowMs },
};

/** Waits until the till has asked QFPay twice more: a whole query step ran at the current clock. */
async function twoMoreQueries(till: TestTill): Promise<void> {
  const before = till.sim.requestCounts.query;
  await waitFor(() => till.sim.requestCounts.query >= before + 2, 2_500, 'two more queries');
}

function simRefundsOf(till: TestTill, saleId: string): number {
  const syssn = mustSimOrder(till.sim, saleId).syssn;
  return till.sim.orders().filter((o) => o.order_type === 'refund' && o.origssn === syssn).length;
}

async function startRefund(till: TestTill, saleId: string, amountMinor: number): Promise<{ id: string; state: string; respcd: string | null }> {
  const result = await till.engine.refund({ saleOutTradeNo: saleId, amountMinor });
  if (!result.ok) throw new Error(`refund refused: ${JSON.stringify(result.error)}`);
  return { id: result.value.outTradeNo, state: result.value.state, respcd: result.value.respcd };
}

/** While the first refund is unclear, the cashier's retry is refused and nothing more is reserved or sent. */
async function expectRetryRefused(till: TestTill, saleId: string, firstId: string, amountMinor: number): Promise<void> {
  const retry = await till.engine.refund({ saleOutTradeNo: saleId, amountMinor });
  expect(retry).toEqual({ ok: false, error: expect.objectContaining({ code: 'refund_open', outTradeNo: firstId }) });
  expect(till.journal.reservedRefundMinor(saleId)).toBe(amountMinor);
  expect(till.sim.requestCounts.refund).toBe(1);
}

describe('a refund QFPay runs after the till lost track of it is paid once', () => {
  it('answer lost, run 75 s later: unknown past the old 60 s grace, the retry refused, then refunded — one refund sent', async () => {
    const { till, saleId } = await tillWithPaidSale(1000, PRODUCTION_LIKE);
    setFaults(till.sim, { refund: { commitAfterMs: 75_000, count: 1 } });
    const first = await startRefund(till, saleId, 400);
    expect(first.state).toBe('unknown');

    // 61 s on: QFPay has no trace of it yet, and the till must not conclude anything.
    till.clock.advance(61_000);
    await twoMoreQueries(till);
    expect(till.engine.refundViewOf(first.id)!.state).toBe('unknown');
    expect(simOrder(till.sim, first.id)).toBeUndefined();
    await expectRetryRefused(till, saleId, first.id, 400);

    // QFPay runs it 75 s after it arrived: the next query finds it.
    till.clock.advance(14_500);
    const final = await refundFinalWithin(till, first.id);
    expect(final.state).toBe('refunded');
    expect(till.sim.requestCounts.refund).toBe(1);
    expect(simRefundsOf(till, saleId)).toBe(1);
    expect(mustSimOrder(till.sim, saleId).refundedMinor).toBe(400);
    expect(till.journal.sale(saleId)!.refundedMinor).toBe(400);
    expect(till.journal.refund(first.id)!.syssn).toBe(mustSimOrder(till.sim, first.id).syssn);
  });

  it.each([
    ['1254', 'system error'],
    ['1297', 'bank busy'],
    ['1100', 'maintenance'],
    ['1999', 'a code API.md does not list'],
  ])('answered %s (%s) and run 6 s later: unknown, confirmed by query, refunded once', async (respcd) => {
    const { till, saleId } = await tillWithPaidSale(1000, PRODUCTION_LIKE);
    setFaults(till.sim, { refund: { respcd, commitAfterMs: 6_000, count: 1 } });
    const first = await startRefund(till, saleId, 500);
    expect(first).toMatchObject({ state: 'unknown', respcd });
    await twoMoreQueries(till);
    await expectRetryRefused(till, saleId, first.id, 500);

    till.clock.advance(6_000);
    expect((await refundFinalWithin(till, first.id)).state).toBe('refunded');
    expect(till.sim.requestCounts.refund).toBe(1);
    expect(simRefundsOf(till, saleId)).toBe(1);
    expect(mustSimOrder(till.sim, saleId).refundedMinor).toBe(500);
    expect(till.journal.sale(saleId)!.refundedMinor).toBe(500);
  });

  it('the absent clock starts when the request left, after the budget wait, not when the row was written', async () => {
    // Window 400 ms, client timeout 200 ms; the budget holds the request back 1 s after the write-ahead.
    const { till, saleId } = await tillWithPaidSale(1000, { requestTimeoutMs: 200 });
    setFaults(till.sim, { refund: { commitAfterMs: 300, count: 1 } });
    till.engine.bucket.pause(1_000);
    const first = await startRefund(till, saleId, 300);
    expect(first.state).toBe('unknown');
    const final = await refundFinalWithin(till, first.id);
    expect(final.state).toBe('refunded');
    expect(till.sim.requestCounts.refund).toBe(1);
    expect(mustSimOrder(till.sim, saleId).refundedMinor).toBe(300);
  });
});

describe('only a definitive answer frees the amount', () => {
  it('request lost before QFPay saw it: unknown for the whole window after the last possible receipt, then failed, amount free', async () => {
    const { till, saleId } = await tillWithPaidSale(1000, PRODUCTION_LIKE);
    setFaults(till.sim, { refund: { dropRequest: true, count: 1 } });
    const first = await startRefund(till, saleId, 700);
    expect(first.state).toBe('unknown');

    // The window counts from when QFPay could last have received it (send + 15 s timeout), not from the answer.
    till.clock.advance(DEFAULT_TIMING.refundProcessingWindowMs);
    await twoMoreQueries(till);
    expect(till.engine.refundViewOf(first.id)!.state).toBe('unknown');
    await expectRetryRefused(till, saleId, first.id, 700);

    till.clock.advance(15_500);
    const final = await refundFinalWithin(till, first.id);
    expect(final.state).toBe('failed');
    expect(simOrder(till.sim, first.id)).toBeUndefined();
    expect(till.journal.reservedRefundMinor(saleId)).toBe(0);
    expect(till.journal.sale(saleId)!.refundedMinor).toBe(0);
    // The whole amount can be refunded again, once.
    const again = await startRefund(till, saleId, 1000);
    expect(again.state).toBe('refunded');
    expect(mustSimOrder(till.sim, saleId).refundedMinor).toBe(1000);
  });

  it.each([
    ['1104', 'parameter error'],
    ['1108', 'signature error'],
    ['1155', 'refund denied'],
    ['1272', 'more than refundable'],
  ])('answered %s (%s, refused before it ran): failed at once, nothing reserved, no query', async (respcd) => {
    const { till, saleId } = await tillWithPaidSale(1000, PRODUCTION_LIKE);
    setFaults(till.sim, { refund: { respcd, count: 1 } });
    const queries = till.sim.requestCounts.query;
    const first = await startRefund(till, saleId, 500);
    expect(first).toMatchObject({ state: 'failed', respcd });
    expect(till.journal.reservedRefundMinor(saleId)).toBe(0);
    expect(simOrder(till.sim, first.id)).toBeUndefined();
    expect(exchanges(till, first.id, 'query')).toEqual([]);
    expect(till.sim.requestCounts.query).toBe(queries);
  });

  it('an acknowledged 1145 carries a syssn: the refund is looked up by that syssn', async () => {
    const { till, saleId } = await tillWithPaidSale(1000);
    setFaults(till.sim, { refundSettleMs: 300 });
    const first = await startRefund(till, saleId, 1000);
    expect(first).toMatchObject({ state: 'unknown', respcd: '1145' });
    const syssn = till.journal.refund(first.id)!.syssn;
    expect(syssn).toBe(mustSimOrder(till.sim, first.id).syssn);
    expect((await refundFinalWithin(till, first.id)).state).toBe('refunded');
    const queries = exchanges(till, first.id, 'query');
    expect(queries.length).toBeGreaterThanOrEqual(1);
    for (const q of queries) expect(q.data.request).toMatchObject({ syssn });
  });
});
