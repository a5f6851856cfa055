import type { ClientBase } from 'pg';
import type { ConfirmedTotals } from '../../shared/reports';
import type { QueryRecord } from '../qfpay/responses';
import { formatMinorPlain, isCurrencyCode } from '../../shared/currency';
import { DEFAULT_MARGIN_MS, fetchQfpayRecords, matchRecords, qfpayStateOf, queryRanges, type FetchOptions, type JournalEntry, type ReconcileItem, type Reconciliation } from '../reports/reconcile';
import type { QueryPort } from '../reports/qfpay-records';
import { formatTxdtm } from '../qfpay/time';
import { CASH_PAY_TYPE } from '../../shared/cash';

// One reconciliation per merchant (issue 15): QFPay's records for the period
// are fetched once (within the merchant's shared budget), every till's
// journal comes from PostgreSQL, and each record goes to the till whose
// journal names it (by syssn, out_trade_no, or the refunded payment's
// syssn), else to the till whose udid it carries. Each till is matched by
// the same function `till reconcile` uses; what no till journaled is "only
// at QFPay" for the merchant. Same JSON as `till reconcile`, plus `udid` on
// every item. Every pay type is matched by the same rules: cash is never
// loaded (QFPay never sees it), and a scanned code or Alipay order reversed
// at QFPay and cancelled in the journal is a match, "reversed".

export type OfficeItem = ReconcileItem & { udid: string | null };

export interface OfficeReconciliation extends Omit<Reconciliation, 'matched' | 'onlyInJournal' | 'onlyAtQfpay' | 'stateDiffers' | 'amountDiffers'> {
  matched: OfficeItem[];
  onlyInJournal: OfficeItem[];
  onlyAtQfpay: OfficeItem[];
  stateDiffers: OfficeItem[];
  amountDiffers: OfficeItem[];
  /** The tills whose journals took part. */
  tills: string[];
}

export interface OfficePeriod {
  fromMs: number;
  toMs: number;
  timeZone: string;
  marginMs?: number;
}

interface EntryRow {
  udid: string;
  order_type: 'payment' | 'refund';
  out_trade_no: string;
  syssn: string | null;
  state: string;
  amount_minor: string;
  currency: string;
  created_at_ms: string;
  cancel_reason: string | null;
  sale_out_trade_no: string | null;
  sale_syssn: string | null;
  pay_type: string | null;
}

// As on the till (electron/reports/reconcile.ts): a sale is matched by its current QFPay order
// (order_no after a re-issue, else its own out_trade_no), and each order it replaced after a lost
// QR is an entry of its own ('replaced'), so QFPay's closed record of a lost QR is neither a second
// record of the sale nor "only at QFPay".
const SALE_SELECT = `SELECT udid, 'payment' AS order_type, COALESCE(order_no, out_trade_no) AS out_trade_no, syssn, state, amount_minor, currency, created_at_ms, cancel_reason, NULL AS sale_out_trade_no, NULL AS sale_syssn, pay_type FROM office.sales`;
const REPLACED_SELECT = `SELECT o.udid, 'payment', o.order_no, o.syssn, 'replaced', s.amount_minor, s.currency, o.replaced_at_ms, s.cancel_reason, o.sale_out_trade_no, NULL, s.pay_type
  FROM office.sale_orders o JOIN office.sales s ON s.udid = o.udid AND s.out_trade_no = o.sale_out_trade_no`;
const REFUND_SELECT = `SELECT r.udid, 'refund', r.out_trade_no, r.syssn, r.state, r.amount_minor, r.currency, r.created_at_ms, NULL, r.sale_out_trade_no, s.syssn, s.pay_type
  FROM office.refunds r LEFT JOIN office.sales s ON s.udid = r.udid AND s.out_trade_no = r.sale_out_trade_no`;
// Cash never reaches QFPay (issue 13): journal-only by nature, never a difference.
const NOT_CASH = `pay_type <> '${CASH_PAY_TYPE}'`;
const NOT_CASH_REFUND = `s.pay_type IS DISTINCT FROM '${CASH_PAY_TYPE}'`;

const toEntry = (r: EntryRow): JournalEntry & { udid: string } => ({
  udid: r.udid,
  orderType: r.order_type,
  outTradeNo: r.out_trade_no,
  syssn: r.syssn,
  state: r.state,
  amountMinor: Number(r.amount_minor),
  currency: r.currency,
  createdAtMs: Number(r.created_at_ms),
  cancelReason: r.cancel_reason,
  saleOutTradeNo: r.sale_out_trade_no,
  saleSyssn: r.sale_syssn,
  ...(r.pay_type ? { payType: r.pay_type } : {}),
});

