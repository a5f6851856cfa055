// @vitest-environment jsdom
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { SaleView } from '../../../../shared/sale';
import type { Language } from '../../../../shared/settings';
import { SalePanel } from '../../../../renderer/cashier/SalePanel';
import { QR_TEXT, T0, saleView, useLanguage } from '../support/fixtures';

// Every state a sale can be in, as the cashier sees it: what the status
// says, whether a QR is up (only while the customer may pay), and the
// final screens with their details and next step.

beforeAll(() => useLanguage('en'));
afterEach(cleanup);

function renderSale(overrides: Partial<SaleView>, options: { training?: boolean; language?: Language } = {}) {
  const onCancel = vi.fn();
  const onSimulatePay = vi.fn();
  const onNewSale = vi.fn();
  const view = render(
    <SalePanel sale={saleView(overrides)} language={options.language ?? 'en'} training={options.training ?? true} busy={false} onCancel={onCancel} onSimulatePay={onSimulatePay} onNewSale={onNewSale} />,
  );
  return { ...view, onCancel, onSimulatePay, onNewSale };
}

const stateOf = (container: HTMLElement) => container.querySelector('section.sale')?.getAttribute('data-state');
const qrImages = (container: HTMLElement) => container.querySelectorAll('img');
const noQr = { qrcode: null, expiresAtMs: null } as const;

describe('SalePanel open states', () => {
  it('requesting: "creating the order", a spinner, no QR, Cancel available', () => {
    const { container, onCancel } = renderSale({ state: 'requesting', activity: 'creating', ...noQr });
    expect(stateOf(container)).toBe('requesting');
    expect(screen.getByRole('status').textContent).toBe('Creating the order…');
    expect(container.querySelector('.sale-spinner')).not.toBeNull();
    expect(qrImages(container)).toHaveLength(0);
    expect(screen.queryByText(/QR code expires/)).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /Cancel/ }));
    expect(onCancel).toHaveBeenCalledTimes(1);
    // No simulate button before the QR exists.
    expect(screen.queryByRole('button', { name: 'Simulate customer payment' })).toBeNull();
  });

  it('awaiting_scan: the QR of exactly the order, waiting text, countdown, amount, order number', async () => {
    const { container, onSimulatePay } = renderSale({ state: 'awaiting_scan', activity: 'waiting', goodsName: 'Milk tea' });
    const img = await screen.findByRole('img', { name: 'The QR code is on the customer display' });
    expect(img.getAttribute('data-qr')).toBe(QR_TEXT);
    expect(img.getAttribute('src')).toMatch(/^data:image\/svg\+xml/);
    expect(qrImages(container)).toHaveLength(1);
    expect(screen.getByRole('status').textContent).toBe('Waiting for the customer to scan');
    expect(screen.getByText(/^QR code expires in (5:00|4:59)$/)).toBeTruthy();
    expect(screen.getByText('HK$12.30')).toBeTruthy();
    expect(screen.getByText('Milk tea')).toBeTruthy();
    expect(screen.getByText('Order TILL-01-S0001')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Simulate customer payment' }));
    expect(onSimulatePay).toHaveBeenCalledTimes(1);
  });

  it('awaiting_scan outside training mode has no simulate button', async () => {
    renderSale({ state: 'awaiting_scan' }, { training: false });
    await screen.findByRole('img');
    expect(screen.queryByRole('button', { name: 'Simulate customer payment' })).toBeNull();
  });

  it('unknown: "checking payment…", never "failed", and no QR', () => {
    const { container } = renderSale({ state: 'unknown', activity: 'checking', ...noQr });
    expect(stateOf(container)).toBe('unknown');
    expect(screen.getByRole('status').textContent).toBe('Checking payment…');
    expect(screen.queryByText(/failed/i)).toBeNull();
    expect(qrImages(container)).toHaveLength(0);
  });

  it('awaiting_scan while a query is unanswered also says "checking payment…"', () => {
    renderSale({ state: 'awaiting_scan', activity: 'checking' });
    expect(screen.getByRole('status').textContent).toBe('Checking payment…');
  });

  it('customer_paying (1143/1145): "the customer is paying…"', () => {
    renderSale({ state: 'awaiting_scan', activity: 'customer_paying' });
    expect(screen.getByRole('status').textContent).toBe('The customer is paying…');
  });

  it('cancelling: the QR is gone and there is no second Cancel', () => {
    const { container } = renderSale({ state: 'cancelling', activity: 'cancelling', ...noQr });
    expect(screen.getByRole('status').textContent).toBe('Cancelling… (QR code hidden)');
    expect(qrImages(container)).toHaveLength(0);
    expect(screen.queryByRole('button', { name: /Cancel/ })).toBeNull();
  });
});

