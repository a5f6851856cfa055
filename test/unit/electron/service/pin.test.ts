import { describe, expect, it } from 'vitest';
import { MAX_MEMORY, PIN_COST, hashPin as hashWithPepper, newPepper, verifyPin as verifyWithPepper } from '../../../../electron/service/pin';

// The supervisor PIN as a salted scrypt hash bound to a pepper: right PIN
// yes, anything else no, a hash made (or kept) without the pepper no, and a
// stored string someone edited is no, never an exception. Most cases use a
// cheap cost; the real cost has its own test (and its time is measured).

const PEPPER = Buffer.alloc(32, 3);
const CHEAP = { N: 2 ** 12, r: 8, p: 1 };
const hashPin = (pin: string) => hashWithPepper(pin, PEPPER, CHEAP);
const verifyPin = (pin: string, stored: string) => verifyWithPepper(pin, stored, PEPPER);

describe('the real cost', { timeout: 120_000 }, () => {
  it('is at least N=2^17, r=8, p=1, fits the memory cap, and a check takes measurable time', async () => {
    expect(PIN_COST).toEqual({ N: 2 ** 17, r: 8, p: 1 });
    // scrypt needs 128·N·r bytes; maxmem must be above it or Node refuses the default cost.
    expect(MAX_MEMORY).toBeGreaterThan(128 * PIN_COST.N * PIN_COST.r);
    const pepper = newPepper();
    const hash = await hashWithPepper('2468', pepper);
    expect(hash.split('$').slice(0, 4)).toEqual(['scrypt', String(2 ** 17), '8', '1']);
    const started = performance.now();
    expect(await verifyWithPepper('2468', hash, pepper)).toBe(true);
    const ms = performance.now() - started;
    console.info(`scrypt N=2^17 r=8 p=1: one PIN check took ${ms.toFixed(0)} ms`);
    expect(await verifyWithPepper('2469', hash, pepper)).toBe(false);
  });
});

describe('the pepper', () => {
  it('a hash only verifies with the pepper it was made with', async () => {
    const hash = await hashPin('2468');
    expect(await verifyWithPepper('2468', hash, Buffer.alloc(32, 4))).toBe(false);
    expect(await verifyWithPepper('2468', hash, PEPPER)).toBe(true);
  });

  it('a plain scrypt hash (what someone could compute for a PIN they chose) does not verify', async () => {
    const { scryptSync } = await import('node:crypto');
    const salt = Buffer.alloc(16, 1);
    const plain = scryptSync('1234', salt, 32, CHEAP).toString('base64');
    expect(await verifyPin('1234', ['scrypt', CHEAP.N, CHEAP.r, CHEAP.p, salt.toString('base64'), plain].join('$'))).toBe(false);
  });

  it('each pepper is fresh and 32 bytes', () => {
    const a = newPepper();
    expect(a).toHaveLength(32);
    expect(a.equals(newPepper())).toBe(false);
  });
});

describe('hashPin / verifyPin', { timeout: 60_000 }, () => {
  it('the PIN that made the hash verifies', async () => {
    const hash = await hashPin('2468');
    expect(await verifyPin('2468', hash)).toBe(true);
  });

  it('a wrong PIN does not', async () => {
    const hash = await hashPin('2468');
    for (const wrong of ['2469', '24680', '246', '', '8642', ' 2468']) expect(await verifyPin(wrong, hash), wrong).toBe(false);
  });

  it('the hash is scrypt with its parameters, and does not contain the PIN', async () => {
    const hash = await hashPin('13572468');
    const parts = hash.split('$');
    expect(parts).toHaveLength(6);
    expect(parts.slice(0, 4)).toEqual(['scrypt', String(CHEAP.N), '8', '1']);
    expect(Buffer.from(parts[4]!, 'base64')).toHaveLength(16);
    expect(Buffer.from(parts[5]!, 'base64')).toHaveLength(32);
    expect(hash).not.toContain('13572468');
  });

  it('two hashes of one PIN differ (a fresh salt each time), and both verify', async () => {
    const [a, b] = await Promise.all([hashPin('1234'), hashPin('1234')]);
    expect(a).not.toBe(b);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    expect(await verifyPin('1234', a)).toBe(true);
    expect(await verifyPin('1234', b)).toBe(true);
  });

  describe('a tampered or malformed stored hash is false, without throwing', () => {
    const flip = (base64: string) => {
      const bytes = Buffer.from(base64, 'base64');
      bytes[0] = bytes[0]! ^ 0x01;
      return bytes.toString('base64');
    };

    it('a changed hash', async () => {
      const parts = (await hashPin('1234')).split('$');
      expect(await verifyPin('1234', [...parts.slice(0, 5), flip(parts[5]!)].join('$'))).toBe(false);
    });

    it('a changed salt', async () => {
      const parts = (await hashPin('1234')).split('$');
      expect(await verifyPin('1234', [...parts.slice(0, 4), flip(parts[4]!), parts[5]].join('$'))).toBe(false);
    });

    it('changed cost parameters', async () => {
      const parts = (await hashPin('1234')).split('$');
      expect(await verifyPin('1234', ['scrypt', String(2 ** 11), ...parts.slice(2)].join('$'))).toBe(false);
      expect(await verifyPin('1234', ['scrypt', parts[1], '4', ...parts.slice(3)].join('$'))).toBe(false);
    });

    it('a truncated hash', async () => {
      const hash = await hashPin('1234');
      expect(await verifyPin('1234', hash.slice(0, -4))).toBe(false);
    });

    it.each([
      ['empty', ''],
      ['not scrypt', 'bcrypt$32768$8$1$AAAA$BBBB'],
      ['too few parts', 'scrypt$32768$8$1$AAAA'],
      ['too many parts', 'scrypt$32768$8$1$AAAA$BBBB$CCCC'],
      ['a non-numeric cost', 'scrypt$lots$8$1$AAAA$BBBB'],
      ['a zero cost', 'scrypt$0$8$1$AAAA$BBBB'],
      ['a negative cost', 'scrypt$-2$8$1$AAAA$BBBB'],
      ['a fractional r', 'scrypt$32768$1.5$1$AAAA$BBBB'],
      // A cost this high would pin the CPU (or exhaust memory): refused before deriving.
      ['a huge cost', `scrypt$${2 ** 30}$8$1$AAAA$BBBB`],
      // Parameters scrypt itself refuses used to reject the promise (an 'internal' error instead of a wrong PIN).
      ['a cost that is not a power of two', 'scrypt$1000$8$1$AAAA$BBBB'],
      ['a cost within the cap but over the memory limit', `scrypt$${2 ** 20}$8$1$AAAA$BBBB`],
      ['a block size over the memory limit', `scrypt$${2 ** 17}$1024$1$AAAA$BBBB`],
      ['the PIN itself', '1234'],
    ])('%s', async (_label, stored) => {
      await expect(verifyPin('1234', stored)).resolves.toBe(false);
    });
  });
});
