import i18next from 'i18next';
import { EVENTS, METHODS, type AppStatus, type IpcResult, type TillApi } from '../../../../shared/contract';
import type { DisplayState } from '../../../../shared/display';
import type { TillReport } from '../../../../shared/reports';
import type { SaleView } from '../../../../shared/sale';
import type { Language, SettingsView } from '../../../../shared/settings';
import { initI18n } from '../../../../renderer/i18n';

// Shared pieces for the component tests: i18next in a chosen language, a
// settings view, sale views in every state, and a fake window.till that
// records calls and answers what each test tells it to.

export async function useLanguage(language: Language): Promise<void> {
  initI18n(language);
  await i18next.changeLanguage(language);
}

export function settingsView(overrides: Partial<SettingsView> = {}): SettingsView {
  return {
    environment: 'training',
    appCode: null,
    mchid: null,
    udid: 'TILL-01',
    defaultCurrency: 'HKD',
    rmbTag: false,
    qrExpiryMinutes: 30,
    tillsPerMerchant: 4,
    merchantName: 'Chan Kee',
    language: 'en',
    customerDisplay: 'auto',
    businessDayCutoffHour: 4,
    verifyResponseSignature: false,
    paidChime: false,
    timeZone: 'Asia/Hong_Kong',
    updateFeedUrl: '',
    largeChargeMinor: {},
    extraCurrencies: [],
    receiptAddress: '', receiptFooter: '', printer: 'none', paperWidth: 80, receiptCodePage: 'big5', receiptPrint: 'never',
    hasClientKey: false,
    keyStorage: 'none',
    pinSet: false,
    pinState: 'none',
    headOfficeEnabled: false,
    headOfficeUrl: null,
    headOfficePasswordSet: false,
    mpmPayTypes: ['800201'],
    unifiedCpm: false,
    cpmWindowSeconds: 60,
    realNamePayTypes: [],
    ...overrides,
  };
}

export const QR_TEXT = 'weixin://wxpay/bizpayurl?pr=Test123';
export const T0 = Date.UTC(2026, 10, 26, 4, 0, 0);

/** An X report of the hour from T0 with nothing in it, for a screen to fill in. */
export const emptyReport = (overrides: Partial<TillReport> = {}): TillReport => ({
  kind: 'x',
  udid: 'TILL-01',
  training: false,
  periodStartMs: T0,
  periodEndMs: T0 + 3_600_000,
  generatedAtMs: T0 + 3_600_000,
  businessDay: '2026-11-26',
  businessDayCutoffHour: 4,
  timeZone: 'Asia/Hong_Kong',
  currencies: [],
  ...overrides,
});

export function saleView(overrides: Partial<SaleView> = {}): SaleView {
  return {
    outTradeNo: 'TILL-01-S0001',
    amountMinor: 1230,
    currency: 'HKD',
    goodsName: null,
    state: 'awaiting_scan',
    activity: 'waiting',
    qrcode: QR_TEXT,
    expiresAtMs: Date.now() + 5 * 60_000,
    createdAtMs: T0,
    paidAtMs: null,
    syssn: null,
    respcd: null,
    paidAfterCancel: false,
    cancelReason: null,
    refundedMinor: 0,
    training: true,
    ...overrides,
  };
}

export const displayBase = { merchantName: 'Chan Kee', training: false };
export const DISPLAY_STATES: Record<DisplayState['kind'], DisplayState> = {
  idle: { kind: 'idle', ...displayBase, wallets: ['wechat', 'alipay', 'payme', 'fps'] },
  due: { kind: 'due', ...displayBase, amountMinor: 1230, currency: 'HKD', wallets: ['wechat', 'alipay'] },
  show_code: { kind: 'show_code', ...displayBase, amountMinor: 1230, currency: 'HKD', payType: '800208', waiting: true },
  qr: { kind: 'qr', ...displayBase, amountMinor: 1230, currency: 'HKD', qrcode: QR_TEXT, expiresAtMs: Date.now() + 5 * 60_000, remainingMs: 5 * 60_000, lifetimeMs: 30 * 60_000 },
  paid: { kind: 'paid', ...displayBase, amountMinor: 1230, currency: 'HKD' },
  closed: { kind: 'closed', ...displayBase, reason: 'cancelled' },
};

type Answer = (input?: unknown) => Promise<IpcResult<unknown>>;

export interface FakeTill {
  api: TillApi;
  /** Every call made, in order: [method, input]. */
  calls: [string, unknown][];
  /** Overrides a method's answer. */
  answer(method: keyof TillApi, fn: Answer): void;
  /** Pushes an event to the listeners the screen registered. */
  emit(event: 'onSale' | 'onRefund' | 'onSettings' | 'onStatus' | 'onDisplay', payload: unknown): void;
}

const status: AppStatus = { mode: 'training', ready: true, keyStorage: 'none', openWork: 0, connection: { state: 'online', detail: null, sinceMs: 0 } };

/** Installs a fake window.till answering ok to everything (charge returns a requesting sale). */
export function installFakeTill(): FakeTill {
  const calls: [string, unknown][] = [];
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const answers = new Map<string, Answer>([
    ['charge', async (input) => ({ ok: true, value: saleView({ ...(input as object), state: 'requesting', activity: 'creating', qrcode: null, expiresAtMs: null }) })],
    ['cancel', async () => ({ ok: true, value: saleView({ state: 'cancelling', activity: 'cancelling', qrcode: null }) })],
    ['settings', async () => ({ ok: true, value: settingsView() })],
    ['status', async () => ({ ok: true, value: status })],
    ['currentSale', async () => ({ ok: true, value: null })],
    ['parkedSales', async () => ({ ok: true, value: [] })],
    ['displayState', async () => ({ ok: true, value: DISPLAY_STATES.idle })],
    ['updateSettings', async () => ({ ok: true, value: settingsView() })],
    ['updateStatus', async () => ({ ok: true, value: { state: 'off' } })],
    ['history', async () => ({ ok: true, value: { sales: [], hasMore: false } })],
  ]);
  const api: Record<string, unknown> = {};
  for (const name of Object.keys(METHODS)) {
    api[name] = (input?: unknown) => {
      calls.push([name, input]);
      const fn = answers.get(name) ?? (async () => ({ ok: true, value: null }));
      return fn(input);
    };
  }
  for (const name of Object.keys(EVENTS)) {
    api[name] = (listener: (p: unknown) => void) => {
      const set = listeners.get(name) ?? new Set();
      listeners.set(name, set);
      set.add(listener);
      return () => set.delete(listener);
    };
  }
  (window as unknown as { till: unknown }).till = api;
  return {
    api: api as unknown as TillApi,
    calls,
    answer: (method, fn) => answers.set(method, fn),
    emit: (event, payload) => listeners.get(event)?.forEach((l) => l(payload)),
  };
}
