import { isCurrencyCode } from '../../shared/currency';
import { parseTxdtm } from './time';
import type { WireParams } from './sign';
import { PAY_TYPES, isPayType } from './pay-types';
import { checkRealName, maskAuthCode, maskExtendInfo } from './real-name';

// One set of field rules for QFPay's wire parameters (API.md). The client runs
// them on what it is about to send, the simulator on what it received: the
// same rule cannot drift between the two.

export type Endpoint = 'payment' | 'query' | 'close' | 'reversal' | 'refund';
export const ENDPOINT_PATHS: Readonly<Record<Endpoint, string>> = {
  payment: '/trade/v1/payment',
  query: '/trade/v1/query',
  close: '/trade/v1/close',
  reversal: '/trade/v1/reversal',
  refund: '/trade/v1/refund',
};

/** Why a field was refused. `required`/`format` are QFPay's 1103, the rest 1104. */
export type InputReason = 'required' | 'format' | 'range' | 'not_allowed' | 'conflict';

export class QfpayInputError extends Error {
  override readonly name = 'QfpayInputError';
  constructor(
    readonly field: string,
    readonly reason: InputReason,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

export type ValidationResult = { ok: true; params: WireParams } | { ok: false; error: QfpayInputError };

// The pay-type table lives in pay-types.ts; re-exported for the field rules' users.
export { PAY_TYPES, WECHAT_MPM, isPayType, type PayType } from './pay-types';
export { buildExtendInfo, type RealName } from './real-name';

const OUT_TRADE_NO = /^[A-Za-z0-9_-]{1,128}$/;
const TXAMT = /^[1-9]\d{0,10}$/; // Int(11): 1 … 99,999,999,999
const UDID = /^[A-Za-z0-9._:-]{1,40}$/;
// API.md: the seed says String(16), but QFPay's own published test mchids are 26.
export const MCHID = /^[A-Za-z0-9]{1,32}$/;
const SYSSN = /^\d{1,40}$/;
const RESPCD = /^\d{4}$/;
const AUTH_CODE = /^\d{10,32}$/;

const utf8Length = (text: string) => new TextEncoder().encode(text).length;

type Check = (value: string, all: WireParams) => QfpayInputError | undefined;
const fail = (field: string, reason: InputReason, message: string) => new QfpayInputError(field, reason, message);

const rule = {
  txamt: (v: string) =>
    TXAMT.test(v) ? undefined : fail('txamt', /^\d+$/.test(v) ? 'range' : 'format', 'must be a whole number of minor units from 1 to 99999999999'),
  txcurrcd: (v: string) => (isCurrencyCode(v) ? undefined : fail('txcurrcd', 'not_allowed', `${JSON.stringify(v)} is not a QFPay currency`)),
  pay_type: (v: string) => (isPayType(v) ? undefined : fail('pay_type', 'not_allowed', `${JSON.stringify(v)} is not a known pay type`)),
  out_trade_no: (v: string, field = 'out_trade_no') =>
    OUT_TRADE_NO.test(v) ? undefined : fail(field, 'format', 'must be 1–128 letters, digits, "-" or "_"'),
  txdtm: (v: string, field = 'txdtm') => (parseTxdtm(v) ? undefined : fail(field, 'format', 'must be a real time as YYYY-MM-DD hh:mm:ss')),
  udid: (v: string) => (UDID.test(v) ? undefined : fail('udid', 'format', 'must be 1–40 letters, digits, ".", ":", "-" or "_"')),
  mchid: (v: string) => (MCHID.test(v) ? undefined : fail('mchid', 'format', 'must be 1–32 letters or digits')),
  syssn: (v: string, field = 'syssn') => (SYSSN.test(v) ? undefined : fail(field, 'format', 'must be QFPay digits')),
};

function expiredTime(v: string, all: WireParams): QfpayInputError | undefined {
  if (!/^\d{1,3}$/.test(v)) return fail('expired_time', 'format', 'must be whole minutes');
  const minutes = Number(v);
  if (minutes < 5 || minutes > 120) return fail('expired_time', 'range', 'must be from 5 to 120 minutes');
  const payType = all.pay_type;
  if (payType && isPayType(payType) && PAY_TYPES[payType].presented !== 'merchant') {
    return fail('expired_time', 'not_allowed', 'applies to merchant-presented QR payments only');
  }
  return undefined;
}

// The field as QFPay defines it, String(64): the simulator holds a request to
// this and no more. What the till sends is cut down further to the page's
// "20 letters or digits" (goods-name.ts).
function goodsName(v: string): QfpayInputError | undefined {
  if (/[\p{Cc}\p{Cf}]/u.test(v)) return fail('goods_name', 'format', 'must not contain control characters');
  if (utf8Length(v) > 64) return fail('goods_name', 'range', 'must be at most 64 bytes (about 21 Chinese characters)');
  return undefined;
}

// Documented as optional on /payment; the till never sends it (no server to
// notify behind a shop router), but another client may.
function notifyUrl(v: string): QfpayInputError | undefined {
  // The URL parser silently drops tabs and newlines: refuse them first.
  if (/[\p{Cc}\p{Cf}\s]/u.test(v)) return fail('notify_url', 'format', 'must not contain spaces or control characters');
  let url: URL;
  try {
    url = new URL(v);
  } catch {
    return fail('notify_url', 'format', 'must be an http(s) URL');
  }
  return url.protocol === 'http:' || url.protocol === 'https:' ? undefined : fail('notify_url', 'format', 'must be an http(s) URL');
}

function rmbTag(v: string, all: WireParams): QfpayInputError | undefined {
  if (v !== 'Y') return fail('rmb_tag', 'format', 'must be "Y" when sent');
  if (all.txcurrcd !== 'CNY') return fail('rmb_tag', 'conflict', 'is only allowed with txcurrcd CNY');
  return undefined;
}

function extendInfo(v: string): QfpayInputError | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(v);
  } catch {
    return fail('extend_info', 'format', 'must be JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return fail('extend_info', 'format', 'must be a JSON object');
  const { user_creid: creid, user_truename: name, ...rest } = parsed as Record<string, unknown>;
  if (Object.keys(rest).length > 0) return fail('extend_info', 'not_allowed', 'may hold user_creid and user_truename only');
  if (typeof creid !== 'string') return fail('extend_info.user_creid', 'format', 'must be an 18-character ID card number');
  if (typeof name !== 'string') return fail('extend_info.user_truename', 'format', 'must be the payer\'s name');
  // The values never go into the message: it may be logged or shown.
  switch (checkRealName({ idCardNumber: creid, name })) {
    case 'id_format':
      return fail('extend_info.user_creid', 'format', 'must be an 18-character ID card number');
    case 'id_checksum':
      return fail('extend_info.user_creid', 'format', 'is not a valid ID card number (check character wrong)');
    case 'name_format':
      return fail('extend_info.user_truename', 'format', 'must be the payer\'s name');
  }
  return undefined;
}

function limitPay(v: string): QfpayInputError | undefined {
  return v === 'no_credit' ? undefined : fail('limit_pay', 'not_allowed', 'only "no_credit" is allowed');
}

function authCode(v: string, all: WireParams): QfpayInputError | undefined {
  if (!AUTH_CODE.test(v)) return fail('auth_code', 'format', 'must be the 10–32 digits of the customer\'s payment code');
  const payType = all.pay_type;
  if (payType && isPayType(payType) && PAY_TYPES[payType].presented !== 'consumer') {
    return fail('auth_code', 'not_allowed', 'applies to consumer-presented payments only');
  }
  return undefined;
}

function list(check: (v: string, field: string) => QfpayInputError | undefined, field: string, max: number): Check {
  return (v) => {
    const items = v.split(',');
    if (items.length > max) return fail(field, 'range', `may list at most ${max} values`);
    for (const item of items) {
      const error = check(item, field);
      if (error) return error;
    }
    return undefined;
  };
}

const positiveInt = (field: string, max: number): Check => (v) => {
  if (!/^\d{1,6}$/.test(v)) return fail(field, 'format', 'must be a whole number');
  const n = Number(v);
  return n >= 1 && n <= max ? undefined : fail(field, 'range', `must be from 1 to ${max}`);
};

interface EndpointRules {
  required: readonly string[];
  /** At least one of these must be present. */
  oneOf?: readonly string[];
  fields: Readonly<Record<string, Check>>;
  extra?: (all: WireParams) => QfpayInputError | undefined;
}

const common = { mchid: rule.mchid, udid: rule.udid };

// Either bound may come alone (API.md): the other is then the start or the
// end of the given bound's month, so the range is inside one month anyway.
function sameMonthRange(all: WireParams): QfpayInputError | undefined {
  const { start_time: start, end_time: end } = all;
  if (start === undefined || end === undefined) return undefined;
  if (start > end) return fail('end_time', 'range', 'must not be before start_time');
  // QFPay answers one calendar month per query (API.md, "Query").
  if (start.slice(0, 7) !== end.slice(0, 7)) return fail('end_time', 'range', 'must be in the same calendar month as start_time');
  return undefined;
}

const RULES: Readonly<Record<Endpoint, EndpointRules>> = {
  payment: {
    required: ['txamt', 'txcurrcd', 'pay_type', 'out_trade_no', 'txdtm'],
    fields: {
      ...common,
      txamt: rule.txamt,
      txcurrcd: rule.txcurrcd,
      pay_type: rule.pay_type,
      out_trade_no: (v) => rule.out_trade_no(v),
      txdtm: (v) => rule.txdtm(v),
      expired_time: expiredTime,
      goods_name: goodsName,
      notify_url: notifyUrl,
      rmb_tag: rmbTag,
      extend_info: extendInfo,
      limit_pay: limitPay,
      auth_code: authCode,
    },
    extra: (all) => {
      const payType = all.pay_type;
      if (payType && isPayType(payType) && PAY_TYPES[payType].presented === 'consumer' && all.auth_code === undefined) {
        return fail('auth_code', 'required', 'is required for consumer-presented payments');
      }
      return undefined;
    },
  },
  query: {
    required: [],
    fields: {
      ...common,
      syssn: list(rule.syssn, 'syssn', 100),
      out_trade_no: list(rule.out_trade_no, 'out_trade_no', 100),
      pay_type: list(rule.pay_type, 'pay_type', 100),
      respcd: (v) => (RESPCD.test(v) ? undefined : fail('respcd', 'format', 'must be a four-digit status code')),
      start_time: (v) => rule.txdtm(v, 'start_time'),
      end_time: (v) => rule.txdtm(v, 'end_time'),
      page: positiveInt('page', 999_999),
      page_size: positiveInt('page_size', 100),
    },
    extra: sameMonthRange,
  },
  close: {
    required: ['txamt', 'txdtm'],
    oneOf: ['syssn', 'out_trade_no'],
    fields: { ...common, syssn: (v) => rule.syssn(v), out_trade_no: (v) => rule.out_trade_no(v), txamt: rule.txamt, txdtm: (v) => rule.txdtm(v) },
  },
  reversal: {
    required: ['txamt', 'txdtm'],
    oneOf: ['syssn', 'out_trade_no'],
    fields: {
      ...common,
      syssn: (v) => rule.syssn(v),
      out_trade_no: (v) => rule.out_trade_no(v),
      txamt: rule.txamt,
      txdtm: (v) => rule.txdtm(v),
      // QFPay's reversal samples carry the currency.
      txcurrcd: rule.txcurrcd,
    },
  },
  refund: {
    required: ['syssn', 'out_trade_no', 'txamt', 'txdtm'],
    fields: { ...common, syssn: (v) => rule.syssn(v), out_trade_no: (v) => rule.out_trade_no(v), txamt: rule.txamt, txdtm: (v) => rule.txdtm(v) },
  },
};

export interface MerchantRule {
  /** The mchid QFPay issued, if any: then every call carries it; if none, none may. */
  mchid?: string | undefined;
  /**
   * `refuse` (the default: the till never sends a name QFPay does not know
   * for the endpoint) or `ignore` (what QFPay does on receipt, so the simulator
   * too: the name is signed like any other, then left out of the result).
   */
  unknownParams?: 'refuse' | 'ignore';
}

/**
 * Checks wire parameters for one endpoint. Returns the first problem, naming
 * the field; on success, the parameters the endpoint knows.
 */
export function validateWire(endpoint: Endpoint, rawParams: WireParams, merchant: MerchantRule = {}): ValidationResult {
  const rules = RULES[endpoint];
  // Own rules only: a received name like "hasOwnProperty", "toString" or
  // "__proto__" must not find Object.prototype's member and run it as a rule.
  const known = (name: string) => Object.hasOwn(rules.fields, name);
  const params = merchant.unknownParams === 'ignore' ? knownOnly(rawParams, known) : rawParams;
  for (const [name, value] of Object.entries(params)) {
    if (!known(name)) return { ok: false, error: fail(name, 'not_allowed', `is not a ${endpoint} parameter`) };
    if (value === '') return { ok: false, error: fail(name, 'format', 'is empty: leave it out instead') };
  }
  for (const name of rules.required) {
    if (params[name] === undefined) return { ok: false, error: fail(name, 'required', 'is required') };
  }
  if (rules.oneOf && !rules.oneOf.some((name) => params[name] !== undefined)) {
    return { ok: false, error: fail(rules.oneOf.join('|'), 'required', `one of ${rules.oneOf.join(' or ')} is required`) };
  }
  for (const [name, value] of Object.entries(params)) {
    const error = rules.fields[name]!(value, params);
    if (error) return { ok: false, error };
  }
  const extra = rules.extra?.(params);
  if (extra) return { ok: false, error: extra };
  if (merchant.mchid !== undefined && params.mchid === undefined) {
    return { ok: false, error: fail('mchid', 'required', 'is required: this merchant was issued a mchid') };
  }
  if (merchant.mchid === undefined && params.mchid !== undefined) {
    return { ok: false, error: fail('mchid', 'not_allowed', 'must not be sent: this merchant has no mchid') };
  }
  return { ok: true, params };
}

function knownOnly(params: WireParams, known: (name: string) => boolean): WireParams {
  const kept: Record<string, string> = {};
  for (const [name, value] of Object.entries(params)) if (known(name)) kept[name] = value;
  return kept;
}

/**
 * Typed values → wire strings. Leaves out undefined, null and empty values
 * (API.md: send only parameters that have a value). Numbers keep their exact
 * text, so 12.5 or NaN reach the rules and are refused there.
 */
export function toWire(values: Readonly<Record<string, string | number | undefined | null>>): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null || value === '') continue;
    params[name] = typeof value === 'number' ? String(value) : value;
  }
  return params;
}

/**
 * A copy safe for logs and the journal: real-name data and the customer's
 * payment code are masked. (The client key is never a parameter.)
 */
export function maskParams(params: WireParams): Record<string, string> {
  const masked: Record<string, string> = { ...params };
  if (masked.extend_info !== undefined) masked.extend_info = maskExtendInfo(masked.extend_info);
  if (masked.auth_code !== undefined) masked.auth_code = maskAuthCode(masked.auth_code);
  return masked;
}

/** Maps a refusal to the status code QFPay (and the simulator) answers with. */
export function respcdForInputError(error: QfpayInputError): '1103' | '1104' {
  return error.reason === 'required' || error.reason === 'format' ? '1103' : '1104';
}
