// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DrawerTotals } from '../../../../shared/cash';
import type { TillReport } from '../../../../shared/reports';
import { ChargeScreen } from '../../../../renderer/cashier/ChargeScreen';
import { HistoryScreen } from '../../../../renderer/cashier/HistoryScreen';
import { ReportsScreen } from '../../../../renderer/cashier/ReportsScreen';
import { SalePanel } from '../../../../renderer/cashier/SalePanel';
import { T0, installFakeTill, saleView, settingsView, useLanguage, type FakeTill } from '../support/fixtures';

// The Cash tender and the drawer on screen, against a fake window.till: the
// change follows what the cashier types, less than the amount is refused
// before anything is sent, the float is asked for at the first sale after a
// Z, Enter takes the cash (never starts a QFPay charge), the paid screen
// shows the change, and the reports show the drawer and send the count.

let till: FakeTill;
beforeAll(() => useLanguage('en'));
beforeEach(() => {
  till = installFakeTill();
  till.answer('drawerStatus', async () => ({ ok: true, value: { currency: 'HKD', needsFloat: false, expectedMinor: 0 } }));
  till.answer('chargeCash', async (input) => ({ ok: true, value: saleView({ ...(input as object), state: 'paid', qrcode: null, expiresAtMs: null }) }));
});
afterEach(cleanup);

const tap = (label: string) => fireEvent.click(screen.getByRole('button', { name: label }));
const callsOf = (method: string) => till.calls.filter(([m]) => m === method).map(([, input]) => input);

function openCash(amount: string[]) {
  render(<ChargeScreen settings={settingsView({ defaultCurrency: 'HKD' })} sale={null} ready training onDismiss={vi.fn()} />);
  for (const k of amount) tap(k);
  tap('Cash');
  return screen.getByRole('dialog', { name: 'Cash payment' });
}

