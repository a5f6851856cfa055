import { payTypeInfo } from './pay-types';
import type { CancelAnswer, PaymentAnswer, QueryRecord } from './responses';
import type { QfpayOutcome } from './client';

// What QFPay's answers mean for a payment of any pay type. The wire says the
// same thing in several ways (API.md "Read respcd together with cancel"): a
// reversed order keeps respcd 0000 with cancel 1, and 0000 on /payment means
// "paid" for a scanned code but only "QR created" for a merchant-presented
// one. These functions say it once, so the engine never reads 0000 alone.

/** A payment order as a /query record shows it. */
export type RecordState =
  /** Money moved (cancel 0; 3/5 are refunds after payment, tracked as refunds). */
  | 'paid'
  /** 1143/1145: the customer is still scanning or entering the password. */
  | 'in_progress'
  /** 0000 with cancel 1: reversed, nothing charged. */
  | 'reversed'
  /** 0000 with cancel 2, or a closed/cancelled code: nothing charged. */
  | 'closed'
  | 'expired'
  /**
   * A failure code. Final for a consumer-presented order; for a merchant-
   * presented one the customer may still pay the same QR until it is closed
   * or expires (API.md), so only final after the close is confirmed.
   */
  | 'failed'
  /** Anything else (a "confirm" code, an unknown cancel flag): ask again. */
  | 'unclear';

export function recordState(record: Pick<QueryRecord, 'treatment' | 'cancel'>): RecordState {
  switch (record.treatment) {
    case 'success':
      if (record.cancel === 0 || record.cancel === 3 || record.cancel === 5) return 'paid';
      if (record.cancel === 1) return 'reversed';
      if (record.cancel === 2) return 'closed';
      return 'unclear';
    case 'refunded': // 1262: it was paid, then refunded
      return 'paid';
    case 'in_progress':
      return 'in_progress';
    case 'closed':
      return 'closed';
    case 'expired':
      return 'expired';
    case 'failed':
      return 'failed';
    default:
      return 'unclear';
  }
}

/** What a /payment outcome says, before any query. */
export type PaymentVerdict =
  /** CPM 0000: paid at once. */
  | { kind: 'paid'; syssn: string | undefined }
  /** MPM 0000 with a QR: show it and poll. */
  | { kind: 'awaiting_scan'; syssn: string | undefined; qrcode: string }
  /** CPM 1143/1145: the customer confirms on the phone; poll within the wallet window, then reverse. */
  | { kind: 'in_progress'; syssn: string | undefined }
  /** A definitive refusal (1201, 1202, 2005, …): nothing charged. */
  | { kind: 'failed'; respcd: string }
  /** Transport failure, 1102, 5xx or an answer that does not fit: resolve by query, never resend. */
  | { kind: 'unknown' }
  /** 429: the request did not run; back off, then send the same request again. */
  | { kind: 'rate_limited'; retryAfterMs: number | undefined }
  /** Refused before sending. */
  | { kind: 'invalid' };

export function paymentVerdict(payType: string, outcome: QfpayOutcome<PaymentAnswer>): PaymentVerdict {
  if (outcome.kind === 'rate_limited') return { kind: 'rate_limited', retryAfterMs: outcome.retryAfterMs };
  if (outcome.kind === 'invalid') return { kind: 'invalid' };
  if (outcome.kind === 'unknown') return { kind: 'unknown' };
  const a = outcome.answer;
  const consumer = payTypeInfo(payType)?.presented === 'consumer';
  switch (a.treatment) {
    case 'success':
      if (consumer) return { kind: 'paid', syssn: a.syssn };
      // 0000 without a QR cannot be shown to the customer: find out by query.
      return a.qrcode ? { kind: 'awaiting_scan', syssn: a.syssn, qrcode: a.qrcode } : { kind: 'unknown' };
    case 'in_progress':
      return consumer ? { kind: 'in_progress', syssn: a.syssn } : { kind: 'unknown' };
    case 'failed':
      return { kind: 'failed', respcd: a.respcd };
    default:
      return { kind: 'unknown' };
  }
}

/**
 * What a /close or /reversal outcome says. Every kind except `rate_limited`
 * and `invalid` is confirmed by a query before the sale ends (QFPay: query
 * first, reversal is a last resort); `paid` means the customer paid in time.
 */
export type CancelVerdict =
  | { kind: 'cancelled' }
  | { kind: 'paid' }
  | { kind: 'already_cancelled' }
  | { kind: 'expired' }
  /** 1136 and other failures: the order is absent, failed, or not cancellable this way. */
  | { kind: 'refused'; respcd: string }
  | { kind: 'unknown' }
  | { kind: 'rate_limited'; retryAfterMs: number | undefined }
  | { kind: 'invalid' };

export function cancelVerdict(outcome: QfpayOutcome<CancelAnswer>): CancelVerdict {
  if (outcome.kind === 'rate_limited') return { kind: 'rate_limited', retryAfterMs: outcome.retryAfterMs };
  if (outcome.kind === 'invalid') return { kind: 'invalid' };
  if (outcome.kind === 'unknown') return { kind: 'unknown' };
  const a = outcome.answer;
  switch (a.treatment) {
    case 'success':
      return { kind: 'cancelled' };
    case 'paid_confirm':
      return { kind: 'paid' };
    case 'closed':
      return { kind: 'already_cancelled' };
    case 'expired':
      return { kind: 'expired' };
    case 'failed':
      return { kind: 'refused', respcd: a.respcd };
    default:
      return { kind: 'unknown' };
  }
}

/** The endpoint that cancels an unpaid order of this pay type (WeChat MPM when the pay type is unknown). */
export function cancelEndpoint(payType: string): 'close' | 'reversal' {
  return payTypeInfo(payType)?.cancel ?? 'close';
}
