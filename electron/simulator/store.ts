import { formatTxdtm, localParts, type LocalParts } from '../qfpay/time';
import type { WireParams } from '../qfpay/sign';
import { randomCode, randomDigits, type Random } from './random';

// The simulator's ground truth: every order and refund, keyed by syssn and by
// out_trade_no (payments and refunds share one namespace, as at QFPay). Time
// is only ever read from the injected clock, and state that depends on time
// (expiry, an auto-payment due) is brought up to date when it is looked at.

export type PaymentState = 'unpaid' | 'paid' | 'closed' | 'expired' | 'failed';
export type RefundState = 'pending' | 'refunded';

export interface SimPayment {
  order_type: 'payment';
  syssn: string;
  out_trade_no: string;
  pay_type: string;
  txamt: number;
  txcurrcd: string;
  txdtm: string;
  sysdtm: string;
  udid?: string;
  goods_name?: string;
  rmb_tag?: boolean;
  qrcode: string;
  createdAtMs: number;
  expiresAtMs: number;
  autoPayAtMs?: number;
  state: PaymentState;
  /**
   * Status code of the customer's last failed attempt (e.g. 1201 insufficient
   * balance). As at QFPay, a failed attempt does not end a merchant-presented
   * order: /query shows the code while the order stays payable until it is
   * paid, closed or expires.
   */
  failRespcd?: string;
  paidAtMs?: number;
  paydtm?: string;
  chnlsn?: string;
  closedAtMs?: number;
  refundedMinor: number;
  /** Every /payment request that named this out_trade_no, accepted or refused as a duplicate. */
  paymentRequests: number;
  closeRequests: number;
}

export interface SimRefund {
  order_type: 'refund';
  syssn: string;
  out_trade_no: string;
  origssn: string;
  pay_type: string;
  txamt: number;
  txcurrcd: string;
  txdtm: string;
  sysdtm: string;
  udid?: string;
  createdAtMs: number;
  settlesAtMs: number;
  state: RefundState;
  /** Every /refund request that named this out_trade_no. */
  refundRequests: number;
}

export type SimOrder = SimPayment | SimRefund;

export interface StoreOptions {
  now: () => number;
  random: Random;
  timeZone?: string | undefined;
}

export class OrderStore {
  private readonly byOutTradeNo = new Map<string, SimOrder>();
  private readonly bySyssn = new Map<string, SimOrder>();
  private sequence = 0;

  constructor(private readonly options: StoreOptions) {}

  now(): number {
    return this.options.now();
  }

  /** Wall-clock parts of now in the merchant's zone. */
  localNow(): LocalParts {
    return localParts(this.now(), this.options.timeZone);
  }

  localTime(epochMs: number): string {
    return formatTxdtm(epochMs, this.options.timeZone);
  }

  /** 26 digits: the local date, a sequence number that makes it unique, and random digits. */
  newSyssn(): string {
    const p = localParts(this.now(), this.options.timeZone);
    const date = `${p.year}${String(p.month).padStart(2, '0')}${String(p.day).padStart(2, '0')}`;
    this.sequence += 1;
    return `${date}${String(this.sequence).padStart(8, '0')}${randomDigits(this.options.random, 10)}`;
  }

  newQrText(): string {
    return `weixin://wxpay/bizpayurl?pr=${randomCode(this.options.random, 7)}`;
  }

  newChnlsn(): string {
    return `4200${randomDigits(this.options.random, 24)}`;
  }

  byOutTradeNoOf(outTradeNo: string): SimOrder | undefined {
    const order = this.byOutTradeNo.get(outTradeNo);
    if (order) this.refresh(order);
    return order;
  }

  bySyssnOf(syssn: string): SimOrder | undefined {
    const order = this.bySyssn.get(syssn);
    if (order) this.refresh(order);
    return order;
  }

  add(order: SimOrder): void {
    this.byOutTradeNo.set(order.out_trade_no, order);
    this.bySyssn.set(order.syssn, order);
  }

  all(): SimOrder[] {
    const orders = [...this.byOutTradeNo.values()];
    for (const order of orders) this.refresh(order);
    return orders;
  }

  clear(): void {
    this.byOutTradeNo.clear();
    this.bySyssn.clear();
  }

  createPayment(params: WireParams, autoPayAfterMs: number | undefined): SimPayment {
    const now = this.now();
    const minutes = params.expired_time ? Number(params.expired_time) : 30;
    const payment: SimPayment = {
      order_type: 'payment',
      syssn: this.newSyssn(),
      out_trade_no: params.out_trade_no!,
      pay_type: params.pay_type!,
      txamt: Number(params.txamt),
      txcurrcd: params.txcurrcd!,
      txdtm: params.txdtm!,
      sysdtm: this.localTime(now),
      qrcode: this.newQrText(),
      createdAtMs: now,
      expiresAtMs: now + minutes * 60_000,
      state: 'unpaid',
      refundedMinor: 0,
      paymentRequests: 1,
      closeRequests: 0,
    };
    if (params.udid) payment.udid = params.udid;
    if (params.goods_name) payment.goods_name = params.goods_name;
    if (params.rmb_tag === 'Y') payment.rmb_tag = true;
    if (autoPayAfterMs !== undefined) payment.autoPayAtMs = now + autoPayAfterMs;
    this.add(payment);
    return payment;
  }

