import { afterEach, describe, expect, it } from 'vitest';
import type { QfpayClient, QueryInput } from '../../../electron/qfpay/client';
import { readRecord } from '../../../electron/qfpay/responses';
import { attachConfirmed, reconcile, type ReconcileSource } from '../../../electron/reports/reconcile';
import { TillReports } from '../../../electron/reports/till-reports';
import { PAY_TYPES } from '../../../shared/pay-types';
import { HK, UDID, closeAll, hk, journalSale, openReportTill, paidSale, type ReportTill } from './support';

// Reconciliation for every pay type against the simulator over real HTTP
// (issue 13 §4): a WeChat QR paid through the engine, an AlipayHK QR and
// scanned codes reversed at QFPay (/trade/v1/reversal: cancel 1), a scanned
// code paid at once, a reversal record QFPay lists on its own (injected into
// the answer), and cash, which QFPay never sees. Reversed on both sides is a
// match; reversed on one side only is a difference.

afterEach(closeAll);

let serial = 0;
/** A customer's payment code of the wallet ending in `last` (simulator: 2 = the password never confirmed, 9 = paid at once). */
const authCode = (wallet: 'wechat' | 'alipay', last: number) => `${wallet === 'wechat' ? '13' : '28'}${String(++serial).padStart(15, '0')}${last}`;

/** An order made at QFPay by `client`, then paid, reversed or left; returns its syssn. */
async function order(till: ReportTill, client: QfpayClient, id: string, amountMinor: number, payType: string, then: 'pay' | 'reverse' | 'leave', code?: string): Promise<string> {
  const created = await client.payment({ txamt: amountMinor, txcurrcd: 'HKD', out_trade_no: id, pay_type: payType, ...(code ? { auth_code: code } : {}) });
  if (created.kind !== 'answered' || !created.answer.syssn) throw new Error(`planting ${id}: ${JSON.stringify(created)}`);
  if (then === 'pay') {
    const paid = till.sim.pay({ out_trade_no: id });
    if (!paid.ok) throw new Error(paid.error);
  }
  if (then === 'reverse') {
    const reversed = await client.reversal({ out_trade_no: id, txamt: amountMinor });
    if (reversed.kind !== 'answered' || reversed.answer.respcd !== '0000') throw new Error(`reversing ${id}: ${JSON.stringify(reversed)}`);
  }
  return created.answer.syssn;
}

