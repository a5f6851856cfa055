import { z } from 'zod';
import { CURRENCIES, MAX_TXAMT } from './currency';
import { DRAWER_MOVEMENT_KINDS, MAX_REASON_LENGTH, type DrawerStatus } from './cash';
import type { DisplayState } from './display';
import type { Reconciliation } from './reconcile';
import type { TillReport, ZSummary } from './reports';
import type { RefundView, SaleView } from './sale';
import { CPM_PAY_TYPES, MPM_PAY_TYPES, type PayType } from './pay-types';
import type { UpdateStatus } from './update';
import { ENVIRONMENTS, appCodeSchema, clientKeySchema, mchidSchema, officePasswordSchema, officeUrlSchema, pinSchema, settingsPatchSchema, type Environment, type KeyStorage, type SettingsView } from './settings';

// The one IPC contract (STYLE.md, "One contract, three thin adapters"). Every
// renderer-callable method: its channel, the windows allowed to call it, the
// zod schema of its input, and its result type. electron/ipc.ts registers
// exactly these, electron/preload.ts exposes exactly these, the renderer
// calls window.till.<name>(input). Recipe for a new method: add it to
// METHODS here, add its handler to TillService (electron/service/), and
// nothing else — ipc.ts and preload.ts are driven by this table.

export type WindowKind = 'cashier' | 'customer';

export const ERROR_CODES = [
  // engine
  'not_ready', 'stopped', 'invalid_input', 'sale_open', 'not_found', 'not_cancellable', 'not_paid',
  'refund_open', 'nothing_to_refund', 'exceeds_refundable', 'refund_window', 'journal_unavailable',
  // end of day
  'open_work',
  // service and shell
  'forbidden', 'pin_required', 'pin_wrong', 'pin_locked', 'training_only', 'busy', 'not_available', 'connection_failed', 'internal',
  // issue 10: no PIN (or an unreadable PIN record) where one is needed; a save target inside the app's own folder
  'pin_not_set', 'path_refused',
  // issue 13, cash: the drawer's opening float is needed before the first cash sale after a Z
  'float_required',
  // issue 13: FPS (and any pay type QFPay does not refund); a pay type the merchant has not enabled in Settings
  'not_refundable', 'pay_type_disabled',
] as const;
export type ErrorCode = (typeof ERROR_CODES)[number];

