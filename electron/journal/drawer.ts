import { CASH_PAY_TYPE, expectedCashMinor, tenderRank, type DrawerMovement, type DrawerMovementKind, type DrawerTotals, type TenderTotals } from '../../shared/cash';
import type { CurrencyCode } from '../../shared/currency';
import type { Db } from './database';

// The cash drawer in the journal: the movements table (float, paid in, paid
// out; append-only, every row with the till's udid) and the SQL the X and Z
// reports read for the drawer section and the split by tender. Cash sales and
// refunds themselves are ordinary sales and refunds rows (pay_type 'cash').

export interface DrawerScope {
  udid: string;
  training: boolean;
}

/** [fromMs, toMs) */
export interface DrawerPeriod extends DrawerScope {
  fromMs: number;
  toMs: number;
}

interface MovementRow {
  kind: DrawerMovementKind;
  currency: CurrencyCode;
  amount_minor: number;
  reason: string | null;
  at_ms: number;
}

/** The rollup's half hour (migrations 2 and 8; electron/reports/totals.ts). */
const SLOT_MS = 1_800_000;
const SLOTS_PER_DAY = 48;

/**
 * Pieces at least this many whole half hours long are read through
 * tender_slots_by_half_hour (migration 7): a seek per currency, tender, kind
 * and half hour of the day, then every row in group order. Shorter ones sort
 * their few rows of the primary key instead. Measured on the benchmark's
 * year of 1M sales (71k rollup rows): the two are even at about a week; a
 * year takes ~12 ms by the index where the sort took ~50. The whole 28 days
 * inside such a piece come from the coarse rollup tender_buckets instead
 * (five tenders: a year's ~250k half-hour rows ~37 ms, by 28 days ~6 ms).
 */
export const TENDER_INDEX_MIN_SLOTS = 7 * SLOTS_PER_DAY;

const TENDERS_BY_HALF_HOUR = 'tender_slots INDEXED BY tender_slots_by_half_hour';

/** The coarse rollup's span (migration 7): 28 days of half hours, counted from the epoch. */
export const TENDER_BUCKET_SLOTS = 28 * SLOTS_PER_DAY;

const HALF_HOURS_OF_DAY = Array.from({ length: SLOTS_PER_DAY }, (_, i) => i).join(', ');

/**
 * The currencies of the till (and mode) in a rollup, and each one's tenders,
 * found by skipping through its key (a seek each), for the IN lists below.
 */
const tendersIn = (table: string) => `WITH RECURSIVE
  c(currency) AS (
    SELECT MIN(currency) FROM ${table} WHERE udid = @udid AND training = @training
    UNION ALL
    SELECT (SELECT MIN(currency) FROM ${table} WHERE udid = @udid AND training = @training AND currency > c.currency)
    FROM c WHERE c.currency IS NOT NULL),
  t(currency, pay_type) AS (
    SELECT currency, (SELECT MIN(pay_type) FROM ${table} WHERE udid = @udid AND training = @training AND currency = c.currency)
    FROM c WHERE c.currency IS NOT NULL
    UNION ALL
    SELECT currency, (SELECT MIN(pay_type) FROM ${table} WHERE udid = @udid AND training = @training AND currency = t.currency AND pay_type > t.pay_type)
    FROM t WHERE t.pay_type IS NOT NULL)`;

/**
 * The IN lists make SQLite seek every (currency, tender, kind, half hour)
 * range of the key in order, so GROUP BY streams. A tender of one currency is
 * sought in the others too: an empty seek. The kinds are every kind the
 * rollups' CHECK allows; a test holds these paths equal to the primary key's.
 */
const EVERY_TENDER = `udid = @udid AND training = @training
    AND currency IN (SELECT currency FROM c WHERE currency IS NOT NULL)
    AND pay_type IN (SELECT pay_type FROM t WHERE pay_type IS NOT NULL)
    AND kind IN ('paid', 'refunded')`;

