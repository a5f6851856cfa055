import type { CurrencyCode } from './currency';

// The life of a sale and of a refund (DESIGN.md, "The checkout engine"), and
// the display-safe view of each that the engine emits and the UI shows.

export const SALE_STATES = ['requesting', 'awaiting_scan', 'unknown', 'cancelling', 'paid', 'failed', 'expired', 'cancelled'] as const;
export type SaleState = (typeof SALE_STATES)[number];

export const FINAL_SALE_STATES: readonly SaleState[] = ['paid', 'failed', 'expired', 'cancelled'];
export const OPEN_SALE_STATES: readonly SaleState[] = ['requesting', 'awaiting_scan', 'unknown', 'cancelling'];
export const isFinalSale = (state: SaleState) => FINAL_SALE_STATES.includes(state);

export const REFUND_STATES = ['requesting', 'unknown', 'refunded', 'failed'] as const;
export type RefundState = (typeof REFUND_STATES)[number];
export const OPEN_REFUND_STATES: readonly RefundState[] = ['requesting', 'unknown'];
export const isFinalRefund = (state: RefundState) => state === 'refunded' || state === 'failed';

/** Why a sale is being closed: the cashier, its QR's expiry, or the engine giving up on an order it cannot show. */
export type CancelReason = 'cashier' | 'expiry' | 'recovery' | 'no_qr';

/**
 * What the cashier sees about the connection while a sale is open:
 * waiting for the customer, checking (no clear answer from QFPay yet), or
 * QFPay reports the customer mid-payment (1145); reconnecting (the QR was
 * lost and a fresh one is being issued); declined (the customer's attempt
 * failed — 1201 and the like — but the same QR can still be paid); busy
 * (QFPay asked the till to wait, HTTP 429); parked (cancelled, QFPay has not
 * confirmed yet: settled in the background, the next customer can be served).
 */
export type SaleActivity = 'creating' | 'waiting' | 'customer_paying' | 'checking' | 'cancelling' | 'none' | 'reconnecting' | 'declined' | 'busy' | 'parked';

/** A sale's QR may be re-issued this often after a lost payment answer; then the sale fails ("cannot reach QFPay"). */
export const MAX_REISSUES = 2;

export interface SaleView {
  outTradeNo: string;
  amountMinor: number;
  currency: CurrencyCode;
  goodsName: string | null;
  state: SaleState;
  activity: SaleActivity;
  /** Only while the customer may pay it (awaiting_scan): never after paid, closed or expired. */
  qrcode: string | null;
  expiresAtMs: number | null;
  createdAtMs: number;
  paidAtMs: number | null;
  syssn: string | null;
  /** QFPay's status code of the last answer that mattered, for the translated message. */
  respcd: string | null;
  /** The customer paid although the cashier (or expiry) had asked to cancel: hand over the goods, or refund. */
  paidAfterCancel: boolean;
  cancelReason: CancelReason | null;
  refundedMinor: number;
  training: boolean;
  /**
   * Parked (DESIGN.md rule 2): open, settled in the background, not in the
   * way of the next charge; its QR is never shown again. Always set by the
   * engine; optional so older fixtures still type.
   */
  parked?: boolean;
  /** How many times the sale's QR was re-issued after a lost answer. */
  reissues?: number;
  /** Cash sales only: what the customer handed over and the change given back. */
  cash?: { tenderedMinor: number; changeMinor: number };
  /**
   * QFPay's pay type (shared/pay-types.ts) or 'cash'. Always set by the
   * engine; optional so older fixtures still type (absent: WeChat MPM 800201).
   */
  payType?: string;
  /**
   * Consumer-presented sales (the cashier scanned the customer's code): the
   * code's last 4 digits only, masked (maskAuthCode). Never the whole code.
   */
  authCodeMasked?: string;
  /** The real-name check was sent with this sale (the values themselves never leave main). */
  realNameChecked?: boolean;
}

export interface RefundView {
  outTradeNo: string;
  saleOutTradeNo: string;
  amountMinor: number;
  currency: CurrencyCode;
  state: RefundState;
  createdAtMs: number;
  syssn: string | null;
  respcd: string | null;
  training: boolean;
}
