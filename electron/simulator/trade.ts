import { authCodeFits, payTypeInfo } from '../qfpay/pay-types';
import type { WireParams } from '../qfpay/sign';
import type { QueryShape } from './faults';
import { OrderStore, toRecord, type SimPayment, type SimOrder } from './store';

// What QFPay does with a request that passed authentication and the field
// rules: the business logic of /payment, /query, /close, /reversal, /refund.

export type Answer = Record<string, unknown> & { respcd: string; resperr: string; respmsg: string };

export const answer = (respcd: string, resperr = '', extra: Record<string, unknown> = {}): Answer => ({
  respcd,
  resperr,
  respmsg: resperr,
  ...extra,
});

export interface TradeOptions {
  /** Refuse refunds between 23:30 and 00:30 local time (1265), as QFPay does. */
  refundCutoffWindow: boolean;
  /** Refuse refunds larger than the day's unsettled takings (1269), as QFPay does. */
  refundNeedsCover: boolean;
  /** A consumer-presented code ending in 1: the customer confirms the password this long (simulator clock) after the request. */
  cpmPasswordMs: number;
  /**
   * Pay types whose orders QFPay will not cancel (API.md: "Hong Kong pay types
   * do not support cancel"): close and reversal answer 1150 and change nothing.
   */
  noCancelPayTypes: readonly string[];
}

export interface TradeContext {
  autoPayAfterMs: number | undefined;
  refundSettleMs: number;
  /** Non-zero: report matching payments as 1145 in this query (the caller counts down). */
  reportInProgress: boolean;
  /** Refunds only: run the request this long after it arrived (a request held up in the network). */
  commitAfterMs?: number | undefined;
  /** Report unpaid payments' records with this respcd in this query (a failed attempt on an open order). */
  openRespcd?: string | undefined;
  /** Report closed payments as 0000 + cancel 2. */
  closedAsPaidCancel?: boolean;
  /** Answer this query in another shape. */
  queryShape?: QueryShape | undefined;
  /** This close answers 0000 and does nothing. */
  closeNoEffect?: boolean;
  /** This payment's answer names another order. */
  paymentWrongOrder?: boolean;
  /** This query lists nothing (QFPay's query lagging behind its orders). */
  hides?: boolean;
  /** List a failed attempt before each paid payment's record. */
  failedAttemptListed?: boolean;
}

/** The respcd /query shows for an order under this query's faults, or undefined for the real one. */
function shownRespcd(o: SimOrder, ctx: TradeContext): string | undefined {
  if (o.order_type !== 'payment') return undefined;
  if (ctx.reportInProgress && (o.state === 'unpaid' || o.state === 'paid')) return '1145';
  if (ctx.openRespcd && o.state === 'unpaid') return ctx.openRespcd;
  if (ctx.closedAsPaidCancel && o.state === 'closed') return '0000';
  return undefined;
}

/** `data` in the shape the fault asks for. */
function shaped(records: Record<string, string>[], shape: QueryShape | undefined): unknown {
  switch (shape) {
    case undefined:
      return records;
    case 'object':
      return records[0] ?? {};
    case 'string':
      return JSON.stringify(records);
    case 'no_respcd':
      return records.map(({ respcd: _dropped, ...rest }) => rest);
  }
}

export class Trade {
  constructor(
    readonly store: OrderStore,
    private readonly options: TradeOptions,
  ) {}

  payment(params: WireParams, ctx: TradeContext): Answer {
    const existing = this.store.byOutTradeNoOf(params.out_trade_no!);
    if (existing) {
      if (existing.order_type === 'payment') existing.paymentRequests += 1;
      else existing.refundRequests += 1;
      // A repeated out_trade_no (payments and refunds share the namespace).
      return answer('1102', `duplicate out_trade_no ${params.out_trade_no}: query it instead of paying again`);
    }
    const info = payTypeInfo(params.pay_type!)!; // validateWire knows every pay type
    if (info.presented === 'consumer') return this.cpmPayment(params);
    const payment = this.store.createPayment(params, ctx.autoPayAfterMs);
    if (ctx.paymentWrongOrder) {
      // Another till's paid HK$1.00 order, answered to this request: the order asked for exists, unseen.
      return answer('0000', '', {
        syssn: this.store.newSyssn(),
        out_trade_no: `S-OTHER-TILL-${payment.syssn.slice(-8)}`,
        txamt: '100',
        txcurrcd: payment.txcurrcd,
        txdtm: payment.txdtm,
        sysdtm: payment.sysdtm,
        pay_type: payment.pay_type,
        qrcode: this.store.strayQrText(payment.pay_type, 100, payment.txcurrcd),
      });
    }
    return answer('0000', '', { ...paymentFields(payment), qrcode: payment.qrcode });
  }

