import { safeStorage } from 'electron';
import Store from 'electron-store';
import type { SecretBox, SettingsBackend, StoredSettings } from './service/settings-model';

// electron-store and safeStorage behind the plain-Node interfaces the
// service uses. The schema and migrations live in service/settings-model.ts.

export function electronStoreBackend(cwd?: string): SettingsBackend {
  // 0600: the file holds the sealed client key and PIN record (issue 10).
  const store = new Store<Record<string, unknown>>({ name: 'settings', ...(cwd ? { cwd } : {}), clearInvalidConfig: false, configFileMode: 0o600 });
  return {
    read: () => store.store,
    write: (value: StoredSettings) => {
      store.store = { ...value };
    },
  };
}

export function osSecretBox(platform: NodeJS.Platform = process.platform): SecretBox {
  return {
    protection() {
      if (!safeStorage.isEncryptionAvailable()) return 'unavailable';
      // On Linux without a keyring, safeStorage "encrypts" with a hard-coded password: treat it as no protection.
      if (platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text') return 'basic_text';
      return 'os';
    },
    encrypt: (plain) => safeStorage.encryptString(plain).toString('base64'),
    decrypt: (cipher) => safeStorage.decryptString(Buffer.from(cipher, 'base64')),
  };
}
