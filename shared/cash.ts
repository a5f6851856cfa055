import type { CurrencyCode } from './currency';

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

/** One tender's share of a currency's totals (the reports split by tender, with one total). */
export interface TenderTotals {
  /** The journal's pay type: 'cash', or a QFPay pay type such as 800201. */
  payType: string;
  paidCount: number;
  grossMinor: number;
  refundCount: number;
  refundMinor: number;
}

/** What the drawer needs before the next cash sale of a currency. */
export interface DrawerStatus {
  currency: CurrencyCode;
  /** No opening float since the last Z: the first sale asks for one. */
  needsFloat: boolean;
  expectedMinor: number;
}

/**
 * A tender's name on reports (brand names, the same in every language). The
 * QFPay pay-type table lives in the main process (electron/qfpay/pay-types.ts);
 * the renderer and the printouts need only these names. Unknown: the code.
 */
const TENDER_NAMES: Readonly<Record<string, string>> = {
  '800201': 'WeChat Pay QR',
  '800208': 'WeChat Pay code',
  '800008': 'Unified code',
  '800101': 'Alipay QR',
  '801501': 'AlipayHK QR',
  '800108': 'Alipay code',
  '802001': 'FPS',
};

export const tenderName = (payType: string): string => TENDER_NAMES[payType] ?? `Pay type ${payType}`;
