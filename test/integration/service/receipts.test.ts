import { afterEach, describe, expect, it } from 'vitest';
import type { ReceiptPreview, ReceiptPrintResult, VirtualReceipt } from '../../../shared/contract';
import type { TillReport } from '../../../shared/reports';
import type { RefundView, SaleView } from '../../../shared/sale';
import { svgPlainText } from '../../../electron/receipts/render';
import { VirtualPrinter } from '../../../electron/receipts/virtual-printer';
import { closeAll, startService, type ServiceHarness } from './support';

// The receipt methods through the contract, over the real journal and the
// training simulator: training prints to the virtual printer; "auto" prints
// each sale as it is paid; reprints are marked; "No sale" is PIN-gated and
// journaled; X reports go to the roll too.

afterEach(closeAll);

async function paid(h: ServiceHarness, amountMinor: number): Promise<SaleView> {
  const sale = await h.value<SaleView>('charge', { amountMinor, currency: 'HKD', goodsName: 'Milk tea' });
  await h.waitFor(() => h.sales().find((s) => s.outTradeNo === sale.outTradeNo && s.state === 'awaiting_scan'), 'the QR');
  await h.value('simulateCustomerPayment', { outTradeNo: sale.outTradeNo });
  await h.waitFor(() => h.sales().find((s) => s.outTradeNo === sale.outTradeNo && s.state === 'paid'), 'paid');
  return sale;
}

async function harness() {
  const virtual = new VirtualPrinter();
  const h = await startService({ receipts: { virtual } });
  await h.value('updateSettings', { patch: { merchantName: '陳記茶餐廳', receiptFooter: '多謝惠顧' } });
  return { h, virtual };
}

