import { normalizeRespcd, treatmentOf, type Treatment } from './codes';
import { asInteger, asText, parseQfpayJson } from './tolerant-json';

// Typed views of QFPay's answers. Every field is read tolerantly: numbers may
// arrive as strings or numbers, codes quoted or not, fields may be missing.

export interface AnswerHead {
  /** Four-digit status of the request itself. */
  respcd: string;
  treatment: Treatment;
  resperr: string;
  respmsg: string;
}

export interface PaymentAnswer extends AnswerHead {
  syssn?: string;
  out_trade_no?: string;
  txamt?: number;
  txcurrcd?: string;
  txdtm?: string;
  sysdtm?: string;
  paydtm?: string;
  pay_type?: string;
  udid?: string;
  chnlsn?: string;
  cardcd?: string;
  /** MPM: the text to draw as the QR code (e.g. weixin://wxpay/bizpayurl?pr=…). */
  qrcode?: string;
}

export interface CancelAnswer extends AnswerHead {
  syssn?: string;
  orig_syssn?: string;
  out_trade_no?: string;
  txamt?: number;
  txcurrcd?: string;
  txdtm?: string;
  sysdtm?: string;
  chnlsn?: string;
}

export interface RefundAnswer extends AnswerHead {
  syssn?: string;
  orig_syssn?: string;
  out_trade_no?: string;
  txamt?: number;
  sysdtm?: string;
  cash_fee?: string;
  cash_fee_type?: string;
  cash_refund_fee?: string;
  cash_refund_fee_type?: string;
}

export type OrderType = 'payment' | 'refund';

export interface QueryRecord {
  syssn: string;
  out_trade_no: string;
  pay_type?: string;
  order_type: OrderType;
  txamt?: number;
  txcurrcd?: string;
  txdtm?: string;
  sysdtm?: string;
  paydtm?: string;
  /** The transaction's own status: 0000 paid, 1143/1145 in progress, else failed. */
  respcd: string;
  treatment: Treatment;
  errmsg?: string;
  /** 0 none, 1 CPM reversed/refunded, 2 MPM cancelled, 3 refunded, 4 pre-auth finished, 5 partly refunded. */
  cancel: number;
  origssn?: string;
  chnlsn?: string;
  udid?: string;
  goods_name?: string;
  cash_fee?: string;
  cash_fee_type?: string;
  cash_refund_fee?: string;
  cash_refund_fee_type?: string;
  exchange_rate?: string;
}

export interface QueryAnswer extends AnswerHead {
  page?: number;
  page_size?: number;
  records: QueryRecord[];
  /**
   * Items of `data` the till could not read (no respcd, no syssn, not an
   * object), with whatever ids they carried; `data` itself unreadable is one
   * item with no ids. An order that may be among them cannot be called absent.
   */
  unreadable?: Array<{ out_trade_no?: string; syssn?: string }>;
}

/**
 * A transaction record's verdict on its order (API.md, "Read respcd together
 * with cancel"):
 * - paid: 0000 with cancel 0, or cancel 3/4/5 (refunded or finished after payment), or 1262;
 * - open: 1143/1145, the customer may still pay;
 * - closed: closed or reversed (1142/1263/1264, cancel 1 or 2 — also on a 0000: the money did not stay);
 * - expired: 1181;
 * - declined: any other code. For a merchant-presented order that is the
 *   customer's attempt failing (1201 balance, 1297 bank busy, an unlisted code…),
 *   not the order: the same QR can still be paid until it is closed or expires;
 * - undecided: a cancel value QFPay never documented: never final.
 * Refund records: paid means refunded, and the cancel flag does not apply.
 */
export type OrderStatus = 'paid' | 'open' | 'closed' | 'expired' | 'declined' | 'undecided';

const CLOSED_RESPCDS = new Set(['1142', '1263', '1264']);

/** The record's verdict on its order. */
export const recordStatus = (r: Pick<QueryRecord, 'order_type' | 'respcd' | 'cancel'>): OrderStatus => orderStatusOf(r.order_type, r.respcd, r.cancel);

export function orderStatusOf(orderType: OrderType, respcd: string, cancel: number): OrderStatus {
  const treatment = treatmentOf(respcd);
  if (orderType === 'refund') {
    if (respcd === '0000') return 'paid';
    return treatment === 'in_progress' ? 'open' : 'declined';
  }
  if (cancel === 1 || cancel === 2 || CLOSED_RESPCDS.has(respcd)) return 'closed';
  if (respcd === '0000' || treatment === 'refunded') return cancel === 0 || cancel === 3 || cancel === 4 || cancel === 5 ? 'paid' : 'undecided';
  if (treatment === 'in_progress') return 'open';
  if (treatment === 'expired') return 'expired';
  return 'declined';
}

type Body = Record<string, unknown>;

