import type { CurrencyCode } from '../../shared/currency';
import type { CurrencyTotals, HourTotals } from '../../shared/reports';
import type { Db } from '../journal/database';
import { localParts, wallClockMs } from '../qfpay/time';

// Till totals for a period, in SQL over the journal: whole half hours come
// from the sale_slots rollup the journal's triggers keep, summed in SQLite
// per (currency, outcome, half hour of the UTC day), and only the two partial
// half hours at the edges of the period are read row by row (through the
// settled-time indexes). The hourly breakdown is by hour of the day, over the
// whole period: a half hour of the UTC day is one local hour for as long as
// the zone's offset stays the same, so the period is cut where the offset
// changes (DST) and each piece maps its 48 half hours to local hours.
//
// Why "half hour of the day" and not SQL's `GROUP BY ((slot + offset) / 2) % 24`:
// SQLite groups by sorting, and sorting the ~150k rollup rows of a busy year
// takes 200–300 ms on its own. The index sale_slots_by_half_hour (migration 2)
// is ordered (udid, training, currency, kind, slot % 48, slot) and covers
// count and amount, so the aggregate below is 48 range seeks per currency and
// outcome, read in group order: no sort and no table access.

export const SLOT_MS = 1_800_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;
const SLOTS_PER_DAY = 48;

/**
 * Pieces of a period at least this many whole half hours long go through the
 * half-hour-of-day index (48 seeks per currency and outcome, ~700 for three
 * currencies, then every row in order); shorter ones through the primary key and
 * a sort of their few rows. The results are the same (tests run both).
 */
export const INDEX_PATH_MIN_SLOTS = 7 * SLOTS_PER_DAY;

type Kind = 'paid' | 'refunded' | 'cancelled' | 'expired' | 'failed';

const HALF_HOURS_OF_DAY = Array.from({ length: SLOTS_PER_DAY }, (_, i) => i).join(', ');
/** Named: without statistics SQLite does not trust an equality on an indexed expression and would walk the key instead. */
const BY_HALF_HOUR = 'sale_slots INDEXED BY sale_slots_by_half_hour';
/** The rollup's primary key, in slot order: what SQLite picks by itself for a slot range (a test checks it does). */
const BY_KEY = 'sale_slots';

/** Every currency this till (and mode) ever recorded: one index seek each. */
const CURRENCIES = `WITH RECURSIVE c(currency) AS (
    SELECT MIN(currency) FROM ${BY_HALF_HOUR} WHERE udid = @udid AND training = @training
    UNION ALL
    SELECT (SELECT MIN(currency) FROM ${BY_HALF_HOUR} WHERE udid = @udid AND training = @training AND currency > c.currency)
    FROM c WHERE c.currency IS NOT NULL)`;

/**
 * Whole half hours [from, to) per currency, outcome and half hour of the UTC day
 * (slot % 48). The IN lists make SQLite seek every (currency, kind, half hour)
 * range of the index in order, so GROUP BY streams.
 */
export const WHOLE_SLOTS_BY_INDEX_SQL = `${CURRENCIES}
  SELECT currency, kind, slot % 48 AS halfHour, SUM(count) AS count, SUM(amount) AS amount
  FROM ${BY_HALF_HOUR}
  WHERE udid = @udid AND training = @training
    AND currency IN (SELECT currency FROM c WHERE currency IS NOT NULL)
    AND kind IN ('cancelled', 'expired', 'failed', 'paid', 'refunded')
    AND slot % 48 IN (${HALF_HOURS_OF_DAY})
    AND slot >= @from AND slot < @to
  GROUP BY 1, 2, 3`;

/** The same figures for a short period: one primary-key range, sorted in memory. */
export const WHOLE_SLOTS_BY_KEY_SQL = `
  SELECT currency, kind, slot % 48 AS halfHour, SUM(count) AS count, SUM(amount) AS amount
  FROM ${BY_KEY}
  WHERE udid = @udid AND training = @training AND slot >= @from AND slot < @to
  GROUP BY 1, 2, 3`;