describe('receipts through the contract (training)', () => {
  it('prints a paid sale to the virtual printer, never a real one, with the training line', async () => {
    const { h, virtual } = await harness();
    const sale = await paid(h, 1250);
    const result = await h.value<ReceiptPrintResult>('printReceipt', { outTradeNo: sale.outTradeNo });
    expect(result).toEqual({ printed: true, printer: 'virtual', reason: null, message: null });
    const jobs = await h.value<VirtualReceipt[]>('virtualReceipts');
    expect(jobs).toHaveLength(1);
    expect(jobs[0]!.bytes).toBe(virtual.jobs()[0]!.bytes.length);
    const text = svgPlainText(jobs[0]!.svg);
    expect(text).toContain('TRAINING — NOT A REAL PAYMENT');
    expect(text).toContain('陳記茶餐廳');
    expect(text).toContain('HKD 12.50');
  });

  it('"auto" prints each sale as it is paid; "on request" does not', async () => {
    const { h, virtual } = await harness();
    await paid(h, 500);
    expect(virtual.jobs()).toHaveLength(0);
    await h.value('updateSettings', { patch: { receiptPrint: 'auto' } });
    const sale = await paid(h, 700);
    await h.waitFor(() => virtual.jobs().length === 1, 'the automatic receipt');
    expect(virtual.jobs()[0]!.title).toBe(`receipt ${sale.outTradeNo}`);
    // A refund that ends refunded prints its refund receipt too.
    const refund = await h.value<RefundView>('refund', { saleOutTradeNo: sale.outTradeNo, amountMinor: 200 });
    await h.waitFor(() => virtual.jobs().length === 2, 'the refund receipt');
    expect(virtual.jobs()[0]!.title).toBe(`receipt ${refund.outTradeNo}`);
    const text = svgPlainText(virtual.jobs()[0]!.svg);
    expect(text).toContain('退款收據');
    expect(text).toContain('HKD -2.00');
  });

  it('a reprint is marked REPRINT; a sale that was not paid has no receipt', async () => {
    const { h } = await harness();
    const sale = await paid(h, 900);
    await h.value('printReceipt', { outTradeNo: sale.outTradeNo, reprint: true });
    const [job] = await h.value<VirtualReceipt[]>('virtualReceipts');
    expect(svgPlainText(job!.svg)).toContain('REPRINT');
    const preview = await h.value<ReceiptPreview>('previewReceipt', { outTradeNo: sale.outTradeNo });
    expect(preview.paperWidth).toBe(80);
    expect(svgPlainText(preview.svg)).toContain('HKD 9.00');
    const open = await h.value<SaleView>('charge', { amountMinor: 100, currency: 'HKD' });
    const refused = await h.call('printReceipt', { outTradeNo: open.outTradeNo });
    expect(refused).toMatchObject({ ok: false, error: { code: 'not_paid' } });
    await h.value('cancel', { outTradeNo: open.outTradeNo });
  });

  it('"No sale" needs the supervisor PIN once one is set, kicks the drawer and is journaled with who and when', async () => {
    const { h, virtual } = await harness();
    await paid(h, 300); // the X period starts at the first sale
    await h.value('setPin', { newPin: '2468' });
    expect(await h.call('openDrawer', {})).toMatchObject({ ok: false, error: { code: 'pin_required' } });
    expect(virtual.jobs()).toHaveLength(0);
    const at = h.clock.now();
    const result = await h.value<ReceiptPrintResult>('openDrawer', { pin: '2468' });
    expect(result.printed).toBe(true);
    expect(virtual.jobs()[0]!.bytes.includes(Buffer.from([0x1b, 0x70, 0x00]))).toBe(true);
    const journal = h.service.current!.journal;
    const notes = journal.db.prepare("SELECT at_ms, data FROM events WHERE kind = 'note'").all() as { at_ms: number; data: string }[];
    const drawer = notes.map((n): Record<string, unknown> & { at: number } => ({ at: n.at_ms, ...(JSON.parse(n.data) as Record<string, unknown>) })).filter((n) => n.note === 'drawer_open');
    expect(drawer).toEqual([expect.objectContaining({ by: 'supervisor (PIN)', reason: 'no_sale' })]);
    expect(drawer[0]!.at).toBeGreaterThanOrEqual(at);
    // Each opening is counted on the X report, on screen and on the roll.
    h.clock.advance(1_000);
    expect((await h.value<TillReport>('xReport')).drawerOpenings).toBe(1);
    await h.value('printReportReceipt', { kind: 'x' });
    // In the till's language, as the sale receipts are (zh-Hant by default).
    expect(svgPlainText(virtual.jobs()[0]!.svg)).toMatch(/開錢箱次數\s*1/);
  });

  it('X reports and the test page go to the receipt printer', async () => {
    const { h, virtual } = await harness();
    await paid(h, 1000);
    expect((await h.value<ReceiptPrintResult>('printReportReceipt', { kind: 'x' })).printed).toBe(true);
    expect(svgPlainText(virtual.jobs()[0]!.svg)).toContain('X 報表');
    expect(await h.call('printReportReceipt', { kind: 'z' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect((await h.value<ReceiptPrintResult>('testPrinter')).printed).toBe(true);
    expect(virtual.jobs()).toHaveLength(2);
  });

  it('a Z prints in the till’s language; printed again, or an older one, it is marked REPRINT', async () => {
    const { h, virtual } = await harness();
    await paid(h, 1000);
    const first = await h.value<TillReport>('zReport', { pin: '2468' });
    await h.value('updateSettings', { patch: { language: 'zh-Hans', receiptCodePage: 'gb18030' } });
    const text = async (input: { kind: 'z'; zNumber?: number }) => {
      expect((await h.value<ReceiptPrintResult>('printReportReceipt', input)).printed).toBe(true);
      return svgPlainText(virtual.jobs()[0]!.svg);
    };
    const original = await text({ kind: 'z' });
    expect(original).toContain('Z 报表（日结）');
    expect(original).toMatch(new RegExp(`Z 编号\\s*${first.zNumber}`));
    expect(original).toContain(first.sha256!.slice(0, 32));
    expect(original).not.toContain('重印');
    expect(await text({ kind: 'z', zNumber: first.zNumber! })).toContain('重印');
    h.clock.advance(1_000);
    await paid(h, 500);
    const second = await h.value<TillReport>('zReport', { pin: '2468' });
    expect(await text({ kind: 'z', zNumber: second.zNumber! })).not.toContain('重印');
    expect(await text({ kind: 'z', zNumber: first.zNumber! })).toContain('重印');
    // A restart over the same journal still knows the last Z has printed.
    await h.service.stop();
    const again = await startService({ settings: h.settings, dataDir: h.dataDir, receipts: { virtual } }, { backend: h.backend, box: h.box, clock: h.clock });
    expect((await again.value<ReceiptPrintResult>('printReportReceipt', { kind: 'z' })).printed).toBe(true);
    expect(svgPlainText(virtual.jobs()[0]!.svg)).toContain('重印');
  });
});

describe('the cash drawer opens with cash, never with QFPay (issue 14)', () => {
  const KICK = '\x1bp';
  const kicks = (virtual: VirtualPrinter) => virtual.jobs().filter((j) => j.bytes.toString('latin1').includes(KICK)).length;

  it('receipts off: a cash sale and its cash refund each send a kick alone; a QFPay sale sends nothing; X counts the openings', async () => {
    const { h, virtual } = await harness();
    await h.value('updateSettings', { patch: { receiptPrint: 'never' } });
    await paid(h, 1250);
    expect(virtual.jobs()).toHaveLength(0);

    const cash = await h.value<SaleView>('chargeCash', { amountMinor: 1230, currency: 'HKD', tenderedMinor: 2000, openingFloatMinor: 0 });
    await h.waitFor(() => (kicks(virtual) === 1 ? true : undefined), 'the drawer kick of the cash sale');
    expect(virtual.jobs()).toHaveLength(1);
    // Only the kick: no paper for an owner who turned receipts off.
    expect(virtual.jobs()[0]!.bytes.toString('latin1')).toBe(`\x1b@${KICK}\x00\x19\xfa`);

    const refund = await h.value<RefundView>('refund', { saleOutTradeNo: cash.outTradeNo, amountMinor: 230 });
    expect(refund.state).toBe('refunded');
    await h.waitFor(() => (kicks(virtual) === 2 ? true : undefined), 'the drawer kick of the cash refund');

    const x = await h.value<TillReport>('xReport');
    expect(x.drawerOpenings).toBe(2);
  });

  it('receipts automatic: the cash sale\'s receipt carries the kick (one job, not two)', async () => {
    const { h, virtual } = await harness();
    await h.value('updateSettings', { patch: { receiptPrint: 'auto' } });
    await h.value<SaleView>('chargeCash', { amountMinor: 1230, currency: 'HKD', tenderedMinor: 2000, openingFloatMinor: 0 });
    await h.waitFor(() => (virtual.jobs().length === 1 ? true : undefined), 'the cash receipt');
    expect(kicks(virtual)).toBe(1);
    expect(svgPlainText(virtual.jobs()[0]!.svg)).toContain('20.00');
  });
});
