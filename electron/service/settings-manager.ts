import { BASE_URLS, officePasswordSchema, officeUrlProblem, settingsPatchSchema, type Environment, type KeyStorage, type Settings, type SettingsPatch, type SettingsView } from '../../shared/settings';
import type { Credentials } from '../till/core';
import { NO_PIN_LOCK, migrateSettings, settingsView, type PinLock, type PinState, type SecretBox, type SettingsBackend, type StoredSettings } from './settings-model';

/** The PIN record as sealed by the OS key store: the pepper and the hash it binds. */
export interface PinSeal {
  pepper: Buffer;
  pinHash: string;
}

// Settings and the secrets: the QFPay client key and head office's database
// password. Each is encrypted by the OS key store when it really protects
// it; otherwise (no key store, or Linux's basic_text) it is kept in memory
// for this session only and never written anywhere.

export type CredentialsChange =
  | { ok: true }
  | { ok: false; field: string; message: string };

/** Head office (issue 15): on/off, the URL without its password, and the password (undefined keeps it, null removes it). */
export interface HeadOfficeChange {
  enabled: boolean;
  url: string | null;
  password?: string | null | undefined;
}

interface Snapshot {
  stored: StoredSettings;
  memoryKey: string | undefined;
  memoryOfficePassword: string | undefined;
}

export class SettingsManager {
  private stored: StoredSettings;
  private memoryKey: string | undefined;
  private memoryOfficePassword: string | undefined;

  constructor(
    private readonly backend: SettingsBackend,
    private readonly box: SecretBox,
    newUdid: () => string,
    firstRun: Partial<Settings> = {},
  ) {
    this.stored = migrateSettings(backend.read(), newUdid, firstRun);
    backend.write(this.stored);
  }

  get current(): StoredSettings {
    return this.stored;
  }

  keyStorage(): KeyStorage {
    if (this.memoryKey !== undefined) return 'memory';
    return this.stored.clientKeyEncrypted !== null && this.decryptKey() !== undefined ? 'encrypted' : 'none';
  }

  view(): SettingsView {
    return settingsView(this.stored, this.keyStorage(), this.pinState(), this.officePassword() !== undefined);
  }

  // ---- the PIN record -------------------------------------------------------------------

  /** The sealed PIN record, if the OS key store opens it. */
  pinSeal(): PinSeal | undefined {
    const cipher = this.stored.pinSeal;
    if (cipher === null || this.box.protection() === 'unavailable') return undefined;
    try {
      const value = JSON.parse(this.box.decrypt(cipher)) as { v?: unknown; pepper?: unknown; pinHash?: unknown };
      if (value.v !== 1 || typeof value.pepper !== 'string' || typeof value.pinHash !== 'string') return undefined;
      const pepper = Buffer.from(value.pepper, 'base64');
      return pepper.length >= 16 ? { pepper, pinHash: value.pinHash } : undefined;
    } catch {
      return undefined;
    }
  }

  /** See PinState. Anything in settings.json that says a PIN or live credentials existed, without a readable seal, is 'missing'. */
  pinState(): PinState {
    const seal = this.pinSeal();
    if (seal) return seal.pinHash === this.stored.pinHash ? 'set' : 'tampered';
    const s = this.stored;
    if (s.pinSeal !== null || s.pinHash !== null || s.clientKeyEncrypted !== null || s.environment !== 'training') return 'missing';
    return 'none';
  }

  /** Whether a PIN record can be sealed at all (safeStorage works; basic_text still keeps it out of the file in clear). */
  canSealPin(): boolean {
    return this.box.protection() !== 'unavailable';
  }

  /**
   * Seals and stores a new PIN record (or removes it), and clears the lock-out.
   * Leaving 'missing' also forgets the stored client key and returns to
   * training: the key was stored under a PIN record nobody can check any more.
   */
  setPinRecord(record: PinSeal | null): void {
    const forget = this.pinState() === 'missing' || record === null;
    const pinSeal = record === null ? null : this.box.encrypt(JSON.stringify({ v: 1, pepper: record.pepper.toString('base64'), pinHash: record.pinHash }));
    this.stored = {
      ...this.stored,
      pinHash: record?.pinHash ?? null,
      pinSeal,
      pinLock: { ...NO_PIN_LOCK },
      ...(forget ? { clientKeyEncrypted: null, headOfficePasswordEncrypted: null, environment: 'training' as const } : {}),
    };
    if (forget) {
      this.memoryKey = undefined;
      this.memoryOfficePassword = undefined;
    }
    this.backend.write(this.stored);
  }

  /** Writes the sealed hash back over an edited or deleted mirror (after the right PIN). */
  repairPinHash(): void {
    const seal = this.pinSeal();
    if (!seal || seal.pinHash === this.stored.pinHash) return;
    this.stored = { ...this.stored, pinHash: seal.pinHash };
    this.backend.write(this.stored);
  }

  setPinLock(lock: PinLock): void {
    this.stored = { ...this.stored, pinLock: { ...lock } };
    this.backend.write(this.stored);
  }

  private decryptKey(): string | undefined {
    return this.unseal(this.stored.clientKeyEncrypted);
  }

  private unseal(cipher: string | null): string | undefined {
    if (cipher === null || this.box.protection() === 'unavailable') return undefined;
    try {
      return this.box.decrypt(cipher);
    } catch {
      return undefined;
    }
  }

