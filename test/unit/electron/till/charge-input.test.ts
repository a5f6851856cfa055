import { describe, expect, it } from 'vitest';
import { OPEN_PAYMENT_SETTINGS, checkAuthCode, checkChargeInput, checkMpmPayType, checkRealNameInput, type PaymentSettings } from '../../../../electron/till/charge-input';

// What a charge must pass before anything is written: the wallet the
// merchant enabled, the scanned code's pay type, the real-name check; every
// refusal names its field and never echoes a personal value.

const SETTINGS: PaymentSettings = { mpmPayTypes: ['800201', '801501'], realNamePayTypes: ['800208'], unifiedCpm: false, cpmWindowSeconds: 60 };
const REAL_NAME = { idCardNumber: '110101199003071233', name: '欧阳小明' };

describe('the merchant-presented wallet', () => {
  it('absent: the first wallet enabled; the command line offers WeChat first', () => {
    expect(checkMpmPayType(undefined, { ...SETTINGS, mpmPayTypes: ['805801', '800201'] })).toEqual({ ok: true, value: '805801' });
    expect(checkMpmPayType(undefined, OPEN_PAYMENT_SETTINGS)).toEqual({ ok: true, value: '800201' });
  });

  it('an enabled wallet passes; one not enabled is pay_type_disabled; a CPM or unknown pay type is invalid', () => {
    expect(checkMpmPayType('801501', SETTINGS)).toEqual({ ok: true, value: '801501' });
    expect(checkMpmPayType('802001', SETTINGS)).toMatchObject({ ok: false, error: { code: 'pay_type_disabled', field: 'pay_type' } });
    expect(checkMpmPayType('800208', SETTINGS)).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'pay_type' } });
    expect(checkMpmPayType(800201, SETTINGS)).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'pay_type' } });
  });
});

describe('a scanned code', () => {
  it('picks WeChat for 10–15, Alipay for 25–30, 800008 for both with the unified code', () => {
    expect(checkAuthCode('134567890123456789', undefined, SETTINGS)).toEqual({ ok: true, value: '800208' });
    expect(checkAuthCode('284567890123456789', undefined, SETTINGS)).toEqual({ ok: true, value: '800108' });
    expect(checkAuthCode('284567890123456789', undefined, { ...SETTINGS, unifiedCpm: true })).toEqual({ ok: true, value: '800008' });
  });

  it('refuses a code of neither wallet, a malformed code, a pay type the code does not fit — without echoing the code', () => {
    for (const [code, payType, field] of [
      ['991234567890123456', undefined, 'auth_code'],
      ['1345', undefined, 'auth_code'],
      ['13456789012345678a', undefined, 'auth_code'],
      ['134567890123456789', '800108', 'auth_code'],
      ['134567890123456789', '800201', 'pay_type'],
    ] as const) {
      const checked = checkAuthCode(code, payType, SETTINGS);
      expect(checked).toMatchObject({ ok: false, error: { code: 'invalid_input', field } });
      expect(JSON.stringify(checked)).not.toContain(code);
    }
    expect(checkAuthCode(1345678901, undefined, SETTINGS)).toMatchObject({ ok: false, error: { field: 'auth_code' } });
  });
});

describe('the real-name check', () => {
  it('absent passes; only for pay types enabled in Settings', () => {
    expect(checkRealNameInput(undefined, '800201', SETTINGS)).toEqual({ ok: true, value: undefined });
    expect(checkRealNameInput(REAL_NAME, '800208', SETTINGS)).toEqual({ ok: true, value: REAL_NAME });
    expect(checkRealNameInput(REAL_NAME, '800201', SETTINGS)).toMatchObject({ ok: false, error: { code: 'pay_type_disabled', field: 'realName' } });
  });

  it('names the problem, never the value', () => {
    const cases = [
      [{ idCardNumber: '11010119900307123', name: '欧阳小明' }, 'id_format'],
      [{ idCardNumber: '110101199003071234', name: '欧阳小明' }, 'id_checksum'],
      [{ idCardNumber: '110101199003071233', name: '<b>' }, 'name_format'],
    ] as const;
    for (const [realName, problem] of cases) {
      const checked = checkRealNameInput(realName, '800208', SETTINGS);
      expect(checked).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'realName', problem } });
      expect(JSON.stringify(checked)).not.toContain(realName.idCardNumber);
      expect(JSON.stringify(checked)).not.toContain(realName.name);
    }
    expect(checkRealNameInput({ idCardNumber: 1 }, '800208', SETTINGS)).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'realName' } });
  });
});

describe('amount, currency, note', () => {
  it('checks the types first, then the wire rules', () => {
    expect(checkChargeInput({ amountMinor: 1230, currency: 'HKD' }, 30)).toEqual({ ok: true, value: { currency: 'HKD', expiredMinutes: 30 } });
    expect(checkChargeInput({ amountMinor: '1230' as unknown as number, currency: 'HKD' }, 30)).toMatchObject({ ok: false, error: { field: 'txamt' } });
    expect(checkChargeInput({ amountMinor: 1230, currency: 'XXX' }, 30)).toMatchObject({ ok: false, error: { field: 'txcurrcd' } });
  });
});
