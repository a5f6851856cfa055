import { CASH_PAY_TYPE, tenderRank, type DrawerMovement, type DrawerMovementKind, type DrawerTotals, type TenderTotals } from '../../shared/cash';
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

const statements = new WeakMap<Db, ReturnType<typeof prepare>>();

function prepare(db: Db) {
  const period = 'udid = @udid AND training = @training AND settled_at_ms >= @from AND settled_at_ms < @to';
  return {
    insert: db.prepare('INSERT INTO cash_movements (udid, training, kind, currency, amount_minor, reason, at_ms) VALUES (@udid, @training, @kind, @currency, @amount, @reason, @at)'),
    movements: db.prepare('SELECT kind, currency, amount_minor, reason, at_ms FROM cash_movements WHERE udid = @udid AND training = @training AND at_ms >= @from AND at_ms < @to ORDER BY at_ms, id'),
    lastZEnd: db.prepare('SELECT MAX(period_end_ms) AS at FROM z_reports WHERE udid = @udid AND training = @training'),
    floatSince: db.prepare("SELECT 1 FROM cash_movements WHERE udid = @udid AND training = @training AND kind = 'float' AND currency = @currency AND at_ms >= @from LIMIT 1"),
    wholeSlots: db.prepare(
      `SELECT currency, pay_type, kind, SUM(count) AS count, SUM(amount) AS amount FROM tender_slots
       WHERE udid = @udid AND training = @training AND slot >= @fromSlot AND slot < @toSlot GROUP BY currency, pay_type, kind`,
    ),
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
export function tenderTotals(db: Db, period: DrawerPeriod): Map<CurrencyCode, TenderTotals[]> {
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
  if (fromSlot < toSlot) {
    for (const r of s.wholeSlots.all({ udid: period.udid, training: period.training ? 1 : 0, fromSlot, toSlot }) as (Row & { kind: 'paid' | 'refunded' })[]) add([r], r.kind);
  }
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
  for (const d of drawers.values()) d.expectedMinor = d.floatMinor + d.cashSalesMinor - d.cashRefundMinor + d.paidInMinor - d.paidOutMinor;
  return [...drawers.values()].sort((a, b) => (a.currency < b.currency ? -1 : 1));
}
