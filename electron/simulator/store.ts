import { formatTxdtm, localParts, type LocalParts } from '../qfpay/time';
import type { WireParams } from '../qfpay/sign';
import { qrTextFor } from './qr-text';
import { randomDigits, type Random } from './random';

// The simulator's ground truth: every order and refund, keyed by syssn and by
// out_trade_no (payments and refunds share one namespace, as at QFPay). Time
// is only ever read from the injected clock, and state that depends on time
// (expiry, an auto-payment due) is brought up to date when it is looked at.

/** `unpaid` is also a consumer-presented payment waiting for the customer's password. */
export type PaymentState = 'unpaid' | 'paid' | 'closed' | 'reversed' | 'expired' | 'failed';
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
  /** Merchant-presented only: the QR text. */
  qrcode?: string;
  /** Consumer-presented only: the customer's payment code (never shown unmasked). */
  auth_code?: string;
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
  reversedAtMs?: number;
  refundedMinor: number;
  /** Every /payment request that named this out_trade_no, accepted or refused as a duplicate. */
  paymentRequests: number;
  closeRequests: number;
  reversalRequests: number;
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
  /** Every customer payment code QFPay has seen: a code pays once (2005 after). */
  private readonly usedAuthCodes = new Set<string>();
  private sequence = 0;
  /** Requests QFPay received but runs later (the refund fault commitAfterMs), earliest first. */
  private deferred: { atMs: number; run: () => void }[] = [];
  /** While deferred work runs, the time it runs at. */
  private runningAtMs: number | undefined;

  constructor(private readonly options: StoreOptions) {}

  /** A fresh QR text of that wallet's form, for an order that is not in the store (the wrong-order fault). */
  strayQrText(payType: string, txamt: number, currency: string): string {
    return qrTextFor(payType, txamt, currency, this.options.random);
  }

  now(): number {
    return this.runningAtMs ?? this.options.now();
  }

  /** Runs `run` at `atMs`: when anything looks at the store from then on, as it had happened then. */
  defer(atMs: number, run: () => void): void {
    this.deferred.push({ atMs, run });
    this.deferred.sort((a, b) => a.atMs - b.atMs);
  }

  private runDue(): void {
    if (this.runningAtMs !== undefined) return;
    const now = this.options.now();
    while (this.deferred.length > 0 && this.deferred[0]!.atMs <= now) {
      const due = this.deferred.shift()!;
      this.runningAtMs = due.atMs;
      try {
        due.run();
      } finally {
        this.runningAtMs = undefined;
      }
    }
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

  /** Records a customer's payment code as used; false if it was used before. */
  useAuthCode(code: string): boolean {
    if (this.usedAuthCodes.has(code)) return false;
    this.usedAuthCodes.add(code);
    return true;
  }

  newChnlsn(): string {
    return `4200${randomDigits(this.options.random, 24)}`;
  }

  byOutTradeNoOf(outTradeNo: string): SimOrder | undefined {
    this.runDue();
    const order = this.byOutTradeNo.get(outTradeNo);
    if (order) this.refresh(order);
    return order;
  }

  bySyssnOf(syssn: string): SimOrder | undefined {
    this.runDue();
    const order = this.bySyssn.get(syssn);
    if (order) this.refresh(order);
    return order;
  }

  add(order: SimOrder): void {
    this.byOutTradeNo.set(order.out_trade_no, order);
    this.bySyssn.set(order.syssn, order);
  }

  all(): SimOrder[] {
    this.runDue();
    const orders = [...this.byOutTradeNo.values()];
    for (const order of orders) this.refresh(order);
    return orders;
  }

  clear(): void {
    this.deferred = [];
    this.usedAuthCodes.clear();
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
      createdAtMs: now,
      expiresAtMs: now + minutes * 60_000,
      state: 'unpaid',
      refundedMinor: 0,
      paymentRequests: 1,
      closeRequests: 0,
      reversalRequests: 0,
    };
    if (params.auth_code) payment.auth_code = params.auth_code;
    else payment.qrcode = qrTextFor(payment.pay_type, payment.txamt, payment.txcurrcd, this.options.random);
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

  /** The customer's attempt failed; an MPM order stays open and payable (see failRespcd). */
  markFailed(payment: SimPayment, respcd: string): void {
    payment.failRespcd = respcd;
  }

  /** A scanned code refused for good (CPM: insufficient balance): nothing more can happen to the order. */
  markFailedForGood(payment: SimPayment, respcd: string): void {
    payment.state = 'failed';
    payment.failRespcd = respcd;
  }

  close(payment: SimPayment): void {
    payment.state = 'closed';
    payment.closedAtMs = this.now();
  }

  reverse(payment: SimPayment): void {
    payment.state = 'reversed';
    payment.reversedAtMs = this.now();
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
    // QFPay's recorded answers keep 0000 on a reversed order and say so with
    // cancel 1 (API.md "Read respcd together with cancel"): the simulator
    // does the same, so a till that reads 0000 alone as paid fails its tests.
    case 'paid':
    case 'reversed':
      return '0000';
    case 'closed':
      return CLOSED_RESPCD;
    case 'expired':
      return EXPIRED_RESPCD;
    case 'failed':
      return order.failRespcd ?? '1205';
  }
}

/** QFPay's `cancel` field: 1 reversed, 2 MPM cancelled, 3 refunded, 5 partly refunded. */
export function cancelFlag(order: SimOrder): number {
  if (order.order_type === 'refund') return 0;
  if (order.state === 'reversed') return 1;
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
