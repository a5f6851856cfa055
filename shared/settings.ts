import { z } from 'zod';
import { CURRENCIES, MAX_TXAMT, type CurrencyCode } from './currency';
import { MPM_PAY_TYPES, PAY_TYPE_ORDER, type PayType } from './pay-types';

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

/** Receipts (issue 14): when they print, on what paper, in which printer code page. */
export const RECEIPT_PRINT_MODES = ['auto', 'on_request', 'never'] as const;
export const PAPER_WIDTHS = [80, 58] as const;
/** big5: Traditional; gb18030: Simplified; ascii: an English-only printer; image: no Chinese font (text printed as a picture). */
export const RECEIPT_CODE_PAGES = ['big5', 'gb18030', 'ascii', 'image'] as const;
export type ReceiptCodePage = (typeof RECEIPT_CODE_PAGES)[number];
/** 'none', a network printer 'tcp://host:port', or an OS printer 'os:<name>'. */
export const printerConnectionSchema = z.string().regex(/^(none|tcp:\/\/[A-Za-z0-9.-]{1,253}(:\d{1,5})?|os:\P{Cc}{1,120})$/u, 'printer');

export const udidSchema = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/, 'udid');
export const appCodeSchema = z.string().regex(/^[\x21-\x7e]{1,64}$/, 'app_code');
export const mchidSchema = z.string().regex(/^[A-Za-z0-9]{1,32}$/, 'mchid');
export const clientKeySchema = z.string().regex(/^\S{8,256}$/, 'client_key');
export const pinSchema = z.string().regex(/^\d{4,8}$/, 'pin');

/** Control (Cc) and format (Cf: bidi overrides, zero-width) characters, as QFPay's goods_name refuses them. */
export const INVISIBLE = /[\p{Cc}\p{Cf}]/u;

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
  /** Shown to the customer and printed on reports: no control or bidi characters (they can spoof both). */
  merchantName: z.string().trim().max(40).refine((v) => !INVISIBLE.test(v), 'merchantName'),
  language: z.enum(LANGUAGES),
  /** 'auto', 'primary', 'off', or a display id as text. */
  customerDisplay: z.string().regex(/^(auto|primary|off|\d{1,20})$/, 'customerDisplay'),
  businessDayCutoffHour: z.number().int().min(0).max(23),
  verifyResponseSignature: z.boolean(),
  /** An IANA zone the runtime knows: QFPay's txdtm and the refund window are local times in it. */
  timeZone: z.string().min(1).max(64).refine(isKnownTimeZone, 'timeZone'),
  /** A short chime on the cashier's computer when a sale is paid (issue 12): off unless the owner turns it on. */
  paidChime: z.boolean(),
  /** Where updates are published (electron-builder's generic feed, the folder holding latest.yml); empty: no updates. */
  updateFeedUrl: z.union([z.literal(''), z.string().max(500).regex(/^https?:\/\/[^\s]+$/, 'updateFeedUrl')]),
  /** Above this (minor units, per currency) a charge asks the cashier to confirm the amount again; absent: the default below. */
  largeChargeMinor: z.partialRecord(z.enum(CURRENCIES as [CurrencyCode, ...CurrencyCode[]]), z.number().int().min(1).max(MAX_TXAMT)),
  /** Currencies offered at the counter besides the default one; the picker shows only when there is more than one. */
  extraCurrencies: z.array(z.enum(CURRENCIES as [CurrencyCode, ...CurrencyCode[]])).max(CURRENCIES.length),
  receiptAddress: z.string().trim().max(80),
  receiptFooter: z.string().trim().max(120),
  printer: printerConnectionSchema,
  paperWidth: z.union([z.literal(80), z.literal(58)]),
  receiptCodePage: z.enum(RECEIPT_CODE_PAGES),
  receiptPrint: z.enum(RECEIPT_PRINT_MODES),
  /** Head office (issue 15): replication on or off, and where to (no password: that is kept like the client key). */
  headOfficeEnabled: z.boolean(),
  headOfficeUrl: z.string().max(500).refine((text) => officeUrlProblem(text) === null, 'officeUrl').nullable(),
  /**
   * Issue 13: the merchant-presented wallets the counter offers (each must be
   * enabled for the merchant at QFPay), in the order shown; WeChat first by
   * default. At least one.
   */
  mpmPayTypes: z.array(z.enum(MPM_PAY_TYPES as [PayType, ...PayType[]])).min(1).max(MPM_PAY_TYPES.length).refine((list) => new Set(list).size === list.length, 'mpmPayTypes'),
  /** The merchant uses QFPay's unified consumer-presented code (800008) for every scanned code. */
  unifiedCpm: z.boolean(),
  /** How long a scanned code's payment may wait for the customer (password on the phone) before the till reverses it. */
  cpmWindowSeconds: z.number().int().min(30).max(300),
  /** Pay types for which the merchant enabled QFPay's real-name payer check (extend_info): the cashier may enter an ID before Charge. */
  realNamePayTypes: z.array(z.enum(PAY_TYPE_ORDER as [PayType, ...PayType[]])).max(PAY_TYPE_ORDER.length),
});