export interface IpcError {
  code: ErrorCode;
  message: string;
  field?: string;
  outTradeNo?: string;
  /** invalid_input on a real-name check: what is wrong (id_format, id_checksum, name_format), never the values. */
  problem?: string;
  /** open_work: the sales and refunds still unresolved (a Z waits for them). */
  openSales?: string[];
  openRefunds?: string[];
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

const outTradeNo = z.string().regex(/^[A-Za-z0-9_-]{1,128}$/);
const amountMinor = z.number().int().min(1).max(MAX_TXAMT);
const optionalPin = z.object({ pin: pinSchema.optional() });

/**
 * The real-name payer check (issue 13, API.md extend_info): what the cashier
 * typed. Checked again in main (checkRealName); never logged, journaled
 * unmasked or shown on the customer display, dropped when the sale ends.
 */
export const realNameInputSchema = z.strictObject({ idCardNumber: z.string().max(18), name: z.string().max(40) });

export const chargeInputSchema = z.strictObject({
  amountMinor,
  currency: z.enum(CURRENCIES as [string, ...string[]]),
  goodsName: z.string().max(64).optional(),
  /** A merchant-presented wallet the merchant enabled (Settings → mpmPayTypes); absent: the first one (WeChat). */
  payType: z.enum(MPM_PAY_TYPES as [PayType, ...PayType[]]).optional(),
  realName: realNameInputSchema.optional(),
});
/**
 * A consumer-presented payment (issue 13): the customer's payment code as the
 * scanner typed it. The pay type is chosen from the code (and the unified-code
 * setting) unless given; a code that is neither wallet's is refused, naming
 * field 'auth_code'.
 */
export const chargeCodeInputSchema = z.strictObject({
  amountMinor,
  currency: z.enum(CURRENCIES as [string, ...string[]]),
  goodsName: z.string().max(64).optional(),
  authCode: z.string().regex(/^\d{10,32}$/),
  payType: z.enum(CPM_PAY_TYPES as [PayType, ...PayType[]]).optional(),
  realName: realNameInputSchema.optional(),
});
export const saleRefSchema = z.strictObject({ outTradeNo });
export const cancelInputSchema = z.strictObject({ outTradeNo: outTradeNo.optional() });
export const historyInputSchema = z.strictObject({
  fromMs: z.number().int().nonnegative().optional(),
  toMs: z.number().int().nonnegative().optional(),
  text: z.string().max(64).optional(),
  amountMinor: amountMinor.optional(),
  limit: z.number().int().min(1).max(200).default(50),
  offset: z.number().int().min(0).max(1_000_000).default(0),
});
export const refundInputSchema = optionalPin.extend({ saleOutTradeNo: outTradeNo, amountMinor: amountMinor.optional() }).strict();
export const zReportInputSchema = optionalPin.extend({ counted: z.array(z.strictObject({ currency: z.enum(CURRENCIES as [string, ...string[]]), countedMinor: z.number().int().min(0).max(MAX_TXAMT) })).max(CURRENCIES.length).optional() }).strict();
export const restartToUpdateInputSchema = optionalPin.strict();
const instantMs = z.number().int().nonnegative().max(8_640_000_000_000_000);
export const reconcileInputSchema = z
  .strictObject({ fromMs: instantMs.optional(), toMs: instantMs.optional() })
  .refine((p) => p.fromMs === undefined || p.toMs === undefined || p.fromMs <= p.toMs, { message: 'toMs is before fromMs', path: ['toMs'] });
export const zHistoryInputSchema = z.strictObject({
  limit: z.number().int().min(1).max(200).default(50),
  offset: z.number().int().min(0).max(1_000_000).default(0),
});
export const zReprintInputSchema = z.strictObject({ zNumber: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER) });
export const exportCsvInputSchema = z
  .strictObject({ fromMs: instantMs, toMs: instantMs, pin: pinSchema.optional() })
  .refine((p) => p.fromMs <= p.toMs, { message: 'toMs is before fromMs', path: ['toMs'] });
export const REPORT_LAYOUTS = ['receipt', 'a4'] as const;
export type ReportLayout = (typeof REPORT_LAYOUTS)[number];
export const printReportInputSchema = z
  .strictObject({
    kind: z.enum(['x', 'z']),
    /** Z: a stored Z to reprint; absent prints the Z last taken. */
    zNumber: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional(),
    layout: z.enum(REPORT_LAYOUTS),
    output: z.enum(['print', 'pdf']),
    /** Saving a PDF is an export: behind the supervisor PIN. */
    pin: pinSchema.optional(),
  })
  .refine((p) => p.kind === 'z' || p.zNumber === undefined, { message: 'zNumber is for Z reports', path: ['zNumber'] });
export const settingsUpdateInputSchema = optionalPin.extend({ patch: settingsPatchSchema }).strict();
export const credentialsInputSchema = optionalPin
  .extend({
    environment: z.enum(ENVIRONMENTS),
    appCode: appCodeSchema.optional(),
    /** Write-only: never read back. Absent keeps the current key. */
    clientKey: clientKeySchema.optional(),
    mchid: mchidSchema.nullable().optional(),
  })
  .strict();
/** Head office (issue 15): on/off and the URL (no password in it); the password is write-only (absent keeps it, null removes it). */
export const headOfficeInputSchema = optionalPin
  .extend({ enabled: z.boolean(), url: officeUrlSchema.nullable(), password: officePasswordSchema.nullable().optional() })
  .strict()
  .refine((p) => !p.enabled || p.url !== null, { message: 'officeUrl', path: ['url'] });