/**
 * Every till's sales and refunds created around the period (one index range
 * each), then only the rows records name that the window missed (a refund
 * of last month's sale): indexed lookups of a few keys, not of every record.
 */
async function loadEntries(client: ClientBase, period: OfficePeriod, records: readonly QueryRecord[]): Promise<Array<JournalEntry & { udid: string }>> {
  const margin = period.marginMs ?? DEFAULT_MARGIN_MS;
  const window = [period.fromMs - margin, period.toMs + margin];
  const rows = (
    await client.query<EntryRow>(
      `${SALE_SELECT} WHERE ${NOT_CASH} AND created_at_ms >= $1 AND created_at_ms < $2
       UNION ALL ${REPLACED_SELECT} WHERE o.replaced_at_ms >= $1 AND o.replaced_at_ms < $2
       UNION ALL ${REFUND_SELECT} WHERE ${NOT_CASH_REFUND} AND r.created_at_ms >= $1 AND r.created_at_ms < $2`,
      window,
    )
  ).rows;
  const known = new Set<string>();
  for (const r of rows) {
    known.add(`id:${r.out_trade_no}`);
    if (r.syssn) known.add(`ssn:${r.syssn}`);
  }
  const ssns = new Set<string>();
  const ids = new Set<string>();
  for (const r of records) {
    if (r.syssn && !known.has(`ssn:${r.syssn}`)) ssns.add(r.syssn);
    if (r.origssn && !known.has(`ssn:${r.origssn}`)) ssns.add(r.origssn);
    if (r.out_trade_no && !known.has(`id:${r.out_trade_no}`)) ids.add(r.out_trade_no);
  }
  if (ssns.size > 0 || ids.size > 0) {
    const more = await client.query<EntryRow>(
      `${SALE_SELECT} WHERE ${NOT_CASH} AND (syssn = ANY($3::text[]) OR order_no = ANY($4::text[]) OR (order_no IS NULL AND out_trade_no = ANY($4::text[]))) AND NOT (created_at_ms >= $1 AND created_at_ms < $2)
       UNION ALL ${REPLACED_SELECT} WHERE (o.syssn = ANY($3::text[]) OR o.order_no = ANY($4::text[])) AND NOT (o.replaced_at_ms >= $1 AND o.replaced_at_ms < $2)
       UNION ALL ${REFUND_SELECT} WHERE ${NOT_CASH_REFUND} AND (r.syssn = ANY($3::text[]) OR r.out_trade_no = ANY($4::text[])) AND NOT (r.created_at_ms >= $1 AND r.created_at_ms < $2)`,
      [...window, [...ssns], [...ids]],
    );
    rows.push(...more.rows);
  }
  return rows.map(toEntry);
}

const money = (minor: number | undefined, currency: string | undefined) =>
  minor === undefined ? 'an amount QFPay did not give' : currency && isCurrencyCode(currency) ? `${currency} ${formatMinorPlain(minor, currency)}` : `${minor} (minor units)`;

