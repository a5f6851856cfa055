// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Reconciliation } from '../../../../shared/reconcile';
import type { TillReport } from '../../../../shared/reports';
import { ReportsScreen } from '../../../../renderer/cashier/ReportsScreen';
import { T0, emptyReport, installFakeTill, settingsView, useLanguage, type FakeTill } from '../support/fixtures';

// The Reports tab against a fake window.till: the X report's figures, the Z
// with its PIN and the open-work refusal, a reprint that fails its hash
// check, and the reconciliation lists with an incomplete result marked.

const report = (overrides: Partial<TillReport> = {}): TillReport =>
  emptyReport({
    currencies: [
      {
        currency: 'HKD',
        paidCount: 3,
        grossMinor: 4500,
        refundCount: 1,
        refundMinor: 500,
        netMinor: 4000,
        averageTicketMinor: 1500,
        cancelledCount: 2,
        expiredCount: 1,
        failedCount: 0,
        firstSaleAtMs: T0,
        lastSaleAtMs: T0 + 1_800_000,
        hourly: [{ hour: 12, paidCount: 3, grossMinor: 4500 }],
      },
    ],
    ...overrides,
  });

const emptyReconciliation: Reconciliation = {
  period: { fromMs: T0, toMs: T0 + 3_600_000 },
  complete: true,
  matched: [],
  onlyInJournal: [],
  onlyAtQfpay: [],
  stateDiffers: [],
  amountDiffers: [],
  totals: [],
  problems: [],
};

let till: FakeTill;
beforeAll(() => useLanguage('en'));
beforeEach(() => {
  till = installFakeTill();
  till.answer('xReport', async () => ({ ok: true, value: report() }));
  till.answer('reportStatus', async () => ({ ok: true, value: { periodStartMs: T0, openSales: [], openRefunds: [], lastZ: null } }));
  till.answer('zHistory', async () => ({ ok: true, value: [] }));
});
afterEach(cleanup);

