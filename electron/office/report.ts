import type { ClientBase } from 'pg';
import { CASH_PAY_TYPE, expectedCashMinor, tenderRank, type DrawerMovementKind, type DrawerTotals } from '../../shared/cash';
import { dayWindow, today, type DayScope } from './business-day';

// Consolidated reports at head office (issue 15), per store, till, tender
// (every pay type and cash, refunds under their sale's tender: issue 13) and currency, from the replicated rows: a business day for every till, or
// each till since its own last Z (X), or the Zs the tills took for a day (Z).
// A Z's figures are the till's own (its stored content, hash checked by
// PostgreSQL); head office also totals its replicated sales over the Z's
// period and says whether they agree, so a gap in replication shows.
// Each till's cash drawer over the same windows (float, cash sales and
// refunds, paid in and out, expected cash) comes from the replicated
// cash_movements and the cash tender, by the till's own rule (shared/cash.ts).

export interface OfficeTotals {
  currency: string;
  paidCount: number;
  grossMinor: number;
  refundCount: number;
  refundMinor: number;
  netMinor: number;
}

export interface TenderTotals {
  payType: string;
  currency: string;
  paidCount: number;
  grossMinor: number;
  /** Refunds of this tender's sales (by the refunded sale's pay type), settled in the window. */
  refundCount: number;
  refundMinor: number;
}

/** One till's drawer in one currency over the report's window (only currencies with cash activity). */
export interface OfficeDrawer extends Omit<DrawerTotals, 'currency' | 'movements' | 'countedMinor' | 'differenceMinor'> {
  udid: string;
  store: string;
  /** Head office's rows carry any currency text a till sent. */
  currency: string;
}

export interface TillTotals {
  udid: string;
  store: string;
  fromMs: number;
  toMs: number;
  currencies: OfficeTotals[];
}

export interface OfficeZ {
  udid: string;
  store: string;
  zNumber: number;
  businessDay: string;
  periodStartMs: number;
  periodEndMs: number;
  createdAtMs: number;
  sha256: string;
  /** The stored content still hashes to the till's sha256. */
  intact: boolean;
  /** Head office's replicated sales and refunds over the Z's period give the Z's figures. */
  agrees: boolean;
  currencies: OfficeTotals[];
}

export interface OfficeReport {
  kind: 'x' | 'z';
  /** The business day, or null for an X since each till's last Z. */
  businessDay: string | null;
  timeZone: string;
  cutoffHour: number;
  generatedAtMs: number;
  currencies: OfficeTotals[];
  stores: Array<{ store: string; currencies: OfficeTotals[] }>;
  tills: TillTotals[];
  tenders: TenderTotals[];
  /** Per till and currency, the cash drawer (issue 13's drawer, replicated). */
  drawers: OfficeDrawer[];
  zReports: OfficeZ[];
}

export interface ReportFilter extends DayScope {
  store?: string;
  udid?: string;
  day?: string;
  now?: () => number;
}

interface Window {
  key: string;
  udid: string;
  fromMs: number;
  toMs: number;
}

const empty = (currency: string): OfficeTotals => ({ currency, paidCount: 0, grossMinor: 0, refundCount: 0, refundMinor: 0, netMinor: 0 });

/** Adds `add` into `into` per currency (new currencies appended), keeping net = gross − refunds. */
export function addTotals(into: OfficeTotals[], add: readonly OfficeTotals[]): OfficeTotals[] {
  for (const t of add) {
    let row = into.find((r) => r.currency === t.currency);
    if (!row) {
      row = empty(t.currency);
      into.push(row);
    }
    row.paidCount += t.paidCount;
    row.grossMinor += t.grossMinor;
    row.refundCount += t.refundCount;
    row.refundMinor += t.refundMinor;
    row.netMinor = row.grossMinor - row.refundMinor;
  }
  return into.sort((a, b) => a.currency.localeCompare(b.currency));
}

interface MovementTotals {
  currency: string;
  kind: DrawerMovementKind;
  total: number;
}

interface WindowTotals {
  totals: Map<string, OfficeTotals[]>;
  tenders: Map<string, TenderTotals[]>;
  movements: Map<string, MovementTotals[]>;
}

