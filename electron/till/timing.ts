// How often the engine asks QFPay, and how long it waits before giving up on
// an order that never appeared. Within these the token bucket has the last
// word: no interval here can push the till over its budget.

export interface Timing {
  /** Shortest gap between status queries in the first minute after the QR is shown. */
  fastPollMs: number;
  /** How long "the first minute" is: customers usually scan within it. */
  fastWindowMs: number;
  /** Gap between queries after that (QFPay suggests 3–5 s). */
  slowPollMs: number;
  /**
   * A scanned code's payment waiting for the customer's password (1143/1145):
   * the first query this long after the answer (a fingerprint or face
   * confirms in a second or two: "paid" should not wait a whole gap), then
   * one every codePollMs, as QFPay advises after an uncertain answer (API.md:
   * 3–5 s). The merchant's 400 queries a minute are shared by all its tills.
   */
  codeFirstPollMs: number;
  codePollMs: number;
  /** Gap between queries of a refund still in progress. */
  refundPollMs: number;
  /** When QFPay refused an early close, try again after this long. */
  closeRetryMs: number;
  /** An order absent from /query this long after its request was sent was never created. */
  notCreatedGraceMs: number;
  /**
   * QFPay's longest processing window for a refund: a refund request may be
   * run this long after QFPay last could have received it (a request held up
   * in the network). Only a refund still absent from /query after that never
   * happened; until then it is unknown and its amount stays reserved.
   */
  refundProcessingWindowMs: number;
  /** At recovery, a QR with less than this left is closed instead of shown again. */
  resumeMinRemainingMs: number;
  /** Backoff after 429s and unanswered queries: base and ceiling. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /**
   * DESIGN.md rule 2: a sale the cashier cancelled that QFPay has not confirmed
   * this long after the cancel is parked, and the next customer is served.
   * Recovery parks what it could not settle in this long too.
   */
  parkAfterMs: number;
  /** An order is called expired only this long after its QR's expiry (clocks differ; QFPay may lag). */
  expiryMarginMs: number;
  /** The longest wait a 429's Retry-After may impose on the till. */
  maxServerWaitMs: number;
}

export const DEFAULT_TIMING: Timing = {
  fastPollMs: 600,
  fastWindowMs: 60_000,
  slowPollMs: 3_000,
  codeFirstPollMs: 1_500,
  codePollMs: 3_000,
  refundPollMs: 3_000,
  closeRetryMs: 10_000,
  notCreatedGraceMs: 60_000,
  // Refunds were seen run 75 s after the till gave up (issue 9): wait well past that.
  refundProcessingWindowMs: 300_000,
  resumeMinRemainingMs: 30_000,
  backoffBaseMs: 1_000,
  backoffMaxMs: 30_000,
  parkAfterMs: 3_000,
  expiryMarginMs: 60_000,
  maxServerWaitMs: 30_000,
};