/** First and last half hour with a paid sale of a currency: the least (greatest) of 48 index seeks. */
export const PAID_SLOTS_BY_INDEX_SQL = `
  WITH RECURSIVE h(x) AS (SELECT 0 UNION ALL SELECT x + 1 FROM h WHERE x < ${SLOTS_PER_DAY - 1})
  SELECT
    MIN((SELECT MIN(slot) FROM ${BY_HALF_HOUR} WHERE udid = @udid AND training = @training AND currency = @currency
           AND kind = 'paid' AND slot % 48 = h.x AND slot >= @from AND slot < @to)) AS first,
    MAX((SELECT MAX(slot) FROM ${BY_HALF_HOUR} WHERE udid = @udid AND training = @training AND currency = @currency
           AND kind = 'paid' AND slot % 48 = h.x AND slot >= @from AND slot < @to)) AS last
  FROM h`;

export const PAID_SLOTS_BY_KEY_SQL = `
  SELECT MIN(slot) AS first, MAX(slot) AS last FROM ${BY_KEY}
  WHERE udid = @udid AND training = @training AND slot >= @from AND slot < @to AND currency = @currency AND kind = 'paid'`;

interface SlotRow {
  slot: number;
  currency: string;
  kind: Kind;
  count: number;
  amount: number;
}

interface HalfHourRow {
  currency: string;
  kind: Kind;
  halfHour: number;
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

export interface TotalsOptions {
  /** Tests only: where the index path takes over from the primary-key path (whole half hours). */
  indexPathMinSlots?: number;
}

interface Accumulator {
  t: CurrencyTotals;
  hourCount: number[];
  hourGross: number[];
  /** Paid sales in the whole half hours (their first and last slot are looked up afterwards). */
  wholePaid: boolean;
  /** Half hours with a paid sale seen in the edge rows. */
  edgePaidSlots: number[];
}

const params = (q: PeriodQuery, from: number, to: number) => ({ udid: q.udid, training: q.training ? 1 : 0, from, to });

export class TotalsQuery {
  private readonly stmt;
  private readonly indexPathMinSlots: number;