/** Paid sales, refunds, tenders and drawer movements per window, in three index-range queries. */
async function windowTotals(client: ClientBase, windows: readonly Window[]): Promise<WindowTotals> {
  const params = [windows.map((w) => w.key), windows.map((w) => w.udid), windows.map((w) => w.fromMs), windows.map((w) => w.toMs)];
  const windowsSql = 'unnest($1::text[], $2::text[], $3::bigint[], $4::bigint[]) AS w(key, udid, from_ms, to_ms)';
  // LATERAL: one index range scan per window (udid, settled_at_ms), whatever the tables hold; a plain join
  // of the windows would let the planner, which cannot see into them, scan every sale of every year.
  const sales = await client.query<{ key: string; currency: string; pay_type: string; n: string; total: string }>(
    `SELECT w.key, x.currency, x.pay_type, x.n, x.total
       FROM ${windowsSql}
       CROSS JOIN LATERAL (
         SELECT s.currency, s.pay_type, count(*) AS n, sum(s.amount_minor) AS total FROM office.sales s
          WHERE s.udid = w.udid AND s.settled_at_ms >= w.from_ms AND s.settled_at_ms < w.to_ms AND s.state = 'paid'
          GROUP BY 1, 2) x`,
    params,
  );
  // Each refund under its sale's tender (a primary-key lookup per refund: refunds are few).
  const refunds = await client.query<{ key: string; currency: string; pay_type: string | null; n: string; total: string }>(
    `SELECT w.key, x.currency, x.pay_type, x.n, x.total
       FROM ${windowsSql}
       CROSS JOIN LATERAL (
         SELECT r.currency, s.pay_type, count(*) AS n, sum(r.amount_minor) AS total FROM office.refunds r
           LEFT JOIN office.sales s ON s.udid = r.udid AND s.out_trade_no = r.sale_out_trade_no
          WHERE r.udid = w.udid AND r.settled_at_ms >= w.from_ms AND r.settled_at_ms < w.to_ms
          GROUP BY 1, 2) x`,
    params,
  );
  // The drawer's float, paid in and paid out, by the time the till recorded them.
  const moved = await client.query<{ key: string; currency: string; kind: DrawerMovementKind; total: string }>(
    `SELECT w.key, x.currency, x.kind, x.total
       FROM ${windowsSql}
       CROSS JOIN LATERAL (
         SELECT m.currency, m.kind, sum(m.amount_minor) AS total FROM office.cash_movements m
          WHERE m.udid = w.udid AND m.at_ms >= w.from_ms AND m.at_ms < w.to_ms
          GROUP BY 1, 2) x`,
    params,
  );
  const totals = new Map<string, OfficeTotals[]>();
  const tenders = new Map<string, TenderTotals[]>();
  const movements = new Map<string, MovementTotals[]>();
  for (const r of moved.rows) (movements.get(r.key) ?? movements.set(r.key, []).get(r.key)!).push({ currency: r.currency, kind: r.kind, total: Number(r.total) });
  for (const r of sales.rows) {
    addTotals(totals.get(r.key) ?? totals.set(r.key, []).get(r.key)!, [{ ...empty(r.currency), paidCount: Number(r.n), grossMinor: Number(r.total) }]);
    sumTenders([{ payType: r.pay_type, currency: r.currency, paidCount: Number(r.n), grossMinor: Number(r.total), refundCount: 0, refundMinor: 0 }], tenders.get(r.key) ?? tenders.set(r.key, []).get(r.key)!);
  }
  for (const r of refunds.rows) {
    addTotals(totals.get(r.key) ?? totals.set(r.key, []).get(r.key)!, [{ ...empty(r.currency), refundCount: Number(r.n), refundMinor: Number(r.total) }]);
    sumTenders([{ payType: r.pay_type ?? '', currency: r.currency, paidCount: 0, grossMinor: 0, refundCount: Number(r.n), refundMinor: Number(r.total) }], tenders.get(r.key) ?? tenders.set(r.key, []).get(r.key)!);
  }
  return { totals, tenders, movements };
}

/**
 * Each till's drawer per currency over its windows (a Z report's till may
 * have several): the cash tender's sales and refunds, the movements, and the
 * expected cash by the till's own rule. Only currencies with cash activity.
 */
function drawersOf(windows: readonly Window[], stores: ReadonlyMap<string, string>, { tenders, movements }: Pick<WindowTotals, 'tenders' | 'movements'>): OfficeDrawer[] {
  const drawers = new Map<string, OfficeDrawer>();
  const of = (udid: string, currency: string) => {
    const key = `${udid}\u0000${currency}`;
    let d = drawers.get(key);
    if (!d) {
      d = { udid, store: stores.get(udid) ?? '', currency, floatMinor: 0, cashSalesCount: 0, cashSalesMinor: 0, cashRefundCount: 0, cashRefundMinor: 0, paidInMinor: 0, paidOutMinor: 0, expectedMinor: 0 };
      drawers.set(key, d);
    }
    return d;
  };
  for (const w of windows) {
    for (const t of tenders.get(w.key) ?? []) {
      if (t.payType !== CASH_PAY_TYPE) continue;
      const d = of(w.udid, t.currency);
      d.cashSalesCount += t.paidCount;
      d.cashSalesMinor += t.grossMinor;
      d.cashRefundCount += t.refundCount;
      d.cashRefundMinor += t.refundMinor;
    }
    for (const m of movements.get(w.key) ?? []) {
      const d = of(w.udid, m.currency);
      if (m.kind === 'float') d.floatMinor += m.total;
      else if (m.kind === 'paid_in') d.paidInMinor += m.total;
      else if (m.kind === 'paid_out') d.paidOutMinor += m.total;
    }
  }
  for (const d of drawers.values()) d.expectedMinor = expectedCashMinor(d);
  return [...drawers.values()].sort((a, b) => a.store.localeCompare(b.store) || a.udid.localeCompare(b.udid) || a.currency.localeCompare(b.currency));
}

