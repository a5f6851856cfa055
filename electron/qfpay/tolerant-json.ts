// QFPay's bodies are JSON, mostly. One published sample has `"respcd": 0000`
// (a leading zero, which JSON forbids), and a 26-digit `syssn` sent as a bare
// number would lose digits in a double. Before parsing, bare numbers that have
// a leading zero or more than 15 digits are turned into strings; numbers are
// otherwise left alone and every field is normalised by the reader.

function quoteRiskyNumbers(text: string): string {
  let out = '';
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"') {
      // copy a whole string literal, honouring escapes
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    if (ch === '-' || (ch >= '0' && ch <= '9')) {
      const match = /^-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(text.slice(i));
      const token = match ? match[0] : ch;
      const digits = token.replace(/^-/, '');
      const risky = /^0\d/.test(digits) || (/^\d+$/.test(digits) && digits.length > 15);
      out += risky ? `"${token}"` : token;
      i += token.length;
      continue;
    }
    out += ch;
    i += 1;
  }
  return out;
}

/** Like JSON.parse, but keeps long digit strings and leading zeros exact. */
export function parseQfpayJson(text: string): unknown {
  return JSON.parse(quoteRiskyNumbers(text));
}

/** A field as text whether it arrived as a string or a number; undefined for anything else. */
export function asText(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** A field as an integer whether it arrived as "1230" or 1230; undefined when it is not one. */
export function asInteger(value: unknown): number | undefined {
  const text = asText(value)?.trim();
  if (text === undefined || !/^-?\d+$/.test(text)) return undefined;
  const n = Number(text);
  return Number.isSafeInteger(n) ? n : undefined;
}
