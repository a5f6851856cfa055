import { afterEach, describe, expect, it } from 'vitest';
import { clockAt, closeAll, exchanges, finalWithin, hk, mustSimOrder, openTestTill, reissuedShown, setFaults, simOrder, statePath, transitions, waitFor } from './support';

// Rule 2 and 3: a payment whose answer is lost is never sent again. The
// engine finds out by query; an order that exists without a QR on screen is
// closed (nobody can pay it here) and confirmed; one that never appears is
// closed-then-confirmed after the grace period. Then (issue 9, §2) the sale
// gets a fresh order with a new out_trade_no and its QR is shown: at most
// twice, then the sale fails with "cannot reach QFPay".

afterEach(closeAll);

async function chargeId(till: Awaited<ReturnType<typeof openTestTill>>, amountMinor = 1000): Promise<string> {
  await till.engine.recover();
  const result = await till.engine.charge({ amountMinor, currency: 'HKD' });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value.outTradeNo;
}

describe('payment answer lost after commit', () => {
  it('dropResponse: unknown, found by query without a QR, closed, then a fresh order whose QR the customer pays', async () => {
    const till = await openTestTill();
    setFaults(till.sim, { payment: { dropResponse: true, count: 1 } });
    const id = await chargeId(till);
    const fresh = await reissuedShown(till, id);

    expect(statePath(till, id)).toEqual(['requesting', 'unknown', 'cancelling', 'requesting', 'awaiting_scan']);
    expect(transitions(till, id).map((t) => t.reason)).toContain('order exists without a QR on screen');
    // The lost order is closed and kept under the sale; the fresh one has its own out_trade_no.
    const lost = mustSimOrder(till.sim, id);
    expect(lost).toMatchObject({ state: 'closed', paymentRequests: 1 });
    expect(till.journal.replacedOrders(id)).toEqual([expect.objectContaining({ orderNo: id, outcome: 'closed', syssn: lost.syssn })]);
    expect(fresh.orderNo).not.toBe(id);
    expect(mustSimOrder(till.sim, fresh.orderNo)).toMatchObject({ state: 'unpaid', paymentRequests: 1, qrcode: fresh.qrcode });
    // The cashier saw a short reconnect, never the lost order's QR.
    expect(till.views.filter((v) => v.outTradeNo === id).map((v) => v.activity)).toContain('reconnecting');
    expect(till.views.filter((v) => v.outTradeNo === id && v.qrcode !== null).every((v) => v.qrcode === fresh.qrcode)).toBe(true);

    till.sim.pay({ out_trade_no: fresh.orderNo });
    const final = await finalWithin(till, id);
    expect(final).toMatchObject({ state: 'paid', paidAfterCancel: false, syssn: mustSimOrder(till.sim, fresh.orderNo).syssn, reissues: 1 });
    // Exactly one order per out_trade_no at QFPay, one payment request each.
    const orders = till.sim.orders().filter((o) => o.out_trade_no === id || o.out_trade_no === fresh.orderNo);
    expect(orders.map((o) => [o.state, o.paymentRequests])).toEqual([
      ['closed', 1],
      ['paid', 1],
    ]);
    expect(till.sim.requestCounts.payment).toBe(2);
    // The fresh order's exchanges are in the sale's trail.
    expect(exchanges(till, id, 'payment')).toHaveLength(2);
  });

  it('delayMs beyond the client timeout: unknown (timeout), the late order is found and closed, never re-sent, then re-issued', async () => {
    // A generous grace period: the late order must be found, not given up on, even on a loaded machine.
    const till = await openTestTill({ requestTimeoutMs: 150, timing: { notCreatedGraceMs: 1_500 } });
    setFaults(till.sim, { payment: { delayMs: 300, count: 1 } });
    const id = await chargeId(till);
    await waitFor(() => till.journal.sale(id)?.state === 'unknown', 1_000, 'unknown after the timeout');
    expect(exchanges(till, id, 'payment')[0]!.data.outcome).toBe('unknown');

    const fresh = await reissuedShown(till, id);
    expect(transitions(till, id).map((t) => t.reason)).toContain('order exists without a QR on screen');
    expect(mustSimOrder(till.sim, id)).toMatchObject({ state: 'closed', paymentRequests: 1 });
    expect(mustSimOrder(till.sim, fresh.orderNo)).toMatchObject({ state: 'unpaid', paymentRequests: 1 });
  });

  it('every answer lost: two re-issues, then a clear failure ("cannot reach QFPay"), every order closed', async () => {
    const till = await openTestTill();
    setFaults(till.sim, { payment: { dropResponse: true, count: 3 } });
    const id = await chargeId(till);
    const final = await finalWithin(till, id, 5_000);

    expect(final).toMatchObject({ state: 'failed', cancelReason: 'no_qr', reissues: 2, qrcode: null });
    expect(till.journal.sale(id)!.lastMessage).toMatch(/cannot reach QFPay/);
    const orderNos = [...till.journal.replacedOrders(id).map((o) => o.orderNo), till.journal.sale(id)!.orderNo];
    expect(new Set(orderNos).size).toBe(3);
    for (const no of orderNos) expect(mustSimOrder(till.sim, no)).toMatchObject({ state: 'closed', paymentRequests: 1 });
    expect(till.views.filter((v) => v.outTradeNo === id).every((v) => v.qrcode === null)).toBe(true);
  });

  it('every request lost before it ran: two re-issues, then "cannot reach QFPay", nothing at QFPay', async () => {
    const till = await openTestTill();
    setFaults(till.sim, { payment: { dropRequest: true, count: 3 } });
    const id = await chargeId(till);
    const final = await finalWithin(till, id, 6_000);
    expect(final).toMatchObject({ state: 'failed', cancelReason: 'no_qr', reissues: 2 });
    expect(till.journal.sale(id)!.lastMessage).toMatch(/cannot reach QFPay/);
    expect(till.journal.replacedOrders(id).map((o) => o.outcome)).toEqual(['absent', 'absent']);
    expect(till.sim.orders()).toEqual([]);
  });

  it('a cashier cancel while reconnecting ends the sale cancelled: no fresh QR after it', async () => {
    const till = await openTestTill({ timing: { closeRetryMs: 300 } });
    setFaults(till.sim, { payment: { dropResponse: true, count: 1 }, close: { httpStatus: 503, count: 2 } });
    const id = await chargeId(till);
    await waitFor(() => till.engine.saleViewOf(id)?.activity === 'reconnecting', 1_500, 'reconnecting');
    expect((await till.engine.cancel(id)).ok).toBe(true);
    const final = await finalWithin(till, id);
    expect(final).toMatchObject({ state: 'cancelled', cancelReason: 'cashier', reissues: 0 });
    expect(till.sim.requestCounts.payment).toBe(1);
  });

  it('the customer paid (autoPay) before the engine resolved it: paid, not closed', async () => {
    const till = await openTestTill();
    setFaults(till.sim, { payment: { dropResponse: true, count: 1 }, autoPayAfterMs: 0 });
    const id = await chargeId(till);
    const final = await finalWithin(till, id);

    expect(final).toMatchObject({ state: 'paid', paidAfterCancel: false, cancelReason: null });
    expect(statePath(till, id)).toEqual(['requesting', 'unknown', 'paid']);
    expect(mustSimOrder(till.sim, id)).toMatchObject({ state: 'paid', paymentRequests: 1, closeRequests: 0 });
    expect(till.journal.sale(id)!.syssn).toBe(mustSimOrder(till.sim, id).syssn);
  });

  it('payment 5xx after commit (httpStatus 502 + commit): unknown, then resolved, one request', async () => {
    const till = await openTestTill();
    setFaults(till.sim, { payment: { httpStatus: 502, commit: true, count: 1 }, autoPayAfterMs: 0 });
    const id = await chargeId(till);
    const final = await finalWithin(till, id);
    expect(final.state).toBe('paid');
    expect(statePath(till, id)).toEqual(['requesting', 'unknown', 'paid']);
    expect(mustSimOrder(till.sim, id).paymentRequests).toBe(1);
  });

  it('a duplicate answer (1102) is unclear, not a failure: resolved by query, and the QR re-issued', async () => {
    const till = await openTestTill();
    setFaults(till.sim, { payment: { respcd: '1102', commit: true, count: 1 } });
    const id = await chargeId(till);
    const fresh = await reissuedShown(till, id);
    expect(statePath(till, id)).toEqual(['requesting', 'unknown', 'cancelling', 'requesting', 'awaiting_scan']);
    expect(mustSimOrder(till.sim, id)).toMatchObject({ state: 'closed', paymentRequests: 1 });
    expect(mustSimOrder(till.sim, fresh.orderNo)).toMatchObject({ state: 'unpaid', paymentRequests: 1 });
  });
});

