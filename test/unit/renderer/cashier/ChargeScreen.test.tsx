// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SaleView } from '../../../../shared/sale';
import type { SettingsView } from '../../../../shared/settings';
import { ChargeScreen } from '../../../../renderer/cashier/ChargeScreen';
import { installFakeTill, saleView, settingsView, useLanguage, type FakeTill } from '../support/fixtures';

// The counter screen with a fake window.till: the on-screen keypad and the
// physical keyboard do the same, limits show a reason, Enter charges
// exactly the typed amount, Esc clears (or cancels an open sale).

let till: FakeTill;
beforeAll(() => useLanguage('en'));
beforeEach(() => {
  till = installFakeTill();
});
afterEach(cleanup);

function renderCharge(options: { sale?: SaleView | null; ready?: boolean; currency?: string; settings?: Partial<SettingsView> } = {}) {
  const onDismiss = vi.fn();
  const view = render(
    <ChargeScreen
      settings={settingsView({ defaultCurrency: options.currency ?? 'HKD', extraCurrencies: ['HKD', 'CNY', 'JPY'], ...options.settings })}
      sale={options.sale ?? null}
      ready={options.ready ?? true}
      training
      onDismiss={onDismiss}
    />,
  );
  return { ...view, onDismiss };
}

const amount = () => screen.getByTestId('amount').textContent;
const tap = (label: string) => fireEvent.click(screen.getByRole('button', { name: label }));
/**
 * A physical key press, dispatched where a real one lands when nothing is
 * focused, stamped by a made-up clock: a person's keys come 120 ms apart, a
 * scanner's (see scan()) 5 ms apart.
 */
let clockMs = 1_000_000;
function keyAt(k: string, gapMs: number, target: Element = document.body, repeat = false) {
  clockMs += gapMs;
  const event = new KeyboardEvent('keydown', { key: k, bubbles: true, cancelable: true, repeat });
  Object.defineProperty(event, 'timeStamp', { value: clockMs });
  fireEvent(target, event);
  return event;
}
const key = (k: string, target?: Element) => keyAt(k, 120, target);
const typeKeys = (text: string) => [...text].forEach((k) => key(k));
/** A keyboard-wedge scanner, a second after the last key: the code 5 ms a character, then Enter. */
const scan = (code: string, target?: Element) => [...code, 'Enter'].map((k, i) => keyAt(k, i === 0 ? 1000 : 5, target));
const WECHAT_CODE = '134567890123456789';
/** The calls the screen made, less its look at the recent history (for the typical sale). */
const actions = () => till.calls.filter(([m]) => m !== 'history');
const chargeCalls = () => till.calls.filter(([m]) => m === 'charge').map(([, input]) => input);
const codeCalls = () => till.calls.filter(([m]) => m === 'chargeCode').map(([, input]) => input);
const shownAmounts = () => till.calls.filter(([m]) => m === 'showAmount').map(([, input]) => input);
const unknownCode = 'That is not a WeChat Pay or Alipay payment code. Nothing was charged: ask the customer to show it again.';

describe('ChargeScreen keypad', () => {
  it('shows the typed amount formatted and in minor units', () => {
    renderCharge();
    expect(amount()).toBe('Type the amount');
    for (const k of ['1', '2', '.', '3', '0']) tap(k);
    expect(amount()).toBe('HK$12.30');
    // Minor units are for developers: the cashier sees the amount only.
    expect(document.body.textContent).not.toMatch(/minor units/);
    expect(screen.getByRole('button', { name: /Charge HK\$12\.30/ }).hasAttribute('disabled')).toBe(false);
  });

  it('00, Delete and Clear on the on-screen keypad', () => {
    renderCharge();
    tap('5');
    tap('00');
    expect(amount()).toBe('HK$500.00');
    tap('Delete');
    expect(amount()).toBe('HK$50.00');
    tap('Clear');
    expect(amount()).toBe('Type the amount');
    expect(screen.getByRole('button', { name: /^Charge/ }).hasAttribute('disabled')).toBe(true);
  });

  it('refuses a third decimal with a reason', () => {
    renderCharge();
    for (const k of ['1', '.', '2', '3', '4']) tap(k);
    expect(amount()).toBe('HK$1.23');
    expect(screen.getByRole('alert').textContent).toBe('No more decimals for HKD');
  });

  it('refuses an amount beyond txamt with a reason', () => {
    renderCharge();
    for (const k of '999999999') tap(k);
    tap('0');
    expect(amount()).toBe('HK$999,999,999.00');
    expect(screen.getByRole('alert').textContent).toBe('That is more than QFPay accepts');
  });

  it('has no decimal key for JPY, and the "." key on the keyboard says why', () => {
    renderCharge({ currency: 'JPY' });
    expect(screen.queryByRole('button', { name: '.' })).toBeNull();
    typeKeys('500.');
    expect(amount()).toBe('JP¥500');
    expect(screen.getByRole('alert').textContent).toBe('JPY has no decimals');
  });

  it('CNY takes two decimals', () => {
    renderCharge({ currency: 'CNY' });
    typeKeys('88.88');
    expect(amount()).toBe('CN¥88.88');
    key('8');
    expect(screen.getByRole('alert').textContent).toBe('No more decimals for CNY');
  });

  it('switching to JPY drops the fraction already typed', () => {
    renderCharge();
    typeKeys('12.30');
    fireEvent.change(screen.getByLabelText('Currency'), { target: { value: 'JPY' } });
    expect(amount()).toBe('JP¥12');
    expect(screen.queryByRole('button', { name: '.' })).toBeNull();
  });
});

