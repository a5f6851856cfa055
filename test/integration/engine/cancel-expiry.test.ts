import { afterEach, describe, expect, it } from 'vitest';
import type { SaleView } from '../../../shared/sale';
import { chargeShown, closeAll, exchanges, finalWithin, mustSimOrder, openTestTill, setFaults, statePath, transitions, waitFor, type TestTill } from './support';

// Rule 4 (cancel = close the order; a payment that races it wins, loudly) and
// rule 5 (at expiry, close and confirm; never a QR QFPay will not honour).

afterEach(closeAll);

async function readyTill(options: Parameters<typeof openTestTill>[0] = {}): Promise<TestTill> {
  const till = await openTestTill(options);
  await till.engine.recover();
  return till;
}

/** Once a sale was asked to cancel (or expired), no view of it may carry a QR again. */
function expectQrHiddenAfterCancel(views: readonly SaleView[], id: string): void {
  const mine = views.filter((v) => v.outTradeNo === id);
  const firstCancel = mine.findIndex((v) => v.state === 'cancelling' || v.state === 'expired' || v.cancelReason !== null);
  expect(firstCancel).toBeGreaterThanOrEqual(0);
  for (const view of mine.slice(firstCancel)) {
    expect(view.qrcode).toBeNull();
    expect(view.state).not.toBe('awaiting_scan');
  }
  for (const view of mine) if (view.state === 'cancelling' || view.state === 'cancelled' || view.state === 'expired') expect(view.qrcode).toBeNull();
}