describe('payment request lost before anything ran', () => {
  it('dropRequest: unknown, absent past the grace period, close-then-confirm, then a fresh order; nothing at QFPay for the first', async () => {
    const till = await openTestTill();
    setFaults(till.sim, { payment: { dropRequest: true, count: 1 } });
    const id = await chargeId(till);
    const fresh = await reissuedShown(till, id);

    expect(statePath(till, id)).toEqual(['requesting', 'unknown', 'cancelling', 'requesting', 'awaiting_scan']);
    const replaced = till.journal.replacedOrders(id);
    expect(replaced).toEqual([expect.objectContaining({ orderNo: id, outcome: 'absent', syssn: null })]);
    // It gave up no sooner than the grace period after the request.
    expect(replaced[0]!.replacedAtMs - till.journal.sale(id)!.createdAtMs).toBeGreaterThanOrEqual(400);
    expect(simOrder(till.sim, id)).toBeUndefined();
    expect(mustSimOrder(till.sim, fresh.orderNo)).toMatchObject({ state: 'unpaid', paymentRequests: 1 });
    expect(till.sim.requestCounts.payment).toBe(2);
    expect(exchanges(till, id, 'close').length).toBeGreaterThanOrEqual(1);
  });

  it('a cashier cancel while the answer is unknown, then the late order appears: closed, not left open', async () => {
    // The close answers 1136 (no such order yet); the delayed payment request
    // then creates the order. The engine must close it, not wait for its expiry.
    const till = await openTestTill({ requestTimeoutMs: 100, timing: { notCreatedGraceMs: 1_500 } });
    setFaults(till.sim, { payment: { delayMs: 250, count: 1 } });
    const id = await chargeId(till);
    await waitFor(() => till.journal.sale(id)?.state === 'unknown', 1_000, 'unknown');
    const cancelled = await till.engine.cancel(id);
    expect(cancelled.ok).toBe(true);
    await waitFor(() => simOrder(till.sim, id), 1_000, 'the late order');

    const final = await finalWithin(till, id);
    expect(final).toMatchObject({ state: 'cancelled', cancelReason: 'cashier' });
    expect(mustSimOrder(till.sim, id)).toMatchObject({ state: 'closed', paymentRequests: 1 });
  });
});

