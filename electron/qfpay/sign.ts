import { createHash } from 'node:crypto';

// QFPay request signing (API.md, "Signature"): sort the sent parameters by
// name (code point order), join as name=value with '&', append client_key,
// hash the UTF-8 bytes, upper-case hex.

export type SignAlgorithm = 'MD5' | 'SHA256';
export const SIGN_ALGORITHMS: readonly SignAlgorithm[] = ['MD5', 'SHA256'];

export type WireParams = Readonly<Record<string, string>>;

function byCodePoint(a: string, b: string): number {
  // Array.prototype.sort compares UTF-16 code units; QFPay sorts by code point.
  // The two differ only for characters beyond the BMP, so compare explicitly.
  const ca = Array.from(a);
  const cb = Array.from(b);
  const n = Math.min(ca.length, cb.length);
  for (let i = 0; i < n; i++) {
    const x = ca[i]!.codePointAt(0)!;
    const y = cb[i]!.codePointAt(0)!;
    if (x !== y) return x - y;
  }
  return ca.length - cb.length;
}

/** The `a=1&b=2` part of the signed string: exactly the parameters that are sent. */
export function canonicalString(params: WireParams): string {
  return Object.keys(params)
    .sort(byCodePoint)
    .map((name) => `${name}=${params[name]}`)
    .join('&');
}

export function digest(text: string, algorithm: SignAlgorithm): string {
  return createHash(algorithm === 'MD5' ? 'md5' : 'sha256')
    .update(text, 'utf8')
    .digest('hex')
    .toUpperCase();
}

export function sign(params: WireParams, clientKey: string, algorithm: SignAlgorithm = 'MD5'): string {
  return digest(canonicalString(params) + clientKey, algorithm);
}

/** Compares case-insensitively: QFPay's samples upper-case MD5, others may not. */
export function signaturesEqual(a: string, b: string): boolean {
  return a.trim().toUpperCase() === b.trim().toUpperCase();
}

export function parseSignType(header: string | null | undefined): SignAlgorithm | undefined {
  if (header === null || header === undefined || header.trim() === '') return 'MD5';
  const upper = header.trim().toUpperCase();
  return upper === 'SHA256' ? 'SHA256' : upper === 'MD5' ? 'MD5' : undefined;
}