export const pinCheckInputSchema = z.strictObject({ pin: pinSchema });
export const pinSetInputSchema = z.strictObject({ currentPin: pinSchema.optional(), newPin: pinSchema.nullable() });
/** A cash sale: what the customer handed over (at least the amount), and the opening float when the drawer asks for one. */
export const chargeCashInputSchema = z.strictObject({
  amountMinor,
  currency: z.enum(CURRENCIES as [string, ...string[]]),
  goodsName: z.string().max(64).optional(),
  tenderedMinor: amountMinor,
  openingFloatMinor: z.number().int().min(0).max(MAX_TXAMT).optional(),
});
/** Float, paid in or paid out; paid in and out are behind the supervisor PIN. */
export const drawerMoveInputSchema = optionalPin
  .extend({
    kind: z.enum(DRAWER_MOVEMENT_KINDS),
    currency: z.enum(CURRENCIES as [string, ...string[]]),
    amountMinor: z.number().int().min(0).max(MAX_TXAMT),
    reason: z.string().max(MAX_REASON_LENGTH).optional(),
  })
  .strict();
export const drawerStatusInputSchema = z.strictObject({ currency: z.enum(CURRENCIES as [string, ...string[]]) });
/** What the cashier is typing, for the customer display (null: nothing typed). */
export const showAmountInputSchema = z.strictObject({
  amountMinor: amountMinor.nullable(),
  currency: z.enum(CURRENCIES as [string, ...string[]]),
  /** Issue 13: the cashier pressed Scan: the customer display asks for the payment code. */
  scanning: z.boolean().optional(),
});
/** Receipts (issue 14): a paid sale's receipt, or a refund receipt; reprints are marked REPRINT. */
export const receiptInputSchema = z.strictObject({ outTradeNo, refundOutTradeNo: outTradeNo.optional(), reprint: z.boolean().default(false) });
export const drawerInputSchema = optionalPin.strict();
export const reportReceiptInputSchema = z
  .strictObject({ kind: z.enum(['x', 'z']), zNumber: z.number().int().min(1).max(Number.MAX_SAFE_INTEGER).optional() })
  .refine((p) => p.kind === 'z' || p.zNumber === undefined, { message: 'zNumber is for Z reports', path: ['zNumber'] });
const noInput = z.undefined();

export interface EventView {
  atMs: number;
  kind: 'transition' | 'exchange' | 'note';
  /** A one-line technical description (English), for support and as a tooltip. */
  summary: string;
  /** Transitions: the states, for the screen to translate. */
  from?: string | null;
  to?: string | null;
  /** Exchanges: which QFPay endpoint, its status code (null without an answer) and how long it took. */
  endpoint?: string;
  respcd?: string | null;
  durationMs?: number | null;
}

export interface SaleDetail {
  sale: SaleView;
  refunds: RefundView[];
  events: EventView[];
  /** Still refundable (paid amount less refunds done or in flight). */
  refundableMinor: number;
}

export interface HistoryPage {
  sales: SaleView[];
  hasMore: boolean;
}

export interface ConnectionTest {
  ok: boolean;
  /** QFPay's answer, or null when it never answered. */
  respcd: string | null;
  message: string;
  latencyMs: number;
}

/**
 * Whether QFPay answers, from the till's last requests: 'offline' after a
 * transport failure or a request unanswered for a few seconds, 'online'
 * after any answer, 'unknown' before the first request.
 */
export interface ConnectionState {
  state: 'unknown' | 'online' | 'offline';
  /** The last transport error (offline only), for the details. */
  detail: string | null;
  sinceMs: number;
}

export interface AppStatus {
  mode: Environment;
  /** False while unfinished sales are being checked with QFPay: Charge stays disabled. */
  ready: boolean;
  keyStorage: KeyStorage;
  /** Number of sales and refunds still being resolved. */
  openWork: number;
  connection: ConnectionState;
}

/** What stands between the till and its next Z. */
export interface ReportStatus {
  /** Where the current (not yet Z'd) period starts. */
  periodStartMs: number;
  /** Sales and refunds still unresolved: a Z is refused until they are. */
  openSales: string[];
  openRefunds: string[];
  lastZ: ZSummary | null;
}

export interface ZReprint {
  report: TillReport;
  /** False if the stored Z no longer matches its SHA-256: the journal was changed after it was taken. */
  intact: boolean;
}

export interface ExportResult {
  /** False when the cashier closed the save dialog. */
  saved: boolean;
  path: string | null;
  /** Sales and refunds written. */
  rows: number;
}

export interface PrintResult {
  done: boolean;
  /** The PDF's path when one was saved. */
  path: string | null;
}

