import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startCountingProxy, type CountingProxy } from '../../soak/counting-proxy';
import { tenderProblems, type CashRows } from '../../soak/tender-truth';

// The soak's own checks (test/soak) must be able to fail: each rule is shown
// catching the breach it is there for.

const CASH: CashRows = { sales: new Set(['S-CASH']), refunds: new Set(['R-CASH']) };
const none = { payments: [], namedOrders: new Set<string>() };

describe('tenderProblems', () => {
  it('passes a clean run: each code sent once, no request names a cash row', () => {
    const proxy = { payments: [{ outTradeNo: 'S-1', payType: '800208', authCode: '134567000000000019' }], namedOrders: new Set(['S-1']) };
    expect(tenderProblems(CASH, proxy, new Map([['134567000000000019', 'S-1']]))).toEqual([]);
  });

  it('a scanned code sent twice is duplicated; one never sent is a mismatch; a code no sale was given is a mismatch', () => {
    const proxy = {
      payments: [
        { outTradeNo: 'S-1', payType: '800208', authCode: '1' },
        { outTradeNo: 'S-1b', payType: '800208', authCode: '1' },
        { outTradeNo: 'S-3', payType: '800208', authCode: '3' },
      ],
      namedOrders: new Set<string>(),
    };
    const problems = tenderProblems(CASH, proxy, new Map([['1', 'S-1'], ['2', 'S-2']]));
    expect(problems.map((p) => [p.kind, p.outTradeNo])).toEqual([
      ['duplicated', 'S-1'],
      ['mismatch', 'S-2'],
      ['mismatch', 'S-3'],
    ]);
  });

  it('a cash sale or refund named in a request, or a payment with pay_type cash, is a mismatch', () => {
    expect(tenderProblems(CASH, none, new Map())).toEqual([]);
    expect(tenderProblems(CASH, { payments: [], namedOrders: new Set(['S-CASH', 'R-CASH']) }, new Map()).map((p) => p.outTradeNo)).toEqual(['S-CASH', 'R-CASH']);
    expect(tenderProblems(CASH, { payments: [{ outTradeNo: 'S-X', payType: 'cash' }], namedOrders: new Set() }, new Map()).map((p) => p.detail)).toEqual([
      'a payment request with pay_type cash',
    ]);
  });
});

describe('the counting proxy', () => {
  let upstream: Server | undefined;
  let proxy: CountingProxy | undefined;
  afterEach(async () => {
    await proxy?.close();
    await new Promise<void>((resolve) => (upstream ? upstream.close(() => resolve()) : resolve()));
    upstream = proxy = undefined;
  });

  async function start(handler: Parameters<typeof createServer>[1]): Promise<CountingProxy> {
    upstream = createServer(handler);
    await new Promise<void>((resolve) => upstream!.listen(0, '127.0.0.1', () => resolve()));
    proxy = await startCountingProxy(`http://127.0.0.1:${(upstream.address() as AddressInfo).port}`);
    return proxy;
  }

  it('counts each payment request with its code and forwards it to the upstream host, answer unchanged', async () => {
    const seen: string[] = [];
    const p = await start((req, res) => {
      seen.push(req.headers.host ?? '');
      res.writeHead(200, { 'X-QF-SIGN': 'abc' });
      res.end('{"respcd":"0000"}');
    });
    const body = new URLSearchParams({ out_trade_no: 'S-1', pay_type: '800208', auth_code: '134567000000000019' });
    const answer = await fetch(`${p.baseUrl}/trade/v1/payment`, { method: 'POST', body });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-qf-sign')).toBe('abc');
    expect(await answer.text()).toBe('{"respcd":"0000"}');
    await fetch(`${p.baseUrl}/trade/v1/query`, { method: 'POST', body: new URLSearchParams({ out_trade_no: 'S-1,S-2' }) });
    expect(p.payments).toEqual([{ outTradeNo: 'S-1', payType: '800208', authCode: '134567000000000019' }]);
    expect([...p.namedOrders]).toEqual(['S-1', 'S-2']);
    expect(seen[0]).toBe(`127.0.0.1:${(upstream!.address() as AddressInfo).port}`);
  });

  it('an answer the upstream drops is dropped for the till too (a lost answer stays lost)', async () => {
    const p = await start((req) => req.socket.destroy());
    await expect(fetch(`${p.baseUrl}/trade/v1/payment`, { method: 'POST', body: 'out_trade_no=S-1&pay_type=800201' })).rejects.toThrow();
    expect(p.payments).toHaveLength(1);
  });
});
