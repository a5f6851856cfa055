import { isCurrencyCode, type CurrencyCode } from '../../shared/currency';
import { MPM_PAY_TYPES, PAY_TYPES, WECHAT_MPM, authCodeFits, payTypeForAuthCode, payTypeInfo } from '../../shared/pay-types';
import { checkRealName, type RealName, type RealNameProblem } from '../../shared/real-name';
import { checkGoodsNote } from '../qfpay/goods-name';
import { toWire, validateWire } from '../qfpay/params';
import type { EngineError } from './engine';

// The checks a charge passes before anything is written: amount, currency,
// note and QR lifetime as QFPay's rules say (params.ts), then the wallet and
// the real-name check as the merchant's settings allow. Every refusal names
// the field at fault and never echoes a personal value.

/** What the merchant enabled (Settings); read at each charge, so a change applies to the next sale. */
export interface PaymentSettings {
  /** Merchant-presented wallets offered, first = default (settings.mpmPayTypes). */
  mpmPayTypes: readonly string[];
  /** Pay types for which the real-name check may be sent (settings.realNamePayTypes). */
  realNamePayTypes: readonly string[];
  /** CPM: every code goes as 800008 (settings.unifiedCpm). */
  unifiedCpm: boolean;
  /** CPM: how long the customer has to confirm before the order is reversed (settings.cpmWindowSeconds). */
  cpmWindowSeconds: number;
}

/**
 * Without settings (the command line): every wallet QFPay lists, WeChat
 * first, and the real-name check for any pay type (the caller typed it).
 */
export const OPEN_PAYMENT_SETTINGS: PaymentSettings = {
  mpmPayTypes: MPM_PAY_TYPES,
  realNamePayTypes: Object.keys(PAY_TYPES),
  unifiedCpm: false,
  cpmWindowSeconds: 60,
};

export type Checked<T> = { ok: true; value: T } | { ok: false; error: EngineError };

const refuse = <T>(code: EngineError['code'], message: string, field?: string): Checked<T> => ({ ok: false, error: field === undefined ? { code, message } : { code, message, field } });

export interface BasicChargeInput {
  amountMinor: number;
  currency: string;
  goodsName?: string | undefined;
  expiredMinutes?: number | undefined;
}

/** A QR sale: a merchant-presented wallet, optionally with the payer's real-name check. */
export interface ChargeInput extends BasicChargeInput {
  /** A merchant-presented wallet enabled in Settings; absent: the first enabled (WeChat). */
  payType?: string | undefined;
  /** The payer's real-name check, sent once as extend_info; only its masked form is kept. */
  realName?: RealName | undefined;
}

/** A scanned code (issue 13 §1): the pay type follows from the code unless given. */
export interface CodeChargeInput extends BasicChargeInput {
  authCode: string;
  /** 800208, 800108 or 800008; absent: from the code's first digits (and settings.unifiedCpm). */
  payType?: string | undefined;
  realName?: RealName | undefined;
}

/** Amount, currency, note and QR lifetime, checked as QFPay would (the types first: the wire rules read text). */
export function checkChargeInput(input: BasicChargeInput, defaultExpiredMinutes: number): Checked<{ currency: CurrencyCode; expiredMinutes: number }> {
  if (typeof input !== 'object' || input === null) return refuse('invalid_input', 'a charge needs an amount and a currency');
  // Types first: the wire rules below read text, so the string '100' or a
  // numeric goods name would pass them and reach the journal as another type.
  if (typeof input.amountMinor !== 'number') return refuse('invalid_input', 'the amount must be a whole number of minor units', 'txamt');
  if (typeof input.currency !== 'string') return refuse('invalid_input', 'unknown currency', 'txcurrcd');
  if (input.goodsName !== undefined && input.goodsName !== null && typeof input.goodsName !== 'string') {
    return refuse('invalid_input', 'the goods name must be text', 'goods_name');
  }
  if (input.expiredMinutes !== undefined && input.expiredMinutes !== null && typeof input.expiredMinutes !== 'number') {
    return refuse('invalid_input', 'the QR lifetime must be whole minutes', 'expired_time');
  }
  const expiredMinutes = input.expiredMinutes ?? defaultExpiredMinutes;
  const currency = input.currency;
  const probe = toWire({
    txamt: input.amountMinor,
    txcurrcd: currency,
    pay_type: WECHAT_MPM,
    out_trade_no: 'probe',
    txdtm: '2000-01-01 00:00:00',
    expired_time: expiredMinutes,
  });
  const checked = validateWire('payment', probe);
  if (!checked.ok) return refuse('invalid_input', checked.error.message, checked.error.field);
  // The note is kept whole in the journal; only a cut-down name is sent (goods-name.ts).
  const note = input.goodsName ? checkGoodsNote(input.goodsName) : undefined;
  if (note) return refuse('invalid_input', note.message, note.field);
  if (!isCurrencyCode(currency)) return refuse('invalid_input', 'unknown currency', 'txcurrcd');
  return { ok: true, value: { currency, expiredMinutes } };
}

