import { describe, expect, it } from 'vitest';
import { auditInto } from './support/axe';
import type { Harness } from './support/bridge';
import { counterSuite } from './support/counter-suite';
import { backToKeypad, cashierState, customerState, shoot, simulator, textOf, tillValue, waitForSale } from './support/flows';

// The cashier scans the customer's payment code (issue 13 §1), in the
// cashier window and on the customer display: the Scan key asks the
// customer for the code, a code that pays at once, a code ending in 1 that
// waits for the customer's password and is then paid, a code ending in 2
// that never is (the waiting screen; the till reverses it after the wait
// window), and a keyboard-wedge burst typed straight onto the Charge screen.
// Needs the engine's chargeCode (branch h-cpm).

let h: Harness;
const field = () => h.cashier.getByLabel('付款碼', { exact: true });
const { violations } = counterSuite(async (harness) => {
  h = harness;
});

/** Types the amount at a person's pace and presses the Scan key. */
async function startScan(amount: string): Promise<void> {
  await backToKeypad(h.cashier);
  await h.cashier.keyboard.type(amount, { delay: 90 });
  await h.cashier.getByRole('button', { name: '掃碼', exact: true }).click();
  await field().waitFor();
}

describe('scanning the customer\'s payment code', () => {
  it('Scan: the customer display asks for the payment code with the amount; Esc goes back to the amount due', async () => {
    await backToKeypad(h.cashier);
    await h.cashier.keyboard.type('12.30', { delay: 90 });
    await h.cashier.getByRole('button', { name: '掃碼', exact: true }).click();
    await customerState(h.customer, 'show_code');
    expect(await textOf(h.customer, '[data-testid="customer-code-amount"]')).toBe('HK$12.30');
    expect(await textOf(h.customer, '.c-show-code .zh')).toBe('請出示付款碼');
    expect(await textOf(h.customer, '.c-show-code .en')).toBe('Please show your payment code');
    await shoot(h, { cashier: 'scan-ready', customer: 'scan-show-code' });
    await auditInto(violations, 'customer: show code', h.customer);
    await auditInto(violations, 'cashier: scan panel', h.cashier);
    // A code of no wallet: said on the cashier's screen, nothing sent to QFPay.
    const payments = simulator(h).requestCounts.payment;
    await h.cashier.getByLabel('付款碼', { exact: true }).fill('991234567890123456');
    await h.cashier.getByLabel('付款碼', { exact: true }).press('Enter');
    expect(await textOf(h.cashier, '.scan-panel [role="alert"]')).toBe('這不是微信支付或支付寶的付款碼。沒有收款：請顧客再出示一次。');
    expect(simulator(h).requestCounts.payment).toBe(payments);
    await h.cashier.keyboard.press('Escape');
    await customerState(h.customer, 'due');
    await h.cashier.waitForSelector('.keypad');
    await h.cashier.keyboard.press('Escape');
  });

  it('a WeChat code that pays at once: one payment request, paid on both screens, the code masked', async () => {
    const before = simulator(h).requestCounts.payment;
    await startScan('12.30');
    await field().fill('134567890123456789');
    await field().press('Enter');
    const sale = await waitForSale(h, ['paid']);
    expect(sale.payType).toBe('800208');
    expect(sale.authCodeMasked).toBe('**************6789');
    expect(simulator(h).requestCounts.payment - before).toBe(1);
    await cashierState(h.cashier, 'paid');
    await customerState(h.customer, 'paid');
    expect(await textOf(h.cashier, '[data-testid="sale-code"]')).toBe('付款碼 **************6789');
    expect(await h.cashier.textContent('body')).not.toContain('134567890123456789');
    await shoot(h, { cashier: 'scan-paid', customer: 'scan-paid' });
    await auditInto(violations, 'cashier: scan paid', h.cashier);
    await backToKeypad(h.cashier);
  });

  it('a code ending in 1: "confirm on your phone" on both screens, then paid', async () => {
    await startScan('45');
    await field().fill('134567890123456781');
    await field().press('Enter');
    await waitForSale(h, ['awaiting_scan']);
    await h.cashier.waitForSelector('.status-line:has-text("等待顧客在手機上確認付款")');
    await customerState(h.customer, 'show_code');
    await h.customer.waitForSelector('.c-show-code-waiting');
    expect(await textOf(h.customer, '.c-message .en')).toBe('Please confirm the payment on your phone');
    await shoot(h, { cashier: 'scan-waiting', customer: 'scan-waiting' });
    await auditInto(violations, 'cashier: scan waiting', h.cashier);
    await auditInto(violations, 'customer: scan waiting', h.customer);
    // The customer enters their password: the simulator pays it after its password time.
    simulator(h).advance(6_000);
    h.clock.advance(6_000);
    await waitForSale(h, ['paid'], 30_000);
    await cashierState(h.cashier, 'paid');
    await customerState(h.customer, 'paid');
    await backToKeypad(h.cashier);
  });

  it('a code ending in 2: waits for the customer; Esc cancels and the till reverses it — nothing charged', async () => {
    await startScan('7');
    await field().fill('281234567890123452');
    await field().press('Enter');
    const sale = await waitForSale(h, ['awaiting_scan']);
    expect(sale.payType).toBe('800108');
    await h.cashier.waitForSelector('.status-line:has-text("等待顧客在手機上確認付款")');
    await h.cashier.keyboard.press('Escape');
    const ended = await waitForSale(h, ['cancelled', 'paid', 'failed'], 60_000);
    expect(ended.state).toBe('cancelled');
    await cashierState(h.cashier, 'cancelled');
    expect(await textOf(h.cashier, '.final-title')).toBe('已撤銷 — 沒有收款');
    expect(simulator(h).orders().find((o) => o.out_trade_no === sale.outTradeNo)?.reversalRequests).toBeGreaterThan(0);
    await shoot(h, { cashier: 'scan-reversed', customer: 'scan-reversed' });
    await backToKeypad(h.cashier);
  });

  it('a code ending in 2 with a 30 s window: when the window is over the till reverses it by itself — nothing charged', async () => {
    await tillValue(h.cashier, 'updateSettings', { patch: { cpmWindowSeconds: 30 } });
    try {
      await startScan('9');
      await field().fill('134567890123456782');
      await field().press('Enter');
      const sale = await waitForSale(h, ['awaiting_scan']);
      await h.cashier.waitForSelector('.countdown:has-text("自動撤銷")');
      // The customer never confirms: the wallet's window passes (the till's clock, not the wall's).
      h.clock.advance(31_000);
      const ended = await waitForSale(h, ['cancelled', 'paid', 'failed'], 60_000);
      expect(ended.state).toBe('cancelled');
      await cashierState(h.cashier, 'cancelled');
      expect(await textOf(h.cashier, '.final-title')).toBe('已撤銷 — 沒有收款');
      expect(simulator(h).orders().find((o) => o.out_trade_no === sale.outTradeNo)?.reversalRequests).toBeGreaterThan(0);
      await backToKeypad(h.cashier);
    } finally {
      await tillValue(h.cashier, 'updateSettings', { patch: { cpmWindowSeconds: 60 } });
    }
  });

  it('the cashier tapped elsewhere after Scan: the scanned code still lands in the field and pays', async () => {
    await startScan('6');
    await h.cashier.click('[data-testid="amount"]');
    await h.cashier.keyboard.type('134567890123456700', { delay: 5 });
    await h.cashier.keyboard.press('Enter');
    const sale = await waitForSale(h, ['paid']);
    expect([sale.amountMinor, sale.authCodeMasked]).toEqual([600, '**************6700']);
    await backToKeypad(h.cashier);
  });

  it('a scanner burst straight onto the Charge screen after an amount takes the payment', async () => {
    await backToKeypad(h.cashier);
    await h.cashier.keyboard.type('3', { delay: 90 });
    // What is tested is timing itself: a person's key, a pause, then a scanner's burst (its first character more than 30 ms after the 3).
    await new Promise((ok) => setTimeout(ok, 150));
    // A keyboard-wedge scanner: the whole code and Enter in one go, as the scanner sends them (dispatched in the page, so a
    // loaded test machine cannot spread them out as Playwright's typing would).
    await h.cashier.evaluate((code) => {
      const g = globalThis as unknown as { window: { dispatchEvent(e: unknown): void }; KeyboardEvent: new (type: string, init: object) => unknown };
      for (const key of [...code, 'Enter']) g.window.dispatchEvent(new g.KeyboardEvent('keydown', { key, bubbles: true, cancelable: true }));
    }, '134567890123456780');
    const sale = await waitForSale(h, ['paid']);
    expect(sale.amountMinor).toBe(300);
    expect(sale.authCodeMasked).toBe('**************6780');
    await cashierState(h.cashier, 'paid');
    await backToKeypad(h.cashier);
  });
});