  constructor(
    private readonly db: Db,
    options: TotalsOptions = {},
  ) {
    // A development journal made by version 2 before the index was added to it has no index: slower, still right.
    const indexed = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = 'sale_slots_by_half_hour'").get() !== undefined;
    this.indexPathMinSlots = indexed ? (options.indexPathMinSlots ?? INDEX_PATH_MIN_SLOTS) : Infinity;
    this.stmt = {
      wholeByIndex: indexed ? db.prepare(WHOLE_SLOTS_BY_INDEX_SQL) : undefined,
      wholeByKey: db.prepare(WHOLE_SLOTS_BY_KEY_SQL),
      paidSlotsByIndex: indexed ? db.prepare(PAID_SLOTS_BY_INDEX_SQL) : undefined,
      paidSlotsByKey: db.prepare(PAID_SLOTS_BY_KEY_SQL),
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
    const p = params(q, from, to);
    return [...(this.stmt.rawSales.all(p) as SlotRow[]), ...(this.stmt.rawRefunds.all(p) as SlotRow[])];
  }

  /** First or last paid sale of a currency: found within its half hour, so an index seek, not a scan. */
  private paidEdge(q: PeriodQuery, currency: string, slot: number, which: 'first' | 'last'): number | null {
    const from = Math.max(q.fromMs, slot * SLOT_MS);
    const to = Math.min(q.toMs, (slot + 1) * SLOT_MS);
    const stmt = which === 'first' ? this.stmt.firstPaid : this.stmt.lastPaid;
    const row = stmt.get({ ...params(q, from, to), currency }) as { at: number | null };
    return row.at;
  }

  totals(q: PeriodQuery): CurrencyTotals[] {
    const offsets = new ZoneOffsets(q.timeZone);
    const byCurrency = new Map<string, Accumulator>();
    const entry = (currency: string): Accumulator => {
      let acc = byCurrency.get(currency);
      if (!acc) {
        acc = { t: emptyTotals(currency), hourCount: new Array<number>(24).fill(0), hourGross: new Array<number>(24).fill(0), wholePaid: false, edgePaidSlots: [] };
        byCurrency.set(currency, acc);
      }
      return acc;
    };
    const add = (acc: Accumulator, kind: Kind, count: number, amount: number, hour: number) => {
      const t = acc.t;
      switch (kind) {
        case 'paid':
          t.paidCount += count;
          t.grossMinor += amount;
          acc.hourCount[hour]! += count;
          acc.hourGross[hour]! += amount;
          break;
        case 'refunded':
          t.refundCount += count;
          t.refundMinor += amount;
          break;
        case 'cancelled':
          t.cancelledCount += count;
          break;
        case 'expired':
          t.expiredCount += count;
          break;
        case 'failed':
          t.failedCount += count;
          break;
      }
    };
    const addRaw = (from: number, to: number) => {
      for (const row of this.rawRows(q, from, to)) {
        const acc = entry(row.currency);
        add(acc, row.kind, row.count, row.amount, offsets.hourOf(row.slot * SLOT_MS));
        if (row.kind === 'paid') acc.edgePaidSlots.push(row.slot);
      }
    };

    const firstWhole = Math.ceil(q.fromMs / SLOT_MS);
    const lastWhole = Math.floor(q.toMs / SLOT_MS);
    walkPeriod(q, offsets, addRaw, (segment, hours) => {
      const stmt = segment.to - segment.from >= this.indexPathMinSlots ? this.stmt.wholeByIndex! : this.stmt.wholeByKey;
      for (const row of stmt.all(params(q, segment.from, segment.to)) as HalfHourRow[]) {
        const acc = entry(row.currency);
        add(acc, row.kind, row.count, row.amount, hours[row.halfHour]!);
        if (row.kind === 'paid') acc.wholePaid = true;
      }
    });

    const result: CurrencyTotals[] = [];
    for (const [currency, acc] of [...byCurrency.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const t = acc.t;
      t.netMinor = t.grossMinor - t.refundMinor;
      t.averageTicketMinor = t.paidCount === 0 ? 0 : Math.floor((2 * t.grossMinor + t.paidCount) / (2 * t.paidCount));
      const paidSlots = [...acc.edgePaidSlots];
      if (acc.wholePaid) {
        const stmt = lastWhole - firstWhole >= this.indexPathMinSlots ? this.stmt.paidSlotsByIndex! : this.stmt.paidSlotsByKey;
        const row = stmt.get({ ...params(q, firstWhole, lastWhole), currency }) as {
          first: number | null;
          last: number | null;
        };
        if (row.first !== null) paidSlots.push(row.first);
        if (row.last !== null) paidSlots.push(row.last);
      }
      if (paidSlots.length > 0) {
        t.firstSaleAtMs = this.paidEdge(q, currency, Math.min(...paidSlots), 'first');
        t.lastSaleAtMs = this.paidEdge(q, currency, Math.max(...paidSlots), 'last');
      }
      const hourly: HourTotals[] = [];
      for (let hour = 0; hour < 24; hour++) {
        if (acc.hourCount[hour]! > 0) hourly.push({ hour, paidCount: acc.hourCount[hour]!, grossMinor: acc.hourGross[hour]! });
      }
      t.hourly = hourly;
      result.push(t);
    }
    return result;
  }
}

/** A currency's totals before anything is counted. */
export function emptyTotals(currency: string): CurrencyTotals {
  return {
    currency: currency as CurrencyCode,
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
  };
}

const mod = (a: number, n: number) => ((a % n) + n) % n;

/**
 * Local hour of the day of each half hour of the UTC day (slot % 48), under a
 * constant UTC offset: the hour the half hour starts in. Every zone QFPay
 * serves is offset by whole half hours (Myanmar +06:30, Adelaide +09:30,
 * Newfoundland -03:30), so a half hour lies inside one local hour and this is
 * exact. An offset that is not (Nepal +05:45, Chatham +12:45) splits half
 * hours between two local hours; the rollup cannot tell them apart, and the
 * half hour counts in the hour it starts in — the same answer a per-slot walk
 * in JavaScript would give, so no separate path is needed for such a zone.
 */
function hoursOfHalfHours(offsetMs: number): number[] {
  return Array.from({ length: SLOTS_PER_DAY }, (_, x) => Math.floor(mod(x * SLOT_MS + offsetMs, DAY_MS) / HOUR_MS));
}

/**
 * A period's pieces in the order reports read them: the partial half hour at
 * its start row by row (`edge`), the whole half hours in runs of constant UTC
 * offset with each half hour of the UTC day's local hour (`whole`), the
 * partial half hour at its end. A period inside one half hour is one edge.
 */
export function walkPeriod(
  period: { fromMs: number; toMs: number },
  offsets: ZoneOffsets,
  edge: (fromMs: number, toMs: number) => void,
  whole: (segment: OffsetSegment, hours: readonly number[]) => void,
): void {
  const firstWhole = Math.ceil(period.fromMs / SLOT_MS);
  const lastWhole = Math.floor(period.toMs / SLOT_MS);
  if (firstWhole >= lastWhole) {
    edge(period.fromMs, period.toMs);
    return;
  }
  edge(period.fromMs, firstWhole * SLOT_MS);
  for (const segment of offsets.segments(firstWhole, lastWhole)) whole(segment, hoursOfHalfHours(segment.offsetMs));
  edge(lastWhole * SLOT_MS, period.toMs);
}

/** A run of whole half hours [from, to) during which the zone's UTC offset stays `offsetMs`. */
export interface OffsetSegment {
  from: number;
  to: number;
  offsetMs: number;
}

const offsetFormatters = new Map<string, Intl.DateTimeFormat>();
const LONG_OFFSET = /GMT(?:([+\-\u2212])(\d{2}):(\d{2})(?::(\d{2}))?)?$/;

/**
 * The zone's UTC offset at an instant (whole seconds), from Intl's "GMT+08:00":
 * a few microseconds, where taking the date apart with formatToParts costs
 * tens. Anything unexpected falls back to comparing the wall clock.
 */
export function utcOffsetMs(ms: number, timeZone: string): number {
  const second = Math.floor(ms / 1000) * 1000;
  let formatter = offsetFormatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormatters.set(timeZone, formatter);
  }
  const m = LONG_OFFSET.exec(formatter.format(second));
  if (m) {
    if (m[1] === undefined) return 0;
    const size = (Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4] ?? 0)) * 1000;
    return m[1] === '+' ? size : -size;
  }
  return wallClockMs(localParts(second, timeZone)) - second;
}

