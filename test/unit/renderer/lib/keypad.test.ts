import { describe, expect, it } from 'vitest';
import { MAX_TXAMT, type CurrencyCode } from '../../../../shared/currency';
import { adaptEntry, entryAmountMinor, entryMinorFor, keyFromKeyboard, pressKey, pressKeyFor, type Key, type KeyResult } from '../../../../renderer/lib/keypad';

// The keypad's pure logic: what each key does to the entry, per currency,
// and the limits (no third decimal, no '.' for JPY, nothing beyond txamt).

/** Presses keys one after another from an empty entry; returns the last result. */
function type(keys: readonly Key[], currency: CurrencyCode, from = ''): KeyResult {
  let result: KeyResult = { entry: from };
  for (const key of keys) result = pressKey(result, key, currency);
  return result;
}

/** "12.30" → ['1', '2', '.', '3', '0'] */
const keysOf = (text: string) => [...text] as Key[];
const refusal = (r: KeyResult) => ('refused' in r ? r.refused : null);

describe('keypad entry, HKD (two decimals)', () => {
  it('types 12.30 into 1230 minor units', () => {
    const r = type(keysOf('12.30'), 'HKD');
    expect(r).toEqual({ entry: '12.30' });
    expect(entryAmountMinor(r.entry, 'HKD')).toBe(1230);
  });

  it('refuses a third decimal and keeps the entry', () => {
    const r = type(keysOf('12.345'), 'HKD');
    expect(r.entry).toBe('12.34');
    expect(refusal(r)).toBe('too_many_decimals');
    expect(entryAmountMinor(r.entry, 'HKD')).toBe(1234);
  });

  it('a leading "." starts "0." and a second "." is ignored', () => {
    expect(type(['.'], 'HKD')).toEqual({ entry: '0.' });
    expect(type(['.', '5', '.'], 'HKD')).toEqual({ entry: '0.5' });
    expect(entryAmountMinor('0.5', 'HKD')).toBe(50);
    expect(entryAmountMinor('0.', 'HKD')).toBeNull();
  });

  it('00 appends two zeros, and on an empty entry is a single 0', () => {
    expect(type(['1', '00'], 'HKD')).toEqual({ entry: '100' });
    expect(type(['00'], 'HKD')).toEqual({ entry: '0' });
    expect(type(['00', '00'], 'HKD')).toEqual({ entry: '0' });
    expect(type(['1', '.', '00'], 'HKD')).toEqual({ entry: '1.00' });
    expect(entryAmountMinor('1.00', 'HKD')).toBe(100);
  });

  it('00 that would make a third decimal is refused whole', () => {
    const r = type(['1', '.', '5', '00'], 'HKD');
    expect(r.entry).toBe('1.5');
    expect(refusal(r)).toBe('too_many_decimals');
  });

  it('a leading zero is replaced by the next digit', () => {
    expect(type(['0', '7'], 'HKD')).toEqual({ entry: '7' });
    expect(type(['0', '.', '0', '7'], 'HKD')).toEqual({ entry: '0.07' });
  });

  it('zero is not an amount', () => {
    for (const entry of ['', '0', '0.', '0.0', '0.00']) expect(entryAmountMinor(entry, 'HKD')).toBeNull();
  });

  it('accepts exactly the largest txamt and nothing beyond it', () => {
    // 99,999,999,999 minor units = 999,999,999.99 HKD.
    const max = type(keysOf('999999999.99'), 'HKD');
    expect(max).toEqual({ entry: '999999999.99' });
    expect(entryAmountMinor(max.entry, 'HKD')).toBe(MAX_TXAMT);

    const tooBig = type(keysOf('9999999999'), 'HKD');
    expect(tooBig.entry).toBe('999999999');
    expect(refusal(tooBig)).toBe('too_large');

    expect(refusal(type(['00'], 'HKD', '99999999'))).toBe('too_large');
    expect(type(['00'], 'HKD', '99999999').entry).toBe('99999999');
  });

  it('1,000,000,000.00 HKD (10^11 minor units) is refused at its last digit', () => {
    const r = type(keysOf('1000000000'), 'HKD');
    expect(r.entry).toBe('100000000');
    expect(refusal(r)).toBe('too_large');
  });

  it('backspace removes the last character, down to empty', () => {
    expect(type(['backspace'], 'HKD', '12.30')).toEqual({ entry: '12.3' });
    expect(type(['backspace', 'backspace'], 'HKD', '12.3')).toEqual({ entry: '12' });
    expect(type(['backspace'], 'HKD', '')).toEqual({ entry: '' });
    expect(type(['backspace'], 'HKD', '0.')).toEqual({ entry: '0' });
  });

  it('clear empties the entry', () => {
    expect(type(['clear'], 'HKD', '999.99')).toEqual({ entry: '' });
  });

  it('a key accepted after a refusal clears the refusal', () => {
    const refused = type(keysOf('1.234'), 'HKD');
    expect(refusal(refused)).toBe('too_many_decimals');
    expect(refusal(pressKey(refused, 'backspace', 'HKD'))).toBeNull();
  });
});