export type Settings = z.infer<typeof settingsSchema>;

/** What the renderer may change through settings.update (credentials go through their own method). */
export const settingsPatchSchema = settingsSchema.omit({ appCode: true, mchid: true, environment: true, headOfficeEnabled: true, headOfficeUrl: true }).partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** How the client key is kept: encrypted by the OS, only in memory for this session, or not set. */
export type KeyStorage = 'encrypted' | 'memory' | 'none';

/**
 * none: never set (a fresh till, training only). set: sealed and mirrored.
 * tampered: the sealed PIN is intact but the hash in settings.json was deleted
 * or replaced (the sealed PIN still rules; entering it repairs the file).
 * missing: no sealed PIN can be read although the file shows one existed
 * (a hash, a stored key, a live environment): a legacy or edited file. A new
 * PIN may be set, and the QFPay client key must then be entered again.
 */
export const PIN_STATES = ['none', 'set', 'tampered', 'missing'] as const;
export type PinState = (typeof PIN_STATES)[number];

export interface SettingsView extends Settings {
  hasClientKey: boolean;
  keyStorage: KeyStorage;
  /** A PIN is asked for refunds, Z, settings and exports (state set or tampered). */
  pinSet: boolean;
  pinState: PinState;
  /** A head-office password is kept (it is never shown). */
  headOfficePasswordSet: boolean;
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
  paidChime: false,
  updateFeedUrl: '',
  largeChargeMinor: {},
  extraCurrencies: [],
  receiptAddress: '',
  receiptFooter: '',
  printer: 'none',
  paperWidth: 80,
  receiptCodePage: 'big5',
  receiptPrint: 'on_request',
  headOfficeEnabled: false,
  headOfficeUrl: null,
  mpmPayTypes: ['800201'],
  unifiedCpm: false,
  cpmWindowSeconds: 60,
  realNamePayTypes: [],
};

/**
 * HK$10,000 and roughly the same in each currency QFPay takes (rounded, so a
 * cashier can recognise it): above it a charge is confirmed on a second step.
 * The owner sets their own per currency in Settings.
 */
export const DEFAULT_LARGE_CHARGE_MINOR: Readonly<Record<CurrencyCode, number>> = {
  AED: 470_000,
  AUD: 200_000,
  CAD: 180_000,
  CNY: 900_000,
  EUR: 120_000,
  HKD: 1_000_000,
  IDR: 2_000_000_000,
  JPY: 200_000,
  MMK: 270_000_000,
  MYR: 600_000,
  SGD: 170_000,
  THB: 4_500_000,
  USD: 130_000,
};

export function largeChargeThreshold(settings: Pick<Settings, 'largeChargeMinor'>, currency: CurrencyCode): number {
  return settings.largeChargeMinor[currency] ?? DEFAULT_LARGE_CHARGE_MINOR[currency];
}

/** The currencies the counter offers: the default first, then the extra ones the owner enabled. */
export function counterCurrencies(settings: Pick<Settings, 'defaultCurrency' | 'extraCurrencies'>): CurrencyCode[] {
  const first = settings.defaultCurrency as CurrencyCode;
  return [first, ...settings.extraCurrencies.filter((c) => c !== first)];
}

/** The till's language for a system locale: Traditional for HK/TW/MO, Simplified for other Chinese, else English. */
export function languageForLocale(locale: string | undefined): Language {
  const l = (locale ?? '').toLowerCase().replace('_', '-');
  if (!l.startsWith('zh')) return 'en';
  if (l.includes('hant') || /-(hk|tw|mo)\b/.test(l)) return 'zh-Hant';
  return 'zh-Hans';
}

/**
 * Head office (issue 15): replication of the journal to PostgreSQL. The URL
 * is kept without its password: the password is a secret, kept like the
 * client key and joined to the URL only in main. A URL with a password in it
 * is refused (said as such: 'officeUrlPassword'), never split silently: it
 * would have been typed into a plain field and must not sit in settings.json.
 */
export function officeUrlProblem(text: string): 'officeUrl' | 'officeUrlPassword' | null {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'officeUrl';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return 'officeUrl';
  if (url.password !== '') return 'officeUrlPassword';
  // host, and one database name; the port is optional (5432) and URL has already refused one out of range.
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (url.hostname === '' || database === '' || database.includes('/') || /\s/.test(text)) return 'officeUrl';
  return null;
}

export const officeUrlSchema = z
  .string()
  .max(500)
  .superRefine((text, ctx) => {
    const problem = officeUrlProblem(text);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });
/** Write-only: never read back (the view says only whether one is set). */
export const officePasswordSchema = z.string().regex(/^[^\p{Cc}]{1,256}$/u, 'officePassword');
