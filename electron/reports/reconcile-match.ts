import { formatMinorPlain, isCurrencyCode } from '../../shared/currency';
import type { OrderType, QfpayState, ReconcileItem, ReconcileReason, Reconciliation } from '../../shared/reconcile';
import type { ConfirmedTotals } from '../../shared/reports';
import { payTypeInfo } from '../../shared/pay-types';
import { recordStatus, type QueryRecord } from '../qfpay/responses';
import { findReversals, namesAnotherPayment } from './reconcile-reversals';
import { epochOfLocal, formatTxdtm, parseTxdtm } from '../qfpay/time';

// Matching QFPay's records of a period against the journal's sales and
// refunds: a pure function of its inputs (no database, no network), so it is
// tested and timed alone. Every item says in one plain sentence why it landed
// where it did. The output is scripted against by support engineers: add
// fields if you must, never rename or remove one.

// The result types live in shared/ (the Reports screen shows them too): one definition, re-exported here.
export type { OrderType, QfpayState, ReconcileItem, Reconciliation } from '../../shared/reconcile';

/** A sale or refund of this till (and mode) as the journal has it. */
export interface JournalEntry {
  orderType: OrderType;
  outTradeNo: string;
  syssn: string | null;
  state: string;
  amountMinor: number;
  currency: string;
  createdAtMs: number;
  /** Sales: why a close was asked for (an expiry close leaves 'expired', a lost QR 'failed'). */
  cancelReason: string | null;
  /** Refunds: the sale refunded, and its syssn. */
  saleOutTradeNo: string | null;
  saleSyssn: string | null;
  /** The tender: the sale's pay type (a refund: its sale's). */
  payType?: string;
}

export interface MatchScope {
  udid: string;
  /** [fromMs, toMs): journal rows by creation time, QFPay records by sysdtm. */
  fromMs: number;
  toMs: number;
  timeZone: string;
  /** Whether every page of QFPay's records was fetched. */
  complete: boolean;
  problems?: readonly string[];
}

const OPEN_STATES = new Set(['requesting', 'awaiting_scan', 'unknown', 'cancelling']);

/**
 * QFPay's state of a record, respcd and cancel read together (API.md): a 0000
 * with cancel 1 was reversed (a scanned code, an Alipay order), with cancel 2
 * closed — the money did not stay — and is never counted as paid; 1262
 * "order refunded" was paid (its refunds are records of their own).
 */
export function qfpayStateOf(record: QueryRecord): QfpayState {
  const status = recordStatus(record);
  if (record.order_type === 'refund') return status === 'paid' ? 'refunded' : status === 'open' ? 'in_progress' : 'failed';
  if (record.cancel === 1) return 'reversed';
  // A "payment" naming another payment is the reversal of that one (reconcile-reversals.ts): never money taken.
  if (namesAnotherPayment(record)) return record.respcd === '0000' ? 'reversed' : 'failed';
  switch (status) {
    case 'paid':
      return 'paid';
    case 'closed':
      return 'cancelled';
    case 'expired':
      return 'expired';
    case 'open':
    case 'undecided':
      return 'in_progress';
    case 'declined':
      return 'failed';
  }
}

/** Scanned codes and Alipay: cancelled by /trade/v1/reversal (shared/pay-types.ts). */
const cancelsByReversal = (e: JournalEntry) => e.payType !== undefined && payTypeInfo(e.payType)?.cancel === 'reversal';

/** Closed (cancel 2) or reversed (cancel 1): either way the order was cancelled and nothing charged. */
const cancelledAtQfpay = (q: QfpayState) => q === 'cancelled' || q === 'reversed';

/** Whether the journal's state is what the engine writes for QFPay's. */
function statesAgree(entry: JournalEntry, q: QfpayState): boolean {
  if (OPEN_STATES.has(entry.state)) return q === 'in_progress';
  switch (entry.state) {
    case 'paid':
      return q === 'paid';
    case 'refunded':
      return q === 'refunded';
    // The engine cancels an order at its expiry (close or reversal) and records the sale expired; an order whose QR never showed ends failed.
    // A pay type cancelled by reversal may be reversed at QFPay whatever ended it in the journal (a declined code QFPay reverses).
    case 'expired':
      return q === 'expired' || (cancelledAtQfpay(q) && entry.cancelReason === 'expiry') || (q === 'reversed' && cancelsByReversal(entry));
    case 'failed':
      return q === 'failed' || (cancelledAtQfpay(q) && entry.cancelReason === 'no_qr') || (q === 'reversed' && cancelsByReversal(entry));
    // The journal says cancelled for a closed order and a reversed one alike (a scanned code's timeout, an Alipay order).
    case 'cancelled':
      return cancelledAtQfpay(q);
    // An order replaced after its QR was lost: the engine confirmed it closed (or never created) before re-issuing.
    case 'replaced':
      return cancelledAtQfpay(q) || q === 'expired' || q === 'failed';
    default:
      return false;
  }
}

