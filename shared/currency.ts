// Currencies QFPay accepts (API.md, payment `txcurrcd`) and their minor units.
// Amounts are integers in minor units end to end; this file is the only place
// that turns a cashier's "12.30" into 1230 and back, with no floating point.

export const CURRENCY_DECIMALS = {
  AED: 2,
  AUD: 2,
  CAD: 2,
  CNY: 2,
  EUR: 2,
  HKD: 2,
  IDR: 2,
  JPY: 0,
  MMK: 2,
  MYR: 2,
  SGD: 2,
  THB: 2,
  USD: 2,
} as const;

export type CurrencyCode = keyof typeof CURRENCY_DECIMALS;

export const CURRENCIES = Object.keys(CURRENCY_DECIMALS) as CurrencyCode[];

/** QFPay's `txamt` is Int(11): 1 … 99,999,999,999 minor units. */
export const MIN_TXAMT = 1;
export const MAX_TXAMT = 99_999_999_999;

export function isCurrencyCode(value: unknown): value is CurrencyCode {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(CURRENCY_DECIMALS, value);
}

export function decimalsOf(currency: CurrencyCode): number {
  return CURRENCY_DECIMALS[currency];
}

export function isValidTxamt(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= MIN_TXAMT && value <= MAX_TXAMT;
}

export type ParseAmountError = 'empty' | 'not_a_number' | 'too_many_decimals' | 'zero' | 'too_large';

export type ParseAmountResult = { ok: true; amountMinor: number } | { ok: false; error: ParseAmountError };

/**
 * Parses an amount as a cashier types it ("12.30", "12.3", "1,234.50", "500")
 * into integer minor units. Never goes through a float.
 */
export function parseMajorAmount(text: string, currency: CurrencyCode): ParseAmountResult {
  const trimmed = text.trim();
  if (trimmed === '') return { ok: false, error: 'empty' };
  // Commas only as thousands separators in the whole part: "12,30" (a decimal
  // comma) or "1.2,3" must be refused, not read as 1230.00 or 1.23.
  const match = /^(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?$/.exec(trimmed);
  if (!match) return { ok: false, error: 'not_a_number' };
  const whole = (match[1] ?? '').replace(/,/g, '');
  const fraction = match[2] ?? '';
  const decimals = decimalsOf(currency);
  if (fraction.length > decimals) return { ok: false, error: 'too_many_decimals' };
  const digits = (whole + fraction.padEnd(decimals, '0')).replace(/^0+(?=\d)/, '');
  if (digits.length > String(MAX_TXAMT).length) return { ok: false, error: 'too_large' };
  const amountMinor = Number(digits);
  if (amountMinor === 0) return { ok: false, error: 'zero' };
  if (amountMinor > MAX_TXAMT) return { ok: false, error: 'too_large' };
  return { ok: true, amountMinor };
}

/** "1230" HKD → "12.30"; plain digits, no grouping, for machines and logs. */
export function formatMinorPlain(amountMinor: number, currency: CurrencyCode): string {
  const decimals = decimalsOf(currency);
  const negative = amountMinor < 0;
  const digits = String(Math.abs(amountMinor)).padStart(decimals + 1, '0');
  const whole = decimals === 0 ? digits : digits.slice(0, -decimals);
  const fraction = decimals === 0 ? '' : `.${digits.slice(-decimals)}`;
  return `${negative ? '-' : ''}${whole}${fraction}`;
}

/** Amount for people, in the given locale ("HK$12.30", "¥500"). */
export function formatMinor(amountMinor: number, currency: CurrencyCode, locale = 'en-HK'): string {
  const decimals = decimalsOf(currency);
  const formatter = new Intl.NumberFormat(locale, {
    style: 'currency',
    currency,
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
  });
  // Intl formats a decimal string exactly (no float rounding) for any txamt.
  return formatter.format(formatMinorPlain(amountMinor, currency) as unknown as number);
}
