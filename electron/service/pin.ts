import { createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

// The supervisor PIN, stored as a slow salted hash (scrypt) bound to a secret
// pepper that only the OS key store can unwrap (settings-manager.ts seals it
// with safeStorage). A copied settings file therefore gives nothing to guess
// against offline, and a hash written into the file by hand never verifies.
// A PIN is 4–8 digits: the slowness, the pepper and the lock-out
// (pin-guard.ts) do the rest.

export interface PinCost {
  N: number;
  r: number;
  p: number;
}

/** Issue 10: at least N=2^17, r=8, p=1 (about 128 MiB and a few hundred ms a check). */
export const PIN_COST: Readonly<PinCost> = { N: 2 ** 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
const PEPPER_LENGTH = 32;
/**
 * scrypt needs 128·N·r bytes; Node refuses anything over maxmem (32 MiB by
 * default). Twice the need of PIN_COST, so the default cost always fits and
 * an edited cost far above it is refused rather than eating the machine.
 */
export const MAX_MEMORY = 128 * PIN_COST.N * PIN_COST.r * 2;
const MAX_N = 2 ** 20;

function derive(pin: string, salt: Buffer, cost: PinCost): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(pin, salt, KEY_LENGTH, { N: cost.N, r: cost.r, p: cost.p, maxmem: MAX_MEMORY }, (error, key) => (error ? reject(error) : resolve(key))),
  );
}

/** The pepper: a random secret kept only inside the OS-sealed PIN record. */
export function newPepper(): Buffer {
  return randomBytes(PEPPER_LENGTH);
}

const tag = (key: Buffer, pepper: Buffer) => createHmac('sha256', pepper).update(key).digest();

/** `scrypt$N$r$p$salt$tag`, salt and tag in base64; tag = HMAC-SHA256(pepper, scrypt(pin, salt)). */
export async function hashPin(pin: string, pepper: Buffer, cost: PinCost = PIN_COST): Promise<string> {
  const salt = randomBytes(16);
  const key = await derive(pin, salt, cost);
  return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64'), tag(key, pepper).toString('base64')].join('$');
}

export async function verifyPin(pin: string, stored: string, pepper: Buffer): Promise<boolean> {
  const parts = stored.split('$');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return false;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((v) => Number.isInteger(v) && v > 0) || N > MAX_N) return false;
  const salt = Buffer.from(parts[4]!, 'base64');
  const expected = Buffer.from(parts[5]!, 'base64');
  let key: Buffer;
  try {
    key = await derive(pin, salt, { N, r, p });
  } catch {
    // Parameters scrypt refuses (N not a power of two, over the memory cap): an edited record, not a PIN match.
    return false;
  }
  const actual = tag(key, pepper);
  return actual.length === expected.length && timingSafeEqual(actual, expected);
}
