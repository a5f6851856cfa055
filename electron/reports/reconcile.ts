import { CASH_PAY_TYPE } from '../../shared/cash';
import type { ConfirmedTotals, TillReport } from '../../shared/reports';
import type { Db } from '../journal/database';
import type { QueryRecord } from '../qfpay/responses';
import type { Till } from '../till/core';
import { fetchQfpayRecords, queryRanges, type FetchOptions, type QueryPort } from './qfpay-records';
import { matchRecords, type JournalEntry, type Reconciliation } from './reconcile-match';

// Reconciliation of a period against QFPay (issue 6): fetch QFPay's records
// by time range (qfpay-records.ts), load the journal's sales and refunds
// around the period, and match them (reconcile-match.ts, a pure function).
// Nothing is stored: the result is computed on demand, and a report shows
// QFPay-confirmed totals only when it is given a complete result.

export type { JournalEntry, MatchScope, QfpayState, ReconcileItem, Reconciliation } from './reconcile-match';
export { matchRecords, qfpayStateOf } from './reconcile-match';
export { fetchQfpayRecords, queryRanges, PAGE_SIZE, type FetchOptions, type FetchResult, type TimeRange } from './qfpay-records';

/** What reconcile needs when it is not handed a whole till. */
export interface ReconcileSource {
  db: Db;
  client: QueryPort;
  /** Takes a token from the till's budget before every request. */
  take: () => Promise<void>;
  /** After a 429: nobody on this till calls QFPay for `ms`. */
  pause?: (ms: number) => void;
}

export type ReconcileTill = Pick<Till, 'journal' | 'client' | 'engine'>;

export interface ReconcileOptions extends Omit<FetchOptions, 'pause'> {
  udid: string;
  training: boolean;
  /** [fromMs, toMs) */
  fromMs: number;
  toMs: number;
  /** The merchant's zone: QFPay's times and month boundaries are local. */
  timeZone: string;
  /**
   * QFPay's sysdtm is stamped after the journal's write-ahead and by another
   * clock: records this far either side of the period are fetched too, so a
   * sale written at 23:59:59.9 still finds its order stamped 00:00:00.
   */
  marginMs?: number;
}

export const DEFAULT_MARGIN_MS = 10 * 60_000;

const isTill = (source: ReconcileTill | ReconcileSource): source is ReconcileTill => 'engine' in source;

export async function reconcile(source: ReconcileTill | ReconcileSource, options: ReconcileOptions): Promise<Reconciliation> {
  const { udid, training, fromMs, toMs, timeZone, marginMs = DEFAULT_MARGIN_MS, ...fetchOptions } = options;
  const port: ReconcileSource = isTill(source)
    ? {
        db: source.journal.db,
        client: source.client,
        take: () => source.engine.bucket.take(),
        pause: (ms) => source.engine.bucket.pause(ms),
      }
    : source;
  const ranges = queryRanges(fromMs - marginMs, toMs + marginMs, timeZone);
  const fetched = await fetchQfpayRecords(port.client, port.take, ranges, { ...fetchOptions, ...(port.pause ? { pause: port.pause } : {}) });
  const entries = loadJournalEntries(port.db, { udid, training, fromMs: fromMs - marginMs, toMs: toMs + marginMs }, fetched.records);
  return matchRecords(entries, fetched.records, { udid, fromMs, toMs, timeZone, complete: fetched.complete, problems: fetched.problems });
}

