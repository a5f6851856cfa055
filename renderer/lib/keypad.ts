import { MAX_TXAMT, decimalsOf, parseMajorAmount, type CurrencyCode } from '../../shared/currency';

// The keypad's entry as typed ("12.3"), kept as text so nothing passes
// through a float. Every key either produces a valid entry or is refused
// with a reason the screen can show; the entry is never beyond QFPay's
// txamt range and never has more decimals than the currency.

export type KeyRefusal = 'too_large' | 'too_many_decimals' | 'no_decimals';
export type KeyResult = { entry: string } | { entry: string; refused: KeyRefusal };

export type Key = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | '.' | 'backspace' | 'clear';

function withinRange(entry: string, currency: CurrencyCode): boolean {
  if (entry === '' || entry === '0.' || /^0*\.?0*$/.test(entry)) return true;
  const parsed = parseMajorAmount(entry.endsWith('.') ? entry.slice(0, -1) : entry, currency);
  return parsed.ok ? parsed.amountMinor <= MAX_TXAMT : parsed.error === 'zero';
}

function addDigits(entry: string, digits: string, currency: CurrencyCode): KeyResult {
  let next = entry;
  for (const d of digits) {
    const dot = next.indexOf('.');
    if (dot >= 0 && next.length - dot - 1 >= decimalsOf(currency)) return { entry, refused: 'too_many_decimals' };
    next = next === '0' ? d : next + d;
    if (!withinRange(next, currency)) return { entry, refused: 'too_large' };
  }
  // A lone "00" on an empty entry is just "0".
  return { entry: next === '00' ? '0' : next };
}

export function pressKey(entry: string, key: Key, currency: CurrencyCode): KeyResult {
  switch (key) {
    case 'clear':
      return { entry: '' };
    case 'backspace':
      return { entry: entry.slice(0, -1) };
    case '.':
      if (decimalsOf(currency) === 0) return { entry, refused: 'no_decimals' };
      if (entry.includes('.')) return { entry };
      return { entry: entry === '' ? '0.' : `${entry}.` };
    default:
      return addDigits(entry, key, currency);
  }
}

/** The amount in minor units, or null while the entry is empty or zero. */
export function entryAmountMinor(entry: string, currency: CurrencyCode): number | null {
  if (entry === '') return null;
  const parsed = parseMajorAmount(entry.endsWith('.') ? entry.slice(0, -1) : entry, currency);
  return parsed.ok ? parsed.amountMinor : null;
}

/**
 * Maps a physical key to a keypad key (Enter and Escape are handled by the
 * screen). The number pad goes by `code`: with NumLock off its keys report
 * End, ArrowDown, Delete… as `key`, but a cashier pressing 1 means 1.
 */
export function keyFromKeyboard(key: string, code = ''): Key | undefined {
  const pad = /^Numpad([0-9])$/.exec(code);
  if (pad) return pad[1] as Key;
  if (code === 'NumpadDecimal' || code === 'NumpadComma') return '.';
  if (/^[0-9]$/.test(key)) return key as Key;
  if (key === '.' || key === ',' || key === 'Decimal') return '.';
  if (key === 'Backspace') return 'backspace';
  return undefined;
}

/** After a currency change, keeps as much of the entry as the new currency allows. */
export function adaptEntry(entry: string, currency: CurrencyCode): string {
  const decimals = decimalsOf(currency);
  const [whole = '', fraction] = entry.split('.');
  if (fraction === undefined) return whole;
  return decimals === 0 ? whole : `${whole}.${fraction.slice(0, decimals)}`;
}