  /** The customer paid (a scan in WeChat, or the control API). */
  markPaid(payment: SimPayment, atMs = this.now()): void {
    payment.state = 'paid';
    payment.paidAtMs = atMs;
    payment.paydtm = this.localTime(atMs);
    payment.chnlsn = this.newChnlsn();
  }

  /** The customer's attempt failed; the order stays open (see failRespcd). */
  markFailed(payment: SimPayment, respcd: string): void {
    payment.failRespcd = respcd;
  }

  close(payment: SimPayment): void {
    payment.state = 'closed';
    payment.closedAtMs = this.now();
  }

  createRefund(original: SimPayment, params: WireParams, settleAfterMs: number): SimRefund {
    const now = this.now();
    const refund: SimRefund = {
      order_type: 'refund',
      syssn: this.newSyssn(),
      out_trade_no: params.out_trade_no!,
      origssn: original.syssn,
      pay_type: original.pay_type,
      txamt: Number(params.txamt),
      txcurrcd: original.txcurrcd,
      txdtm: params.txdtm!,
      sysdtm: this.localTime(now),
      createdAtMs: now,
      settlesAtMs: now + settleAfterMs,
      state: settleAfterMs > 0 ? 'pending' : 'refunded',
      refundRequests: 1,
    };
    if (params.udid) refund.udid = params.udid;
    original.refundedMinor += refund.txamt;
    this.add(refund);
    return refund;
  }

  /** Brings time-driven state up to date, in the order the events happened. */
  refresh(order: SimOrder): void {
    const now = this.now();
    if (order.order_type === 'refund') {
      if (order.state === 'pending' && now >= order.settlesAtMs) order.state = 'refunded';
      return;
    }
    if (order.state !== 'unpaid') return;
    if (order.autoPayAtMs !== undefined && order.autoPayAtMs < order.expiresAtMs && now >= order.autoPayAtMs) {
      this.markPaid(order, order.autoPayAtMs);
    } else if (now >= order.expiresAtMs) {
      order.state = 'expired';
    }
  }

  /** Paid takings of the local day of `atMs`, less that day's refunds: what can cover a refund (1269). */
  unsettledOfDay(currency: string): number {
    const today = this.localTime(this.now()).slice(0, 10);
    let total = 0;
    for (const order of this.all()) {
      if (order.txcurrcd !== currency) continue;
      if (order.order_type === 'payment' && order.state === 'paid' && order.paydtm?.startsWith(today)) total += order.txamt;
      if (order.order_type === 'refund' && order.sysdtm.startsWith(today)) total -= order.txamt;
    }
    return total;
  }
}

export const CLOSED_RESPCD = '1264';
export const EXPIRED_RESPCD = '1181';

/** The transaction's status code as /query reports it. */
export function recordRespcd(order: SimOrder): string {
  if (order.order_type === 'refund') return order.state === 'refunded' ? '0000' : '1145';
  switch (order.state) {
    case 'unpaid':
      return order.failRespcd ?? '1143';
    case 'paid':
      return '0000';
    case 'closed':
      return CLOSED_RESPCD;
    case 'expired':
      return EXPIRED_RESPCD;
    case 'failed':
      return order.failRespcd ?? '1205';
  }
}

/** QFPay's `cancel` field: 2 MPM cancelled, 3 refunded, 5 partly refunded. */
export function cancelFlag(order: SimOrder): number {
  if (order.order_type === 'refund') return 0;
  if (order.state === 'closed') return 2;
  if (order.refundedMinor > 0) return order.refundedMinor >= order.txamt ? 3 : 5;
  return 0;
}

/** One /query data item, with every field API.md lists. */
export function toRecord(order: SimOrder, respcdOverride?: string): Record<string, string> {
  const respcd = respcdOverride ?? recordRespcd(order);
  const base: Record<string, string> = {
    syssn: order.syssn,
    out_trade_no: order.out_trade_no,
    order_type: order.order_type,
    txamt: String(order.txamt),
    txcurrcd: order.txcurrcd,
    txdtm: order.txdtm,
    sysdtm: order.sysdtm,
    respcd,
    errmsg: respcd === '0000' ? '' : ERRMSG[respcd] ?? 'transaction failed',
    cancel: String(cancelFlag(order)),
    udid: order.udid ?? '',
    cash_fee: String(order.txamt),
    cash_fee_type: order.txcurrcd,
    exchange_rate: '1',
    chnlsn: '',
    paydtm: '',
    origssn: '',
    goods_name: '',
    pay_type: '',
    cash_refund_fee: '',
    cash_refund_fee_type: '',
  };
  if (order.order_type === 'refund') {
    base.origssn = order.origssn;
    base.pay_type = order.pay_type;
    base.cash_refund_fee = String(order.txamt);
    base.cash_refund_fee_type = order.txcurrcd;
    if (order.state === 'refunded') base.paydtm = order.sysdtm;
  } else {
    base.pay_type = order.pay_type;
    base.goods_name = order.goods_name ?? '';
    if (order.paydtm) base.paydtm = order.paydtm;
    if (order.chnlsn) base.chnlsn = order.chnlsn;
  }
  return base;
}

const ERRMSG: Record<string, string> = {
  '1143': 'order not paid, customer is paying',
  '1145': 'processing, please wait',
  '1181': 'order expired',
  '1264': 'order closed',
  '1201': 'insufficient balance',
};
