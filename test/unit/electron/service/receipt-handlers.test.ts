import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import type { Logger } from '../../../../electron/service/log';
import { receiptService } from '../../../../electron/service/receipt-handlers';
import type { Till } from '../../../../electron/till/core';
import { DEFAULT_SETTINGS, type Settings } from '../../../../shared/settings';
import type { SaleView } from '../../../../shared/sale';
import { closedPort, fakePrinter, journalWith, paidSale } from '../receipts/support';

// The receipt methods over a real journal and a real TCP printer (not
// training): printing reports the printer's trouble as a result, "auto"
// printing runs beside the engine (noteSale returns at once), and the sale
// is never changed by any of it.

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function setup(printer: string, patch: Partial<Settings> = {}) {
  const sale = paidSale();
  const { journal, dispose } = journalWith(sale);
  cleanups.push(dispose);
  const lines: string[] = [];
  const log: Logger = { log: (level, message, data) => lines.push(`${level} ${message} ${JSON.stringify(data ?? {})}`) };
  const settings: Settings = { ...DEFAULT_SETTINGS, udid: 'T01', merchantName: '陳記', printer, ...patch };
  const service = receiptService({
    till: () => ({ journal, training: false }) as unknown as Till,
    settings: () => settings,
    now: () => Date.now(),
    log,
    requirePin: async () => ({ ok: true, value: null }),
    pinSet: () => false,
    printDeadlineMs: 300,
  });
  return { sale, journal, service, lines };
}

const view = (outTradeNo: string, state: SaleView['state']) => ({ outTradeNo, state }) as SaleView;

describe('receipt handlers against a network printer', () => {
  it('a printer that never reads: printed false with the reason, logged, and the sale untouched', async () => {
    const p = await fakePrinter({ neverRead: true });
    cleanups.push(() => p.close());
    const { sale, journal, service, lines } = await setup(`tcp://127.0.0.1:${p.port}`);
    const before = journal.sale(sale.outTradeNo);
    const result = await service.handlers.printReceipt({ outTradeNo: sale.outTradeNo, reprint: false });
    expect(result).toMatchObject({ ok: true, value: { printed: false, reason: 'timeout', printer: `tcp://127.0.0.1:${p.port}` } });
    expect(journal.sale(sale.outTradeNo)).toEqual(before);
    expect(lines.join('\n')).toMatch(/warn receipt .* not printed/);
  });

  it('"auto": noteSale returns at once and prints beside it; an unreachable printer is only logged', async () => {
    const port = await closedPort();
    const { sale, service, lines } = await setup(`tcp://127.0.0.1:${port}`, { receiptPrint: 'auto' });
    service.noteSale(view(sale.outTradeNo, 'awaiting_scan'));
    expect(service.noteSale(view(sale.outTradeNo, 'paid'))).toBeUndefined();
    expect(lines).toEqual([]);
    await expect.poll(() => lines.join('\n')).toMatch(/not printed .*unreachable/);
  });

  it('a sale first seen already paid (a restart) is not printed automatically', async () => {
    const p = await fakePrinter();
    cleanups.push(() => p.close());
    const { sale, service, lines } = await setup(`tcp://127.0.0.1:${p.port}`, { receiptPrint: 'auto' });
    service.noteSale(view(sale.outTradeNo, 'paid'));
    // Had it printed, that job would have reached the printer first.
    const [printed, first] = await Promise.all([service.handlers.testPrinter(undefined), p.nextJob()]);
    expect(printed).toMatchObject({ ok: true, value: { printed: true } });
    expect(first.includes(iconv.encode('打印機測試頁', 'big5'))).toBe(true);
    expect(first.includes('HKD 12.50')).toBe(false);
    expect(lines).toEqual([]);
  });

  it('an OS printer without the app (no shell) says so; "none" says no printer is set up', async () => {
    const os = await setup('os:EPSON TM-T88');
    expect(await os.service.handlers.printReceipt({ outTradeNo: os.sale.outTradeNo, reprint: false })).toMatchObject({ ok: true, value: { printed: false, reason: 'not_configured' } });
    const none = await setup('none');
    expect(await none.service.handlers.printReceipt({ outTradeNo: none.sale.outTradeNo, reprint: false })).toMatchObject({ ok: true, value: { printed: false, reason: 'not_configured', printer: 'none' } });
  });

  it('cash: the drawer still opens, and the caller is never thrown at, when the opening cannot be journaled (disk full)', async () => {
    const p = await fakePrinter();
    cleanups.push(() => p.close());
    const { sale, journal, service, lines } = await setup(`tcp://127.0.0.1:${p.port}`, { receiptPrint: 'never' });
    journal.appendEvent = () => {
      throw Object.assign(new Error('database or disk is full'), { code: 'SQLITE_FULL' });
    };
    expect(() => service.cashMoved(sale.outTradeNo)).not.toThrow();
    const job = await p.nextJob();
    expect(job.includes('\x1bp')).toBe(true);
    expect(lines.some((l) => l.includes('the opening was not journaled: database or disk is full'))).toBe(true);
  });
});
