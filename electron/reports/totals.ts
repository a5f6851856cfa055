import type { CurrencyCode } from '../../shared/currency';
import type { CurrencyTotals, HourTotals } from '../../shared/reports';
import type { Db } from '../journal/database';
import { localParts, wallClockMs } from '../qfpay/time';

// Till totals for a period, in SQL over the journal: whole half hours come
// from the sale_slots rollup the journal's triggers keep, and only the two
// partial half hours at the edges of the period are read row by row (through
// the settled-time indexes). So a report over a year of sales reads a few
// thousand rollup rows, not a million sales.

export const SLOT_MS = 1_800_000;

type Kind = 'paid' | 'refunded' | 'cancelled' | 'expired' | 'failed';

interface SlotRow {
  slot: number;
  currency: string;
  kind: Kind;
  count: number;
  amount: number;
}

export interface PeriodQuery {
  udid: string;
  training: boolean;
  /** [fromMs, toMs) */
  fromMs: number;
  toMs: number;
  timeZone: string;
}

export class TotalsQuery {
  private readonly stmt;

  constructor(private readonly db: Db) {
    this.stmt = {
      slots: db.prepare(
        'SELECT slot, currency, kind, count, amount FROM sale_slots WHERE udid = @udid AND training = @training AND slot >= @from AND slot < @to',
      ),
      rawSales: db.prepare(
        `SELECT settled_at_ms / ${SLOT_MS} AS slot, currency, state AS kind, COUNT(*) AS count, SUM(amount_minor) AS amount
         FROM sales WHERE udid = @udid AND settled_at_ms >= @from AND settled_at_ms < @to AND training = @training
         GROUP BY 1, 2, 3`,
      ),
      rawRefunds: db.prepare(
        `SELECT settled_at_ms / ${SLOT_MS} AS slot, currency, 'refunded' AS kind, COUNT(*) AS count, SUM(amount_minor) AS amount
         FROM refunds WHERE udid = @udid AND settled_at_ms >= @from AND settled_at_ms < @to AND training = @training
         GROUP BY 1, 2`,
      ),
      firstPaid: db.prepare(
        "SELECT MIN(settled_at_ms) AS at FROM sales WHERE udid = @udid AND settled_at_ms >= @from AND settled_at_ms < @to AND state = 'paid' AND currency = @currency AND training = @training",
      ),
      lastPaid: db.prepare(
        "SELECT MAX(settled_at_ms) AS at FROM sales WHERE udid = @udid AND settled_at_ms >= @from AND settled_at_ms < @to AND state = 'paid' AND currency = @currency AND training = @training",
      ),
    };
  }

  private rawRows(q: PeriodQuery, from: number, to: number): SlotRow[] {
    if (to <= from) return [];
    const params = { udid: q.udid, training: q.training ? 1 : 0, from, to };
    return [...(this.stmt.rawSales.all(params) as SlotRow[]), ...(this.stmt.rawRefunds.all(params) as SlotRow[])];
  }

  /** Every (half hour, currency, outcome) total in the period. */
  private slotRows(q: PeriodQuery): SlotRow[] {
    const firstWhole = Math.ceil(q.fromMs / SLOT_MS);
    const lastWhole = Math.floor(q.toMs / SLOT_MS);
    if (firstWhole >= lastWhole) return this.rawRows(q, q.fromMs, q.toMs);
    return [
      ...this.rawRows(q, q.fromMs, firstWhole * SLOT_MS),
      ...(this.stmt.slots.all({ udid: q.udid, training: q.training ? 1 : 0, from: firstWhole, to: lastWhole }) as SlotRow[]),
      ...this.rawRows(q, lastWhole * SLOT_MS, q.toMs),
    ];
  }

  /** First or last paid sale of a currency: found within its half hour, so an index seek, not a scan. */
  private paidEdge(q: PeriodQuery, currency: string, slot: number, which: 'first' | 'last'): number | null {
    const from = Math.max(q.fromMs, slot * SLOT_MS);
    const to = Math.min(q.toMs, (slot + 1) * SLOT_MS);
    const stmt = which === 'first' ? this.stmt.firstPaid : this.stmt.lastPaid;
    const row = stmt.get({ udid: q.udid, training: q.training ? 1 : 0, from, to, currency }) as { at: number | null };
    return row.at;
  }

