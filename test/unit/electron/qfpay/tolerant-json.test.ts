import { describe, it, expect } from 'vitest';
import { asInteger, asText, parseQfpayJson } from '../../../../electron/qfpay/tolerant-json';

describe('parseQfpayJson', () => {
  it('keeps an unquoted "respcd": 0000 as the code "0000" (one of QFPay\'s published samples)', () => {
    expect(() => JSON.parse('{"respcd": 0000}')).toThrow();
    expect(parseQfpayJson('{"respcd": 0000, "respmsg": ""}')).toEqual({ respcd: '0000', respmsg: '' });
  });

  it('keeps other leading-zero codes and negative leading-zero numbers as text', () => {
    expect(parseQfpayJson('{"respcd":0001,"x":-0012}')).toEqual({ respcd: '0001', x: '-0012' });
  });

  it('keeps a bare 26-digit syssn exactly, digit for digit', () => {
    const syssn = '20260301123456789012345678';
    expect(Number(syssn).toString()).not.toBe(syssn); // a double would lose it
    expect(parseQfpayJson(`{"syssn": ${syssn}}`)).toEqual({ syssn });
  });

  it('keeps bare 16-digit and longer integers in arrays and nested objects exactly', () => {
    expect(parseQfpayJson('{"data":[{"syssn":9007199254740993,"txamt":1230}],"ids":[1234567890123456]}')).toEqual({
      data: [{ syssn: '9007199254740993', txamt: 1230 }],
      ids: ['1234567890123456'],
    });
  });

  it('leaves ordinary numbers as numbers', () => {
    expect(parseQfpayJson('{"txamt":1230,"zero":0,"rate":7.8123,"neg":-5,"exp":1e3,"frac":0.01,"fifteen":123456789012345}')).toEqual({
      txamt: 1230,
      zero: 0,
      rate: 7.8123,
      neg: -5,
      exp: 1000,
      frac: 0.01,
      fifteen: 123456789012345,
    });
  });

  it('does not alter digits inside strings, including after escaped quotes and backslashes', () => {
    const text = '{"syssn":"00012345678901234567890123","msg":"code 0000 at 20260301123456789012345678","q":"a\\"0012","b":"c:\\\\","n":0007}';
    expect(parseQfpayJson(text)).toEqual({
      syssn: '00012345678901234567890123',
      msg: 'code 0000 at 20260301123456789012345678',
      q: 'a"0012',
      b: 'c:\\',
      n: '0007',
    });
  });

  it('leaves true, false and null alone', () => {
    expect(parseQfpayJson('{"a":true,"b":false,"c":null}')).toEqual({ a: true, b: false, c: null });
  });

  it('still refuses text that is not JSON', () => {
    expect(() => parseQfpayJson('<html>502 Bad Gateway</html>')).toThrow(SyntaxError);
    expect(() => parseQfpayJson('{"respcd":')).toThrow(SyntaxError);
    expect(() => parseQfpayJson('')).toThrow(SyntaxError);
  });
});

describe('asText', () => {
  it('returns a string as it is', () => {
    expect(asText('0000')).toBe('0000');
    expect(asText('')).toBe('');
  });

  it('turns a finite number into its text', () => {
    expect(asText(1230)).toBe('1230');
    expect(asText(0)).toBe('0');
    expect(asText(7.8)).toBe('7.8');
  });

  it.each([
    ['NaN', NaN],
    ['Infinity', Infinity],
    ['null', null],
    ['undefined', undefined],
    ['a boolean', true],
    ['an object', { a: 1 }],
    ['an array', ['1']],
  ])('is undefined for %s', (_name, value) => {
    expect(asText(value)).toBeUndefined();
  });
});

describe('asInteger', () => {
  it.each([
    ['"1230"', '1230', 1230],
    ['1230', 1230, 1230],
    ['" 1230 " (padded)', ' 1230 ', 1230],
    ['"-5"', '-5', -5],
    ['"0000"', '0000', 0],
    ['the largest safe integer as text', '9007199254740991', 9007199254740991],
  ])('reads %s', (_name, value, expected) => {
    expect(asInteger(value)).toBe(expected);
  });

  it.each([
    ['"12.5"', '12.5'],
    ['12.5', 12.5],
    ['"1e3"', '1e3'],
    ['"12abc"', '12abc'],
    ['""', ''],
    ['an unsafe integer as text (would be rounded)', '9007199254740993'],
    ['a 26-digit syssn', '20260301123456789012345678'],
    ['null', null],
    ['NaN', NaN],
    ['a boolean', true],
  ])('is undefined for %s', (_name, value) => {
    expect(asInteger(value)).toBeUndefined();
  });
});
