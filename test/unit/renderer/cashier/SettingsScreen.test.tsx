// @vitest-environment jsdom
import { act, cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SettingsScreen, validateDraft } from '../../../../renderer/cashier/SettingsScreen';
import { en } from '../../../../renderer/i18n/en';
import { installFakeTill, settingsView, useLanguage, type FakeTill } from '../support/fixtures';

// Settings are checked as they are typed with the shared schema: every
// invalid value gives its own inline message and Save stays disabled, so
// nothing invalid reaches the till.

type Draft = Parameters<typeof validateDraft>[0];

const valid: Draft = {
  merchantName: 'Chan Kee',
  udid: 'TILL-01',
  defaultCurrency: 'HKD',
  qrExpiryMinutes: '30',
  tillsPerMerchant: '4',
  language: 'zh-Hant',
  customerDisplay: 'auto',
  businessDayCutoffHour: '4',
  timeZone: 'Asia/Hong_Kong',
  updateFeedUrl: '',
  rmbTag: false,
  verifyResponseSignature: false,
  paidChime: false,
};

describe('validateDraft', () => {
  it('the update address: empty (updates off) or an http(s) address; anything else is refused', () => {
    expect(validateDraft({ ...valid, updateFeedUrl: 'https://updates.example.com/till/' })).toEqual({});
    expect(validateDraft({ ...valid, updateFeedUrl: 'ftp://updates.example.com/' })).toEqual({ updateFeedUrl: 'invalid.updateFeedUrl' });
    expect(validateDraft({ ...valid, updateFeedUrl: 'updates.example.com' })).toEqual({ updateFeedUrl: 'invalid.updateFeedUrl' });
  });

  it('passes valid settings, including the edges of every range', () => {
    expect(validateDraft(valid)).toEqual({});
    for (const edge of [
      { qrExpiryMinutes: '5' },
      { qrExpiryMinutes: '120' },
      { tillsPerMerchant: '1' },
      { tillsPerMerchant: '100' },
      { businessDayCutoffHour: '0' },
      { businessDayCutoffHour: '23' },
      { udid: 'A' },
      { udid: 'a_b-C'.padEnd(40, '9') },
      { merchantName: '' },
      { merchantName: '陳'.repeat(40) },
      { timeZone: 'Europe/London' },
      { defaultCurrency: 'CNY', rmbTag: true },
      { defaultCurrency: 'JPY' },
      { customerDisplay: 'off' },
      { language: 'en' },
    ] satisfies Partial<Draft>[]) {
      expect(validateDraft({ ...valid, ...edge }), JSON.stringify(edge)).toEqual({});
    }
  });

  const invalid: [keyof Draft, Partial<Draft>][] = [
    ['udid', { udid: 'TILL 01' }],
    ['udid', { udid: '' }],
    ['udid', { udid: 'X'.repeat(41) }],
    ['udid', { udid: 'till/01' }],
    ['merchantName', { merchantName: 'x'.repeat(41) }],
    ['qrExpiryMinutes', { qrExpiryMinutes: '4' }],
    ['qrExpiryMinutes', { qrExpiryMinutes: '121' }],
    ['qrExpiryMinutes', { qrExpiryMinutes: '' }],
    ['qrExpiryMinutes', { qrExpiryMinutes: '10.5' }],
    ['qrExpiryMinutes', { qrExpiryMinutes: 'ten' }],
    ['qrExpiryMinutes', { qrExpiryMinutes: '-10' }],
    ['tillsPerMerchant', { tillsPerMerchant: '0' }],
    ['tillsPerMerchant', { tillsPerMerchant: '101' }],
    ['businessDayCutoffHour', { businessDayCutoffHour: '24' }],
    ['businessDayCutoffHour', { businessDayCutoffHour: '-1' }],
    ['timeZone', { timeZone: 'Mars/Olympus' }],
    ['timeZone', { timeZone: '' }],
    ['rmbTag', { rmbTag: true, defaultCurrency: 'HKD' }],
    ['defaultCurrency', { defaultCurrency: 'XYZ' }],
    ['language', { language: 'fr' }],
    ['customerDisplay', { customerDisplay: 'left' }],
  ];
  for (const [field, change] of invalid) {
    it(`${field} ${JSON.stringify(Object.values(change)[0])} is refused with its own message`, () => {
      expect(validateDraft({ ...valid, ...change })).toEqual({ [field]: `invalid.${field}` });
    });
  }

  it('every message a typed field can produce exists in the translations', () => {
    for (const field of ['udid', 'merchantName', 'qrExpiryMinutes', 'tillsPerMerchant', 'businessDayCutoffHour', 'timeZone', 'rmbTag'] as const) {
      expect(en.invalid[field], field).toBeTruthy();
    }
  });
});

