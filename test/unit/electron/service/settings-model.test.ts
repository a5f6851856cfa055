import { describe, expect, it, vi } from 'vitest';
import { NO_PIN_LOCK, SETTINGS_VERSION, migrateSettings, settingsView, type StoredSettings } from '../../../../electron/service/settings-model';
import { DEFAULT_SETTINGS, settingsSchema } from '../../../../shared/settings';

// What the settings store holds and how older stores are brought forward:
// defaults for a first start, version 1's names, and bad values replaced one
// field at a time so that one broken field never costs the others.

const udids = () => {
  let n = 0;
  return vi.fn(() => `TILL-NEW${++n}`);
};

describe('migrateSettings: a first start', () => {
  it.each([
    ['an empty store', {}],
    ['nothing at all', undefined],
    ['null', null],
    ['an array', [1, 2]],
    ['a string', 'garbage'],
  ])('%s gives the defaults, a new udid, no key and no PIN', (_label, raw) => {
    const stored = migrateSettings(raw, udids());
    expect(stored).toEqual({ ...DEFAULT_SETTINGS, udid: 'TILL-NEW1', settingsVersion: SETTINGS_VERSION, clientKeyEncrypted: null, pinHash: null, pinSeal: null, pinLock: NO_PIN_LOCK, headOfficePasswordEncrypted: null });
    expect(settingsSchema.safeParse(stored).success).toBe(true);
  });

  it('the defaults are valid settings, and start in training mode', () => {
    const stored = migrateSettings({}, udids());
    expect(stored.environment).toBe('training');
    expect(settingsSchema.parse(stored)).toMatchObject(DEFAULT_SETTINGS);
  });

  it("first-run choices (the system locale's language) fill a new store but never override a stored value", () => {
    expect(migrateSettings({}, udids(), { language: 'en' }).language).toBe('en');
    expect(migrateSettings({ settingsVersion: 2, language: 'zh-Hans' }, udids(), { language: 'en' }).language).toBe('zh-Hans');
    // A stored value that is invalid falls back to the first-run choice, not the built-in default.
    expect(migrateSettings({ settingsVersion: 2, language: 'fr' }, udids(), { language: 'en' }).language).toBe('en');
  });

  it('a udid already stored is kept', () => {
    const stored = migrateSettings({ settingsVersion: 2, udid: 'TILL-KEEP0001' }, udids());
    expect(stored.udid).toBe('TILL-KEEP0001');
  });
});

describe('migrateSettings: version 1 (0.1 builds)', () => {
  const v1 = {
    environment: 'test',
    appCode: 'APPCODE0001',
    mchid: 'MCH001',
    udid: 'TILL-OLD00001',
    expiryMinutes: 15,
    language: 'en',
    merchantName: 'Lucky Tea',
    defaultCurrency: 'HKD',
    clientKeyEncrypted: 'box1:abcdef',
    pinHash: 'scrypt$32768$8$1$c2FsdA==$aGFzaA==',
  };

  it('expiryMinutes becomes qrExpiryMinutes; the business-day cut-off gets its default', () => {
    const stored = migrateSettings(v1, udids());
    expect(stored.qrExpiryMinutes).toBe(15);
    expect(stored.businessDayCutoffHour).toBe(DEFAULT_SETTINGS.businessDayCutoffHour);
    expect(stored).not.toHaveProperty('expiryMinutes');
    expect(stored.settingsVersion).toBe(SETTINGS_VERSION);
  });

  it('everything else version 1 knew is kept', () => {
    const stored = migrateSettings(v1, udids());
    expect(stored).toMatchObject({
      environment: 'test',
      appCode: 'APPCODE0001',
      mchid: 'MCH001',
      udid: 'TILL-OLD00001',
      language: 'en',
      merchantName: 'Lucky Tea',
      clientKeyEncrypted: 'box1:abcdef',
      pinHash: v1.pinHash,
    });
  });

  it('an explicit settingsVersion 1 migrates the same way', () => {
    expect(migrateSettings({ ...v1, settingsVersion: 1 }, udids())).toEqual(migrateSettings(v1, udids()));
  });

  it('a version 1 expiry outside 5–120 falls back to the default', () => {
    expect(migrateSettings({ ...v1, expiryMinutes: 200 }, udids()).qrExpiryMinutes).toBe(DEFAULT_SETTINGS.qrExpiryMinutes);
  });

  it('a plain-text client key in old data is dropped, whatever it was called', () => {
    const stored = migrateSettings({ ...v1, clientKey: 'PLAINKEY-OLD-123456', client_key: 'PLAINKEY-OLD-123456' }, udids());
    expect(JSON.stringify(stored)).not.toContain('PLAINKEY-OLD-123456');
    expect(stored).not.toHaveProperty('clientKey');
    expect(stored).not.toHaveProperty('client_key');
  });

  it('migrating twice changes nothing (idempotent)', () => {
    const once = migrateSettings(v1, udids());
    expect(migrateSettings(once, udids())).toEqual(once);
  });
});