describe('reconcile every pay type (simulator)', () => {
  it('matches each tender, reports reversals as reversed on both sides, leaves cash out, and flags one-sided reversals', async () => {
    const till = await openReportTill(hk(2026, 11, 26, 12));
    const from = till.clock.now() - 3_600_000;
    const mine = till.device(UDID);

    // WeChat QR through the engine.
    const wechat = await paidSale(till, 1230);
    // AlipayHK QR cancelled by reversal (Alipay MPM is reversed, not closed): cancelled in the journal.
    const alipaySsn = await order(till, mine, 'till-01-AHK-REV', 2500, '801501', 'reverse');
    journalSale(till, 'till-01-AHK-REV', { amountMinor: 2500, state: 'cancelled', syssn: alipaySsn, payType: '801501' });
    // A scanned WeChat code the customer never confirmed, reversed at the window's end.
    const cpmSsn = await order(till, mine, 'till-01-WXC-REV', 880, '800208', 'reverse', authCode('wechat', 2));
    journalSale(till, 'till-01-WXC-REV', { amountMinor: 880, state: 'cancelled', syssn: cpmSsn, payType: '800208' });
    // A scanned Alipay code paid at once.
    const paidCpm = await order(till, mine, 'till-01-ALC-PAID', 640, '800108', 'leave', authCode('alipay', 9));
    journalSale(till, 'till-01-ALC-PAID', { amountMinor: 640, state: 'paid', syssn: paidCpm, payType: '800108' });
    // A unified code left waiting at QFPay, whose reversal QFPay lists as a record of its own (injected below).
    const unifiedSsn = await order(till, mine, 'till-01-UNI-REV', 990, '800008', 'leave', authCode('wechat', 2));
    journalSale(till, 'till-01-UNI-REV', { amountMinor: 990, state: 'cancelled', syssn: unifiedSsn, payType: '800008' });
    // Differences: reversed at QFPay but paid in the journal; paid at QFPay but reversed in the journal.
    const revPaid = await order(till, mine, 'till-01-REV-BUT-PAID', 700, '800208', 'reverse', authCode('wechat', 2));
    journalSale(till, 'till-01-REV-BUT-PAID', { amountMinor: 700, state: 'paid', syssn: revPaid, payType: '800208' });
    const paidRev = await order(till, mine, 'till-01-PAID-BUT-REV', 1800, '800101', 'pay');
    journalSale(till, 'till-01-PAID-BUT-REV', { amountMinor: 1800, state: 'cancelled', syssn: paidRev, payType: '800101' });
    // Cash: journal-only by nature.
    const cash = till.engine.chargeCash({ amountMinor: 2000, currency: 'HKD', tenderedMinor: 2000, openingFloatMinor: 0 });
    if (!cash.ok) throw new Error(JSON.stringify(cash.error));

    till.clock.advance(60_000);
    const reversalRecord = readRecord({
      syssn: '20261126000000000000009999', out_trade_no: 'till-01-UNI-REV', order_type: 'reversal', origssn: unifiedSsn, txamt: '990', txcurrcd: 'HKD',
      sysdtm: '2026-11-26 12:00:30', udid: UDID, pay_type: '800008', respcd: '0000', cancel: '0',
    })!;
    const asked: QueryInput[] = [];
    const source: ReconcileSource = {
      db: till.journal.db,
      take: () => till.engine.bucket.take(),
      client: {
        async query(input) {
          asked.push(input);
          const outcome = await till.client.query(input);
          return outcome.kind === 'answered' && (input.page ?? 1) === 1 ? { ...outcome, answer: { ...outcome.answer, records: [...outcome.answer.records, reversalRecord] } } : outcome;
        },
      },
    };
    const result = await reconcile(source, { udid: UDID, training: true, fromMs: from, toMs: till.clock.now(), timeZone: HK });

    expect(result.complete).toBe(true);
    // Every query named every pay type of the table.
    expect(asked.length).toBeGreaterThan(0);
    for (const q of asked) expect([...(q.pay_type as readonly string[])].sort()).toEqual(Object.keys(PAY_TYPES).sort());
    const by = (list: typeof result.matched) => Object.fromEntries(list.map((i) => [i.out_trade_no, [i.reasonCode, i.payType, i.qfpay?.state, i.journal?.reversed ?? false]]));
    expect(by(result.matched)).toEqual({
      [wechat]: ['agree', '800201', 'paid', false],
      'till-01-AHK-REV': ['reversed', '801501', 'reversed', true],
      'till-01-WXC-REV': ['reversed', '800208', 'reversed', true],
      'till-01-ALC-PAID': ['agree', '800108', 'paid', false],
      'till-01-UNI-REV': ['reversed', '800008', 'reversed', true],
    });
    expect(result.matched.find((i) => i.out_trade_no === 'till-01-UNI-REV')!.qfpay!.reversalSyssn).toBe('20261126000000000000009999');
    expect(by(result.stateDiffers)).toEqual({
      'till-01-REV-BUT-PAID': ['counts_unconfirmed', '800208', 'reversed', false],
      'till-01-PAID-BUT-REV': ['paid_not_counted', '800101', 'paid', true],
    });
    expect(result.onlyAtQfpay).toEqual([]);
    expect(result.onlyInJournal).toEqual([]);
    expect(JSON.stringify(result)).not.toContain(cash.value.outTradeNo);
    // QFPay confirms the money it kept: the WeChat QR, the scanned Alipay code and the Alipay QR the journal missed.
    expect(result.totals).toEqual([{ currency: 'HKD', paidCount: 3, grossMinor: 1230 + 640 + 1800, refundCount: 0, refundMinor: 0 }]);

    // Beside the X: the journal's figures, QFPay's with the cash counted in (cash is never a difference).
    const x = new TillReports(till.journal.db, { udid: UDID, training: true, timeZone: HK, cutoffHour: 4, now: () => till.clock.now() }).x({ fromMs: from, toMs: result.period.toMs });
    expect(attachConfirmed(x, result).confirmed).toEqual([{ currency: 'HKD', paidCount: 4, grossMinor: 1230 + 640 + 1800 + 2000, refundCount: 0, refundMinor: 0 }]);
    expect(x.tenders![0]!.tenders.map((t) => [t.payType, t.paidCount])).toEqual([['800201', 1], ['800208', 1], ['800108', 1], ['cash', 1]]);
  });
});
