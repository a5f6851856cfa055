import { NOT_YET_SETTLED } from '../../../electron/journal/journal';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatTxdtm } from '../../../electron/qfpay/time';
import { QfpayClient } from '../../../electron/qfpay/client';
import { TRAINING_CREDENTIALS, type QfpaySimulator } from '../../../electron/simulator/server';
import type { OffsetClock } from '../../../electron/till/clock';
import { makeOutTradeNo } from '../../../electron/till/ids';
import {
  HK,
  NOON,
  chargeShown,
  clockAt,
  closeAll,
  finalWithin,
  mustSimOrder,
  openTestTill,
  paidSale,
  refundFinalWithin,
  setFaults,
  simOrder,
  startExternalSimulator,
  statePath,
  tempDir,
  waitFor,
  type TestTill,
} from './support';

// Rule 6: on start, every non-final sale and refund is resolved against
// QFPay before the till takes a new charge. A till is opened, left with work
// in flight (engine.stop without a final state), and a new till is opened on
// the same journal and the same simulator.

let clock: OffsetClock;
let sim: QfpaySimulator;
let dataDir: string;

beforeEach(async () => {
  clock = clockAt(NOON);
  sim = await startExternalSimulator(clock);
  dataDir = tempDir();
});
afterEach(closeAll);

// Recovery waits this long before parking what QFPay has not settled: longer than any settling here takes.
const open = () => openTestTill({ clock, external: sim, dataDir, timing: { parkAfterMs: 2_000 } });

/** A till that showed a QR and then went down. */
async function downWithQrShown(): Promise<string> {
  const till = await open();
  await till.engine.recover();
  const shown = await chargeShown(till, 1500);
  await till.close();
  return shown.outTradeNo;
}

/** A sale row in 'requesting' written straight into the journal: a crash between the write-ahead and the send. */
async function downWhileRequesting(): Promise<{ id: string; txdtm: string }> {
  const till = await open();
  const now = clock.now();
  const id = makeOutTradeNo('S', 'till-01', now, Math.random, HK);
  const txdtm = formatTxdtm(now, HK);
  till.journal.insertSale(
    {
      outTradeNo: id,
      udid: 'till-01',
      training: true,
      amountMinor: 2500,
      currency: 'HKD',
      payType: '800201',
      goodsName: null,
      state: 'requesting',
      txdtm,
      expiredMinutes: 5,
      createdAtMs: now,
      expiresAtMs: now + 5 * 60_000,
      ...NOT_YET_SETTLED,
      updatedAtMs: now,
    },
    { reason: 'charge' },
  );
  await till.close();
  return { id, txdtm };
}

function directClient(): QfpayClient {
  return new QfpayClient({ baseUrl: sim.baseUrl, ...TRAINING_CREDENTIALS, udid: 'till-01', timeZone: HK, now: () => clock.now() });
}

async function recovered(): Promise<{ till: TestTill; summary: Awaited<ReturnType<TestTill['engine']['recover']>> }> {
  const till = await open();
  const summary = await till.engine.recover();
  return { till, summary };
}

/** Recovery to the end: refunds being confirmed are settled in the background, so recover() does not wait for them. */
async function recoveredAll(): Promise<{ till: TestTill; summary: Awaited<ReturnType<TestTill['engine']['recover']>> }> {
  const till = await open();
  const summary = await till.engine.recoverAll();
  return { till, summary };
}

