// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SaleView } from '../../../../shared/sale';
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

function renderCharge(options: { sale?: SaleView | null; ready?: boolean; currency?: string } = {}) {
  const onDismiss = vi.fn();
  const view = render(
    <ChargeScreen settings={settingsView({ defaultCurrency: options.currency ?? 'HKD' })} sale={options.sale ?? null} ready={options.ready ?? true} training onDismiss={onDismiss} />,
  );
  return { ...view, onDismiss };
}

const amount = () => screen.getByTestId('amount').textContent;
const tap = (label: string) => fireEvent.click(screen.getByRole('button', { name: label }));
/** A physical key press, dispatched where a real one lands when nothing is focused. */
const key = (k: string) => fireEvent.keyDown(document.body, { key: k });
const typeKeys = (text: string) => [...text].forEach(key);
const chargeCalls = () => till.calls.filter(([m]) => m === 'charge').map(([, input]) => input);

describe('ChargeScreen keypad', () => {
  it('shows the typed amount formatted and in minor units', () => {
    renderCharge();
    expect(amount()).toBe('Type the amount');
    for (const k of ['1', '2', '.', '3', '0']) tap(k);
    expect(amount()).toBe('HK$12.30');
    expect(screen.getByText('1230 in HKD minor units')).toBeTruthy();
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
    fireEvent.keyDown(note, { key: '2' });
    expect(amount()).toBe('HK$8.00');
    fireEvent.keyDown(note, { key: 'Enter' });
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
    await waitFor(() => expect(till.calls.map(([m]) => m)).toEqual(['cancel']));
    expect(till.calls[0]![1]).toEqual({ outTradeNo: 'TILL-01-S0001' });
  });

  it('on a final screen, Enter starts a new sale', () => {
    const { onDismiss } = renderCharge({ sale: saleView({ state: 'paid', activity: 'none', qrcode: null, expiresAtMs: null, paidAtMs: Date.now(), syssn: '20261126000001' }) });
    key('5');
    key('Enter');
    expect(onDismiss).toHaveBeenCalledTimes(1);
    expect(till.calls).toEqual([]);
  });
});
