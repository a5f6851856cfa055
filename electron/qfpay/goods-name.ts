import { QfpayInputError } from './params';

// `goods_name` is String(64) on the wire, but QFPay's page says "no more than
// 20 letters or digits, no special characters; Chinese allowed" (API.md). The
// cashier's note may say anything reasonable ("Latte, large & to go"): the
// journal keeps it whole, and what is sent is a name cut down to that rule.

/** QFPay: "no more than 20 letters or digits". */
export const GOODS_NAME_MAX_CHARS = 20;
/** The field's own size (String(64)), in UTF-8 bytes. */
const GOODS_NAME_MAX_BYTES = 64;
/** The longest note the till keeps for a sale (the IPC contract's limit too). */
export const GOODS_NOTE_MAX_CHARS = 64;

const LETTER_OR_DIGIT = /[\p{L}\p{Nd}]/u;
const MARK = /\p{M}/u;
const utf8Length = (text: string) => new TextEncoder().encode(text).length;

/**
 * The cashier's note as QFPay wants `goods_name`: letters (any script, so
 * Chinese is kept) and digits only, at most 20 of them and 64 bytes; an
 * accent or vowel sign stays with the letter it belongs to. Compatibility
 * forms are folded first, so "Ｌａｔｔｅ２" is sent as "Latte2". Nothing
 * left → undefined: the field is then not sent at all (API.md: send only
 * parameters that have a value).
 */
export function goodsNameForWire(note: string | null | undefined): string | undefined {
  if (typeof note !== 'string' || note === '') return undefined;
  const name = lettersAndDigits(note, GOODS_NAME_MAX_CHARS, GOODS_NAME_MAX_BYTES);
  return name === '' ? undefined : name;
}

function lettersAndDigits(text: string, maxChars: number, maxBytes: number): string {
  let name = '';
  let count = 0;
  let keptPrevious = false;
  for (const char of text.normalize('NFKC')) {
    const letter = LETTER_OR_DIGIT.test(char);
    // A combining mark counts only after a kept letter; alone it is punctuation-like.
    const mark = !letter && MARK.test(char) && keptPrevious;
    if (!letter && !mark) {
      keptPrevious = false;
      continue;
    }
    if (count === maxChars || utf8Length(name + char) > maxBytes) break;
    name += char;
    count += 1;
    keptPrevious = true;
  }
  return name;
}

/**
 * What the till itself may send as `goods_name`: exactly what
 * goodsNameForWire makes of it. (The simulator holds QFPay's String(64) and
 * no more; the till keeps within the page's stricter wording.)
 */
export function checkOutgoingGoodsName(value: string): QfpayInputError | undefined {
  if (goodsNameForWire(value) === value) return undefined;
  // Only letters and digits, just too many of them: a length problem.
  if (lettersAndDigits(value, Infinity, Infinity) === value) {
    return new QfpayInputError('goods_name', 'range', `must be at most ${GOODS_NAME_MAX_CHARS} letters or digits`);
  }
  return new QfpayInputError('goods_name', 'format', 'may hold letters and digits only: QFPay refuses spaces and punctuation');
}

/**
 * The note a cashier may give a sale: any text a person would type, but
 * no control or invisible formatting characters (a bidi override would
 * spoof the customer display and the reports), at most 64 characters.
 */
export function checkGoodsNote(note: string): QfpayInputError | undefined {
  if (/[\p{Cc}\p{Cf}]/u.test(note)) return new QfpayInputError('goods_name', 'format', 'must not contain control characters');
  if (Array.from(note).length > GOODS_NOTE_MAX_CHARS) {
    return new QfpayInputError('goods_name', 'range', `must be at most ${GOODS_NOTE_MAX_CHARS} characters`);
  }
  return undefined;
}