describe('recovery of sales', () => {
  it('paid while the till was down: recover() finds it paid, nothing re-sent', async () => {
    const id = await downWithQrShown();
    sim.pay({ out_trade_no: id });
    const { till, summary } = await recovered();

    expect(summary.sales).toEqual([{ outTradeNo: id, from: 'awaiting_scan', to: 'paid' }]);
    expect(till.journal.sale(id)).toMatchObject({ state: 'paid', paidAfterCancel: false, syssn: mustSimOrder(sim, id).syssn });
    expect(mustSimOrder(sim, id)).toMatchObject({ state: 'paid', paymentRequests: 1, closeRequests: 0 });
    expect(till.engine.isReady).toBe(true);
  });

  it('unpaid with a fresh QR: resumed awaiting_scan with the same QR, and still watched', async () => {
    const id = await downWithQrShown();
    const qrcode = mustSimOrder(sim, id).qrcode;
    clock.advance(60_000);
    const { till, summary } = await recovered();

    expect(summary.sales).toEqual([{ outTradeNo: id, from: 'awaiting_scan', to: 'awaiting_scan' }]);
    expect(till.engine.saleViewOf(id)).toMatchObject({ state: 'awaiting_scan', qrcode });
    expect(till.engine.currentSale()?.outTradeNo).toBe(id);
    // The resumed sale still blocks a new charge, and the loop still watches it.
    const blocked = await till.engine.charge({ amountMinor: 100, currency: 'HKD' });
    expect(blocked.ok === false && blocked.error.code).toBe('sale_open');
    sim.pay({ out_trade_no: id });
    expect((await finalWithin(till, id)).state).toBe('paid');
    expect(mustSimOrder(sim, id)).toMatchObject({ paymentRequests: 1, closeRequests: 0 });
  });

  it('a stale QR (less than resumeMinRemainingMs left) is closed, not shown again: cancelled', async () => {
    const id = await downWithQrShown();
    clock.advance(5 * 60_000 - 20_000);
    const { till, summary } = await recovered();

    expect(summary.sales).toEqual([{ outTradeNo: id, from: 'awaiting_scan', to: 'cancelled' }]);
    expect(till.journal.sale(id)).toMatchObject({ state: 'cancelled', cancelReason: 'recovery' });
    expect(mustSimOrder(sim, id)).toMatchObject({ state: 'closed', closeRequests: 1, paymentRequests: 1 });
    expect(till.views.filter((v) => v.outTradeNo === id).every((v) => v.qrcode === null)).toBe(true);
  });

  it('a QR that expired while the till was down: expired', async () => {
    const id = await downWithQrShown();
    clock.advance(6 * 60_000);
    const { till, summary } = await recovered();
    expect(summary.sales[0]).toMatchObject({ outTradeNo: id, to: 'expired' });
    expect(till.journal.sale(id)!.state).toBe('expired');
    expect(mustSimOrder(sim, id).state).toBe('expired');
  });

  it("a 'requesting' row (crash before the send) is resolved without any payment request", async () => {
    const { id } = await downWhileRequesting();
    const { till, summary } = await recovered();

    expect(summary.sales).toEqual([{ outTradeNo: id, from: 'requesting', to: 'failed' }]);
    expect(statePath(till, id)).toEqual(['requesting', 'unknown', 'cancelling', 'failed']);
    expect(simOrder(sim, id)).toBeUndefined();
    expect(sim.requestCounts.payment).toBe(0);
  });

  it("a 'requesting' row whose request did leave (crash after the send): found, closed, never re-sent", async () => {
    const { id, txdtm } = await downWhileRequesting();
    const made = await directClient().payment({ txamt: 2500, txcurrcd: 'HKD', out_trade_no: id, txdtm, expired_time: 5 });
    expect(made.kind === 'answered' && made.answer.respcd).toBe('0000');
    const { till, summary } = await recovered();

    expect(summary.sales).toEqual([{ outTradeNo: id, from: 'requesting', to: 'failed' }]);
    expect(till.journal.sale(id)).toMatchObject({ cancelReason: 'no_qr', syssn: mustSimOrder(sim, id).syssn });
    expect(mustSimOrder(sim, id)).toMatchObject({ state: 'closed', paymentRequests: 1 });
    expect(sim.requestCounts.payment).toBe(1);
  });

  it("a 'requesting' row whose order the customer paid: paid", async () => {
    const { id, txdtm } = await downWhileRequesting();
    await directClient().payment({ txamt: 2500, txcurrcd: 'HKD', out_trade_no: id, txdtm, expired_time: 5 });
    sim.pay({ out_trade_no: id });
    const { till, summary } = await recovered();
    expect(summary.sales).toEqual([{ outTradeNo: id, from: 'requesting', to: 'paid' }]);
    expect(till.journal.sale(id)!.state).toBe('paid');
    expect(mustSimOrder(sim, id)).toMatchObject({ state: 'paid', paymentRequests: 1, closeRequests: 0 });
  });

  it("an 'unknown' sale left by the last run is resolved by query", async () => {
    const first = await open();
    await first.engine.recover();
    setFaults(sim, { payment: { dropResponse: true, count: 1 }, query: { dropRequest: true } });
    const charged = await first.engine.charge({ amountMinor: 900, currency: 'HKD' });
    const id = charged.ok ? charged.value.outTradeNo : '';
    await waitFor(() => first.journal.sale(id)?.state === 'unknown', 1_000, 'unknown');
    await first.close();
    setFaults(sim, {});
    sim.pay({ out_trade_no: id });

    const { till, summary } = await recovered();
    expect(summary.sales).toEqual([{ outTradeNo: id, from: 'unknown', to: 'paid' }]);
    expect(till.journal.sale(id)!.syssn).toBe(mustSimOrder(sim, id).syssn);
    expect(mustSimOrder(sim, id).paymentRequests).toBe(1);
  });

  it("a 'cancelling' sale left by the last run is closed and confirmed", async () => {
    const first = await open();
    await first.engine.recover();
    const shown = await chargeShown(first);
    setFaults(sim, { close: { dropRequest: true } });
    await first.engine.cancel();
    await waitFor(() => sim.requestCounts.close >= 1, 1_000, 'a lost close');
    await first.close();
    setFaults(sim, {});

    const { till, summary } = await recovered();
    expect(summary.sales).toEqual([{ outTradeNo: shown.outTradeNo, from: 'cancelling', to: 'cancelled' }]);
    expect(till.journal.sale(shown.outTradeNo)!.cancelReason).toBe('cashier');
    expect(mustSimOrder(sim, shown.outTradeNo)).toMatchObject({ state: 'closed', closeRequests: 1 });
  });

  it('no charge is taken while recovery is still resolving', async () => {
    await downWhileRequesting();
    const till = await open();
    const recovering = till.engine.recover();
    const early = await till.engine.charge({ amountMinor: 100, currency: 'HKD' });
    expect(early.ok === false && early.error.code).toBe('not_ready');
    await recovering;
    const later = await till.engine.charge({ amountMinor: 100, currency: 'HKD' });
    expect(later.ok).toBe(true);
  });
});

