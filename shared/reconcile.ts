import type { ConfirmedTotals } from './reports';

// The result of reconciling a period against QFPay, as both processes see it
// (electron/reports/reconcile-match.ts makes it; the Reports screen and
// `till reconcile --json` show it). Support engineers script against the
// JSON: add fields if you must, never rename or remove one.

export type OrderType = 'payment' | 'refund';

/**
 * What QFPay says happened, in the journal's words; 'in_progress' = 1143/1145.
 * 'reversed': a payment QFPay lists with cancel 1, or names in a reversal
 * record — a scanned code (CPM) or an Alipay order cancelled by
 * /trade/v1/reversal; nothing charged, like 'cancelled' (a close, cancel 2).
 */
export type QfpayState = 'paid' | 'cancelled' | 'reversed' | 'expired' | 'failed' | 'refunded' | 'in_progress';

/**
 * Why an item is in its list, for a screen to say in the cashier's language
 * (`reason` keeps the English sentence for scripts and support).
 */
export const RECONCILE_REASONS = [
  'second_record', 'paid_not_counted', 'refund_not_counted', 'not_resolved', 'counts_unconfirmed', 'state_differs',
  'syssn_differs', 'refund_of_differs', 'amount_differs', 'in_progress', 'agree',
  'outside_refund', 'outside_unknown', 'outside_this_till', 'missing_final', 'missing_open', 'reversed',
] as const;
export type ReconcileReason = (typeof RECONCILE_REASONS)[number];

export interface ReconcileItem {
  out_trade_no: string;
  /** QFPay's number when either side knows it. */
  syssn: string | null;
  order_type: OrderType;
  journal: {
    amountMinor: number;
    currency: string;
    state: string;
    /** The sale's tender (pay type; a refund: its sale's). Absent in results made before tenders. */
    payType?: string;
    /** A sale the journal has cancelled by reversal (a scanned code, Alipay): true; else absent. */
    reversed?: true;
  } | null;
  qfpay: {
    amountMinor: number | null;
    currency: string | null;
    respcd: string;
    state: QfpayState;
    udid: string | null;
    /** The pay type on QFPay's record, when it gave one. */
    payType?: string;
    /** The reversal record that reversed this payment (its own syssn), when QFPay listed one. */
    reversalSyssn?: string;
  } | null;
  reason: string;
  /** The reason as a code (absent in results stored before it existed). */
  reasonCode?: ReconcileReason;
  /** The tender (pay type) of the item: the journal's, else QFPay's; absent when neither says. */
  payType?: string;
}

export interface Reconciliation {
  /** [fromMs, toMs) */
  period: { fromMs: number; toMs: number };
  /** False when some of QFPay's records could not be fetched: then onlyInJournal and totals are left empty rather than guessed. */
  complete: boolean;
  matched: ReconcileItem[];
  onlyInJournal: ReconcileItem[];
  onlyAtQfpay: ReconcileItem[];
  stateDiffers: ReconcileItem[];
  amountDiffers: ReconcileItem[];
  /** QFPay-confirmed paid and refunded counts and sums per currency, for this till. */
  totals: ConfirmedTotals[];
  /** Why the result is incomplete (empty when complete). */
  problems: string[];
}

/** The five lists, in the order a screen or a script shows them. */
export const RECONCILE_LISTS = ['stateDiffers', 'amountDiffers', 'onlyInJournal', 'onlyAtQfpay', 'matched'] as const;
export type ReconcileList = (typeof RECONCILE_LISTS)[number];
