import { afterEach, describe, expect, it } from 'vitest';
import type { SaleView } from '../../../shared/sale';
import { chargeShown, closeAll, finalWithin, mustSimOrder, openTestTill, setFaults, startExternalSimulator, tempDir, waitFor, clockAt, NOON } from './support';

// DESIGN.md rules 2 and 6 (issue 9): a sale the cashier cancelled that QFPay
// has not confirmed within a few seconds is parked — its QR never shown
// again, settled in the background, listed — and the next customer is
// served. The same for what start-up recovery cannot settle. An order that
// exists is never called "nothing charged" before QFPay says closed or it
// has expired.

afterEach(closeAll);

describe('a cancel QFPay does not confirm', () => {
  it('close accepted without effect (query still 1143): parked, listed, the next charge is taken; settled once the close works', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const lists: SaleView[][] = [];
    till.engine.onParked((list) => lists.push(list));
    const shown = await chargeShown(till);
    const id = shown.outTradeNo;
    setFaults(till.sim, { closeNoEffect: 1_000 });
    expect((await till.engine.cancel(id)).ok).toBe(true);

    await waitFor(() => till.engine.saleViewOf(id)?.parked, 1_500, 'parked');
    const parked = till.engine.saleViewOf(id)!;
    expect(parked).toMatchObject({ state: 'cancelling', activity: 'parked', qrcode: null, expiresAtMs: null });
    expect(till.engine.parkedSales().map((s) => s.outTradeNo)).toEqual([id]);
    expect(lists.at(-1)!.map((s) => s.outTradeNo)).toEqual([id]);
    expect(mustSimOrder(till.sim, id).state).toBe('unpaid');
    // The next customer is served while the parked sale is settled in the background.
    const next = await till.engine.charge({ amountMinor: 2000, currency: 'HKD' });
    expect(next.ok).toBe(true);
    expect(till.engine.currentSale()!.outTradeNo).toBe(next.ok ? next.value.outTradeNo : '');

    setFaults(till.sim, {});
    const final = await finalWithin(till, id);
    expect(final).toMatchObject({ state: 'cancelled', paidAfterCancel: false });
    expect(mustSimOrder(till.sim, id).state).toBe('closed');
    expect(till.engine.parkedSales()).toEqual([]);
    expect(lists.at(-1)).toEqual([]);
  });

  it('a parked sale is not in the way of a cash sale either (issue 13)', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const shown = await chargeShown(till);
    const id = shown.outTradeNo;
    setFaults(till.sim, { closeNoEffect: 1_000 });
    expect((await till.engine.cancel(id)).ok).toBe(true);
    await waitFor(() => till.engine.saleViewOf(id)?.parked, 1_500, 'parked');
    const cash = till.engine.chargeCash({ amountMinor: 1230, currency: 'HKD', tenderedMinor: 2000, openingFloatMinor: 0 });
    expect(cash).toMatchObject({ ok: true, value: { state: 'paid', cash: { tenderedMinor: 2000, changeMinor: 770 } } });
    expect(till.engine.parkedSales().map((s) => s.outTradeNo)).toEqual([id]);
    setFaults(till.sim, {});
    expect(await finalWithin(till, id)).toMatchObject({ state: 'cancelled', paidAfterCancel: false });
  });

  it('a parked sale the customer pays after all is paid, flagged paid-after-cancel', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const shown = await chargeShown(till);
    const id = shown.outTradeNo;
    setFaults(till.sim, { closeNoEffect: 1_000 });
    await till.engine.cancel(id);
    await waitFor(() => till.engine.saleViewOf(id)?.parked, 1_500, 'parked');
    till.sim.pay({ out_trade_no: id });
    expect(await finalWithin(till, id)).toMatchObject({ state: 'paid', paidAfterCancel: true });
  });

  it('close answer lost and the paid order not yet in the query: never "nothing charged"; found paid once QFPay catches up', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const shown = await chargeShown(till);
    const id = shown.outTradeNo;
    till.sim.pay({ out_trade_no: id });
    setFaults(till.sim, { close: { dropRequest: true }, queryHides: 1_000 });
    await till.engine.cancel(id);
    // Far past the 400 ms grace period: the order exists (it had a syssn and a QR), so absence proves nothing.
    await new Promise((resolve) => setTimeout(resolve, 900));
    expect(till.journal.sale(id)).toMatchObject({ state: 'cancelling', parkedAtMs: expect.any(Number) });
    setFaults(till.sim, {});
    expect(await finalWithin(till, id)).toMatchObject({ state: 'paid', paidAfterCancel: true });
  });

  it('an order QFPay never lists again is concluded only after its QR has expired', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const shown = await chargeShown(till);
    const id = shown.outTradeNo;
    setFaults(till.sim, { close: { dropRequest: true }, queryHides: 100_000 });
    await till.engine.cancel(id);
    await new Promise((resolve) => setTimeout(resolve, 600));
    expect(till.journal.sale(id)!.state).toBe('cancelling');
    // Past expiry (5 minutes) and the margin: nobody can pay it any more.
    till.clock.advance(5 * 60_000 + 1_000);
    const final = await finalWithin(till, id);
    expect(final.state).toBe('cancelled');
    expect(till.journal.sale(id)!.lastMessage).toMatch(/expired/);
  });
});

