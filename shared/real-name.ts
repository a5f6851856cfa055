// The real-name payer check (`extend_info`, API.md "Payment"): mainland
// Chinese resident ID card number and name. Only the masked forms below may
// reach a log, the journal or a screen other than the cashier's entry field.
//
// Masking (decided for this till): the ID number keeps its first two and last
// two characters (province code; one sequence digit and the check character),
// the same form the service log's redaction writes (electron/service/log.ts),
// so one person's number reads the same wherever it was masked; the name keeps
// its first character (the family name, usually). The customer's payment code keeps its last 4 digits, as card
// receipts do. Each masked form keeps the original's length in characters so
// a cashier can still tell a typo (17 characters) from a real entry.

export interface RealName {
  idCardNumber: string;
  name: string;
}

const ID_CARD = /^\d{17}[\dX]$/;
const TRUE_NAME = /^[\p{L}\p{M}](?:[\p{L}\p{M} ·.]{0,38}[\p{L}\p{M}])?$/u;
// GB 11643-1999: weights of the first 17 digits, and the check character for the sum mod 11.
const WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const CHECK = '10X98765432';

export type RealNameProblem = 'id_format' | 'id_checksum' | 'name_format';

/** The first problem with a real-name entry, or undefined. Never echoes the values. */
export function checkRealName(realName: RealName): RealNameProblem | undefined {
  const id = realName.idCardNumber;
  if (!ID_CARD.test(id)) return 'id_format';
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += Number(id[i]) * WEIGHTS[i]!;
  if (CHECK[sum % 11] !== id[17]) return 'id_checksum';
  if (!TRUE_NAME.test(realName.name)) return 'name_format';
  return undefined;
}

/** The `extend_info` value exactly as API.md shows it: a JSON string with the two keys. */
export function buildExtendInfo(realName: RealName): string {
  return JSON.stringify({ user_creid: realName.idCardNumber, user_truename: realName.name });
}

export function maskMiddle(text: string, keepStart: number, keepEnd: number): string {
  const chars = Array.from(text);
  if (chars.length <= keepStart + keepEnd) return '*'.repeat(chars.length);
  return chars.slice(0, keepStart).join('') + '*'.repeat(chars.length - keepStart - keepEnd) + chars.slice(chars.length - keepEnd).join('');
}

export const maskIdCardNumber = (id: string): string => maskMiddle(id, 2, 2);
export const maskTrueName = (name: string): string => maskMiddle(name, 1, 0);
export const maskAuthCode = (code: string): string => maskMiddle(code, 0, 4);

/** The form the journal keeps of a sale's real-name check. */
export function maskRealName(realName: RealName): RealName {
  return { idCardNumber: maskIdCardNumber(realName.idCardNumber), name: maskTrueName(realName.name) };
}

/** A sent `extend_info` masked; anything that is not the expected JSON object is hidden whole. */
export function maskExtendInfo(text: string): string {
  let info: unknown;
  try {
    info = JSON.parse(text);
  } catch {
    return '***';
  }
  if (typeof info !== 'object' || info === null || Array.isArray(info)) return '***';
  const { user_creid: creid, user_truename: name } = info as Record<string, unknown>;
  return JSON.stringify({
    user_creid: typeof creid === 'string' ? maskIdCardNumber(creid) : '***',
    user_truename: typeof name === 'string' ? maskTrueName(name) : '***',
  });
}
