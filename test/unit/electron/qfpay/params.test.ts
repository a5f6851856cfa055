import { describe, it, expect } from 'vitest';
import {
  ENDPOINT_PATHS,
  QfpayInputError,
  buildExtendInfo,
  maskParams,
  respcdForInputError,
  toWire,
  validateWire,
  type Endpoint,
  type InputReason,
} from '../../../../electron/qfpay/params';

// GB 11643's published sample number (not a real person's).
const ID_CARD = '11010519491231002X';
const TRUE_NAME = '张三丰';
const TXDTM = '2026-03-01 10:15:00';

const GOOD: Readonly<Record<Endpoint, Record<string, string>>> = {
  payment: {
    txamt: '1230',
    txcurrcd: 'HKD',
    pay_type: '800201',
    out_trade_no: 'T01-20260301-0001',
    txdtm: TXDTM,
    expired_time: '30',
    goods_name: '咖啡 Latte-2',
    udid: 'till-01',
  },
  query: {
    syssn: '20260301000100020000000001,20260301000100020000000002',
    out_trade_no: 'T01-20260301-0001',
    pay_type: '800201',
    respcd: '0000',
    start_time: '2026-03-01 00:00:00',
    end_time: '2026-03-31 23:59:59',
    page: '1',
    page_size: '100',
  },
  close: { syssn: '20260301000100020000000001', txamt: '1230', txdtm: TXDTM, udid: 'till-01' },
  reversal: { out_trade_no: 'T01-20260301-0001', txamt: '1230', txdtm: TXDTM },
  refund: { syssn: '20260301000100020000000001', out_trade_no: 'R01-20260301-0001', txamt: '500', txdtm: TXDTM, udid: 'till-01' },
};

function refusal(endpoint: Endpoint, params: Record<string, string>, mchid?: string): { field: string; reason: InputReason } {
  const result = validateWire(endpoint, params, { mchid });
  if (result.ok) throw new Error(`expected ${endpoint} to refuse ${JSON.stringify(params)}`);
  expect(result.error).toBeInstanceOf(QfpayInputError);
  return { field: result.error.field, reason: result.error.reason };
}

describe('validateWire accepts good parameters', () => {
  it.each(Object.keys(GOOD) as Endpoint[])('%s', (endpoint) => {
    const params = GOOD[endpoint];
    expect(validateWire(endpoint, params)).toEqual({ ok: true, params });
  });

  it('payment with every optional field: CNY with rmb_tag, real-name check, no credit cards', () => {
    const params = {
      ...GOOD.payment,
      txcurrcd: 'CNY',
      rmb_tag: 'Y',
      extend_info: buildExtendInfo({ idCardNumber: ID_CARD, name: TRUE_NAME }),
      limit_pay: 'no_credit',
    };
    expect(validateWire('payment', params)).toEqual({ ok: true, params });
  });

  it('payment consumer-presented (800208) with the customer\'s code', () => {
    const { expired_time: _unused, ...rest } = GOOD.payment;
    const params = { ...rest, pay_type: '800208', auth_code: '134567890123456789' };
    expect(validateWire('payment', params)).toEqual({ ok: true, params });
  });

  it('payment at both ends of the amount range and the QR lifetime range', () => {
    for (const [txamt, expired] of [['1', '5'], ['99999999999', '120']] as const) {
      expect(validateWire('payment', { ...GOOD.payment, txamt, expired_time: expired }).ok).toBe(true);
    }
  });

  it('query with no filter at all (QFPay defaults to the current month)', () => {
    expect(validateWire('query', {})).toEqual({ ok: true, params: {} });
  });

  it('close and reversal with out_trade_no alone, or syssn alone', () => {
    for (const endpoint of ['close', 'reversal'] as const) {
      expect(validateWire(endpoint, { out_trade_no: 'T01', txamt: '1230', txdtm: TXDTM }).ok).toBe(true);
      expect(validateWire(endpoint, { syssn: '20260301000100020000000001', txamt: '1230', txdtm: TXDTM }).ok).toBe(true);
    }
  });

  it('has a path for every endpoint', () => {
    expect(ENDPOINT_PATHS).toEqual({
      payment: '/trade/v1/payment',
      query: '/trade/v1/query',
      close: '/trade/v1/close',
      reversal: '/trade/v1/reversal',
      refund: '/trade/v1/refund',
    });
  });
});

