import type { QueryRecord } from '../qfpay/responses';

// Reversal records (issue 13 §4). A scanned code (CPM) or an Alipay order
// cancelled by /trade/v1/reversal shows at QFPay as its payment with cancel
// 1, and may also be listed as a record of its own: the reversal, with its
// own syssn and the payment's in `origssn`. Such a record is not another
// payment, nor a refund made outside the till: it says the payment it names
// was reversed. This file finds them, so the matcher can put each one with
// its payment instead of listing it as a difference.

/** What the matcher knows of a payment a record names. */
export interface PaymentLookup {
  /** QFPay's own payment record of that syssn, if listed. */
  qfpayPayment(syssn: string): QueryRecord | undefined;
  /** Whether the journal has that payment in a state nothing was charged in (cancelled, expired, failed). */
  journalUncharged(syssn: string): boolean;
  /** Whether the record is a refund the journal knows (then it is a refund, whatever it names). */
  journalRefund(record: QueryRecord): boolean;
}

/** A record naming a payment other than itself (an origssn equal to its own syssn names nothing new). */
export const namesAnotherPayment = (record: Pick<QueryRecord, 'origssn' | 'syssn'>): boolean => !!record.origssn && record.origssn !== record.syssn;

export interface Reversals {
  /** Every record that is a reversal, successful or not. */
  records: Set<QueryRecord>;
  /** The payment's syssn → the reversal record that went through (0000). */
  byPayment: Map<string, QueryRecord>;
}

/**
 * A record is a reversal when it names a payment (origssn) and either is not
 * a refund (QFPay's order_type "reversal" and the like, which a payment never
 * carries an origssn for), or is listed as a refund of a payment that was
 * reversed or that the journal never charged — a refund of an unpaid order
 * cannot exist (QFPay answers 1263), so it can only be the reversal.
 */
export function isReversal(record: QueryRecord, lookup: PaymentLookup): boolean {
  if (!namesAnotherPayment(record)) return false;
  const origssn = record.origssn!;
  if (record.order_type === 'payment') return true;
  if (lookup.journalRefund(record)) return false;
  const payment = lookup.qfpayPayment(origssn);
  return payment?.cancel === 1 || (payment === undefined && lookup.journalUncharged(origssn));
}

export function findReversals(records: readonly QueryRecord[], lookup: PaymentLookup): Reversals {
  const found: Reversals = { records: new Set(), byPayment: new Map() };
  for (const r of records) {
    if (!isReversal(r, lookup)) continue;
    found.records.add(r);
    if (r.respcd === '0000' && !found.byPayment.has(r.origssn!)) found.byPayment.set(r.origssn!, r);
  }
  return found;
}
