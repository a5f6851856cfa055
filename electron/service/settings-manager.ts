import { BASE_URLS, settingsPatchSchema, type Environment, type KeyStorage, type Settings, type SettingsPatch, type SettingsView } from '../../shared/settings';
import type { Credentials } from '../till/core';
import { migrateSettings, settingsView, type SecretBox, type SettingsBackend, type StoredSettings } from './settings-model';

// Settings and the client key. The key is encrypted by the OS key store when
// it really protects it; otherwise (no key store, or Linux's basic_text) it
// is kept in memory for this session only and never written anywhere.

export type CredentialsChange =
  | { ok: true }
  | { ok: false; field: string; message: string };

export class SettingsManager {
  private stored: StoredSettings;
  private memoryKey: string | undefined;

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
    return settingsView(this.stored, this.keyStorage());
  }

  private decryptKey(): string | undefined {
    if (this.stored.clientKeyEncrypted === null || this.box.protection() === 'unavailable') return undefined;
    try {
      return this.box.decrypt(this.stored.clientKeyEncrypted);
    } catch {
      return undefined;
    }
  }

  clientKey(): string | undefined {
    return this.memoryKey ?? this.decryptKey();
  }

  /** QFPay credentials for the chosen environment, or undefined for training (or when incomplete). */
  credentials(): Credentials | undefined {
    const env = this.stored.environment;
    if (env === 'training') return undefined;
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
      if (this.box.protection() === 'os') {
        clientKeyEncrypted = this.box.encrypt(change.clientKey);
        this.memoryKey = undefined;
      } else {
        // Never plain text on disk: this session only (the settings screen says so).
        clientKeyEncrypted = null;
        this.memoryKey = change.clientKey;
      }
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

  /** Everything needed to undo a change (a reopen that failed). */
  snapshot(): { stored: StoredSettings; memoryKey: string | undefined } {
    return { stored: this.stored, memoryKey: this.memoryKey };
  }

  restore(snapshot: { stored: StoredSettings; memoryKey: string | undefined }): void {
    this.stored = snapshot.stored;
    this.memoryKey = snapshot.memoryKey;
    this.backend.write(this.stored);
  }

  setPinHash(pinHash: string | null): void {
    this.stored = { ...this.stored, pinHash };
    this.backend.write(this.stored);
  }
}