describe('start-up recovery when QFPay cannot settle', () => {
  it('QFPay unreachable: recover() parks the open sale and the till is ready; the sale is settled later', async () => {
    const clock = clockAt(NOON);
    const sim = await startExternalSimulator(clock);
    const dataDir = tempDir();
    const first = await openTestTill({ clock, external: sim, dataDir });
    await first.engine.recover();
    setFaults(sim, { payment: { dropResponse: true, count: 1 }, query: { dropRequest: true } });
    const charged = await first.engine.charge({ amountMinor: 900, currency: 'HKD' });
    const id = charged.ok ? charged.value.outTradeNo : '';
    await waitFor(() => first.journal.sale(id)?.state === 'unknown', 1_000, 'unknown');
    await first.close();

    setFaults(sim, { query: { dropRequest: true }, close: { dropRequest: true } });
    const till = await openTestTill({ clock, external: sim, dataDir });
    const summary = await till.engine.recover();
    expect(summary.sales).toEqual([{ outTradeNo: id, from: 'unknown', to: 'parked' }]);
    expect(till.engine.isReady).toBe(true);
    expect(till.engine.parkedSales().map((s) => s.outTradeNo)).toEqual([id]);
    expect((await till.engine.charge({ amountMinor: 100, currency: 'HKD' })).ok).toBe(true);

    setFaults(sim, {});
    const final = await finalWithin(till, id);
    // Recovery never re-issues: the order found without a QR is closed and the sale fails.
    expect(final).toMatchObject({ state: 'failed', reissues: 0 });
    expect(mustSimOrder(sim, id).state).toBe('closed');
  });
});

describe('start-up recovery of a fresh QR QFPay cannot vouch for', () => {
  it('QFPay unreachable: the QR is not shown again; it is parked and closed once QFPay answers', async () => {
    const clock = clockAt(NOON);
    const sim = await startExternalSimulator(clock);
    const dataDir = tempDir();
    const first = await openTestTill({ clock, external: sim, dataDir });
    await first.engine.recover();
    const shown = await chargeShown(first);
    await first.close();

    setFaults(sim, { query: { dropRequest: true }, close: { dropRequest: true } });
    const till = await openTestTill({ clock, external: sim, dataDir });
    const summary = await till.engine.recover();
    expect(summary.sales).toEqual([{ outTradeNo: shown.outTradeNo, from: 'awaiting_scan', to: 'parked' }]);
    expect(till.engine.saleViewOf(shown.outTradeNo)).toMatchObject({ qrcode: null, parked: true });
    expect((await till.engine.charge({ amountMinor: 100, currency: 'HKD' })).ok).toBe(true);
    setFaults(sim, {});
    expect(await finalWithin(till, shown.outTradeNo)).toMatchObject({ state: 'cancelled', paidAfterCancel: false });
    expect(mustSimOrder(sim, shown.outTradeNo).state).toBe('closed');
  });
});

describe('expiry never overrules QFPay', () => {
  it('paid in the QR\'s last moment while QFPay still reports 1145: the expiry close answers 1260, and the sale ends paid, not expired', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const shown = await chargeShown(till);
    setFaults(till.sim, { inProgressQueries: 30 });
    till.sim.pay({ out_trade_no: shown.outTradeNo });
    // Past the QR's expiry and the margin: the engine closes it for expiry; QFPay says "already paid" but its query lags.
    till.clock.advance(5 * 60_000 + 1_000);
    const final = await finalWithin(till, shown.outTradeNo, 4_000);
    expect(final).toMatchObject({ state: 'paid', cancelReason: 'expiry', paidAfterCancel: false });
  });
});

describe('a parked sale across a restart', () => {
  it('stays parked (never blocks the next charge) and is settled by the next run', async () => {
    const clock = clockAt(NOON);
    const sim = await startExternalSimulator(clock);
    const dataDir = tempDir();
    const first = await openTestTill({ clock, external: sim, dataDir });
    await first.engine.recover();
    const shown = await chargeShown(first);
    setFaults(sim, { closeNoEffect: 100_000 });
    await first.engine.cancel(shown.outTradeNo);
    await waitFor(() => first.engine.saleViewOf(shown.outTradeNo)?.parked, 1_500, 'parked');
    await first.close();

    const till = await openTestTill({ clock, external: sim, dataDir });
    const summary = await till.engine.recover();
    expect(summary.sales).toEqual([{ outTradeNo: shown.outTradeNo, from: 'cancelling', to: 'parked' }]);
    expect(till.engine.currentSale()?.outTradeNo).not.toBe(shown.outTradeNo);
    expect((await till.engine.charge({ amountMinor: 100, currency: 'HKD' })).ok).toBe(true);
    setFaults(sim, {});
    expect(await finalWithin(till, shown.outTradeNo)).toMatchObject({ state: 'cancelled', paidAfterCancel: false });
  });
});
