import { z } from 'zod';
import { CURRENCIES } from './currency';

// The till's settings as both processes see them (never the client key or
// the PIN hash: those stay in main). One schema validates what the renderer
// sends, what electron-store holds, and drives the settings screen's inline
// messages.

export const ENVIRONMENTS = ['training', 'test', 'production'] as const;
export type Environment = (typeof ENVIRONMENTS)[number];

/** API.md, "Environments". Training runs the built-in simulator on 127.0.0.1. */
export const BASE_URLS: Readonly<Record<Exclude<Environment, 'training'>, string>> = {
  production: 'https://openapi-hk.qfapi.com',
  test: 'https://test-openapi-hk.qfapi.com',
};

export const LANGUAGES = ['zh-Hant', 'zh-Hans', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** Where the customer display goes: automatic (a secondary screen if any), a display by id, or off. */
export const CUSTOMER_DISPLAY_CHOICES = ['auto', 'primary', 'off'] as const;

export const udidSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'udid');
export const appCodeSchema = z.string().regex(/^[\x21-\x7e]{1,64}$/, 'app_code');
export const mchidSchema = z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'mchid');
export const clientKeySchema = z.string().regex(/^\S{8,256}$/, 'client_key');
export const pinSchema = z.string().regex(/^\d{4,8}$/, 'pin');

function isKnownTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const settingsSchema = z.object({
  environment: z.enum(ENVIRONMENTS),
  appCode: appCodeSchema.nullable(),
  mchid: mchidSchema.nullable(),
  udid: udidSchema,
  defaultCurrency: z.enum(CURRENCIES as [string, ...string[]]),
  rmbTag: z.boolean(),
  qrExpiryMinutes: z.number().int().min(5).max(120),
  tillsPerMerchant: z.number().int().min(1).max(100),
  merchantName: z.string().trim().max(40),
  language: z.enum(LANGUAGES),
  /** 'auto', 'primary', 'off', or a display id as text. */
  customerDisplay: z.string().regex(/^(auto|primary|off|\d{1,20})$/, 'customerDisplay'),
  businessDayCutoffHour: z.number().int().min(0).max(23),
  verifyResponseSignature: z.boolean(),
  /** An IANA zone the runtime knows: QFPay's txdtm and the refund window are local times in it. */
  timeZone: z.string().min(1).max(64).refine(isKnownTimeZone, 'timeZone'),
});

export type Settings = z.infer<typeof settingsSchema>;

/** What the renderer may change through settings.update (credentials go through their own method). */
export const settingsPatchSchema = settingsSchema.omit({ appCode: true, mchid: true, environment: true }).partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** How the client key is kept: encrypted by the OS, only in memory for this session, or not set. */
export type KeyStorage = 'encrypted' | 'memory' | 'none';

export interface SettingsView extends Settings {
  hasClientKey: boolean;
  keyStorage: KeyStorage;
  pinSet: boolean;
}

export const DEFAULT_SETTINGS: Omit<Settings, 'udid'> = {
  environment: 'training',
  appCode: null,
  mchid: null,
  defaultCurrency: 'HKD',
  rmbTag: false,
  qrExpiryMinutes: 30,
  tillsPerMerchant: 4,
  merchantName: '',
  language: 'zh-Hant',
  customerDisplay: 'auto',
  businessDayCutoffHour: 4,
  verifyResponseSignature: false,
  timeZone: 'Asia/Hong_Kong',
};

/** The till's language for a system locale: Traditional for HK/TW/MO, Simplified for other Chinese, else English. */
export function languageForLocale(locale: string | undefined): Language {
  const l = (locale ?? '').toLowerCase().replace('_', '-');
  if (!l.startsWith('zh')) return 'en';
  if (l.includes('hant') || /-(hk|tw|mo)\b/.test(l)) return 'zh-Hant';
  return 'zh-Hans';
}

/**
 * Head office (issue 15): replication of the journal to PostgreSQL. The URL
 * is kept without its password (the password is a secret, kept like the
 * client key, and joined to the URL only in main); off by default.
 */
export const officeUrlSchema = z
  .string()
  .max(500)
  .refine((text) => {
    try {
      const url = new URL(text);
      return (url.protocol === 'postgres:' || url.protocol === 'postgresql:') && url.hostname !== '' && url.password === '';
    } catch {
      return false;
    }
  }, 'officeUrl');
export const officeSettingsSchema = z.object({ officeEnabled: z.boolean(), officeUrl: officeUrlSchema.nullable() });
export type OfficeSettings = z.infer<typeof officeSettingsSchema>;
export const DEFAULT_OFFICE_SETTINGS: OfficeSettings = { officeEnabled: false, officeUrl: null };