describe('migrateSettings: bad values fall back one field at a time', () => {
  const good = migrateSettings(
    { settingsVersion: 2, environment: 'production', appCode: 'APPCODE0001', mchid: 'MCH001', udid: 'TILL-KEEP0001', language: 'zh-Hans', merchantName: 'Shop', qrExpiryMinutes: 45 },
    udids(),
  );

  const cases: Array<[keyof StoredSettings, unknown]> = [
    ['environment', 'staging'],
    ['appCode', 'has spaces in it'],
    ['mchid', 'bad-mchid!'],
    ['udid', 'x'.repeat(41)],
    ['defaultCurrency', 'XXX'],
    ['rmbTag', 'yes'],
    ['qrExpiryMinutes', 500],
    ['tillsPerMerchant', 0],
    ['merchantName', 'x'.repeat(41)],
    ['language', 'fr'],
    ['customerDisplay', 'left'],
    ['businessDayCutoffHour', 24],
    ['verifyResponseSignature', 'true'],
    ['timeZone', ''],
    ['timeZone', 'Mars/Olympus'],
  ];

  it.each(cases)('a bad %s is replaced by its default; every other field survives', (field, bad) => {
    const stored = migrateSettings({ ...good, [field]: bad }, udids());
    const fallback = field === 'udid' ? 'TILL-NEW1' : (DEFAULT_SETTINGS as Record<string, unknown>)[field];
    expect(stored[field]).toEqual(fallback);
    expect({ ...stored, [field]: good[field] }).toEqual(good);
  });

  it('several bad fields at once: each falls back, the good ones stay', () => {
    const stored = migrateSettings({ ...good, language: 'fr', qrExpiryMinutes: 'ten', merchantName: 42 }, udids());
    expect(stored).toEqual({ ...good, language: DEFAULT_SETTINGS.language, qrExpiryMinutes: DEFAULT_SETTINGS.qrExpiryMinutes, merchantName: DEFAULT_SETTINGS.merchantName });
  });

  it('an empty or non-string encrypted key is no key; a PIN hash that is not scrypt is no PIN', () => {
    expect(migrateSettings({ ...good, clientKeyEncrypted: '' }, udids()).clientKeyEncrypted).toBeNull();
    expect(migrateSettings({ ...good, clientKeyEncrypted: 42 }, udids()).clientKeyEncrypted).toBeNull();
    expect(migrateSettings({ ...good, pinHash: '1234' }, udids()).pinHash).toBeNull();
    expect(migrateSettings({ ...good, pinHash: 'md5$abc' }, udids()).pinHash).toBeNull();
  });

  it('unknown keys are not carried along', () => {
    const stored = migrateSettings({ ...good, somethingElse: 'x', __proto__: { polluted: true } }, udids());
    expect(stored).not.toHaveProperty('somethingElse');
    expect(Object.keys(stored).sort()).toEqual([...Object.keys(settingsSchema.shape), 'settingsVersion', 'clientKeyEncrypted', 'pinHash', 'pinSeal', 'pinLock', 'headOfficePasswordEncrypted'].sort());
  });
});

describe('migrateSettings: version 2 (before head office)', () => {
  const v2 = { settingsVersion: 2, environment: 'test', appCode: 'APP0001', udid: 'TILL-OLD', merchantName: 'Chan Kee' };

  it('head office is added off, with no URL and no password; everything else is kept', () => {
    const stored = migrateSettings(v2, udids());
    expect(stored).toMatchObject({ settingsVersion: 4, headOfficeEnabled: false, headOfficeUrl: null, headOfficePasswordEncrypted: null, environment: 'test', appCode: 'APP0001', udid: 'TILL-OLD', merchantName: 'Chan Kee' });
  });

  it('a version 3 store keeps its head office; a URL with a password in it, or not postgres, is dropped', () => {
    const kept = migrateSettings({ settingsVersion: 3, headOfficeEnabled: true, headOfficeUrl: 'postgres://till_a@office.example:5432/office', headOfficePasswordEncrypted: 'box1:X' }, udids());
    expect(kept).toMatchObject({ headOfficeEnabled: true, headOfficeUrl: 'postgres://till_a@office.example:5432/office', headOfficePasswordEncrypted: 'box1:X' });
    for (const url of ['postgres://till_a:plain@office.example/office', 'https://office.example/office', 'postgres://office.example/']) {
      expect(migrateSettings({ settingsVersion: 3, headOfficeEnabled: true, headOfficeUrl: url }, udids()).headOfficeUrl).toBeNull();
    }
  });
});