/** Matches records already fetched against every till's journal in PostgreSQL. */
export async function reconcileRecords(
  client: ClientBase,
  records: readonly QueryRecord[],
  period: OfficePeriod,
  fetched: { complete: boolean; problems: readonly string[] } = { complete: true, problems: [] },
): Promise<OfficeReconciliation> {
  const entries = await loadEntries(client, period, records);
  const tills = (await client.query<{ udid: string }>('SELECT udid FROM office.tills ORDER BY udid')).rows.map((r) => r.udid);
  const known = new Set(tills);
  const owner = new Map<string, string>();
  for (const e of entries) {
    owner.set(`${e.orderType}:id:${e.outTradeNo}`, e.udid);
    if (e.syssn) owner.set(`${e.orderType}:ssn:${e.syssn}`, e.udid);
  }
  const byTill = new Map<string, QueryRecord[]>();
  const nobody: QueryRecord[] = [];
  for (const r of records) {
    const udid =
      owner.get(`${r.order_type}:ssn:${r.syssn}`) ??
      (r.out_trade_no ? owner.get(`${r.order_type}:id:${r.out_trade_no}`) : undefined) ??
      // A refund's sale, or the payment a reversal record names: the till that journaled that payment.
      (r.origssn ? owner.get(`payment:ssn:${r.origssn}`) : undefined) ??
      (r.udid && known.has(r.udid) ? r.udid : undefined);
    if (udid === undefined) nobody.push(r);
    else (byTill.get(udid) ?? byTill.set(udid, []).get(udid)!).push(r);
  }
  const result: OfficeReconciliation = {
    period: { fromMs: period.fromMs, toMs: period.toMs },
    complete: fetched.complete,
    matched: [],
    onlyInJournal: [],
    onlyAtQfpay: [],
    stateDiffers: [],
    amountDiffers: [],
    totals: [],
    problems: [...fetched.problems],
    tills,
  };
  const totals = new Map<string, ConfirmedTotals>();
  const confirm = (t: ConfirmedTotals) => {
    const row = totals.get(t.currency) ?? totals.set(t.currency, { currency: t.currency, paidCount: 0, grossMinor: 0, refundCount: 0, refundMinor: 0 }).get(t.currency)!;
    row.paidCount += t.paidCount;
    row.grossMinor += t.grossMinor;
    row.refundCount += t.refundCount;
    row.refundMinor += t.refundMinor;
  };
  const entriesOf = new Map<string, JournalEntry[]>();
  for (const e of entries) (entriesOf.get(e.udid) ?? entriesOf.set(e.udid, []).get(e.udid)!).push(e);
  for (const udid of tills) {
    const mine = matchRecords(entriesOf.get(udid) ?? [], byTill.get(udid) ?? [], { udid, fromMs: period.fromMs, toMs: period.toMs, timeZone: period.timeZone, complete: fetched.complete });
    for (const list of ['matched', 'onlyInJournal', 'onlyAtQfpay', 'stateDiffers', 'amountDiffers'] as const) result[list].push(...mine[list].map((item) => ({ ...item, udid })));
    mine.totals.forEach(confirm);
  }
  // No till journaled these: for the merchant, that is what "only at QFPay" means.
  for (const r of nobody) {
    const state = qfpayStateOf(r);
    if (r.sysdtm !== undefined && !inPeriodText(r.sysdtm, period)) continue;
    if (state === 'paid') confirm({ currency: r.txcurrcd ?? '???', paidCount: 1, grossMinor: r.txamt ?? 0, refundCount: 0, refundMinor: 0 });
    if (state === 'refunded') confirm({ currency: r.txcurrcd ?? '???', paidCount: 0, grossMinor: 0, refundCount: 1, refundMinor: r.txamt ?? 0 });
    const what = `${r.order_type === 'payment' ? 'a payment' : 'a refund'} (${state}, ${money(r.txamt, r.txcurrcd)})`;
    result.onlyAtQfpay.push({
      out_trade_no: r.out_trade_no,
      syssn: r.syssn,
      order_type: r.order_type,
      journal: null,
      qfpay: { amountMinor: r.txamt ?? null, currency: r.txcurrcd ?? null, respcd: r.respcd, state, udid: r.udid ?? null, ...(r.pay_type ? { payType: r.pay_type } : {}) },
      reason: `QFPay has ${what}${r.udid ? ` from udid ${r.udid}` : ''} that no till's journal at head office has: made on a device that does not replicate, in the merchant portal, or on a till that has not synced it yet.`,
      udid: r.udid ?? null,
      ...(r.pay_type ? { payType: r.pay_type } : {}),
    });
  }
  result.totals = [...totals.values()].sort((a, b) => a.currency.localeCompare(b.currency));
  return result;
}

/** sysdtm is merchant-local wall time: compared as text, as matchRecords does. */
function inPeriodText(sysdtm: string, period: OfficePeriod): boolean {
  return sysdtm >= formatTxdtm(period.fromMs, period.timeZone) && sysdtm < formatTxdtm(period.toMs, period.timeZone);
}

/** Fetches QFPay's records for the period once, then reconciles every till. */
export async function reconcileMerchant(
  client: ClientBase,
  port: QueryPort,
  take: () => Promise<void>,
  period: OfficePeriod,
  options: FetchOptions = {},
): Promise<OfficeReconciliation & { requests: number }> {
  const margin = period.marginMs ?? DEFAULT_MARGIN_MS;
  const fetched = await fetchQfpayRecords(port, take, queryRanges(period.fromMs - margin, period.toMs + margin, period.timeZone), options);
  const result = await reconcileRecords(client, fetched.records, period, fetched);
  return { ...result, requests: fetched.requests };
}
