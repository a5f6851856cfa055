import { afterEach, describe, expect, it } from 'vitest';
import type { QueryInput } from '../../../electron/qfpay/client';
import { attachConfirmed, reconcile, type Reconciliation } from '../../../electron/reports/reconcile';
import { TillReports } from '../../../electron/reports/till-reports';
import { parseFaultPlan } from '../../../electron/simulator/faults';
import { HK, UDID, cancelledSale, closeAll, hk, journalSale, openReportTill, orderAtQfpay, paidSale, refunded, type ReportTill } from './support';

// Reconciliation against the simulator over real HTTP: sales made by the
// engine, disagreements of every kind planted at "QFPay" or in the journal,
// more than 100 records (paging), a period across a month end, and QFPay
// answering badly (429s, lost requests).

afterEach(closeAll);

const ids = (items: { out_trade_no: string }[]) => items.map((i) => i.out_trade_no).sort();
const all = (r: Reconciliation) => [...r.matched, ...r.stateDiffers, ...r.amountDiffers, ...r.onlyInJournal, ...r.onlyAtQfpay];

function setFaults(till: ReportTill, plan: Record<string, unknown>): void {
  const parsed = parseFaultPlan(plan);
  if (!parsed.ok) throw new Error(parsed.error);
  till.sim.setFaults(parsed.plan);
}