function money(amountMinor: number | null | undefined, currency: string | null | undefined): string {
  if (amountMinor === null || amountMinor === undefined) return 'an amount QFPay did not give';
  if (currency && isCurrencyCode(currency)) return `${formatMinorPlain(amountMinor, currency)} ${currency}`;
  return `${amountMinor} minor units${currency ? ` of ${currency}` : ''}`;
}

const noun = (t: OrderType) => (t === 'payment' ? 'sale' : 'refund');

function stateReason(entry: JournalEntry, q: QfpayState, respcd: string): [ReconcileReason, string] {
  const n = noun(entry.orderType);
  const journalOpen = OPEN_STATES.has(entry.state);
  if (q === 'paid' || q === 'refunded') {
    if (journalOpen) return ['not_resolved', `QFPay says the ${n} went through (${q}), but the journal has not resolved it yet (${entry.state}): run till recover.`];
    return entry.orderType === 'payment'
      ? ['paid_not_counted', `QFPay says the customer paid, but the journal has the sale as ${entry.state}: the money was taken and the till does not count it — hand over the goods or refund.`]
      : ['refund_not_counted', `QFPay says the refund was made, but the journal has it as ${entry.state}: the customer got the money back and the till does not count it.`];
  }
  if (entry.state === 'paid' || entry.state === 'refunded') {
    return ['counts_unconfirmed', `The journal has the ${n} as ${entry.state}, but QFPay says ${q} (respcd ${respcd}): the till counts money QFPay did not confirm.`];
  }
  if (journalOpen) return ['not_resolved', `The journal still has the ${n} open (${entry.state}) while QFPay says ${q} (respcd ${respcd}): run till recover.`];
  if (q === 'in_progress') return ['state_differs', `QFPay still has the ${n} in progress (respcd ${respcd}) while the journal has it ${entry.state}.`];
  return ['state_differs', `QFPay says ${q} (respcd ${respcd}), the journal says ${entry.state}: no money moved either way, but the records disagree.`];
}

/** Local "YYYY-MM-DD hh:mm:ss" of the first whole second at or after `ms`: sysdtm s is in [from, to) iff fromText <= s < toText. */
const secondText = (ms: number, timeZone: string) => formatTxdtm(Math.ceil(ms / 1000) * 1000, timeZone);

interface Indexes {
  paymentsBySyssn: Map<string, JournalEntry>;
  paymentsByOutTradeNo: Map<string, JournalEntry>;
  refundsBySyssn: Map<string, JournalEntry>;
  refundsByOutTradeNo: Map<string, JournalEntry>;
}

function index(entries: readonly JournalEntry[]): Indexes {
  const ix: Indexes = { paymentsBySyssn: new Map(), paymentsByOutTradeNo: new Map(), refundsBySyssn: new Map(), refundsByOutTradeNo: new Map() };
  for (const e of entries) {
    const [bySyssn, byId] = e.orderType === 'payment' ? [ix.paymentsBySyssn, ix.paymentsByOutTradeNo] : [ix.refundsBySyssn, ix.refundsByOutTradeNo];
    if (e.syssn) bySyssn.set(e.syssn, e);
    byId.set(e.outTradeNo, e);
  }
  return ix;
}

/** Matches by syssn, else out_trade_no (QFPay's advice: syssn is the reconciliation key). */
function journalEntryOf(ix: Indexes, r: QueryRecord): JournalEntry | undefined {
  const [bySyssn, byId] = r.order_type === 'payment' ? [ix.paymentsBySyssn, ix.paymentsByOutTradeNo] : [ix.refundsBySyssn, ix.refundsByOutTradeNo];
  return bySyssn.get(r.syssn) ?? (r.out_trade_no ? byId.get(r.out_trade_no) : undefined);
}

/** A sale the journal has as cancelled whose pay type is cancelled by reversal: reversed, on the journal's side. */
const reversedInJournal = (e: JournalEntry) => e.orderType === 'payment' && e.state === 'cancelled' && cancelsByReversal(e);