describe('SettingsScreen', () => {
  let till: FakeTill;
  beforeAll(() => useLanguage('en'));
  beforeEach(() => {
    till = installFakeTill();
  });
  afterEach(cleanup);

  const save = () => screen.getByRole('button', { name: 'Save' });
  /** A settings field by its label (the label also holds the field's hint and message, so match the label's own text). */
  const input = (label: string) =>
    ([...document.querySelectorAll('label.field')].find((l) => l.querySelector('.field-label')?.textContent === label)?.querySelector('input, select') ?? screen.getByLabelText(label)) as HTMLInputElement;

  it('shows each invalid field\'s message inline, keeps Save disabled, and saves nothing', () => {
    render(<SettingsScreen settings={settingsView()} mode="training" />);
    expect(save().hasAttribute('disabled')).toBe(false);
    const cases: [string, string, string][] = [
      ['Till ID (udid)', 'TILL 01', en.invalid.udid],
      ['QR code lifetime (minutes, 5–120)', '4', en.invalid.qrExpiryMinutes],
      ['Tills sharing this merchant account', '0', en.invalid.tillsPerMerchant],
      ['Business day starts at (hour, 0–23)', '24', en.invalid.businessDayCutoffHour],
      ['Time zone', 'Nowhere/Land', en.invalid.timeZone],
      ['Shop name (customer display)', 'x'.repeat(41), en.invalid.merchantName],
    ];
    for (const [label, bad, message] of cases) {
      const field = input(label);
      const good = field.value;
      fireEvent.change(field, { target: { value: bad } });
      expect(field.closest('.field')!.querySelector('.field-error')?.textContent, label).toBe(message);
      expect(save().hasAttribute('disabled'), label).toBe(true);
      fireEvent.click(save());
      fireEvent.change(field, { target: { value: good } });
      expect(field.closest('.field')!.querySelector('.field-error'), label).toBeNull();
      expect(save().hasAttribute('disabled'), label).toBe(false);
    }
    expect(till.calls.filter(([m]) => m === 'updateSettings')).toEqual([]);
  });

  it('several invalid fields show several messages at once', () => {
    render(<SettingsScreen settings={settingsView()} mode="training" />);
    fireEvent.change(input('Till ID (udid)'), { target: { value: 'a b' } });
    fireEvent.change(input('QR code lifetime (minutes, 5–120)'), { target: { value: '4' } });
    const messages = [...document.querySelectorAll('.field-error')].map((e) => e.textContent);
    expect(messages).toEqual([en.invalid.udid, en.invalid.qrExpiryMinutes]);
  });

  it('RMB tagging is refused unless the currency is CNY', () => {
    render(<SettingsScreen settings={settingsView()} mode="training" />);
    fireEvent.click(screen.getByLabelText(en.settings.rmbTag));
    expect(screen.getByText(en.invalid.rmbTag)).toBeTruthy();
    expect(save().hasAttribute('disabled')).toBe(true);
    fireEvent.change(input('Default currency'), { target: { value: 'CNY' } });
    expect(screen.queryByText(en.invalid.rmbTag)).toBeNull();
    expect(save().hasAttribute('disabled')).toBe(false);
  });

  it('a valid change is saved as a patch of only what changed', async () => {
    render(<SettingsScreen settings={settingsView()} mode="training" />);
    fireEvent.change(input('QR code lifetime (minutes, 5–120)'), { target: { value: '5' } });
    fireEvent.change(input('Till ID (udid)'), { target: { value: 'TILL-02' } });
    fireEvent.click(save());
    await waitFor(() => expect(till.calls.filter(([m]) => m === 'updateSettings').map(([, i]) => i)).toEqual([{ patch: { udid: 'TILL-02', qrExpiryMinutes: 5 } }]));
    expect(await screen.findByText('Saved')).toBeTruthy();
  });

  it('with a PIN set, an empty PIN field is not sent, so the till can say "enter the PIN"', async () => {
    till.answer('updateSettings', async () => ({ ok: false, error: { code: 'pin_required', message: 'the supervisor PIN is required', field: 'pin' } }));
    render(<SettingsScreen settings={settingsView({ pinSet: true })} mode="training" />);
    fireEvent.change(input('QR code lifetime (minutes, 5–120)'), { target: { value: '10' } });
    fireEvent.click(save());
    await waitFor(() => expect(till.calls.filter(([m]) => m === 'updateSettings').map(([, i]) => i)).toEqual([{ patch: { qrExpiryMinutes: 10 } }]));
    expect((await screen.findByRole('status')).textContent).toBe('Enter the supervisor PIN. (pin)');
  });

  it('with a PIN set, the typed PIN goes with the change', async () => {
    render(<SettingsScreen settings={settingsView({ pinSet: true })} mode="training" />);
    fireEvent.change(screen.getAllByLabelText('Supervisor PIN')[0]!, { target: { value: '2468' } });
    fireEvent.change(input('QR code lifetime (minutes, 5–120)'), { target: { value: '10' } });
    fireEvent.click(save());
    await waitFor(() => expect(till.calls.filter(([m]) => m === 'updateSettings').map(([, i]) => i)).toEqual([{ patch: { qrExpiryMinutes: 10 }, pin: '2468' }]));
  });

  it('the "Saved" notice reads in the new language after a language switch', async () => {
    render(<SettingsScreen settings={settingsView()} mode="training" />);
    fireEvent.change(input('Language'), { target: { value: 'zh-Hant' } });
    fireEvent.click(save());
    expect((await screen.findByRole('status')).textContent).toBe('Saved');
    await act(() => useLanguage('zh-Hant'));
    try {
      expect(screen.getByRole('status').textContent).toBe('已儲存');
    } finally {
      await act(() => useLanguage('en'));
    }
  });

  it('a PIN that is not 4–8 digits is refused inline and cannot be set', () => {
    render(<SettingsScreen settings={settingsView()} mode="training" />);
    const pin = input('New PIN (4–8 digits)');
    const setPin = screen.getByRole('button', { name: 'Set PIN' });
    for (const bad of ['abc', '123', '123456789', '12 34']) {
      fireEvent.change(pin, { target: { value: bad } });
      expect(pin.closest('.field')!.querySelector('.field-error')?.textContent, bad).toBe(en.invalid.pin);
      expect(setPin.hasAttribute('disabled'), bad).toBe(true);
    }
    fireEvent.change(pin, { target: { value: '2468' } });
    expect(pin.closest('.field')!.querySelector('.field-error')).toBeNull();
    // Typed twice, the same both times.
    expect(setPin.hasAttribute('disabled')).toBe(true);
    const again = input('New PIN again');
    fireEvent.change(again, { target: { value: '2469' } });
    expect(screen.getByText(en.settings.pinMismatch)).toBeTruthy();
    expect(setPin.hasAttribute('disabled')).toBe(true);
    fireEvent.change(again, { target: { value: '2468' } });
    expect(setPin.hasAttribute('disabled')).toBe(false);
  });

  it('connection: a short client key and a merchant ID with a dash are refused inline', () => {
    render(<SettingsScreen settings={settingsView({ pinSet: true, pinState: 'set' })} mode="training" />);
    const saveConnection = save();
    // (A label's text includes its inline message once one shows: keep the element.)
    const clientKey = input('Client key');
    fireEvent.change(clientKey, { target: { value: 'short' } });
    expect(screen.getByText(en.invalid.clientKey)).toBeTruthy();
    expect(saveConnection.hasAttribute('disabled')).toBe(true);
    fireEvent.change(clientKey, { target: { value: 'a-long-enough-key' } });
    expect(screen.queryByText(en.invalid.clientKey)).toBeNull();
    expect(saveConnection.hasAttribute('disabled')).toBe(false);
    fireEvent.change(input('Merchant ID (only if QFPay issued one)'), { target: { value: 'MCH-1' } });
    expect(screen.getByText(en.invalid.mchid)).toBeTruthy();
    expect(saveConnection.hasAttribute('disabled')).toBe(true);
  });

  it('one Save for the whole screen: settings and the connection go together; nothing unchanged is sent', async () => {
    // A PIN is set: without one the till may not go live (issue 10).
    render(<SettingsScreen settings={settingsView({ pinSet: true, pinState: 'set' })} mode="training" />);
    expect(screen.getAllByRole('button', { name: /Save/ }).map((b) => b.textContent)).toEqual(['Save']);
    fireEvent.change(input('Till ID (udid)'), { target: { value: 'TILL-02' } });
    fireEvent.change(input('Environment'), { target: { value: 'test' } });
    fireEvent.change(input('App code'), { target: { value: 'APPCODE1' } });
    fireEvent.change(input('Client key'), { target: { value: 'a-long-enough-key' } });
    fireEvent.click(save());
    // Only the saves: the Updates and Receipts sections also ask what they show.
    const saves = () => till.calls.filter(([m]) => m === 'updateSettings' || m === 'setCredentials');
    await waitFor(() => expect(saves().map(([m]) => m)).toEqual(['updateSettings', 'setCredentials']));
    expect(saves()[0]![1]).toEqual({ patch: { udid: 'TILL-02' } });
    expect(saves()[1]![1]).toEqual({ environment: 'test', appCode: 'APPCODE1', clientKey: 'a-long-enough-key' });
    expect(await screen.findByText('Saved')).toBeTruthy();
  });

  it('the time zone is picked from a list of real zones; the tills-sharing field says what it means', () => {
    render(<SettingsScreen settings={settingsView()} mode="training" />);
    const zone = input('Time zone') as unknown as HTMLSelectElement;
    expect(zone.tagName).toBe('SELECT');
    const zones = [...zone.options].map((o) => o.value);
    expect(zones).toContain('Asia/Hong_Kong');
    expect(zones).toContain('Asia/Shanghai');
    expect(zones.length).toBeGreaterThan(300);
    expect(zone.value).toBe('Asia/Hong_Kong');
    const tills = input('Tills sharing this merchant account');
    expect(tills.closest('.field')!.querySelector('.field-hint')!.textContent).toBe(en.settings2.tillsPerMerchantHint);
  });

  it('the counter: the large-charge limit of the default currency and the extra currencies are saved with the rest', async () => {
    render(<SettingsScreen settings={settingsView()} mode="training" />);
    const limit = input('Confirm charges above (HKD)');
    expect(limit.value).toBe('10000.00');
    fireEvent.change(limit, { target: { value: '12.345' } });
    expect(limit.closest('.field')!.querySelector('.field-error')!.textContent).toBe(en.settings2.invalidLimit);
    expect(save().hasAttribute('disabled')).toBe(true);
    fireEvent.change(limit, { target: { value: '5000' } });
    fireEvent.click(screen.getByLabelText('CNY'));
    fireEvent.click(save());
    await waitFor(() => expect(till.calls.filter(([m]) => m === 'updateSettings').map(([, i]) => i)).toEqual([{ patch: { largeChargeMinor: { HKD: 500_000 }, extraCurrencies: ['CNY'] } }]));
  });

  it('switching to production needs an explicit confirmation', () => {
    render(<SettingsScreen settings={settingsView({ pinSet: true, pinState: 'set' })} mode="training" />);
    fireEvent.change(input('Environment'), { target: { value: 'production' } });
    expect(screen.getByText(en.settings.productionWarning)).toBeTruthy();
    const saveConnection = save();
    expect(saveConnection.hasAttribute('disabled')).toBe(true);
    fireEvent.click(screen.getByLabelText(en.settings.confirmProduction));
    expect(saveConnection.hasAttribute('disabled')).toBe(false);
  });

  // ---- no live mode without a supervisor PIN (issue 10) ----

  // One Save for the whole screen (issue 12) carries the connection too.
  const saveConnection = () => screen.getByRole('button', { name: 'Save' });

  it.each(['none', 'missing'] as const)('with no PIN (%s) the connection cannot be saved for test or production, nor a key stored; the screen says why', (pinState) => {
    render(<SettingsScreen settings={settingsView({ pinState })} mode="training" />);
    expect(screen.getByTestId('pin-required-to-go-live').textContent).toBe(en.settings.pinRequiredToGoLive);
    for (const environment of ['test', 'production']) {
      fireEvent.change(input('Environment'), { target: { value: environment } });
      if (environment === 'production') fireEvent.click(screen.getByLabelText(en.settings.confirmProduction));
      expect(saveConnection().hasAttribute('disabled'), environment).toBe(true);
    }
    fireEvent.change(input('Environment'), { target: { value: 'training' } });
    fireEvent.change(input('Client key'), { target: { value: 'a-long-enough-key' } });
    expect(saveConnection().hasAttribute('disabled')).toBe(true);
    fireEvent.click(saveConnection());
    expect(till.calls.filter(([name]) => name === 'setCredentials')).toEqual([]);
  });

  it('with a PIN set the same change can be saved', () => {
    render(<SettingsScreen settings={settingsView({ pinSet: true, pinState: 'set' })} mode="training" />);
    expect(screen.queryByTestId('pin-required-to-go-live')).toBeNull();
    fireEvent.change(input('Environment'), { target: { value: 'test' } });
    expect(saveConnection().hasAttribute('disabled')).toBe(false);
  });

  it('a tampered PIN record is announced, and the PIN is still asked for', () => {
    render(<SettingsScreen settings={settingsView({ pinSet: true, pinState: 'tampered' })} mode="training" />);
    expect(screen.getAllByRole('alert').some((a) => a.textContent === en.settings.pinTampered)).toBe(true);
    expect(screen.getByLabelText('Current PIN')).toBeTruthy();
  });

  it('a missing PIN record: a new PIN is set without the old one, and the screen says the key must be entered again', async () => {
    render(<SettingsScreen settings={settingsView({ pinState: 'missing' })} mode="training" />);
    expect(screen.getAllByText(en.settings.pinMissing).length).toBeGreaterThan(0);
    expect(screen.queryByLabelText('Current PIN')).toBeNull();
    fireEvent.change(input('New PIN (4–8 digits)'), { target: { value: '2468' } });
    fireEvent.change(input('New PIN again'), { target: { value: '2468' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set PIN' }));
    await waitFor(() => expect(till.calls.filter(([name]) => name === 'setPin')).toEqual([['setPin', { newPin: '2468' }]]));
  });

  it('the PIN cannot be removed while the till is set to go live', () => {
    render(<SettingsScreen settings={settingsView({ pinSet: true, pinState: 'set', environment: 'production' })} mode="production" />);
    expect(screen.getByRole('button', { name: 'Remove PIN' }).hasAttribute('disabled')).toBe(true);
  });
});