describe('keypad entry, CNY (two decimals)', () => {
  it('types 88.8 into 8880 fen', () => {
    expect(entryAmountMinor(type(keysOf('88.8'), 'CNY').entry, 'CNY')).toBe(8880);
  });

  it('refuses a third decimal', () => {
    const r = type(keysOf('0.019'), 'CNY');
    expect(r.entry).toBe('0.01');
    expect(refusal(r)).toBe('too_many_decimals');
    expect(entryAmountMinor(r.entry, 'CNY')).toBe(1);
  });

  it('has the same txamt ceiling as HKD', () => {
    expect(entryAmountMinor(type(keysOf('999999999.99'), 'CNY').entry, 'CNY')).toBe(MAX_TXAMT);
    expect(refusal(type(['0'], 'CNY', '999999999'))).toBe('too_large');
  });
});

describe('keypad entry, JPY (no decimals)', () => {
  it('refuses the decimal point', () => {
    const r = type(['5', '.'], 'JPY');
    expect(r.entry).toBe('5');
    expect(refusal(r)).toBe('no_decimals');
    expect(refusal(type(['.'], 'JPY'))).toBe('no_decimals');
    expect(type(['.'], 'JPY').entry).toBe('');
  });

  it('types 500 yen as 500 minor units', () => {
    expect(entryAmountMinor(type(['5', '00'], 'JPY').entry, 'JPY')).toBe(500);
  });

  it('accepts 99,999,999,999 yen and refuses a twelfth digit', () => {
    const max = type(keysOf('99999999999'), 'JPY');
    expect(entryAmountMinor(max.entry, 'JPY')).toBe(MAX_TXAMT);
    const more = pressKey(max, '9', 'JPY');
    expect(more.entry).toBe(max.entry);
    expect(refusal(more)).toBe('too_large');
    expect(refusal(pressKey({ entry: '9999999999' }, '00', 'JPY'))).toBe('too_large');
    expect(pressKey({ entry: '999999999' }, '00', 'JPY')).toEqual({ entry: '99999999900' });
  });
});