describe('validateWire refuses a missing required field, naming it', () => {
  const cases: [Endpoint, string][] = [
    ['payment', 'txamt'],
    ['payment', 'txcurrcd'],
    ['payment', 'pay_type'],
    ['payment', 'out_trade_no'],
    ['payment', 'txdtm'],
    ['close', 'txamt'],
    ['close', 'txdtm'],
    ['reversal', 'txamt'],
    ['refund', 'syssn'],
    ['refund', 'out_trade_no'],
    ['refund', 'txamt'],
    ['refund', 'txdtm'],
  ];
  it.each(cases)('%s without %s', (endpoint, field) => {
    const { [field]: _dropped, ...rest } = GOOD[endpoint];
    expect(refusal(endpoint, rest)).toEqual({ field, reason: 'required' });
  });
});

describe('toWire', () => {
  it('leaves out undefined, null and empty values', () => {
    const wire = toWire({ a: undefined, b: null, c: '', d: 'x' });
    expect(wire).toEqual({ d: 'x' });
    expect(Object.keys(wire)).toEqual(['d']);
  });

  it('keeps zero and a space, which are values', () => {
    expect(toWire({ zero: 0, space: ' ' })).toEqual({ zero: '0', space: ' ' });
  });

  it('turns numbers into their exact text, so bad numbers reach the rules instead of being rounded', () => {
    expect(toWire({ a: 1230, b: 12.5, c: NaN, d: Infinity, e: -1, f: 100000000000, g: 99999999999 })).toEqual({
      a: '1230',
      b: '12.5',
      c: 'NaN',
      d: 'Infinity',
      e: '-1',
      f: '100000000000',
      g: '99999999999',
    });
  });
});

describe('buildExtendInfo', () => {
  it('writes QFPay\'s two real-name keys as a JSON string', () => {
    const text = buildExtendInfo({ idCardNumber: ID_CARD, name: TRUE_NAME });
    expect(text).toBe('{"user_creid":"11010519491231002X","user_truename":"张三丰"}');
  });

  it('escapes a quote in the name instead of breaking the JSON', () => {
    const text = buildExtendInfo({ idCardNumber: ID_CARD, name: 'a"b' });
    expect(JSON.parse(text)).toEqual({ user_creid: ID_CARD, user_truename: 'a"b' });
  });
});

describe('maskParams', () => {
  const params = {
    ...GOOD.payment,
    pay_type: '800208',
    auth_code: '134567890123456789',
    extend_info: buildExtendInfo({ idCardNumber: ID_CARD, name: TRUE_NAME }),
  };

  it('masks the ID card number and the name so neither appears in full', () => {
    const masked = maskParams(params);
    const info = JSON.parse(masked.extend_info!) as Record<string, string>;
    expect(info).toEqual({ user_creid: '11**************2X', user_truename: '张**' });
    const logged = JSON.stringify(masked);
    expect(logged).not.toContain(ID_CARD);
    expect(logged).not.toContain('1949123100'); // no long run of the number either
    expect(logged).not.toContain(TRUE_NAME);
    expect(logged).not.toContain('三丰');
  });

  it('masks a two-character name to its first character', () => {
    const masked = maskParams({ extend_info: buildExtendInfo({ idCardNumber: ID_CARD, name: '李白' }) });
    expect(JSON.parse(masked.extend_info!)).toEqual({ user_creid: '11**************2X', user_truename: '李*' });
  });

  it('replaces extend_info that is not JSON entirely, since it may hold anything', () => {
    expect(maskParams({ extend_info: `creid=${ID_CARD}` }).extend_info).toBe('***');
  });

  it('keeps only the last 4 digits of the customer\'s payment code', () => {
    expect(maskParams(params).auth_code).toBe('**************6789');
  });

  it('leaves every other parameter unchanged and does not touch the original', () => {
    const before = { ...params };
    const masked = maskParams(params);
    const { extend_info: _e, auth_code: _a, ...rest } = masked;
    const { extend_info: _e2, auth_code: _a2, ...expectedRest } = params;
    expect(rest).toEqual(expectedRest);
    expect(params).toEqual(before);
  });

  it('returns parameters without sensitive fields as they are', () => {
    expect(maskParams(GOOD.refund)).toEqual(GOOD.refund);
  });
});