/** The merchant-presented wallet of a charge: one the merchant enabled; absent = the first enabled. */
export function checkMpmPayType(payType: unknown, settings: PaymentSettings): Checked<string> {
  if (payType === undefined || payType === null) {
    const first = settings.mpmPayTypes[0] ?? WECHAT_MPM;
    return { ok: true, value: first };
  }
  if (typeof payType !== 'string' || payTypeInfo(payType)?.presented !== 'merchant') {
    return refuse('invalid_input', 'unknown merchant-presented pay type', 'pay_type');
  }
  if (!settings.mpmPayTypes.includes(payType)) return refuse('pay_type_disabled', `${payTypeInfo(payType)!.name} is not enabled in Settings`, 'pay_type');
  return { ok: true, value: payType };
}

const REAL_NAME_PROBLEMS: Record<RealNameProblem, string> = {
  id_format: 'the ID card number must be 17 digits and a digit or X',
  id_checksum: 'the ID card number is not valid (its check digit does not match)',
  name_format: 'the name must be letters only (up to 40)',
};

/**
 * The real-name check, if any: allowed for this pay type in Settings, and
 * well formed. The message names the problem, never the value.
 */
export function checkRealNameInput(realName: unknown, payType: string, settings: PaymentSettings): Checked<RealName | undefined> {
  if (realName === undefined || realName === null) return { ok: true, value: undefined };
  if (!settings.realNamePayTypes.includes(payType)) return refuse('pay_type_disabled', 'the real-name check is not enabled for this pay type in Settings', 'realName');
  const { idCardNumber, name } = realName as Partial<RealName>;
  if (typeof realName !== 'object' || typeof idCardNumber !== 'string' || typeof name !== 'string') {
    return refuse('invalid_input', 'the real-name check needs an ID card number and a name', 'realName');
  }
  const problem = checkRealName({ idCardNumber, name });
  if (problem) return { ok: false, error: { code: 'invalid_input', message: REAL_NAME_PROBLEMS[problem], field: 'realName', problem } };
  return { ok: true, value: { idCardNumber, name } };
}

/**
 * The pay type of a scanned code: the one given (a consumer-presented pay
 * type the code fits), else by the code's first digits (or 800008 when the
 * merchant uses the unified code). A code that is neither wallet's is refused
 * with field auth_code; the code itself is never echoed.
 */
export function checkAuthCode(authCode: unknown, payType: unknown, settings: PaymentSettings): Checked<string> {
  if (typeof authCode !== 'string' || !/^\d{10,32}$/.test(authCode)) return refuse('invalid_input', 'the payment code must be 10 to 32 digits', 'auth_code');
  if (payType !== undefined && payType !== null) {
    if (typeof payType !== 'string' || payTypeInfo(payType)?.presented !== 'consumer') return refuse('invalid_input', 'unknown consumer-presented pay type', 'pay_type');
    if (!authCodeFits(payType, authCode)) return refuse('invalid_input', `this payment code is not a ${payTypeInfo(payType)!.name} code`, 'auth_code');
    return { ok: true, value: payType };
  }
  const chosen = payTypeForAuthCode(authCode, settings.unifiedCpm);
  if (!chosen) return refuse('invalid_input', 'this payment code is neither a WeChat Pay nor an Alipay code', 'auth_code');
  return { ok: true, value: chosen };
}