const journalSide = (e: JournalEntry): NonNullable<ReconcileItem['journal']> => ({
  amountMinor: e.amountMinor,
  currency: e.currency,
  state: e.state,
  ...(e.payType ? { payType: e.payType } : {}),
  ...(reversedInJournal(e) ? { reversed: true as const } : {}),
});
const qfpaySide = (r: QueryRecord, state: QfpayState, reversal?: QueryRecord): NonNullable<ReconcileItem['qfpay']> => ({
  amountMinor: r.txamt ?? null,
  currency: r.txcurrcd ?? null,
  respcd: r.respcd,
  state,
  udid: r.udid ?? null,
  ...(r.pay_type ? { payType: r.pay_type } : {}),
  ...(reversal ? { reversalSyssn: reversal.syssn } : {}),
});
/** The item's tender: the journal's pay type, else QFPay's. */
const tenderOf = (e: JournalEntry | undefined, r: QueryRecord | undefined) => {
  const payType = e?.payType ?? r?.pay_type;
  return payType ? { payType } : {};
};

/**
 * Sorts QFPay's records and the journal's entries of the period into the five
 * lists. Journal entries are this till's (udid and mode), created around the
 * period; an entry counts for the period if it was created in it, a record if
 * it matches such an entry or, matching none, if its sysdtm is in the period.
 */
