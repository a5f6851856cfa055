import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { canonicalString, digest, parseSignType, sign, signaturesEqual } from '../../../../electron/qfpay/sign';

// Every expected digest below is computed here, with node:crypto, over a
// signed string written out by hand: never by asking sign.ts what it signs.
const md5 = (text: string) => createHash('md5').update(text, 'utf8').digest('hex').toUpperCase();
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex').toUpperCase();

describe('sign: QFPay documented example (API.md, "Signature")', () => {
  const params = { txamt: '100', mchid: 'ZaMVg12345', txcurrcd: 'HKD' };

  it('sorts the parameters by name and joins them as name=value with "&"', () => {
    expect(canonicalString(params)).toBe('mchid=ZaMVg12345&txamt=100&txcurrcd=HKD');
  });

  it('hashes the sorted string with the client key appended to the published MD5', () => {
    // The literal digest, and the same digest recomputed from the documented signed string.
    expect(md5('mchid=ZaMVg12345&txamt=100&txcurrcd=HKDabcd1234')).toBe('3CB3AA9C21D818AB4CAFAA8FA3FEACF4');
    expect(sign(params, 'abcd1234')).toBe('3CB3AA9C21D818AB4CAFAA8FA3FEACF4');
    expect(sign(params, 'abcd1234', 'MD5')).toBe('3CB3AA9C21D818AB4CAFAA8FA3FEACF4');
  });

  it('does not depend on the order the parameters were given in', () => {
    expect(sign({ txcurrcd: 'HKD', txamt: '100', mchid: 'ZaMVg12345' }, 'abcd1234')).toBe('3CB3AA9C21D818AB4CAFAA8FA3FEACF4');
  });

  it('signs nothing but the key when no parameter is sent', () => {
    expect(canonicalString({})).toBe('');
    expect(sign({}, 'abcd1234')).toBe(md5('abcd1234'));
  });
});

describe('sign: sort order is by code point', () => {
  it('puts digits before upper case before "_" before lower case, and a prefix before its extensions', () => {
    const params = { b: '1', B: '2', _x: '3', '1a': '4', a_b: '5', a1: '6', A: '7', a: '8' };
    const expected = '1a=4&A=7&B=2&_x=3&a=8&a1=6&a_b=5&b=1';
    expect(canonicalString(params)).toBe(expected);
    expect(sign(params, 'k3y')).toBe(md5(`${expected}k3y`));
  });

  it('sorts a name beyond the BMP after a BMP name with a lower code point, unlike UTF-16 order', () => {
    // U+FF5A 'ｚ' < U+1D49C '𝒜' by code point, but the surrogate 0xD835 < 0xFF5A
    // by UTF-16 code unit, so a plain .sort() gets this pair the wrong way round.
    expect(['ｚ', '𝒜'].sort()).toEqual(['𝒜', 'ｚ']);
    const params = { '𝒜': '1', 'ｚ': '2' };
    expect(canonicalString(params)).toBe('ｚ=2&𝒜=1');
    expect(sign(params, 'key')).toBe(md5('ｚ=2&𝒜=1key'));
    expect(sign(params, 'key')).not.toBe(md5('𝒜=1&ｚ=2key'));
  });
});

