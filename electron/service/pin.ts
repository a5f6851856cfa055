import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// The supervisor PIN, stored as a slow salted hash (scrypt), so a copied
// settings file does not give the PIN away cheaply. A PIN is 4–8 digits: the
// slowness (~50 ms a try) and the lock-out in TillService do the rest.

const N = 2 ** 15;
const R = 8;
const P = 1;
const KEY_LENGTH = 32;
const MAX_MEMORY = 64 * 1024 * 1024;

function derive(pin: string, salt: Buffer, n: number, r: number, p: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(pin, salt, KEY_LENGTH, { N: n, r, p, maxmem: MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64. */
export async function hashPin(pin: string): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(pin, salt, N, R, P);
  return ['scrypt', N, R, P, salt.toString('base64'), key.toString('base64')].join('$');
}

export async function verifyPin(pin: string, stored: string): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [n, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![n, r, p].every((v) => Number.isInteger(v) && v > 0) || n > 2 ** 20) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  let key: Buffer;
  try {
    key = await derive(pin, salt, n, r, p);
  } catch {
    // Parameters scrypt refuses (N not a power of two, over the memory cap): an edited file, not a PIN match.
    return false;
  }
  return key.length === expected.length && timingSafeEqual(key, expected);
}