describe('recovery under a changed udid (device re-registered, TILL_UDID changed)', () => {
  it('a sale paid while the till was down, left open under the old udid, is resolved; the till can charge again', async () => {
    const id = await downWithQrShown();
    sim.pay({ out_trade_no: id });
    const till = await openTestTill({ clock, external: sim, dataDir, udid: 'till-02' });
    const summary = await till.engine.recover();

    expect(summary.sales).toEqual([{ outTradeNo: id, from: 'awaiting_scan', to: 'paid' }]);
    expect(till.journal.sale(id)).toMatchObject({ state: 'paid', udid: 'till-01' });
    expect(mustSimOrder(sim, id)).toMatchObject({ state: 'paid', paymentRequests: 1 });
    const next = await till.engine.charge({ amountMinor: 100, currency: 'HKD' });
    expect(next.ok && next.value.outTradeNo).toMatch(/^till-02-S/);
  });

  it('a refund left unknown under the old udid is resolved, and the sale total follows', async () => {
    const first = await open();
    await first.engine.recover();
    const sale = await paidSale(first, 1000);
    setFaults(sim, { refund: { dropResponse: true, count: 1 }, query: { dropRequest: true } });
    const started = await first.engine.refund({ saleOutTradeNo: sale.outTradeNo, amountMinor: 250 });
    const refundId = started.ok ? started.value.outTradeNo : '';
    expect(started.ok && started.value.state).toBe('unknown');
    await first.close();
    setFaults(sim, {});

    const till = await openTestTill({ clock, external: sim, dataDir, udid: 'till-02' });
    const summary = await till.engine.recoverAll();
    expect(summary.refunds).toEqual([{ outTradeNo: refundId, from: 'unknown', to: 'refunded' }]);
    expect(till.journal.sale(sale.outTradeNo)!.refundedMinor).toBe(250);
    expect(mustSimOrder(sim, refundId)).toMatchObject({ state: 'refunded', refundRequests: 1 });
    expect(till.engine.hasOpenWork()).toBe(false);
  });
});

