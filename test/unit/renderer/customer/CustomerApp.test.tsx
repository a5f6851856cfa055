// @vitest-environment jsdom
import { act, cleanup, render, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { DisplayState } from '../../../../shared/display';
import { CustomerApp, CustomerScreen } from '../../../../renderer/customer/CustomerApp';
import { DISPLAY_STATES, QR_TEXT, displayBase, installFakeTill } from '../support/fixtures';

// The customer display shows a QR only for a QR state: never for paid,
// closed (cancelled, expired, failed) or idle, and never past its expiry.

afterEach(cleanup);

const closedStates: DisplayState[] = (['cancelled', 'expired', 'failed'] as const).map((reason) => ({ kind: 'closed', ...displayBase, reason }));

describe('CustomerScreen', () => {
  it('qr: the QR image of exactly the order, the amount, "scan with WeChat" in both languages, the countdown', async () => {
    const { container } = render(<CustomerScreen state={DISPLAY_STATES.qr} />);
    const img = await screen.findByRole('img');
    expect(img.getAttribute('data-qr')).toBe(QR_TEXT);
    expect(img.getAttribute('alt')).toBe('請用微信掃一掃 / Scan with WeChat');
    expect(container.querySelectorAll('img')).toHaveLength(1);
    expect(screen.getByTestId('customer-amount').textContent).toBe('HK$12.30');
    expect(screen.getByText('Scan with WeChat')).toBeTruthy();
    expect(screen.getByText('請用微信掃一掃')).toBeTruthy();
    // Five minutes left: no countdown yet (it shows only in the last two).
    expect(screen.getByTestId('customer-countdown').getAttribute('aria-hidden')).toBe('true');
  });

  it('the countdown shows only in the last 2 minutes, from when the display received the QR', () => {
    const qr = { ...DISPLAY_STATES.qr, remainingMs: 150_000 } as DisplayState;
    const { rerender } = render(<CustomerScreen state={qr} elapsedMs={0} />);
    expect(screen.getByTestId('customer-countdown').className).toContain('c-hidden');
    rerender(<CustomerScreen state={qr} elapsedMs={31_000} />);
    expect(screen.getByTestId('customer-countdown').className).not.toContain('c-hidden');
    expect(screen.getByTestId('customer-countdown').getAttribute('aria-hidden')).toBeNull();
    expect(screen.getByText('Expires in 1:59')).toBeTruthy();
  });

  it('never counts down from more than the QR lives (it once showed 30:01), whatever the clocks say', () => {
    // main measured 31 minutes left on a 2-minute QR (a clock step): the display trusts neither.
    const qr = { ...DISPLAY_STATES.qr, expiresAtMs: Date.now() + 31 * 60_000, remainingMs: 31 * 60_000, lifetimeMs: 2 * 60_000 } as DisplayState;
    render(<CustomerScreen state={qr} elapsedMs={0} />);
    expect(screen.getByText('Expires in 2:00')).toBeTruthy();
  });

  it('due: while the cashier types, the amount due and the shop name, no QR', () => {
    const { container } = render(<CustomerScreen state={DISPLAY_STATES.due} />);
    expect(container.querySelector('[data-state="due"]')).not.toBeNull();
    expect(screen.getByTestId('customer-due').textContent).toBe('HK$12.30');
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Chan Kee');
    expect(screen.getByText('Amount due')).toBeTruthy();
    expect(screen.getByText('應付金額')).toBeTruthy();
    expect(container.querySelectorAll('img')).toHaveLength(0);
  });

  it.each([
    ['cancelled', 'Payment cancelled', 'Nothing was charged', '未有收費'],
    ['expired', 'QR code expired', 'Nothing was charged — ask the cashier for a new code', '未有收費 — 請向收銀員索取新的二維碼'],
    ['failed', 'Payment not completed', 'Nothing was charged — please pay another way', '未有收費 — 請改用其他方式付款'],
  ] as const)('closed (%s): the shop name, what happened and what to do next, in both languages', (reason, what, next, zhNext) => {
    render(<CustomerScreen state={{ kind: 'closed', ...displayBase, reason }} />);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Chan Kee');
    expect(screen.getByText(what)).toBeTruthy();
    expect(screen.getByText(next)).toBeTruthy();
    expect(screen.getByText(zhNext)).toBeTruthy();
  });

  it('every screen has one h1 (the shop name, or a screen-reader title without one)', () => {
    for (const state of [...Object.values(DISPLAY_STATES), { ...DISPLAY_STATES.idle, merchantName: '' } as DisplayState]) {
      const { container, unmount } = render(<CustomerScreen state={state} />);
      const h1s = container.querySelectorAll('h1');
      expect(h1s, state.kind).toHaveLength(1);
      expect(h1s[0]!.textContent, state.kind).toBe(state.merchantName || '顧客顯示屏 / Customer display');
      unmount();
    }
  });

  for (const state of [DISPLAY_STATES.paid, DISPLAY_STATES.idle, DISPLAY_STATES.due, ...closedStates]) {
    const name = state.kind === 'closed' ? `closed (${state.reason})` : state.kind;
    it(`${name}: never an <img> QR`, async () => {
      const { container } = render(<CustomerScreen state={state} />);
      // Give an async QR render every chance to appear.
      await act(async () => new Promise((ok) => setTimeout(ok, 20)));
      expect(container.querySelectorAll('img')).toHaveLength(0);
      expect(container.querySelector('[data-qr]')).toBeNull();
      expect(container.textContent).not.toContain(QR_TEXT);
    });
  }

  it('a till set to Simplified Chinese shows Simplified beside English, Traditional otherwise', async () => {
    render(<CustomerScreen state={{ ...DISPLAY_STATES.qr, chinese: 'zh-Hans' }} />);
    expect(screen.getByText('请用微信扫一扫')).toBeTruthy();
    expect(screen.queryByText('請用微信掃一掃')).toBeNull();
    expect(screen.getByText('Scan with WeChat')).toBeTruthy();
  });

  it('paid: a tick, the amount and "paid" in both languages', () => {
    render(<CustomerScreen state={DISPLAY_STATES.paid} />);
    expect(screen.getByText('✓')).toBeTruthy();
    expect(screen.getByText('Paid — thank you')).toBeTruthy();
    expect(screen.getByText('HK$12.30')).toBeTruthy();
  });

  it('closed: says why, in both languages', () => {
    render(<CustomerScreen state={closedStates[1]!} />);
    expect(screen.getByText('QR code expired')).toBeTruthy();
  });

  it('idle: the merchant name and every wallet the shop takes, in order, each in both languages on its brand colour', () => {
    const { container } = render(<CustomerScreen state={DISPLAY_STATES.idle} />);
    expect(screen.getByText('Chan Kee')).toBeTruthy();
    expect(screen.getByText('We accept')).toBeTruthy();
    expect(screen.getByText('本店接受')).toBeTruthy();
    const items = [...container.querySelectorAll<HTMLElement>('[data-testid="customer-wallets"] li')];
    expect(items.map((li) => [li.dataset.wallet, li.textContent])).toEqual([
      ['wechat', '微信支付WeChat Pay'],
      ['alipay', '支付寶Alipay'],
      ['payme', 'PayMe 電子錢包PayMe'],
      ['fps', '轉數快FPS'],
    ]);
    // Brand colours from renderer/lib/wallets.ts (jsdom reports them as rgb()).
    expect([items[0]!.style.background, items[0]!.style.color]).toEqual(['rgb(7, 193, 96)', 'rgb(11, 31, 20)']);
    expect(items[3]!.style.background).toBe('rgb(29, 60, 110)');
    // No more "WeChat Pay accepted" with WeChat's badge alone.
    expect(container.textContent).not.toContain('WeChat Pay accepted');
    expect(container.querySelector('.c-wechat-badge')).toBeNull();
  });

  it('idle on a till set to Simplified Chinese: the wallets in Simplified beside English', () => {
    render(<CustomerScreen state={{ ...DISPLAY_STATES.idle, chinese: 'zh-Hans' } as DisplayState} />);
    expect(screen.getByText('支付宝')).toBeTruthy();
    expect(screen.getByText('PayMe 电子钱包')).toBeTruthy();
    expect(screen.queryByText('支付寶')).toBeNull();
  });

  it('idle before main has said what the shop takes: no list and no "we accept" with nothing after it', () => {
    const { container } = render(<CustomerScreen state={{ ...DISPLAY_STATES.idle, wallets: [] } as DisplayState} />);
    expect(container.querySelector('[data-testid="customer-wallets"]')).toBeNull();
    expect(screen.queryByText('We accept')).toBeNull();
  });

  it('due: the wallets, small, under the amount', () => {
    const { container } = render(<CustomerScreen state={DISPLAY_STATES.due} />);
    const list = container.querySelector('[data-testid="customer-wallets"]')!;
    expect(list.className).toContain('c-wallets-compact');
    expect([...list.querySelectorAll('li')].map((li) => li.getAttribute('data-wallet'))).toEqual(['wechat', 'alipay']);
  });

  it('training shows the banner in both languages', () => {
    render(<CustomerScreen state={{ ...DISPLAY_STATES.idle, training: true } as DisplayState} />);
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

  it('back to idle by itself after "paid": still names the wallets main last said the shop takes', async () => {
    vi.useFakeTimers({ toFake: ['Date', 'setTimeout', 'setInterval', 'clearTimeout', 'clearInterval'] });
    try {
      const till = installFakeTill();
      till.answer('displayState', async () => ({ ok: true, value: DISPLAY_STATES.idle }));
      const { container } = render(<CustomerApp />);
      await act(async () => {});
      expect(container.querySelectorAll('[data-testid="customer-wallets"] li')).toHaveLength(4);
      act(() => till.emit('onDisplay', DISPLAY_STATES.paid));
      expect(container.querySelector('[data-state="paid"]')).not.toBeNull();
      act(() => vi.advanceTimersByTime(9_000));
      expect(container.querySelector('[data-state="idle"]')).not.toBeNull();
      expect([...container.querySelectorAll('[data-testid="customer-wallets"] li')].map((li) => li.getAttribute('data-wallet'))).toEqual(['wechat', 'alipay', 'payme', 'fps']);
    } finally {
      vi.useRealTimers();
    }
  });

  it('never shows a QR past its expiry, even before main says so', async () => {
    const till = installFakeTill();
    till.answer('displayState', async () => ({ ok: true, value: { ...DISPLAY_STATES.qr, expiresAtMs: Date.now() - 1, remainingMs: 0 } as DisplayState }));
    const { container } = render(<CustomerApp />);
    await waitFor(() => expect(container.querySelector('[data-state="closed"]')).not.toBeNull());
    await act(async () => new Promise((ok) => setTimeout(ok, 20)));
    expect(container.querySelectorAll('img')).toHaveLength(0);
    expect(screen.getByText('QR code expired')).toBeTruthy();
  });
});

describe('CustomerScreen, every way to pay (issue 13)', () => {
  const showCode: DisplayState = { kind: 'show_code', ...displayBase, amountMinor: 1230, currency: 'HKD', waiting: false };

  it('show_code: the amount, large, and "please show your payment code" in both languages; no QR', () => {
    const { container } = render(<CustomerScreen state={showCode} />);
    expect(screen.getByTestId('customer-code-amount').textContent).toBe('HK$12.30');
    expect(screen.getByText('請出示付款碼')).toBeTruthy();
    expect(screen.getByText('Please show your payment code')).toBeTruthy();
    expect(container.querySelectorAll('img')).toHaveLength(0);
    expect(container.querySelector('main')!.getAttribute('data-state')).toBe('show_code');
  });

  it('show_code waiting: "please confirm the payment on your phone" (Simplified when the till is), the wallet named', () => {
    render(<CustomerScreen state={{ ...showCode, waiting: true, payType: '800108', chinese: 'zh-Hans' }} />);
    expect(screen.getByText('请在手机上确认付款')).toBeTruthy();
    expect(screen.getByText('Please confirm the payment on your phone')).toBeTruthy();
    expect(screen.queryByText('Please show your payment code')).toBeNull();
    expect(document.querySelector('.c-wallet-mark')!.textContent).toBe('Alipay · 支付宝');
  });

  it("qr: an Alipay QR says the wallet's own prompt and shows its name on its colour", async () => {
    render(<CustomerScreen state={{ ...DISPLAY_STATES.qr, payType: '800101' } as DisplayState} />);
    expect(screen.getByText('Scan with Alipay')).toBeTruthy();
    expect(screen.getByText('請用支付寶掃一掃')).toBeTruthy();
    expect(screen.queryByText('Scan with WeChat')).toBeNull();
    expect((await screen.findByRole('img')).getAttribute('alt')).toBe('請用支付寶掃一掃 / Scan with Alipay');
    const mark = document.querySelector('.c-wallet-mark') as HTMLElement;
    expect(mark.textContent).toBe('Alipay · 支付寶');
    expect(mark.style.background).toBe('rgb(17, 98, 212)');
  });

  it('qr without a pay type (a state from before issue 13) is WeChat', () => {
    render(<CustomerScreen state={DISPLAY_STATES.qr} />);
    expect(document.querySelector('.c-wallet-mark')!.textContent).toBe('WeChat Pay · 微信支付');
  });
});
