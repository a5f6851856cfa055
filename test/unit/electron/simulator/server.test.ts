import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { digest, sign } from '../../../../electron/qfpay/sign';
import { startSimulator, type QfpaySimulator } from '../../../../electron/simulator/server';

// The simulator's HTTP surface seen raw (no QfpayClient in between): what it
// refuses before an order is touched, and the control API under /__sim/.

const APP = 'UNITAPPCODE000000000000000000001';
const KEY = 'unitClientKey0000000000000000001';
const NOON_HK = Date.UTC(2026, 10, 26, 4, 0, 0);

let sim: QfpaySimulator;
let clock: { t: number };
beforeEach(async () => {
  clock = { t: NOON_HK };
  sim = await startSimulator({ seed: 3, now: () => clock.t, timeZone: 'Asia/Hong_Kong', appCode: APP, clientKey: KEY });
});
afterEach(async () => {
  await sim.close();
});

interface Raw {
  status: number;
  headers: Headers;
  text: string;
  json: Record<string, unknown>;
}

async function raw(path: string, init: RequestInit): Promise<Raw> {
  const response = await fetch(sim.baseUrl + path, init);
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // not JSON: the caller looks at text
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** POSTs a form to a trade endpoint; `body` overrides the encoded params when given. */
function trade(path: string, params: Record<string, string>, headers: Record<string, string> = {}, body?: string): Promise<Raw> {
  return raw(path, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-QF-APPCODE': APP, 'X-QF-SIGN': sign(params, KEY), ...headers },
    body: body ?? new URLSearchParams(params).toString(),
  });
}

const control = (method: string, path: string, value?: unknown) =>
  raw(path, value === undefined ? { method } : { method, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(value) });

const payment = (outTradeNo: string, extra: Record<string, string> = {}) => ({
  txamt: '1000',
  txcurrcd: 'HKD',
  pay_type: '800201',
  out_trade_no: outTradeNo,
  txdtm: '2026-11-26 12:00:00',
  ...extra,
});

const queryOne = async (outTradeNo: string) => {
  const params = { out_trade_no: outTradeNo };
  const answer = await trade('/trade/v1/query', params);
  return (answer.json.data as Array<Record<string, string>>)[0];
};

describe('requests refused before any order is touched', () => {
  it('a parameter sent twice answers 1103 naming it', async () => {
    const params = payment('DUP-1');
    const body = `${new URLSearchParams(params).toString()}&txamt=1`;
    const answer = await trade('/trade/v1/payment', params, {}, body);
    expect(answer.json.respcd).toBe('1103');
    expect(answer.json.resperr).toContain('txamt');
    expect(sim.orders()).toEqual([]);
  });

  it('an X-QF-SIGNTYPE other than MD5/SHA256 answers 1104', async () => {
    const answer = await trade('/trade/v1/payment', payment('ST-1'), { 'X-QF-SIGNTYPE': 'SHA1' });
    expect(answer.json.respcd).toBe('1104');
  });

  it('a missing X-QF-SIGN answers 1108', async () => {
    const params = payment('NS-1');
    const answer = await raw('/trade/v1/payment', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-QF-APPCODE': APP },
      body: new URLSearchParams(params).toString(),
    });
    expect(answer.json.respcd).toBe('1108');
  });

  it('a lower-case signature is accepted (signatures compare case-insensitively)', async () => {
    const params = payment('LC-1');
    const answer = await trade('/trade/v1/payment', params, { 'X-QF-SIGN': sign(params, KEY).toLowerCase() });
    expect(answer.json.respcd).toBe('0000');
  });

  it('a 1108 names the signed string but never the key', async () => {
    const params = payment('BK-1');
    const answer = await trade('/trade/v1/payment', params, { 'X-QF-SIGN': sign(params, 'wrongKey') });
    expect(answer.json.respcd).toBe('1108');
    expect(answer.text).toContain('out_trade_no=BK-1');
    expect(answer.text).not.toContain(KEY);
  });

  it.each([
    [{ txamt: '' }, '1103', 'txamt'],
    [{ txamt: '12.5' }, '1103', 'txamt'],
    [{ txcurrcd: 'XYZ' }, '1104', 'txcurrcd'],
    [{ expired_time: '121' }, '1104', 'expired_time'],
  ])('field rules: %j answers %s naming %s', async (extra, respcd, field) => {
    const params = Object.fromEntries(Object.entries(payment('FR-1', extra)).filter(([, v]) => v !== ''));
    const answer = await trade('/trade/v1/payment', params);
    expect(answer.json.respcd).toBe(respcd);
    expect(answer.json.resperr).toContain(field);
    expect(sim.orders()).toEqual([]);
  });

  it('an Alipay HK order answers 0000 with an Alipay QR text, not a WeChat one', async () => {
    const answer = await trade('/trade/v1/payment', payment('PT-1', { pay_type: '801501' }));
    expect(answer.json.respcd).toBe('0000');
    expect(answer.json.qrcode).toMatch(/^https:\/\/qr\.alipay\.com\/bax0[a-z0-9]{20}$/);
    expect(sim.orders().map((o) => o.pay_type)).toEqual(['801501']);
  });

  it('a body over 64 KiB is refused with 413', async () => {
    const params = payment('BIG-1');
    const answer = await trade('/trade/v1/payment', params, {}, `${new URLSearchParams(params).toString()}&pad=${'x'.repeat(70_000)}`);
    expect(answer.status).toBe(413);
    expect(sim.orders()).toEqual([]);
  });

  it('an unknown path is 404', async () => {
    expect((await raw('/trade/v1/charge', { method: 'POST' })).status).toBe(404);
    expect((await control('GET', '/__sim/nothing')).status).toBe(404);
  });
});

