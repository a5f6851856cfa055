import { normalizeRespcd, treatmentOf, type Treatment } from './codes';
import { asInteger, asText } from './tolerant-json';

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
  const orderType = asText(item.order_type);
  return {
    syssn,
    out_trade_no: asText(item.out_trade_no) ?? '',
    // A record with an origssn is a refund even if order_type is missing.
    order_type: orderType === 'refund' || (orderType === undefined && asText(item.origssn)) ? 'refund' : 'payment',
    respcd,
    treatment: treatmentOf(respcd),
    cancel: asInteger(item.cancel) ?? 0,
    ...withAmount(item, texts(item, RECORD_TEXTS)),
  };
}

export function readQuery(head: AnswerHead, body: Body): QueryAnswer {
  const data = Array.isArray(body.data) ? body.data : [];
  const records: QueryRecord[] = [];
  for (const item of data) {
    if (typeof item === 'object' && item !== null) {
      const record = readRecord(item as Body);
      if (record) records.push(record);
    }
  }
  const answer: QueryAnswer = { ...head, records };
  const page = asInteger(body.page);
  const pageSize = asInteger(body.page_size);
  if (page !== undefined) answer.page = page;
  if (pageSize !== undefined) answer.page_size = pageSize;
  return answer;
}
