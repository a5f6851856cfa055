import { randomBytes, scrypt, timingSafeEqual } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { promisify } from 'node:util';

// The owner's password for `till office serve`: set at first start, kept
// only as a salted scrypt hash in a file beside the data (mode 0600), and
// checked in constant time. Sessions are random tokens held in memory: a
// restart logs everyone out, which is fine for one owner.

const scryptAsync = promisify(scrypt) as (password: string, salt: Buffer, keylen: number, options: { N: number; r: number; p: number }) => Promise<Buffer>;
const PARAMS = { N: 16384, r: 8, p: 1 };
const KEY_LENGTH = 32;

export interface StoredLogin {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  hash: string;
}

export const MIN_PASSWORD_LENGTH = 10;

export async function hashPassword(password: string): Promise<StoredLogin> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, KEY_LENGTH, PARAMS);
  return { algorithm: 'scrypt', ...PARAMS, salt: salt.toString('base64'), hash: hash.toString('base64') };
}

export async function checkPassword(password: string, stored: StoredLogin): Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'base64');
  const got = await scryptAsync(password, Buffer.from(stored.salt, 'base64'), expected.length, { N: stored.N, r: stored.r, p: stored.p });
  return got.length === expected.length && timingSafeEqual(got, expected);
}

export function readLogin(path: string): StoredLogin | undefined {
  if (!existsSync(path)) return undefined;
  const parsed = JSON.parse(readFileSync(path, 'utf8')) as StoredLogin;
  if (parsed.algorithm !== 'scrypt' || !parsed.salt || !parsed.hash) throw new Error(`${path} is not a login file`);
  return parsed;
}

/** The stored login, or a new one from `firstPassword` (first start); undefined when neither exists. */
export async function loginAtStart(path: string, firstPassword: string | undefined): Promise<StoredLogin | undefined> {
  const stored = readLogin(path);
  if (stored) return stored;
  if (firstPassword === undefined) return undefined;
  const login = await hashPassword(firstPassword);
  writeFileSync(path, `${JSON.stringify(login)}\n`, { mode: 0o600, flag: 'wx' });
  return login;
}

export class Sessions {
  private readonly tokens = new Map<string, number>();

  constructor(
    private readonly ttlMs = 12 * 3_600_000,
    private readonly now: () => number = Date.now,
  ) {}

  create(): string {
    const token = randomBytes(32).toString('base64url');
    this.tokens.set(token, this.now() + this.ttlMs);
    return token;
  }

  valid(token: string | undefined): boolean {
    if (!token) return false;
    const until = this.tokens.get(token);
    if (until === undefined) return false;
    if (until < this.now()) {
      this.tokens.delete(token);
      return false;
    }
    return true;
  }

  end(token: string | undefined): void {
    if (token) this.tokens.delete(token);
  }
}