describe('SalePanel final states', () => {
  const final = { activity: 'none', ...noQr } as const;

  it('paid: large "Paid", the amount, the time, the QFPay number, and New sale', () => {
    const { container, onNewSale } = renderSale({ ...final, state: 'paid', paidAtMs: Date.UTC(2026, 10, 26, 4, 5, 6), syssn: '20261126000000001' });
    expect(stateOf(container)).toBe('paid');
    expect(container.querySelector('.sale-paid')).not.toBeNull();
    expect(screen.getByRole('heading', { name: 'Paid' })).toBeTruthy();
    expect(screen.getByText('HK$12.30')).toBeTruthy();
    expect(screen.getByText(/^Paid at \d\d:\d\d:\d\d$/)).toBeTruthy();
    expect(screen.getByText('QFPay no. 20261126000000001')).toBeTruthy();
    expect(qrImages(container)).toHaveLength(0);
    expect(screen.queryByRole('alert')).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: /New sale/ }));
    expect(onNewSale).toHaveBeenCalledTimes(1);
  });

  it('paid after a cancel: the loud alarm with what to do', () => {
    const { container } = renderSale({ ...final, state: 'paid', paidAfterCancel: true, cancelReason: 'cashier', paidAtMs: Date.now(), syssn: '1' });
    expect(container.querySelector('.sale-paid-after-cancel')).not.toBeNull();
    const alarm = screen.getByRole('alert');
    expect(alarm.textContent).toContain('THE CUSTOMER PAID BEFORE THE CANCEL TOOK EFFECT');
    expect(alarm.textContent).toContain('Hand over the goods, or refund the payment in History.');
    expect(screen.getByRole('heading', { name: 'Paid' })).toBeTruthy();
  });

  it('failed: the translated message for the respcd and what to do', () => {
    const { container } = renderSale({ ...final, state: 'failed', respcd: '1201' });
    expect(stateOf(container)).toBe('failed');
    expect(screen.getByRole('heading', { name: 'Payment failed' })).toBeTruthy();
    const message = container.querySelector('.final-message')!;
    expect(message.getAttribute('data-respcd')).toBe('1201');
    expect(message.textContent).toBe("Customer's balance is too low Ask the customer to pay another way.");
  });

  it('failed: the respcd message in the cashier\'s language', async () => {
    await useLanguage('zh-Hant');
    try {
      const { container } = renderSale({ ...final, state: 'failed', respcd: '1201' }, { language: 'zh-Hant' });
      expect(screen.getByRole('heading', { name: '付款失敗' })).toBeTruthy();
      expect(container.querySelector('.final-message')!.textContent).toBe('顧客餘額不足 請顧客改用其他付款方式。');
    } finally {
      await useLanguage('en');
    }
  });

  it('failed because no QR could be shown: says nothing was charged', () => {
    renderSale({ ...final, state: 'failed', cancelReason: 'no_qr' });
    expect(screen.getByText('The QR code could not be shown. Nothing was charged: charge again.')).toBeTruthy();
  });

  it('expired: nothing was charged', () => {
    const { container } = renderSale({ ...final, state: 'expired', cancelReason: 'expiry' });
    expect(stateOf(container)).toBe('expired');
    expect(screen.getByRole('heading', { name: 'QR code expired — nothing was charged' })).toBeTruthy();
    expect(qrImages(container)).toHaveLength(0);
  });

  it('cancelled: nothing was charged', () => {
    const { container } = renderSale({ ...final, state: 'cancelled', cancelReason: 'cashier' });
    expect(stateOf(container)).toBe('cancelled');
    expect(screen.getByRole('heading', { name: 'Sale cancelled — nothing was charged' })).toBeTruthy();
    expect(screen.getByText('HK$12.30')).toBeTruthy();
    expect(qrImages(container)).toHaveLength(0);
  });

  it('no final screen offers Cancel or the simulate button', () => {
    for (const state of ['paid', 'failed', 'expired', 'cancelled'] as const) {
      renderSale({ ...final, state });
      expect(screen.queryByRole('button', { name: /Cancel/ })).toBeNull();
      expect(screen.queryByRole('button', { name: 'Simulate customer payment' })).toBeNull();
      cleanup();
    }
  });
});

