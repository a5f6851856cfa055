// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { App } from '../../../../renderer/cashier/App';
import { installFakeTill, saleView, settingsView, useLanguage, type FakeTill } from '../support/fixtures';

// Parked sales on the cashier screen (DESIGN.md rule 2, issue 9): a cancelled
// sale QFPay has not confirmed leaves the screen so the next customer can be
// served, is listed, and a late "paid" is announced loudly whatever is on the
// screen by then.

let till: FakeTill;
beforeEach(async () => {
  till = installFakeTill();
  await useLanguage('en');
  till.answer('settings', async () => ({ ok: true, value: settingsView({ language: 'en' }) }));
});
afterEach(cleanup);

const cancelling = saleView({ outTradeNo: 'S-PARK-1', amountMinor: 1230, state: 'cancelling', activity: 'cancelling', qrcode: null });
const parked = { ...cancelling, activity: 'parked' as const, parked: true };

async function renderApp() {
  render(<App />);
  await screen.findByRole('tablist');
}

describe('parked sales on the cashier screen', () => {
  it('a cancelled sale that is parked leaves the screen and is listed; it never comes back as the current sale', async () => {
    await renderApp();
    act(() => till.emit('onSale', cancelling));
    expect(await screen.findByText('Order S-PARK-1')).toBeTruthy();
    act(() => till.emit('onSale', parked));
    expect(screen.queryByText('Order S-PARK-1')).toBeNull();
    const list = screen.getByTestId('parked-sales');
    expect(list.textContent).toContain('Being confirmed with QFPay (1)');
    expect(list.textContent).toContain('HK$12.30');
    expect(list.textContent).toContain('S-PARK-1');
    // Background checks of the parked sale do not take the screen back.
    act(() => till.emit('onSale', { ...parked, activity: 'checking' }));
    expect(screen.queryByText('Order S-PARK-1')).toBeNull();
  });

  it('a parked sale QFPay reports paid is an alarm until acknowledged, even with another sale on the screen', async () => {
    await renderApp();
    act(() => till.emit('onSale', parked));
    const next = saleView({ outTradeNo: 'S-NEXT-2', amountMinor: 500, state: 'awaiting_scan' });
    act(() => till.emit('onSale', next));
    act(() => till.emit('onSale', { ...cancelling, state: 'paid', activity: 'none', parked: false, paidAfterCancel: true }));
    const alarm = await screen.findByTestId('paid-after-cancel');
    expect(alarm.getAttribute('role')).toBe('alert');
    expect(alarm.textContent).toContain('THE CUSTOMER PAID BEFORE THE CANCEL TOOK EFFECT');
    expect(alarm.textContent).toContain('HK$12.30 — order S-PARK-1');
    // The next customer's sale stays on the screen.
    expect(screen.getByText('Order S-NEXT-2')).toBeTruthy();
    expect(screen.queryByTestId('parked-sales')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Understood' }));
    expect(screen.queryByTestId('paid-after-cancel')).toBeNull();
  });

  it('a parked sale QFPay confirms closed leaves the list quietly', async () => {
    till.answer('parkedSales', async () => ({ ok: true, value: [parked] }));
    await renderApp();
    expect((await screen.findByTestId('parked-sales')).textContent).toContain('S-PARK-1');
    act(() => till.emit('onSale', { ...cancelling, state: 'cancelled', activity: 'none', parked: false }));
    expect(screen.queryByTestId('parked-sales')).toBeNull();
    expect(screen.queryByTestId('paid-after-cancel')).toBeNull();
    expect(screen.queryByText('Order S-PARK-1')).toBeNull();
  });
});