/** Whole half hours [from, to) of the rollup per currency, tender, kind and half hour of the UTC day. */
export const TENDER_HALF_HOURS_BY_INDEX_SQL = `${tendersIn(TENDERS_BY_HALF_HOUR)}
  SELECT currency, pay_type, kind, slot % 48 AS halfHour, SUM(count) AS count, SUM(amount) AS amount
  FROM ${TENDERS_BY_HALF_HOUR}
  WHERE ${EVERY_TENDER} AND slot % 48 IN (${HALF_HOURS_OF_DAY}) AND slot >= @from AND slot < @to
  GROUP BY 1, 2, 3, 4`;

/** The same rows for whole 28 days [from, to) (bucket numbers), from the coarse rollup. */
export const TENDER_HALF_HOURS_BY_BUCKET_SQL = `${tendersIn('tender_buckets')}
  SELECT currency, pay_type, kind, half_hour AS halfHour, SUM(count) AS count, SUM(amount) AS amount
  FROM tender_buckets
  WHERE ${EVERY_TENDER} AND half_hour IN (${HALF_HOURS_OF_DAY}) AND bucket >= @from AND bucket < @to
  GROUP BY 1, 2, 3, 4`;

/** The same rows for a short piece: one range of the primary key, sorted in memory. */
export const TENDER_HALF_HOURS_BY_KEY_SQL = `
  SELECT currency, pay_type, kind, slot % 48 AS halfHour, SUM(count) AS count, SUM(amount) AS amount FROM tender_slots
  WHERE udid = @udid AND training = @training AND slot >= @from AND slot < @to GROUP BY 1, 2, 3, 4`;

/** One row of tender_slots summed over a piece of whole half hours, per half hour of the UTC day (slot % 48). */
export interface TenderHalfHourRow {
  currency: CurrencyCode;
  pay_type: string;
  kind: 'paid' | 'refunded';
  halfHour: number;
  count: number;
  amount: number;
}

export interface TenderQueryOptions {
  /** Tests only: where the index path takes over from the primary-key path (whole half hours). */
  indexMinSlots?: number;
  /** Tests only: false keeps the index path off the 28-day rollup. */
  buckets?: boolean;
}

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
  const indexed = (db.prepare("SELECT COUNT(*) AS n FROM sqlite_master WHERE name IN ('tender_slots_by_half_hour', 'tender_buckets')").get() as { n: number }).n === 2;
  const period = 'udid = @udid AND training = @training AND settled_at_ms >= @from AND settled_at_ms < @to';
  return {
    insert: db.prepare('INSERT INTO cash_movements (udid, training, kind, currency, amount_minor, reason, at_ms) VALUES (@udid, @training, @kind, @currency, @amount, @reason, @at)'),
    movements: db.prepare('SELECT kind, currency, amount_minor, reason, at_ms FROM cash_movements WHERE udid = @udid AND training = @training AND at_ms >= @from AND at_ms < @to ORDER BY at_ms, id'),
    lastZEnd: db.prepare('SELECT MAX(period_end_ms) AS at FROM z_reports WHERE udid = @udid AND training = @training'),
    floatSince: db.prepare("SELECT 1 FROM cash_movements WHERE udid = @udid AND training = @training AND kind = 'float' AND currency = @currency AND at_ms >= @from LIMIT 1"),
    // A journal opened with fewer migrations (a test's older file) has neither: slower, still right.
    wholeByIndex: indexed ? db.prepare(TENDER_HALF_HOURS_BY_INDEX_SQL) : undefined,
    wholeByBucket: indexed ? db.prepare(TENDER_HALF_HOURS_BY_BUCKET_SQL) : undefined,
    wholeByKey: db.prepare(TENDER_HALF_HOURS_BY_KEY_SQL),
    tenderSales: db.prepare(
      `SELECT currency, pay_type, COUNT(*) AS count, SUM(amount_minor) AS amount FROM sales INDEXED BY sales_paid_by_tender
       WHERE ${period} AND state = 'paid' GROUP BY currency, pay_type`,
    ),
    tenderRefunds: db.prepare(
      `SELECT r.currency, s.pay_type, COUNT(*) AS count, SUM(r.amount_minor) AS amount
       FROM refunds r INDEXED BY refunds_settled JOIN sales s ON s.out_trade_no = r.sale_out_trade_no
       WHERE r.udid = @udid AND r.settled_at_ms >= @from AND r.settled_at_ms < @to AND r.training = @training GROUP BY r.currency, s.pay_type`,
    ),
  };
}

