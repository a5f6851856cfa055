import { MAX_TXAMT, decimalsOf, type CurrencyCode } from '../../shared/currency';

// The keypad's entry as typed ("12.3"), kept as text so nothing passes
// through a float. Every key either produces a valid entry or is refused
// with a reason the screen can show; the entry is never beyond QFPay's
// txamt range and never has more decimals than the currency.
//
// A refusal sticks: after a refused key every further key except Delete and
// Clear is ignored, so "12.5" on a yen till stays ¥12 (with the reason on
// screen) instead of becoming ¥125 — the cashier meant twelve and a half and
// must correct the entry, not have the digits run together.

export type KeyRefusal = 'too_large' | 'too_many_decimals' | 'no_decimals';
export type KeyResult = { entry: string } | { entry: string; refused: KeyRefusal };

export type Key = '0' | '1' | '2' | '3' | '4' | '5' | '6' | '7' | '8' | '9' | '00' | '.' | 'backspace' | 'clear';

export const EMPTY_ENTRY: KeyResult = { entry: '' };

/** The entry in minor units for a currency with `decimals` digits after the point; null when empty or zero. */
export function entryMinorFor(entry: string, decimals: number): number | null {
  const m = /^(\d*)(?:\.(\d*))?$/.exec(entry);
  if (!m || entry === '' || entry === '.') return null;
  const fraction = m[2] ?? '';
  if (fraction.length > decimals) return null;
  const digits = `${m[1] ?? ''}${fraction.padEnd(decimals, '0')}`.replace(/^0+/, '');
  if (digits === '') return null;
  // More digits than txamt's 11 can never be in range; stops before Number() could lose precision.
  if (digits.length > String(MAX_TXAMT).length) return Number.POSITIVE_INFINITY;
  return Number(digits);
}

function addDigits(entry: string, digits: string, decimals: number): KeyResult {
  let next = entry;
  for (const d of digits) {
    const dot = next.indexOf('.');
    if (dot >= 0 && next.length - dot - 1 >= decimals) return { entry, refused: 'too_many_decimals' };
    next = next === '0' ? d : next + d;
    if ((entryMinorFor(next, decimals) ?? 0) > MAX_TXAMT) return { entry, refused: 'too_large' };
  }
  // A lone "00" on an empty entry is just "0".
  return { entry: next === '00' ? '0' : next };
}

/** One key on an entry for a currency with `decimals` minor digits (0, 2 or 3). */
export function pressKeyFor(state: KeyResult, key: Key, decimals: number): KeyResult {
  const { entry } = state;
  if (key === 'clear') return EMPTY_ENTRY;
  if (key === 'backspace') return { entry: entry.slice(0, -1) };
  if ('refused' in state) return state;
  if (key === '.') {
    if (decimals === 0) return { entry, refused: 'no_decimals' };
    if (entry.includes('.')) return { entry };
    return { entry: entry === '' ? '0.' : `${entry}.` };
  }
  return addDigits(entry, key, decimals);
}

export function pressKey(state: KeyResult, key: Key, currency: CurrencyCode): KeyResult {
  return pressKeyFor(state, key, decimalsOf(currency));
}

/** The amount in minor units, or null while the entry is empty or zero. */
export function entryAmountMinor(entry: string, currency: CurrencyCode): number | null {
  const minor = entryMinorFor(entry, decimalsOf(currency));
  return minor !== null && minor <= MAX_TXAMT ? minor : null;
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
