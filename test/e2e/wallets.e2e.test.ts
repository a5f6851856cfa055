import { describe, expect, it } from 'vitest';
import { auditInto } from './support/axe';
import { ARTIFACTS, type Harness } from './support/bridge';
import { counterSuite } from './support/counter-suite';
import { backToKeypad, cashierState, customerState, decodeQr, shoot, simulator, textOf, tillValue, waitForSale } from './support/flows';

// Every QR wallet at the counter (issue 13 §2, §5, FPS): the cashier picks
// Alipay with one tap and the customer display shows an Alipay QR that
// zbarimg decodes to https://qr.alipay.com/…; FPS sales say there is no
// refund through QFPay; the real-name check goes with the charge and is never
// on the customer display; the Scan key turns the customer display to "show
// your payment code". Screenshots of both windows, landscape and portrait.

let h: Harness;
const VALID_ID = '11010519491231002X';
const { violations } = counterSuite(async (harness) => {
  h = harness;
  await tillValue(h.cashier, 'updateSettings', { patch: { mpmPayTypes: ['800201', '800101', '802001'], realNamePayTypes: ['800101'] } });
  await h.cashier.waitForSelector('.wallet-picker');
});

const wallet = (name: string) => h.cashier.getByRole('radio', { name, exact: true });

describe('wallets at the counter', () => {
  it('one tap picks Alipay: the customer display shows an Alipay QR that decodes to https://qr.alipay.com/…', async () => {
    await backToKeypad(h.cashier);
    // WeChat first, and chosen while nothing else was used on this machine.
    expect(await h.cashier.locator('.wallet-choice').allTextContents()).toEqual(['微信支付', '支付寶', '轉數快']);
    expect(await wallet('微信支付').getAttribute('aria-checked')).toBe('true');
    await wallet('支付寶').click();
    await h.cashier.keyboard.type('23.40', { delay: 90 });
    await h.cashier.screenshot({ path: `${ARTIFACTS}/cashier-wallet-picker-1280x800.png` });
    await h.cashier.keyboard.press('Enter');
    const sale = await waitForSale(h, ['awaiting_scan']);
    expect(sale.payType).toBe('800101');
    await customerState(h.customer, 'qr');
    await h.customer.waitForSelector(`img.c-qr-image[data-qr="${sale.qrcode}"]`);
    expect(await textOf(h.customer, '.c-scan .en')).toBe('Scan with Alipay');
    expect(await textOf(h.customer, '.c-scan .zh')).toBe('請用支付寶掃一掃');
    const shots = await shoot(h, { cashier: 'alipay-qr', customer: 'alipay-qr' });
    for (const [size, path] of Object.entries(shots.customer)) {
      const texts = await decodeQr(path);
      expect(texts, `customer QR at ${size}`).toEqual([sale.qrcode]);
      expect(texts[0]!.startsWith('https://qr.alipay.com/'), texts[0]).toBe(true);
    }
    await auditInto(violations, 'customer: Alipay QR', h.customer);
    await auditInto(violations, 'cashier: Alipay QR', h.cashier);
    expect(simulator(h).pay({ out_trade_no: sale.outTradeNo }).ok).toBe(true);
    await cashierState(h.cashier, 'paid');
    await backToKeypad(h.cashier);
    // The last wallet used is the next sale's default.
    expect(await wallet('支付寶').getAttribute('aria-checked')).toBe('true');
  });

  it('FPS: paid, and its detail says there is no refund through QFPay (no refund button)', async () => {
    await backToKeypad(h.cashier);
    await wallet('轉數快').click();
    await h.cashier.keyboard.type('8', { delay: 90 });
    await h.cashier.keyboard.press('Enter');
    const sale = await waitForSale(h, ['awaiting_scan']);
    expect(sale.payType).toBe('802001');
    expect(simulator(h).pay({ out_trade_no: sale.outTradeNo }).ok).toBe(true);
    await cashierState(h.cashier, 'paid');
    await backToKeypad(h.cashier);
    await h.cashier.click('role=tab[name="記錄"]');
    await h.cashier.getByText(sale.outTradeNo).click();
    expect(await textOf(h.cashier, '[data-testid="no-refund"]')).toBe('轉數快付款不能經 QFPay 退款：請以其他方式退還款項。');
    expect(await h.cashier.locator('.refund-box').count()).toBe(0);
    await shoot(h, { cashier: 'fps-no-refund', customer: 'fps-no-refund' });
    await auditInto(violations, 'cashier: FPS detail', h.cashier);
    await h.cashier.click('role=tab[name="收款"]');
    await backToKeypad(h.cashier);
  });

  it('real-name check with Alipay: checked inline, sent with the charge, never on the customer display, gone once the sale exists', async () => {
    await backToKeypad(h.cashier);
    await wallet('支付寶').click();
    await h.cashier.keyboard.type('50', { delay: 90 });
    await h.cashier.getByRole('button', { name: '實名驗證' }).click();
    await h.cashier.getByLabel('身份證號碼').fill('110105194912310021');
    await h.cashier.getByLabel('姓名').fill('王小明');
    expect(await textOf(h.cashier, '[data-testid="realname"] [role="alert"]')).toBe('此身份證號碼無效（校驗碼不符），請再檢查。');
    await h.cashier.getByLabel('身份證號碼').fill(VALID_ID);
    await h.cashier.waitForSelector('[data-testid="realname"] [role="alert"]', { state: 'detached' });
    // The open entry must leave Charge and the Scan key on screen at every size.
    await shoot(h, { cashier: 'realname-entry', customer: 'realname-entry' }, async ([width, height]) => {
      for (const name of [/^收款 HK\$50\.00/, '掃碼']) {
        const box = await h.cashier.getByRole('button', { name }).boundingBox();
        expect(box, `${String(name)} at ${width}×${height}`).not.toBeNull();
        expect(box!.y + box!.height, `${String(name)} bottom at ${width}×${height}`).toBeLessThanOrEqual(height);
      }
    });
    await auditInto(violations, 'cashier: real-name entry', h.cashier);
    expect(await h.customer.textContent('body')).not.toContain('王小明');
    await h.cashier.getByRole('button', { name: /^收款/ }).click();
    const sale = await waitForSale(h, ['awaiting_scan']);
    expect(sale.realNameChecked).toBe(true);
    expect(JSON.stringify(sale)).not.toContain(VALID_ID);
    await customerState(h.customer, 'qr');
    expect(await h.customer.textContent('body')).not.toContain('王小明');
    // The cashier sees it back only masked.
    expect(await textOf(h.cashier, '[data-testid="sale-realname"]')).toBe('實名驗證：11**************2X 王**');
    expect(await h.cashier.textContent('body')).not.toContain(VALID_ID);
    expect(simulator(h).pay({ out_trade_no: sale.outTradeNo }).ok).toBe(true);
    await cashierState(h.cashier, 'paid');
    await backToKeypad(h.cashier);
    expect(await h.cashier.locator('[data-testid="realname"]').count()).toBe(0);
  });

  it('Settings → Payments: an invalid wait window and no wallet are said inline and nothing is saved; a valid change saves', async () => {
    await h.cashier.click('role=tab[name="設定"]');
    const payments = h.cashier.getByTestId('payments-settings');
    await payments.scrollIntoViewIfNeeded();
    const wallets = payments.getByRole('group', { name: /櫃檯提供的二維碼/ });
    for (const name of ['微信支付二維碼', '支付寶二維碼（海外）', '轉數快二維碼']) await wallets.getByRole('checkbox', { name }).uncheck();
    await payments.getByLabel(/等待顧客確認的時間/).fill('10');
    expect(await payments.getByRole('alert').allTextContents()).toEqual(['請最少啟用一種二維碼錢包。', '請輸入 30 至 300 之間的整數秒數。']);
    expect(await h.cashier.getByRole('button', { name: '儲存', exact: true }).isDisabled()).toBe(true);
    await payments.scrollIntoViewIfNeeded();
    await h.cashier.screenshot({ path: `${ARTIFACTS}/cashier-settings-payments-invalid-1280x800.png` });
    await auditInto(violations, 'cashier: settings payments', h.cashier);
    await wallets.getByRole('checkbox', { name: '支付寶二維碼（海外）' }).check();
    await wallets.getByRole('checkbox', { name: '微信支付二維碼' }).check();
    await payments.getByLabel(/等待顧客確認的時間/).fill('45');
    await h.cashier.getByRole('button', { name: '儲存', exact: true }).click();
    await h.cashier.waitForSelector('.settings-save-bar [role="status"]:has-text("已儲存")');
    const saved = await tillValue(h.cashier, 'settings');
    expect([saved.mpmPayTypes, saved.cpmWindowSeconds]).toEqual([['800201', '800101'], 45]);
    // Back as the other tests expect: three wallets.
    await tillValue(h.cashier, 'updateSettings', { patch: { mpmPayTypes: ['800201', '800101', '802001'], cpmWindowSeconds: 60 } });
    await h.cashier.click('role=tab[name="收款"]');
  });

  it('the customer display asks for the payment code, then to confirm on the phone: landscape and portrait, axe-clean', async () => {
    // The states main pushes while the cashier scans and while a scanned payment waits (shared/display.ts), each shown
    // as the display receives it (the flows that make main push them are in scan.e2e.test.ts).
    const push = (state: object) =>
      h.customer.evaluate(([channel, payload]) => (globalThis as unknown as { __tillEmit: (c: string, p: unknown) => void }).__tillEmit(channel, payload), ['display:event.state', state] as const);
    const base = { merchantName: '陳記茶餐廳', training: true, amountMinor: 12_30, currency: 'HKD' };
    // The cashier's side: the Scan key opens the field the scanner types into.
    await backToKeypad(h.cashier);
    await h.cashier.keyboard.type('12.30', { delay: 90 });
    await h.cashier.getByRole('button', { name: '掃碼', exact: true }).click();
    await h.cashier.getByLabel('付款碼', { exact: true }).waitFor();
    // Main already asks for the code (scan.e2e.test.ts); the states below are pushed over it.
    await customerState(h.customer, 'show_code');
    await auditInto(violations, 'cashier: scan panel', h.cashier);
    await push({ kind: 'show_code', ...base, waiting: false });
    await customerState(h.customer, 'show_code');
    expect(await textOf(h.customer, '[data-testid="customer-code-amount"]')).toBe('HK$12.30');
    expect(await textOf(h.customer, '.c-show-code .zh')).toBe('請出示付款碼');
    expect(await textOf(h.customer, '.c-show-code .en')).toBe('Please show your payment code');
    await shoot(h, { cashier: 'scan-panel', customer: 'show-code' });
    await auditInto(violations, 'customer: show code', h.customer);
    await push({ kind: 'show_code', ...base, waiting: true, payType: '800208' });
    await h.customer.waitForSelector('.c-show-code-waiting');
    expect(await textOf(h.customer, '.c-message .en')).toBe('Please confirm the payment on your phone');
    await shoot(h, { cashier: 'keypad', customer: 'show-code-waiting' });
    await auditInto(violations, 'customer: show code, waiting', h.customer);
    await push({ kind: 'idle', merchantName: '陳記茶餐廳', training: true, wallets: ['wechat', 'alipay'] });
    await customerState(h.customer, 'idle');
    await h.cashier.keyboard.press('Escape');
    await h.cashier.waitForSelector('.keypad');
    await h.cashier.keyboard.press('Escape');
  });
});
