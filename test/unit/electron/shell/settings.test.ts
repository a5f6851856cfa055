import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { electronStoreBackend, osSecretBox } from '../../../../electron/settings';
import { SettingsManager } from '../../../../electron/service/settings-manager';
import { CLIENT_KEY } from '../service/support';
import { fake, resetFakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron);
vi.mock('electron-store', async () => (await import('./fake-electron')).fakeElectronStore);

// electron/settings.ts: safeStorage and electron-store behind the plain
// interfaces the service uses. What matters is the protection level it
// reports (Linux's basic_text is no protection) and that nothing it writes
// holds the key in plain text.

beforeEach(resetFakeElectron);

describe('osSecretBox.protection', () => {
  it("'os' when safeStorage encrypts with a real key store", () => {
    fake.safeStorage.backend = 'gnome_libsecret';
    expect(osSecretBox('linux').protection()).toBe('os');
    expect(osSecretBox('darwin').protection()).toBe('os');
    expect(osSecretBox('win32').protection()).toBe('os');
  });

  it("'basic_text' on Linux when safeStorage fell back to its hard-coded password", () => {
    fake.safeStorage.backend = 'basic_text';
    expect(osSecretBox('linux').protection()).toBe('basic_text');
  });

  it("'unavailable' when safeStorage cannot encrypt at all", () => {
    fake.safeStorage.available = false;
    expect(osSecretBox('linux').protection()).toBe('unavailable');
    expect(osSecretBox('win32').protection()).toBe('unavailable');
    expect(osSecretBox('darwin').protection()).toBe('unavailable');
  });

  it('defaults to the platform it runs on', () => {
    fake.safeStorage.backend = 'basic_text';
    expect(osSecretBox().protection()).toBe(process.platform === 'linux' ? 'basic_text' : 'os');
  });
});

describe('osSecretBox encrypt and decrypt', () => {
  it('round-trips through safeStorage as base64 that does not contain the key', () => {
    const box = osSecretBox('linux');
    const cipher = box.encrypt(CLIENT_KEY);
    expect(cipher).toMatch(/^[A-Za-z0-9+/]+=*$/);
    expect(cipher).not.toContain(CLIENT_KEY);
    expect(Buffer.from(cipher, 'base64').toString('latin1')).not.toContain(CLIENT_KEY);
    expect(box.decrypt(cipher)).toBe(CLIENT_KEY);
  });
});

describe('electronStoreBackend', () => {
  it('names its store "settings" and keeps invalid files for inspection', () => {
    electronStoreBackend('/tmp/till-settings');
    expect(fake.storeOptions[0]).toMatchObject({ name: 'settings', cwd: '/tmp/till-settings', clearInvalidConfig: false });
  });

  it('asks for settings.json to be 0600 (it holds the sealed key and PIN record), and conf creates it so', async () => {
    electronStoreBackend('/tmp/till-settings');
    expect(fake.storeOptions[0]).toMatchObject({ configFileMode: 0o600 });
    // The same options given to the library electron-store builds on, for real, in a temporary folder.
    const { default: Conf } = await import('conf');
    const cwd = mkdtempSync(join(tmpdir(), 'till-conf-'));
    try {
      const store = new Conf<Record<string, unknown>>({ ...(fake.storeOptions[0] as object), cwd, projectName: 'till-test' });
      store.set('language', 'en');
      expect(statSync(store.path).mode & 0o777).toBe(0o600);
    } finally {
      rmSync(cwd, { recursive: true, force: true });
    }
  });

  it('replaces the whole store on write: fields that are gone stay gone', () => {
    const backend = electronStoreBackend('/tmp/a');
    fake.storeData.set('/tmp/a/settings', { clientKey: 'PLAIN', language: 'en' });
    expect(backend.read()).toEqual({ clientKey: 'PLAIN', language: 'en' });
    backend.write({ language: 'zh-Hant' } as never);
    expect(fake.storeData.get('/tmp/a/settings')).toEqual({ language: 'zh-Hant' });
  });

  it('with safeStorage and electron-store together, an old plain key is wiped and a new key is stored only encrypted', () => {
    fake.storeData.set('/tmp/b/settings', { environment: 'test', appCode: 'APP0001', clientKey: 'OLD-PLAIN-KEY-1234', expiryMinutes: 10 });
    const settings = new SettingsManager(electronStoreBackend('/tmp/b'), osSecretBox('linux'), () => 'TILL-TEST0001');
    expect(JSON.stringify(fake.storeData.get('/tmp/b/settings'))).not.toContain('OLD-PLAIN-KEY-1234');
    settings.setCredentials({ environment: 'test', appCode: 'APP0001', clientKey: CLIENT_KEY });
    expect(JSON.stringify(fake.storeData.get('/tmp/b/settings'))).not.toContain(CLIENT_KEY);
    expect(settings.keyStorage()).toBe('encrypted');
    const again = new SettingsManager(electronStoreBackend('/tmp/b'), osSecretBox('linux'), () => 'TILL-OTHER');
    expect(again.clientKey()).toBe(CLIENT_KEY);
    expect(again.current.udid).toBe('TILL-TEST0001');
  });

  it('on Linux with basic_text, the key never reaches the store, not even encrypted', () => {
    fake.safeStorage.backend = 'basic_text';
    const settings = new SettingsManager(electronStoreBackend('/tmp/c'), osSecretBox('linux'), () => 'TILL-TEST0001');
    const encrypt = vi.spyOn(fake.safeStorage, 'encryptString');
    settings.setCredentials({ environment: 'test', appCode: 'APP0001', clientKey: CLIENT_KEY });
    expect(encrypt).not.toHaveBeenCalled();
    expect(fake.storeData.get('/tmp/c/settings')).toMatchObject({ clientKeyEncrypted: null });
    expect(JSON.stringify(fake.storeData.get('/tmp/c/settings'))).not.toContain(CLIENT_KEY);
    expect(settings.keyStorage()).toBe('memory');
  });
});