interface TillRow {
  udid: string;
  store: string;
  last_z_end: string | null;
}

async function tillsOf(client: ClientBase, filter: ReportFilter): Promise<TillRow[]> {
  const rows = await client.query<TillRow>(
    `SELECT t.udid, t.store, (SELECT max(z.period_end_ms) FROM office.z_reports z WHERE z.udid = t.udid) AS last_z_end
       FROM office.tills t WHERE ($1::text IS NULL OR t.store = $1) AND ($2::text IS NULL OR t.udid = $2) ORDER BY t.store, t.udid`,
    [filter.store ?? null, filter.udid ?? null],
  );
  return rows.rows;
}

/** Adds tenders into `into` per currency and pay type, in the till reports' tender order (shared/cash.ts: cash last). */
function sumTenders(add: Iterable<TenderTotals>, into: TenderTotals[] = []): TenderTotals[] {
  for (const t of add) {
    const row = into.find((r) => r.payType === t.payType && r.currency === t.currency);
    if (row) {
      row.paidCount += t.paidCount;
      row.grossMinor += t.grossMinor;
      row.refundCount += t.refundCount;
      row.refundMinor += t.refundMinor;
    } else into.push({ ...t });
  }
  return into.sort((a, b) => a.currency.localeCompare(b.currency) || tenderRank(a.payType) - tenderRank(b.payType) || a.payType.localeCompare(b.payType));
}

function byStore(tills: readonly { store: string; currencies: OfficeTotals[] }[]): Array<{ store: string; currencies: OfficeTotals[] }> {
  const stores = new Map<string, OfficeTotals[]>();
  for (const t of tills) addTotals(stores.get(t.store) ?? stores.set(t.store, []).get(t.store)!, t.currencies);
  return [...stores.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([store, currencies]) => ({ store, currencies }));
}

const sameTotals = (a: readonly OfficeTotals[], b: readonly OfficeTotals[]) => {
  const key = (list: readonly OfficeTotals[]) =>
    JSON.stringify(list.filter((t) => t.paidCount || t.refundCount).map((t) => [t.currency, t.paidCount, t.grossMinor, t.refundCount, t.refundMinor]).sort());
  return key(a) === key(b);
};

/** X: every till's takings for a business day, or since its own last Z. */
export async function officeX(client: ClientBase, filter: ReportFilter): Promise<OfficeReport> {
  const now = (filter.now ?? Date.now)();
  const tills = await tillsOf(client, filter);
  const day = filter.day === undefined ? undefined : dayWindow(filter.day, filter);
  const windows: Window[] = tills.map((t) => ({ key: t.udid, udid: t.udid, fromMs: day?.fromMs ?? Number(t.last_z_end ?? 0), toMs: day?.toMs ?? now + 1 }));
  const sums = await windowTotals(client, windows);
  const tillTotals: TillTotals[] = windows.map((w, i) => ({ udid: w.udid, store: tills[i]!.store, fromMs: w.fromMs, toMs: w.toMs, currencies: sums.totals.get(w.key) ?? [] }));
  const zs = await zReportsOf(client, filter, filter.day ?? today(filter, now));
  const drawers = drawersOf(windows, new Map(tills.map((t) => [t.udid, t.store])), sums);
  return assemble('x', filter.day ?? null, filter, now, tillTotals, sums.tenders, drawers, zs);
}

/** A report from per-till totals: all tills, per store, tenders, Zs. */
function assemble(
  kind: 'x' | 'z',
  businessDay: string | null,
  scope: DayScope,
  now: number,
  tills: TillTotals[],
  tenders: Map<string, TenderTotals[]>,
  drawers: OfficeDrawer[],
  zReports: OfficeZ[],
): OfficeReport {
  return {
    kind,
    businessDay,
    timeZone: scope.timeZone,
    cutoffHour: scope.cutoffHour,
    generatedAtMs: now,
    currencies: addTotals([], tills.flatMap((t) => t.currencies)),
    stores: byStore(tills),
    tills,
    tenders: sumTenders([...tenders.values()].flat()),
    drawers,
    zReports,
  };
}

