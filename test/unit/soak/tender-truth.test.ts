import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import type { OrderView } from '../../../electron/simulator/server';
import type { JournalSnapshot } from '../../crash/ground-truth';
import { startCountingProxy, type CountingProxy } from '../../soak/counting-proxy';
import { tenderProblems, withoutCash, type CashRows } from '../../soak/tender-truth';

// The soak's own checks (test/soak) must be able to fail: each rule is shown
// catching the breach it is there for.

const order = (out_trade_no: string): OrderView => ({
  order_type: 'payment',
  out_trade_no,
  syssn: `syssn-${out_trade_no}`,
  state: 'paid',
  respcd: '0000',
  txamt: 100,
  txcurrcd: 'HKD',
  sysdtm: '2026-11-26 12:00:00',
  udid: 'till-soak',
  pay_type: '800208',
  paymentRequests: 1,
  closeRequests: 0,
  reversalRequests: 0,
  refundRequests: 0,
});
const CASH: CashRows = { sales: new Set(['S-CASH']), refunds: new Set(['R-CASH']) };
const none = { payments: [], namedOrders: new Set<string>() };

describe('tenderProblems', () => {
  it('passes a clean run: each code sent once, no cash row at QFPay', () => {
    const proxy = { payments: [{ outTradeNo: 'S-1', payType: '800208', authCode: '134567000000000019' }], namedOrders: new Set(['S-1']) };
    expect(tenderProblems(CASH, [order('S-1')], proxy, new Map([['134567000000000019', 'S-1']]))).toEqual([]);
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
    const problems = tenderProblems(CASH, [], proxy, new Map([['1', 'S-1'], ['2', 'S-2']]));
    expect(problems.map((p) => [p.kind, p.outTradeNo])).toEqual([
      ['duplicated', 'S-1'],
      ['mismatch', 'S-2'],
      ['mismatch', 'S-3'],
    ]);
  });

  it('a cash sale or refund at QFPay, named in a request, or a payment with pay_type cash, is a mismatch', () => {
    expect(tenderProblems(CASH, [order('S-CASH')], none, new Map()).map((p) => p.outTradeNo)).toEqual(['S-CASH']);
    expect(tenderProblems(CASH, [], { payments: [], namedOrders: new Set(['R-CASH']) }, new Map()).map((p) => p.outTradeNo)).toEqual(['R-CASH']);
    expect(tenderProblems(CASH, [], { payments: [{ outTradeNo: 'S-X', payType: 'cash' }], namedOrders: new Set() }, new Map()).map((p) => p.detail)).toEqual([
      'a payment request with pay_type cash',
    ]);
  });

  it('withoutCash takes out exactly the cash rows', () => {
    const sale = (id: string) => ({ out_trade_no: id }) as JournalSnapshot['sales'][number];
    const refund = (id: string) => ({ out_trade_no: id }) as JournalSnapshot['refunds'][number];
    const left = withoutCash({ sales: [sale('S-CASH'), sale('S-1')], refunds: [refund('R-CASH'), refund('R-1')], replaced: [] }, CASH);
    expect(left.sales.map((s) => s.out_trade_no)).toEqual(['S-1']);
    expect(left.refunds.map((r) => r.out_trade_no)).toEqual(['R-1']);
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