describe('ChargeScreen physical keyboard', () => {
  it('digits and "." type, Backspace deletes, Esc clears', () => {
    renderCharge();
    typeKeys('12.345');
    expect(amount()).toBe('HK$12.34');
    key('Backspace');
    expect(amount()).toBe('HK$12.30');
    key('Escape');
    expect(amount()).toBe('Type the amount');
  });

  it('Enter charges exactly the typed amount and currency', async () => {
    renderCharge();
    typeKeys('12.3');
    key('Enter');
    await waitFor(() => expect(chargeCalls()).toEqual([{ amountMinor: 1230, currency: 'HKD' }]));
    // A successful charge empties the entry for the next sale.
    await waitFor(() => expect(amount()).toBe('Type the amount'));
  });

  it('Enter with nothing typed does not charge', async () => {
    renderCharge();
    key('Enter');
    typeKeys('0.00');
    key('Enter');
    await act(async () => undefined);
    expect(chargeCalls()).toEqual([]);
  });

  it('digits typed into the note field stay there; Enter in it charges with the note', async () => {
    renderCharge();
    typeKeys('8');
    const note = screen.getByPlaceholderText('Item or note (optional)');
    fireEvent.change(note, { target: { value: 'Milk tea 2' } });
    key('2', note);
    expect(amount()).toBe('HK$8.00');
    key('Enter', note);
    await waitFor(() => expect(chargeCalls()).toEqual([{ amountMinor: 800, currency: 'HKD', goodsName: 'Milk tea 2' }]));
  });

  it('does not charge while the till is still recovering', async () => {
    renderCharge({ ready: false });
    typeKeys('5');
    key('Enter');
    await act(async () => undefined);
    expect(chargeCalls()).toEqual([]);
    expect(screen.getByText('Checking unfinished sales with QFPay…')).toBeTruthy();
    expect(screen.getByRole('button', { name: /^Charge/ }).hasAttribute('disabled')).toBe(true);
  });

  it('shows the translated reason when the till refuses the charge', async () => {
    till.answer('charge', async () => ({ ok: false, error: { code: 'sale_open', message: 'a sale is open' } }));
    renderCharge();
    typeKeys('5');
    key('Enter');
    expect((await screen.findByRole('alert')).textContent).toBe('Finish the current sale first: it is still open.');
    // The entry is kept so the cashier need not type it again.
    expect(amount()).toBe('HK$5.00');
  });

  it('while a sale is open, Esc cancels it and digits do nothing', async () => {
    renderCharge({ sale: saleView() });
    typeKeys('7');
    key('Enter');
    key('Escape');
    await waitFor(() => expect(actions().map(([m]) => m)).toEqual(['cancel']));
    expect(actions()[0]![1]).toEqual({ outTradeNo: 'TILL-01-S0001' });
  });

  it('on a final screen, Enter starts a new sale', () => {
    const { onDismiss } = renderCharge({ sale: saleView({ state: 'paid', activity: 'none', qrcode: null, expiresAtMs: null, paidAtMs: Date.now(), syssn: '20261126000001' }) });
    key('5');
    key('Enter');
    expect(onDismiss).toHaveBeenCalledTimes(1);
    expect(actions()).toEqual([]);
  });
});