describe('sign: values are signed raw, as UTF-8', () => {
  it('hashes a Chinese goods_name as its UTF-8 bytes', () => {
    const params = { txamt: '1500', goods_name: '咖啡', txcurrcd: 'HKD' };
    expect(canonicalString(params)).toBe('goods_name=咖啡&txamt=1500&txcurrcd=HKD');
    expect(sign(params, 'abcd1234')).toBe(md5('goods_name=咖啡&txamt=1500&txcurrcd=HKDabcd1234'));
    // The same text hashed as UTF-16 code units would be a different digest.
    const utf16 = createHash('md5').update('goods_name=咖啡&txamt=1500&txcurrcd=HKDabcd1234', 'utf16le').digest('hex').toUpperCase();
    expect(sign(params, 'abcd1234')).not.toBe(utf16);
  });

  it('signs "&", "=" and spaces in values as they are, not URL-encoded', () => {
    const params = { goods_name: 'tea & cake=2 pcs', txamt: '1' };
    expect(canonicalString(params)).toBe('goods_name=tea & cake=2 pcs&txamt=1');
    expect(sign(params, 'abcd1234')).toBe(md5('goods_name=tea & cake=2 pcs&txamt=1abcd1234'));
    expect(sign(params, 'abcd1234')).not.toBe(md5('goods_name=tea+%26+cake%3D2+pcs&txamt=1abcd1234'));
    expect(sign(params, 'abcd1234')).not.toBe(md5('goods_name=tea%20%26%20cake%3D2%20pcs&txamt=1abcd1234'));
  });
});

describe('sign: SHA256', () => {
  it('hashes the same signed string with SHA256 to 64 upper-case hex digits', () => {
    const params = { txamt: '100', mchid: 'ZaMVg12345', txcurrcd: 'HKD' };
    const expected = sha256('mchid=ZaMVg12345&txamt=100&txcurrcd=HKDabcd1234');
    expect(sign(params, 'abcd1234', 'SHA256')).toBe(expected);
    expect(expected).toMatch(/^[0-9A-F]{64}$/);
    expect(sign(params, 'abcd1234', 'SHA256')).not.toBe(sign(params, 'abcd1234', 'MD5'));
  });

  it('digest() upper-cases the hex of either algorithm', () => {
    expect(digest('abc', 'MD5')).toBe('900150983CD24FB0D6963F7D28E17F72');
    expect(digest('abc', 'SHA256')).toBe('BA7816BF8F01CFEA414140DE5DAE2223B00361A396177A9CB410FF61F20015AD');
  });
});

describe('signaturesEqual', () => {
  it('compares case-insensitively', () => {
    expect(signaturesEqual('3cb3aa9c21d818ab4cafaa8fa3feacf4', '3CB3AA9C21D818AB4CAFAA8FA3FEACF4')).toBe(true);
    expect(signaturesEqual('3CB3AA9C21D818AB4CAFAA8FA3FEACF4', '3CB3AA9C21D818AB4CAFAA8FA3FEACF4')).toBe(true);
  });

  it('ignores surrounding whitespace from a header', () => {
    expect(signaturesEqual(' 3CB3AA9C21D818AB4CAFAA8FA3FEACF4\r\n', '3cb3aa9c21d818ab4cafaa8fa3feacf4')).toBe(true);
  });

  it('refuses a signature that differs in one digit or in length', () => {
    expect(signaturesEqual('3CB3AA9C21D818AB4CAFAA8FA3FEACF5', '3CB3AA9C21D818AB4CAFAA8FA3FEACF4')).toBe(false);
    expect(signaturesEqual('3CB3AA9C21D818AB4CAFAA8FA3FEACF', '3CB3AA9C21D818AB4CAFAA8FA3FEACF4')).toBe(false);
    expect(signaturesEqual('', '3CB3AA9C21D818AB4CAFAA8FA3FEACF4')).toBe(false);
  });
});

describe('parseSignType (X-QF-SIGNTYPE)', () => {
  it.each([
    ['absent (undefined)', undefined],
    ['absent (null)', null],
    ['empty', ''],
    ['blank', '   '],
  ])('%s means MD5', (_label, header) => {
    expect(parseSignType(header)).toBe('MD5');
  });

  it.each([
    ['SHA256', 'SHA256'],
    ['sha256', 'SHA256'],
    [' Sha256 ', 'SHA256'],
    ['MD5', 'MD5'],
    ['md5', 'MD5'],
  ])('%j is %s', (header, expected) => {
    expect(parseSignType(header)).toBe(expected);
  });

  it.each(['RSA', 'SHA-256', 'SHA1', 'HMAC-SHA256'])('%j is not a supported type', (header) => {
    expect(parseSignType(header)).toBeUndefined();
  });
});
