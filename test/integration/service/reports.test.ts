import { afterEach, describe, expect, it } from 'vitest';
import type { ExportResult, PrintResult, ReportStatus, ZReprint } from '../../../shared/contract';
import type { Reconciliation } from '../../../shared/reconcile';
import type { TillReport, ZSummary } from '../../../shared/reports';
import type { SaleView } from '../../../shared/sale';
import type { PrintOptions } from '../../../electron/service/report-handlers';
import { closeAll, startService, type ServiceHarness } from './support';

// The end-of-day methods through the contract, over the real journal and the
// in-process simulator: X, Z refused while a sale is open and then taken,
// history and reprint, reconciliation whose confirmed totals go on the
// report of exactly its period, CSV export and printing through the save and
// print seams main.ts fills with Electron.

afterEach(closeAll);

async function paid(h: ServiceHarness, amountMinor: number): Promise<SaleView> {
  const sale = await h.value<SaleView>('charge', { amountMinor, currency: 'HKD' });
  await h.waitFor(() => h.sales().find((s) => s.outTradeNo === sale.outTradeNo && s.state === 'awaiting_scan'), 'the QR');
  await h.value('simulateCustomerPayment', { outTradeNo: sale.outTradeNo });
  await h.waitFor(() => h.sales().find((s) => s.outTradeNo === sale.outTradeNo && s.state === 'paid'), 'paid');
  return sale;
}

function withSeams() {
  const saved: { name: string; content: string | Buffer; path: string }[] = [];
  const printed: { html: string; options: PrintOptions }[] = [];
  let answer: string | null = '/chosen/by/cashier.csv';
  return {
    saved,
    printed,
    cancelNext: () => {
      answer = null;
    },
    deps: {
      saveFile: async (name: string, content: string | Buffer) => {
        const path = answer;
        answer = '/chosen/by/cashier.csv';
        if (path !== null) saved.push({ name, content, path });
        return { path };
      },
      printHtml: async (html: string, options: PrintOptions): Promise<PrintResult> => {
        printed.push({ html, options });
        return { done: true, path: options.output === 'pdf' ? `/pdf/${options.defaultName}` : null };
      },
    },
  };
}

