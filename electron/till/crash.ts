// Labelled crash points for the crash tests: with TILL_CRASH_AT=<label> the
// process dies abruptly there (SIGKILL: no finally blocks, no flushing), as a
// power cut would. Each label sits between two steps whose order matters.

export const CRASH_POINTS = [
  /** The sale row is committed (requesting); the payment request has not left. */
  'payment.after_write_ahead',
  /** QFPay answered the payment; nothing of the answer is journalled. */
  'payment.after_response',
  /** The answer is journalled (awaiting_scan with the QR, or unknown, or failed). */
  'payment.after_record',
  /** A query said the order is paid; not journalled yet. */
  'poll.after_paid_answer',
  /** The sale is committed as cancelling; the close has not left. */
  'cancel.after_write_ahead',
  /** QFPay answered the close; nothing of it is journalled. */
  'cancel.after_close_answer',
  /** A lost QR's order is confirmed closed and the fresh order is committed (requesting); its payment request has not left. */
  'reissue.after_write_ahead',
  /** A scanned code's sale is committed (requesting, the code masked); its payment request has not left. */
  'code.after_write_ahead',
  /** QFPay answered a scanned code's payment; nothing of the answer is journalled. */
  'code.after_payment_answer',
  /** A sale to be reversed (scanned code, Alipay) is committed as cancelling; the reversal has not left. */
  'reversal.after_write_ahead',
  /** QFPay answered the reversal; nothing of it is journalled. */
  'reversal.after_answer',
  /** The refund row is committed (requesting); the refund request has not left. */
  'refund.after_write_ahead',
  /** QFPay answered the refund; nothing of it is journalled. */
  'refund.after_response',
  /** The refund's answer is journalled. */
  'refund.after_record',
] as const;

export type CrashPoint = (typeof CRASH_POINTS)[number];
export type CrashHook = (point: CrashPoint) => void;

/** The hook for a real process: dies at the point named by TILL_CRASH_AT. */
export function crashHookFromEnv(env: NodeJS.ProcessEnv = process.env): CrashHook {
  const target = env.TILL_CRASH_AT;
  if (!target) return () => undefined;
  return (point) => {
    if (point === target) process.kill(process.pid, 'SIGKILL');
  };
}
