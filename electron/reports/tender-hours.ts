import { tenderRank, type TenderTotals } from '../../shared/cash';
import type { CurrencyCode } from '../../shared/currency';
import type { HourTotals } from '../../shared/reports';
import type { Db } from '../journal/database';
import { tenderHalfHours, type TenderQueryOptions } from '../journal/drawer';
import { SLOT_MS, ZoneOffsets, walkPeriod } from './totals';

// The reports' split by tender (issue 13 §4) in one pass: each tender's paid
// sales and refunds over a period, and its paid sales per local hour of the
// day for the hourly chart stacked by tender. As totals.ts does per
// currency: whole half hours from the tender_slots rollup, summed per half
// hour of the UTC day within each piece of constant UTC offset (one query;
// a long piece reads the rollup's half-hour-of-day index in group order,
// migration 7, where a sort of every half hour took most of a year's X);
// the partial half hours at the edges row by row through the
// paid-by-tender and settled-refund indexes. The figures are those of
// journal/drawer.ts tenderTotals (a test holds them equal), plus the hours.

export interface TenderPeriod {
  udid: string;
  training: boolean;
  /** [fromMs, toMs) */
  fromMs: number;
  toMs: number;
  timeZone: string;
}

/** currency → its tenders in the reports' order (cash last), each with `hourly`. */
export type TenderSplit = Map<CurrencyCode, TenderTotals[]>;

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
  return {
    edgeSales: db.prepare(
      `SELECT currency, pay_type, 'paid' AS kind, settled_at_ms / ${SLOT_MS} AS slot, COUNT(*) AS count, SUM(amount_minor) AS amount FROM sales INDEXED BY sales_paid_by_tender
       WHERE udid = @udid AND training = @training AND settled_at_ms >= @from AND settled_at_ms < @to AND state = 'paid' GROUP BY 1, 2, 4`,
    ),
    // A refund's tender is its sale's, as the rollup's trigger records it ('' for a sale the journal lacks).
    edgeRefunds: db.prepare(
      `SELECT r.currency, COALESCE(s.pay_type, '') AS pay_type, 'refunded' AS kind, r.settled_at_ms / ${SLOT_MS} AS slot, COUNT(*) AS count, SUM(r.amount_minor) AS amount
       FROM refunds r INDEXED BY refunds_settled LEFT JOIN sales s ON s.out_trade_no = r.sale_out_trade_no
       WHERE r.udid = @udid AND r.settled_at_ms >= @from AND r.settled_at_ms < @to AND r.training = @training GROUP BY 1, 2, 4`,
    ),
  };
}

interface Row {
  currency: CurrencyCode;
  pay_type: string;
  kind: 'paid' | 'refunded';
  count: number;
  amount: number;
}

interface Sums {
  t: TenderTotals;
  count: number[];
  gross: number[];
}

export function tenderSplit(db: Db, period: TenderPeriod, options: TenderQueryOptions = {}): TenderSplit {
  let s = statements.get(db);
  if (!s) statements.set(db, (s = prepare(db)));
  const offsets = new ZoneOffsets(period.timeZone);
  const sums = new Map<CurrencyCode, Map<string, Sums>>();
  const add = (r: Row, hour: number) => {
    let byTender = sums.get(r.currency);
    if (!byTender) sums.set(r.currency, (byTender = new Map()));
    let x = byTender.get(r.pay_type);
    if (!x) {
      x = { t: { payType: r.pay_type, paidCount: 0, grossMinor: 0, refundCount: 0, refundMinor: 0 }, count: new Array<number>(24).fill(0), gross: new Array<number>(24).fill(0) };
      byTender.set(r.pay_type, x);
    }
    if (r.kind === 'refunded') {
      x.t.refundCount += r.count;
      x.t.refundMinor += r.amount;
      return;
    }
    x.t.paidCount += r.count;
    x.t.grossMinor += r.amount;
    x.count[hour]! += r.count;
    x.gross[hour]! += r.amount;
  };
  const scope = { udid: period.udid, training: period.training ? 1 : 0 };
  const edge = (from: number, to: number) => {
    if (from >= to) return;
    for (const stmt of [s.edgeSales, s.edgeRefunds]) for (const r of stmt.all({ ...scope, from, to }) as (Row & { slot: number })[]) add(r, offsets.hourOf(r.slot * SLOT_MS));
  };
  walkPeriod(period, offsets, edge, (segment, hours) => {
    for (const r of tenderHalfHours(db, period, segment.from, segment.to, options)) add(r, hours[r.halfHour]!);
  });
  const out: TenderSplit = new Map();
  for (const [currency, byTender] of [...sums].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const list = [...byTender.values()].map(({ t, count, gross }) => {
      const hourly: HourTotals[] = [];
      for (let hour = 0; hour < 24; hour++) if (count[hour]! > 0) hourly.push({ hour, paidCount: count[hour]!, grossMinor: gross[hour]! });
      return { ...t, hourly };
    });
    out.set(currency, list.sort((a, b) => tenderRank(a.payType) - tenderRank(b.payType) || (a.payType < b.payType ? -1 : 1)));
  }
  return out;
}
