import { describe, expect, it } from 'vitest';
import { MPM_PAY_TYPES } from '../../../../shared/pay-types';
import { PAY_TYPES, authCodeFits, isPayType, payTypeForAuthCode, payTypeInfo, walletOfAuthCode } from '../../../../electron/qfpay/pay-types';

// The one pay-type table, and how a scanned code picks its pay type.

describe('the pay-type table', () => {
  it('lists every pay type API.md names, each with its wallet and who presents the code', () => {
    expect(Object.keys(PAY_TYPES).sort()).toEqual(['800008', '800101', '800108', '800201', '800208', '800701', '801501', '802001', '805801']);
    expect(Object.values(PAY_TYPES).filter((t) => t.presented === 'consumer').length).toBe(3);
  });

  it('cancels WeChat MPM by close, Alipay and every consumer-presented order by reversal', () => {
    expect(PAY_TYPES['800201'].cancel).toBe('close');
    for (const code of ['800101', '801501', '800108', '800208', '800008'] as const) expect(PAY_TYPES[code].cancel).toBe('reversal');
  });

  it('offers WeChat first among the merchant-presented wallets (the default when none is chosen)', () => {
    expect(MPM_PAY_TYPES[0]).toBe('800201');
    expect([...MPM_PAY_TYPES].sort()).toEqual(['800101', '800201', '800701', '801501', '802001', '805801']);
  });

  it('refuses refunds for FPS only', () => {
    const unrefundable = Object.entries(PAY_TYPES).filter(([, t]) => !t.refundable).map(([code]) => code);
    expect(unrefundable).toEqual(['802001']);
  });

  it('gives every merchant-presented type a QR prefix and a prompt in three languages, consumer-presented none', () => {
    for (const info of Object.values(PAY_TYPES)) {
      expect('qrPrefix' in info).toBe(info.presented === 'merchant');
      expect(Object.keys(info.prompt).sort()).toEqual(['en', 'zh-Hans', 'zh-Hant']);
    }
    expect(PAY_TYPES['801501'].prompt['zh-Hant']).toContain('支付寶');
  });

  it('does not find prototype names as pay types', () => {
    expect(isPayType('toString')).toBe(false);
    expect(payTypeInfo('__proto__')).toBeUndefined();
  });
});

describe('payTypeForAuthCode', () => {
  it.each([
    ['100000000000000000', 'wechat', '800208'],
    ['134567890123456789', 'wechat', '800208'],
    ['159999999999999999', 'wechat', '800208'],
    ['250000000000000000', 'alipay', '800108'],
    ['286543210987654321', 'alipay', '800108'],
    ['301234567890123456', 'alipay', '800108'],
  ])('%s is %s, paid as %s (or 800008 with the unified code)', (code, wallet, payType) => {
    expect(walletOfAuthCode(code)).toBe(wallet);
    expect(payTypeForAuthCode(code, false)).toBe(payType);
    expect(payTypeForAuthCode(code, true)).toBe('800008');
  });

  it.each(['090000000000000000', '160000000000000000', '240000000000000000', '310000000000000000', '', '1', 'ab3456789012345678'])(
    '%j belongs to neither wallet: no pay type, even with the unified code',
    (code) => {
      expect(walletOfAuthCode(code)).toBeUndefined();
      expect(payTypeForAuthCode(code, false)).toBeUndefined();
      expect(payTypeForAuthCode(code, true)).toBeUndefined();
    },
  );
});

describe('authCodeFits', () => {
  it('takes a wallet\'s own codes, any wallet\'s for 800008, and none for a merchant-presented type', () => {
    expect(authCodeFits('800208', '134567890123456789')).toBe(true);
    expect(authCodeFits('800208', '286543210987654321')).toBe(false);
    expect(authCodeFits('800108', '286543210987654321')).toBe(true);
    expect(authCodeFits('800108', '134567890123456789')).toBe(false);
    expect(authCodeFits('800008', '134567890123456789')).toBe(true);
    expect(authCodeFits('800008', '286543210987654321')).toBe(true);
    expect(authCodeFits('800201', '134567890123456789')).toBe(false);
    expect(authCodeFits('999999', '134567890123456789')).toBe(false);
  });
});
