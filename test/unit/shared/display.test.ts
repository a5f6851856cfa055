import { describe, expect, it } from 'vitest';
import { COUNTDOWN_FROM_MS, acceptedWallets, displayStateFor, qrTimeLeft } from '../../../shared/display';
import type { SaleView } from '../../../shared/sale';

// The customer display's state: the amount typed when no sale is up, and a
// QR's time left that never exceeds its lifetime whatever the clocks say.

const T0 = 1_800_000_000_000;
const awaiting = (overrides: Partial<SaleView> = {}): SaleView => ({
  outTradeNo: 'S-1',
  amountMinor: 990,
  currency: 'HKD',
  goodsName: null,
  state: 'awaiting_scan',
  activity: 'waiting',
  qrcode: 'weixin://wxpay/QR',
  expiresAtMs: T0 + 30 * 60_000,
  createdAtMs: T0,
  paidAtMs: null,
  syssn: null,
  respcd: null,
  paidAfterCancel: false,
  cancelReason: null,
  refundedMinor: 0,
  training: false,
  ...overrides,
});

describe('displayStateFor', () => {
  it('no sale: the amount being typed (due), else idle; both name the wallets the shop takes', () => {
    const wallets = acceptedWallets(['800201', '805801']);
    expect(displayStateFor(undefined, 'Shop', false, 'zh-Hant', T0, { amountMinor: 1230, currency: 'HKD' }, wallets)).toEqual({ kind: 'due', merchantName: 'Shop', training: false, amountMinor: 1230, currency: 'HKD', wallets: ['wechat', 'payme', 'alipay'] });
    expect(displayStateFor(undefined, 'Shop', false, 'zh-Hant', T0, undefined, wallets)).toEqual({ kind: 'idle', merchantName: 'Shop', training: false, wallets: ['wechat', 'payme', 'alipay'] });
  });

  it('a sale the customer cannot act on (requesting, unknown, cancelling) shows idle with the wallets too', () => {
    for (const state of ['requesting', 'unknown', 'cancelling'] as const) {
      expect(displayStateFor(awaiting({ state, qrcode: null }), 'Shop', false, 'zh-Hant', T0, undefined, ['wechat', 'alipay', 'unionpay'])).toEqual({ kind: 'idle', merchantName: 'Shop', training: false, wallets: ['wechat', 'alipay', 'unionpay'] });
    }
  });

  it('a sale on screen wins over a typed amount', () => {
    expect(displayStateFor(awaiting(), 'Shop', false, 'zh-Hant', T0, { amountMinor: 5, currency: 'HKD' }).kind).toBe('qr');
  });

  it('the QR carries its lifetime and its time left, clamped to [0, lifetime]', () => {
    expect(displayStateFor(awaiting(), 'Shop', false, 'zh-Hant', T0 + 60_000)).toMatchObject({ lifetimeMs: 30 * 60_000, remainingMs: 29 * 60_000 });
    // A clock behind the sale's creation (it showed 30:01): never more than the lifetime.
    expect(displayStateFor(awaiting(), 'Shop', false, 'zh-Hant', T0 - 1_000)).toMatchObject({ remainingMs: 30 * 60_000 });
    expect(displayStateFor(awaiting(), 'Shop', false, 'zh-Hant', T0 + 31 * 60_000)).toMatchObject({ remainingMs: 0 });
  });
});

describe('acceptedWallets', () => {
  it('WeChat first, then the enabled QR wallets in settings order, each wallet once (AlipayHK is Alipay), then the scanned-only ones', () => {
    expect(acceptedWallets(['800201'])).toEqual(['wechat', 'alipay']);
    expect(acceptedWallets(['800201', '801501', '800101', '805801', '800701', '802001'])).toEqual(['wechat', 'alipay', 'payme', 'unionpay', 'fps']);
    expect(acceptedWallets(['802001', '805801', '800201'])).toEqual(['wechat', 'fps', 'payme', 'alipay']);
    expect(acceptedWallets(['805801', '801501'])).toEqual(['wechat', 'payme', 'alipay']);
  });

  it('scanned codes are WeChat or Alipay: both always; the unified code and unknown pay types name no wallet', () => {
    expect(acceptedWallets([])).toEqual(['wechat', 'alipay']);
    expect(acceptedWallets(['800008', '800208', '800108', '999999'])).toEqual(['wechat', 'alipay']);
  });
});

describe('qrTimeLeft', () => {
  it('counts down from when the display received the state, within [0, lifetime]', () => {
    const qr = { remainingMs: 90_000, lifetimeMs: 120_000 };
    expect(qrTimeLeft(qr, 0)).toBe(90_000);
    expect(qrTimeLeft(qr, 30_000)).toBe(60_000);
    expect(qrTimeLeft(qr, 200_000)).toBe(0);
    // A display clock that jumped backwards does not add time.
    expect(qrTimeLeft(qr, -60_000)).toBe(90_000);
    expect(qrTimeLeft({ remainingMs: 200_000, lifetimeMs: 120_000 }, 0)).toBe(120_000);
  });

  it('the countdown threshold is two minutes', () => {
    expect(COUNTDOWN_FROM_MS).toBe(120_000);
  });
});
