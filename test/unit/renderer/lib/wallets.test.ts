// @vitest-environment jsdom
import { beforeEach, describe, expect, it } from 'vitest';
import { MPM_PAY_TYPES, PAY_TYPES } from '../../../../shared/pay-types';
import { QR_WALLETS, WALLET_COLOURS, counterWallets, defaultWallet, rememberWallet, walletName } from '../../../../renderer/lib/wallets';

// The wallet the counter offers first: the last one charged on this machine
// while it is still enabled, else the first enabled. And every wallet's
// colours read at 4.5:1 (the customer display's axe check).

beforeEach(() => localStorage.clear());

function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
  return 0.2126 * r! + 0.7152 * g! + 0.0722 * b!;
}

describe('wallets', () => {
  it('the first enabled wallet when none was used; the last used while it stays enabled', () => {
    expect(defaultWallet(['800201', '800101'])).toBe('800201');
    rememberWallet('800101');
    expect(defaultWallet(['800201', '800101'])).toBe('800101');
    expect(defaultWallet(['800201', '802001'])).toBe('800201');
  });

  it('a remembered value that is not an enabled wallet is ignored', () => {
    localStorage.setItem('till.lastWallet', 'not a pay type');
    expect(defaultWallet(['800101'])).toBe('800101');
  });

  it('counterWallets keeps only QR pay types, WeChat first whatever order they were saved in', () => {
    expect(counterWallets(['800101', '800208', '800201', 'cash'])).toEqual(['800201', '800101']);
  });

  it('QR_WALLETS: every QR pay type once, WeChat first, the two Alipays together', () => {
    expect(QR_WALLETS.slice(0, 3)).toEqual(['800201', '800101', '801501']);
    expect([...QR_WALLETS].sort()).toEqual([...MPM_PAY_TYPES].sort());
  });

  it('names: AlipayHK apart from Alipay; a missing pay type is WeChat', () => {
    expect(walletName('801501')).toBe('alipayhk');
    expect(walletName('800101')).toBe('alipay');
    expect(walletName(undefined)).toBe('wechat');
    expect(walletName('802001')).toBe('fps');
  });

  it('every wallet has colours, each pair at 4.5:1 or better', () => {
    for (const payType of Object.keys(PAY_TYPES)) {
      const { bg, fg } = WALLET_COLOURS[walletName(payType)];
      const [hi, lo] = [luminance(bg), luminance(fg)].sort((a, b) => b - a);
      expect((hi! + 0.05) / (lo! + 0.05), payType).toBeGreaterThanOrEqual(4.5);
    }
  });
});
