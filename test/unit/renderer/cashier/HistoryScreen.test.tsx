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
