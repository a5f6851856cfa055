import { describe, it, expect } from 'vitest';
import {
  CURRENCIES,
  MAX_TXAMT,
  decimalsOf,
  formatMinor,
  formatMinorPlain,
  isCurrencyCode,
  isValidTxamt,
  parseMajorAmount,
  type ParseAmountError,
} from '../../../shared/currency';

describe('currencies', () => {
  it('are exactly the ones API.md lists for txcurrcd', () => {
    expect([...CURRENCIES].sort()).toEqual(['AED', 'AUD', 'CAD', 'CNY', 'EUR', 'HKD', 'IDR', 'JPY', 'MMK', 'MYR', 'SGD', 'THB', 'USD']);
  });

  it('JPY has no minor unit, HKD has two', () => {
    expect(decimalsOf('JPY')).toBe(0);
    expect(decimalsOf('HKD')).toBe(2);
  });

  it('isCurrencyCode takes only the exact upper-case codes', () => {
    expect(isCurrencyCode('HKD')).toBe(true);
    expect(isCurrencyCode('hkd')).toBe(false);
    expect(isCurrencyCode('HKG')).toBe(false);
    expect(isCurrencyCode('toString')).toBe(false);
    expect(isCurrencyCode(undefined)).toBe(false);
  });

  it('isValidTxamt is Int(11): 1 to 99999999999 whole minor units', () => {
    expect(isValidTxamt(1)).toBe(true);
    expect(isValidTxamt(99_999_999_999)).toBe(true);
    expect(isValidTxamt(0)).toBe(false);
    expect(isValidTxamt(100_000_000_000)).toBe(false);
    expect(isValidTxamt(12.5)).toBe(false);
    expect(isValidTxamt('100')).toBe(false);
  });
});

describe('parseMajorAmount HKD', () => {
  it.each([
    ['12.30', 1230],
    ['12.3', 1230],
    ['12', 1200],
    ['0.01', 1],
    ['0.10', 10],
    ['1,234.50', 123450],
    ['12,345,678.90', 1234567890],
    [' 12.30 ', 1230],
    ['007.50', 750],
    ['999999999.99', 99999999999],
    ['999,999,999.99', 99999999999],
  ])('%j → %i minor units', (text, amountMinor) => {
    expect(parseMajorAmount(text, 'HKD')).toEqual({ ok: true, amountMinor });
  });

  it('999999999.99 is exactly the largest txamt', () => {
    expect(parseMajorAmount('999999999.99', 'HKD')).toEqual({ ok: true, amountMinor: MAX_TXAMT });
  });

  it.each<[string, ParseAmountError]>([
    ['12.345', 'too_many_decimals'],
    ['0.001', 'too_many_decimals'],
    ['0', 'zero'],
    ['0.00', 'zero'],
    ['000', 'zero'],
    ['abc', 'not_a_number'],
    ['-12.30', 'not_a_number'],
    ['+12.30', 'not_a_number'],
    ['.50', 'not_a_number'],
    ['1e3', 'not_a_number'],
    ['12 30', 'not_a_number'],
    ['HK$12.30', 'not_a_number'],
    ['１２.３０', 'not_a_number'],
    ['12.30.5', 'not_a_number'],
    // A decimal comma or a misplaced separator must not be read as grouping:
    // "12,30" as 1230.00 would charge a hundred times the amount.
    ['12,30', 'not_a_number'],
    ['1.2,3', 'not_a_number'],
    ['1,2,3', 'not_a_number'],
    ['1234,567.00', 'not_a_number'],
    [',123', 'not_a_number'],
    ['123,', 'not_a_number'],
    ['', 'empty'],
    ['   ', 'empty'],
    ['1000000000.00', 'too_large'],
    ['1000000000', 'too_large'],
    ['99999999999999999999999', 'too_large'],
  ])('%j is refused as %s', (text, error) => {
    expect(parseMajorAmount(text, 'HKD')).toEqual({ ok: false, error });
  });
});

describe('parseMajorAmount JPY (no minor unit)', () => {
  it.each([
    ['500', 500],
    ['1,000', 1000],
    ['99999999999', 99999999999],
  ])('%j → %i', (text, amountMinor) => {
    expect(parseMajorAmount(text, 'JPY')).toEqual({ ok: true, amountMinor });
  });

  it.each<[string, ParseAmountError]>([
    ['5.0', 'too_many_decimals'],
    ['500.5', 'too_many_decimals'],
    ['0', 'zero'],
    ['100000000000', 'too_large'],
  ])('%j is refused as %s', (text, error) => {
    expect(parseMajorAmount(text, 'JPY')).toEqual({ ok: false, error });
  });
});

describe('formatMinorPlain', () => {
  it.each([
    [1230, 'HKD', '12.30'],
    [1, 'HKD', '0.01'],
    [10, 'HKD', '0.10'],
    [0, 'HKD', '0.00'],
    [-5, 'HKD', '-0.05'],
    [123450, 'HKD', '1234.50'],
    [99_999_999_999, 'HKD', '999999999.99'],
    [500, 'JPY', '500'],
    [0, 'JPY', '0'],
    [99_999_999_999, 'JPY', '99999999999'],
  ] as const)('%i %s → %j', (amountMinor, currency, text) => {
    expect(formatMinorPlain(amountMinor, currency)).toBe(text);
  });

  it('round-trips through parseMajorAmount for every HKD amount shape', () => {
    for (const amountMinor of [1, 9, 10, 99, 100, 101, 1230, 123456, MAX_TXAMT]) {
      expect(parseMajorAmount(formatMinorPlain(amountMinor, 'HKD'), 'HKD')).toEqual({ ok: true, amountMinor });
    }
  });
});

describe('formatMinor', () => {
  it('shows HKD with the HK$ sign and two decimals', () => {
    expect(formatMinor(1230, 'HKD')).toBe('HK$12.30');
    expect(formatMinor(1, 'HKD')).toBe('HK$0.01');
    expect(formatMinor(123450, 'HKD')).toBe('HK$1,234.50');
  });

  it('is exact for the largest HKD amount', () => {
    expect(formatMinor(MAX_TXAMT, 'HKD')).toBe('HK$999,999,999.99');
  });

  it('shows JPY with no decimals, exact for the largest amount', () => {
    const small = formatMinor(500, 'JPY');
    const largest = formatMinor(MAX_TXAMT, 'JPY');
    // The sign's spelling (¥, JP¥, ￥) depends on the locale data; the digits must not.
    expect(small).toContain('¥');
    expect(small.replace(/[^\d.,]/g, '')).toBe('500');
    expect(largest.replace(/[^\d.,]/g, '')).toBe('99,999,999,999');
  });

  it('follows the requested locale', () => {
    expect(formatMinor(123450, 'HKD', 'en-US')).toBe('HK$1,234.50');
    expect(formatMinor(123450, 'EUR', 'de-DE').replace(/\s/g, ' ')).toBe('1.234,50 €');
  });
});
