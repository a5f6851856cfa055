import { STATUS_CODES } from '../qfpay/codes';
import type { QueryRecord, RefundAnswer } from '../qfpay/responses';

// What an answer about a refund proves (DESIGN.md rule 8, issue 9 §3). A
// refund is paid twice when the till calls a refund "failed" that QFPay ran
// (or runs later): the remainder is then refundable again. So "failed" needs
// a definitive answer; everything else keeps the refund unknown, its amount
// reserved, until a query settles it.

export type RefundVerdict =
  /** QFPay says the money went back. */
  | { kind: 'refunded' }
  /** Definitive: nothing was or will be refunded. */
  | { kind: 'failed' }
  /** QFPay has the refund and is still working on it (1143/1145): it exists. */
  | { kind: 'pending' }
  /** It may have run, or may run yet: confirm by query. */
  | { kind: 'unclear'; why: string };

/**
 * Refund answers that mean QFPay refused the request before running it, so
 * no money can have moved (API.md, status codes):
 * - 1103/1104 (format, parameters), 1105/1106/1107 (device not activated,
 *   invalid, not allowed) and 1108 (signature): the request is turned away at
 *   the door, before any business logic looks at it;
 * - 1125 already refunded, 1155 refund denied, 1265 refund window, 1266/1267/
 *   1268 amount wrong / order mismatch / original not found, 1269 the day's
 *   takings cannot cover it, 1270/1271 no partial refund, 1272 more than the
 *   refundable amount: the checks QFPay makes on the refund and its original
 *   payment before money moves ("failed (refund)"). A resent copy of a refund
 *   that ran cannot produce them: the same out_trade_no answers 1102.
 * Not in the list, so confirmed by query: system errors (1100, 1252, 1254),
 * 1205 "try later" and 1297 bank busy (the bank may still run it), 1102 and
 * 2011 duplicates, 1295/1296/1298 slow network, 1136 "not operable" (a lock
 * while another operation runs), 1261–1264 (they describe an order whose
 * state the refund itself may have changed), and any code API.md does not list.
 */
export const REFUSED_BEFORE_RUN: ReadonlySet<string> = new Set([
  '1103', '1104', '1105', '1106', '1107', '1108',
  '1125', '1155', '1265', '1266', '1267', '1268', '1269', '1270', '1271', '1272',
]);

const IN_PROGRESS = new Set(['1143', '1145']);

/** The answer to our /refund request for `sent`. */
export function judgeRefundAnswer(answer: RefundAnswer, sent: { outTradeNo: string; amountMinor: number }): RefundVerdict {
  if (answer.respcd === '0000') {
    // An answer about another refund proves nothing about ours (issue 9 §1: answers are checked against the request).
    if (answer.out_trade_no !== undefined && answer.out_trade_no !== sent.outTradeNo) return { kind: 'unclear', why: `0000 names ${answer.out_trade_no}` };
    if (answer.txamt !== undefined && answer.txamt !== sent.amountMinor) return { kind: 'unclear', why: `0000 for amount ${answer.txamt}` };
    return { kind: 'refunded' };
  }
  if (IN_PROGRESS.has(answer.respcd)) return { kind: 'pending' };
  if (REFUSED_BEFORE_RUN.has(answer.respcd)) return { kind: 'failed' };
  return { kind: 'unclear', why: `refund answered ${answer.respcd}` };
}

/**
 * Our refund's own record in a /query answer. `windowOver`: QFPay's
 * processing window has passed since it could last have received the
 * request, so a failure it records now is its last word.
 */
export function judgeRefundRecord(record: QueryRecord, amountMinor: number, windowOver: boolean): RefundVerdict {
  if (record.respcd === '0000') {
    // respcd is read together with cancel (API.md): 0000 with cancel 1/2 is money that did not stay.
    if (record.cancel !== 0) return { kind: 'unclear', why: `0000 with cancel ${record.cancel}` };
    if (record.txamt !== undefined && record.txamt !== amountMinor) return { kind: 'unclear', why: `0000 for amount ${record.txamt}` };
    return { kind: 'refunded' };
  }
  if (IN_PROGRESS.has(record.respcd)) return { kind: 'pending' };
  if (REFUSED_BEFORE_RUN.has(record.respcd)) return { kind: 'failed' };
  // A listed failure on the refund's record (bank busy, system error…) may
  // still turn while QFPay works on it; once its window is over it is final.
  // A code API.md does not list is never final.
  const listedFailure = Object.hasOwn(STATUS_CODES, record.respcd) && STATUS_CODES[record.respcd]!.treatment === 'failed';
  if (listedFailure && windowOver) return { kind: 'failed' };
  return { kind: 'unclear', why: `refund record ${record.respcd}` };
}