/** UTC offsets of one zone: per instant, and the period's pieces of constant offset. */
export class ZoneOffsets {
  constructor(private readonly timeZone: string) {}

  offsetAt(ms: number): number {
    return utcOffsetMs(ms, this.timeZone);
  }

  /** Local hour of the day of an instant. */
  hourOf(ms: number): number {
    return Math.floor(mod(ms + this.offsetAt(ms), DAY_MS) / HOUR_MS);
  }

  /**
   * Whole half hours [from, to) cut where the offset (taken at each half
   * hour's start) changes: the offset is compared at every UTC midnight, and a
   * day that changes is searched by halving for its first half hour with the
   * new offset. (No zone switches twice in one day and back again.)
   */
  segments(from: number, to: number): OffsetSegment[] {
    if (to <= from) return [];
    const at = (slot: number) => this.offsetAt(slot * SLOT_MS);
    const segments: OffsetSegment[] = [];
    let start = from;
    let offset = at(from);
    let checked = from;
    for (;;) {
      const next = Math.min((Math.floor(checked / SLOTS_PER_DAY) + 1) * SLOTS_PER_DAY, to - 1);
      if (next <= checked) break;
      // at(checked) === offset; find every change in (checked, next].
      while (at(next) !== offset) {
        let same = checked;
        let changed = next;
        while (changed - same > 1) {
          const mid = Math.floor((same + changed) / 2);
          if (at(mid) === offset) same = mid;
          else changed = mid;
        }
        segments.push({ from: start, to: changed, offsetMs: offset });
        start = changed;
        checked = changed;
        offset = at(changed);
      }
      checked = next;
    }
    segments.push({ from: start, to, offsetMs: offset });
    return segments;
  }
}

/** The business day (YYYY-MM-DD) an instant belongs to, when days start at `cutoffHour` local time. */
export function businessDayOf(atMs: number, cutoffHour: number, timeZone: string): string {
  const p = localParts(atMs, timeZone);
  const date = new Date(Date.UTC(p.year, p.month - 1, p.day));
  if (p.hour < cutoffHour) date.setUTCDate(date.getUTCDate() - 1);
  return date.toISOString().slice(0, 10);
}
