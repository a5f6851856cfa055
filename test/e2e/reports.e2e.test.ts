import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SaleView } from '../../shared/sale';
import { ARTIFACTS, type Harness } from './support/bridge';
import { assertNoOpenSale, backToKeypad, cashierState, chargeByKeyboard, openWindows, settle, simulator, sizeName, SIZES, textOf, tillValue, waitForSale } from './support/flows';

// End of day in the cashier window (issue 6): a few sales (paid, cancelled,
// refunded in part, one in cash), the X report with its hourly chart stacked
// by tender and the split by tender (issue 13), the Z refused while
// a sale is open and then taken with the supervisor PIN (a wrong one first),
// the Z in history and its reprint, the check against QFPay (all matched),
// the CSV export, and the printable pages in both layouts.

const PIN = '2468';
let h: Harness;
let errors: string[];

beforeAll(async () => {
  ({ h, errors } = await openWindows());
});

afterAll(async () => {
  await h?.close();
});

async function paidSale(amount: string): Promise<SaleView> {
  const sale = await chargeByKeyboard(h, amount);
  expect(simulator(h).pay({ out_trade_no: sale.outTradeNo }).ok).toBe(true);
  await cashierState(h.cashier, 'paid');
  await backToKeypad(h.cashier);
  return waitForSale(h, ['paid']);
}

async function shootCashier(state: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  for (const size of SIZES) {
    await h.resize(size[0], size[1]);
    await settle(h.cashier);
    await h.cashier.screenshot({ path: join(ARTIFACTS, `cashier-${state}-${sizeName(size)}.png`), fullPage: false });
  }
}

const section = (name: string) => h.cashier.click(`button.segment[data-section="${name}"]`);

