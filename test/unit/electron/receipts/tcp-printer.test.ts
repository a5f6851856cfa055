import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { layoutOf, renderJob, saleReceipt } from '../../../../electron/receipts/jobs';
import { deliver } from '../../../../electron/receipts/printing';
import { parsePrinter } from '../../../../electron/receipts/printer-target';
import { sendToTcpPrinter } from '../../../../electron/receipts/tcp-printer';
import { VirtualPrinter } from '../../../../electron/receipts/virtual-printer';
import { SHOP_ZH_HANS, SHOP_ZH_HANT, closedPort, fakePrinter, journalWith, paidSale, receiptSettings, type FakePrinter } from './support';

// Acceptance (issue 14): a printer on 127.0.0.1 receives a sale's receipt;
// the bytes carry ESC @, the amount and currency, the syssn, the Chinese shop
// name in the chosen code page and a cut; only cash opens the drawer. A
// printer that is unreachable or never reads gives a message within 5 s and
// the sale stays paid.

const ESC_INIT = Buffer.from([0x1b, 0x40]);
const CUT = Buffer.from([0x1d, 0x56]);
const DRAWER_KICK = Buffer.from([0x1b, 0x70]);

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function printer(mode?: Parameters<typeof fakePrinter>[0]): Promise<FakePrinter> {
  const p = await fakePrinter(mode);
  cleanups.push(() => p.close());
  return p;
}

async function printSale(port: number, sale = paidSale(), settings = receiptSettings()) {
  const { journal, dispose } = journalWith(sale);
  cleanups.push(dispose);
  const described = saleReceipt(journal, sale.outTradeNo, settings);
  if (!described.ok) throw new Error(described.error.message);
  const job = await renderJob('receipt', described.receipt, layoutOf(settings));
  const started = Date.now();
  const outcome = await deliver(parsePrinter(`tcp://127.0.0.1:${port}`)!, job, { virtual: new VirtualPrinter() });
  return { outcome, elapsedMs: Date.now() - started, stateAfter: journal.sale(sale.outTradeNo)!.state };
}

describe('printing a receipt to a TCP printer', () => {
  it('sends initialise, the amount and currency, the syssn, the shop name in Big5 and a cut; a QFPay sale does not kick the drawer', async () => {
    const p = await printer();
    const [{ outcome, stateAfter }, bytes] = await Promise.all([printSale(p.port), p.nextJob()]);
    expect(outcome).toMatchObject({ ok: true });
    expect(bytes.subarray(0, 2)).toEqual(ESC_INIT);
    expect(bytes.includes('HKD 12.50')).toBe(true);
    expect(bytes.includes('20261130154100020012345678')).toBe(true);
    expect(bytes.includes(iconv.encode(SHOP_ZH_HANT, 'big5'))).toBe(true);
    expect(bytes.includes(Buffer.from(SHOP_ZH_HANT, 'utf8'))).toBe(false);
    expect(bytes.includes(CUT)).toBe(true);
    expect(bytes.includes(DRAWER_KICK)).toBe(false);
    expect(stateAfter).toBe('paid');
  });

  it('prints Simplified Chinese in GB18030 when that is the code page', async () => {
    const p = await printer();
    const settings = receiptSettings({ merchantName: SHOP_ZH_HANS, language: 'zh-Hans', receiptCodePage: 'gb18030' });
    const [{ outcome }, bytes] = await Promise.all([printSale(p.port, paidSale(), settings), p.nextJob()]);
    expect(outcome.ok).toBe(true);
    expect(bytes.includes(iconv.encode(SHOP_ZH_HANS, 'gb18030'))).toBe(true);
    expect(bytes.includes(iconv.encode('合计', 'gb18030'))).toBe(true);
  });

  it('a cash sale’s receipt carries the drawer kick (ESC p) before the cut', async () => {
    const p = await printer();
    const [{ outcome }, bytes] = await Promise.all([printSale(p.port, paidSale({ payType: 'cash', syssn: null, chnlsn: null })), p.nextJob()]);
    expect(outcome.ok).toBe(true);
    expect(bytes.indexOf(DRAWER_KICK)).toBeGreaterThan(0);
    expect(bytes.indexOf(DRAWER_KICK)).toBeLessThan(bytes.indexOf(CUT));
  });

  it('an unreachable printer (closed port) gives a clear message within 5 s and the sale stays paid', async () => {
    const port = await closedPort();
    const { outcome, elapsedMs, stateAfter } = await printSale(port);
    expect(outcome).toMatchObject({ ok: false, reason: 'unreachable' });
    expect(!outcome.ok && outcome.message).toMatch(/printer at 127\.0\.0\.1:\d+ cannot be reached/);
    expect(elapsedMs).toBeLessThan(5_000);
    expect(stateAfter).toBe('paid');
  });

  it('a printer that accepts and never reads gives a clear message at the 5 s deadline and the sale stays paid', async () => {
    const p = await printer({ neverRead: true });
    const { outcome, elapsedMs, stateAfter } = await printSale(p.port);
    expect(outcome).toMatchObject({ ok: false, reason: 'timeout' });
    // The receipt fits the socket buffers: sent, never confirmed.
    expect(!outcome.ok && outcome.message).toMatch(/did not confirm the receipt within 5 s: check that it printed/);
    expect(elapsedMs).toBeGreaterThanOrEqual(4_900);
    expect(elapsedMs).toBeLessThan(6_000);
    expect(stateAfter).toBe('paid');
  });

  it('without the status query, a job too big for the socket buffers still ends at the deadline', async () => {
    const p = await printer({ neverRead: true });
    const outcome = await sendToTcpPrinter('127.0.0.1', p.port, Buffer.alloc(64 * 1024 * 1024, 0x41), { deadlineMs: 1_000, statusCheck: false });
    expect(outcome).toMatchObject({ ok: false, reason: 'timeout' });
    expect(!outcome.ok && outcome.message).toMatch(/did not take the receipt within 1 s/);
  });

  it('a printer out of paper says so', async () => {
    const p = await printer({ status: 0x72 });
    const [{ outcome }] = await Promise.all([printSale(p.port), p.nextJob()]);
    expect(outcome).toMatchObject({ ok: false, reason: 'no_paper' });
  });
});