describe('reconcile against QFPay (simulator)', () => {
  it('sorts engine sales and planted disagreements of every kind, inside the budget', async () => {
    const till = await openReportTill(hk(2026, 11, 26, 12));
    const from = till.clock.now() - 3_600_000;

    // What the engine did, which QFPay agrees with.
    const latte = await paidSale(till, 1230);
    const cake = await paidSale(till, 5000);
    const cakeRefund = await refunded(till, cake, 1000);
    const cancelled = await cancelledSale(till, 1500);
    const yen = await paidSale(till, 500, 'JPY');

    // Planted: paid at QFPay, failed (never created, no syssn) and unknown in the journal.
    const mine = till.device(UDID);
    await orderAtQfpay(till, mine, 'till-01-PAID-FAILED', 800);
    journalSale(till, 'till-01-PAID-FAILED', { amountMinor: 800, state: 'failed', syssn: null });
    await orderAtQfpay(till, mine, 'till-01-PAID-UNKNOWN', 900);
    journalSale(till, 'till-01-PAID-UNKNOWN', { amountMinor: 900, state: 'unknown', syssn: null });
    // Paid in the journal, unknown to QFPay.
    journalSale(till, 'till-01-GHOST', { amountMinor: 4200, state: 'paid', syssn: '20261126999999990000000001' });
    // Same order, different amounts.
    const amountSsn = await orderAtQfpay(till, mine, 'till-01-AMOUNT', 1000);
    journalSale(till, 'till-01-AMOUNT', { amountMinor: 1200, state: 'paid', syssn: amountSsn });
    // Closed at QFPay, paid in the journal.
    const closedSsn = await orderAtQfpay(till, mine, 'till-01-CLOSED', 700, 'close');
    journalSale(till, 'till-01-CLOSED', { amountMinor: 700, state: 'paid', syssn: closedSsn });
    // A device with no udid, and another till: neither in the journal.
    await orderAtQfpay(till, till.device(undefined), 'PORTAL-ORDER-1', 3300);
    await orderAtQfpay(till, till.device('till-02'), 'till-02-S1', 6600);

    till.clock.advance(60_000);
    const queriesBefore = till.sim.requestCounts.query;
    const takenBefore = till.engine.bucket.taken;
    const result = await reconcile(till, { udid: UDID, training: true, fromMs: from, toMs: till.clock.now(), timeZone: HK });

    expect(result.complete).toBe(true);
    expect(result.problems).toEqual([]);
    expect(ids(result.matched)).toEqual([cake, cakeRefund, cancelled, latte, yen].sort());
    expect(ids(result.stateDiffers)).toEqual(['till-01-CLOSED', 'till-01-PAID-FAILED', 'till-01-PAID-UNKNOWN']);
    expect(ids(result.amountDiffers)).toEqual(['till-01-AMOUNT']);
    expect(ids(result.onlyInJournal)).toEqual(['till-01-GHOST']);
    expect(ids(result.onlyAtQfpay)).toEqual(['PORTAL-ORDER-1']);
    expect(all(result).map((i) => i.out_trade_no)).not.toContain('till-02-S1');

    const find = (id: string) => all(result).find((i) => i.out_trade_no === id)!;
    expect(find('till-01-PAID-FAILED')).toMatchObject({
      order_type: 'payment',
      journal: { amountMinor: 800, state: 'failed' },
      qfpay: { amountMinor: 800, respcd: '0000', state: 'paid' },
      reason: expect.stringMatching(/customer paid, but the journal has the sale as failed/),
    });
    expect(find('till-01-PAID-FAILED').syssn).toMatch(/^\d{26}$/);
    expect(find('till-01-PAID-UNKNOWN').reason).toMatch(/run till recover/);
    expect(find('till-01-CLOSED')).toMatchObject({ qfpay: { state: 'cancelled', respcd: '1264' }, journal: { state: 'paid' } });
    expect(find('till-01-AMOUNT').reason).toBe('Both say paid, but the amounts differ: QFPay 10.00 HKD, the journal 12.00 HKD.');
    expect(find('till-01-GHOST')).toMatchObject({ syssn: '20261126999999990000000001', qfpay: null, reason: expect.stringMatching(/QFPay has no record of it/) });
    expect(find('PORTAL-ORDER-1')).toMatchObject({ journal: null, qfpay: { udid: null, state: 'paid' }, reason: expect.stringMatching(/udid is unknown/) });
    expect(find(cakeRefund)).toMatchObject({ order_type: 'refund', journal: { amountMinor: 1000, state: 'refunded' }, qfpay: { amountMinor: 1000, state: 'refunded' } });
    expect(find(cancelled)).toMatchObject({ journal: { state: 'cancelled' }, qfpay: { state: 'cancelled' } });

    // Confirmed by QFPay for this till: latte, cake, the two planted paid orders and the 10.00 one; the refund; the yen sale.
    expect(result.totals).toEqual([
      { currency: 'HKD', paidCount: 5, grossMinor: 1230 + 5000 + 800 + 900 + 1000, refundCount: 1, refundMinor: 1000 },
      { currency: 'JPY', paidCount: 1, grossMinor: 500, refundCount: 0, refundMinor: 0 },
    ]);
    // One page of one month, and every request took a token from the till's budget.
    expect(till.sim.requestCounts.query - queriesBefore).toBe(1);
    expect(till.engine.bucket.taken - takenBefore).toBe(1);

    // The same for a bare { db, client, take }.
    let taken = 0;
    const bare = await reconcile(
      { db: till.journal.db, client: till.client, take: async () => void (taken += 1) },
      { udid: UDID, training: true, fromMs: from, toMs: result.period.toMs, timeZone: HK },
    );
    expect(bare).toEqual(result);
    expect(taken).toBe(1);

    // The X report of the period shows the confirmed totals next to its own.
    const reports = new TillReports(till.journal.db, { udid: UDID, training: true, timeZone: HK, cutoffHour: 4, now: () => result.period.toMs });
    const x = reports.x({ fromMs: from });
    expect(attachConfirmed(x, result).confirmed).toEqual(result.totals);
    expect(attachConfirmed({ ...x, periodStartMs: from + 1 }, result).confirmed).toBeUndefined();
  });

  it('pages beyond 100 records: 260 orders, three pages', async () => {
    const till = await openReportTill(hk(2026, 11, 26, 14));
    const from = till.clock.now();
    const mine = till.device(UDID);
    const db = till.journal.db;
    const syssns: string[] = [];
    for (let i = 0; i < 260; i++) {
      syssns.push(await orderAtQfpay(till, mine, `till-01-BULK-${String(i).padStart(3, '0')}`, 100 + i, i % 10 === 9 ? 'leave' : 'pay'));
      till.clock.advance(1_000);
    }
    // The journal knows all but the last three; the unpaid ones are still awaiting the customer.
    db.transaction(() => {
      for (let i = 0; i < 257; i++) {
        journalSale(till, `till-01-BULK-${String(i).padStart(3, '0')}`, { amountMinor: 100 + i, state: i % 10 === 9 ? 'awaiting_scan' : 'paid', syssn: syssns[i]!, atMs: from + i * 1_000 });
      }
    })();
    const before = till.sim.requestCounts.query;
    const result = await reconcile(till, { udid: UDID, training: true, fromMs: from, toMs: till.clock.now(), timeZone: HK });
    expect(result.complete).toBe(true);
    expect(till.sim.requestCounts.query - before).toBe(3);
    expect(result.matched).toHaveLength(257);
    expect(result.matched.filter((i) => i.journal?.state === 'awaiting_scan')).toHaveLength(25);
    expect(ids(result.onlyAtQfpay)).toEqual(['till-01-BULK-257', 'till-01-BULK-258', 'till-01-BULK-259']);
    expect([...result.stateDiffers, ...result.amountDiffers, ...result.onlyInJournal]).toEqual([]);
    const paid = Array.from({ length: 260 }, (_, i) => i).filter((i) => i % 10 !== 9);
    expect(result.totals).toEqual([{ currency: 'HKD', paidCount: paid.length, grossMinor: paid.reduce((s, i) => s + 100 + i, 0), refundCount: 0, refundMinor: 0 }]);
  });

  it('a period across a month end is fetched month by month in the merchant zone', async () => {
    const till = await openReportTill(hk(2026, 11, 30, 23));
    const from = till.clock.now();
    const november = await paidSale(till, 1111);
    const refundedLater = await paidSale(till, 2000);
    // 2026-12-01 00:40 in Hong Kong (after the 23:30–00:30 refund pause): another month at QFPay.
    till.clock.advance(100 * 60_000);
    const december = await paidSale(till, 2222);
    const refund = await refunded(till, refundedLater, 500);
    till.clock.advance(60_000);

    const calls: QueryInput[] = [];
    const result = await reconcile(
      { db: till.journal.db, client: { query: (input) => (calls.push(input), till.client.query(input)) }, take: () => till.engine.bucket.take() },
      { udid: UDID, training: true, fromMs: from, toMs: till.clock.now(), timeZone: HK },
    );
    expect(result.complete).toBe(true);
    expect(ids(result.matched)).toEqual([december, november, refund, refundedLater].sort());
    // The period with ten minutes either side (QFPay stamps by its own clock), cut at midnight.
    expect(calls.map((c) => [c.start_time, c.end_time, c.page])).toEqual([
      ['2026-11-30 22:50:00', '2026-11-30 23:59:59', 1],
      ['2026-12-01 00:00:00', expect.stringMatching(/^2026-12-01 00:5\d:\d\d$/), 1],
    ]);
    expect(result.totals).toEqual([{ currency: 'HKD', paidCount: 3, grossMinor: 1111 + 2000 + 2222, refundCount: 1, refundMinor: 500 }]);
  });

  it('429s are waited out inside the budget and the result is complete', async () => {
    const till = await openReportTill(hk(2026, 11, 26, 15));
    const from = till.clock.now();
    const sale = await paidSale(till, 1230);
    setFaults(till, { query: { httpStatus: 429, count: 2 } });
    const before = { queries: till.sim.requestCounts.query, limited: till.sim.requestCounts.rate_limited, taken: till.engine.bucket.taken };
    const result = await reconcile(till, { udid: UDID, training: true, fromMs: from, toMs: till.clock.now() + 1, timeZone: HK, backoffBaseMs: 20, backoffMaxMs: 50 });
    expect(result.complete).toBe(true);
    expect(ids(result.matched)).toEqual([sale]);
    expect(till.sim.requestCounts.query - before.queries).toBe(3);
    expect(till.engine.bucket.taken - before.taken).toBe(3);
  });

  it('when QFPay stays unreachable the result says incomplete and guesses nothing', async () => {
    const till = await openReportTill(hk(2026, 11, 26, 16));
    const from = till.clock.now();
    await paidSale(till, 1230);
    journalSale(till, 'till-01-GHOST', { amountMinor: 4200, state: 'paid', syssn: '20261126999999990000000002' });
    setFaults(till, { query: { dropRequest: true } });
    const before = till.sim.requestCounts.query;
    const result = await reconcile(till, { udid: UDID, training: true, fromMs: from, toMs: till.clock.now() + 1, timeZone: HK, maxAttempts: 3, backoffBaseMs: 10, backoffMaxMs: 20 });
    expect(till.sim.requestCounts.query - before).toBe(3);
    expect(result).toMatchObject({ complete: false, matched: [], onlyInJournal: [], onlyAtQfpay: [], stateDiffers: [], amountDiffers: [], totals: [] });
    expect(result.problems[0]).toMatch(/^page 1 of .* could not be fetched: no usable answer/);
    expect(result.problems[1]).toMatch(/2 journal sales and refunds of the period were not checked/);
  });
});

