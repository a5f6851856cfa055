import type { CurrencyCode } from './currency';
import type { HourTotals } from './reports';

// Cash at the counter (issue 13, "Cash"): the tender, and the drawer's
// movements that are not sales or refunds. Amounts in minor units.

/** The pay type the journal records for a cash sale: never sent to QFPay. */
export const CASH_PAY_TYPE = 'cash';

/** Money into or out of the drawer other than a sale or refund. */
export const DRAWER_MOVEMENT_KINDS = ['float', 'paid_in', 'paid_out'] as const;
export type DrawerMovementKind = (typeof DRAWER_MOVEMENT_KINDS)[number];

/** A paid-in or paid-out reason: short text for the report. */
export const MAX_REASON_LENGTH = 80;

export interface DrawerMovement {
  kind: DrawerMovementKind;
  currency: CurrencyCode;
  amountMinor: number;
  reason: string | null;
  atMs: number;
}

/** The change of a cash tender: what is handed back (never negative: less than the amount is refused). */
export const changeOf = (amountMinor: number, tenderedMinor: number): number => tenderedMinor - amountMinor;

/** The drawer of one currency over a report's period (Square's and Loyverse's shift reports are the model). */
export interface DrawerTotals {
  currency: CurrencyCode;
  /** The opening float entered at the first sale after the previous Z (0 when none was entered). */
  floatMinor: number;
  cashSalesCount: number;
  cashSalesMinor: number;
  cashRefundCount: number;
  cashRefundMinor: number;
  paidInMinor: number;
  paidOutMinor: number;
  /** Float + cash sales − cash refunds + paid in − paid out. */
  expectedMinor: number;
  /** Z only: what the cashier counted, and counted − expected (negative: short). */
  countedMinor?: number;
  differenceMinor?: number;
  movements: DrawerMovement[];
}

/** The drawer's figures the expected cash is made of (the till's drawer and head office's per-till summary). */
export type DrawerFigures = Pick<DrawerTotals, 'floatMinor' | 'cashSalesMinor' | 'cashRefundMinor' | 'paidInMinor' | 'paidOutMinor'>;

/** Float + cash sales − cash refunds + paid in − paid out: one rule, wherever a drawer is summed. */
export const expectedCashMinor = (d: DrawerFigures): number => d.floatMinor + d.cashSalesMinor - d.cashRefundMinor + d.paidInMinor - d.paidOutMinor;

/** One tender's share of a currency's totals (the reports split by tender, with one total). */
export interface TenderTotals {
  /** The journal's pay type: 'cash', or a QFPay pay type such as 800201. */
  payType: string;
  paidCount: number;
  grossMinor: number;
  refundCount: number;
  refundMinor: number;
  /**
   * Paid sales per local hour of the day (the currency's hourly split by
   * tender, for the chart stacked by tender). Absent on reports made before
   * the chart was split: those draw one bar per hour.
   */
  hourly?: HourTotals[];
}

/** What the drawer needs before the next cash sale of a currency. */
export interface DrawerStatus {
  currency: CurrencyCode;
  /** No opening float since the last Z: the first sale asks for one. */
  needsFloat: boolean;
  expectedMinor: number;
}

/** The languages a tender's name is given in (the till's three: shared/settings.ts LANGUAGES). */
export type TenderLanguage = 'en' | 'zh-Hant' | 'zh-Hans';

/**
 * Every tender's short name where the counter, the reports and the printouts
 * show it, in the till's three languages: each pay type of the table in
 * shared/pay-types.ts (a test checks none is missing) and cash. Brand names
 * stay as the wallets write them; "scanned" is the cashier scanning the
 * customer's code (CPM), "QR" the customer scanning the till's (MPM).
 */
export const TENDER_NAMES: Readonly<Record<string, Readonly<Record<TenderLanguage, string>>>> = {
  '800201': { en: 'WeChat Pay QR', 'zh-Hant': '微信支付 QR', 'zh-Hans': '微信支付二维码' },
  '800208': { en: 'WeChat Pay (scanned)', 'zh-Hant': '微信支付（掃付款碼）', 'zh-Hans': '微信支付（扫付款码）' },
  '800101': { en: 'Alipay QR', 'zh-Hant': '支付寶 QR', 'zh-Hans': '支付宝二维码' },
  '801501': { en: 'AlipayHK QR', 'zh-Hant': '支付寶香港 QR', 'zh-Hans': '支付宝香港二维码' },
  '800108': { en: 'Alipay (scanned)', 'zh-Hant': '支付寶（掃付款碼）', 'zh-Hans': '支付宝（扫付款码）' },
  '805801': { en: 'PayMe', 'zh-Hant': 'PayMe', 'zh-Hans': 'PayMe' },
  '800701': { en: 'UnionPay', 'zh-Hant': '銀聯雲閃付', 'zh-Hans': '银联云闪付' },
  '802001': { en: 'FPS', 'zh-Hant': '轉數快', 'zh-Hans': '转数快' },
  '800008': { en: 'Unified code', 'zh-Hant': '統一付款碼', 'zh-Hans': '统一付款码' },
  [CASH_PAY_TYPE]: { en: 'Cash', 'zh-Hant': '現金', 'zh-Hans': '现金' },
};

/**
 * The order tenders are listed and stacked in on every report: WeChat, then
 * Alipay, then the other wallets, QR before scanned; pay types the table
 * lacks after them, cash last. (Not Object.keys of a table: pay types are
 * integer-like keys, which JavaScript orders numerically.)
 */
export const TENDER_ORDER: readonly string[] = ['800201', '800208', '800101', '801501', '800108', '805801', '800701', '802001', '800008'];

export function tenderRank(payType: string): number {
  if (payType === CASH_PAY_TYPE) return TENDER_ORDER.length + 1;
  const i = TENDER_ORDER.indexOf(payType);
  return i === -1 ? TENDER_ORDER.length : i;
}

const UNKNOWN_TENDER: Readonly<Record<TenderLanguage, string>> = { en: 'Pay type', 'zh-Hant': '付款類型', 'zh-Hans': '付款类型' };

/** A tender's name; a pay type the till does not know (an old journal's, QFPay's new one) shows its code. */
export function tenderName(payType: string, language: TenderLanguage = 'en'): string {
  const names = Object.prototype.hasOwnProperty.call(TENDER_NAMES, payType) ? TENDER_NAMES[payType] : undefined;
  return names?.[language] ?? names?.en ?? `${UNKNOWN_TENDER[language] ?? UNKNOWN_TENDER.en} ${payType || '?'}`;
}

/**
 * Each tender's colour in the hourly chart stacked by tender: the wallet's
 * brand colour, a darker shade for its scanned (CPM) form, cash in brown.
 * Unknown pay types are grey.
 */
const TENDER_COLOURS: Readonly<Record<string, string>> = {
  '800201': '#07c160',
  '800208': '#04793c',
  '800101': '#1677ff',
  '801501': '#69a7ff',
  '800108': '#0b3f99',
  '805801': '#db0011',
  '800701': '#e8a317',
  '802001': '#7b3fc4',
  '800008': '#0e8f8f',
  [CASH_PAY_TYPE]: '#8a5a2b',
};

export const tenderColour = (payType: string): string => (Object.prototype.hasOwnProperty.call(TENDER_COLOURS, payType) ? TENDER_COLOURS[payType]! : '#8c939d');
