import { describe, expect, it } from 'vitest';
import { SettingsManager } from '../../../../electron/service/settings-manager';
import { parse } from 'pg-connection-string';
import { BASE_URLS } from '../../../../shared/settings';
import { CLIENT_KEY, fakeBox, memoryBackend, type MemoryBackend } from './support';

// The client key is kept encrypted by the OS when the OS really protects it,
// and otherwise only in memory for the session: never in plain text on disk,
// never in what the renderer sees.

const newUdid = () => 'TILL-TEST0001';

function everythingWritten(backend: MemoryBackend): string {
  return JSON.stringify([backend.data, ...backend.writes]);
}

function manager(level: 'os' | 'basic_text' | 'unavailable' = 'os', backend = memoryBackend()) {
  const box = fakeBox(level);
  return { backend, box, settings: new SettingsManager(backend, box, newUdid) };
}

/** A sealed PIN record (no real hash needed here): without one the till never gets live credentials. */
function withPin(settings: SettingsManager): SettingsManager {
  settings.setPinRecord({ pepper: Buffer.alloc(32, 7), pinHash: 'scrypt$32768$8$1$U0FMVA==$SEFTSA==' });
  return settings;
}

describe('a first start', () => {
  it('writes the migrated defaults once, with no key', () => {
    const { backend, settings } = manager();
    expect(backend.writes).toHaveLength(1);
    expect(backend.data).toEqual(settings.current);
    expect(settings.keyStorage()).toBe('none');
    expect(settings.clientKey()).toBeUndefined();
    expect(settings.credentials()).toBeUndefined();
  });

  it('an old plain-text key on disk is wiped by the first write', () => {
    const backend = memoryBackend({ environment: 'test', appCode: 'APP0001', clientKey: CLIENT_KEY, expiryMinutes: 10 });
    manager('os', backend);
    expect(JSON.stringify(backend.data)).not.toContain(CLIENT_KEY);
  });
});