describe('cancel', () => {
  it('an unpaid sale is closed at QFPay and ends cancelled', async () => {
    const till = await readyTill();
    const shown = await chargeShown(till);
    const result = await till.engine.cancel();
    expect(result.ok && result.value).toMatchObject({ state: 'cancelling', qrcode: null, cancelReason: 'cashier' });
    const final = await finalWithin(till, shown.outTradeNo);

    expect(final).toMatchObject({ state: 'cancelled', cancelReason: 'cashier', paidAfterCancel: false, qrcode: null });
    expect(statePath(till, shown.outTradeNo)).toEqual(['requesting', 'awaiting_scan', 'cancelling', 'cancelled']);
    const order = mustSimOrder(till.sim, shown.outTradeNo);
    expect(order.state).toBe('closed');
    expect(order.closeRequests).toBeGreaterThanOrEqual(1);
    expect(order.paymentRequests).toBe(1);
    expectQrHiddenAfterCancel(till.views, shown.outTradeNo);
  });

  it('the customer paid just before the cancel: the sale is paid, flagged paidAfterCancel', async () => {
    const till = await readyTill();
    const shown = await chargeShown(till);
    // Same tick: the engine cannot have seen the payment before the cancel is committed.
    expect(till.sim.pay({ out_trade_no: shown.outTradeNo }).ok).toBe(true);
    const result = await till.engine.cancel(shown.outTradeNo);
    expect(result.ok).toBe(true);
    const final = await finalWithin(till, shown.outTradeNo);

    expect(final).toMatchObject({ state: 'paid', paidAfterCancel: true, cancelReason: 'cashier', qrcode: null });
    expect(mustSimOrder(till.sim, shown.outTradeNo)).toMatchObject({ state: 'paid', paymentRequests: 1 });
    expect(till.journal.sale(shown.outTradeNo)!.paidAfterCancel).toBe(true);
    expectQrHiddenAfterCancel(till.views, shown.outTradeNo);
  });

  it('close refused (1150 twice), then the customer pays: paid with paidAfterCancel, QR hidden meanwhile', async () => {
    const till = await readyTill();
    const shown = await chargeShown(till);
    setFaults(till.sim, { close: { respcd: '1150', count: 2 } });
    await till.engine.cancel();
    await waitFor(() => till.sim.requestCounts.close >= 1, 1_000, 'a refused close');
    expect(till.journal.sale(shown.outTradeNo)!.state).toBe('cancelling');
    till.sim.pay({ out_trade_no: shown.outTradeNo });
    const final = await finalWithin(till, shown.outTradeNo);

    expect(final).toMatchObject({ state: 'paid', paidAfterCancel: true });
    expect(mustSimOrder(till.sim, shown.outTradeNo).state).toBe('paid');
    expect(exchanges(till, shown.outTradeNo, 'close')[0]!.data.respcd).toBe('1150');
    expectQrHiddenAfterCancel(till.views, shown.outTradeNo);
  });

  it('close refused (1150 twice), then accepted on retry: cancelled', async () => {
    const till = await readyTill();
    const shown = await chargeShown(till);
    setFaults(till.sim, { close: { respcd: '1150', count: 2 } });
    await till.engine.cancel();
    const final = await finalWithin(till, shown.outTradeNo);

    expect(final.state).toBe('cancelled');
    expect(exchanges(till, shown.outTradeNo, 'close').map((e) => e.data.respcd)).toEqual(['1150', '1150', '0000']);
    // The injected refusals never reached the order; the third close did.
    expect(mustSimOrder(till.sim, shown.outTradeNo)).toMatchObject({ state: 'closed', closeRequests: 1 });
    expect(till.sim.requestCounts.close).toBe(3);
    const closes = exchanges(till, shown.outTradeNo, 'close').map((e) => e.atMs);
    // Retries are paced by closeRetryMs (100 ms), not hammered.
    expect(closes[1]! - closes[0]!).toBeGreaterThanOrEqual(100);
    expectQrHiddenAfterCancel(till.views, shown.outTradeNo);
  });

  it('close answer lost (dropResponse): the query confirms the close, cancelled', async () => {
    const till = await readyTill();
    const shown = await chargeShown(till);
    setFaults(till.sim, { close: { dropResponse: true, count: 1 } });
    await till.engine.cancel();
    const final = await finalWithin(till, shown.outTradeNo);

    expect(final.state).toBe('cancelled');
    expect(exchanges(till, shown.outTradeNo, 'close')[0]!.data.outcome).toBe('unknown');
    expect(mustSimOrder(till.sim, shown.outTradeNo)).toMatchObject({ state: 'closed', closeRequests: 1, paymentRequests: 1 });
    expectQrHiddenAfterCancel(till.views, shown.outTradeNo);
  });

  it('close says "already paid" (1260) while the query cannot see the order yet: stays cancelling, never failed', async () => {
    const till = await readyTill();
    const shown = await chargeShown(till);
    till.sim.pay({ out_trade_no: shown.outTradeNo });
    // Queries answer 0000 with no data (QFPay's index lagging), past the grace period.
    setFaults(till.sim, { query: { respcd: '0000' } });
    await till.engine.cancel();
    await waitFor(() => exchanges(till, shown.outTradeNo, 'close').length >= 1, 1_000, 'the close');
    till.clock.advance(1_000);
    const queries = till.sim.requestCounts.query;
    await waitFor(() => till.sim.requestCounts.query >= queries + 3 || till.engine.saleViewOf(shown.outTradeNo)!.state !== 'cancelling', 1_000, 'more confirming queries');
    expect(till.journal.sale(shown.outTradeNo)!.state).toBe('cancelling');
    expect(exchanges(till, shown.outTradeNo, 'close')[0]!.data.respcd).toBe('1260');
    setFaults(till.sim, {});
    const final = await finalWithin(till, shown.outTradeNo);
    expect(final).toMatchObject({ state: 'paid', paidAfterCancel: true });
  });

  it('a cashier cancel while the order is still being created: no QR is ever shown, then closed', async () => {
    const till = await readyTill();
    setFaults(till.sim, { payment: { delayMs: 100, count: 1 } });
    const charged = await till.engine.charge({ amountMinor: 800, currency: 'HKD' });
    if (!charged.ok) throw new Error('charge refused');
    const id = charged.value.outTradeNo;
    const result = await till.engine.cancel(id);
    expect(result.ok && result.value).toMatchObject({ state: 'requesting', cancelReason: 'cashier' });
    const final = await finalWithin(till, id);

    expect(final.state).toBe('cancelled');
    expect(statePath(till, id)).toEqual(['requesting', 'cancelling', 'cancelled']);
    expect(till.views.filter((v) => v.outTradeNo === id).every((v) => v.qrcode === null)).toBe(true);
    expect(mustSimOrder(till.sim, id)).toMatchObject({ state: 'closed', paymentRequests: 1 });
  });

  it('cancel of a sale already final is refused and sends nothing', async () => {
    const till = await readyTill();
    const shown = await chargeShown(till);
    await till.engine.cancel();
    await finalWithin(till, shown.outTradeNo);
    const closes = till.sim.requestCounts.close;
    const again = await till.engine.cancel(shown.outTradeNo);
    expect(again.ok === false && again.error.code).toBe('not_cancellable');
    const none = await till.engine.cancel();
    // With no id and nothing open, there is nothing to cancel.
    expect(none.ok === false && none.error.code).toBe('not_found');
    expect(till.sim.requestCounts.close).toBe(closes);
  });
});

