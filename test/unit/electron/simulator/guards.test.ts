import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { sign } from '../../../../electron/qfpay/sign';
import { startSimulator, type QfpaySimulator, type SimulatorOptions } from '../../../../electron/simulator/server';

// Who may talk to a simulator (issue 10): every request must name
// 127.0.0.1:<port> or localhost:<port> as its Host (a DNS-rebinding page names
// its own); the control API refuses anything a browser sends (Origin,
// Sec-Fetch-Site); with a control token, only its holder may use /__sim/*.
// node:http, because fetch will not let a test set Host or Origin.

const APP = 'GUARDAPPCODE00000000000000000001';
const KEY = 'guardClientKey000000000000000001';
const NOON_HK = Date.UTC(2026, 10, 26, 4, 0, 0);

let sim: QfpaySimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function start(options: SimulatorOptions = {}): Promise<QfpaySimulator> {
  sim = await startSimulator({ seed: 1, now: () => NOON_HK, timeZone: 'Asia/Hong_Kong', appCode: APP, clientKey: KEY, ...options });
  return sim;
}

const portOf = (s: QfpaySimulator) => Number(new URL(s.baseUrl).port);

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

function send(s: QfpaySimulator, method: string, path: string, headers: Record<string, string> = {}, body = ''): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: portOf(s), method, path, headers: { Host: `127.0.0.1:${portOf(s)}`, ...headers, 'Content-Length': String(Buffer.byteLength(body)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let parsed: Record<string, unknown> = {};
        try {
          parsed = JSON.parse(text) as Record<string, unknown>;
        } catch {
          // not JSON
        }
        resolve({ status: res.statusCode ?? 0, body: parsed });
      });
    });
    req.on('error', reject);
    req.end(body);
  });
}

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

function signedPayment(s: QfpaySimulator, outTradeNo: string, headers: Record<string, string> = {}): Promise<Reply> {
  const params = { txamt: '1000', txcurrcd: 'HKD', pay_type: '800201', out_trade_no: outTradeNo, txdtm: '2026-11-26 12:00:00' };
  return send(s, 'POST', '/trade/v1/payment', { ...FORM, 'X-QF-APPCODE': APP, 'X-QF-SIGN': sign(params, KEY), ...headers }, new URLSearchParams(params).toString());
}

describe('the Host header', () => {
  it.each(['127.0.0.1:PORT', 'localhost:PORT', 'LocalHost:PORT'])('%s is answered', async (host) => {
    const s = await start();
    const reply = await send(s, 'GET', '/__sim/orders', { Host: host.replace('PORT', String(portOf(s))) });
    expect(reply.status).toBe(200);
  });

  it.each(['evil.example:PORT', 'evil.example', '127.0.0.1', '127.0.0.1:1', 'localhost.evil.example:PORT', '[::1]:PORT'])('%s is refused with 421 on the control API', async (host) => {
    const s = await start();
    const reply = await send(s, 'GET', '/__sim/orders', { Host: host.replace('PORT', String(portOf(s))) });
    expect(reply.status).toBe(421);
    expect(reply.body.orders).toBeUndefined();
  });

  it('a rebinding page cannot pay an order: 421, the order stays unpaid', async () => {
    const s = await start();
    expect((await signedPayment(s, 'G-1')).body.respcd).toBe('0000');
    const reply = await send(s, 'POST', '/__sim/pay', { ...FORM, Host: `evil.example:${portOf(s)}` }, 'out_trade_no=G-1');
    expect(reply.status).toBe(421);
    expect(s.orders()[0]!.state).toBe('unpaid');
  });

  it('is checked on the trade endpoints too: nothing is created', async () => {
    const s = await start();
    const reply = await signedPayment(s, 'G-2', { Host: `evil.example:${portOf(s)}` });
    expect(reply.status).toBe(421);
    expect(s.orders()).toEqual([]);
    expect(s.requestCounts.payment).toBe(0);
  });
});

