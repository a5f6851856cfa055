import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { QfpayClient, type QfpayExchange } from '../../electron/qfpay/client';
import { APP_CODE, CLIENT_KEY, HK, NOON, orderId } from './support/harness';

// A QFPay answer that redirects (issue 10): following it would carry
// X-QF-APPCODE and the signed body to whatever host the Location names. The
// client never follows; the outcome is unknown and the engine resolves it by
// query. Real sockets on 127.0.0.1 and the real global fetch, no stubs.

interface Received {
  method: string | undefined;
  url: string | undefined;
  headers: IncomingMessage['headers'];
}

const servers: Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise<void>((resolve) => {
    s.close(() => resolve());
    s.closeAllConnections();
  })));
});

async function listen(handler: (req: IncomingMessage, respond: (status: number, headers: Record<string, string>, body: string) => void) => void): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers });
      handler(req, (status, headers, body) => {
        res.writeHead(status, headers);
        res.end(body);
      });
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

const PAID_BODY = '{"respcd":"0000","syssn":"20261126000000012345678901","qrcode":"weixin://wxpay/bizpayurl?pr=AAAAAAA"}';

describe('a redirect from "QFPay"', () => {
  it.each([301, 302, 303, 307, 308])('HTTP %i is unknown and the request is never sent to the Location', async (status) => {
    const elsewhere = await listen((_req, respond) => respond(200, { 'Content-Type': 'application/json' }, PAID_BODY));
    const redirecting = await listen((req, respond) => respond(status, { Location: `${elsewhere.url}${req.url ?? '/'}`, 'Content-Type': 'text/plain' }, 'moved'));
    const exchanges: QfpayExchange[] = [];
    const client = new QfpayClient({ baseUrl: redirecting.url, appCode: APP_CODE, clientKey: CLIENT_KEY, timeZone: HK, now: () => NOON, onExchange: (e) => exchanges.push(e) });

    const outcome = await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() });

    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'http_error', httpStatus: status, detail: `HTTP ${status}: redirect to ${elsewhere.url} not followed` });
    expect(redirecting.received).toHaveLength(1);
    expect(redirecting.received[0]!.headers['x-qf-appcode']).toBe(APP_CODE);
    expect(elsewhere.received).toEqual([]);
    expect(exchanges.map((e) => [e.outcome, e.httpStatus])).toEqual([['unknown', status]]);
  });

  it('a 307 whose body reads like a QFPay success is still unknown, never a payment', async () => {
    const elsewhere = await listen((_req, respond) => respond(200, { 'Content-Type': 'application/json' }, PAID_BODY));
    const redirecting = await listen((req, respond) => respond(307, { Location: `${elsewhere.url}${req.url ?? '/'}`, 'Content-Type': 'application/json' }, PAID_BODY));
    const client = new QfpayClient({ baseUrl: redirecting.url, appCode: APP_CODE, clientKey: CLIENT_KEY, timeZone: HK, now: () => NOON });

    const outcome = await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() });

    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'http_error', httpStatus: 307 });
    expect(elsewhere.received).toEqual([]);
  });

  it('every endpoint asks fetch not to follow redirects', async () => {
    const seen: Array<string | undefined> = [];
    const client = new QfpayClient({
      baseUrl: 'http://127.0.0.1:9',
      appCode: APP_CODE,
      clientKey: CLIENT_KEY,
      timeZone: HK,
      now: () => NOON,
      fetch: async (_url, init) => {
        seen.push(init.redirect);
        return { status: 200, headers: new Headers(), text: async () => '{"respcd":"0000","data":[]}' };
      },
    });
    await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() });
    await client.query({ out_trade_no: 'X1' });
    await client.close({ out_trade_no: 'X1', txamt: 500 });
    await client.reversal({ out_trade_no: 'X1', txamt: 500 });
    await client.refund({ syssn: '20261126000000012345678901', out_trade_no: orderId('R'), txamt: 500 });
    expect(seen).toEqual(['manual', 'manual', 'manual', 'manual', 'manual']);
  });
});
