import { afterEach, describe, expect, it } from 'vitest';
import { QfpayClient, type FetchLike, type QfpayExchange } from '../../electron/qfpay/client';
import { APP_CODE, CLIENT_KEY, HK, NOON, answered, orderId, startHarness, type Harness } from './support/harness';

// What reaches the till besides a clean answer: bodies it cannot read,
// QFPay's sloppy JSON, a refused connection; the exchange log; and the
// simulator's determinism.

let harnesses: Harness[] = [];
afterEach(async () => {
  await Promise.all(harnesses.map((h) => h.close()));
  harnesses = [];
});
async function harness(...args: Parameters<typeof startHarness>): Promise<Harness> {
  const h = await startHarness(...args);
  harnesses.push(h);
  return h;
}

/** A client whose "network" answers one fixed body; nothing leaves the process. */
function stubbed(status: number, body: string, onExchange?: (e: QfpayExchange) => void): QfpayClient {
  const fetch: FetchLike = async () => ({ status, headers: new Headers({ 'Content-Type': 'text/plain' }), text: async () => body });
  return new QfpayClient({ baseUrl: 'http://127.0.0.1:9', appCode: APP_CODE, clientKey: CLIENT_KEY, timeZone: HK, now: () => NOON, fetch, onExchange });
}

const pay = (client: QfpayClient) => client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() });

describe('bodies the client cannot act on', () => {
  it.each([
    ['plain text', 'OK'],
    ['truncated JSON', '{"respcd":"0000","syssn":"2026'],
    ['JSON without respcd', '{"resperr":"","syssn":"20261126000000012345678901"}'],
    ['a JSON array', '[{"respcd":"0000"}]'],
    ['a respcd that is not a code', '{"respcd":"OK"}'],
    ['an empty body', ''],
  ])('HTTP 200 with %s: unknown/bad_response', async (_what, body) => {
    const outcome = await pay(stubbed(200, body));
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'bad_response', httpStatus: 200 });
  });

  it('HTTP 502 with an HTML page: unknown/http_error', async () => {
    expect(await pay(stubbed(502, '<html>Bad Gateway</html>'))).toMatchObject({ kind: 'unknown', reason: 'http_error', httpStatus: 502 });
  });

  it.each([500, 502, 503, 504])('HTTP %i is unknown/http_error even when its body is QFPay JSON with a respcd', async (status) => {
    // API.md: "5xx → state unknown: query". A gateway may relay a stale or partial body.
    const outcome = await pay(stubbed(status, '{"respcd":"0000","syssn":"20261126000000012345678901","qrcode":"weixin://wxpay/bizpayurl?pr=AAAAAAA"}'));
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'http_error', httpStatus: status });
  });

  it('a refused connection: unknown/network', async () => {
    const h = await harness();
    const client = h.client();
    await h.close();
    expect(await pay(client)).toMatchObject({ kind: 'unknown', reason: 'network' });
  });
});

describe('tolerant parsing', () => {
  it('reads `"respcd": 0000` as 0000 and a bare 26-digit syssn without losing digits', async () => {
    const outcome = await pay(stubbed(200, '{"respcd": 0000, "syssn": 20261126000000012345678901}'));
    const answer = answered(outcome);
    expect(answer.respcd).toBe('0000');
    expect(answer.treatment).toBe('success');
    expect(answer.syssn).toBe('20261126000000012345678901');
  });

  it('reads query records with bare numbers and numbers as strings alike', async () => {
    const body =
      '{"respcd":0000,"page":"1","page_size":10,"data":[' +
      '{"syssn":20261126000000012345678901,"out_trade_no":"A-1","respcd":0000,"txamt":"1230","cancel":5,"order_type":"payment"},' +
      '{"syssn":"20261126000000012345678902","out_trade_no":"A-2","respcd":"1143","txamt":800,"cancel":"0","paydtm":""}]}';
    const answer = answered(await stubbed(200, body).query({ out_trade_no: ['A-1', 'A-2'] }));
    expect([answer.page, answer.page_size]).toEqual([1, 10]);
    expect(answer.records.map((r) => [r.syssn, r.respcd, r.txamt, r.cancel, r.order_type, r.paydtm])).toEqual([
      ['20261126000000012345678901', '0000', 1230, 5, 'payment', undefined],
      ['20261126000000012345678902', '1143', 800, 0, 'payment', undefined],
    ]);
  });
});