describe('month boundary', () => {
  it('an order made at 23:59:50 on the last day of the month is still found after midnight', async () => {
    const clock = clockAt(hk(2026, 11, 30, 23, 59, 50));
    const till = await openTestTill({ clock });
    // The payment's answer is lost and the customer pays at once; every query
    // fails until the clock has passed midnight into December.
    setFaults(till.sim, { payment: { dropResponse: true, count: 1 }, query: { dropRequest: true }, autoPayAfterMs: 0 });
    const id = await chargeId(till);
    await waitFor(() => till.journal.sale(id)?.state === 'unknown' && simOrder(till.sim, id), 1_000, 'unknown with the order made');
    expect(mustSimOrder(till.sim, id).sysdtm).toBe('2026-11-30 23:59:50');

    clock.advance(20_000);
    // Queries go one at a time: once two more have arrived, every later one was sent after midnight.
    const dropped = till.sim.requestCounts.query;
    await waitFor(() => till.sim.requestCounts.query >= dropped + 2, 1_000, 'queries after midnight');
    setFaults(till.sim, {});
    const final = await finalWithin(till, id);

    expect(final.state).toBe('paid');
    expect(till.journal.sale(id)!.txdtm).toBe('2026-11-30 23:59:50');
    // Found in November's range although the query was made in December.
    const answered = exchanges(till, id, 'query').filter((e) => e.data.respcd === '0000');
    expect(answered[0]!.data.request).toMatchObject({ start_time: '2026-11-01 00:00:00', end_time: '2026-11-30 23:59:59' });
    expect(answered[0]!.atMs).toBeGreaterThanOrEqual(hk(2026, 12, 1, 0));
    expect(mustSimOrder(till.sim, id)).toMatchObject({ state: 'paid', paymentRequests: 1, closeRequests: 0 });
  });

  it('an unpaid order made before midnight is found after it and closed (not "never created")', async () => {
    const clock = clockAt(hk(2026, 11, 30, 23, 59, 50));
    const till = await openTestTill({ clock });
    setFaults(till.sim, { payment: { dropResponse: true, count: 1 }, query: { dropRequest: true } });
    const id = await chargeId(till);
    await waitFor(() => till.journal.sale(id)?.state === 'unknown' && simOrder(till.sim, id), 1_000, 'unknown with the order made');
    clock.advance(20_000);
    setFaults(till.sim, {});
    await reissuedShown(till, id);

    const reasons = transitions(till, id).map((t) => t.reason);
    expect(reasons).toContain('order exists without a QR on screen');
    expect(reasons).not.toContain('order never created');
    expect(till.journal.replacedOrders(id)).toEqual([expect.objectContaining({ orderNo: id, outcome: 'closed' })]);
    expect(mustSimOrder(till.sim, id)).toMatchObject({ state: 'closed', paymentRequests: 1 });
  });
});