describe('browser requests to the control API', () => {
  it.each([
    ['a cross-site form post (Origin)', { Origin: 'http://evil.example' }],
    ['an opaque origin (Origin: null)', { Origin: 'null' }],
    ['a page on another local port', { Origin: 'http://127.0.0.1:8080' }],
    ['Sec-Fetch-Site cross-site without Origin', { 'Sec-Fetch-Site': 'cross-site' }],
    ['Sec-Fetch-Site same-site', { 'Sec-Fetch-Site': 'same-site' }],
  ])('%s cannot pay an order: 403, the order stays unpaid', async (_what, headers) => {
    const s = await start();
    expect((await signedPayment(s, 'B-1')).body.respcd).toBe('0000');
    const reply = await send(s, 'POST', '/__sim/pay', { ...FORM, ...headers }, 'out_trade_no=B-1');
    expect(reply.status).toBe(403);
    expect(s.orders()[0]!.state).toBe('unpaid');
  });

  it('cannot replace the fault plan or reset the orders', async () => {
    const s = await start();
    expect((await signedPayment(s, 'B-2')).body.respcd).toBe('0000');
    const origin = { Origin: 'http://evil.example' };
    expect((await send(s, 'POST', '/__sim/faults', { 'Content-Type': 'text/plain', ...origin }, '{"payment":{"httpStatus":502}}')).status).toBe(403);
    expect((await send(s, 'POST', '/__sim/reset', origin)).status).toBe(403);
    expect((await send(s, 'GET', '/__sim/orders', origin)).status).toBe(403);
    expect(s.orders()).toHaveLength(1);
    expect((await signedPayment(s, 'B-3')).body.respcd).toBe('0000');
  });

  it('a typed-in address (Sec-Fetch-Site: none) and plain curl (no such headers) are answered', async () => {
    const s = await start();
    expect((await send(s, 'GET', '/__sim/orders', { 'Sec-Fetch-Site': 'none' })).status).toBe(200);
    expect((await send(s, 'GET', '/__sim/orders', { 'User-Agent': 'curl/8.5.0', Accept: '*/*' })).status).toBe(200);
  });
});

describe('a simulator with a control token (the app\'s training simulator)', () => {
  const TOKEN = 'per-run-token-0123456789abcdefABCDEF';

  it.each([
    ['no token', {}],
    ['a wrong token', { 'X-Sim-Token': 'per-run-token-0123456789abcdefABCDEX' }],
    ['a shorter token', { 'X-Sim-Token': 'per-run' }],
  ])('refuses %s with 403 and pays nothing', async (_what, headers) => {
    const s = await start({ controlToken: TOKEN });
    expect((await signedPayment(s, 'T-1')).body.respcd).toBe('0000');
    const reply = await send(s, 'POST', '/__sim/pay', { ...FORM, ...headers }, 'out_trade_no=T-1');
    expect(reply.status).toBe(403);
    expect(s.orders()[0]!.state).toBe('unpaid');
  });

  it('answers the holder of the token', async () => {
    const s = await start({ controlToken: TOKEN });
    expect((await signedPayment(s, 'T-2')).body.respcd).toBe('0000');
    const reply = await send(s, 'POST', '/__sim/pay', { ...FORM, 'X-Sim-Token': TOKEN }, 'out_trade_no=T-2');
    expect(reply.status).toBe(200);
    expect(s.orders()[0]!.state).toBe('paid');
  });

  it('still refuses a browser that somehow has the token', async () => {
    const s = await start({ controlToken: TOKEN });
    const reply = await send(s, 'GET', '/__sim/orders', { 'X-Sim-Token': TOKEN, Origin: 'http://evil.example' });
    expect(reply.status).toBe(403);
  });

  it('does not ask QFPay clients for it: the trade endpoints need the app code and signature only', async () => {
    const s = await start({ controlToken: TOKEN });
    expect((await signedPayment(s, 'T-3')).body.respcd).toBe('0000');
  });
});