describe('a sale whose QR was re-issued (issue 9, §2)', () => {
  it('counts once in the X report and in reconciliation: the lost order is matched as replaced, not a failed sale or a second record', async () => {
    const till = await openReportTill(hk(2026, 11, 26, 12));
    const from = till.clock.now() - 3_600_000;
    setFaults(till, { payment: { dropResponse: true, count: 1 } });
    const charged = await till.engine.charge({ amountMinor: 4200, currency: 'HKD' });
    if (!charged.ok) throw new Error(JSON.stringify(charged.error));
    const id = charged.value.outTradeNo;
    const deadline = performance.now() + 3_000;
    while (till.journal.sale(id)?.state !== 'awaiting_scan') {
      if (performance.now() > deadline) throw new Error(`sale ${id} never showed a re-issued QR`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    const orderNo = till.journal.sale(id)!.orderNo;
    expect(orderNo).not.toBe(id);
    till.sim.pay({ out_trade_no: orderNo });
    expect((await till.engine.whenFinal(id)).state).toBe('paid');

    till.clock.advance(60_000);
    const reports = new TillReports(till.journal.db, { udid: UDID, training: true, timeZone: HK, cutoffHour: 4, now: () => till.clock.now() });
    const hkd = reports.x({ fromMs: from }).currencies.find((c) => c.currency === 'HKD')!;
    expect(hkd).toMatchObject({ paidCount: 1, grossMinor: 4200, failedCount: 0, cancelledCount: 0 });

    const result = await reconcile(till, { udid: UDID, training: true, fromMs: from, toMs: till.clock.now(), timeZone: HK });
    expect(result.complete).toBe(true);
    expect(result.stateDiffers).toEqual([]);
    expect(result.onlyAtQfpay).toEqual([]);
    expect(result.matched.map((i) => [i.out_trade_no, i.journal?.state, i.qfpay?.state]).sort()).toEqual(
      [
        [id, 'replaced', 'cancelled'],
        [orderNo, 'paid', 'paid'],
      ].sort(),
    );
    expect(result.totals).toEqual([{ currency: 'HKD', paidCount: 1, grossMinor: 4200, refundCount: 0, refundMinor: 0 }]);
  });
});