// A sale is matched by its current QFPay order (order_no: a re-issue's, else its own out_trade_no);
// the orders it replaced after a lost QR are entries of their own ('replaced'), so QFPay's closed
// record of a lost QR is neither a second record of the sale nor a sale the journal does not know.
const SALE_COLUMNS = `'payment' AS order_type, COALESCE(order_no, out_trade_no) AS out_trade_no, syssn, state, amount_minor, currency, created_at_ms, cancel_reason, NULL AS sale_out_trade_no, NULL AS sale_syssn, pay_type`;
const REPLACED_COLUMNS = `'payment' AS order_type, o.order_no AS out_trade_no, o.syssn, 'replaced' AS state, s.amount_minor, s.currency, o.replaced_at_ms AS created_at_ms, s.cancel_reason, o.sale_out_trade_no, NULL AS sale_syssn, s.pay_type`;
const REPLACED_FROM = 'sale_orders o JOIN sales s ON s.out_trade_no = o.sale_out_trade_no';
const REFUND_COLUMNS = `'refund' AS order_type, r.out_trade_no, r.syssn, r.state, r.amount_minor, r.currency, r.created_at_ms, NULL AS cancel_reason, r.sale_out_trade_no, s.syssn AS sale_syssn, s.pay_type`;
const REFUND_FROM = 'refunds r LEFT JOIN sales s ON s.out_trade_no = r.sale_out_trade_no';

interface EntryRow {
  order_type: 'payment' | 'refund';
  out_trade_no: string;
  syssn: string | null;
  state: string;
  amount_minor: number;
  currency: string;
  created_at_ms: number;
  cancel_reason: string | null;
  sale_out_trade_no: string | null;
  sale_syssn: string | null;
  pay_type: string | null;
}

const toEntry = (r: EntryRow): JournalEntry => ({
  orderType: r.order_type,
  outTradeNo: r.out_trade_no,
  syssn: r.syssn,
  state: r.state,
  amountMinor: r.amount_minor,
  currency: r.currency,
  createdAtMs: r.created_at_ms,
  cancelReason: r.cancel_reason,
  saleOutTradeNo: r.sale_out_trade_no,
  saleSyssn: r.sale_syssn,
  ...(r.pay_type ? { payType: r.pay_type } : {}),
});

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
  // Cash never reaches QFPay: journal-only by nature, never a difference (issue 13).
  const mine = `udid = @udid AND training = @training AND pay_type <> '${CASH_PAY_TYPE}'`;
  return {
    salesCreated: db.prepare(`SELECT ${SALE_COLUMNS} FROM sales WHERE ${mine} AND created_at_ms >= @from AND created_at_ms < @to`),
    refundsCreated: db.prepare(`SELECT ${REFUND_COLUMNS} FROM ${REFUND_FROM} WHERE r.udid = @udid AND r.training = @training AND r.created_at_ms >= @from AND r.created_at_ms < @to AND s.pay_type IS NOT '${CASH_PAY_TYPE}'`),
    saleBySyssn: db.prepare(`SELECT ${SALE_COLUMNS} FROM sales WHERE syssn = @key AND ${mine}`),
    saleById: db.prepare(`SELECT ${SALE_COLUMNS} FROM sales WHERE (order_no = @key OR (order_no IS NULL AND out_trade_no = @key)) AND ${mine}`),
    replacedCreated: db.prepare(`SELECT ${REPLACED_COLUMNS} FROM ${REPLACED_FROM} WHERE o.udid = @udid AND s.training = @training AND o.replaced_at_ms >= @from AND o.replaced_at_ms < @to`),
    replacedBySyssn: db.prepare(`SELECT ${REPLACED_COLUMNS} FROM ${REPLACED_FROM} WHERE o.syssn = @key AND o.udid = @udid AND s.training = @training`),
    replacedById: db.prepare(`SELECT ${REPLACED_COLUMNS} FROM ${REPLACED_FROM} WHERE o.order_no = @key AND o.udid = @udid AND s.training = @training`),
    refundBySyssn: db.prepare(`SELECT ${REFUND_COLUMNS} FROM ${REFUND_FROM} WHERE r.syssn = @key AND r.udid = @udid AND r.training = @training`),
    refundById: db.prepare(`SELECT ${REFUND_COLUMNS} FROM ${REFUND_FROM} WHERE r.out_trade_no = @key AND r.udid = @udid AND r.training = @training`),
  };
}

/**
 * This till's sales and refunds created in [fromMs, toMs), plus any other of
 * its rows that a record names (by syssn, out_trade_no, or a refund's
 * origssn): indexed lookups, so a refund of last month's sale is recognised.
 */