describe('answers', () => {
  it('are signed with X-QF-SIGN = digest(raw body + key), in the request\'s algorithm', async () => {
    const md5 = await trade('/trade/v1/payment', payment('SIG-1'));
    expect(md5.headers.get('x-qf-sign')).toBe(digest(md5.text + KEY, 'MD5'));
    const params = payment('SIG-2');
    const sha = await trade('/trade/v1/payment', params, { 'X-QF-SIGN': sign(params, KEY, 'SHA256'), 'X-QF-SIGNTYPE': 'SHA256' });
    expect(sha.json.respcd).toBe('0000');
    expect(sha.headers.get('x-qf-sign')).toBe(digest(sha.text + KEY, 'SHA256'));
  });
});

describe('control API', () => {
  it("POST /__sim/fail fails the customer's attempt with the given code; the query shows it and the order stays payable", async () => {
    await trade('/trade/v1/payment', payment('F-1'));
    const failed = await control('POST', '/__sim/fail', { out_trade_no: 'F-1', respcd: '1201' });
    expect(failed.status).toBe(200);
    expect((await queryOne('F-1'))?.respcd).toBe('1201');
    // As at QFPay: a declined attempt does not end a merchant-presented order; another card can pay it.
    expect((await control('POST', '/__sim/pay', { out_trade_no: 'F-1' })).status).toBe(200);
    expect((await queryOne('F-1'))?.respcd).toBe('0000');
  });

  it('POST /__sim/fail refuses success and in-progress codes, and unknown orders', async () => {
    await trade('/trade/v1/payment', payment('F-2'));
    for (const respcd of ['0000', '1143', '1145', 'abcd']) {
      expect((await control('POST', '/__sim/fail', { out_trade_no: 'F-2', respcd })).status).toBe(400);
    }
    expect((await control('POST', '/__sim/fail', { out_trade_no: 'NOPE' })).status).toBe(404);
    expect((await queryOne('F-2'))?.respcd).toBe('1143');
  });

  it('POST /__sim/pay finds an order by syssn too', async () => {
    const created = await trade('/trade/v1/payment', payment('BYSN-1'));
    const paid = await control('POST', '/__sim/pay', { syssn: created.json.syssn });
    expect(paid.status).toBe(200);
    expect((await queryOne('BYSN-1'))?.respcd).toBe('0000');
  });

  it('POST /__sim/advance moves the simulator clock (and expires orders); bad values are refused', async () => {
    await trade('/trade/v1/payment', payment('ADV-1'));
    const advanced = await control('POST', '/__sim/advance', { ms: 30 * 60_000 });
    expect(advanced.status).toBe(200);
    expect(advanced.json.now).toBe(NOON_HK + 30 * 60_000);
    expect((await queryOne('ADV-1'))?.respcd).toBe('1181');
    for (const ms of [-1, 1.5, '10', 32 * 86_400_000]) expect((await control('POST', '/__sim/advance', { ms })).status).toBe(400);
  });

  it('POST /__sim/reset forgets every order and fault', async () => {
    await trade('/trade/v1/payment', payment('RS-1'));
    await control('POST', '/__sim/faults', { payment: { httpStatus: 500 } });
    expect((await control('POST', '/__sim/reset')).status).toBe(200);
    expect(((await control('GET', '/__sim/orders')).json.orders as unknown[]).length).toBe(0);
    expect((await control('GET', '/__sim/faults')).json).toEqual({ endpoints: {}, inProgressQueries: 0, refundSettleMs: 0, closedAsPaidCancel: false, closeNoEffect: 0, paymentWrongOrder: 0, queryHides: 0, failedAttemptListed: false });
    expect((await trade('/trade/v1/payment', payment('RS-1'))).json.respcd).toBe('0000');
  });

  it('GET /__sim/orders lists orders with the request counters', async () => {
    await trade('/trade/v1/payment', payment('LS-1'));
    await trade('/trade/v1/payment', payment('LS-1'));
    const listed = await control('GET', '/__sim/orders');
    expect(listed.json.now).toBe(NOON_HK);
    expect(listed.json.orders).toEqual([
      expect.objectContaining({ order_type: 'payment', out_trade_no: 'LS-1', state: 'unpaid', respcd: '1143', txamt: 1000, paymentRequests: 2 }),
    ]);
    expect(listed.json.requests).toMatchObject({ payment: 2, query: 0 });
  });
});