describe('end of day in the Reports tab', () => {
  let first: SaleView;
  let second: SaleView;

  beforeAll(async () => {
    first = await paidSale('12.30');
    second = await paidSale('20');
    // A sale the customer never paid: cancelled at the counter.
    await chargeByKeyboard(h, '8.80');
    await h.cashier.getByRole('button', { name: '取消' }).click();
    await waitForSale(h, ['cancelled']);
    await backToKeypad(h.cashier);
    // 5.00 of the 20.00 refunded (no PIN set yet).
    const refund = await tillValue(h.cashier, 'refund', { saleOutTradeNo: second.outTradeNo, amountMinor: 500 });
    const end = Date.now() + 10_000;
    while ((await tillValue(h.cashier, 'saleDetail', { outTradeNo: second.outTradeNo })).refunds.find((r) => r.outTradeNo === refund.outTradeNo)?.state !== 'refunded') {
      if (Date.now() > end) throw new Error('the refund never completed');
      await new Promise((ok) => setTimeout(ok, 50));
    }
    // One cash sale (issue 13): a second tender, in the split and stacked in the chart; QFPay never sees it.
    await tillValue(h.cashier, 'chargeCash', { amountMinor: 1000, currency: 'HKD', tenderedMinor: 1000, openingFloatMinor: 0 });
    await assertNoOpenSale(h);
  });

  it('the X report shows paid, refunds, net, the average, the hourly chart stacked by tender and the split by tender', async () => {
    await h.cashier.click('role=tab[name="報表"]');
    const card = h.cashier.locator('.report[data-kind="x"] .currency-card[data-currency="HKD"]');
    await card.waitFor();
    expect(await textOf(h.cashier, '.report[data-kind="x"] .net-amount')).toBe('HK$37.30');
    const rows = await card.locator('.totals-table tbody tr').allTextContents();
    expect(rows[0]).toContain('3 筆 · HK$42.30');
    expect(rows[1]).toContain('1 筆 · -HK$5.00');
    expect(rows[2]).toContain('HK$14.10');
    expect(rows[3]).toContain('1 / 0 / 0');
    // One bar (every sale in this hour) stacked by tender: WeChat QR green at the bottom, cash above, the count on top.
    const bars = card.locator('svg rect.chart-bar');
    expect(await bars.count()).toBe(2);
    expect([await bars.nth(0).getAttribute('data-tender'), await bars.nth(0).getAttribute('fill')]).toEqual(['800201', '#07c160']);
    expect(await bars.nth(1).getAttribute('data-tender')).toBe('cash');
    expect(await card.locator('svg text.chart-count').first().textContent()).toBe('3');
    expect(await card.locator('.chart-legend li').allTextContents()).toEqual(['微信支付 QR', '現金']);
    // The split by tender: each tender by name, its refunds under it, one net total.
    const split = await h.cashier.locator('.report[data-kind="x"] .tender-table tr').allTextContents();
    expect(split).toEqual(['微信支付 QR2 筆 · HK$32.30', '退款1 筆 · −HK$5.00', '現金1 筆 · HK$10.00', '合計（淨額）3 筆 · HK$37.30']);
    // Hours run from the 04:00 cut-off.
    expect(await card.locator('svg text.chart-hour').first().textContent()).toBe('04');
    await shootCashier('report-x');
    void first;
  });

  it('a Z is refused while a sale is open: the open order is listed and the cashier is taken to it', async () => {
    await h.cashier.click('role=tab[name="收款"]');
    const open = await chargeByKeyboard(h, '3.00');
    await h.cashier.click('role=tab[name="報表"]');
    await section('z');
    await h.cashier.waitForSelector(`.open-work li:has-text("${open.outTradeNo}")`);
    expect(await h.cashier.locator('button.btn-danger.btn-large').isDisabled()).toBe(true);
    await h.cashier.getByRole('button', { name: '前往未完成的交易' }).click();
    await cashierState(h.cashier, 'awaiting_scan');
    await h.cashier.getByRole('button', { name: '取消' }).click();
    await waitForSale(h, ['cancelled']);
    await backToKeypad(h.cashier);
  });

  it('takes a Z with the supervisor PIN, refusing a wrong one first', async () => {
    expect((await tillValue(h.cashier, 'setPin', { newPin: PIN })).pinSet).toBe(true);
    await h.cashier.click('role=tab[name="報表"]');
    await section('z');
    await h.cashier.waitForSelector('.z-status');
    expect(await h.cashier.$('.open-work')).toBeNull();
    const pin = h.cashier.getByLabel('主管密碼');
    await pin.fill('0000');
    await h.cashier.getByRole('button', { name: '產生 Z 報表並日結' }).click();
    // A Z cannot be taken back: a second step asks first.
    expect(await textOf(h.cashier, '.confirm-title')).toBe('現在日結？');
    await shootCashier('report-z-confirm');
    await h.cashier.getByRole('button', { name: '確認日結並產生 Z 報表' }).click();
    await h.cashier.waitForSelector('.error-banner:has-text("密碼錯誤。")');
    expect(await tillValue(h.cashier, 'zHistory', { limit: 10 })).toEqual([]);
    await pin.fill(PIN);
    await h.cashier.getByRole('button', { name: '產生 Z 報表並日結' }).click();
    await h.cashier.getByRole('button', { name: '確認日結並產生 Z 報表' }).click();
    expect(await textOf(h.cashier, '.z-taken')).toBe('Z 報表第 1 號已產生並儲存。');
    const hash = await textOf(h.cashier, '.report[data-kind="z"] .hash');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(await textOf(h.cashier, '.report[data-kind="z"] .net-amount')).toBe('HK$37.30');
    await shootCashier('report-z');
  });

  it('Z history lists the Z; its reprint is intact', async () => {
    await section('history');
    await h.cashier.click('tr[data-z="1"]');
    await h.cashier.waitForSelector('.report[data-kind="z"][data-z="1"]');
    expect(await textOf(h.cashier, '.report .ok-text')).toBe('指紋已核對：產生後未被更改。');
    expect(await h.cashier.$('.tamper-warning')).toBeNull();
    await shootCashier('report-z-reprint');
  });

  it("checking the Z's period with QFPay: everything matches, QFPay's totals beside the till's", async () => {
    await h.cashier.click('text=返回列表');
    await section('reconcile');
    await h.cashier.selectOption('select.currency-select', '1');
    await h.cashier.getByRole('button', { name: '與 QFPay 對賬' }).last().click();
    await h.cashier.waitForSelector('.reconcile-result');
    expect(await h.cashier.$('.incomplete')).toBeNull();
    // Two paid sales, two cancelled ones and the refund (the cash sale is the journal's alone).
    expect(await textOf(h.cashier, '.all-matched')).toBe('全部與 QFPay 相符：共 5 筆交易及退款。');
    for (const list of ['stateDiffers', 'amountDiffers', 'onlyInJournal', 'onlyAtQfpay']) expect(await textOf(h.cashier, `.count-chip[data-list="${list}"] strong`)).toBe('0');
    const compare = await h.cashier.locator('.totals-compare tr[data-currency="HKD"] td').allTextContents();
    // Cash stands confirmed by nature: counted on both sides, never a difference.
    expect(compare).toEqual(['3 筆 · HK$42.30', '3 筆 · HK$42.30', '1 筆 · HK$5.00', '1 筆 · HK$5.00']);
    expect(await h.cashier.$('.totals-differ')).toBeNull();
    await h.cashier.getByRole('button', { name: '顯示相符項目（5）' }).click();
    await h.cashier.waitForSelector('.reconcile-matched .reconcile-item');
    await shootCashier('reconcile');
    // The reprint of that Z now shows QFPay's confirmed totals.
    const reprint = await tillValue(h.cashier, 'zReprint', { zNumber: 1 });
    expect(reprint.report.confirmed).toEqual([{ currency: 'HKD', paidCount: 3, grossMinor: 4230, refundCount: 1, refundMinor: 500 }]);
  });

  it('exports the day as CSV with a byte-order mark', async () => {
    await section('export');
    // Exports are behind the supervisor PIN (issue 10): refused without it, saved with it.
    await h.cashier.getByRole('button', { name: '儲存 CSV…' }).click();
    await h.cashier.waitForSelector('[data-panel="export"] .error-banner');
    expect(h.saved).toHaveLength(0);
    await h.cashier.fill('[data-panel="export"] input[type="password"]', PIN);
    await h.cashier.getByRole('button', { name: '儲存 CSV…' }).click();
    await h.cashier.waitForSelector('.ok-banner:has-text("已將 6 行儲存至")');
    const csv = readFileSync(h.saved.at(-1)!.path, 'utf8');
    expect(csv.startsWith('\uFEFFtype,out_trade_no')).toBe(true);
    expect(csv.split('\r\n').filter((l) => l !== '')).toHaveLength(7);
    // The tender of every row, by code and name.
    expect(csv.split('\r\n').filter((l) => l.endsWith(',cash,Cash'))).toHaveLength(1);
    expect(csv.split('\r\n').filter((l) => l.endsWith(',800201,WeChat Pay QR'))).toHaveLength(5);
  });

  it('prints the Z as an 80 mm receipt and as A4 (rendered and captured)', async () => {
    await section('history');
    await h.cashier.click('tr[data-z="1"]');
    await h.cashier.fill('.print-box input[type="password"]', PIN);
    await h.cashier.getByRole('button', { name: '收據存為 PDF' }).click();
    await h.cashier.waitForSelector('.print-box .ok-banner:has-text("已儲存")');
    await h.cashier.getByRole('button', { name: '列印 A4' }).click();
    await h.cashier.waitForSelector('.print-box .ok-banner:has-text("已傳送至打印機。")');
    const receipt = h.printed.find((p) => p.options.layout === 'receipt')!;
    const a4 = h.printed.find((p) => p.options.layout === 'a4')!;
    expect(receipt.options).toMatchObject({ output: 'pdf', defaultName: expect.stringMatching(/^E2E-TILL-01-Z1-\d{4}-\d{2}-\d{2}-receipt\.pdf$/) });
    expect(a4.options.output).toBe('print');
    for (const [name, printed, width] of [
      ['report-print-receipt.png', receipt, 302],
      ['report-print-a4.png', a4, 794],
    ] as const) {
      expect(printed.html).toContain('HK');
      // Printed by tender: the split with its total, the chart stacked with a legend.
      expect(printed.html).toContain('<span>現金 (1)</span>');
      expect(printed.html).toContain('<span>合計（淨額） (3)</span><span>37.30</span>');
      expect(printed.html).toContain('<ul class="legend">');
      const page = await h.browser.newPage({ viewport: { width, height: 800 } });
      await page.setContent(printed.html);
      await page.screenshot({ path: join(ARTIFACTS, name), fullPage: true });
      await page.close();
    }
  });

  it('no page errors or console errors along the way', () => {
    expect(errors).toEqual([]);
  });
});