describe('ChargeScreen and a keyboard-wedge barcode scanner', () => {
  const scanMessage = 'That was a payment code: type the amount first, then scan it. Nothing was typed or charged.';

  it('an 18-digit WeChat payment code with no amount typed is not typed into the amount, and its Enter charges nothing', async () => {
    renderCharge();
    const events = scan(WECHAT_CODE);
    await act(async () => undefined);
    expect(amount()).toBe('Type the amount');
    expect(screen.getByRole('alert').textContent).toBe(scanMessage);
    expect(chargeCalls()).toEqual([]);
    expect(codeCalls()).toEqual([]);
    // The scanner's Enter went nowhere else either (no form, no button).
    expect(events.at(-1)!.defaultPrevented).toBe(true);
  });

  it('a scan after the cashier typed an amount takes that amount by the customer\'s code (issue 13), the amount untouched by the burst', async () => {
    renderCharge();
    typeKeys('8.5');
    const events = scan(WECHAT_CODE);
    await act(async () => undefined);
    expect(events.every((e) => e.defaultPrevented || e.key !== 'Enter')).toBe(true);
    await waitFor(() => expect(codeCalls()).toEqual([{ amountMinor: 850, currency: 'HKD', authCode: WECHAT_CODE }]));
    expect(chargeCalls()).toEqual([]);
  });

  it('a scan into the note field leaves the note as it was and sends it with the code', async () => {
    renderCharge();
    typeKeys('8');
    const note = screen.getByPlaceholderText('Item or note (optional)') as HTMLInputElement;
    fireEvent.change(note, { target: { value: 'Tea' } });
    // The first characters of a burst reach the field before it is recognised; they are taken back.
    const events = [...WECHAT_CODE, 'Enter'].map((k, i) => {
      const e = keyAt(k, i === 0 ? 1000 : 5, note);
      if (i < 5 && !e.defaultPrevented) fireEvent.change(note, { target: { value: note.value + k } });
      return e;
    });
    await act(async () => undefined);
    expect(events.slice(5).every((e) => e.defaultPrevented)).toBe(true);
    await waitFor(() => expect(codeCalls()).toEqual([{ amountMinor: 800, currency: 'HKD', goodsName: 'Tea', authCode: WECHAT_CODE }]));
    expect(chargeCalls()).toEqual([]);
  });

  it('a scanned code of no wallet (not WeChat 10–15, not Alipay 25–30) says so and sends nothing', async () => {
    renderCharge();
    typeKeys('5');
    scan('991234567890123456');
    await act(async () => undefined);
    expect(screen.getByRole('alert').textContent).toBe(unknownCode);
    expect(codeCalls()).toEqual([]);
    expect(chargeCalls()).toEqual([]);
  });

  it('a scanned code above the large-charge limit is confirmed first; the confirm button sends the code', async () => {
    renderCharge();
    typeKeys('20000');
    scan(WECHAT_CODE);
    await act(async () => undefined);
    expect(screen.getByTestId('confirm-amount').textContent).toBe('HK$20,000.00');
    expect(codeCalls()).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: /charge HK\$20,000\.00/i }));
    await waitFor(() => expect(codeCalls()).toEqual([{ amountMinor: 2_000_000, currency: 'HKD', authCode: WECHAT_CODE }]));
  });

  it('a key held down (auto-repeat, as fast as a scanner) is typed, not taken for a scan', () => {
    renderCharge();
    key('1');
    key('0');
    for (let i = 0; i < 6; i++) keyAt('0', 25, document.body, true);
    expect(amount()).toBe('HK$10,000,000.00');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('a person typing a long amount at a person\'s pace is typed', () => {
    renderCharge();
    typeKeys('1234567.89');
    expect(amount()).toBe('HK$1,234,567.89');
  });
});