export const RECEIPT_PRINT_FAILURES = ['unreachable', 'timeout', 'no_paper', 'closed', 'not_configured', 'failed'] as const;

/** What became of a receipt-printer job: never an error of the sale, whatever the printer did. */
export interface ReceiptPrintResult {
  printed: boolean;
  /** Where it went: 'virtual' (training), 'tcp://…', 'os:…' or 'none'. */
  printer: string;
  reason: (typeof RECEIPT_PRINT_FAILURES)[number] | null;
  /** A technical one-liner (English) for the log and a tooltip; the screen translates `reason`. */
  message: string | null;
}

export interface ReceiptPreview {
  svg: string;
  paperWidth: 80 | 58;
}

/** A job the virtual printer kept (training): the image and how many ESC/POS bytes it sent. */
export interface VirtualReceipt {
  id: number;
  atMs: number;
  title: string;
  svg: string;
  bytes: number;
}

/**
 * The background sender to head office, as the settings screen shows it:
 * off (no URL or turned off), training (never sent), else the sender's own
 * status from its last rounds (electron/office/sync.ts).
 */
export interface OfficeStatus {
  state: 'off' | 'training' | 'starting' | 'ok' | 'failing';
  lastContactMs: number | null;
  lastSentMs: number | null;
  /** Journal events not yet at head office when it last answered. */
  lagEvents: number | null;
  /** Why the last round failed, as a code the screen translates. */
  failure: 'unreachable' | 'refused' | 'schema' | 'journal' | 'training' | null;
}

interface Method<I extends z.ZodType, R, W extends readonly WindowKind[] = readonly WindowKind[]> {
  channel: string;
  input: I;
  windows: W;
  /** Type-level only: the result. */
  readonly __result?: R;
}

const CASHIER_ONLY = ['cashier'] as const;
const BOTH_WINDOWS = ['customer', 'cashier'] as const;

const method =
  <R>() =>
  <I extends z.ZodType, const W extends readonly WindowKind[] = typeof CASHIER_ONLY>(channel: string, input: I, windows?: W): Method<I, R, W> => ({
    channel,
    input,
    windows: (windows ?? CASHIER_ONLY) as W,
  });

export const METHODS = {
  charge: method<SaleView>()('till:sale.charge', chargeInputSchema),
  /** Issue 13: the cashier scanned the customer's payment code (consumer-presented). */
  chargeCode: method<SaleView>()('till:sale.code', chargeCodeInputSchema),
  cancel: method<SaleView>()('till:sale.cancel', cancelInputSchema),
  currentSale: method<SaleView | null>()('till:sale.current', noInput),
  /** Cancelled sales QFPay has not confirmed yet, settled in the background (DESIGN.md rule 2), oldest first. */
  parkedSales: method<SaleView[]>()('till:sale.parked', noInput),
  simulateCustomerPayment: method<SaleView>()('till:training.pay', saleRefSchema),
  history: method<HistoryPage>()('till:history.list', historyInputSchema),
  saleDetail: method<SaleDetail>()('till:sale.detail', saleRefSchema),
  refund: method<RefundView>()('till:refund.create', refundInputSchema),
  xReport: method<TillReport>()('till:report.x', noInput),
  zReport: method<TillReport>()('till:report.z', zReportInputSchema),
  reportStatus: method<ReportStatus>()('till:report.status', noInput),
  zHistory: method<ZSummary[]>()('till:zreport.list', zHistoryInputSchema),
  zReprint: method<ZReprint>()('till:zreport.reprint', zReprintInputSchema),
  reconcile: method<Reconciliation>()('till:reconcile.run', reconcileInputSchema),
  exportCsv: method<ExportResult>()('till:export.csv', exportCsvInputSchema),
  printReport: method<PrintResult>()('till:report.print', printReportInputSchema),
  settings: method<SettingsView>()('till:settings.get', noInput),
  updateSettings: method<SettingsView>()('till:settings.update', settingsUpdateInputSchema),
  setCredentials: method<SettingsView>()('till:credentials.set', credentialsInputSchema),
  setHeadOffice: method<SettingsView>()('till:office.set', headOfficeInputSchema),
  officeStatus: method<OfficeStatus>()('till:office.status', noInput),
  testConnection: method<ConnectionTest>()('till:connection.test', noInput),
  checkPin: method<{ valid: boolean }>()('till:pin.check', pinCheckInputSchema),
  setPin: method<SettingsView>()('till:pin.set', pinSetInputSchema),
  status: method<AppStatus>()('till:app.status', noInput),
  updateStatus: method<UpdateStatus>()('till:update.status', noInput),
  restartToUpdate: method<{ version: string }>()('till:update.restart', restartToUpdateInputSchema),
  displayState: method<DisplayState>()('display:state.get', noInput, BOTH_WINDOWS),
  showAmount: method<null>()('till:display.amount', showAmountInputSchema),
  printReceipt: method<ReceiptPrintResult>()('till:receipt.print', receiptInputSchema),
  previewReceipt: method<ReceiptPreview>()('till:receipt.preview', receiptInputSchema),
  virtualReceipts: method<VirtualReceipt[]>()('till:receipt.virtual', noInput),
  openDrawer: method<ReceiptPrintResult>()('till:drawer.open', drawerInputSchema),
  testPrinter: method<ReceiptPrintResult>()('till:printer.test', noInput),
  printReportReceipt: method<ReceiptPrintResult>()('till:report.receipt', reportReceiptInputSchema),
  chargeCash: method<SaleView>()('till:sale.cash', chargeCashInputSchema),
  drawerMove: method<DrawerStatus>()('till:drawer.move', drawerMoveInputSchema),
  drawerStatus: method<DrawerStatus>()('till:drawer.status', drawerStatusInputSchema),
} as const;

