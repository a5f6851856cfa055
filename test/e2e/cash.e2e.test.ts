import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ARTIFACTS, type Harness } from './support/bridge';
import { backToKeypad, settle, simulator, sizeName, SIZES, textOf, tillValue, waitForSale } from './support/flows';
import { openWindows } from './support/flows';

// Cash in the cashier window (issue 13): the Cash tender with the opening
// float and the change, the paid screen with the change, a paid out in the
// X report, and the Z with the drawer section (counted and difference).
// QFPay is never asked anything.

let h: Harness;
let errors: string[];

beforeAll(async () => {
  ({ h, errors } = await openWindows());
});

afterAll(async () => {
  await h?.close();
});

async function shootCashier(state: string): Promise<string[]> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const paths: string[] = [];
  for (const size of SIZES) {
    await h.resize(size[0], size[1]);
    await settle(h.cashier);
    const path = join(ARTIFACTS, `cashier-${state}-${sizeName(size)}.png`);
    await h.cashier.screenshot({ path, fullPage: false });
    paths.push(path);
  }
  return paths;
}

const section = (name: string) => h.cashier.click(`button.segment[data-section="${name}"]`);

describe('cash at the counter', () => {
  it('Cash tender: float at the first sale, the change as typed, paid without QFPay', async () => {
    const requestsBefore = Object.values(simulator(h).requestCounts).reduce((a, b) => a + b, 0);
    await backToKeypad(h.cashier);
    await h.cashier.keyboard.type('12.30');
    await h.cashier.getByRole('button', { name: '現金', exact: true }).click();
    const dialog = h.cashier.getByRole('dialog', { name: '現金付款' });
    await dialog.waitFor();
    await dialog.getByLabel('錢箱開業備用金').fill('500');
    await dialog.getByLabel('收取現金').fill('10');
    expect(await textOf(h.cashier, '.cash-tender .warn-banner')).toBe('尚欠 HK$2.30：收取金額不可少於應付金額');
    await dialog.getByLabel('收取現金').fill('20');
    expect(await textOf(h.cashier, '[data-testid="cash-change"]')).toBe('HK$7.70');
    await shootCashier('cash-tender');

    await dialog.getByLabel('收取現金').press('Enter');
    const sale = await waitForSale(h, ['paid']);
    expect(sale.cash).toEqual({ tenderedMinor: 2000, changeMinor: 770 });
    await h.cashier.waitForSelector('[data-testid="final-cash"]');
    expect(await textOf(h.cashier, '.final-change')).toBe('找續 HK$7.70');
    // The customer sees the change too, under "Paid".
    await h.customer.waitForSelector('[data-testid="customer-change"]');
    expect(await textOf(h.customer, '[data-testid="customer-change"] .c-amount')).toBe('HK$7.70');
    await shootCashier('cash-paid');
    await settle(h.customer);
    await h.customer.screenshot({ path: join(ARTIFACTS, 'customer-cash-paid.png'), fullPage: false });
    await backToKeypad(h.cashier);

    expect(simulator(h).orders()).toEqual([]);
    expect(Object.values(simulator(h).requestCounts).reduce((a, b) => a + b, 0)).toBe(requestsBefore);
  });

  it('paid out in the X report, then the Z with the counted cash and the difference', async () => {
    await h.cashier.click('role=tab[name="報表"]');
    await section('x');
    const box = h.cashier.getByRole('region', { name: '存入／支出' });
    await box.getByRole('radio', { name: '支出' }).click();
    await box.getByLabel('金額').fill('15');
    await box.getByLabel('原因').fill('牛奶');
    await box.getByRole('button', { name: '記錄' }).click();
    expect(await textOf(h.cashier, '.drawer-move-box .ok-banner')).toBe('已記錄。錢箱應有現金：HK$497.30');
    await h.cashier.waitForSelector('[data-testid="drawer-expected-HKD"]:has-text("HK$497.30")');

    await section('z');
    const count = h.cashier.getByLabel('錢箱點算現金（HKD）');
    await count.fill('497');
    await h.cashier.getByRole('button', { name: '產生 Z 報表並日結' }).click();
    // A Z cannot be taken back: a second step asks first (issue 10).
    await h.cashier.getByRole('button', { name: '確認日結並產生 Z 報表' }).click();
    await h.cashier.waitForSelector('.z-taken');
    expect(await textOf(h.cashier, '[data-testid="drawer-difference-HKD"]')).toBe('−HK$0.30');
    expect(await textOf(h.cashier, '[data-testid="drawer-expected-HKD"]')).toBe('HK$497.30');
    const z = (await tillValue(h.cashier, 'zReprint', { zNumber: 1 }));
    expect(z.intact).toBe(true);
    expect(z.report.drawer).toEqual([expect.objectContaining({ floatMinor: 50000, cashSalesMinor: 1230, paidOutMinor: 1500, expectedMinor: 49730, countedMinor: 49700, differenceMinor: -30 })]);
    await h.cashier.locator('[data-testid="drawer-section"]').scrollIntoViewIfNeeded();
    await shootCashier('report-z-drawer');
    expect(errors).toEqual([]);
  });
});