describe('SalePanel for a scanned code (consumer-presented, issue 13)', () => {
  const cpm = { payType: '800208', authCodeMasked: '**************6789', ...noQr } as const;
  const status = () => screen.getByRole('status').textContent;

  it('sending, then waiting for the customer to confirm on their phone: no QR, no simulate button, the code masked', () => {
    const { rerender, container } = renderSale({ ...cpm, state: 'requesting', activity: 'creating' });
    expect(status()).toBe("Sending the customer's code to QFPay…");
    rerender(<SalePanel sale={saleView({ ...cpm, state: 'awaiting_scan', activity: 'customer_paying', expiresAtMs: Date.now() + 60_000 })} language="en" training busy={false} onCancel={vi.fn()} onSimulatePay={vi.fn()} onNewSale={vi.fn()} />);
    expect(status()).toBe('Waiting for the customer to confirm on their phone');
    // Its deadline is the wallet's window, after which the till reverses it: not a QR's expiry.
    expect(container.querySelector('.countdown')!.textContent).toMatch(/^Reversed automatically in \d+:\d\d unless the customer confirms$/);
    expect(qrImages(container)).toHaveLength(0);
    expect(screen.queryByRole('button', { name: 'Simulate customer payment' })).toBeNull();
    expect(screen.getByTestId('sale-code').textContent).toBe('Code **************6789');
    expect(container.textContent).not.toContain('134567890123456789');
  });

  it('reversing: says nothing is charged unless QFPay says paid, and offers no second cancel', () => {
    renderSale({ ...cpm, state: 'cancelling', activity: 'cancelling' });
    expect(status()).toBe('Reversing… (nothing is charged unless QFPay says it was paid)');
    expect(screen.queryByRole('button', { name: /Cancel/ })).toBeNull();
  });

  it('reversed: "Reversed — nothing was charged"; failed (insufficient balance): the respcd in the till\'s language; paid: the code on the paid screen', () => {
    const { rerender } = renderSale({ ...cpm, state: 'cancelled', activity: 'none' });
    expect(screen.getByRole('heading').textContent).toBe('Reversed — nothing was charged');
    rerender(<SalePanel sale={saleView({ ...cpm, state: 'failed', activity: 'none', respcd: '1201' })} language="zh-Hant" training busy={false} onCancel={vi.fn()} onSimulatePay={vi.fn()} onNewSale={vi.fn()} />);
    expect(document.querySelector('[data-respcd="1201"] strong')?.textContent).toBe('顧客餘額不足');
    rerender(<SalePanel sale={saleView({ ...cpm, state: 'paid', activity: 'none', paidAtMs: T0, syssn: '20261126000123' })} language="en" training busy={false} onCancel={vi.fn()} onSimulatePay={vi.fn()} onNewSale={vi.fn()} />);
    expect(screen.getByRole('heading').textContent).toBe('Paid');
    expect(screen.getByTestId('sale-code').textContent).toBe('Code **************6789');
  });

  it("a QR sale names its wallet beside the QR (an Alipay QR is not a WeChat one)", () => {
    renderSale({ payType: '800101' });
    expect(screen.getByTestId('sale-wallet').textContent).toBe('Alipay');
  });

  it('a QR sale cancelled still reads "Sale cancelled", not reversed', () => {
    renderSale({ state: 'cancelled', activity: 'none', ...noQr });
    expect(screen.getByRole('heading').textContent).toBe('Sale cancelled — nothing was charged');
  });
});