describe('the Cash tender', () => {
  it('shows the change as the cashier types, refuses less than the amount, and takes exactly what was typed', async () => {
    openCash(['1', '2', '.', '3', '0']);
    expect(screen.getByTestId('cash-due').textContent).toBe('HK$12.30');
    // While the cash panel is open, the QFPay Charge cannot be started by a stray click either.
    expect((screen.getByRole('button', { name: /^Charge/ }) as HTMLButtonElement).disabled).toBe(true);
    const received = screen.getByLabelText('Cash received');
    const take = () => screen.getByRole('button', { name: /Take cash/ }) as HTMLButtonElement;

    fireEvent.change(received, { target: { value: '10' } });
    expect(screen.getByRole('alert').textContent).toBe('Short by HK$2.30: take at least the amount due');
    expect(screen.getByTestId('cash-change').textContent).toBe('—');
    expect(take().disabled).toBe(true);
    fireEvent.keyDown(received, { key: 'Enter' });
    expect(callsOf('chargeCash')).toEqual([]);

    fireEvent.change(received, { target: { value: '20' } });
    expect(screen.getByTestId('cash-change').textContent).toBe('HK$7.70');
    expect(take().disabled).toBe(false);
    fireEvent.keyDown(received, { key: 'Enter' });

    await waitFor(() => expect(callsOf('chargeCash')).toEqual([{ amountMinor: 1230, currency: 'HKD', tenderedMinor: 2000 }]));
    // Enter in the cash panel never started a QFPay charge.
    expect(callsOf('charge')).toEqual([]);
    await waitFor(() => expect(screen.queryByRole('dialog')).toBeNull());
  });

  it('exact cash is change 0; text that is no amount says so', () => {
    openCash(['5']);
    const received = screen.getByLabelText('Cash received');
    fireEvent.change(received, { target: { value: '5,0' } });
    expect(screen.getByText('Type an amount such as 20 or 20.50')).toBeTruthy();
    fireEvent.change(received, { target: { value: '5' } });
    expect(screen.getByTestId('cash-change').textContent).toBe('HK$0.00');
  });

  it('asks for the opening float at the first sale after a Z (0 is a float) and sends it with the sale', async () => {
    till.answer('drawerStatus', async () => ({ ok: true, value: { currency: 'HKD', needsFloat: true, expectedMinor: 0 } }));
    openCash(['8']);
    const float = await screen.findByLabelText(/Opening float in the drawer/);
    fireEvent.change(screen.getByLabelText('Cash received'), { target: { value: '10' } });
    expect((screen.getByRole('button', { name: /Take cash/ }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.change(float, { target: { value: '0' } });
    tap('Take cash Enter');
    await waitFor(() => expect(callsOf('chargeCash')).toEqual([{ amountMinor: 800, currency: 'HKD', tenderedMinor: 1000, openingFloatMinor: 0 }]));
  });

  it('Esc goes back to the keypad with the amount kept; a refusal is shown translated', async () => {
    openCash(['7']);
    fireEvent.keyDown(screen.getByLabelText('Cash received'), { key: 'Escape' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(screen.getByTestId('amount').textContent).toBe('HK$7.00');
    till.answer('chargeCash', async () => ({ ok: false, error: { code: 'sale_open', message: 'open' } }));
    tap('Cash');
    fireEvent.change(screen.getByLabelText('Cash received'), { target: { value: '7' } });
    tap('Take cash Enter');
    expect((await screen.findByRole('alert')).textContent).toBe('Finish the current sale first: it is still open.');
  });

  it('the paid screen of a cash sale shows what was received and the change', () => {
    render(
      <SalePanel
        sale={saleView({ state: 'paid', activity: 'none', qrcode: null, expiresAtMs: null, paidAtMs: T0, cash: { tenderedMinor: 2000, changeMinor: 770 } })}
        language="en"
        training
        busy={false}
        onCancel={vi.fn()}
        onSimulatePay={vi.fn()}
        onNewSale={vi.fn()}
      />,
    );
    expect(screen.getByTestId('final-cash').textContent).toBe('Paid in cash · Received HK$20.00Change HK$7.70');
  });
});

const drawer: DrawerTotals = {
  currency: 'HKD',
  floatMinor: 50000,
  cashSalesCount: 2,
  cashSalesMinor: 2100,
  cashRefundCount: 1,
  cashRefundMinor: 70,
  paidInMinor: 2000,
  paidOutMinor: 1500,
  expectedMinor: 52530,
  movements: [
    { kind: 'float', currency: 'HKD', amountMinor: 50000, reason: null, atMs: T0 },
    { kind: 'paid_out', currency: 'HKD', amountMinor: 1500, reason: 'milk', atMs: T0 + 1000 },
  ],
};

const report = (overrides: Partial<TillReport> = {}): TillReport => ({
  kind: 'x',
  udid: 'TILL-01',
  training: false,
  periodStartMs: T0,
  periodEndMs: T0 + 3_600_000,
  generatedAtMs: T0 + 3_600_000,
  businessDay: '2026-11-26',
  businessDayCutoffHour: 4,
  timeZone: 'Asia/Hong_Kong',
  currencies: [],
  tenders: [
    {
      currency: 'HKD',
      tenders: [
        { payType: '800201', paidCount: 1, grossMinor: 5000, refundCount: 0, refundMinor: 0 },
        { payType: 'cash', paidCount: 2, grossMinor: 2100, refundCount: 1, refundMinor: 70 },
      ],
    },
  ],
  drawer: [drawer],
  ...overrides,
});

describe('the drawer in the reports', () => {
  beforeEach(() => {
    till.answer('xReport', async () => ({ ok: true, value: report() }));
    till.answer('reportStatus', async () => ({ ok: true, value: { periodStartMs: T0, openSales: [], openRefunds: [], lastZ: null } }));
    till.answer('drawerMove', async () => ({ ok: true, value: { currency: 'HKD', needsFloat: false, expectedMinor: 54530 } }));
  });

  it('X: the split by tender and the drawer with the expected cash', async () => {
    render(<ReportsScreen settings={settingsView()} onGo={vi.fn()} initialSection="x" />);
    expect((await screen.findByTestId('drawer-expected-HKD')).textContent).toBe('HK$525.30');
    const section = screen.getByTestId('drawer-section');
    expect(section.textContent).toContain('WeChat Pay QR');
    expect(section.textContent).toContain('milk HK$15.00');
    expect(screen.queryByTestId('drawer-difference-HKD')).toBeNull();
  });

  it('paid in / paid out: reason and PIN required, then sent and the X refreshed', async () => {
    render(<ReportsScreen settings={settingsView({ pinSet: true })} onGo={vi.fn()} initialSection="x" />);
    const box = await screen.findByRole('region', { name: 'Paid in / paid out' });
    const field = (label: string) => [...box.querySelectorAll('label')].find((l) => l.textContent?.startsWith(label))!.querySelector('input')!;
    const record = () => [...box.querySelectorAll('button')].find((b) => b.textContent === 'Record') as HTMLButtonElement;
    fireEvent.click([...box.querySelectorAll('button')].find((b) => b.textContent === 'Paid out')!);
    fireEvent.change(field('Amount'), { target: { value: '20' } });
    expect(record().disabled).toBe(true);
    fireEvent.change(field('Reason'), { target: { value: ' milk ' } });
    expect(record().disabled).toBe(true);
    fireEvent.change(field('Supervisor PIN'), { target: { value: '2468' } });
    const xCalls = callsOf('xReport').length;
    fireEvent.click(record());
    await screen.findByText('Recorded. Expected in drawer: HK$545.30');
    expect(callsOf('drawerMove')).toEqual([{ kind: 'paid_out', currency: 'HKD', amountMinor: 2000, reason: 'milk', pin: '2468' }]);
    await waitFor(() => expect(callsOf('xReport').length).toBeGreaterThan(xCalls));
  });

  it('Z: asks for the counted cash of each drawer, sends it, and shows the difference', async () => {
    render(<ReportsScreen settings={settingsView()} onGo={vi.fn()} initialSection="z" />);
    const count = await screen.findByLabelText('Cash counted in the drawer (HKD)');
    fireEvent.change(count, { target: { value: '525' } });
    till.answer('zReport', async () => ({ ok: true, value: report({ kind: 'z', zNumber: 3, sha256: 'cd'.repeat(32), drawer: [{ ...drawer, countedMinor: 52500, differenceMinor: -30 }] }) }));
    tap('Take Z report and close the day');
    tap('Yes, take the Z report');
    expect((await screen.findByTestId('drawer-difference-HKD')).textContent).toBe('−HK$0.30');
    expect(callsOf('zReport')).toEqual([{ counted: [{ currency: 'HKD', countedMinor: 52500 }] }]);
  });
});

describe('a cash sale in History', () => {
  it('shows what was received and the change in the detail', async () => {
    const cashSale = saleView({ outTradeNo: 'S-CASH-1', state: 'paid', activity: 'none', qrcode: null, expiresAtMs: null, paidAtMs: T0, cash: { tenderedMinor: 2000, changeMinor: 770 } });
    till.answer('history', async () => ({ ok: true, value: { sales: [cashSale], hasMore: false } }));
    till.answer('saleDetail', async () => ({ ok: true, value: { sale: cashSale, refunds: [], events: [], refundableMinor: 1230 } }));
    render(<HistoryScreen settings={settingsView()} />);
    fireEvent.click(await screen.findByText('S-CASH-1', { exact: false }));
    expect((await screen.findByTestId('detail-cash')).textContent).toBe('Received HK$20.00 · Change HK$7.70');
  });
});