export function matchRecords(entries: readonly JournalEntry[], records: readonly QueryRecord[], scope: MatchScope): Reconciliation {
  const { udid, fromMs, toMs, timeZone } = scope;
  const ix = index(entries);
  const fromText = secondText(fromMs, timeZone);
  const toText = secondText(toMs, timeZone);
  const inPeriod = (e: JournalEntry) => e.createdAtMs >= fromMs && e.createdAtMs < toMs;
  const recordInPeriod = (r: QueryRecord) => r.sysdtm === undefined || parseTxdtm(r.sysdtm) === undefined || (r.sysdtm >= fromText && r.sysdtm < toText);

  type Sorted = { item: ReconcileItem; at: number };
  const lists = { matched: [] as Sorted[], onlyInJournal: [] as Sorted[], onlyAtQfpay: [] as Sorted[], stateDiffers: [] as Sorted[], amountDiffers: [] as Sorted[] };
  const totals = new Map<string, ConfirmedTotals>();
  const seen = new Set<JournalEntry>();
  const atOf = (r: QueryRecord) => {
    const p = r.sysdtm === undefined ? undefined : parseTxdtm(r.sysdtm);
    return p ? epochOfLocal(p, timeZone) : fromMs;
  };

  const confirm = (r: QueryRecord, q: QfpayState, fallbackCurrency: string | undefined) => {
    if (q !== 'paid' && q !== 'refunded') return;
    const currency = r.txcurrcd ?? fallbackCurrency ?? '???';
    let t = totals.get(currency);
    if (!t) {
      t = { currency, paidCount: 0, grossMinor: 0, refundCount: 0, refundMinor: 0 };
      totals.set(currency, t);
    }
    if (q === 'paid') {
      t.paidCount += 1;
      t.grossMinor += r.txamt ?? 0;
    } else {
      t.refundCount += 1;
      t.refundMinor += r.txamt ?? 0;
    }
  };

  /** A record matched to a journal entry of the period: agreed, or which kind of difference. */
  const matchToEntry = (r: QueryRecord, q: QfpayState, entry: JournalEntry, reversal?: QueryRecord) => {
    const item: ReconcileItem = {
      out_trade_no: entry.outTradeNo,
      syssn: r.syssn || entry.syssn,
      order_type: entry.orderType,
      journal: journalSide(entry),
      qfpay: qfpaySide(r, q, reversal),
      reason: '',
      ...tenderOf(entry, r),
    };
    const at = entry.createdAtMs;
    if (seen.has(entry)) {
      item.reason = `QFPay has a second ${r.order_type} record (syssn ${r.syssn}) for the same journal ${noun(entry.orderType)}.`;
      item.reasonCode = 'second_record';
      lists.onlyAtQfpay.push({ item, at });
      return;
    }
    seen.add(entry);
    confirm(r, q, entry.currency);
    const amountsDiffer = r.txamt !== undefined && (r.txamt !== entry.amountMinor || (r.txcurrcd !== undefined && r.txcurrcd !== entry.currency));
    const amountText = amountsDiffer ? ` The amounts differ too: QFPay ${money(r.txamt, r.txcurrcd)}, the journal ${money(entry.amountMinor, entry.currency)}.` : '';
    if (!statesAgree(entry, q)) {
      const [code, text] = stateReason(entry, q, r.respcd);
      item.reason = text + amountText;
      item.reasonCode = code;
      lists.stateDiffers.push({ item, at });
    } else if (entry.syssn && r.syssn && entry.syssn !== r.syssn) {
      item.reason = `The journal has syssn ${entry.syssn} for this ${noun(entry.orderType)}, QFPay ${r.syssn}: the same out_trade_no names two QFPay transactions.`;
      item.reasonCode = 'syssn_differs';
      lists.stateDiffers.push({ item, at });
    } else if (r.order_type === 'refund' && r.origssn && entry.saleSyssn && r.origssn !== entry.saleSyssn) {
      item.reason = `QFPay records this as a refund of payment ${r.origssn}, the journal as a refund of sale ${entry.saleOutTradeNo} (syssn ${entry.saleSyssn}).`;
      item.reasonCode = 'refund_of_differs';
      lists.stateDiffers.push({ item, at });
    } else if (amountsDiffer) {
      item.reason = `Both say ${entry.state}, but the amounts differ: QFPay ${money(r.txamt, r.txcurrcd)}, the journal ${money(entry.amountMinor, entry.currency)}.`;
      item.reasonCode = 'amount_differs';
      lists.amountDiffers.push({ item, at });
    } else if (OPEN_STATES.has(entry.state)) {
      item.reason = `Still in progress at QFPay (respcd ${r.respcd}) and open in the journal (${entry.state}).`;
      item.reasonCode = 'in_progress';
      lists.matched.push({ item, at });
    } else if (q === 'reversed') {
      // A scanned code or an Alipay order cancelled by reversal: the same outcome on both sides, said as such.
      const journalWord = entry.state === 'cancelled' ? 'reversed' : `reversed (the journal: ${entry.state})`;
      item.reason = `QFPay and the journal agree: ${journalWord}, nothing charged, ${money(entry.amountMinor, entry.currency)}.`;
      item.reasonCode = 'reversed';
      lists.matched.push({ item, at });
    } else {
      item.reason = `QFPay and the journal agree: ${entry.state}, ${money(entry.amountMinor, entry.currency)}.`;
      item.reasonCode = 'agree';
      lists.matched.push({ item, at });
    }
  };

  /** A record no journal entry names: this till's (or nobody's) is listed as only at QFPay, another till's left to it. */
  const notInJournal = (r: QueryRecord, q: QfpayState) => {
    const recordUdid = r.udid ?? '';
    if (recordUdid !== '' && recordUdid !== udid) return;
    if (!recordInPeriod(r)) return;
    const what = `${r.order_type === 'payment' ? 'a payment' : 'a refund'} (${q}, ${money(r.txamt, r.txcurrcd)})`;
    const refunded = r.order_type === 'refund' && r.origssn ? ix.paymentsBySyssn.get(r.origssn) : undefined;
    let reason: string;
    let reasonCode: ReconcileReason;
    if (refunded) {
      reason = `QFPay has ${what} of this till's sale ${refunded.outTradeNo} that the journal does not know: it was made outside this till (another device or the merchant portal).`;
      reasonCode = 'outside_refund';
    } else if (recordUdid === '') {
      reason = `QFPay has ${what} whose udid is unknown (none recorded) and that is not in the journal: it was probably made on another device or in the merchant portal.`;
      reasonCode = 'outside_unknown';
    } else {
      reason = `QFPay has ${what} from this till (udid ${udid}) that is not in the journal.`;
      reasonCode = 'outside_this_till';
    }
    if (recordUdid === udid) confirm(r, q, undefined);
    lists.onlyAtQfpay.push({
      item: { out_trade_no: r.out_trade_no, syssn: r.syssn, order_type: r.order_type, journal: null, qfpay: qfpaySide(r, q), reason, reasonCode, ...tenderOf(undefined, r) },
      at: atOf(r),
    });
  };

  // Reversal records go with the payment they name (reconcile-reversals.ts), never on their own as money.
  const qfpayPayments = new Map<string, QueryRecord>();
  for (const r of records) if (r.order_type === 'payment' && !namesAnotherPayment(r) && !qfpayPayments.has(r.syssn)) qfpayPayments.set(r.syssn, r);
  const reversals = findReversals(records, {
    qfpayPayment: (syssn) => qfpayPayments.get(syssn),
    journalUncharged: (syssn) => ['cancelled', 'expired', 'failed'].includes(ix.paymentsBySyssn.get(syssn)?.state ?? ''),
    journalRefund: (r) => ix.refundsBySyssn.has(r.syssn) || (r.out_trade_no !== '' && ix.refundsByOutTradeNo.has(r.out_trade_no)),
  });

  for (const r of records) {
    if (reversals.records.has(r)) {
      // Its payment's own record says the rest (the reversal is read there).
      if (qfpayPayments.has(r.origssn!)) continue;
      // QFPay listed only the reversal: it stands for the journal sale it names. One that did not go through says nothing.
      const entry = ix.paymentsBySyssn.get(r.origssn!) ?? (r.out_trade_no ? ix.paymentsByOutTradeNo.get(r.out_trade_no) : undefined);
      if (entry) {
        if (r.respcd === '0000' && inPeriod(entry) && !seen.has(entry)) matchToEntry({ ...r, order_type: 'payment', syssn: r.origssn!, out_trade_no: entry.outTradeNo }, 'reversed', entry, r);
        continue;
      }
      // A reversal of a payment neither side knows: listed below, as a reversal (qfpayStateOf), never as a payment.
    }
    let q = qfpayStateOf(r);
    const reversal = r.order_type === 'payment' ? reversals.byPayment.get(r.syssn) : undefined;
    // A reversal record that went through outweighs a payment record still saying paid or in progress.
    if (reversal && (q === 'paid' || q === 'in_progress')) q = 'reversed';
    const entry = journalEntryOf(ix, r);
    // Matched, but to a sale or refund of a neighbouring period: it is reconciled there.
    if (entry) {
      if (inPeriod(entry)) matchToEntry(r, q, entry, reversal);
      continue;
    }
    notInJournal(r, q);
  }

  const problems = [...(scope.problems ?? [])];
  if (scope.complete) {
    for (const e of entries) {
      if (seen.has(e) || !inPeriod(e)) continue;
      // A final sale or refund with no syssn was refused or never created: QFPay has nothing to show for it.
      const expected = e.syssn !== null || OPEN_STATES.has(e.state) || e.state === 'paid' || e.state === 'refunded';
      if (!expected) continue;
      const n = noun(e.orderType);
      const reason =
        e.state === 'paid' || e.state === 'refunded'
          ? `The journal has the ${n} as ${e.state} (${money(e.amountMinor, e.currency)}), but QFPay has no record of it.`
          : OPEN_STATES.has(e.state)
            ? e.syssn === null
              ? `The journal has the ${n} open (${e.state}), but QFPay has no record of it: it was probably never created — run till recover.`
              : `The journal has the ${n} open (${e.state}) with syssn ${e.syssn}, but QFPay has no record of it: run till recover.`
            : `The journal has the ${n} as ${e.state} with syssn ${e.syssn}, but QFPay has no record of it.`;
      lists.onlyInJournal.push({
        item: { out_trade_no: e.outTradeNo, syssn: e.syssn, order_type: e.orderType, journal: journalSide(e), qfpay: null, reason, reasonCode: OPEN_STATES.has(e.state) ? 'missing_open' : 'missing_final', ...tenderOf(e, undefined) },
        at: e.createdAtMs,
      });
    }
  } else {
    const unchecked = entries.filter((e) => inPeriod(e) && !seen.has(e)).length;
    if (unchecked > 0) problems.push(`${unchecked} journal sales and refunds of the period were not checked: QFPay's records could not all be fetched.`);
  }

  const ordered = (list: Sorted[]) =>
    list
      .sort((a, b) => a.at - b.at || (a.item.out_trade_no < b.item.out_trade_no ? -1 : a.item.out_trade_no > b.item.out_trade_no ? 1 : 0))
      .map((s) => s.item);
  return {
    period: { fromMs, toMs },
    complete: scope.complete,
    matched: ordered(lists.matched),
    onlyInJournal: ordered(lists.onlyInJournal),
    onlyAtQfpay: ordered(lists.onlyAtQfpay),
    stateDiffers: ordered(lists.stateDiffers),
    amountDiffers: ordered(lists.amountDiffers),
    // Partial sums would look like confirmed ones: none rather than wrong.
    totals: scope.complete ? [...totals.values()].sort((a, b) => (a.currency < b.currency ? -1 : a.currency > b.currency ? 1 : 0)) : [],
    problems,
  };
}