function stmts(db: Db) {
  let s = statements.get(db);
  if (!s) {
    s = prepare(db);
    statements.set(db, s);
  }
  return s;
}

const params = (p: DrawerPeriod) => ({ udid: p.udid, training: p.training ? 1 : 0, from: p.fromMs, to: p.toMs });

/** The rollup's whole half hours [fromSlot, toSlot) per currency, tender, kind and half hour of the UTC day. */
export function tenderHalfHours(db: Db, scope: DrawerScope, fromSlot: number, toSlot: number, options: TenderQueryOptions = {}): TenderHalfHourRow[] {
  if (fromSlot >= toSlot) return [];
  const s = stmts(db);
  const all = (stmt: { all(p: object): unknown[] }, from: number, to: number) => stmt.all({ udid: scope.udid, training: scope.training ? 1 : 0, from, to }) as TenderHalfHourRow[];
  if (!s.wholeByIndex || !s.wholeByBucket || toSlot - fromSlot < (options.indexMinSlots ?? TENDER_INDEX_MIN_SLOTS)) return all(s.wholeByKey, fromSlot, toSlot);
  const first = Math.ceil(fromSlot / TENDER_BUCKET_SLOTS);
  const last = Math.floor(toSlot / TENDER_BUCKET_SLOTS);
  if (options.buckets === false || first >= last) return all(s.wholeByIndex, fromSlot, toSlot);
  // Whole 28 days from the coarse rollup; the rest either side (under 28 days each) by half hour. Callers add rows up.
  return [
    ...tenderHalfHours(db, scope, fromSlot, first * TENDER_BUCKET_SLOTS, options),
    ...all(s.wholeByBucket, first, last),
    ...tenderHalfHours(db, scope, last * TENDER_BUCKET_SLOTS, toSlot, options),
  ];
}

/** Appends one movement; call inside the transaction that also writes its event. */
export function insertMovement(db: Db, scope: DrawerScope, movement: DrawerMovement): void {
  stmts(db).insert.run({
    udid: scope.udid,
    training: scope.training ? 1 : 0,
    kind: movement.kind,
    currency: movement.currency,
    amount: movement.amountMinor,
    reason: movement.reason,
    at: movement.atMs,
  });
}

/** Where the drawer's current period starts: the last Z's end (0 before the first Z). */
export function drawerPeriodStart(db: Db, scope: DrawerScope): number {
  const row = stmts(db).lastZEnd.get({ udid: scope.udid, training: scope.training ? 1 : 0 }) as { at: number | null };
  return row.at ?? 0;
}

/** True when no opening float of this currency was entered since the last Z. */
export function needsFloat(db: Db, scope: DrawerScope, currency: CurrencyCode): boolean {
  const from = drawerPeriodStart(db, scope);
  return stmts(db).floatSince.get({ udid: scope.udid, training: scope.training ? 1 : 0, currency, from }) === undefined;
}

export function emptyDrawer(currency: CurrencyCode): DrawerTotals {
  return { currency, floatMinor: 0, cashSalesCount: 0, cashSalesMinor: 0, cashRefundCount: 0, cashRefundMinor: 0, paidInMinor: 0, paidOutMinor: 0, expectedMinor: 0, movements: [] };
}