export type MethodName = keyof typeof METHODS;
export type InputOf<K extends MethodName> = z.input<(typeof METHODS)[K]['input']>;
export type ParsedInputOf<K extends MethodName> = z.output<(typeof METHODS)[K]['input']>;
export type ResultOf<K extends MethodName> = (typeof METHODS)[K] extends Method<z.ZodType, infer R, readonly WindowKind[]> ? R : never;

interface EventDef<T, W extends readonly WindowKind[] = readonly WindowKind[]> {
  channel: string;
  windows: W;
  readonly __payload?: T;
}
const event =
  <T>() =>
  <const W extends readonly WindowKind[] = typeof CASHIER_ONLY>(channel: string, windows?: W): EventDef<T, W> => ({
    channel,
    windows: (windows ?? CASHIER_ONLY) as W,
  });

/** Events main pushes (webContents.send); the renderer subscribes with window.till.<name>(listener). */
export const EVENTS = {
  onSale: event<SaleView>()('till:event.sale'),
  onRefund: event<RefundView>()('till:event.refund'),
  onSettings: event<SettingsView>()('till:event.settings'),
  onStatus: event<AppStatus>()('till:event.status'),
  onDisplay: event<DisplayState>()('display:event.state', BOTH_WINDOWS),
} as const;

export type EventName = keyof typeof EVENTS;
export type PayloadOf<K extends EventName> = (typeof EVENTS)[K] extends EventDef<infer T, readonly WindowKind[]> ? T : never;

type MethodsFor<W extends WindowKind> = {
  [K in MethodName as W extends (typeof METHODS)[K]['windows'][number] ? K : never]: (
    ...input: InputOf<K> extends undefined ? [] : [input: InputOf<K>]
  ) => Promise<IpcResult<ResultOf<K>>>;
};
type EventsFor<W extends WindowKind> = {
  [K in EventName as W extends (typeof EVENTS)[K]['windows'][number] ? K : never]: (listener: (payload: PayloadOf<K>) => void) => () => void;
};

/** window.till in the cashier window. */
export type TillApi = MethodsFor<'cashier'> & EventsFor<'cashier'>;
/** window.till in the customer display: display state only. */
export type CustomerApi = MethodsFor<'customer'> & EventsFor<'customer'>;

export function methodsFor(window: WindowKind): MethodName[] {
  return (Object.keys(METHODS) as MethodName[]).filter((name) => (METHODS[name].windows as readonly WindowKind[]).includes(window));
}

export function eventsFor(window: WindowKind): EventName[] {
  return (Object.keys(EVENTS) as EventName[]).filter((name) => (EVENTS[name].windows as readonly WindowKind[]).includes(window));
}