describe('physical keys and currency changes', () => {
  it('maps digits, the decimal point and Backspace; leaves Enter and Escape to the screen', () => {
    for (const d of '0123456789') expect(keyFromKeyboard(d)).toBe(d);
    expect(keyFromKeyboard('.')).toBe('.');
    expect(keyFromKeyboard(',')).toBe('.');
    expect(keyFromKeyboard('Decimal')).toBe('.');
    expect(keyFromKeyboard('Backspace')).toBe('backspace');
    for (const other of ['Enter', 'Escape', 'a', 'F1', ' ', '-', '+', '10']) expect(keyFromKeyboard(other)).toBeUndefined();
  });

  it('the number pad with NumLock off (End, ArrowDown, Delete… as key) still types digits and the point, by code', () => {
    const numLockOff: [string, string, string][] = [
      ['Insert', 'Numpad0', '0'], ['End', 'Numpad1', '1'], ['ArrowDown', 'Numpad2', '2'], ['PageDown', 'Numpad3', '3'], ['ArrowLeft', 'Numpad4', '4'],
      ['Clear', 'Numpad5', '5'], ['ArrowRight', 'Numpad6', '6'], ['Home', 'Numpad7', '7'], ['ArrowUp', 'Numpad8', '8'], ['PageUp', 'Numpad9', '9'], ['Delete', 'NumpadDecimal', '.'],
    ];
    for (const [key, code, expected] of numLockOff) expect(keyFromKeyboard(key, code), code).toBe(expected);
    // The other Delete and arrows are not digits.
    expect(keyFromKeyboard('Delete', 'Delete')).toBeUndefined();
    expect(keyFromKeyboard('End', 'End')).toBeUndefined();
  });

  it('switching to JPY drops the fraction, to HKD keeps up to two decimals', () => {
    expect(adaptEntry('12.30', 'JPY')).toBe('12');
    expect(adaptEntry('12.', 'JPY')).toBe('12');
    expect(adaptEntry('1230', 'HKD')).toBe('1230');
    expect(adaptEntry('12.3', 'CNY')).toBe('12.3');
    expect(adaptEntry('', 'JPY')).toBe('');
  });
});

describe('a refused key stops the entry until the cashier corrects it, for every exponent', () => {
  /** Keys from an empty entry for a currency with `decimals` minor digits. */
  const typeFor = (text: string, decimals: number): KeyResult => [...text].reduce<KeyResult>((r, k) => pressKeyFor(r, k as Key, decimals), { entry: '' });

  it.each([
    // exponent 0 (JPY): "12.5" is twelve-and-a-half typed on a yen till, never ¥125
    [0, '12.5', '12', 'no_decimals', 12],
    [0, '1.05', '1', 'no_decimals', 1],
    // exponent 2 (HKD): a third decimal, then more digits
    [2, '12.345', '12.34', 'too_many_decimals', 1234],
    [2, '1.2345', '1.23', 'too_many_decimals', 123],
    // exponent 3 (a three-decimal currency such as KWD, should QFPay add one)
    [3, '1.2345', '1.234', 'too_many_decimals', 1234],
    [3, '12.3456', '12.345', 'too_many_decimals', 12345],
  ] as const)('exponent %i: "%s" stays "%s" (%s)', (decimals, typed, entry, reason, minor) => {
    const r = typeFor(typed, decimals);
    expect(r).toEqual({ entry, refused: reason });
    expect(entryMinorFor(r.entry, decimals)).toBe(minor);
  });

  it.each([0, 2, 3])('exponent %i: beyond txamt, the next digits are ignored too', (decimals) => {
    const max = '9'.repeat(11 - decimals);
    const r = typeFor(`${max}99`, decimals);
    expect(r).toEqual({ entry: max, refused: 'too_large' });
  });

  it.each([0, 2, 3])('exponent %i: Delete or Clear ends the refusal and typing resumes', (decimals) => {
    const refused = decimals === 0 ? typeFor('12.', 0) : typeFor(`1.${'1'.repeat(decimals)}9`, decimals);
    expect('refused' in refused).toBe(true);
    const afterDelete = pressKeyFor(refused, 'backspace', decimals);
    expect('refused' in afterDelete).toBe(false);
    expect(pressKeyFor(afterDelete, '5', decimals).entry).toBe(`${afterDelete.entry}5`);
    expect(pressKeyFor(pressKeyFor(refused, 'clear', decimals), '7', decimals)).toEqual({ entry: '7' });
  });

  it('JPY through the currency: "12.5" charges nothing more than ¥12', () => {
    const r = type(keysOf('12.5'), 'JPY');
    expect(r).toEqual({ entry: '12', refused: 'no_decimals' });
    expect(entryAmountMinor(r.entry, 'JPY')).toBe(12);
  });
});
