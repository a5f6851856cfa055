// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SaleDetail } from '../../../../shared/contract';
import type { RefundView, SaleView } from '../../../../shared/sale';
import { HistoryScreen } from '../../../../renderer/cashier/HistoryScreen';
import { T0, installFakeTill, saleView, settingsView, useLanguage, type FakeTill } from '../support/fixtures';

// History against a fake window.till: the list, a sale's detail and its
// refunds — refunding the whole sale asks first.

const paid = (overrides: Partial<SaleView> = {}) =>
  saleView({ state: 'paid', activity: 'none', qrcode: null, expiresAtMs: null, paidAtMs: T0 + 30_000, syssn: '20261126000000000000000001', ...overrides });

function refundView(overrides: Partial<RefundView> = {}): RefundView {
  return {
    outTradeNo: 'TILL-01-R0001',
    saleOutTradeNo: 'TILL-01-S0001',
    amountMinor: 230,
    currency: 'HKD',
    state: 'refunded',
    createdAtMs: T0 + 60_000,
    syssn: '20261126000000000000000002',
    respcd: '0000',
    training: true,
    ...overrides,
  };
}

let till: FakeTill;
beforeAll(() => useLanguage('en'));
beforeEach(() => {
  till = installFakeTill();
});
afterEach(cleanup);

function withDetail(detail: Partial<SaleDetail> & { sale: SaleView }) {
  till.answer('history', async () => ({ ok: true, value: { sales: [detail.sale], hasMore: false } }));
  till.answer('saleDetail', async () => ({ ok: true, value: { refunds: [], events: [], refundableMinor: detail.sale.amountMinor - detail.sale.refundedMinor, ...detail } }));
}

async function openFirstSale() {
  render(<HistoryScreen settings={settingsView()} />);
  const row = await screen.findByText('TILL-01-S0001');
  fireEvent.click(row);
  await screen.findByRole('heading', { name: 'What happened' });
}

