import type { CurrencyCode } from '../../shared/currency';
import type { HourTotals } from '../../shared/reports';
import type { Db } from '../journal/database';
import { SLOT_MS, ZoneOffsets, walkPeriod } from './totals';

// Paid sales per tender and local hour of the day over a period, for the
// hourly chart stacked by tender (issue 13 §4). The same split as totals.ts
// makes per currency: whole half hours from the tender_slots rollup, summed
// per half hour of the UTC day within each piece of constant UTC offset; the
// partial half hours at the edges from the paid-by-tender index, per slot.

export interface TenderHoursPeriod {
  udid: string;
  training: boolean;
  /** [fromMs, toMs) */
  fromMs: number;
  toMs: number;
  timeZone: string;
}

/** currency → pay type → paid sales per hour of the day (hour order, only hours with a sale). */
export type TenderHours = Map<CurrencyCode, Map<string, HourTotals[]>>;

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
  return {
    whole: db.prepare(
      `SELECT currency, pay_type, slot % 48 AS halfHour, SUM(count) AS count, SUM(amount) AS amount FROM tender_slots
       WHERE udid = @udid AND training = @training AND kind = 'paid' AND slot >= @from AND slot < @to GROUP BY 1, 2, 3`,
    ),
    edge: db.prepare(
      `SELECT currency, pay_type, settled_at_ms / ${SLOT_MS} AS slot, COUNT(*) AS count, SUM(amount_minor) AS amount FROM sales INDEXED BY sales_paid_by_tender
       WHERE udid = @udid AND training = @training AND settled_at_ms >= @from AND settled_at_ms < @to AND state = 'paid' GROUP BY 1, 2, 3`,
    ),
  };
}

interface Row {
  currency: CurrencyCode;
  pay_type: string;
  count: number;
  amount: number;
}

export function tenderHours(db: Db, period: TenderHoursPeriod): TenderHours {
  let s = statements.get(db);
  if (!s) statements.set(db, (s = prepare(db)));
  const offsets = new ZoneOffsets(period.timeZone);
  const sums = new Map<CurrencyCode, Map<string, { count: number[]; gross: number[] }>>();
  const add = (r: Row, hour: number) => {
    let byTender = sums.get(r.currency);
    if (!byTender) sums.set(r.currency, (byTender = new Map()));
    let h = byTender.get(r.pay_type);
    if (!h) byTender.set(r.pay_type, (h = { count: new Array<number>(24).fill(0), gross: new Array<number>(24).fill(0) }));
    h.count[hour]! += r.count;
    h.gross[hour]! += r.amount;
  };
  const scope = { udid: period.udid, training: period.training ? 1 : 0 };
  const edge = (from: number, to: number) => {
    if (from >= to) return;
    for (const r of s.edge.all({ ...scope, from, to }) as (Row & { slot: number })[]) add(r, offsets.hourOf(r.slot * SLOT_MS));
  };
  walkPeriod(period, offsets, edge, (segment, hours) => {
    for (const r of s.whole.all({ ...scope, from: segment.from, to: segment.to }) as (Row & { halfHour: number })[]) add(r, hours[r.halfHour]!);
  });
  const out: TenderHours = new Map();
  for (const [currency, byTender] of sums) {
    const m = new Map<string, HourTotals[]>();
    for (const [payType, h] of byTender) {
      const hourly: HourTotals[] = [];
      for (let hour = 0; hour < 24; hour++) if (h.count[hour]! > 0) hourly.push({ hour, paidCount: h.count[hour]!, grossMinor: h.gross[hour]! });
      m.set(payType, hourly);
    }
    out.set(currency, m);
  }
  return out;
}
