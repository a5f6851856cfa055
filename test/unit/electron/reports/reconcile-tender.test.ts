import { describe, expect, it } from 'vitest';
import { readHead, readQuery, type QueryRecord } from '../../../../electron/qfpay/responses';
import { parseQfpayJson } from '../../../../electron/qfpay/tolerant-json';
import { matchRecords, type JournalEntry, type MatchScope } from '../../../../electron/reports/reconcile-match';
import { PAY_TYPES } from '../../../../shared/pay-types';
import { HK, hk } from './fixtures';
import { journalEntry } from './reconcile-fixtures';

// Reconciliation for every pay type (issue 13 §4): records in QFPay's
// published shapes (respcd quoted or not, cancel as a string or a number,
// reversal records of their own) matched against journal sales of every
// tender. A reversed order the journal has cancelled is "reversed" on both
// sides; reversed at one side and paid at the other is a difference.

const SCOPE: MatchScope = { udid: 'till-01', fromMs: hk(2026, 11, 26, 4), toMs: hk(2026, 11, 27, 4), timeZone: HK, complete: true };

const entry = (outTradeNo: string, payType: string, patch: Partial<JournalEntry> = {}): JournalEntry => journalEntry(outTradeNo, { payType, ...patch });

/** A /query answer body as QFPay sends it, read by the client's own reader. */
function records(bodyText: string): QueryRecord[] {
  const body = parseQfpayJson(bodyText) as Record<string, unknown>;
  return readQuery(readHead(body)!, body).records;
}

const item = (id: string, fields: string) =>
  `{"syssn":"SSN-${id}","out_trade_no":"${id}","order_type":"payment","txamt":"1230","txcurrcd":"HKD","sysdtm":"2026-11-26 12:00:05","udid":"till-01",${fields}}`;
const answer = (...items: string[]) => `{"respcd":"0000","resperr":"","respmsg":"","page":"1","page_size":"100","data":[${items.join(',')}]}`;