function texts<K extends string>(body: Body, names: readonly K[]): Partial<Record<K, string>> {
  const out: Partial<Record<K, string>> = {};
  for (const name of names) {
    const value = asText(body[name]);
    if (value !== undefined && value !== '') out[name] = value;
  }
  return out;
}

function withAmount<T extends object>(body: Body, fields: T): T & { txamt?: number } {
  const txamt = asInteger(body.txamt);
  return txamt === undefined ? fields : { ...fields, txamt };
}

export function readHead(body: Body): AnswerHead | undefined {
  const respcd = normalizeRespcd(body.respcd);
  if (respcd === undefined) return undefined;
  return {
    respcd,
    treatment: treatmentOf(respcd),
    resperr: asText(body.resperr) ?? '',
    respmsg: asText(body.respmsg) ?? '',
  };
}

export function readPayment(head: AnswerHead, body: Body): PaymentAnswer {
  return {
    ...head,
    ...withAmount(body, texts(body, ['syssn', 'out_trade_no', 'txcurrcd', 'txdtm', 'sysdtm', 'paydtm', 'pay_type', 'udid', 'chnlsn', 'cardcd', 'qrcode'] as const)),
  };
}

export function readCancel(head: AnswerHead, body: Body): CancelAnswer {
  return {
    ...head,
    ...withAmount(body, texts(body, ['syssn', 'orig_syssn', 'out_trade_no', 'txcurrcd', 'txdtm', 'sysdtm', 'chnlsn'] as const)),
  };
}

export function readRefund(head: AnswerHead, body: Body): RefundAnswer {
  return {
    ...head,
    ...withAmount(
      body,
      texts(body, ['syssn', 'orig_syssn', 'out_trade_no', 'sysdtm', 'cash_fee', 'cash_fee_type', 'cash_refund_fee', 'cash_refund_fee_type'] as const),
    ),
  };
}

const RECORD_TEXTS = [
  'pay_type', 'txcurrcd', 'txdtm', 'sysdtm', 'paydtm', 'errmsg', 'origssn', 'chnlsn', 'udid', 'goods_name',
  'cash_fee', 'cash_fee_type', 'cash_refund_fee', 'cash_refund_fee_type', 'exchange_rate',
] as const;

export function readRecord(item: Body): QueryRecord | undefined {
  const syssn = asText(item.syssn);
  const respcd = normalizeRespcd(item.respcd);
  if (syssn === undefined || respcd === undefined) return undefined;
  // A cancel flag that is present but not a number is not "0": the record cannot be read.
  const cancel = item.cancel === undefined || item.cancel === null || item.cancel === '' ? 0 : asInteger(item.cancel);
  if (cancel === undefined) return undefined;
  const orderType = asText(item.order_type);
  const order_type: OrderType = orderType === 'refund' || (orderType === undefined && asText(item.origssn)) ? 'refund' : 'payment';
  return {
    syssn,
    out_trade_no: asText(item.out_trade_no) ?? '',
    // A record with an origssn is a refund even if order_type is missing.
    order_type,
    respcd,
    treatment: treatmentOf(respcd),
    cancel,
    ...withAmount(item, texts(item, RECORD_TEXTS)),
  };
}

/**
 * `data` in every shape QFPay is known to send: a list of records, one record
 * as an object, or either as a JSON string. Anything else is unreadable
 * (undefined): never "no records".
 */
function dataItems(data: unknown): unknown[] | undefined {
  let value = data;
  if (typeof value === 'string') {
    try {
      value = parseQfpayJson(value);
    } catch {
      return undefined;
    }
  }
  if (Array.isArray(value)) return value;
  if (typeof value === 'object' && value !== null) return [value];
  return undefined;
}

export function readQuery(head: AnswerHead, body: Body): QueryAnswer {
  const items = dataItems(body.data);
  const records: QueryRecord[] = [];
  const unreadable: NonNullable<QueryAnswer['unreadable']> = items === undefined ? [{}] : [];
  for (const item of items ?? []) {
    const record = typeof item === 'object' && item !== null && !Array.isArray(item) ? readRecord(item as Body) : undefined;
    if (record) {
      records.push(record);
      continue;
    }
    const ids: { out_trade_no?: string; syssn?: string } = {};
    if (typeof item === 'object' && item !== null) {
      const outTradeNo = asText((item as Body).out_trade_no);
      const syssn = asText((item as Body).syssn);
      if (outTradeNo) ids.out_trade_no = outTradeNo;
      if (syssn) ids.syssn = syssn;
    }
    unreadable.push(ids);
  }
  const answer: QueryAnswer = { ...head, records, unreadable };
  const page = asInteger(body.page);
  const pageSize = asInteger(body.page_size);
  if (page !== undefined) answer.page = page;
  if (pageSize !== undefined) answer.page_size = pageSize;
  return answer;
}