describe('History: refunds', () => {
  it('Refund all asks for confirmation with the amount; going back refunds nothing; confirming refunds the whole sale', async () => {
    withDetail({ sale: paid() });
    till.answer('refund', async () => ({ ok: true, value: refundView({ amountMinor: 1230 }) }));
    await openFirstSale();
    fireEvent.click(screen.getByRole('button', { name: 'Refund all' }));
    expect(screen.getByRole('heading', { name: 'Refund the whole sale?' })).toBeTruthy();
    expect(screen.getByText('HK$12.30 goes back to the customer. A refund cannot be undone.')).toBeTruthy();
    // The focus is on the safe choice: a stray Enter or Space goes back, never refunds.
    expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Go back' }));
    await act(async () => undefined);
    expect(till.calls.filter(([m]) => m === 'refund')).toEqual([]);
    fireEvent.click(screen.getByRole('button', { name: 'Go back' }));
    expect(screen.queryByRole('heading', { name: 'Refund the whole sale?' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Refund all' }));
    fireEvent.click(screen.getByRole('button', { name: 'Yes, refund HK$12.30' }));
    await screen.findByText('Refunded HK$12.30');
    expect(till.calls.filter(([m]) => m === 'refund').map(([, i]) => i)).toEqual([{ saleOutTradeNo: 'TILL-01-S0001' }]);
  });
});

describe('History: a refund amount that cannot be right is refused with its reason, and nothing is sent', () => {
  it.each([
    ['JPY', 1000, '12.5', 'JPY has no decimals'],
    ['HKD', 1230, '1.234', 'No more decimals for HKD'],
    ['HKD', 1230, '12.31', 'That is more than what is left to refund.'],
    ['HKD', 1230, '134567890123456789', 'That is more than what is left to refund.'],
    ['HKD', 1230, 'abc', 'Please check what you typed.'],
  ] as const)('%s sale of %i: "%s" → %s', async (currency, amountMinor, typed, reason) => {
    withDetail({ sale: paid({ currency, amountMinor }) });
    await openFirstSale();
    fireEvent.change(screen.getByLabelText('Refund amount'), { target: { value: typed } });
    fireEvent.click(screen.getByRole('button', { name: `Refund ${typed}` }));
    expect((await screen.findByRole('alert')).textContent).toBe(reason);
    expect(till.calls.filter(([m]) => m === 'refund')).toEqual([]);
  });
});

describe('History: the list', () => {
  const sales = [
    paid({ outTradeNo: 'S-PAID', amountMinor: 1230, goodsName: 'Milk tea' }),
    paid({ outTradeNo: 'S-PART', amountMinor: 2000, refundedMinor: 500 }),
    paid({ outTradeNo: 'S-FULL', amountMinor: 800, refundedMinor: 800 }),
    saleView({ outTradeNo: 'S-EXP', amountMinor: 999, state: 'expired', activity: 'none', qrcode: null }),
  ];

  it('refunded and partly refunded have their own badge (not paid green); the goods name and refunded amount show; the day total is net', async () => {
    till.answer('history', async () => ({ ok: true, value: { sales, hasMore: false } }));
    const { container } = render(<HistoryScreen settings={settingsView()} />);
    await screen.findByText('S-PAID');
    const badge = (id: string) => [...container.querySelectorAll('tbody tr')].find((r) => r.textContent!.includes(id))!.querySelector('.badge')!;
    expect(badge('S-PAID').className).toBe('badge badge-paid');
    expect(badge('S-PART').className).toBe('badge badge-partly-refunded');
    expect(badge('S-PART').textContent).toBe('Part refunded');
    expect(badge('S-FULL').className).toBe('badge badge-refunded');
    expect(screen.getByText('Milk tea')).toBeTruthy();
    expect(screen.getByText('refunded HK$5.00')).toBeTruthy();
    expect(screen.getByText('refunded HK$8.00')).toBeTruthy();
    // 12.30 + (20.00 − 5.00) + (8.00 − 8.00); the expired sale is not takings.
    expect(container.querySelector('.day-total')!.textContent).toBe('Day total: HK$27.30 net from 3 paid sales (after HK$13.00 refunded)');
  });

  it('search text that is not an amount searches order numbers and notes over every day', async () => {
    render(<HistoryScreen settings={settingsView()} />);
    const search = screen.getByLabelText('Amount, order number or note');
    fireEvent.change(search, { target: { value: 'milk' } });
    await act(async () => undefined);
    expect(till.calls.filter(([m]) => m === 'history').at(-1)![1]).toEqual({ text: 'milk', limit: 50, offset: 0 });
  });
});

describe('History: a sale\'s detail', () => {
  it('a fully refunded sale says so with the total of all its refunds, not only the last one', async () => {
    withDetail({
      sale: paid({ refundedMinor: 1230 }),
      refunds: [refundView({ amountMinor: 200 }), refundView({ outTradeNo: 'TILL-01-R0002', amountMinor: 1030 })],
      refundableMinor: 0,
    });
    await openFirstSale();
    expect(screen.getByTestId('refund-summary').textContent).toBe('Fully refunded: HK$12.30 in 2 refund(s).');
    expect(screen.queryByRole('button', { name: 'Refund all' })).toBeNull();
  });

  it('the refund amount field starts empty (no look-alike placeholder) with a hint of the most that can be refunded', async () => {
    withDetail({ sale: paid({ refundedMinor: 200 }), refunds: [refundView({ amountMinor: 200 })] });
    await openFirstSale();
    const field = screen.getByLabelText('Refund amount') as HTMLInputElement;
    expect(field.value).toBe('');
    expect(field.placeholder).toBe('');
    expect(document.getElementById(field.getAttribute('aria-describedby')!)!.textContent).toBe('Type the amount to refund, up to HK$10.30 — or use “Refund all”.');
    expect(screen.getByTestId('refund-summary').textContent).toBe('Refunded so far: HK$2.00 of HK$12.30.');
  });

  it('the trail folds repeated status polls into one line with a count', async () => {
    const poll = (atMs: number, respcd = '1143') => ({ atMs, kind: 'exchange' as const, summary: `QFPay query: answered ${respcd}`, endpoint: 'query', respcd, durationMs: 40 });
    withDetail({
      sale: paid(),
      events: [
        { atMs: T0, kind: 'transition', summary: 'requesting', from: null, to: 'requesting' },
        { atMs: T0 + 100, kind: 'exchange', summary: 'QFPay payment: answered 0000', endpoint: 'payment', respcd: '0000', durationMs: 300 },
        ...Array.from({ length: 12 }, (_, i) => poll(T0 + 3_000 * (i + 1))),
        poll(T0 + 40_000, '0000'),
        { atMs: T0 + 40_100, kind: 'transition', summary: 'awaiting_scan → paid', from: 'awaiting_scan', to: 'paid' },
      ],
    });
    const { container } = await openFirstSaleWithContainer();
    const lines = [...container.querySelectorAll('.trail li')].map((li) => li.textContent);
    expect(lines).toHaveLength(5);
    expect(lines[2]).toMatch(/QFPay: check status — answered 1143 × 12 \(last at \d\d:00:36\)$/);
    expect(lines[3]).toMatch(/QFPay: check status — answered 0000 \(40 ms\)$/);
  });
});

async function openFirstSaleWithContainer() {
  const view = render(<HistoryScreen settings={settingsView()} />);
  fireEvent.click(await screen.findByText('TILL-01-S0001'));
  await screen.findByRole('heading', { name: 'What happened' });
  return view;
}
