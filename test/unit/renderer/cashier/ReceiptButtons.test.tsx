// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ReceiptPrintResult } from '../../../../shared/contract';
import { ChargeScreen } from '../../../../renderer/cashier/ChargeScreen';
import { ReportReceiptButton, ReprintButtons } from '../../../../renderer/cashier/ReceiptButtons';
import { ReceiptSettingsSection } from '../../../../renderer/cashier/ReceiptSettingsSection';
import { SettingsScreen } from '../../../../renderer/cashier/SettingsScreen';
import { installFakeTill, saleView, settingsView, useLanguage, type FakeTill } from '../support/fixtures';

// Receipts on the cashier screens: on request, Enter on the paid screen
// prints and the next Enter starts a new sale; a printer problem is shown
// (translated) and the sale stays as it is; History reprints; Settings has
// the receipt fields, the test page and "No sale".

let till: FakeTill;
beforeAll(() => useLanguage('en'));
beforeEach(() => {
  till = installFakeTill();
});
afterEach(cleanup);

const paid = saleView({ state: 'paid', activity: 'none', qrcode: null, expiresAtMs: null, paidAtMs: Date.now(), syssn: '20261126000001' });
const key = (k: string) => fireEvent.keyDown(document.body, { key: k });
const result = (r: Partial<ReceiptPrintResult>): ReceiptPrintResult => ({ printed: true, printer: 'tcp://10.0.0.9:9100', reason: null, message: null, ...r });

function renderPaid(receiptPrint: 'auto' | 'on_request' | 'never') {
  const onDismiss = vi.fn();
  render(<ChargeScreen settings={settingsView({ receiptPrint, printer: 'tcp://10.0.0.9:9100' })} sale={paid} ready training={false} onDismiss={onDismiss} />);
  return onDismiss;
}

/** What the screen asked of the till, less the Charge screen's look at recent sales (the large-charge median). */
const calls = () => till.calls.filter(([m]) => m !== 'history');

describe('the paid screen', () => {
  it('on request: Enter prints the receipt, the next Enter starts a new sale', async () => {
    till.answer('printReceipt', async () => ({ ok: true, value: result({}) }));
    const onDismiss = renderPaid('on_request');
    key('Enter');
    expect(calls()).toEqual([['printReceipt', { outTradeNo: paid.outTradeNo }]]);
    expect(onDismiss).not.toHaveBeenCalled();
    await screen.findByText('Printed on tcp://10.0.0.9:9100.');
    key('Enter');
    expect(onDismiss).toHaveBeenCalledTimes(1);
    expect(calls()).toHaveLength(1);
  });

  it('a printer that cannot be reached is said plainly, and the sale is not touched', async () => {
    till.answer('printReceipt', async () => ({ ok: true, value: result({ printed: false, reason: 'unreachable', message: 'ECONNREFUSED' }) }));
    renderPaid('on_request');
    fireEvent.click(screen.getByRole('button', { name: /Print receipt/ }));
    expect((await screen.findByRole('alert')).textContent).toBe('The printer tcp://10.0.0.9:9100 cannot be reached: check it is on and connected. The sale is not affected.');
    expect(calls().map(([m]) => m)).toEqual(['printReceipt']);
  });

  it('without a printer (and not training), Enter stays "new sale" and there is no button', () => {
    const onDismiss = vi.fn();
    render(<ChargeScreen settings={settingsView({ receiptPrint: 'on_request', printer: 'none' })} sale={paid} ready training={false} onDismiss={onDismiss} />);
    expect(screen.queryByRole('button', { name: /Print receipt/ })).toBeNull();
    key('Enter');
    expect(onDismiss).toHaveBeenCalledTimes(1);
  });

  it('"never": no button, and Enter starts a new sale', () => {
    const onDismiss = renderPaid('never');
    expect(screen.queryByRole('button', { name: /Print receipt/ })).toBeNull();
    key('Enter');
    expect(onDismiss).toHaveBeenCalledTimes(1);
    expect(calls()).toEqual([]);
  });
});

describe('History', () => {
  it('reprints the sale and each refund, marked as reprints', async () => {
    till.answer('printReceipt', async () => ({ ok: true, value: result({}) }));
    render(<ReprintButtons sale={paid} refundIds={['R-000001']} />);
    fireEvent.click(screen.getByRole('button', { name: 'Reprint receipt' }));
    await screen.findByText('Printed on tcp://10.0.0.9:9100.');
    fireEvent.click(screen.getByRole('button', { name: 'Reprint refund …000001' }));
    await waitFor(() => expect(calls().filter(([m]) => m === 'printReceipt')).toHaveLength(2));
    expect(calls()).toEqual([
      ['printReceipt', { outTradeNo: paid.outTradeNo, reprint: true }],
      ['printReceipt', { outTradeNo: paid.outTradeNo, reprint: true, refundOutTradeNo: 'R-000001' }],
    ]);
  });
});

describe('Reports', () => {
  it('sends a Z (by number) to the receipt printer and says where it printed', async () => {
    till.answer('printReportReceipt', async () => ({ ok: true, value: result({}) }));
    render(<ReportReceiptButton kind="z" zNumber={7} />);
    fireEvent.click(screen.getByRole('button', { name: 'Receipt printer (ESC/POS)' }));
    await screen.findByText('Printed on tcp://10.0.0.9:9100.');
    expect(calls()).toEqual([['printReportReceipt', { kind: 'z', zNumber: 7 }]]);
  });
});

describe('Settings → Receipts', () => {
  it('refuses a printer that is not none, tcp:// or os:, and saves a valid one with the screen\'s one Save', async () => {
    render(<SettingsScreen settings={settingsView({ pinSet: true, pinState: 'set' })} mode="training" />);
    const save = screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement;
    const printer = screen.getByLabelText(/Printer \(none/);
    fireEvent.change(printer, { target: { value: 'lpt1' } });
    expect(screen.getByText('Write none, tcp://host:port or os:printer name')).toBeTruthy();
    expect(save.disabled).toBe(true);
    fireEvent.change(printer, { target: { value: 'tcp://192.168.1.50:9100' } });
    expect(save.disabled).toBe(false);
    fireEvent.click(save);
    await waitFor(() => expect(till.calls.find(([m]) => m === 'updateSettings')).toBeTruthy());
    // Only what changed is sent.
    expect(till.calls.find(([m]) => m === 'updateSettings')![1]).toEqual({ patch: { printer: 'tcp://192.168.1.50:9100' } });
  });

  it('"No sale" sends the PIN when one is set, and shows the virtual printer’s receipts', async () => {
    till.answer('openDrawer', async () => ({ ok: true, value: result({ printer: 'virtual' }) }));
    till.answer('virtualReceipts', async () => ({ ok: true, value: [{ id: 1, atMs: Date.now(), title: 'no sale', svg: '<svg width="576px" height="100px"></svg>', bytes: 90 }] }));
    render(<ReceiptSettingsSection settings={settingsView({ pinSet: true })} training onPending={() => undefined} />);
    fireEvent.change(screen.getByLabelText('Supervisor PIN', { exact: false }), { target: { value: '2468' } });
    fireEvent.click(screen.getByRole('button', { name: 'No sale (open drawer)' }));
    await screen.findByText('Printed on the virtual printer.');
    expect(till.calls.find(([m]) => m === 'openDrawer')![1]).toEqual({ pin: '2468' });
    fireEvent.click(await screen.findByRole('button', { name: /no sale \(90 B\)/ }));
    expect(screen.getByRole('img', { name: 'no sale' }).getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
  });
});