describe('expiry', () => {
  it('past expired_time the engine hides the QR, closes, and the sale ends expired', async () => {
    const till = await readyTill();
    const shown = await chargeShown(till, 1000, { expiredMinutes: 5 });
    till.clock.advance(5 * 60_000 + 1_000);
    const final = await finalWithin(till, shown.outTradeNo);

    // Either the engine saw its own deadline first (close, then confirm) or a poll
    // already in flight brought QFPay's 1181: both end expired with the QR gone.
    expect(final).toMatchObject({ state: 'expired', qrcode: null, expiresAtMs: null, paidAfterCancel: false });
    expect(statePath(till, shown.outTradeNo).at(-1)).toBe('expired');
    expect(mustSimOrder(till.sim, shown.outTradeNo)).toMatchObject({ state: 'expired', paymentRequests: 1 });
    expectQrHiddenAfterCancel(till.views, shown.outTradeNo);
  });

  it("the till's deadline comes first (it counts from before the request left): it closes the order, sale expired", async () => {
    const till = await readyTill();
    // QFPay creates the order 300 ms after the write-ahead, so its expiry is 300 ms later than the till's.
    setFaults(till.sim, { payment: { delayMs: 300, count: 1 } });
    const shown = await chargeShown(till, 1000, { expiredMinutes: 5 });
    const sale = till.journal.sale(shown.outTradeNo)!;
    expect(mustSimOrder(till.sim, shown.outTradeNo).expiresAtMs! - sale.expiresAtMs).toBeGreaterThanOrEqual(300);
    till.clock.advance(sale.expiresAtMs - till.clock.now());
    const final = await finalWithin(till, shown.outTradeNo);

    expect(final).toMatchObject({ state: 'expired', cancelReason: 'expiry', qrcode: null });
    expect(statePath(till, shown.outTradeNo)).toEqual(['requesting', 'awaiting_scan', 'cancelling', 'expired']);
    expect(mustSimOrder(till.sim, shown.outTradeNo)).toMatchObject({ state: 'closed', closeRequests: 1 });
    expectQrHiddenAfterCancel(till.views, shown.outTradeNo);
  });

  it('paid exactly at expiry: the payment wins', async () => {
    const till = await readyTill();
    // The "customer" pays 1 ms before QFPay's expiry; the clock then jumps past it.
    setFaults(till.sim, { autoPayAfterMs: 5 * 60_000 - 1 });
    const shown = await chargeShown(till, 1000, { expiredMinutes: 5 });
    till.clock.advance(5 * 60_000 + 1_000);
    const final = await finalWithin(till, shown.outTradeNo);

    expect(final.state).toBe('paid');
    expect(mustSimOrder(till.sim, shown.outTradeNo)).toMatchObject({ state: 'paid', paymentRequests: 1 });
    expect(till.journal.sale(shown.outTradeNo)!.syssn).toBe(mustSimOrder(till.sim, shown.outTradeNo).syssn);
  });

  it('paid in the same instant the clock passes expiry, before the engine looks: paid', async () => {
    const till = await readyTill();
    const shown = await chargeShown(till, 1000, { expiredMinutes: 5 });
    till.sim.pay({ out_trade_no: shown.outTradeNo });
    till.clock.advance(5 * 60_000 + 1_000);
    const final = await finalWithin(till, shown.outTradeNo);
    expect(final.state).toBe('paid');
    expect(mustSimOrder(till.sim, shown.outTradeNo).state).toBe('paid');
    // Whatever path it took (poll, or close → 1260 → query), it was never shown expired.
    expect(transitions(till, shown.outTradeNo).map((t) => t.to)).not.toContain('expired');
  });
});
