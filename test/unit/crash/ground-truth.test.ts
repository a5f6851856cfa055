import { describe, expect, it } from 'vitest';
import { CASH_PAY_TYPE } from '../../../shared/cash';
import type { OrderView } from '../../../electron/simulator/server';
import { compareWithGroundTruth, type JournalRefund, type JournalSale, type JournalSnapshot } from '../../crash/ground-truth';

// Ground truth knows the tenders (issue 13): a cash sale and its refunds are
// journal-only, so the comparison must neither call them missing at QFPay nor
// let QFPay hold an order under their names.

const sale = (out_trade_no: string, pay_type: string, over: Partial<JournalSale> = {}): JournalSale => ({
  out_trade_no,
  udid: 'till-01',
  state: 'paid',
  amount_minor: 500,
  pay_type,
  syssn: pay_type === CASH_PAY_TYPE ? null : `syssn-${out_trade_no}`,
  expires_at_ms: 0,
  refunded_minor: 0,
  paid_after_cancel: 0,
  cancel_reason: null,
  last_respcd: null,
  order_no: out_trade_no,
  parked_at_ms: null,
  ...over,
});
const refund = (out_trade_no: string, sale_out_trade_no: string, amount_minor: number): JournalRefund => ({
  out_trade_no,
  sale_out_trade_no,
  state: 'refunded',
  amount_minor,
  syssn: null,
});
const payment = (out_trade_no: string, over: Partial<OrderView> = {}): OrderView => ({
  order_type: 'payment',
  out_trade_no,
  syssn: `syssn-${out_trade_no}`,
  state: 'paid',
  respcd: '0000',
  txamt: 500,
  txcurrcd: 'HKD',
  sysdtm: '2026-11-30 12:00:00',
  udid: 'till-01',
  pay_type: '800201',
  paymentRequests: 1,
  closeRequests: 0,
  reversalRequests: 0,
  refundRequests: 0,
  ...over,
});
const compare = (journal: JournalSnapshot, orders: OrderView[]) => compareWithGroundTruth(journal, orders, { nowMs: 0, allowFreshAwaitingScan: false });

describe('compareWithGroundTruth with cash', () => {
  it('a paid cash sale and its refund with no order at QFPay are no problem', () => {
    const journal = {
      sales: [sale('S-CASH', CASH_PAY_TYPE, { refunded_minor: 200 }), sale('S-QR', '800201')],
      refunds: [refund('R-CASH', 'S-CASH', 200)],
      replaced: [],
    };
    expect(compare(journal, [payment('S-QR')]).problems).toEqual([]);
  });

  it('a cash sale with an order at QFPay is reported once, whatever the order says', () => {
    const journal = { sales: [sale('S-CASH', CASH_PAY_TYPE)], refunds: [], replaced: [] };
    for (const state of ['paid', 'unpaid', 'closed']) {
      const problems = compare(journal, [payment('S-CASH', { state, syssn: 'X' })]).problems;
      expect(problems).toEqual([{ kind: 'mismatch', outTradeNo: 'S-CASH', detail: `a cash sale has a payment order at QFPay (${state})` }]);
    }
  });

  it('a refund of a cash sale with a refund at QFPay is reported', () => {
    const journal = { sales: [sale('S-CASH', CASH_PAY_TYPE, { refunded_minor: 200 })], refunds: [refund('R-CASH', 'S-CASH', 200)], replaced: [] };
    const atQfpay = payment('R-CASH', { order_type: 'refund', state: 'refunded', txamt: 200, refundRequests: 1, paymentRequests: 0 });
    expect(compare(journal, [atQfpay]).problems).toEqual([{ kind: 'mismatch', outTradeNo: 'R-CASH', detail: 'a cash refund has a refund order at QFPay (refunded)' }]);
  });

  it('a QFPay sale is still held to QFPay: paid in the journal with no order is a mismatch', () => {
    const journal = { sales: [sale('S-QR', '800201')], refunds: [refund('R-QR', 'S-QR', 100)], replaced: [] };
    expect(compare(journal, []).problems.map((p) => [p.kind, p.outTradeNo, p.detail])).toEqual([
      ['mismatch', 'S-QR', 'journal says paid, QFPay has no such order'],
      ['mismatch', 'R-QR', 'journal says refunded, QFPay has no such refund'],
    ]);
  });

  it('a cash sale left open in the journal is still unresolved', () => {
    const journal = { sales: [sale('S-CASH', CASH_PAY_TYPE, { state: 'creating' })], refunds: [], replaced: [] };
    expect(compare(journal, []).counts).toEqual({ lost: 0, duplicated: 0, unresolved: 1, mismatch: 0 });
  });
});