describe('the exchange log', () => {
  const realName = { idCardNumber: '110101199003071233', name: '王小明' };

  it('records every call, masks real-name data and never holds the client key or the app code', async () => {
    const h = await harness();
    const exchanges: QfpayExchange[] = [];
    const client = h.client({ onExchange: (e) => exchanges.push(e) });
    const id = orderId();

    const created = answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id, real_name: realName }));
    expect(created.respcd).toBe('0000');
    await client.query({ out_trade_no: id });
    await client.close({ out_trade_no: id, txamt: 500 });
    await client.refund({ syssn: created.syssn!, out_trade_no: orderId('RFD'), txamt: 500 });
    await h.setFaults({ query: { dropRequest: true } });
    await client.query({ syssn: created.syssn! });

    expect(exchanges.map((e) => [e.endpoint, e.outcome, e.respcd])).toEqual([
      ['payment', 'answered', '0000'],
      ['query', 'answered', '0000'],
      ['close', 'answered', '0000'],
      ['refund', 'answered', '1263'],
      ['query', 'unknown', undefined],
    ]);
    expect(exchanges[0]!.path).toBe('/trade/v1/payment');
    expect(exchanges[0]!.httpStatus).toBe(200);
    expect(exchanges[0]!.request.out_trade_no).toBe(id);
    expect(exchanges[0]!.request.extend_info).toMatch(/\*/);
    expect(exchanges[0]!.response).toContain(created.syssn);
    expect(exchanges[4]!.response).toBeTruthy();

    const log = JSON.stringify(exchanges);
    expect(log).not.toContain(realName.idCardNumber);
    expect(log).not.toContain(realName.name);
    expect(log).not.toContain(CLIENT_KEY);
    expect(log).not.toContain(APP_CODE);
  });

  it('masks real-name data even when the answer echoes the request (a 1108 names what was signed)', async () => {
    const h = await harness();
    const exchanges: QfpayExchange[] = [];
    const wrongKey = 'someoneElsesKey42';
    const client = h.client({ clientKey: wrongKey, onExchange: (e) => exchanges.push(e) });
    const answer = answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId(), real_name: realName }));
    expect(answer.respcd).toBe('1108');

    expect(exchanges).toHaveLength(1);
    const log = JSON.stringify(exchanges);
    expect(log).not.toContain(realName.idCardNumber);
    expect(log).not.toContain(realName.name);
    expect(log).not.toContain(wrongKey);
    expect(log).not.toContain(APP_CODE);
  });

  it('masks real-name data echoed as ASCII-only JSON (\\u escapes)', async () => {
    const exchanges: QfpayExchange[] = [];
    const escapedName = '\\u738b\\u5c0f\\u660e'; // 王小明 as json.dumps(ensure_ascii=True) writes it
    const body = `{"respcd":"1104","resperr":"real name ${escapedName} does not match ${realName.idCardNumber}"}`;
    const client = stubbed(200, body, (e) => exchanges.push(e));
    const answer = answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId(), real_name: realName }));
    expect(answer.resperr).toContain(realName.name); // the answer itself is untouched

    const response = exchanges[0]!.response!;
    expect(response).not.toContain(escapedName);
    expect(response).not.toContain(escapedName.toUpperCase().replace(/\\U/g, '\\u'));
    expect(response).not.toContain(realName.idCardNumber);
    expect(response).toContain('"respcd":"1104"');
  });

  it('keeps the app code and the client key out of the log even when an answer echoes them', async () => {
    const exchanges: QfpayExchange[] = [];
    const body = `{"respcd":"1106","resperr":"app code ${APP_CODE} is not activated (key ${CLIENT_KEY})"}`;
    const answer = answered(await pay(stubbed(200, body, (e) => exchanges.push(e))));
    expect(answer.respcd).toBe('1106');
    const log = JSON.stringify(exchanges);
    expect(log).not.toContain(APP_CODE);
    expect(log).not.toContain(CLIENT_KEY);
    expect(exchanges[0]!.response).toContain('"respcd":"1106"');
  });

  it('records a refusal before sending nowhere (nothing left the till)', async () => {
    const exchanges: QfpayExchange[] = [];
    const outcome = await stubbed(200, '{"respcd":"0000"}', (e) => exchanges.push(e)).payment({ txamt: 0, txcurrcd: 'HKD', out_trade_no: orderId() });
    expect(outcome.kind === 'invalid' && outcome.error.field).toBe('txamt');
    expect(exchanges).toEqual([]);
  });
});

describe('determinism', () => {
  async function sequence(seed: number): Promise<Array<[string | undefined, string | undefined]>> {
    const h = await harness({ seed });
    const client = h.client();
    const out: Array<[string | undefined, string | undefined]> = [];
    for (let i = 0; i < 5; i++) {
      h.advance(1_000);
      const answer = answered(await client.payment({ txamt: 500 + i, txcurrcd: 'HKD', out_trade_no: `DET-${i}` }));
      out.push([answer.syssn, answer.qrcode]);
    }
    return out;
  }

  it('two simulators with the same seed and clock issue the same syssn and qrcode sequences', async () => {
    const first = await sequence(42);
    const second = await sequence(42);
    expect(second).toEqual(first);
    expect(new Set(first.map(([syssn]) => syssn)).size).toBe(5);
    expect(new Set(first.map(([, qrcode]) => qrcode)).size).toBe(5);

    const other = await sequence(43);
    expect(other.map(([, qrcode]) => qrcode)).not.toEqual(first.map(([, qrcode]) => qrcode));
  });
});