  /**
   * The cashier scanned the customer's code. The code's last digit plays the
   * customer (README "CPM"): 1 confirms a password after cpmPasswordMs, 2 never
   * confirms, 3 has too little money, anything else pays at once.
   */
  private cpmPayment(params: WireParams): Answer {
    const code = params.auth_code!;
    if (!authCodeFits(params.pay_type!, code)) return answer('1202', `the payment code is not one pay_type ${params.pay_type} takes`);
    if (!this.store.useAuthCode(code)) return answer('2005', 'the payment code was used already: ask for a new one');
    const payment = this.store.createPayment(params, undefined);
    switch (code.at(-1)) {
      case '1':
        payment.autoPayAtMs = payment.createdAtMs + this.options.cpmPasswordMs;
        return answer('1145', 'waiting for the customer\'s password', paymentFields(payment));
      case '2':
        return answer('1145', 'waiting for the customer\'s password', paymentFields(payment));
      case '3':
        this.store.markFailedForGood(payment, '1201');
        return answer('1201', 'insufficient balance', paymentFields(payment));
      default:
        this.store.markPaid(payment);
        return answer('0000', '', paymentFields(payment));
    }
  }

  query(params: WireParams, ctx: TradeContext): Answer {
    const syssns = params.syssn?.split(',');
    const outTradeNos = params.out_trade_no?.split(',');
    let orders: SimOrder[];
    if (syssns) {
      // A syssn finds its order whatever the time range.
      orders = syssns.map((s) => this.store.bySyssnOf(s)).filter((o): o is SimOrder => o !== undefined);
      if (outTradeNos) orders = orders.filter((o) => outTradeNos.includes(o.out_trade_no));
    } else {
      const [start, end] = this.range(params);
      const candidates = outTradeNos
        ? outTradeNos.map((n) => this.store.byOutTradeNoOf(n)).filter((o): o is SimOrder => o !== undefined)
        : this.store.all();
      orders = candidates.filter((o) => o.sysdtm >= start && o.sysdtm <= end);
    }
    // A refund carries its original payment's pay_type, so one test covers both.
    const payTypes = params.pay_type?.split(',');
    if (payTypes) orders = orders.filter((o) => payTypes.includes(o.pay_type));
    if (ctx.hides) orders = [];
    let records = orders.flatMap((o) => {
      const record = toRecord(o, shownRespcd(o, ctx));
      // The customer's declined first try, listed before the payment that went through.
      return ctx.failedAttemptListed && o.order_type === 'payment' && record.respcd === '0000' ? [{ ...toRecord(o, '1201'), cancel: '0' }, record] : [record];
    });
    if (params.respcd) records = records.filter((r) => r.respcd === params.respcd);
    records.sort((a, b) => (a.sysdtm! < b.sysdtm! ? -1 : a.sysdtm! > b.sysdtm! ? 1 : a.syssn! < b.syssn! ? -1 : 1));
    const page = params.page ? Number(params.page) : 1;
    const pageSize = params.page_size ? Number(params.page_size) : 10;
    const data = records.slice((page - 1) * pageSize, page * pageSize);
    return answer('0000', '', { page: String(page), page_size: String(pageSize), data: shaped(data, ctx.queryShape) });
  }

  /**
   * Without start_time/end_time QFPay searches the current calendar month;
   * with one bound alone, the rest of that bound's month (API.md).
   */
  private range(params: WireParams): [string, string] {
    const { start_time: start, end_time: end } = params;
    const p = this.store.localNow();
    const month = (start ?? end)?.slice(0, 7) ?? `${p.year}-${String(p.month).padStart(2, '0')}`;
    // sysdtm compares as text, so day 31 bounds every month.
    return [start ?? `${month}-01 00:00:00`, end ?? `${month}-31 23:59:59`];
  }

  /** /close: WeChat MPM and the other wallets the table cancels by close. */
  close(params: WireParams, ctx: Partial<TradeContext> = {}): Answer {
    const found = this.findForCancel(params);
    if ('respcd' in found) return found;
    const payment = found;
    payment.closeRequests += 1;
    if (payTypeInfo(payment.pay_type)?.cancel === 'reversal') {
      return answer('1136', `pay_type ${payment.pay_type} is cancelled by /trade/v1/reversal, not close`, cancelFields(payment));
    }
    // closeNoEffect (a fault): QFPay accepts the close and the order stays payable.
    return this.cancel(payment, params, () => {
      if (!ctx.closeNoEffect) this.store.close(payment);
    });
  }

  /**
   * /reversal: Alipay MPM and every consumer-presented order. An order still
   * waiting for the password is reversed (query: 0000 with cancel 1); a paid
   * one answers 1260, which the till reads as "paid: confirm by query". A
   * close-type order (WeChat MPM) is closed, as the simulator always did.
   */
  reversal(params: WireParams): Answer {
    const found = this.findForCancel(params);
    if ('respcd' in found) return found;
    const payment = found;
    payment.reversalRequests += 1;
    if (payTypeInfo(payment.pay_type)?.cancel !== 'reversal') return this.cancel(payment, params, () => this.store.close(payment));
    return this.cancel(payment, params, () => this.store.reverse(payment));
  }