describe('settingsView', () => {
  const stored: StoredSettings = {
    ...migrateSettings({}, udids()),
    clientKeyEncrypted: 'box1:CIPHERTEXT',
    pinHash: 'scrypt$32768$8$1$U0FMVA==$SEFTSA==',
  };

  it('never carries the encrypted key, the PIN hash or the store version', () => {
    const view = settingsView({ ...stored, pinSeal: 'box1:SEALED' }, 'encrypted', 'set');
    expect(view).not.toHaveProperty('clientKeyEncrypted');
    expect(view).not.toHaveProperty('pinHash');
    expect(view).not.toHaveProperty('settingsVersion');
    const text = JSON.stringify(view);
    expect(text).not.toContain('CIPHERTEXT');
    expect(text).not.toContain('scrypt');
    expect(text).not.toContain('SEALED');
  });

  it('never carries the head-office password, only whether one is kept', () => {
    const view = settingsView({ ...stored, headOfficeUrl: 'postgres://till_a@office.example/office', headOfficePasswordEncrypted: 'box1:OFFICECIPHER' }, 'encrypted', 'set', true);
    expect(view).not.toHaveProperty('headOfficePasswordEncrypted');
    expect(JSON.stringify(view)).not.toContain('OFFICECIPHER');
    expect(view).toMatchObject({ headOfficePasswordSet: true, headOfficeUrl: 'postgres://till_a@office.example/office' });
    expect(settingsView(stored, 'encrypted', 'set')).toMatchObject({ headOfficePasswordSet: false });
  });

  it('says whether a key and a PIN are set, and how the key is kept', () => {
    expect(settingsView(stored, 'encrypted', 'set')).toMatchObject({ hasClientKey: true, keyStorage: 'encrypted', pinSet: true, pinState: 'set' });
    expect(settingsView(stored, 'memory', 'set')).toMatchObject({ hasClientKey: true, keyStorage: 'memory' });
    expect(settingsView({ ...stored, pinHash: null }, 'none', 'none')).toMatchObject({ hasClientKey: false, keyStorage: 'none', pinSet: false, pinState: 'none' });
    // A PIN whose file record was edited is still asked for; one nobody can check is not (a new one may be set).
    expect(settingsView(stored, 'none', 'tampered')).toMatchObject({ pinSet: true, pinState: 'tampered' });
    expect(settingsView(stored, 'none', 'missing')).toMatchObject({ pinSet: false, pinState: 'missing' });
  });
});

describe('migrateSettings: version 3 (before the wallets, issue 13)', () => {
  it('a till updated in a shop keeps offering WeChat only: no other wallet, no unified code, 60 s window, no real-name check', () => {
    const stored = migrateSettings({ settingsVersion: 3, environment: 'test', appCode: 'APP0001', udid: 'TILL-OLD', headOfficeEnabled: false, headOfficeUrl: null }, udids());
    expect(stored).toMatchObject({ settingsVersion: 4, mpmPayTypes: ['800201'], unifiedCpm: false, cpmWindowSeconds: 60, realNamePayTypes: [], udid: 'TILL-OLD', appCode: 'APP0001' });
  });

  it('a bad wallet list falls back to WeChat alone; a consumer-presented pay type is not a QR wallet', () => {
    for (const bad of [[], ['800208'], ['800201', '800201'], ['999999'], 'x']) {
      expect(migrateSettings({ settingsVersion: 4, udid: 'TILL-OLD', mpmPayTypes: bad }, udids()).mpmPayTypes, JSON.stringify(bad)).toEqual(['800201']);
    }
    expect(migrateSettings({ settingsVersion: 4, udid: 'TILL-OLD', mpmPayTypes: ['800201', '801501', '802001'] }, udids()).mpmPayTypes).toEqual(['800201', '801501', '802001']);
    expect(migrateSettings({ settingsVersion: 4, udid: 'TILL-OLD', cpmWindowSeconds: 5 }, udids()).cpmWindowSeconds).toBe(60);
  });
});