  totals(q: PeriodQuery): CurrencyTotals[] {
    const rows = this.slotRows(q);
    const byCurrency = new Map<string, { t: CurrencyTotals; paidSlots: Map<number, { count: number; amount: number }> }>();
    for (const row of rows) {
      let entry = byCurrency.get(row.currency);
      if (!entry) {
        entry = {
          t: {
            currency: row.currency as CurrencyCode,
            paidCount: 0,
            grossMinor: 0,
            refundCount: 0,
            refundMinor: 0,
            netMinor: 0,
            averageTicketMinor: 0,
            cancelledCount: 0,
            expiredCount: 0,
            failedCount: 0,
            firstSaleAtMs: null,
            lastSaleAtMs: null,
            hourly: [],
          },
          paidSlots: new Map(),
        };
        byCurrency.set(row.currency, entry);
      }
      const t = entry.t;
      switch (row.kind) {
        case 'paid': {
          t.paidCount += row.count;
          t.grossMinor += row.amount;
          const slot = entry.paidSlots.get(row.slot) ?? { count: 0, amount: 0 };
          slot.count += row.count;
          slot.amount += row.amount;
          entry.paidSlots.set(row.slot, slot);
          break;
        }
        case 'refunded':
          t.refundCount += row.count;
          t.refundMinor += row.amount;
          break;
        case 'cancelled':
          t.cancelledCount += row.count;
          break;
        case 'expired':
          t.expiredCount += row.count;
          break;
        case 'failed':
          t.failedCount += row.count;
          break;
      }
    }
    const result: CurrencyTotals[] = [];
    for (const [currency, { t, paidSlots }] of [...byCurrency.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      t.netMinor = t.grossMinor - t.refundMinor;
      t.averageTicketMinor = t.paidCount === 0 ? 0 : Math.floor((2 * t.grossMinor + t.paidCount) / (2 * t.paidCount));
      const slots = [...paidSlots.keys()].sort((a, b) => a - b);
      if (slots.length > 0) {
        t.firstSaleAtMs = this.paidEdge(q, currency, slots[0]!, 'first');
        t.lastSaleAtMs = this.paidEdge(q, currency, slots[slots.length - 1]!, 'last');
      }
      t.hourly = hourly(paidSlots, q.timeZone);
      result.push(t);
    }
    return result;
  }
}

const DAY_MS = 86_400_000;

/**
 * The zone's UTC offset at an instant. Intl is slow (microseconds a call) and
 * a year holds 17,520 half hours, so it is asked twice per UTC day, and per
 * instant only on a day whose offset changes (a DST switch).
 */
export class ZoneOffsets {
  private readonly days = new Map<number, number | null>();

  constructor(private readonly timeZone: string) {}

  private exact(ms: number): number {
    const second = Math.floor(ms / 1000) * 1000;
    return wallClockMs(localParts(second, this.timeZone)) - second;
  }

  offsetAt(ms: number): number {
    const day = Math.floor(ms / DAY_MS);
    let offset = this.days.get(day);
    if (offset === undefined) {
      const start = this.exact(day * DAY_MS);
      offset = start === this.exact((day + 1) * DAY_MS - 1000) ? start : null;
      this.days.set(day, offset);
    }
    return offset ?? this.exact(ms);
  }
}

/** Half-hour slots → local (date, hour) totals, in time order. */
function hourly(slots: Map<number, { count: number; amount: number }>, timeZone: string): HourTotals[] {
  const offsets = new ZoneOffsets(timeZone);
  const byHour = new Map<string, HourTotals>();
  for (const slot of [...slots.keys()].sort((a, b) => a - b)) {
    const at = slot * SLOT_MS;
    const local = new Date(at + offsets.offsetAt(at));
    const date = local.toISOString().slice(0, 10);
    const hour = local.getUTCHours();
    const key = `${date} ${hour}`;
    const entry = byHour.get(key) ?? { date, hour, paidCount: 0, grossMinor: 0 };
    const v = slots.get(slot)!;
    entry.paidCount += v.count;
    entry.grossMinor += v.amount;
    byHour.set(key, entry);
  }
  return [...byHour.values()];
}

/** The business day (YYYY-MM-DD) an instant belongs to, when days start at `cutoffHour` local time. */
export function businessDayOf(atMs: number, cutoffHour: number, timeZone: string): string {
  const p = localParts(atMs, timeZone);
  const date = new Date(Date.UTC(p.year, p.month - 1, p.day));
  if (p.hour < cutoffHour) date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}
