import { describe, expect, it } from 'vitest';
import { treatmentOf } from '../../../../electron/qfpay/codes';
import type { QueryRecord } from '../../../../electron/qfpay/responses';
import { matchRecords, qfpayStateOf, type MatchScope } from '../../../../electron/reports/reconcile-match';
import { HK, hk } from './fixtures';
import { journalEntry } from './reconcile-fixtures';

// The pure matcher: journal entries and QFPay records in, five lists with a
// reason each and QFPay-confirmed totals out.

const FROM = hk(2026, 11, 26, 4);
const TO = hk(2026, 11, 27, 4);
const SCOPE: MatchScope = { udid: 'till-01', fromMs: FROM, toMs: TO, timeZone: HK, complete: true };

const entry = journalEntry;

function record(outTradeNo: string, patch: Partial<QueryRecord> = {}): QueryRecord {
  const respcd = patch.respcd ?? '0000';
  return {
    syssn: `SSN-${outTradeNo}`,
    out_trade_no: outTradeNo,
    order_type: 'payment',
    txamt: 1230,
    txcurrcd: 'HKD',
    sysdtm: '2026-11-26 12:00:01',
    respcd,
    treatment: treatmentOf(respcd),
    cancel: 0,
    udid: 'till-01',
    ...patch,
  };
}

const ids = (items: { out_trade_no: string }[]) => items.map((i) => i.out_trade_no);

describe('qfpayStateOf', () => {
  it.each([
    ['0000', 0, 'payment', 'paid'],
    ['0000', 5, 'payment', 'paid'],
    // Reversed (cancel 1: a scanned code, Alipay) or closed (cancel 2): QFPay keeps 0000 on them (API.md, "Read respcd together with cancel").
    ['0000', 1, 'payment', 'reversed'],
    ['1143', 1, 'payment', 'reversed'],
    ['0000', 2, 'payment', 'cancelled'],
    ['1262', 3, 'payment', 'paid'],
    ['1181', 0, 'payment', 'expired'],
    ['1264', 2, 'payment', 'cancelled'],
    ['1142', 0, 'payment', 'cancelled'],
    ['1143', 2, 'payment', 'cancelled'],
    ['1143', 0, 'payment', 'in_progress'],
    ['1145', 0, 'payment', 'in_progress'],
    ['1201', 0, 'payment', 'failed'],
    ['9999', 0, 'payment', 'failed'],
    ['0000', 0, 'refund', 'refunded'],
    ['1145', 0, 'refund', 'in_progress'],
    ['1269', 0, 'refund', 'failed'],
  ] as const)('respcd %s cancel %i (%s) is %s', (respcd, cancel, orderType, state) => {
    expect(qfpayStateOf(record('X', { respcd, treatment: treatmentOf(respcd), cancel, order_type: orderType }))).toBe(state);
  });
});

