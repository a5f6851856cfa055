import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { SaleView } from '../../shared/sale';
import type { Harness } from './support/bridge';
import {
  assertNoOpenSale,
  openWindows,
  backToKeypad,
  cashierState,
  chargeByKeyboard,
  customerState,
  shoot,
  simulator,
  textOf,
  tillValue,
  waitForSale,
} from './support/flows';

// Refunds from History with a supervisor PIN: a wrong PIN is refused with
// its message, a partial refund and then the rest, and a straight full
// refund, each confirmed by QFPay (the simulator) and shown in the list.

const PIN = '2468';
let h: Harness;
let errors: string[];

beforeAll(async () => {
  ({ h, errors } = await openWindows());
});

afterEach(async () => {
  await assertNoOpenSale(h);
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

/** Opens History and finds the sale by its order number (the search spans every day). */
async function openInHistory(outTradeNo: string): Promise<void> {
  await h.cashier.click('role=tab[name="記錄"]');
  // The tab keeps a sale's detail open: go back to the list as a cashier would.
  if (await h.cashier.$('.detail')) await h.cashier.click('text=返回列表');
  await h.cashier.fill('input.search-input', outTradeNo);
  await h.cashier.click(`tr:has-text("${outTradeNo}")`);
  await h.cashier.waitForSelector('.detail-amount');
}

const refundBox = {
  amount: () => h.cashier.getByLabel('退款金額'),
  pin: () => h.cashier.getByLabel('主管密碼'),
  partial: () => h.cashier.locator('.refund-box button.btn-danger'),
  full: () => h.cashier.getByRole('button', { name: '全數退款' }),
  /** Refund all asks first: the second step's button refunds. */
  confirmFull: async (amount: string) => {
    expect(await textOf(h.cashier, '.confirm-title')).toBe('全數退款？');
    await h.cashier.getByRole('button', { name: `確認退款 ${amount}` }).click();
  },
};

const refundsInSimulator = (saleOutTradeNo: string) => {
  const sale = simulator(h).orders().find((o) => o.out_trade_no === saleOutTradeNo)!;
  return simulator(h)
    .orders()
    .filter((o) => o.order_type === 'refund' && o.origssn === sale.syssn)
    .map((o) => ({ txamt: o.txamt, state: o.state }));
};

describe('refunds from History with a supervisor PIN', () => {
  let first: SaleView;
  let second: SaleView;

  beforeAll(async () => {
    const view = await tillValue(h.cashier, 'setPin', { newPin: PIN });
    expect(view.pinSet).toBe(true);
    first = await paidSale('12.30');
    second = await paidSale('20');
  });

  it('lists today\'s sales with their state, amounts and order numbers', async () => {
    await h.cashier.click('role=tab[name="記錄"]');
    await h.cashier.waitForSelector(`tr:has-text("${second.outTradeNo}")`);
    const rows = await h.cashier.locator('.history-table tbody tr').allTextContents();
    expect(rows.some((r) => r.includes('HK$12.30') && r.includes('已付款') && r.includes(first.outTradeNo))).toBe(true);
    expect(rows.some((r) => r.includes('HK$20.00') && r.includes(second.outTradeNo))).toBe(true);
    // Searching by amount finds the one sale.
    await h.cashier.fill('input.search-input', '12.30');
    await h.cashier.waitForFunction((n) => (globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }).document.querySelectorAll('.history-table tbody tr').length === n, 1);
    expect(await h.cashier.locator('.history-table tbody tr').allTextContents()).toEqual([expect.stringContaining(first.outTradeNo)]);
    await h.cashier.fill('input.search-input', '');
    await customerState(h.customer, 'idle');
    await shoot(h, { cashier: 'history', customer: 'idle-during-history' });
  });

  it('without the PIN the refund asks for it; a wrong PIN is refused; nothing is refunded', async () => {
    await openInHistory(first.outTradeNo);
    expect(await textOf(h.cashier, '.refund-box p')).toBe('尚可退款 HK$12.30');
    await refundBox.amount().fill('2.00');
    await refundBox.partial().click();
    expect(await textOf(h.cashier, '.error-banner')).toBe('請輸入主管密碼。');
    await refundBox.pin().fill('0000');
    await refundBox.partial().click();
    await h.cashier.waitForSelector('.error-banner:has-text("密碼錯誤。")');
    await shoot(h, { cashier: 'refund-wrong-pin', customer: 'idle-during-refund-wrong-pin' });
    expect(refundsInSimulator(first.outTradeNo)).toEqual([]);
    expect((await tillValue(h.cashier, 'saleDetail', { outTradeNo: first.outTradeNo })).refunds).toEqual([]);
  });

  it('partial refund of 2.00, then "refund all" refunds the 10.30 left', async () => {
    await openInHistory(first.outTradeNo);
    await refundBox.amount().fill('2.00');
    await refundBox.pin().fill(PIN);
    await refundBox.partial().click();
    await h.cashier.waitForSelector('.ok-banner:has-text("已退款 HK$2.00")');
    await h.cashier.waitForSelector('.refund-box p:has-text("尚可退款 HK$10.30")');
    expect(await textOf(h.cashier, '.detail-head .badge')).toBe('部分退款');
    await shoot(h, { cashier: 'refund-partial', customer: 'idle-during-refund-partial' });

    await refundBox.pin().fill(PIN);
    await refundBox.full().click();
    await shoot(h, { cashier: 'refund-all-confirm', customer: 'idle-during-refund-all-confirm' });
    await refundBox.confirmFull('HK$10.30');
    await h.cashier.waitForSelector('.ok-banner:has-text("已退款 HK$10.30")');
    await h.cashier.waitForSelector('.detail-head .badge:has-text("已退款")');
    // Nothing is left to refund: the refund box is gone.
    expect(await h.cashier.$('.refund-box')).toBeNull();
    await shoot(h, { cashier: 'refund-full', customer: 'idle-during-refund-full' });

    expect(refundsInSimulator(first.outTradeNo)).toEqual([
      { txamt: 200, state: 'refunded' },
      { txamt: 1030, state: 'refunded' },
    ]);
    const detail = await tillValue(h.cashier, 'saleDetail', { outTradeNo: first.outTradeNo });
    expect(detail.refundableMinor).toBe(0);
    expect(detail.refunds.map((r) => [r.amountMinor, r.state])).toEqual([
      [200, 'refunded'],
      [1030, 'refunded'],
    ]);
  });

  it('a straight full refund', async () => {
    await openInHistory(second.outTradeNo);
    await refundBox.pin().fill(PIN);
    await refundBox.full().click();
    await refundBox.confirmFull('HK$20.00');
    await h.cashier.waitForSelector('.ok-banner:has-text("已退款 HK$20.00")');
    expect(refundsInSimulator(second.outTradeNo)).toEqual([{ txamt: 2000, state: 'refunded' }]);
    await h.cashier.click('text=返回列表');
    await h.cashier.fill('input.search-input', '');
    await h.cashier.waitForSelector(`tr:has-text("${second.outTradeNo}") .badge:has-text("已退款")`);
    await shoot(h, { cashier: 'history-refunded', customer: 'idle-during-history-refunded' });
  });

  it('no page errors or console errors in either window', () => {
    expect(errors).toEqual([]);
  });
});