describe('ReportsScreen', () => {
  it('runs the X report on opening and shows the figures and the chart', async () => {
    const { container } = render(<ReportsScreen settings={settingsView()} onGo={() => undefined} />);
    await screen.findByText('HK$40.00');
    const rows = [...container.querySelectorAll('.totals-table tbody tr')].map((r) => r.textContent);
    expect(rows[0]).toBe('Paid sales3 · HK$45.00');
    // A refund counts as 1 (not "− 1"); the money that went back is the negative amount.
    expect(rows[1]).toBe('Refunds1 · -HK$5.00');
    expect(rows[2]).toBe('Average saleHK$15.00');
    expect(rows[3]).toBe('Cancelled / Expired / Failed2 / 1 / 0');
    expect(container.querySelectorAll('svg rect.chart-bar')).toHaveLength(1);
    expect(till.calls.filter(([m]) => m === 'xReport')).toHaveLength(1);
    // The print buttons come before the figures, so they are on screen without scrolling.
    const order = [...container.querySelectorAll('.report > *')].map((e) => e.className.split(' ')[0]);
    expect(order.indexOf('print-box')).toBeLessThan(order.indexOf('currency-cards'));
  });

  it('leaves out a currency with no sales or refunds (only cancelled or expired attempts)', async () => {
    const quiet = { ...report().currencies[0]!, currency: 'JPY' as const, paidCount: 0, grossMinor: 0, refundCount: 0, refundMinor: 0, netMinor: 0, averageTicketMinor: 0, cancelledCount: 2, hourly: [] };
    till.answer('xReport', async () => ({ ok: true, value: report({ currencies: [report().currencies[0]!, quiet] }) }));
    const { container } = render(<ReportsScreen settings={settingsView()} onGo={() => undefined} />);
    await screen.findByText('HK$40.00');
    expect([...container.querySelectorAll('.currency-card')].map((c) => c.getAttribute('data-currency'))).toEqual(['HKD']);
  });

  it('shows QFPay-confirmed totals beside the till and marks a difference', async () => {
    till.answer('xReport', async () => ({ ok: true, value: report({ confirmed: [{ currency: 'HKD', paidCount: 2, grossMinor: 3000, refundCount: 1, refundMinor: 500 }] }) }));
    const { container } = render(<ReportsScreen settings={settingsView()} onGo={() => undefined} />);
    await screen.findByText('QFPay confirmed');
    const differ = [...container.querySelectorAll('.totals-differ')].map((c) => c.textContent);
    expect(differ).toEqual(['2 · HK$30.00']);
  });

  it('Z: asks for the PIN, shows a wrong PIN, then the Z number and hash', async () => {
    const onGo = vi.fn();
    render(<ReportsScreen settings={settingsView({ pinSet: true })} onGo={onGo} initialSection="z" />);
    await screen.findByText('No Z report has been taken on this till yet.');
    const take = screen.getByRole('button', { name: 'Take Z report and close the day' });
    expect((take as HTMLButtonElement).disabled).toBe(true);
    till.answer('zReport', async () => ({ ok: false, error: { code: 'pin_wrong', message: 'wrong PIN', field: 'pin' } }));
    fireEvent.change(screen.getByLabelText('Supervisor PIN'), { target: { value: '1111' } });
    fireEvent.click(take);
    fireEvent.click(screen.getByRole('button', { name: 'Yes, take the Z report' }));
    await screen.findByText('Wrong PIN.');
    till.answer('zReport', async () => ({ ok: true, value: report({ kind: 'z', zNumber: 7, sha256: 'ab'.repeat(32) }) }));
    fireEvent.change(screen.getByLabelText('Supervisor PIN'), { target: { value: '2468' } });
    fireEvent.click(screen.getByRole('button', { name: 'Take Z report and close the day' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, take the Z report' }));
    await screen.findByText('Z report no. 7 taken and stored.');
    expect(screen.getByText('ab'.repeat(32))).toBeTruthy();
    expect(till.calls.filter(([m]) => m === 'zReport').map(([, i]) => i)).toEqual([{ pin: '1111' }, { pin: '2468' }]);
  });

  it('Z asks for confirmation first: going back takes nothing, only the second step takes the Z', async () => {
    till.answer('zReport', async () => ({ ok: true, value: report({ kind: 'z', zNumber: 1, sha256: 'ef'.repeat(32) }) }));
    render(<ReportsScreen settings={settingsView()} onGo={() => undefined} initialSection="z" />);
    await screen.findByText('No Z report has been taken on this till yet.');
    fireEvent.click(screen.getByRole('button', { name: 'Take Z report and close the day' }));
    expect(screen.getByRole('heading', { name: 'Close the day now?' })).toBeTruthy();
    await act(async () => undefined);
    expect(till.calls.filter(([m]) => m === 'zReport')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Go back' }));
    expect(screen.queryByRole('heading', { name: 'Close the day now?' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Take Z report and close the day' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, take the Z report' }));
    await screen.findByText('Z report no. 1 taken and stored.');
    expect(till.calls.filter(([m]) => m === 'zReport')).toHaveLength(1);
  });

  it('Z with open work: lists the orders, disables the Z and offers to go and resolve them', async () => {
    till.answer('reportStatus', async () => ({ ok: true, value: { periodStartMs: T0, openSales: ['S-OPEN-1'], openRefunds: ['R-OPEN-2'], lastZ: null } }));
    const onGo = vi.fn();
    render(<ReportsScreen settings={settingsView()} onGo={onGo} initialSection="z" />);
    await screen.findByText('Sale S-OPEN-1');
    expect(screen.getByText('Refund R-OPEN-2')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Take Z report and close the day' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: 'Go to the open sale' }));
    expect(onGo).toHaveBeenCalledWith('charge');
    fireEvent.click(screen.getByRole('button', { name: 'Open History' }));
    expect(onGo).toHaveBeenLastCalledWith('history');
  });

  it('a reprint whose hash no longer matches carries a loud warning', async () => {
    till.answer('zHistory', async () => ({ ok: true, value: [{ zNumber: 3, periodStartMs: T0, periodEndMs: T0 + 1000, createdAtMs: T0 + 1000, sha256: 'cd'.repeat(32) }] }));
    till.answer('zReprint', async () => ({ ok: true, value: { report: report({ kind: 'z', zNumber: 3, sha256: 'cd'.repeat(32) }), intact: false } }));
    const { container } = render(<ReportsScreen settings={settingsView()} onGo={() => undefined} initialSection="history" />);
    fireEvent.click(await screen.findByRole('button', { name: 'View / reprint' }));
    await waitFor(() => expect(container.querySelector('.tamper-warning')).not.toBeNull());
    expect(container.querySelector('.tamper-warning')!.textContent).toContain('WARNING');
  });

  it('reconciliation: counts per list, the reasons, and an incomplete result marked above all', async () => {
    till.answer('reconcile', async () => ({
      ok: true,
      value: {
        ...emptyReconciliation,
        complete: false,
        problems: ['QFPay answered 1143 for page 2.'],
        stateDiffers: [
          {
            out_trade_no: 'S-1',
            syssn: '2026112600001',
            order_type: 'payment',
            journal: { amountMinor: 1000, currency: 'HKD', state: 'cancelled' },
            qfpay: { amountMinor: 1000, currency: 'HKD', respcd: '0000', state: 'paid', udid: 'TILL-01' },
            reason: 'QFPay says the customer paid, but the journal has the sale as cancelled.',
            reasonCode: 'paid_not_counted',
          },
        ],
      } satisfies Reconciliation,
    }));
    const { container } = render(<ReportsScreen settings={settingsView()} onGo={() => undefined} initialSection="reconcile" />);
    fireEvent.click(screen.getByRole('button', { name: 'Check with QFPay' }));
    await screen.findByText(/^INCOMPLETE/);
    expect(screen.getByText('QFPay answered 1143 for page 2.')).toBeTruthy();
    expect(container.querySelector('.count-chip[data-list="stateDiffers"] strong')!.textContent).toBe('1');
    // The reason in the cashier's language, from its code (the English sentence is the tooltip).
    expect(screen.getByText('QFPay says the customer paid, but the till has the sale as Cancelled: hand over the goods or refund.').title).toBe(
      'QFPay says the customer paid, but the journal has the sale as cancelled.',
    );
    expect(screen.getByText('Till: Cancelled HK$10.00')).toBeTruthy();
    expect(screen.getByText('QFPay: Paid HK$10.00')).toBeTruthy();
    expect(till.calls.find(([m]) => m === 'reconcile')![1]).toEqual({});
  });
  it('reconciliation names each item\'s tender and says "Reversed" on both sides of a reversed scanned code, in the cashier\'s language', async () => {
    useLanguage('zh-Hant');
    till.answer('reconcile', async () => ({
      ok: true,
      value: {
        ...emptyReconciliation,
        matched: [
          {
            out_trade_no: 'S-CPM',
            syssn: '2026112600002',
            order_type: 'payment',
            journal: { amountMinor: 880, currency: 'HKD', state: 'cancelled', payType: '800208', reversed: true },
            qfpay: { amountMinor: 880, currency: 'HKD', respcd: '0000', state: 'reversed', udid: 'TILL-01', payType: '800208' },
            reason: 'QFPay and the journal agree: reversed, nothing charged, 8.80 HKD.',
            reasonCode: 'reversed',
            payType: '800208',
          },
        ],
        stateDiffers: [
          {
            out_trade_no: 'S-ALI',
            syssn: '2026112600003',
            order_type: 'payment',
            journal: { amountMinor: 1000, currency: 'HKD', state: 'paid', payType: '800101' },
            qfpay: { amountMinor: 1000, currency: 'HKD', respcd: '0000', state: 'reversed', udid: 'TILL-01', payType: '800101' },
            reason: 'The journal has the sale as paid, but QFPay says reversed (respcd 0000).',
            reasonCode: 'counts_unconfirmed',
            payType: '800101',
          },
        ],
      } satisfies Reconciliation,
    }));
    const { container } = render(<ReportsScreen settings={settingsView({ language: 'zh-Hant' })} onGo={() => undefined} initialSection="reconcile" />);
    fireEvent.click(screen.getByRole('button', { name: '與 QFPay 對賬' }));
    await waitFor(() => expect(container.querySelector('.reconcile-stateDiffers')).not.toBeNull());
    const differs = container.querySelector('.reconcile-stateDiffers .reconcile-item')!;
    expect(differs.querySelector('.badge-tender')!.textContent).toBe('支付寶 QR');
    expect(differs.textContent).toContain('QFPay 記錄：已撤銷 HK$10.00');
    fireEvent.click(screen.getByRole('button', { name: '顯示相符項目（1）' }));
    const matched = await waitFor(() => container.querySelector('.reconcile-matched .reconcile-item')!);
    expect(matched.querySelector('.badge-tender')!.textContent).toBe('微信支付（掃付款碼）');
    expect(matched.textContent).toContain('收銀機：已撤銷 HK$8.80');
    expect(matched.textContent).toContain('QFPay 記錄：已撤銷 HK$8.80');
    expect(matched.querySelector('.item-reason')!.textContent).toBe('已在 QFPay 撤銷，收銀機亦已取消：沒有扣款。');
    useLanguage('en');
  });
});
