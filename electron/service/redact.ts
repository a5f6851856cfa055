// What the log must never hold (DESIGN: secrets never reach the logs): the
// client key and app code, Chinese ID card numbers and the real name sent
// with a payment, and the customer's payment code (auth_code: a bearer
// credential while it lives). Masked by FIELD first, on the structured data
// before it is serialised (so no spelling of the value can slip past), then by VALUE on
// the finished line, for whatever put them into a message: JSON inside JSON,
// URL-encoded forms, full-width digits, JSON-escaped keys, names with spaces.

const MASK = '***';

/** Field names (lower case, letters and digits only) whose values are masked whole. */
const SECRET_FIELD = /(truename|realname|idcard|idnumber|certno|clientkey|appcode|authcode|qfsign|password|secret|pinhash|pinseal|pepper)/;
const SECRET_FIELD_EXACT = new Set(['pin', 'sign', 'key', 'idno', 'currentpin', 'newpin']);

function isSecretField(name: string): boolean {
  const plain = name.toLowerCase().replace(/[^a-z0-9]/g, '');
  return SECRET_FIELD.test(plain) || SECRET_FIELD_EXACT.has(plain);
}

/** A string that is itself JSON (double-encoded) or a form body is masked by field too. */
function maskString(value: string, depth: number): string {
  const trimmed = value.trim();
  if (depth < 4 && (trimmed.startsWith('{') || trimmed.startsWith('['))) {
    try {
      return JSON.stringify(maskFields(JSON.parse(trimmed) as unknown, depth + 1));
    } catch {
      // Not JSON after all: the value pass below still applies.
    }
  }
  if (/^[^=&\s]+=[^&]*(?:&[^=&\s]+=[^&]*)+$/.test(trimmed)) {
    const form = new URLSearchParams(trimmed);
    let masked = false;
    for (const key of [...form.keys()]) {
      if (isSecretField(key)) {
        form.set(key, MASK);
        masked = true;
      }
    }
    if (masked) return form.toString();
  }
  return value;
}

/** A copy of `value` with every secret field's value replaced, at any depth. */
export function maskFields(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return maskString(value, depth);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => maskFields(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value as Record<string, unknown>)) out[key] = isSecretField(key) ? MASK : maskFields(v, depth + 1);
  return out;
}

// ---- by value, on the finished line ---------------------------------------------------

/** One character of a key as written literally, JSON-escaped (\u0075) or URL-encoded (%75). */
function spelled(char: string): string {
  const hex = char.charCodeAt(0).toString(16).padStart(2, '0');
  const literal = char.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return `(?:${literal}|\\\\+u00${hex}|%${hex})`;
}
const spell = (word: string) => [...word].map(spelled).join('');

/** A digit as ASCII, full-width, or URL-encoded; the check character may also be X. */
const DIGIT = '(?:[0-9\\uFF10-\\uFF19]|%3[0-9])';
const CHECK = '(?:[0-9\\uFF10-\\uFF19Xx\\uFF38\\uFF58]|%3[0-9]|%58|%78)';
const ID_CARD = new RegExp(`(?<![0-9\\uFF10-\\uFF19])(${DIGIT}{2})${DIGIT}{14}(${DIGIT}${CHECK})(?![0-9\\uFF10-\\uFF19])`, 'gi');

/**
 * The real-name field however it is written: user_truename or truename, any
 * character escaped or encoded, quoted once or twice (JSON in JSON), then
 * the value up to its closing quote or the next field (spaces included).
 */
const QUOTE = '(?:\\\\*"|%22)';
const TRUE_NAME = new RegExp(
  `((?:${spell('user_')})?${spell('truename')}${QUOTE}?\\s*(?::|=|%3a|%3d)\\s*${QUOTE}?)((?:\\\\+u[0-9a-f]{4}|[^"\\\\&,;}\\r\\n])+)`,
  'gi',
);

function escapedForms(secret: string): string[] {
  const json = JSON.stringify(secret).slice(1, -1);
  return [...new Set([secret, json, JSON.stringify(json).slice(1, -1), encodeURIComponent(secret)])];
}

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) {
    if (secret.length < 4) continue;
    for (const form of escapedForms(secret)) out = out.split(form).join(MASK);
  }
  return out.replace(ID_CARD, '$1**************$2').replace(TRUE_NAME, `$1${MASK}`);
}