describe('ChargeScreen: a refused key changes nothing until the cashier corrects it', () => {
  it('"12.5" on a JPY till stays ¥12 with the reason; Delete, then 5 makes ¥15', async () => {
    renderCharge({ currency: 'JPY' });
    typeKeys('12.5');
    expect(amount()).toBe('JP¥12');
    expect(screen.getByRole('alert').textContent).toBe('JPY has no decimals');
    typeKeys('00');
    expect(amount()).toBe('JP¥12');
    key('Backspace');
    typeKeys('5');
    expect(amount()).toBe('JP¥15');
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('"1.234" on an HKD till: the digits after the refused third decimal are ignored too', () => {
    renderCharge();
    typeKeys('1.2345');
    expect(amount()).toBe('HK$1.23');
    for (const k of ['6', '00']) tap(k);
    expect(amount()).toBe('HK$1.23');
    tap('Clear');
    tap('7');
    expect(amount()).toBe('HK$7.00');
  });
});

describe('ChargeScreen: a large charge is confirmed on a second step', () => {
  const confirmButton = () => screen.getByRole('button', { name: /^Yes, charge/ });

  it('above HK$10,000 (the default limit) Enter shows the amount to confirm; Enter again does not charge, the button does', async () => {
    renderCharge();
    typeKeys('10000.01');
    key('Enter');
    expect(screen.getByTestId('confirm-amount').textContent).toBe('HK$10,000.01');
    expect(screen.getByText('It is more than HK$10,000.00, the limit set in Settings.')).toBeTruthy();
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Back: change the amount (Esc)' }));
    key('Enter');
    key('Enter');
    await act(async () => undefined);
    expect(chargeCalls()).toEqual([]);
    fireEvent.click(confirmButton());
    await waitFor(() => expect(chargeCalls()).toEqual([{ amountMinor: 1_000_001, currency: 'HKD' }]));
  });

  it('Esc on the second step goes back to the amount, kept as typed', async () => {
    renderCharge();
    typeKeys('25000');
    key('Enter');
    expect(screen.getByTestId('confirm-step')).toBeTruthy();
    key('Escape');
    expect(screen.queryByTestId('confirm-step')).toBeNull();
    expect(amount()).toBe('HK$25,000.00');
    await act(async () => undefined);
    expect(chargeCalls()).toEqual([]);
  });

  it('exactly the limit charges at once; the limit is per currency (¥200,000 by default)', async () => {
    renderCharge();
    typeKeys('10000');
    key('Enter');
    await waitFor(() => expect(chargeCalls()).toEqual([{ amountMinor: 1_000_000, currency: 'HKD' }]));
    cleanup();
    till = installFakeTill();
    renderCharge({ currency: 'JPY' });
    typeKeys('200001');
    key('Enter');
    expect(screen.getByTestId('confirm-amount').textContent).toBe('JP¥200,001');
  });

  it('the owner\'s own limit from Settings', () => {
    renderCharge({ settings: { largeChargeMinor: { HKD: 50_000 } } });
    typeKeys('500.01');
    key('Enter');
    expect(screen.getByText('It is more than HK$500.00, the limit set in Settings.')).toBeTruthy();
  });

  it('more than 20× the till\'s median sale asks too, once there are enough sales to tell', async () => {
    const paid = (amountMinor: number, i: number) => saleView({ outTradeNo: `S${i}`, amountMinor, state: 'paid', activity: 'none', qrcode: null });
    till.answer('history', async () => ({ ok: true, value: { sales: [...Array(9)].map((_, i) => paid(4000 + i * 100, i)).concat(paid(5000, 99), saleView({ outTradeNo: 'X', amountMinor: 1, state: 'expired' })), hasMore: false } }));
    renderCharge();
    // Median of the ten paid sales: HK$44.00 → above HK$880.00 asks.
    await waitFor(() => expect(till.calls.some(([m]) => m === 'history')).toBe(true));
    await act(async () => undefined);
    typeKeys('880.01');
    key('Enter');
    expect(screen.getByText('It is more than 20 times the usual sale on this till (HK$44.00).')).toBeTruthy();
    key('Escape');
    key('Backspace');
    key('Backspace');
    key('Backspace');
    key('Enter');
    await waitFor(() => expect(chargeCalls()).toEqual([{ amountMinor: 88_000, currency: 'HKD' }]));
  });
});

describe('ChargeScreen currencies', () => {
  it('offers no currency picker when the owner enabled only one currency', () => {
    renderCharge({ settings: { extraCurrencies: [] } });
    expect(screen.queryByLabelText('Currency')).toBeNull();
  });

  it('offers the default currency first, then the ones enabled in Settings', () => {
    renderCharge({ settings: { defaultCurrency: 'CNY', extraCurrencies: ['HKD'] } });
    const options = [...(screen.getByLabelText('Currency') as HTMLSelectElement).options].map((o) => o.value);
    expect(options).toEqual(['CNY', 'HKD']);
  });
});

describe('ChargeScreen Scan key (consumer-presented, issue 13)', () => {
  const scanKey = () => screen.getByRole('button', { name: 'Scan' }) as HTMLButtonElement;
  const codeField = () => screen.getByRole('textbox', { name: 'Payment code' }) as HTMLInputElement;

  it('is off until an amount is typed; then it asks the customer display for the code and opens the scan field', async () => {
    renderCharge();
    expect(scanKey().disabled).toBe(true);
    typeKeys('12.3');
    fireEvent.click(scanKey());
    expect(screen.getByRole('heading', { name: "Scan the customer's payment code" })).toBeTruthy();
    await waitFor(() => expect(shownAmounts().at(-1)).toEqual({ amountMinor: 1230, currency: 'HKD', scanning: true }));
    // The keypad gives way to the field; Charge and Cash wait until scan mode is left.
    expect(screen.queryByRole('group', { name: 'Type the amount' })).toBeNull();
    expect((screen.getByRole('button', { name: /^Charge/ }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('the code typed (or scanned) into the field and Enter take the payment, once', async () => {
    renderCharge();
    typeKeys('12.3');
    fireEvent.click(scanKey());
    fireEvent.change(codeField(), { target: { value: '28 7654 3210 9876 5432' } });
    fireEvent.keyDown(codeField(), { key: 'Enter' });
    fireEvent.keyDown(codeField(), { key: 'Enter' });
    await waitFor(() => expect(codeCalls()).toEqual([{ amountMinor: 1230, currency: 'HKD', authCode: '287654321098765432' }]));
    expect(chargeCalls()).toEqual([]);
  });

  it('Esc leaves scan mode: the keypad is back and the customer display stops asking for the code', async () => {
    renderCharge();
    typeKeys('12.3');
    fireEvent.click(scanKey());
    await waitFor(() => expect(shownAmounts().at(-1)).toMatchObject({ scanning: true }));
    key('Escape', codeField());
    expect(screen.getByRole('group', { name: 'Type the amount' })).toBeTruthy();
    await waitFor(() => expect(shownAmounts().at(-1)).toEqual({ amountMinor: 1230, currency: 'HKD', scanning: false }));
    // The amount stays for the cashier's next step.
    expect(amount()).toBe('HK$12.30');
    expect(codeCalls()).toEqual([]);
  });

  it('a digit arriving while the focus is elsewhere (the cashier tapped the screen) goes to the code field', () => {
    renderCharge();
    typeKeys('5');
    fireEvent.click(scanKey());
    codeField().blur();
    expect(document.activeElement).not.toBe(codeField());
    key('1');
    expect(document.activeElement).toBe(codeField());
    // The amount is not what the scanner types into.
    expect(amount()).toBe('HK$5.00');
  });

  it('a code of no wallet typed in the field: translated error, nothing sent, the field ready for the next scan', async () => {
    await useLanguage('zh-Hant');
    try {
      renderCharge({ settings: { language: 'zh-Hant' } });
      typeKeys('5');
      fireEvent.click(screen.getByRole('button', { name: '掃碼' }));
      const field = screen.getByRole('textbox', { name: '付款碼' }) as HTMLInputElement;
      fireEvent.change(field, { target: { value: '4412345678901234' } });
      fireEvent.keyDown(field, { key: 'Enter' });
      expect(screen.getByRole('alert').textContent).toBe('這不是微信支付或支付寶的付款碼。沒有收款：請顧客再出示一次。');
      expect(field.value).toBe('');
      expect(codeCalls()).toEqual([]);
    } finally {
      await useLanguage('en');
    }
  });

  it("the engine's refusals are translated: a code it does not take, a wallet not enabled", async () => {
    renderCharge();
    typeKeys('5');
    fireEvent.click(scanKey());
    till.answer('chargeCode', async () => ({ ok: false, error: { code: 'invalid_input', field: 'auth_code', message: 'auth_code' } }));
    fireEvent.change(codeField(), { target: { value: WECHAT_CODE } });
    fireEvent.keyDown(codeField(), { key: 'Enter' });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe(unknownCode));
    till.answer('chargeCode', async () => ({ ok: false, error: { code: 'pay_type_disabled', message: 'disabled' } }));
    fireEvent.change(codeField(), { target: { value: WECHAT_CODE } });
    fireEvent.keyDown(codeField(), { key: 'Enter' });
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('That way to pay is not enabled on this till (Settings → Payments).'));
  });

  it('the unified-code setting changes nothing the screen sends: main picks 800008 from the setting', async () => {
    renderCharge({ settings: { unifiedCpm: true } });
    typeKeys('5');
    scan('281234567890123456');
    await waitFor(() => expect(codeCalls()).toEqual([{ amountMinor: 500, currency: 'HKD', authCode: '281234567890123456' }]));
  });
});

describe('ChargeScreen wallet choice (issue 13 §2)', () => {
  beforeEach(() => localStorage.clear());
  const three = { mpmPayTypes: ['800201', '800101', '802001'] } as Partial<SettingsView>;
  const choice = (name: string) => screen.getByRole('radio', { name });

  it('one wallet: no choice shows, and Charge sends what it always sent', async () => {
    renderCharge();
    expect(screen.queryByRole('radiogroup')).toBeNull();
    typeKeys('5');
    key('Enter');
    await waitFor(() => expect(chargeCalls()).toEqual([{ amountMinor: 500, currency: 'HKD' }]));
  });

  it('several: one tap each, WeChat first and chosen by default; Charge sends the tapped one', async () => {
    renderCharge({ settings: three });
    const radios = screen.getAllByRole('radio');
    expect(radios.map((r) => r.textContent)).toEqual(['WeChat Pay', 'Alipay', 'FPS']);
    expect(choice('WeChat Pay').getAttribute('aria-checked')).toBe('true');
    fireEvent.click(choice('Alipay'));
    expect(choice('Alipay').getAttribute('aria-checked')).toBe('true');
    typeKeys('5');
    key('Enter');
    await waitFor(() => expect(chargeCalls()).toEqual([{ amountMinor: 500, currency: 'HKD', payType: '800101' }]));
  });

  it('the last wallet used on this machine is the next default; one since disabled falls back to the first', async () => {
    const first = renderCharge({ settings: three });
    fireEvent.click(choice('FPS'));
    typeKeys('5');
    key('Enter');
    await waitFor(() => expect(chargeCalls()).toHaveLength(1));
    // Remembered once the till took the charge (the screen then clears the amount).
    await waitFor(() => expect(amount()).toBe('Type the amount'));
    first.unmount();
    renderCharge({ settings: three });
    expect(choice('FPS').getAttribute('aria-checked')).toBe('true');
    cleanup();
    renderCharge({ settings: { mpmPayTypes: ['800201', '800101'] } });
    expect(choice('WeChat Pay').getAttribute('aria-checked')).toBe('true');
  });

  it('a tap alone remembers nothing: only a charge made with it does', () => {
    renderCharge({ settings: three });
    fireEvent.click(choice('Alipay'));
    cleanup();
    renderCharge({ settings: three });
    expect(choice('WeChat Pay').getAttribute('aria-checked')).toBe('true');
  });
});

describe('ChargeScreen real-name check (issue 13 §5)', () => {
  const VALID_ID = '11010519491231002X';
  const withCheck = { realNamePayTypes: ['800201'] } as Partial<SettingsView>;
  const open = () => fireEvent.click(screen.getByRole('button', { name: 'Real-name check' }));
  const idField = () => screen.getByRole('textbox', { name: 'ID card number' });
  const nameField = () => screen.getByRole('textbox', { name: 'Name' });

  it('is offered only for a pay type the merchant enabled it for', () => {
    renderCharge();
    expect(screen.queryByRole('button', { name: 'Real-name check' })).toBeNull();
    cleanup();
    renderCharge({ settings: withCheck });
    expect(screen.getByRole('button', { name: 'Real-name check' })).toBeTruthy();
  });

  it('a wrong check digit is said inline, and Charge sends nothing', async () => {
    renderCharge({ settings: withCheck });
    typeKeys('5');
    open();
    fireEvent.change(idField(), { target: { value: '110105194912310021' } });
    fireEvent.change(nameField(), { target: { value: '王小明' } });
    expect(screen.getByRole('alert').textContent).toBe('That ID card number is not valid (its check digit does not match). Check it again.');
    fireEvent.click(screen.getByRole('button', { name: /^Charge/ }));
    await act(async () => undefined);
    expect(chargeCalls()).toEqual([]);
  });

  it('a valid entry goes with the charge (x typed as X), and is gone from the screen once the sale is created', async () => {
    renderCharge({ settings: withCheck });
    typeKeys('5');
    open();
    fireEvent.change(idField(), { target: { value: VALID_ID.toLowerCase() } });
    fireEvent.change(nameField(), { target: { value: '王小明' } });
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /^Charge/ }));
    await waitFor(() => expect(chargeCalls()).toEqual([{ amountMinor: 500, currency: 'HKD', realName: { idCardNumber: VALID_ID, name: '王小明' } }]));
    await waitFor(() => expect(screen.queryByTestId('realname')).toBeNull());
    expect(document.body.textContent).not.toContain('王小明');
  });

  it('the sale panel shows back only the masked form, and only for the sale it went with', async () => {
    const { rerender } = renderCharge({ settings: withCheck });
    typeKeys('5');
    open();
    fireEvent.change(idField(), { target: { value: VALID_ID } });
    fireEvent.change(nameField(), { target: { value: '王小明' } });
    fireEvent.click(screen.getByRole('button', { name: /^Charge/ }));
    await waitFor(() => expect(screen.queryByTestId('realname')).toBeNull());
    const show = (sale: SaleView) => rerender(<ChargeScreen settings={settingsView(withCheck)} sale={sale} ready training onDismiss={vi.fn()} />);
    show(saleView({ amountMinor: 500, realNameChecked: true }));
    expect(screen.getByTestId('sale-realname').textContent).toBe('Real-name check: 11**************2X 王**');
    expect(document.body.textContent).not.toContain(VALID_ID);
    show(saleView({ amountMinor: 500, realNameChecked: false }));
    expect(screen.queryByTestId('sale-realname')).toBeNull();
  });

  it('with a scanned code it goes only when that wallet has the check', async () => {
    renderCharge({ settings: { realNamePayTypes: ['800108'] } });
    typeKeys('5');
    fireEvent.click(screen.getByRole('button', { name: 'Scan' }));
    open();
    fireEvent.change(idField(), { target: { value: VALID_ID } });
    fireEvent.change(nameField(), { target: { value: '王小明' } });
    const field = screen.getByRole('textbox', { name: 'Payment code' });
    // A WeChat code: WeChat has no check here, so the ID stays behind.
    till.answer('chargeCode', async () => ({ ok: false, error: { code: 'connection_failed', message: 'x' } }));
    fireEvent.change(field, { target: { value: WECHAT_CODE } });
    fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(codeCalls()).toHaveLength(1));
    expect(codeCalls()[0]).not.toHaveProperty('realName');
    fireEvent.change(field, { target: { value: '281234567890123456' } });
    fireEvent.keyDown(field, { key: 'Enter' });
    await waitFor(() => expect(codeCalls()).toHaveLength(2));
    expect(codeCalls()[1]).toEqual({ amountMinor: 500, currency: 'HKD', authCode: '281234567890123456', realName: { idCardNumber: VALID_ID, name: '王小明' } });
  });

  it('a cash sale drops the typed entry too: the payer\'s ID never outlives a sale, whatever the tender', async () => {
    till.answer('drawerStatus', async () => ({ ok: true, value: { currency: 'HKD', needsFloat: false, expectedMinor: 0 } }));
    till.answer('chargeCash', async (input) => ({ ok: true, value: saleView({ ...(input as object), state: 'paid', qrcode: null, expiresAtMs: null }) }));
    renderCharge({ settings: withCheck });
    typeKeys('5');
    open();
    fireEvent.change(idField(), { target: { value: VALID_ID } });
    fireEvent.change(nameField(), { target: { value: '王小明' } });
    fireEvent.click(screen.getByRole('button', { name: 'Cash' }));
    const received = await screen.findByLabelText('Cash received');
    fireEvent.change(received, { target: { value: '5' } });
    fireEvent.keyDown(received, { key: 'Enter' });
    await waitFor(() => expect(till.calls.some(([m]) => m === 'chargeCash')).toBe(true));
    await waitFor(() => expect(amount()).toBe('Type the amount'));
    expect(screen.queryByTestId('realname')).toBeNull();
    expect(JSON.stringify(till.calls)).not.toContain(VALID_ID);
  });

  it('is never sent to the customer display', async () => {
    renderCharge({ settings: withCheck });
    typeKeys('5');
    open();
    fireEvent.change(idField(), { target: { value: VALID_ID } });
    fireEvent.change(nameField(), { target: { value: '王小明' } });
    await act(async () => undefined);
    expect(JSON.stringify(till.calls.filter(([m]) => m !== 'charge'))).not.toContain('王小明');
    expect(JSON.stringify(till.calls)).not.toContain(VALID_ID);
  });
});