describe('end of day through the contract', () => {
  it('X report: per-currency totals of the open period, changing nothing', async () => {
    const h = await startService();
    await paid(h, 1230);
    await paid(h, 770);
    const x = await h.value<TillReport>('xReport');
    expect(x).toMatchObject({ kind: 'x', udid: 'TILL-ITEST0001', training: true, businessDayCutoffHour: 4, timeZone: 'Asia/Hong_Kong' });
    expect(x.currencies).toHaveLength(1);
    expect(x.currencies[0]).toMatchObject({ currency: 'HKD', paidCount: 2, grossMinor: 2000, netMinor: 2000, averageTicketMinor: 1000 });
    expect(x.currencies[0]!.hourly).toEqual([{ hour: 12, paidCount: 2, grossMinor: 2000 }]);
    expect(x.zNumber).toBeUndefined();
    expect(await h.value<ZSummary[]>('zHistory', {})).toEqual([]);
  });

  it('a Z is refused (open_work, naming the order) while a sale is open; taken once it ends; then listed and reprinted intact', async () => {
    const h = await startService();
    await paid(h, 1000);
    const open = await h.value<SaleView>('charge', { amountMinor: 500, currency: 'HKD' });
    const status = await h.value<ReportStatus>('reportStatus');
    expect(status).toMatchObject({ openSales: [open.outTradeNo], openRefunds: [], lastZ: null });
    const refused = await h.call('zReport', {});
    expect(refused).toEqual({ ok: false, error: { code: 'open_work', message: expect.stringContaining(open.outTradeNo), openSales: [open.outTradeNo], openRefunds: [] } });
    expect(await h.value<ZSummary[]>('zHistory', {})).toEqual([]);

    await h.value('cancel', { outTradeNo: open.outTradeNo });
    await h.waitFor(() => h.sales().find((s) => s.outTradeNo === open.outTradeNo && s.state === 'cancelled'), 'the cancel');
    const z = await h.value<TillReport>('zReport', {});
    expect(z).toMatchObject({ kind: 'z', zNumber: 1, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(z.currencies[0]).toMatchObject({ paidCount: 1, grossMinor: 1000, cancelledCount: 1 });

    const list = await h.value<ZSummary[]>('zHistory', { limit: 10 });
    expect(list).toEqual([{ zNumber: 1, periodStartMs: z.periodStartMs, periodEndMs: z.periodEndMs, createdAtMs: z.periodEndMs, sha256: z.sha256 }]);
    expect((await h.value<ReportStatus>('reportStatus')).lastZ).toEqual(list[0]);
    const reprint = await h.value<ZReprint>('zReprint', { zNumber: 1 });
    expect(reprint.intact).toBe(true);
    expect(reprint.report).toEqual(z);
    expect(await h.call('zReprint', { zNumber: 2 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    // The next period starts where the Z ended, empty.
    expect((await h.value<TillReport>('xReport')).currencies).toEqual([]);
  });

  it('a Z with a PIN set needs it: missing, wrong, right', async () => {
    const h = await startService();
    await h.value('setPin', { newPin: '2468' });
    expect(await h.call('zReport', {})).toMatchObject({ ok: false, error: { code: 'pin_required' } });
    expect(await h.call('zReport', { pin: '1111' })).toMatchObject({ ok: false, error: { code: 'pin_wrong' } });
    expect(await h.value<ZSummary[]>('zHistory', {})).toEqual([]);
    expect(await h.value<TillReport>('zReport', { pin: '2468' })).toMatchObject({ zNumber: 1 });
  });

  it('exports (CSV and PDF) with a PIN set need it; paper printing does not; nothing is saved before the PIN passes', async () => {
    const seams = withSeams();
    const h = await startService(seams.deps, { pin: '2468' });
    const range = { fromMs: h.clock.now() - 3_600_000, toMs: h.clock.now() + 60_000 };
    expect(await h.call('exportCsv', range)).toMatchObject({ ok: false, error: { code: 'pin_required' } });
    expect(await h.call('exportCsv', { ...range, pin: '1111' })).toMatchObject({ ok: false, error: { code: 'pin_wrong' } });
    expect(await h.call('printReport', { kind: 'x', layout: 'a4', output: 'pdf' })).toMatchObject({ ok: false, error: { code: 'pin_required' } });
    expect(seams.saved).toEqual([]);
    expect(seams.printed).toEqual([]);
    expect(await h.value<PrintResult>('printReport', { kind: 'x', layout: 'a4', output: 'print' })).toEqual({ done: true, path: null });
    expect(await h.value<ExportResult>('exportCsv', { ...range, pin: '2468' })).toMatchObject({ saved: true });
    expect(await h.value<PrintResult>('printReport', { kind: 'x', layout: 'a4', output: 'pdf', pin: '2468' })).toMatchObject({ done: true });
  });

  it("a save target the shell refused (inside the app's folder) is path_refused, not saved", async () => {
    const h = await startService({ saveFile: async () => ({ refused: "that folder holds the till's own data" }), printHtml: async () => ({ refused: 'no' }) });
    expect(await h.call('exportCsv', { fromMs: 0, toMs: h.clock.now() })).toMatchObject({ ok: false, error: { code: 'path_refused' } });
    expect(await h.call('printReport', { kind: 'x', layout: 'a4', output: 'pdf' })).toMatchObject({ ok: false, error: { code: 'path_refused' } });
  });

  it("reconciliation of the Z's period matches everything, and the reprint then carries QFPay's confirmed totals", async () => {
    const h = await startService();
    const sale = await paid(h, 2000);
    await h.value('refund', { saleOutTradeNo: sale.outTradeNo, amountMinor: 500 });
    await h.waitFor(() => h.broadcasts.find((b) => b.event === 'onRefund' && (b.payload as { state: string }).state === 'refunded'), 'the refund');
    const z = await h.value<TillReport>('zReport', {});
    expect(z.confirmed).toBeUndefined();
    const result = await h.value<Reconciliation>('reconcile', { fromMs: z.periodStartMs, toMs: z.periodEndMs });
    expect(result).toMatchObject({ complete: true, period: { fromMs: z.periodStartMs, toMs: z.periodEndMs }, stateDiffers: [], amountDiffers: [], onlyInJournal: [], onlyAtQfpay: [], problems: [] });
    expect(result.matched.map((i) => [i.order_type, i.out_trade_no])).toEqual([
      ['payment', sale.outTradeNo],
      ['refund', expect.any(String)],
    ]);
    const confirmed = [{ currency: 'HKD', paidCount: 1, grossMinor: 2000, refundCount: 1, refundMinor: 500 }];
    expect(result.totals).toEqual(confirmed);
    expect((await h.value<ZReprint>('zReprint', { zNumber: 1 })).report.confirmed).toEqual(confirmed);
  });

  it('reconciliation of the open period by default; the X shows confirmed totals until the takings change', async () => {
    const h = await startService();
    await paid(h, 1500);
    const result = await h.value<Reconciliation>('reconcile', {});
    expect(result.complete).toBe(true);
    expect(result.matched).toHaveLength(1);
    const x = await h.value<TillReport>('xReport');
    expect(x.periodEndMs).toBe(result.period.toMs);
    expect(x.confirmed).toEqual([{ currency: 'HKD', paidCount: 1, grossMinor: 1500, refundCount: 0, refundMinor: 0 }]);
    await paid(h, 100);
    const later = await h.value<TillReport>('xReport');
    expect(later.confirmed).toBeUndefined();
    expect(later.currencies[0]!.paidCount).toBe(2);
  });

  it('exportCsv and printReport answer not_available without the desktop shell', async () => {
    const h = await startService();
    expect(await h.call('exportCsv', { fromMs: 0, toMs: Date.now() })).toMatchObject({ ok: false, error: { code: 'not_available' } });
    expect(await h.call('printReport', { kind: 'x', layout: 'a4', output: 'print' })).toMatchObject({ ok: false, error: { code: 'not_available' } });
  });

  it('exportCsv saves the CSV (BOM, one row per sale or refund) where the cashier chooses; a cancelled dialog saves nothing', async () => {
    const seams = withSeams();
    const h = await startService(seams.deps);
    const sale = await paid(h, 1230);
    const range = { fromMs: h.clock.now() - 3_600_000, toMs: h.clock.now() + 60_000 };
    const result = await h.value<ExportResult>('exportCsv', range);
    expect(result).toEqual({ saved: true, path: '/chosen/by/cashier.csv', rows: 1 });
    const file = seams.saved[0]!;
    expect(file.name).toMatch(/^TILL-ITEST0001-sales-2026-11-26_2026-11-26-training\.csv$/);
    const text = String(file.content);
    expect(text.startsWith('\uFEFFtype,out_trade_no,')).toBe(true);
    expect(text).toContain(`sale,${sale.outTradeNo},`);
    // Every row names the till and the shop.
    await h.value('updateSettings', { patch: { merchantName: '陳記茶餐廳' } });
    await h.value<ExportResult>('exportCsv', range);
    expect(String(seams.saved[1]!.content).split('\r\n')[1]).toMatch(/,TILL-ITEST0001,true,陳記茶餐廳,800201,WeChat Pay QR$/);
    seams.cancelNext();
    expect(await h.value<ExportResult>('exportCsv', range)).toEqual({ saved: false, path: null, rows: 0 });
    expect(seams.saved).toHaveLength(2);
  });

  it('printReport renders X and Z pages in the settings language and both layouts', async () => {
    const seams = withSeams();
    const h = await startService(seams.deps);
    await paid(h, 880);
    await h.value('updateSettings', { patch: { merchantName: '陳記茶餐廳' } });
    expect(await h.call('printReport', { kind: 'z', layout: 'a4', output: 'print' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await h.value<PrintResult>('printReport', { kind: 'x', layout: 'receipt', output: 'pdf' })).toEqual({ done: true, path: expect.stringMatching(/-X-2026-11-26-receipt\.pdf$/) });
    await h.value('zReport', {});
    expect(await h.value<PrintResult>('printReport', { kind: 'z', zNumber: 1, layout: 'a4', output: 'print' })).toEqual({ done: true, path: null });
    expect(seams.printed.map((p) => p.options)).toEqual([
      { output: 'pdf', layout: 'receipt', defaultName: 'TILL-ITEST0001-X-2026-11-26-receipt.pdf' },
      { output: 'print', layout: 'a4', defaultName: 'TILL-ITEST0001-Z1-2026-11-26-a4.pdf' },
    ]);
    for (const { html } of seams.printed) {
      expect(html).toMatch(/^<!doctype html>/i);
      expect(html).toContain('8.80');
      expect(html).not.toMatch(/<script/i);
      // The shop's name and the till id on every printed report.
      expect(html).toContain('<div class="shop">陳記茶餐廳</div>');
      expect(html).toContain('TILL-ITEST0001');
    }
  });
});
