import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../../../electron/journal/database';
import { Journal, NOT_YET_SETTLED, type RefundRecord, type SaleRecord } from '../../../../electron/journal/journal';
import { DEFAULT_SETTINGS } from '../../../../shared/settings';
import type { ReceiptSettings } from '../../../../electron/receipts/jobs';

// A receipt printer on 127.0.0.1 for tests: it keeps what it is sent and
// answers the DLE EOT paper-status query like an ESC/POS printer does
// (0x12: paper present), or never reads at all.

export interface FakePrinter {
  port: number;
  /** Resolves with everything one connection sent, once it has sent the status query (or closed). */
  nextJob(): Promise<Buffer>;
  close(): Promise<void>;
}

export async function fakePrinter(mode: { status?: number; neverRead?: boolean } = {}): Promise<FakePrinter> {
  const jobs: Buffer[] = [];
  const waiting: ((job: Buffer) => void)[] = [];
  const sockets = new Set<Socket>();
  const deliverJob = (job: Buffer) => {
    const w = waiting.shift();
    if (w) w(job);
    else jobs.push(job);
  };
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    if (mode.neverRead) {
      socket.pause();
      return;
    }
    const chunks: Buffer[] = [];
    let done = false;
    socket.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      const all = Buffer.concat(chunks);
      if (!done && all.subarray(-3).equals(Buffer.from([0x10, 0x04, 0x04]))) {
        done = true;
        socket.write(Buffer.from([mode.status ?? 0x12]));
        deliverJob(all);
      }
    });
    socket.on('end', () => {
      if (!done) deliverJob(Buffer.concat(chunks));
      socket.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    port,
    nextJob: () => new Promise((resolve) => (jobs.length ? resolve(jobs.shift()!) : waiting.push(resolve))),
    close: () =>
      new Promise((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** A port nothing listens on: bound, then released. */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export const PAID_AT = Date.UTC(2026, 10, 30, 6, 15, 0);

export function paidSale(patch: Partial<SaleRecord> = {}): SaleRecord {
  return {
    outTradeNo: 'T01-20261130-0007',
    udid: 'T01',
    training: false,
    amountMinor: 1250,
    currency: 'HKD',
    payType: '800201',
    goodsName: 'Milk tea 奶茶',
    state: 'paid',
    txdtm: '2026-11-30 14:15:00',
    expiredMinutes: 30,
    createdAtMs: PAID_AT - 20_000,
    expiresAtMs: PAID_AT + 30 * 60_000,
    ...NOT_YET_SETTLED,
    syssn: '20261130154100020012345678',
    chnlsn: '4200002345678901239876',
    paidAtMs: PAID_AT,
    orderNo: patch.outTradeNo ?? 'T01-20261130-0007',
    updatedAtMs: PAID_AT,
    ...patch,
  };
}

export function refundOf(sale: SaleRecord, id: string, amountMinor: number, patch: Partial<RefundRecord> = {}): RefundRecord {
  return {
    outTradeNo: id,
    udid: sale.udid,
    training: sale.training,
    saleOutTradeNo: sale.outTradeNo,
    amountMinor,
    currency: sale.currency,
    state: 'refunded',
    txdtm: '2026-11-30 15:00:00',
    createdAtMs: PAID_AT + 2_700_000,
    syssn: '20261130160000020099990000',
    sysdtm: null,
    lastRespcd: '0000',
    lastMessage: null,
    finalAtMs: PAID_AT + 2_705_000,
    updatedAtMs: PAID_AT + 2_705_000,
    ...patch,
  };
}

export const SHOP_ZH_HANT = '陳記茶餐廳';
export const SHOP_ZH_HANS = '陈记茶餐厅';

export function receiptSettings(patch: Partial<ReceiptSettings> = {}): ReceiptSettings {
  return { ...DEFAULT_SETTINGS, merchantName: SHOP_ZH_HANT, receiptAddress: '中環德輔道中 1 號', receiptFooter: '多謝惠顧 Thank you', ...patch };
}

/** A journal on disk holding one paid sale (and its refunds), closed and removed by `dispose`. */
export function journalWith(sale: SaleRecord, refunds: RefundRecord[] = []): { journal: Journal; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'receipts-'));
  const db = openDatabase(join(dir, 'journal.sqlite'));
  const journal = new Journal(db, sale.udid, sale.training);
  journal.insertSale(sale, { to: sale.state });
  for (const r of refunds) journal.insertRefund(r, { to: r.state });
  return {
    journal,
    dispose: () => {
      journal.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