describe('respcdForInputError', () => {
  it.each([
    ['required', '1103'],
    ['format', '1103'],
    ['range', '1104'],
    ['not_allowed', '1104'],
    ['conflict', '1104'],
  ] as const)('%s → %s', (reason, respcd) => {
    expect(respcdForInputError(new QfpayInputError('txamt', reason, 'test'))).toBe(respcd);
  });

  it('maps a real refusal: a missing txamt is a format error (1103), an amount too big a parameter error (1104)', () => {
    const { txamt: _t, ...rest } = GOOD.payment;
    const missing = validateWire('payment', rest);
    const tooBig = validateWire('payment', { ...GOOD.payment, txamt: '100000000000' });
    expect(!missing.ok && respcdForInputError(missing.error)).toBe('1103');
    expect(!tooBig.ok && respcdForInputError(tooBig.error)).toBe('1104');
  });
});

describe('the mchid rule (API.md: if issued, on every call; if not, never)', () => {
  const endpoints = Object.keys(GOOD) as Endpoint[];

  it.each(endpoints)('%s: configured and sent is accepted', (endpoint) => {
    expect(validateWire(endpoint, { ...GOOD[endpoint], mchid: 'ZaMVg12345' }, { mchid: 'ZaMVg12345' }).ok).toBe(true);
  });

  it.each(endpoints)('%s: configured but not sent is refused as required', (endpoint) => {
    expect(refusal(endpoint, GOOD[endpoint], 'ZaMVg12345')).toEqual({ field: 'mchid', reason: 'required' });
  });

  it.each(endpoints)('%s: not configured but sent is refused as not allowed', (endpoint) => {
    expect(refusal(endpoint, { ...GOOD[endpoint], mchid: 'ZaMVg12345' })).toEqual({ field: 'mchid', reason: 'not_allowed' });
  });

  it.each(endpoints)('%s: not configured and not sent is accepted', (endpoint) => {
    expect(validateWire(endpoint, GOOD[endpoint], {}).ok).toBe(true);
    expect(validateWire(endpoint, GOOD[endpoint]).ok).toBe(true);
  });
});

describe('mchid length (API.md: the seed says 16, QFPay publishes 26-character test mchids: up to 32)', () => {
  const LONG = 'Zb8MxQ2rT5vW9yA1cE4gJ7kN0p'; // 26 letters and digits, the shape of QFPay's published test ids

  it.each([LONG, 'Z'.repeat(32), 'Z'])('%s is accepted on every endpoint', (mchid) => {
    for (const endpoint of Object.keys(GOOD) as Endpoint[]) {
      expect(validateWire(endpoint, { ...GOOD[endpoint], mchid }, { mchid }).ok).toBe(true);
    }
  });

  it.each([['Z'.repeat(33), 'format'], ['Zb8MxQ2rT5vW9yA1cE4gJ7kN0-', 'format']] as const)('%s is refused', (mchid, reason) => {
    expect(refusal('payment', { ...GOOD.payment, mchid }, mchid)).toEqual({ field: 'mchid', reason });
  });
});

describe('validateWire on receipt (unknownParams: ignore, as QFPay does)', () => {
  it('leaves unknown names out of the result and checks the rest', () => {
    const result = validateWire('payment', { ...GOOD.payment, colour: 'red', extra: '' }, { unknownParams: 'ignore' });
    expect(result).toEqual({ ok: true, params: GOOD.payment });
  });

  it('ignores names that exist on Object.prototype without touching the prototype', () => {
    const params = JSON.parse(`{"__proto__":"x","toString":"y","txamt":"1230","txcurrcd":"HKD","pay_type":"800201","out_trade_no":"T1","txdtm":"${TXDTM}"}`) as Record<string, string>;
    const result = validateWire('payment', params, { unknownParams: 'ignore' });
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(Object.keys(result.params).sort()).toEqual(['out_trade_no', 'pay_type', 'txamt', 'txcurrcd', 'txdtm']);
    expect(Object.getPrototypeOf(result.params)).toBe(Object.prototype);
  });

  it('still refuses a known field that breaks its rule', () => {
    expect(validateWire('payment', { ...GOOD.payment, colour: 'red', txamt: '12.5' }, { unknownParams: 'ignore' }).ok).toBe(false);
  });

  it('by default (the till sending) refuses an unknown name', () => {
    expect(refusal('payment', { ...GOOD.payment, colour: 'red' })).toEqual({ field: 'colour', reason: 'not_allowed' });
  });
});

describe('query time bounds (API.md: either alone; a range inside one month)', () => {
  it.each([
    [{ start_time: '2026-03-05 00:00:00' }],
    [{ end_time: '2026-03-05 00:00:00' }],
    [{ start_time: '2026-03-01 00:00:00', end_time: '2026-03-31 23:59:59' }],
  ])('%j is accepted', (bounds) => {
    expect(validateWire('query', bounds).ok).toBe(true);
  });
});