describe('matchRecords', () => {
  it('a cancelled sale QFPay lists as 0000 + cancel 2 is matched as cancelled and not counted as takings', () => {
    const result = matchRecords([entry('S-CLOSED', { state: 'cancelled', cancelReason: 'cashier' })], [record('S-CLOSED', { respcd: '0000', treatment: 'success', cancel: 2 })], SCOPE);
    expect(result.matched.map((i) => i.out_trade_no)).toEqual(['S-CLOSED']);
    expect(result.stateDiffers).toEqual([]);
    expect(result.totals.every((t) => t.paidCount === 0)).toBe(true);
  });

  it('sorts every kind of agreement and disagreement, each with a reason', () => {
    const entries = [
      entry('S-OK'),
      entry('S-OK-ID', { syssn: null, state: 'awaiting_scan' }),
      entry('S-EXPIRED', { state: 'expired', cancelReason: 'expiry' }),
      entry('S-NOQR', { state: 'failed', cancelReason: 'no_qr' }),
      entry('S-FAILED-NEVER-SENT', { state: 'failed', syssn: null }),
      entry('S-PAID-THERE', { state: 'failed', syssn: null }),
      entry('S-UNKNOWN', { state: 'unknown', syssn: null }),
      entry('S-AMOUNT', { amountMinor: 1200 }),
      entry('S-CURRENCY', { currency: 'CNY' }),
      entry('S-LOST', { state: 'paid' }),
      entry('S-OPEN-LOST', { state: 'unknown', syssn: null }),
      entry('S-SHOWN-LOST', { state: 'awaiting_scan' }),
      entry('S-PAID-HERE', { state: 'paid' }),
      entry('R-OK', { orderType: 'refund', state: 'refunded', amountMinor: 230, saleOutTradeNo: 'S-OK', saleSyssn: 'SSN-S-OK' }),
      entry('R-WRONG-SALE', { orderType: 'refund', state: 'refunded', amountMinor: 100, saleOutTradeNo: 'S-OK', saleSyssn: 'SSN-S-OK' }),
      entry('R-FAILED-HERE', { orderType: 'refund', state: 'failed', amountMinor: 100, saleOutTradeNo: 'S-OK', saleSyssn: 'SSN-S-OK' }),
    ];
    const records = [
      record('S-OK'),
      record('S-OK-ID', { respcd: '1143', treatment: 'in_progress' }),
      record('S-EXPIRED', { respcd: '1264', treatment: 'closed', cancel: 2 }),
      record('S-NOQR', { respcd: '1264', treatment: 'closed', cancel: 2 }),
      record('S-PAID-THERE'),
      record('S-UNKNOWN'),
      record('S-AMOUNT'),
      record('S-CURRENCY'),
      record('S-PAID-HERE', { respcd: '1181', treatment: 'expired' }),
      record('S-NOT-IN-JOURNAL'),
      record('S-NO-UDID', { udid: '' }),
      record('S-UNDEFINED-UDID', { udid: undefined }),
      record('S-OTHER-TILL', { udid: 'till-02' }),
      record('R-OK', { order_type: 'refund', txamt: 230, origssn: 'SSN-S-OK' }),
      record('R-WRONG-SALE', { order_type: 'refund', txamt: 100, origssn: 'SSN-SOMETHING-ELSE' }),
      record('R-FAILED-HERE', { order_type: 'refund', txamt: 100, origssn: 'SSN-S-OK' }),
      record('R-PORTAL', { order_type: 'refund', txamt: 50, origssn: 'SSN-S-OK', udid: '', out_trade_no: '' }),
    ];
    const result = matchRecords(entries, records, SCOPE);
    expect(result.complete).toBe(true);
    expect(result.problems).toEqual([]);
    expect(ids(result.matched).sort()).toEqual(['R-OK', 'S-EXPIRED', 'S-NOQR', 'S-OK', 'S-OK-ID']);
    expect(ids(result.stateDiffers).sort()).toEqual(['R-FAILED-HERE', 'R-WRONG-SALE', 'S-PAID-HERE', 'S-PAID-THERE', 'S-UNKNOWN']);
    expect(ids(result.amountDiffers).sort()).toEqual(['S-AMOUNT', 'S-CURRENCY']);
    expect(ids(result.onlyInJournal).sort()).toEqual(['S-LOST', 'S-OPEN-LOST', 'S-SHOWN-LOST']);
    expect(ids(result.onlyAtQfpay).sort()).toEqual(['', 'S-NO-UDID', 'S-NOT-IN-JOURNAL', 'S-UNDEFINED-UDID']);

    const by = (list: typeof result.matched, id: string) => list.find((i) => i.out_trade_no === id)!;
    expect(by(result.matched, 'S-OK')).toEqual({
      out_trade_no: 'S-OK',
      syssn: 'SSN-S-OK',
      order_type: 'payment',
      journal: { amountMinor: 1230, currency: 'HKD', state: 'paid' },
      qfpay: { amountMinor: 1230, currency: 'HKD', respcd: '0000', state: 'paid', udid: 'till-01' },
      reason: 'QFPay and the journal agree: paid, 12.30 HKD.',
      reasonCode: 'agree',
    });
    // A sale the journal has without a syssn is still matched by out_trade_no, and takes QFPay's syssn.
    expect(by(result.matched, 'S-OK-ID').syssn).toBe('SSN-S-OK-ID');
    expect(by(result.stateDiffers, 'S-PAID-THERE').reason).toMatch(/customer paid, but the journal has the sale as failed/);
    expect(by(result.stateDiffers, 'S-UNKNOWN').reason).toMatch(/not resolved it yet \(unknown\): run till recover/);
    expect(by(result.stateDiffers, 'S-PAID-HERE').reason).toMatch(/journal has the sale as paid, but QFPay says expired \(respcd 1181\)/);
    expect(by(result.stateDiffers, 'R-WRONG-SALE').reason).toMatch(/refund of payment SSN-SOMETHING-ELSE/);
    expect(by(result.stateDiffers, 'R-FAILED-HERE').reason).toMatch(/refund was made, but the journal has it as failed/);
    expect(by(result.amountDiffers, 'S-AMOUNT')).toMatchObject({
      journal: { amountMinor: 1200, currency: 'HKD', state: 'paid' },
      qfpay: { amountMinor: 1230, currency: 'HKD' },
      reason: 'Both say paid, but the amounts differ: QFPay 12.30 HKD, the journal 12.00 HKD.',
    });
    expect(by(result.amountDiffers, 'S-CURRENCY').reason).toMatch(/QFPay 12.30 HKD, the journal 12.30 CNY/);
    expect(by(result.onlyInJournal, 'S-LOST')).toMatchObject({ qfpay: null, journal: { state: 'paid' }, reason: expect.stringMatching(/QFPay has no record of it/) });
    expect(by(result.onlyInJournal, 'S-OPEN-LOST').reason).toMatch(/probably never created/);
    expect(by(result.onlyInJournal, 'S-SHOWN-LOST').reason).toBe('The journal has the sale open (awaiting_scan) with syssn SSN-S-SHOWN-LOST, but QFPay has no record of it: run till recover.');
    expect(by(result.onlyAtQfpay, 'S-NO-UDID')).toMatchObject({ journal: null, reason: expect.stringMatching(/udid is unknown/) });
    expect(by(result.onlyAtQfpay, 'S-UNDEFINED-UDID').reason).toMatch(/udid is unknown/);
    expect(by(result.onlyAtQfpay, 'S-NOT-IN-JOURNAL').reason).toMatch(/from this till \(udid till-01\) that is not in the journal/);
    expect(by(result.onlyAtQfpay, '')).toMatchObject({ order_type: 'refund', reason: expect.stringMatching(/of this till's sale S-OK that the journal does not know/) });
    // Every item's reason has a code, for the screen to say it in the cashier's language.
    const codes = (list: typeof result.matched) => Object.fromEntries(list.map((i) => [i.out_trade_no, i.reasonCode]));
    expect(codes(result.stateDiffers)).toEqual({
      'S-PAID-THERE': 'paid_not_counted',
      'S-UNKNOWN': 'not_resolved',
      'S-PAID-HERE': 'counts_unconfirmed',
      'R-WRONG-SALE': 'refund_of_differs',
      'R-FAILED-HERE': 'refund_not_counted',
    });
    expect(codes(result.amountDiffers)).toEqual({ 'S-AMOUNT': 'amount_differs', 'S-CURRENCY': 'amount_differs' });
    expect(codes(result.onlyInJournal)).toEqual({ 'S-LOST': 'missing_final', 'S-OPEN-LOST': 'missing_open', 'S-SHOWN-LOST': 'missing_open' });
    expect(codes(result.onlyAtQfpay)).toEqual({ 'S-NO-UDID': 'outside_unknown', 'S-UNDEFINED-UDID': 'outside_unknown', 'S-NOT-IN-JOURNAL': 'outside_this_till', '': 'outside_refund' });
    // Every item has a sentence.
    for (const list of [result.matched, result.stateDiffers, result.amountDiffers, result.onlyInJournal, result.onlyAtQfpay]) {
      for (const item of list) expect(item.reason).toMatch(/^[A-Z].*[.)]$/);
    }
  });

  it('confirms paid and refunded totals per currency for this till only (matched or of its udid)', () => {
    const entries = [entry('S-1'), entry('S-2', { amountMinor: 500, currency: 'JPY' }), entry('R-1', { orderType: 'refund', state: 'refunded', amountMinor: 230 })];
    const records = [
      record('S-1'),
      record('S-2', { txamt: 500, txcurrcd: 'JPY' }),
      record('R-1', { order_type: 'refund', txamt: 230 }),
      record('S-MINE-UNKNOWN-TO-JOURNAL', { txamt: 1000 }),
      record('S-EXPIRED-THERE', { respcd: '1181', treatment: 'expired' }),
      record('S-NO-UDID', { udid: '', txamt: 99_999 }),
      record('S-OTHER', { udid: 'till-02', txamt: 88_888 }),
    ];
    expect(matchRecords(entries, records, SCOPE).totals).toEqual([
      { currency: 'HKD', paidCount: 2, grossMinor: 2230, refundCount: 1, refundMinor: 230 },
      { currency: 'JPY', paidCount: 1, grossMinor: 500, refundCount: 0, refundMinor: 0 },
    ]);
  });

  it('leaves rows and records of neighbouring periods to those periods', () => {
    const before = hk(2026, 11, 26, 3, 59, 59, 900);
    const entries = [
      // Written just before the period, stamped by QFPay just inside it: the earlier period's.
      entry('S-EARLIER', { createdAtMs: before }),
      // Written just before the end, stamped by QFPay just after it: this period's.
      entry('S-LATE', { createdAtMs: hk(2026, 11, 27, 3, 59, 59, 800) }),
      // A final sale QFPay never knew, in the period: nothing to expect.
      entry('S-NEVER-CREATED', { state: 'cancelled', syssn: null }),
    ];
    const records = [
      record('S-EARLIER', { sysdtm: '2026-11-26 04:00:00' }),
      record('S-LATE', { sysdtm: '2026-11-27 04:00:01' }),
      record('S-UNMATCHED-BEFORE', { sysdtm: '2026-11-26 03:59:59' }),
      record('S-UNMATCHED-FIRST-SECOND', { sysdtm: '2026-11-26 04:00:00' }),
      record('S-UNMATCHED-LAST-SECOND', { sysdtm: '2026-11-27 03:59:59' }),
      record('S-UNMATCHED-AFTER', { sysdtm: '2026-11-27 04:00:00' }),
    ];
    const result = matchRecords(entries, records, SCOPE);
    expect(ids(result.matched)).toEqual(['S-LATE']);
    expect(ids(result.onlyAtQfpay)).toEqual(['S-UNMATCHED-FIRST-SECOND', 'S-UNMATCHED-LAST-SECOND']);
    expect(result.onlyInJournal).toEqual([]);
  });

  it('an incomplete fetch lists what it saw but never guesses what is missing at QFPay', () => {
    const entries = [entry('S-1'), entry('S-2')];
    const result = matchRecords(entries, [record('S-1'), record('S-X')], { ...SCOPE, complete: false, problems: ['page 2 could not be fetched'] });
    expect(result.complete).toBe(false);
    expect(ids(result.matched)).toEqual(['S-1']);
    expect(ids(result.onlyAtQfpay)).toEqual(['S-X']);
    expect(result.onlyInJournal).toEqual([]);
    expect(result.totals).toEqual([]);
    expect(result.problems).toEqual(['page 2 could not be fetched', '1 journal sales and refunds of the period were not checked: QFPay\'s records could not all be fetched.']);
  });

  it('orders each list by time, and keeps its shape when nothing happened', () => {
    const entries = [entry('S-B', { createdAtMs: hk(2026, 11, 26, 13) }), entry('S-A', { createdAtMs: hk(2026, 11, 26, 11) })];
    expect(ids(matchRecords(entries, [record('S-B'), record('S-A')], SCOPE).matched)).toEqual(['S-A', 'S-B']);
    expect(matchRecords([], [], SCOPE)).toEqual({
      period: { fromMs: FROM, toMs: TO },
      complete: true,
      matched: [],
      onlyInJournal: [],
      onlyAtQfpay: [],
      stateDiffers: [],
      amountDiffers: [],
      totals: [],
      problems: [],
    });
  });

  it('a second QFPay record for one journal sale is flagged', () => {
    const result = matchRecords([entry('S-1')], [record('S-1'), record('S-1', { syssn: 'SSN-DUPLICATE' })], SCOPE);
    expect(ids(result.matched)).toEqual(['S-1']);
    expect(result.onlyAtQfpay).toEqual([expect.objectContaining({ out_trade_no: 'S-1', reason: expect.stringMatching(/second payment record/) })]);
  });
});