/** Paid sales and refunds per currency and pay type over the period. */
export function tenderTotals(db: Db, period: DrawerPeriod, options: TenderQueryOptions = {}): Map<CurrencyCode, TenderTotals[]> {
  const s = stmts(db);
  const byCurrency = new Map<CurrencyCode, Map<string, TenderTotals>>();
  const tender = (currency: CurrencyCode, payType: string) => {
    let m = byCurrency.get(currency);
    if (!m) byCurrency.set(currency, (m = new Map()));
    let t = m.get(payType);
    if (!t) m.set(payType, (t = { payType, paidCount: 0, grossMinor: 0, refundCount: 0, refundMinor: 0 }));
    return t;
  };
  type Row = { currency: CurrencyCode; pay_type: string; count: number; amount: number };
  const add = (rows: Row[], kind: 'paid' | 'refunded') => {
    for (const r of rows) {
      const t = tender(r.currency, r.pay_type);
      if (kind === 'paid') {
        t.paidCount += r.count;
        t.grossMinor += r.amount;
      } else {
        t.refundCount += r.count;
        t.refundMinor += r.amount;
      }
    }
  };
  // Whole half hours from the rollup; only the partial ones at the edges row by row (as totals.ts does).
  const fromSlot = Math.ceil(period.fromMs / SLOT_MS);
  const toSlot = Math.floor(period.toMs / SLOT_MS);
  const edges: [number, number][] = fromSlot < toSlot ? [[period.fromMs, fromSlot * SLOT_MS], [toSlot * SLOT_MS, period.toMs]] : [[period.fromMs, period.toMs]];
  for (const r of tenderHalfHours(db, period, fromSlot, toSlot, options)) add([r], r.kind);
  for (const [fromMs, toMs] of edges) {
    if (fromMs >= toMs) continue;
    const p = params({ ...period, fromMs, toMs });
    add(s.tenderSales.all(p) as Row[], 'paid');
    add(s.tenderRefunds.all(p) as Row[], 'refunded');
  }
  // The same split on every report, in one order (shared/cash.ts TENDER_ORDER): cash last.
  return new Map([...byCurrency].map(([c, m]) => [c, [...m.values()].sort((a, b) => tenderRank(a.payType) - tenderRank(b.payType) || (a.payType < b.payType ? -1 : 1))]));
}

/**
 * The drawer per currency over the period: float, cash sales and refunds,
 * paid in and out, and the cash expected in the drawer. Only currencies with
 * some cash activity appear.
 */
export function drawerTotals(db: Db, period: DrawerPeriod, tenders = tenderTotals(db, period)): DrawerTotals[] {
  const drawers = new Map<CurrencyCode, DrawerTotals>();
  const of = (currency: CurrencyCode) => {
    let d = drawers.get(currency);
    if (!d) drawers.set(currency, (d = emptyDrawer(currency)));
    return d;
  };
  for (const [currency, list] of tenders) {
    const cash = list.find((t) => t.payType === CASH_PAY_TYPE);
    if (cash) Object.assign(of(currency), { cashSalesCount: cash.paidCount, cashSalesMinor: cash.grossMinor, cashRefundCount: cash.refundCount, cashRefundMinor: cash.refundMinor });
  }
  for (const m of stmts(db).movements.all(params(period)) as MovementRow[]) {
    const d = of(m.currency);
    if (m.kind === 'float') d.floatMinor += m.amount_minor;
    else if (m.kind === 'paid_in') d.paidInMinor += m.amount_minor;
    else d.paidOutMinor += m.amount_minor;
    d.movements.push({ kind: m.kind, currency: m.currency, amountMinor: m.amount_minor, reason: m.reason, atMs: m.at_ms });
  }
  for (const d of drawers.values()) d.expectedMinor = expectedCashMinor(d);
  return [...drawers.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
}
