import { DEFAULT_SETTINGS, settingsSchema, type KeyStorage, type PinState, type Settings, type SettingsView } from '../../shared/settings';

// What the settings store holds on disk, and its migrations. electron-store
// (in electron/settings.ts) only persists this object; everything about its
// shape lives here, in plain Node, so it is tested without Electron.

export const SETTINGS_VERSION = 4;

export interface StoredSettings extends Settings {
  settingsVersion: number;
  /** client_key encrypted by the OS (safeStorage), base64. Never plain text. */
  clientKeyEncrypted: string | null;
  /** scrypt hash of the supervisor PIN (peppered: pin.ts). A mirror of the one in pinSeal, so an edit shows. */
  pinHash: string | null;
  /** The PIN record sealed by the OS key store (pepper + hash): the authority. */
  pinSeal: string | null;
  /** Wrong-PIN count and lock-out, kept across restarts (pin-guard.ts). */
  pinLock: PinLock;
  /** Head office's database password, encrypted by the OS like the client key. Never plain text. */
  headOfficePasswordEncrypted: string | null;
}

export interface PinLock {
  /** Wrong PINs since the last lock-out or right PIN (an attempt counts before its hash is computed). */
  failures: number;
  /** PIN checks are refused until then (epoch ms); 0 when not locked. */
  lockedUntilMs: number;
  /** Lock-outs since the last right PIN: each one lasts longer. */
  lockouts: number;
}

export const NO_PIN_LOCK: PinLock = { failures: 0, lockedUntilMs: 0, lockouts: 0 };

export type { PinState };

function pinLockOf(raw: unknown): PinLock {
  if (typeof raw !== 'object' || raw === null) return { ...NO_PIN_LOCK };
  const value = raw as Record<string, unknown>;
  const count = (v: unknown) => (typeof v === 'number' && Number.isSafeInteger(v) && v >= 0 ? v : 0);
  return { failures: count(value.failures), lockedUntilMs: count(value.lockedUntilMs), lockouts: count(value.lockouts) };
}

/** The OS key store, as safeStorage offers it. */
export interface SecretBox {
  /** 'os' only when the OS really protects the key (not Linux's basic_text fallback). */
  protection(): 'os' | 'basic_text' | 'unavailable';
  encrypt(plain: string): string;
  decrypt(cipher: string): string;
}

/** Where settings are kept (electron-store in the app, a plain object in tests). */
export interface SettingsBackend {
  read(): unknown;
  write(value: StoredSettings): void;
}

type Migration = (raw: Record<string, unknown>) => Record<string, unknown>;

/**
 * Each step takes version N-1 to N. Version 1 (0.1 builds) called the QR
 * lifetime `expiryMinutes` and had no business-day cut-off. Version 3 adds
 * head office (issue 15), off: a till updated in a shop never starts sending
 * its journal anywhere by itself. Version 4 adds the wallets (issue 13).
 */
const MIGRATIONS: Record<number, Migration> = {
  2: (raw) => {
    const { expiryMinutes, ...rest } = raw;
    return { ...rest, qrExpiryMinutes: rest.qrExpiryMinutes ?? expiryMinutes, businessDayCutoffHour: rest.businessDayCutoffHour ?? DEFAULT_SETTINGS.businessDayCutoffHour };
  },
  3: (raw) => ({ ...raw, headOfficeEnabled: false, headOfficeUrl: null, headOfficePasswordEncrypted: null }),
  // Issue 13: the counter keeps offering WeChat only until the owner enables more wallets.
  4: (raw) => ({ ...raw, mpmPayTypes: DEFAULT_SETTINGS.mpmPayTypes, unifiedCpm: DEFAULT_SETTINGS.unifiedCpm, cpmWindowSeconds: DEFAULT_SETTINGS.cpmWindowSeconds, realNamePayTypes: DEFAULT_SETTINGS.realNamePayTypes }),
};

/**
 * Brings whatever is on disk to the current version. Unknown or invalid
 * values fall back to defaults one field at a time (a bad language must not
 * wipe the credentials); a new udid is made only when there is none.
 */
export function migrateSettings(raw: unknown, newUdid: () => string, firstRun: Partial<Settings> = {}): StoredSettings {
  let value: Record<string, unknown> = typeof raw === 'object' && raw !== null && !Array.isArray(raw) ? { ...(raw as Record<string, unknown>) } : {};
  let version = typeof value.settingsVersion === 'number' ? value.settingsVersion : Object.keys(value).length === 0 ? SETTINGS_VERSION : 1;
  while (version < SETTINGS_VERSION) {
    version += 1;
    const step = MIGRATIONS[version];
    if (step) value = step(value);
  }
  // First-run choices (the language from the system locale) only fill what the store does not have.
  const defaults: Settings = { ...DEFAULT_SETTINGS, ...firstRun, udid: newUdid() };
  const settings: Record<string, unknown> = {};
  for (const key of Object.keys(settingsSchema.shape) as (keyof Settings)[]) {
    const field = settingsSchema.shape[key];
    const parsed = field.safeParse(value[key]);
    settings[key] = parsed.success ? parsed.data : defaults[key];
  }
  return {
    ...(settings as Settings),
    settingsVersion: SETTINGS_VERSION,
    clientKeyEncrypted: typeof value.clientKeyEncrypted === 'string' && value.clientKeyEncrypted !== '' ? value.clientKeyEncrypted : null,
    pinHash: typeof value.pinHash === 'string' && value.pinHash.startsWith('scrypt$') ? value.pinHash : null,
    pinSeal: typeof value.pinSeal === 'string' && value.pinSeal !== '' ? value.pinSeal : null,
    pinLock: pinLockOf(value.pinLock),
    headOfficePasswordEncrypted: typeof value.headOfficePasswordEncrypted === 'string' && value.headOfficePasswordEncrypted !== '' ? value.headOfficePasswordEncrypted : null,
  };
}

/** The renderer's view: everything but the secrets and the PIN record. pinSet: a PIN is asked for. */
export function settingsView(stored: StoredSettings, keyStorage: KeyStorage, pinState: PinState, headOfficePasswordSet = false): SettingsView {
  const { settingsVersion: _v, clientKeyEncrypted: _k, pinHash: _h, pinSeal: _s, pinLock: _l, headOfficePasswordEncrypted: _p, ...settings } = stored;
  return {
    ...settings,
    hasClientKey: keyStorage !== 'none',
    keyStorage,
    pinSet: pinState === 'set' || pinState === 'tampered',
    pinState,
    headOfficePasswordSet,
  };
}
