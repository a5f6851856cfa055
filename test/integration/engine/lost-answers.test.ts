import { afterEach, describe, expect, it } from 'vitest';
import { clockAt, closeAll, exchanges, finalWithin, hk, mustSimOrder, openTestTill, setFaults, simOrder, statePath, transitions, waitFor } from './support';

// Rule 2 and 3: a payment whose answer is lost is never sent again. The
// engine finds out by query; an order that exists without a QR on screen is
// closed (nobody can pay it here) and confirmed; one that never appears is
// closed-then-confirmed after the grace period.

afterEach(closeAll);

async function chargeId(till: Awaited<ReturnType<typeof openTestTill>>, amountMinor = 1000): Promise<string> {
  await till.engine.recover();
  const result = await till.engine.charge({ amountMinor, currency: 'HKD' });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value.outTradeNo;
}

describe('payment answer lost after commit', () => {
  it('dropResponse: unknown, found by query without a QR, closed: failed (no_qr), one payment request', async () => {
    const till = await openTestTill();
    setFaults(till.sim, { payment: { dropResponse: true, count: 1 } });
    const id = await chargeId(till);
    const final = await finalWithin(till, id);

    expect(final).toMatchObject({ state: 'failed', cancelReason: 'no_qr', qrcode: null, paidAfterCancel: false });
    expect(statePath(till, id)).toEqual(['requesting', 'unknown', 'cancelling', 'failed']);
    expect(transitions(till, id).map((t) => t.reason)).toContain('order exists without a QR on screen');
    const order = mustSimOrder(till.sim, id);
    expect(order).toMatchObject({ state: 'closed', paymentRequests: 1 });
    expect(order.closeRequests).toBeGreaterThanOrEqual(1);
    expect(till.journal.sale(id)!.syssn).toBe(order.syssn);
    expect(till.sim.requestCounts.payment).toBe(1);
    // The QR was never shown: no view of this sale ever carried one.
    expect(till.views.filter((v) => v.outTradeNo === id).every((v) => v.qrcode === null)).toBe(true);
  });

  it('delayMs beyond the client timeout: unknown (timeout), the late order is found and closed, never re-sent', async () => {
    // A generous grace period: the late order must be found, not given up on, even on a loaded machine.
    const till = await openTestTill({ requestTimeoutMs: 150, timing: { notCreatedGraceMs: 1_500 } });
    setFaults(till.sim, { payment: { delayMs: 300, count: 1 } });
    const id = await chargeId(till);
    await waitFor(() => till.journal.sale(id)?.state === 'unknown', 1_000, 'unknown after the timeout');
    expect(exchanges(till, id, 'payment')[0]!.data.outcome).toBe('unknown');

    const final = await finalWithin(till, id);
    expect(final).toMatchObject({ state: 'failed', cancelReason: 'no_qr' });
    expect(transitions(till, id).map((t) => t.reason)).toContain('order exists without a QR on screen');
    expect(mustSimOrder(till.sim, id)).toMatchObject({ state: 'closed', paymentRequests: 1 });
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

  it('a duplicate answer (1102) is unclear, not a failure: resolved by query', async () => {
    const till = await openTestTill();
    setFaults(till.sim, { payment: { respcd: '1102', commit: true, count: 1 } });
    const id = await chargeId(till);
    const final = await finalWithin(till, id);
    expect(final).toMatchObject({ state: 'failed', cancelReason: 'no_qr' });
    expect(statePath(till, id)).toEqual(['requesting', 'unknown', 'cancelling', 'failed']);
    expect(mustSimOrder(till.sim, id)).toMatchObject({ state: 'closed', paymentRequests: 1 });
  });
});

describe('payment request lost before anything ran', () => {
  it('dropRequest: unknown, absent past the grace period, close-then-confirm: failed, no order at QFPay', async () => {
    const till = await openTestTill();
    setFaults(till.sim, { payment: { dropRequest: true, count: 1 } });
    const id = await chargeId(till);
    const final = await finalWithin(till, id);

    expect(final).toMatchObject({ state: 'failed', cancelReason: 'no_qr' });
    expect(statePath(till, id)).toEqual(['requesting', 'unknown', 'cancelling', 'failed']);
    const sale = till.journal.sale(id)!;
    // It gave up no sooner than the grace period after the request.
    expect(sale.finalAtMs! - sale.createdAtMs).toBeGreaterThanOrEqual(400);
    expect(sale.lastMessage).toMatch(/no such order/);
    expect(simOrder(till.sim, id)).toBeUndefined();
    expect(till.sim.requestCounts.payment).toBe(1);
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
    const final = await finalWithin(till, id);

    expect(final).toMatchObject({ state: 'failed', cancelReason: 'no_qr' });
    const reasons = transitions(till, id).map((t) => t.reason);
    expect(reasons).toContain('order exists without a QR on screen');
    expect(reasons).not.toContain('order never created');
    expect(mustSimOrder(till.sim, id)).toMatchObject({ state: 'closed', paymentRequests: 1 });
  });
});
