// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SaleDetail } from '../../../../shared/contract';
import type { RefundView } from '../../../../shared/sale';
import { HistoryScreen } from '../../../../renderer/cashier/HistoryScreen';
import { T0, installFakeTill, saleView, settingsView, useLanguage, type FakeTill } from '../support/fixtures';

// The refund part of a sale's detail (issue 9 §3): a refund QFPay has not
// confirmed is shown as "being confirmed", never as failed, and the cashier
// is told not to refund again.

const sale = saleView({ outTradeNo: 'S-1', state: 'paid', activity: 'none', qrcode: null, expiresAtMs: null, amountMinor: 1000, refundedMinor: 0 });
const refund = (overrides: Partial<RefundView>): RefundView => ({
  outTradeNo: 'R-1',
  saleOutTradeNo: 'S-1',
  amountMinor: 400,
  currency: 'HKD',
  state: 'unknown',
  createdAtMs: T0,
  syssn: null,
  respcd: '1254',
  training: false,
  ...overrides,
});

let till: FakeTill;
beforeAll(() => useLanguage('en'));
beforeEach(() => {
  till = installFakeTill();
  till.answer('history', async () => ({ ok: true, value: { sales: [sale], hasMore: false } }));
});
afterEach(cleanup);

async function openDetail(detail: SaleDetail): Promise<void> {
  till.answer('saleDetail', async () => ({ ok: true, value: detail }));
  render(<HistoryScreen settings={settingsView()} />);
  fireEvent.click(await screen.findByText('S-1', { exact: false }));
}

describe('HistoryScreen refunds', () => {
  it('an unconfirmed refund is listed as "Refund being confirmed", with the hint not to refund again', async () => {
    await openDetail({ sale, refunds: [refund({})], events: [], refundableMinor: 600 });
    const badge = await screen.findByText('Refund being confirmed');
    expect(badge.getAttribute('title')).toContain('Do not refund again');
    expect(screen.queryByText('Failed')).toBeNull();
  });

  it('a refund that comes back unconfirmed says so in the banner, not "failed"', async () => {
    till.answer('refund', async () => ({ ok: true, value: refund({}) }));
    await openDetail({ sale, refunds: [], events: [], refundableMinor: 1000 });
    fireEvent.click(await screen.findByText('Refund all'));
    // Refund-all asks first (issue 10).
    fireEvent.click(await screen.findByRole('button', { name: /Yes, refund HK\$10\.00/ }));
    const banner = await screen.findByRole('status');
    expect(banner.textContent).toContain('Refund being confirmed');
    expect(banner.textContent).not.toContain('failed');
  });
});