  private cancel(payment: SimPayment, params: WireParams, commit: () => void): Answer {
    // QFPay's own tests note that close checks neither txamt nor txdtm against the order.
    const extra = cancelFields(payment);
    if (this.options.noCancelPayTypes.includes(payment.pay_type)) return answer('1150', `pay_type ${payment.pay_type} does not support cancel`, extra);
    switch (payment.state) {
      case 'paid':
        return answer('1260', 'order already paid: refund it instead', extra);
      case 'closed':
        return answer('1142', 'order already closed', extra);
      case 'reversed':
        return answer('1263', 'order already reversed', extra);
      case 'expired':
        return answer('1181', 'order expired', extra);
      case 'failed':
        return answer('1136', 'the order failed and cannot be cancelled', extra);
      case 'unpaid':
        commit();
        return answer('0000', '', { ...extra, syssn: this.store.newSyssn(), txdtm: params.txdtm, sysdtm: this.store.localTime(this.store.now()), chnlsn: '' });
    }
  }

  private findForCancel(params: WireParams): SimPayment | Answer {
    const bySyssn = params.syssn ? this.store.bySyssnOf(params.syssn) : undefined;
    const byOutTradeNo = params.out_trade_no ? this.store.byOutTradeNoOf(params.out_trade_no) : undefined;
    if (params.syssn && params.out_trade_no && bySyssn !== byOutTradeNo) {
      return answer('1267', 'syssn and out_trade_no name different orders');
    }
    const order = bySyssn ?? byOutTradeNo;
    if (!order || order.order_type !== 'payment') return answer('1136', 'no such payment');
    return order;
  }

  refund(params: WireParams, ctx: TradeContext): Answer {
    if (ctx.commitAfterMs !== undefined) {
      // Whatever the till is told now, QFPay decides on the refund later, on the state it finds then.
      this.store.defer(this.store.now() + ctx.commitAfterMs, () => this.refund(params, { ...ctx, commitAfterMs: undefined }));
      return answer('1145', 'refund received, not yet run');
    }
    const existing = this.store.byOutTradeNoOf(params.out_trade_no!);
    if (existing) {
      if (existing.order_type === 'refund') existing.refundRequests += 1;
      else existing.paymentRequests += 1;
      return answer('1102', `duplicate out_trade_no ${params.out_trade_no}: query it instead of refunding again`);
    }
    const original = this.store.bySyssnOf(params.syssn!);
    if (!original || original.order_type !== 'payment') return answer('1136', `no payment with syssn ${params.syssn}`);
    // FPS has no refunds at QFPay (API.md): refused whatever the order's state.
    if (payTypeInfo(original.pay_type)?.refundable === false) return answer('1155', `pay_type ${original.pay_type} (FPS) cannot be refunded`);
    if (original.state === 'closed' || original.state === 'reversed') return answer('1263', 'the order was cancelled');
    if (original.state === 'unpaid') return answer('1261', 'the order is not paid');
    if (original.state !== 'paid') return answer('1136', 'the order was never paid');
    const amount = Number(params.txamt);
    const remaining = original.txamt - original.refundedMinor;
    if (remaining <= 0) return answer('1125', 'already fully refunded');
    if (amount > remaining) return answer('1272', `refund ${amount} exceeds the refundable ${remaining}`);
    if (this.options.refundCutoffWindow) {
      const p = this.store.localNow();
      const minutes = p.hour * 60 + p.minute;
      if (minutes >= 23 * 60 + 30 || minutes < 30) return answer('1265', 'no refunds between 23:30 and 00:30');
    }
    if (this.options.refundNeedsCover && this.store.unsettledOfDay(original.txcurrcd) < amount) {
      return answer('1269', "today's unsettled takings are less than the refund");
    }
    const refund = this.store.createRefund(original, params, ctx.refundSettleMs);
    return answer(refund.state === 'refunded' ? '0000' : '1145', refund.state === 'refunded' ? '' : 'refund processing, query it', {
      syssn: refund.syssn,
      orig_syssn: original.syssn,
      out_trade_no: refund.out_trade_no,
      txamt: String(refund.txamt),
      txcurrcd: refund.txcurrcd,
      sysdtm: refund.sysdtm,
      cash_fee: String(original.txamt),
      cash_fee_type: original.txcurrcd,
      cash_refund_fee: String(refund.txamt),
      cash_refund_fee_type: refund.txcurrcd,
    });
  }
}

function cancelFields(payment: SimPayment): Record<string, unknown> {
  return { orig_syssn: payment.syssn, out_trade_no: payment.out_trade_no, txamt: String(payment.txamt), txcurrcd: payment.txcurrcd };
}

/** The /payment answer's fields for an order QFPay created (qrcode added by MPM). */
function paymentFields(payment: SimPayment): Record<string, unknown> {
  return {
    syssn: payment.syssn,
    out_trade_no: payment.out_trade_no,
    txamt: String(payment.txamt),
    txcurrcd: payment.txcurrcd,
    txdtm: payment.txdtm,
    sysdtm: payment.sysdtm,
    paydtm: payment.paydtm ?? '',
    pay_type: payment.pay_type,
    udid: payment.udid ?? '',
    chnlsn: payment.chnlsn ?? '',
    cardcd: '',
  };
}
