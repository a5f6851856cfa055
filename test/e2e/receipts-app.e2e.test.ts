import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Harness } from './support/bridge';
import { ARTIFACTS } from './support/bridge';
import { assertNoOpenSale, chargeByKeyboard, openWindows, simulator, textOf, tillValue, waitForSale } from './support/flows';
import { svgPlainText } from '../../electron/receipts/render';

// Receipts in the app (training: the virtual printer): Enter on the paid
// screen prints the receipt, Enter again is the next sale; Settings shows the
// virtual printer's last receipts as images; History reprints.

let h: Harness;
let errors: string[];

beforeAll(async () => {
  ({ h, errors } = await openWindows());
});
afterEach(async () => {
  await assertNoOpenSale(h);
  expect(errors).toEqual([]);
});
afterAll(async () => {
  await h?.close();
});

describe('receipts at the counter (training)', () => {
  it('Enter prints the paid sale’s receipt on the virtual printer; the next Enter is a new sale', async () => {
    const sale = await chargeByKeyboard(h, '38.50');
    simulator(h).pay({ out_trade_no: sale.outTradeNo });
    await waitForSale(h, ['paid']);
    await h.cashier.waitForSelector('section.sale-final .final-title');
    await h.cashier.waitForSelector('.receipt-actions button');
    await h.cashier.keyboard.press('Enter');
    expect(await textOf(h.cashier, '.receipt-actions .ok-text')).toBe('已在虛擬打印機打印。');
    await h.cashier.screenshot({ path: join(ARTIFACTS, 'receipts', 'app-paid-printed.png') });
    const jobs = await tillValue(h.cashier, 'virtualReceipts');
    expect(jobs).toHaveLength(1);
    expect(svgPlainText(jobs[0]!.svg)).toContain('HKD 38.50');
    expect(svgPlainText(jobs[0]!.svg)).toContain('TRAINING — NOT A REAL PAYMENT');
    await h.cashier.keyboard.press('Enter');
    await h.cashier.waitForSelector('.amount-panel');
  });

  it('Settings → Receipts lists the virtual printer’s receipts and shows one as an image', async () => {
    await h.cashier.click('role=tab >> nth=3');
    const section = await h.cashier.waitForSelector('[data-testid="receipt-settings"]');
    await section.scrollIntoViewIfNeeded();
    await h.cashier.click('.virtual-jobs li:first-child button');
    const img = await h.cashier.waitForSelector('.virtual-jobs img.receipt-image');
    expect(await img.evaluate((e) => (e as unknown as { naturalWidth: number }).naturalWidth)).toBe(576);
    await img.scrollIntoViewIfNeeded();
    await h.cashier.screenshot({ path: join(ARTIFACTS, 'receipts', 'app-settings-virtual-printer.png') });
    await h.cashier.click('role=tab >> nth=0');
    await h.cashier.waitForSelector('.amount-panel');
  });
});