interface ZDbRow {
  udid: string;
  store: string;
  z_number: number;
  business_day: string;
  period_start_ms: string;
  period_end_ms: string;
  created_at_ms: string;
  sha256: string;
  intact: boolean;
  content: string;
}

/** The Zs the tills took for a business day, each with its own figures, hash check and agreement with the replicated sales. */
async function zReportsOf(client: ClientBase, filter: ReportFilter, day: string): Promise<OfficeZ[]> {
  const rows = await client.query<ZDbRow>(
    `SELECT z.udid, COALESCE(t.store, '') AS store, z.z_number, z.business_day, z.period_start_ms, z.period_end_ms, z.created_at_ms, z.sha256, z.content,
            encode(sha256(convert_to(z.content, 'UTF8')), 'hex') = z.sha256 AS intact
       FROM office.z_reports z LEFT JOIN office.tills t USING (udid)
      WHERE z.business_day = $1 AND ($2::text IS NULL OR t.store = $2) AND ($3::text IS NULL OR z.udid = $3)
      ORDER BY store, z.udid, z.z_number`,
    [day, filter.store ?? null, filter.udid ?? null],
  );
  const windows = rows.rows.map((z) => ({ key: `${z.udid}#${z.z_number}`, udid: z.udid, fromMs: Number(z.period_start_ms), toMs: Number(z.period_end_ms) }));
  const { totals } = await windowTotals(client, windows);
  return rows.rows.map((z) => {
    const content = JSON.parse(z.content) as { currencies?: Array<OfficeTotals> };
    const currencies = addTotals(
      [],
      (content.currencies ?? []).map((c) => ({ currency: c.currency, paidCount: c.paidCount, grossMinor: c.grossMinor, refundCount: c.refundCount, refundMinor: c.refundMinor, netMinor: c.netMinor })),
    );
    return {
      udid: z.udid,
      store: z.store,
      zNumber: z.z_number,
      businessDay: z.business_day,
      periodStartMs: Number(z.period_start_ms),
      periodEndMs: Number(z.period_end_ms),
      createdAtMs: Number(z.created_at_ms),
      sha256: z.sha256,
      intact: z.intact,
      agrees: sameTotals(currencies, totals.get(`${z.udid}#${z.z_number}`) ?? []),
      currencies,
    };
  });
}

/** Z: the consolidated Z of a business day, the sum of the Zs the tills took for it. */
export async function officeZ(client: ClientBase, filter: ReportFilter): Promise<OfficeReport> {
  const now = (filter.now ?? Date.now)();
  const day = filter.day ?? today(filter, now);
  const zs = await zReportsOf(client, filter, day);
  const tills = new Map<string, TillTotals>();
  for (const z of zs) {
    const till = tills.get(z.udid) ?? tills.set(z.udid, { udid: z.udid, store: z.store, fromMs: z.periodStartMs, toMs: z.periodEndMs, currencies: [] }).get(z.udid)!;
    till.fromMs = Math.min(till.fromMs, z.periodStartMs);
    till.toMs = Math.max(till.toMs, z.periodEndMs);
    addTotals(till.currencies, z.currencies);
  }
  const tillTotals = [...tills.values()];
  const windows = zs.map((z) => ({ key: `${z.udid}#${z.zNumber}`, udid: z.udid, fromMs: z.periodStartMs, toMs: z.periodEndMs }));
  const sums = await windowTotals(client, windows);
  const drawers = drawersOf(windows, new Map(zs.map((z) => [z.udid, z.store])), sums);
  return assemble('z', day, filter, now, tillTotals, sums.tenders, drawers, zs);
}

export interface HourTakings {
  /** Local hour of the day the hour starts at (0–23). */
  hour: number;
  currency: string;
  paidCount: number;
  grossMinor: number;
}

/** Paid sales per hour of a business day across all tills (hours counted from the day's cut-off). */
export async function hourlyTakings(client: ClientBase, day: string, scope: DayScope): Promise<HourTakings[]> {
  const { fromMs, toMs } = dayWindow(day, scope);
  const rows = await client.query<{ h: number; currency: string; n: string; total: string }>(
    `SELECT ((settled_at_ms - $1) / 3600000)::int AS h, currency, count(*) AS n, sum(amount_minor) AS total
       FROM office.sales WHERE settled_at_ms >= $1 AND settled_at_ms < $2 AND state = 'paid' GROUP BY 1, 2 ORDER BY 1, 2`,
    [fromMs, toMs],
  );
  return rows.rows.map((r) => ({ hour: (scope.cutoffHour + r.h) % 24, currency: r.currency, paidCount: Number(r.n), grossMinor: Number(r.total) }));
}
