// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DisplayState } from '../../../../shared/display';
import { CustomerApp, CustomerScreen } from '../../../../renderer/customer/CustomerApp';
import { DISPLAY_STATES, QR_TEXT, displayBase, installFakeTill } from '../support/fixtures';

// The customer display shows a QR only for a QR state: never for paid,
// closed (cancelled, expired, failed) or idle, and never past its expiry.

afterEach(cleanup);

const closedStates: DisplayState[] = (['cancelled', 'expired', 'failed'] as const).map((reason) => ({ kind: 'closed', ...displayBase, reason }));

describe('CustomerScreen', () => {
  it('qr: the QR image of exactly the order, the amount, "scan with WeChat" in both languages, the countdown', async () => {
    const { container } = render(<CustomerScreen state={DISPLAY_STATES.qr} now={Date.now()} />);
    const img = await screen.findByRole('img');
    expect(img.getAttribute('data-qr')).toBe(QR_TEXT);
    expect(img.getAttribute('alt')).toBe('請用微信掃一掃 / Scan with WeChat');
    expect(container.querySelectorAll('img')).toHaveLength(1);
    expect(screen.getByTestId('customer-amount').textContent).toBe('HK$12.30');
    expect(screen.getByText('Scan with WeChat')).toBeTruthy();
    expect(screen.getByText('請用微信掃一掃')).toBeTruthy();
    expect(screen.getByText(/^Expires in (5:00|4:59)$/)).toBeTruthy();
  });

  for (const state of [DISPLAY_STATES.paid, DISPLAY_STATES.idle, ...closedStates]) {
    const name = state.kind === 'closed' ? `closed (${state.reason})` : state.kind;
    it(`${name}: never an <img> QR`, async () => {
      const { container } = render(<CustomerScreen state={state} now={Date.now()} />);
      // Give an async QR render every chance to appear.
      await act(async () => new Promise((ok) => setTimeout(ok, 20)));
      expect(container.querySelectorAll('img')).toHaveLength(0);
      expect(container.querySelector('[data-qr]')).toBeNull();
      expect(container.textContent).not.toContain(QR_TEXT);
    });
  }

  it('a till set to Simplified Chinese shows Simplified beside English, Traditional otherwise', async () => {
    render(<CustomerScreen state={{ ...DISPLAY_STATES.qr, chinese: 'zh-Hans' }} now={Date.now()} />);
    expect(screen.getByText('请用微信扫一扫')).toBeTruthy();
    expect(screen.queryByText('請用微信掃一掃')).toBeNull();
    expect(screen.getByText('Scan with WeChat')).toBeTruthy();
  });

  it('paid: a tick, the amount and "paid" in both languages', () => {
    render(<CustomerScreen state={DISPLAY_STATES.paid} now={Date.now()} />);
    expect(screen.getByText('✓')).toBeTruthy();
    expect(screen.getByText('Paid — thank you')).toBeTruthy();
    expect(screen.getByText('HK$12.30')).toBeTruthy();
  });

  it('closed: says why, in both languages', () => {
    render(<CustomerScreen state={closedStates[1]!} now={Date.now()} />);
    expect(screen.getByText('QR code expired')).toBeTruthy();
  });

  it('idle: the merchant name and "WeChat Pay accepted"', () => {
    render(<CustomerScreen state={DISPLAY_STATES.idle} now={Date.now()} />);
    expect(screen.getByText('Chan Kee')).toBeTruthy();
    expect(screen.getByText('WeChat Pay accepted')).toBeTruthy();
    expect(screen.getByText('接受微信支付')).toBeTruthy();
  });

  it('training shows the banner in both languages', () => {
    render(<CustomerScreen state={{ ...DISPLAY_STATES.idle, training: true } as DisplayState} now={Date.now()} />);
    expect(screen.getByText('TRAINING — not a real payment')).toBeTruthy();
  });
});

describe('CustomerApp', () => {
  it('takes the QR down as soon as main says paid', async () => {
    const till = installFakeTill();
    till.answer('displayState', async () => ({ ok: true, value: DISPLAY_STATES.qr }));
    const { container } = render(<CustomerApp />);
    await waitFor(() => expect(container.querySelectorAll('img')).toHaveLength(1));
    act(() => till.emit('onDisplay', DISPLAY_STATES.paid));
    expect(container.querySelectorAll('img')).toHaveLength(0);
    expect(container.querySelector('[data-state="paid"]')).not.toBeNull();
  });

  it('never shows a QR past its expiry, even before main says so', async () => {
    const till = installFakeTill();
    till.answer('displayState', async () => ({ ok: true, value: { ...DISPLAY_STATES.qr, expiresAtMs: Date.now() - 1 } as DisplayState }));
    const { container } = render(<CustomerApp />);
    await waitFor(() => expect(container.querySelector('[data-state="closed"]')).not.toBeNull());
    await act(async () => new Promise((ok) => setTimeout(ok, 20)));
    expect(container.querySelectorAll('img')).toHaveLength(0);
    expect(screen.getByText('QR code expired')).toBeTruthy();
  });
});