describe('matchRecords, every pay type', () => {
  it('matches paid sales of every pay type in the table, each with its tender, and counts them all as confirmed', () => {
    const payTypes = Object.keys(PAY_TYPES);
    const entries = payTypes.map((p) => entry(`S-${p}`, p));
    const got = matchRecords(entries, records(answer(...payTypes.map((p) => item(`S-${p}`, `"pay_type":"${p}","respcd":"0000","cancel":"0"`)))), SCOPE);
    expect(got.matched.map((i) => [i.payType, i.reasonCode])).toEqual(payTypes.map((p) => [p, 'agree']).sort());
    expect(got.stateDiffers.length + got.onlyAtQfpay.length + got.onlyInJournal.length).toBe(0);
    expect(got.totals).toEqual([{ currency: 'HKD', paidCount: payTypes.length, grossMinor: 1230 * payTypes.length, refundCount: 0, refundMinor: 0 }]);
  });

  it.each([
    ['a scanned WeChat code, respcd "0000" and cancel "1"', '800208', '"respcd":"0000","cancel":"1"'],
    ['a scanned Alipay code, respcd unquoted 0000 and cancel 1 as a number', '800108', '"respcd":0000,"cancel":1'],
    ['an Alipay HK QR order, cancel as a number', '801501', '"respcd":"0000","cancel":1'],
    ['a unified code still in progress when reversed (1143, cancel 1)', '800008', '"respcd":"1143","cancel":"1"'],
  ])('%s, cancelled in the journal, is matched as reversed on both sides and counts no money', (_, payType, fields) => {
    const got = matchRecords([entry('S-REV', payType, { state: 'cancelled', cancelReason: 'expiry' })], records(answer(item('S-REV', `"pay_type":"${payType}",${fields}`))), SCOPE);
    expect(got.stateDiffers).toEqual([]);
    expect(got.matched).toHaveLength(1);
    const m = got.matched[0]!;
    expect(m).toMatchObject({ reasonCode: 'reversed', payType, journal: { state: 'cancelled', reversed: true, payType }, qfpay: { state: 'reversed', payType } });
    expect(m.reason).toBe('QFPay and the journal agree: reversed, nothing charged, 12.30 HKD.');
    expect(got.totals).toEqual([]);
  });

  it('a reversed order the journal counts as paid is a difference, and so is a paid one the journal reversed', () => {
    const got = matchRecords(
      [entry('S-PAID', '800208'), entry('S-CANCELLED', '800108', { state: 'cancelled', cancelReason: 'cashier' })],
      records(answer(item('S-PAID', '"pay_type":"800208","respcd":"0000","cancel":"1"'), item('S-CANCELLED', '"pay_type":"800108","respcd":0000,"cancel":0'))),
      SCOPE,
    );
    expect(got.matched).toEqual([]);
    expect(got.stateDiffers.map((i) => [i.out_trade_no, i.reasonCode, i.qfpay!.state])).toEqual([
      ['S-CANCELLED', 'paid_not_counted', 'paid'],
      ['S-PAID', 'counts_unconfirmed', 'reversed'],
    ]);
    expect(got.stateDiffers.find((i) => i.out_trade_no === 'S-PAID')!.reason).toContain('QFPay says reversed');
    // QFPay confirms the money it kept: the paid one, not the reversed one.
    expect(got.totals).toEqual([{ currency: 'HKD', paidCount: 1, grossMinor: 1230, refundCount: 0, refundMinor: 0 }]);
  });

  it('a scanned code the journal has failed or expired that QFPay reversed is reversed on both counts; a WeChat QR is not reversed', () => {
    const got = matchRecords(
      [
        entry('S-DECLINED', '800108', { state: 'failed' }),
        entry('S-WINDOW', '800208', { state: 'expired' }),
        entry('S-MPM', '800201', { state: 'failed' }),
      ],
      records(answer(item('S-DECLINED', '"pay_type":"800108","respcd":"0000","cancel":"1"'), item('S-WINDOW', '"pay_type":"800208","respcd":"1143","cancel":1'), item('S-MPM', '"pay_type":"800201","respcd":"0000","cancel":"1"'))),
      SCOPE,
    );
    expect(got.matched.map((i) => [i.out_trade_no, i.reasonCode])).toEqual([
      ['S-DECLINED', 'reversed'],
      ['S-WINDOW', 'reversed'],
    ]);
    expect(got.matched[0]!.reason).toBe('QFPay and the journal agree: reversed (the journal: failed), nothing charged, 12.30 HKD.');
    expect(got.stateDiffers.map((i) => [i.out_trade_no, i.reasonCode])).toEqual([['S-MPM', 'state_differs']]);
  });

  it('a WeChat QR closed (cancel 2) stays a plain cancelled match, not a reversal', () => {
    const got = matchRecords([entry('S-CLOSED', '800201', { state: 'cancelled', cancelReason: 'cashier' })], records(answer(item('S-CLOSED', '"pay_type":"800201","respcd":"0000","cancel":"2"'))), SCOPE);
    expect(got.matched[0]).toMatchObject({ reasonCode: 'agree', qfpay: { state: 'cancelled' }, journal: { state: 'cancelled' } });
    expect(got.matched[0]!.journal).not.toHaveProperty('reversed');
  });

  it('a reversal listed as a record of its own goes with its payment: reversed, not a payment or a refund made outside', () => {
    const reversal = `{"syssn":"SSN-RV1","out_trade_no":"S-CPM","order_type":"reversal","origssn":"SSN-S-CPM","txamt":"1230","txcurrcd":"HKD","sysdtm":"2026-11-26 12:01:00","udid":"till-01","pay_type":"800208","respcd":"0000","cancel":"0"}`;
    // QFPay's payment record still says paid (cancel 0): the reversal that went through outweighs it.
    const both = matchRecords([entry('S-CPM', '800208', { state: 'cancelled', cancelReason: 'expiry' })], records(answer(item('S-CPM', '"pay_type":"800208","respcd":"0000","cancel":"0"'), reversal)), SCOPE);
    expect(both.onlyAtQfpay).toEqual([]);
    expect(both.matched).toHaveLength(1);
    expect(both.matched[0]).toMatchObject({ out_trade_no: 'S-CPM', reasonCode: 'reversed', qfpay: { state: 'reversed', reversalSyssn: 'SSN-RV1' } });
    expect(both.totals).toEqual([]);
    // Only the reversal listed (the payment's record fell in another month's page): it still matches the sale.
    const alone = matchRecords([entry('S-CPM', '800208', { state: 'cancelled', cancelReason: 'expiry' })], records(answer(reversal)), SCOPE);
    expect(alone.matched.map((i) => [i.out_trade_no, i.syssn, i.reasonCode])).toEqual([['S-CPM', 'SSN-S-CPM', 'reversed']]);
    expect(alone.onlyInJournal.length + alone.onlyAtQfpay.length).toBe(0);
    // The journal counting it paid: a difference, with the reversal named.
    const paid = matchRecords([entry('S-CPM', '800208')], records(answer(item('S-CPM', '"pay_type":"800208","respcd":"0000","cancel":"0"'), reversal)), SCOPE);
    expect(paid.stateDiffers[0]).toMatchObject({ reasonCode: 'counts_unconfirmed', qfpay: { state: 'reversed', reversalSyssn: 'SSN-RV1' } });
    expect(paid.totals).toEqual([]);
  });

  it('a reversal listed as a refund record of a reversed payment is not a refund made outside the till', () => {
    const asRefund = `{"syssn":"SSN-RV2","out_trade_no":"S-ALI","order_type":"refund","origssn":"SSN-S-ALI","txamt":"1230","txcurrcd":"HKD","sysdtm":"2026-11-26 12:01:00","udid":"till-01","pay_type":"800101","respcd":"0000","cancel":"1"}`;
    const got = matchRecords([entry('S-ALI', '800101', { state: 'cancelled', cancelReason: 'cashier' })], records(answer(item('S-ALI', '"pay_type":"800101","respcd":"0000","cancel":"1"'), asRefund)), SCOPE);
    expect(got.onlyAtQfpay).toEqual([]);
    expect(got.matched.map((i) => i.reasonCode)).toEqual(['reversed']);
    expect(got.totals).toEqual([]);
  });

  it('a real refund made outside the till of a paid scanned-code sale is still listed, and a failed reversal changes nothing', () => {
    const outside = `{"syssn":"SSN-RF","out_trade_no":"R-PORTAL","order_type":"refund","origssn":"SSN-S-PAID","txamt":"500","txcurrcd":"HKD","sysdtm":"2026-11-26 13:00:00","udid":"","pay_type":"800208","respcd":"0000","cancel":"0"}`;
    const failedReversal = `{"syssn":"SSN-RV3","out_trade_no":"S-PAID","order_type":"reversal","origssn":"SSN-S-PAID","txamt":"1230","txcurrcd":"HKD","sysdtm":"2026-11-26 12:01:00","udid":"till-01","respcd":"1260","cancel":"0"}`;
    const got = matchRecords([entry('S-PAID', '800208')], records(answer(item('S-PAID', '"pay_type":"800208","respcd":"0000","cancel":"3"'), outside, failedReversal)), SCOPE);
    expect(got.matched.map((i) => [i.out_trade_no, i.reasonCode])).toEqual([['S-PAID', 'agree']]);
    expect(got.onlyAtQfpay.map((i) => [i.out_trade_no, i.reasonCode, i.payType])).toEqual([['R-PORTAL', 'outside_refund', '800208']]);
  });

  it('a payment record whose origssn is its own syssn is still the payment', () => {
    const got = matchRecords([entry('S-SELF', '800208')], records(answer(item('S-SELF', '"origssn":"SSN-S-SELF","pay_type":"800208","respcd":"0000","cancel":"0"'))), SCOPE);
    expect(got.matched.map((i) => [i.out_trade_no, i.reasonCode, i.qfpay!.state])).toEqual([['S-SELF', 'agree', 'paid']]);
  });

  it('a reversal of a payment neither side knows is listed as reversed, never as money QFPay kept', () => {
    const reversal = `{"syssn":"SSN-RV4","out_trade_no":"X-UNKNOWN","order_type":"reversal","origssn":"SSN-NOBODY","txamt":"990","txcurrcd":"HKD","sysdtm":"2026-11-26 12:01:00","udid":"till-01","respcd":"0000","cancel":"0"}`;
    const got = matchRecords([], records(answer(reversal)), SCOPE);
    expect(got.onlyAtQfpay.map((i) => [i.out_trade_no, i.qfpay!.state])).toEqual([['X-UNKNOWN', 'reversed']]);
    expect(got.totals).toEqual([]);
  });
});
