// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SaleDetail } from '../../../../shared/contract';
import type { SaleView } from '../../../../shared/sale';
import { SaleDetailView } from '../../../../renderer/cashier/SaleDetailView';
import { installFakeTill, saleView, settingsView, useLanguage, type FakeTill } from '../support/fixtures';

// A sale's detail for the pay types of issue 13: FPS (no refunds at QFPay)
// says to return the money another way and offers no refund; a scanned
// code's sale shows the code masked and its pay type.

let till: FakeTill;
beforeAll(() => useLanguage('en'));
beforeEach(() => {
  till = installFakeTill();
});
afterEach(cleanup);

const paid = (overrides: Partial<SaleView>) => saleView({ outTradeNo: 'S-1', state: 'paid', activity: 'none', qrcode: null, expiresAtMs: null, amountMinor: 1000, ...overrides });

function openDetail(sale: SaleView) {
  const detail: SaleDetail = { sale, refunds: [], events: [], refundableMinor: sale.amountMinor };
  till.answer('saleDetail', async () => ({ ok: true, value: detail }));
  render(<SaleDetailView outTradeNo={sale.outTradeNo} settings={settingsView()} onBack={vi.fn()} />);
}

describe('SaleDetailView, issue 13', () => {
  it('an FPS sale: the reason there is no refund, and no refund button or amount field', async () => {
    openDetail(paid({ payType: '802001' }));
    expect((await screen.findByTestId('no-refund')).textContent).toBe('FPS payments cannot be refunded through QFPay: return the money another way.');
    expect(screen.queryByRole('button', { name: /refund/i })).toBeNull();
    expect(screen.queryByLabelText('Refund amount')).toBeNull();
    expect(screen.getByTestId('detail-pay-type').textContent).toBe('FPS QR');
  });

  it('a WeChat or Alipay sale still offers the refund', async () => {
    openDetail(paid({ payType: '800101' }));
    expect(await screen.findByRole('button', { name: 'Refund all' })).toBeTruthy();
    expect(screen.queryByTestId('no-refund')).toBeNull();
  });

  it("the engine's not_refundable is translated too", async () => {
    till.answer('refund', async () => ({ ok: false, error: { code: 'not_refundable', message: 'no' } }));
    openDetail(paid({ payType: '800201' }));
    fireEvent.change(await screen.findByRole('textbox', { name: 'Refund amount' }), { target: { value: '1' } });
    fireEvent.click(screen.getByRole('button', { name: 'Refund 1' }));
    await waitFor(() => expect(screen.getByRole('alert').textContent).toBe('FPS payments cannot be refunded through QFPay: return the money another way.'));
  });

  it("a scanned code's sale: the pay type, the code masked, and that the real-name check was sent", async () => {
    openDetail(paid({ payType: '800208', authCodeMasked: '**************6789', realNameChecked: true }));
    expect((await screen.findByTestId('detail-code')).textContent).toBe('**************6789');
    expect(screen.getByTestId('detail-pay-type').textContent).toBe("WeChat Pay: scan the customer's code");
    expect(screen.getByText('Real-name check sent')).toBeTruthy();
  });
});