describe("protection 'os': the key is stored encrypted", () => {
  it('only the encrypted form is written, never the key', () => {
    const { backend, box, settings } = manager('os');
    expect(settings.setCredentials({ environment: 'test', appCode: 'APP0001', clientKey: CLIENT_KEY })).toEqual({ ok: true });
    const written = everythingWritten(backend);
    expect(written).not.toContain(CLIENT_KEY);
    expect(written).not.toContain(Buffer.from(CLIENT_KEY).toString('base64'));
    expect(box.encrypted).toHaveLength(1);
    expect((backend.data as Record<string, unknown>).clientKeyEncrypted).toBe(box.encrypted[0]);
    expect(settings.keyStorage()).toBe('encrypted');
  });

  it('the key is usable in main: credentials for the environment', () => {
    const { settings } = manager('os');
    withPin(settings);
    settings.setCredentials({ environment: 'test', appCode: 'APP0001', clientKey: CLIENT_KEY, mchid: 'MCH01' });
    expect(settings.clientKey()).toBe(CLIENT_KEY);
    expect(settings.credentials()).toEqual({ baseUrl: BASE_URLS.test, appCode: 'APP0001', clientKey: CLIENT_KEY, mchid: 'MCH01' });
  });

  it('production uses the production HTTPS base URL', () => {
    const { settings } = manager('os');
    withPin(settings);
    settings.setCredentials({ environment: 'production', appCode: 'APP0001', clientKey: CLIENT_KEY });
    expect(settings.credentials()?.baseUrl).toBe(BASE_URLS.production);
    expect(BASE_URLS.production).toMatch(/^https:\/\//);
    expect(BASE_URLS.test).toMatch(/^https:\/\//);
  });

  it('a fresh start over the same store has the key again (decrypted by the OS)', () => {
    const { backend, settings } = manager('os');
    settings.setCredentials({ environment: 'test', appCode: 'APP0001', clientKey: CLIENT_KEY });
    const again = new SettingsManager(backend, fakeBox('os'), newUdid);
    expect(again.clientKey()).toBe(CLIENT_KEY);
    expect(again.keyStorage()).toBe('encrypted');
  });

  it('a key the OS can no longer decrypt is no key (no exception)', () => {
    const { backend, settings } = manager('os');
    settings.setCredentials({ environment: 'test', appCode: 'APP0001', clientKey: CLIENT_KEY });
    const broken = fakeBox('os');
    broken.decrypt = () => {
      throw new Error('keyring changed');
    };
    const again = new SettingsManager(backend, broken, newUdid);
    expect(again.clientKey()).toBeUndefined();
    expect(again.keyStorage()).toBe('none');
    expect(again.credentials()).toBeUndefined();
  });

  it('training mode keeps the key but uses no credentials', () => {
    const { settings } = manager('os');
    settings.setCredentials({ environment: 'test', appCode: 'APP0001', clientKey: CLIENT_KEY });
    settings.setCredentials({ environment: 'training' });
    expect(settings.credentials()).toBeUndefined();
    expect(settings.keyStorage()).toBe('encrypted');
  });
});

describe.each(['basic_text', 'unavailable'] as const)("protection '%s': the key is kept in memory only", (level) => {
  it('nothing about the key is written; keyStorage says memory', () => {
    const { backend, box, settings } = manager(level);
    // Live needs a sealed PIN: basic_text can seal one; with no key store at all the till stays in training.
    if (level === 'basic_text') withPin(settings);
    else expect(() => withPin(settings)).toThrow();
    expect(settings.setCredentials({ environment: 'test', appCode: 'APP0001', clientKey: CLIENT_KEY })).toEqual({ ok: true });
    expect(everythingWritten(backend)).not.toContain(CLIENT_KEY);
    // Only the PIN record was sealed, never the key.
    expect(box.encrypted).toHaveLength(level === 'basic_text' ? 1 : 0);
    expect((backend.data as Record<string, unknown>).clientKeyEncrypted).toBeNull();
    expect(settings.keyStorage()).toBe('memory');
    expect(settings.view()).toMatchObject({ hasClientKey: true, keyStorage: 'memory' });
    expect(settings.clientKey()).toBe(CLIENT_KEY);
    expect(settings.credentials()?.clientKey).toBe(level === 'basic_text' ? CLIENT_KEY : undefined);
  });

  it('a fresh start over the same store has no key', () => {
    const { backend, settings } = manager(level);
    settings.setCredentials({ environment: 'test', appCode: 'APP0001', clientKey: CLIENT_KEY });
    const again = new SettingsManager(backend, fakeBox(level), newUdid);
    expect(again.clientKey()).toBeUndefined();
    expect(again.keyStorage()).toBe('none');
    expect(again.credentials()).toBeUndefined();
    expect(again.view().hasClientKey).toBe(false);
  });

  it('a key encrypted earlier (when the OS protected it) is replaced, not left behind, by a memory-only key', () => {
    const backend = memoryBackend();
    const first = new SettingsManager(backend, fakeBox('os'), newUdid);
    first.setCredentials({ environment: 'test', appCode: 'APP0001', clientKey: 'OLDKEY-0000000000' });
    const later = new SettingsManager(backend, fakeBox(level), newUdid);
    later.setCredentials({ environment: 'test', clientKey: CLIENT_KEY });
    expect((backend.data as Record<string, unknown>).clientKeyEncrypted).toBeNull();
    expect(later.clientKey()).toBe(CLIENT_KEY);
  });
});

describe('setCredentials refuses incomplete credentials and writes nothing', () => {
  it('a real environment without an app code', () => {
    const { backend, settings } = manager('os');
    const writes = backend.writes.length;
    expect(settings.setCredentials({ environment: 'production', clientKey: CLIENT_KEY })).toMatchObject({ ok: false, field: 'appCode' });
    expect(backend.writes).toHaveLength(writes);
    expect(settings.current.environment).toBe('training');
    expect(settings.clientKey()).toBeUndefined();
  });

  it('a real environment without a key', () => {
    const { backend, settings } = manager('os');
    const writes = backend.writes.length;
    expect(settings.setCredentials({ environment: 'test', appCode: 'APP0001' })).toMatchObject({ ok: false, field: 'clientKey' });
    expect(backend.writes).toHaveLength(writes);
  });

  it('absent fields keep what is set; mchid null clears it', () => {
    const { settings } = manager('os');
    settings.setCredentials({ environment: 'test', appCode: 'APP0001', clientKey: CLIENT_KEY, mchid: 'MCH01' });
    settings.setCredentials({ environment: 'production' });
    expect(settings.current).toMatchObject({ environment: 'production', appCode: 'APP0001', mchid: 'MCH01' });
    expect(settings.clientKey()).toBe(CLIENT_KEY);
    settings.setCredentials({ environment: 'production', mchid: null });
    expect(settings.current.mchid).toBeNull();
  });
});

describe('update', () => {
  it('applies a valid patch and writes it', () => {
    const { backend, settings } = manager();
    expect(settings.update({ merchantName: 'Tea House', qrExpiryMinutes: 10, language: 'en' })).toEqual({ ok: true });
    expect(settings.current).toMatchObject({ merchantName: 'Tea House', qrExpiryMinutes: 10, language: 'en' });
    expect(backend.data).toEqual(settings.current);
  });

  it.each([
    [{ qrExpiryMinutes: 4 }, 'qrExpiryMinutes'],
    [{ qrExpiryMinutes: 10.5 }, 'qrExpiryMinutes'],
    [{ language: 'fr' }, 'language'],
    [{ udid: 'bad udid' }, 'udid'],
    [{ businessDayCutoffHour: -1 }, 'businessDayCutoffHour'],
    [{ merchantName: 'x'.repeat(41) }, 'merchantName'],
    [{ customerDisplay: 'left' }, 'customerDisplay'],
    [{ merchantName: 'Fine', tillsPerMerchant: 1000 }, 'tillsPerMerchant'],
  ])('refuses %j naming %s, and writes nothing', (patch, field) => {
    const { backend, settings } = manager();
    const before = settings.current;
    const writes = backend.writes.length;
    expect(settings.update(patch as never)).toMatchObject({ ok: false, field });
    expect(backend.writes).toHaveLength(writes);
    expect(settings.current).toEqual(before);
  });

  it('cannot change the mode, the app code or the key (those go through setCredentials)', () => {
    const { backend, settings } = manager();
    const writes = backend.writes.length;
    for (const patch of [{ environment: 'production' }, { appCode: 'X' }, { clientKeyEncrypted: 'box1:x' }, { pinHash: null }]) {
      expect(settings.update(patch as never).ok).toBe(false);
    }
    expect(backend.writes).toHaveLength(writes);
    expect(settings.current.environment).toBe('training');
  });
});

describe('view', () => {
  it('never contains the encrypted key, the PIN hash or the key itself', () => {
    const { box, settings } = manager('os');
    withPin(settings);
    settings.setCredentials({ environment: 'test', appCode: 'APP0001', clientKey: CLIENT_KEY });
    const view = settings.view();
    const text = JSON.stringify(view);
    expect(view).not.toHaveProperty('clientKeyEncrypted');
    expect(view).not.toHaveProperty('pinHash');
    expect(text).not.toContain(CLIENT_KEY);
    for (const cipher of box.encrypted) expect(text).not.toContain(cipher);
    expect(text).not.toContain('scrypt$');
    expect(view).toMatchObject({ hasClientKey: true, keyStorage: 'encrypted', pinSet: true, environment: 'test', appCode: 'APP0001' });
  });
});

describe('merchantName: no control or bidi characters (issue 10)', () => {
  it.each([
    ['a right-to-left override', 'Tea\u202EHK$1'],
    ['a bell (control)', 'Tea\u0007'],
    ['a zero-width space', 'Te\u200Ba'],
    ['a newline', 'Tea\nShop'],
    ['a left-to-right isolate', '\u2066Tea\u2069'],
  ])('%s is refused and nothing is written', (_label, name) => {
    const { backend, settings } = manager();
    const writes = backend.writes.length;
    expect(settings.update({ merchantName: name })).toMatchObject({ ok: false, field: 'merchantName' });
    expect(backend.writes).toHaveLength(writes);
  });

  it('ordinary shop names in any script pass', () => {
    const { settings } = manager();
    for (const name of ['陳記茶餐廳', 'Chan Kee (Central)', 'Café Ünïcode', '한식당']) expect(settings.update({ merchantName: name }), name).toEqual({ ok: true });
  });

  it('a stored name with a bidi override (an edited file) falls back to the default', () => {
    const backend = memoryBackend({ settingsVersion: 2, merchantName: 'Tea\u202EHK$1' });
    expect(new SettingsManager(backend, fakeBox('os'), newUdid).current.merchantName).toBe('');
  });
});

describe('head office (issue 15): the URL without its password, the password kept like the client key', () => {
  const URL_ = 'postgres://till_shop1@office.example:5432/office';
  const PASSWORD = 'Hunter2:@/%41 secret';

  it("protection 'os': only the encrypted password is written; main joins it into the URL, encoded so pg reads it as typed", () => {
    const { backend, box, settings } = manager('os');
    withPin(settings);
    expect(settings.setHeadOffice({ enabled: true, url: URL_, password: PASSWORD })).toEqual({ ok: true });
    const written = everythingWritten(backend);
    expect(written).not.toContain('Hunter2');
    expect((backend.data as Record<string, unknown>).headOfficePasswordEncrypted).toBe(box.encrypted.at(-1));
    expect((backend.data as Record<string, unknown>).headOfficeUrl).toBe(URL_);
    const joined = settings.headOfficeUrl()!;
    expect(parse(joined)).toMatchObject({ user: 'till_shop1', password: PASSWORD, host: 'office.example', port: '5432', database: 'office' });
    expect(settings.view()).toMatchObject({ headOfficeEnabled: true, headOfficeUrl: URL_, headOfficePasswordSet: true });
    expect(JSON.stringify(settings.view())).not.toContain('Hunter2');
    // A restart opens it again from the store.
    expect(new SettingsManager(backend, fakeBox('os'), newUdid).headOfficeUrl()).toBe(joined);
  });

  it.each(['basic_text', 'unavailable'] as const)("protection '%s': the password is kept in memory for this session only", (level) => {
    const { backend, settings } = manager(level);
    expect(settings.setHeadOffice({ enabled: true, url: URL_, password: PASSWORD })).toEqual({ ok: true });
    expect(everythingWritten(backend)).not.toContain('Hunter2');
    expect((backend.data as Record<string, unknown>).headOfficePasswordEncrypted).toBeNull();
    expect(settings.officePassword()).toBe(PASSWORD);
    const again = new SettingsManager(backend, fakeBox(level), newUdid);
    expect(again.officePassword()).toBeUndefined();
    expect(again.view().headOfficePasswordSet).toBe(false);
    // Still on, without a password (a server that trusts the till, or one that will refuse it: the log says so).
    expect(again.headOfficeUrl()).toBe(URL_);
  });

  it('off: no URL for the sender, whatever is kept; an absent password keeps the one there, null removes it', () => {
    const { settings } = manager('os');
    settings.setHeadOffice({ enabled: true, url: URL_, password: PASSWORD });
    expect(settings.setHeadOffice({ enabled: false, url: URL_ })).toEqual({ ok: true });
    expect(settings.headOfficeUrl()).toBeUndefined();
    expect(settings.officePassword()).toBe(PASSWORD);
    settings.setHeadOffice({ enabled: true, url: 'postgresql://till_shop1@other.example/office' });
    expect(parse(settings.headOfficeUrl()!)).toMatchObject({ host: 'other.example', password: PASSWORD });
    settings.setHeadOffice({ enabled: true, url: URL_, password: null });
    expect(settings.officePassword()).toBeUndefined();
    expect(settings.headOfficeUrl()).toBe(URL_);
  });

  it('a URL with a password in it, not postgres, without a database, or on with no URL, is refused and nothing is written', () => {
    const { backend, settings } = manager('os');
    const writes = backend.writes.length;
    expect(settings.setHeadOffice({ enabled: true, url: 'postgres://till:Hunter2@office.example/office' })).toEqual({ ok: false, field: 'url', message: 'officeUrlPassword' });
    expect(settings.setHeadOffice({ enabled: true, url: 'mysql://till@office.example/office' })).toMatchObject({ ok: false, field: 'url', message: 'officeUrl' });
    expect(settings.setHeadOffice({ enabled: true, url: 'postgres://till@office.example' })).toMatchObject({ ok: false, field: 'url', message: 'officeUrl' });
    expect(settings.setHeadOffice({ enabled: true, url: null })).toMatchObject({ ok: false, field: 'url' });
    expect(settings.setHeadOffice({ enabled: true, url: URL_, password: 'a\u0000b' })).toMatchObject({ ok: false, field: 'password', message: 'officePassword' });
    expect(backend.writes).toHaveLength(writes);
    expect(everythingWritten(backend)).not.toContain('Hunter2');
  });

  it('a PIN record nobody can check any more forgets the head-office password with the client key', () => {
    const { backend, settings } = manager('os');
    settings.setHeadOffice({ enabled: true, url: URL_, password: PASSWORD });
    const legacy = new SettingsManager(memoryBackend({ ...(backend.data as object), pinHash: 'scrypt$1$1$1$QQ==$QQ==', pinSeal: null }), fakeBox('os'), newUdid);
    expect(legacy.pinState()).toBe('missing');
    legacy.setPinRecord({ pepper: Buffer.alloc(32, 7), pinHash: 'scrypt$32768$8$1$U0FMVA==$SEFTSA==' });
    expect(legacy.officePassword()).toBeUndefined();
  });

  it('an undone change (restore) brings back the password kept in memory too', () => {
    const { settings } = manager('basic_text');
    settings.setHeadOffice({ enabled: true, url: URL_, password: PASSWORD });
    const before = settings.snapshot();
    settings.setHeadOffice({ enabled: true, url: URL_, password: 'another-one' });
    settings.restore(before);
    expect(settings.officePassword()).toBe(PASSWORD);
  });
});