  /** A secret to keep: sealed by the OS, or (no real key store) for this session only, never plain text on disk. */
  private seal(plain: string): { cipher: string | null; memory: string | undefined } {
    return this.box.protection() === 'os' ? { cipher: this.box.encrypt(plain), memory: undefined } : { cipher: null, memory: plain };
  }

  clientKey(): string | undefined {
    return this.memoryKey ?? this.decryptKey();
  }

  /** QFPay credentials for the chosen environment, or undefined for training (or when incomplete, or without a sound PIN record). */
  credentials(): Credentials | undefined {
    const env = this.stored.environment;
    // Never live without a supervisor PIN (issue 10): whatever settings.json says.
    if (env === 'training' || this.pinState() !== 'set') return undefined;
    const clientKey = this.clientKey();
    if (!this.stored.appCode || !clientKey) return undefined;
    return { baseUrl: BASE_URLS[env], appCode: this.stored.appCode, clientKey, mchid: this.stored.mchid ?? undefined };
  }

  /** Validated against the shared schema; nothing is written when any field is wrong. */
  update(patch: SettingsPatch): { ok: true } | { ok: false; field: string; message: string } {
    const parsed = settingsPatchSchema.safeParse(patch);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      return { ok: false, field: String(issue.path[0] ?? 'settings'), message: issue.message };
    }
    this.stored = { ...this.stored, ...parsed.data };
    this.backend.write(this.stored);
    return { ok: true };
  }

  setCredentials(change: { environment: Environment; appCode?: string | undefined; clientKey?: string | undefined; mchid?: string | null | undefined }): CredentialsChange {
    const appCode = change.appCode ?? this.stored.appCode;
    const hasKey = change.clientKey !== undefined || this.clientKey() !== undefined;
    if (change.environment !== 'training') {
      if (!appCode) return { ok: false, field: 'appCode', message: 'an app code is needed for this environment' };
      if (!hasKey) return { ok: false, field: 'clientKey', message: 'a client key is needed for this environment' };
    }
    let clientKeyEncrypted = this.stored.clientKeyEncrypted;
    if (change.clientKey !== undefined) {
      // Never plain text on disk: without a real key store, this session only (the settings screen says so).
      const sealed = this.seal(change.clientKey);
      clientKeyEncrypted = sealed.cipher;
      this.memoryKey = sealed.memory;
    }
    this.stored = {
      ...this.stored,
      environment: change.environment,
      appCode: appCode ?? null,
      mchid: change.mchid === undefined ? this.stored.mchid : change.mchid,
      clientKeyEncrypted,
    };
    this.backend.write(this.stored);
    return { ok: true };
  }

  // ---- head office (issue 15) -------------------------------------------------------

  /** Head office's password, if one is kept and readable. */
  officePassword(): string | undefined {
    return this.memoryOfficePassword ?? this.unseal(this.stored.headOfficePasswordEncrypted);
  }

  /**
   * Where the background sender sends, password joined in: only for main to
   * hand to the service, never to the renderer or a log. Undefined when off.
   */
  headOfficeUrl(): string | undefined {
    const { headOfficeEnabled, headOfficeUrl } = this.stored;
    if (!headOfficeEnabled || headOfficeUrl === null) return undefined;
    const password = this.officePassword();
    if (password === undefined) return headOfficeUrl;
    const url = new URL(headOfficeUrl);
    // pg decodes the user info: encoded here, a password with @ : / or % arrives as typed.
    url.password = encodeURIComponent(password);
    return url.toString();
  }

  /** Validated; nothing is written when any field is wrong. The message is a translation key (settings screen, invalid.*). */
  setHeadOffice(change: HeadOfficeChange): CredentialsChange {
    if (change.url !== null) {
      const problem = officeUrlProblem(change.url);
      if (problem) return { ok: false, field: 'url', message: problem };
    } else if (change.enabled) {
      return { ok: false, field: 'url', message: 'officeUrl' };
    }
    if (typeof change.password === 'string' && !officePasswordSchema.safeParse(change.password).success) return { ok: false, field: 'password', message: 'officePassword' };
    let headOfficePasswordEncrypted = this.stored.headOfficePasswordEncrypted;
    if (change.password === null) {
      headOfficePasswordEncrypted = null;
      this.memoryOfficePassword = undefined;
    } else if (change.password !== undefined) {
      const sealed = this.seal(change.password);
      headOfficePasswordEncrypted = sealed.cipher;
      this.memoryOfficePassword = sealed.memory;
    }
    this.stored = { ...this.stored, headOfficeEnabled: change.enabled, headOfficeUrl: change.url, headOfficePasswordEncrypted };
    this.backend.write(this.stored);
    return { ok: true };
  }

  /** Everything needed to undo a change (a reopen that failed). */
  snapshot(): Snapshot {
    return { stored: this.stored, memoryKey: this.memoryKey, memoryOfficePassword: this.memoryOfficePassword };
  }

  restore(snapshot: Snapshot): void {
    // The PIN record and its lock-out are not part of a settings change: an undo never rolls them back.
    const { pinHash, pinSeal, pinLock } = this.stored;
    this.stored = { ...snapshot.stored, pinHash, pinSeal, pinLock };
    this.memoryKey = snapshot.memoryKey;
    this.memoryOfficePassword = snapshot.memoryOfficePassword;
    this.backend.write(this.stored);
  }

}