export function loadJournalEntries(
  db: Db,
  scope: { udid: string; training: boolean; fromMs: number; toMs: number },
  records: readonly QueryRecord[] = [],
): JournalEntry[] {
  let stmt = statements.get(db);
  if (!stmt) {
    stmt = prepare(db);
    statements.set(db, stmt);
  }
  const base = { udid: scope.udid, training: scope.training ? 1 : 0 };
  const window = { ...base, from: scope.fromMs, to: scope.toMs };
  const rows = [...(stmt.salesCreated.all(window) as EntryRow[]), ...(stmt.replacedCreated.all(window) as EntryRow[]), ...(stmt.refundsCreated.all(window) as EntryRow[])];
  const known = new Set<string>();
  for (const r of rows) {
    known.add(`${r.order_type}:id:${r.out_trade_no}`);
    if (r.syssn) known.add(`${r.order_type}:ssn:${r.syssn}`);
  }
  const add = (row: EntryRow | undefined) => {
    if (!row || known.has(`${row.order_type}:id:${row.out_trade_no}`)) return;
    known.add(`${row.order_type}:id:${row.out_trade_no}`);
    if (row.syssn) known.add(`${row.order_type}:ssn:${row.syssn}`);
    rows.push(row);
  };
  for (const record of records) {
    // Another till's record is ignored unless it names a row loaded above: no lookup can change that.
    if (record.udid && record.udid !== scope.udid) continue;
    const type = record.order_type;
    const bySyssn = type === 'payment' ? stmt.saleBySyssn : stmt.refundBySyssn;
    const byId = type === 'payment' ? stmt.saleById : stmt.refundById;
    if (!known.has(`${type}:ssn:${record.syssn}`)) add(bySyssn.get({ ...base, key: record.syssn }) as EntryRow | undefined);
    if (record.out_trade_no && !known.has(`${type}:id:${record.out_trade_no}`)) add(byId.get({ ...base, key: record.out_trade_no }) as EntryRow | undefined);
    if (type === 'payment') {
      if (!known.has(`payment:ssn:${record.syssn}`)) add(stmt.replacedBySyssn.get({ ...base, key: record.syssn }) as EntryRow | undefined);
      if (record.out_trade_no && !known.has(`payment:id:${record.out_trade_no}`)) add(stmt.replacedById.get({ ...base, key: record.out_trade_no }) as EntryRow | undefined);
    }
    // A refund's sale, or the payment a reversal record names (reconcile-reversals.ts).
    if (record.origssn && !known.has(`payment:ssn:${record.origssn}`)) {
      add(stmt.saleBySyssn.get({ ...base, key: record.origssn }) as EntryRow | undefined);
    }
  }
  return rows.map(toEntry);
}

/**
 * QFPay never sees cash: the journal's cash figures stand confirmed by nature
 * (issue 13: cash is never a difference), so they are added to QFPay's
 * figures before the report sets them beside the journal's.
 */
function withCash(totals: readonly ConfirmedTotals[], report: TillReport): ConfirmedTotals[] {
  const out = totals.map((c) => ({ ...c }));
  for (const { currency, tenders } of report.tenders ?? []) {
    const cash = tenders.find((t) => t.payType === CASH_PAY_TYPE);
    if (!cash) continue;
    let row = out.find((c) => c.currency === currency);
    if (!row) out.push((row = { currency, paidCount: 0, grossMinor: 0, refundCount: 0, refundMinor: 0 }));
    row.paidCount += cash.paidCount;
    row.grossMinor += cash.grossMinor;
    row.refundCount += cash.refundCount;
    row.refundMinor += cash.refundMinor;
  }
  return out;
}

/**
 * The report with QFPay-confirmed totals next to the journal's, when the
 * reconciliation covers exactly the report's period and is complete;
 * otherwise the report as it was. (Not part of a Z's hashed content.)
 */
export function attachConfirmed(report: TillReport, result: Reconciliation): TillReport {
  if (!result.complete || result.period.fromMs !== report.periodStartMs || result.period.toMs !== report.periodEndMs) return report;
  return { ...report, confirmed: withCash(result.totals, report) };
}