describe('recovery of refunds', () => {
  it('a refund still pending at QFPay when the till went down is resolved to refunded, sent once', async () => {
    const first = await open();
    await first.engine.recover();
    const sale = await paidSale(first, 1000);
    setFaults(sim, { refundSettleMs: 2_000 });
    const started = await first.engine.refund({ saleOutTradeNo: sale.outTradeNo, amountMinor: 600 });
    expect(started.ok && started.value.state).toBe('unknown');
    const refundId = started.ok ? started.value.outTradeNo : '';
    await first.close();
    clock.advance(5_000);

    const { till, summary } = await recoveredAll();
    expect(summary.refunds).toEqual([{ outTradeNo: refundId, from: 'unknown', to: 'refunded' }]);
    expect(till.journal.sale(sale.outTradeNo)!.refundedMinor).toBe(600);
    expect(mustSimOrder(sim, refundId)).toMatchObject({ state: 'refunded', refundRequests: 1 });
    expect(sim.requestCounts.refund).toBe(1);
    expect((await refundFinalWithin(till, refundId)).state).toBe('refunded');
  });

  it('a refund whose request left before the till went down, run by QFPay later: recovery keeps it unknown until found, sent once', async () => {
    const first = await open();
    await first.engine.recover();
    const sale = await paidSale(first, 1000);
    // QFPay runs the request 30 s after it arrived; the till hears nothing.
    setFaults(sim, { refund: { commitAfterMs: 30_000, count: 1 } });
    const started = await first.engine.refund({ saleOutTradeNo: sale.outTradeNo, amountMinor: 400 });
    expect(started.ok && started.value.state).toBe('unknown');
    const refundId = started.ok ? started.value.outTradeNo : '';
    await first.close();
    clock.advance(10_000);

    // Sent 10 s ago with a 15 s client timeout: QFPay may still run it, so its absence proves nothing yet.
    const till = await open();
    const recovery = till.engine.recoverAll();
    const queries = sim.requestCounts.query;
    await waitFor(() => sim.requestCounts.query >= queries + 2, 2_500, 'two queries');
    expect(till.journal.refund(refundId)!.state).toBe('unknown');
    expect(till.journal.reservedRefundMinor(sale.outTradeNo)).toBe(400);
    // A refund being confirmed is never in the way of the next customer: the till is ready meanwhile.
    expect(till.engine.isReady).toBe(true);

    clock.advance(20_000);
    const summary = await recovery;
    expect(summary.refunds).toEqual([{ outTradeNo: refundId, from: 'unknown', to: 'refunded' }]);
    expect(sim.requestCounts.refund).toBe(1);
    expect(mustSimOrder(sim, sale.outTradeNo).refundedMinor).toBe(400);
    expect(till.journal.sale(sale.outTradeNo)!.refundedMinor).toBe(400);
  });

  it("a refund row in 'requesting' (crash before the send) ends failed with nothing refunded", async () => {
    const first = await open();
    await first.engine.recover();
    const sale = await paidSale(first, 1000);
    const refundId = makeOutTradeNo('R', 'till-01', clock.now(), Math.random, HK);
    // The engine's own write-ahead (it notes the send before the request leaves; here nothing left).
    const written = first.journal.insertRefundIfRoom(
      {
        outTradeNo: refundId,
        udid: 'till-01',
        training: true,
        saleOutTradeNo: sale.outTradeNo,
        amountMinor: 1000,
        currency: 'HKD',
        state: 'requesting',
        txdtm: formatTxdtm(clock.now(), HK),
        createdAtMs: clock.now(),
        syssn: null,
        sysdtm: null,
        lastRespcd: null,
        lastMessage: null,
        finalAtMs: null,
        updatedAtMs: clock.now(),
      },
      sale.amountMinor,
      { reason: 'refund' },
    );
    expect(written.ok).toBe(true);
    await first.close();

    const { till, summary } = await recoveredAll();
    expect(summary.refunds).toEqual([{ outTradeNo: refundId, from: 'requesting', to: 'failed' }]);
    expect(till.journal.sale(sale.outTradeNo)!.refundedMinor).toBe(0);
    expect(simOrder(sim, refundId)).toBeUndefined();
    expect(sim.requestCounts.refund).toBe(0);
    expect(mustSimOrder(sim, sale.outTradeNo).refundedMinor).toBe(0);
  });
});
