import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

// A pass-through in front of the simulator that counts what the till SENT,
// independently of what the simulator made of it. The simulator refuses a
// reused payment code with 2005 before creating an order, so its order list
// cannot show a second payment request with the same code under another
// out_trade_no; this count can. Faults still happen inside the simulator: a
// dropped socket or an HTTP error comes back through here unchanged.

export interface SentPayment {
  outTradeNo: string;
  payType: string;
  /** Consumer-presented only. */
  authCode?: string;
}

export interface CountingProxy {
  baseUrl: string;
  /** Every /trade/v1/payment request the till sent, in order. */
  payments: SentPayment[];
  /** Every out_trade_no the till named in any trade request (payment, query, close, reversal, refund). */
  namedOrders: Set<string>;
  close(): Promise<void>;
}

export async function startCountingProxy(target: string): Promise<CountingProxy> {
  const upstream = new URL(target);
  const payments: SentPayment[] = [];
  const namedOrders = new Set<string>();
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const url = new URL(req.url ?? '/', upstream);
      // Close and reversal may come as GET with the fields in the query string.
      const fields = new URLSearchParams(req.method === 'GET' ? url.search.slice(1) : body.toString('utf8'));
      for (const name of (fields.get('out_trade_no') ?? '').split(',')) if (name) namedOrders.add(name);
      if (url.pathname === '/trade/v1/payment') {
        const sent: SentPayment = { outTradeNo: fields.get('out_trade_no') ?? '', payType: fields.get('pay_type') ?? '' };
        const code = fields.get('auth_code');
        if (code) sent.authCode = code;
        payments.push(sent);
      }
      const headers = { ...req.headers, host: upstream.host };
      const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
        answer.on('error', () => res.destroy());
      });
      // The simulator dropped the socket (a lost answer): the till must see the same.
      forward.on('error', () => res.destroy());
      forward.end(body);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    payments,
    namedOrders,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
