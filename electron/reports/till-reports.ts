import { createHash } from 'node:crypto';
import type { CountedCash, TillReport, ZSummary } from '../../shared/reports';
import type { Db } from '../journal/database';
import { isCurrencyCode } from '../../shared/currency';
import { drawerTotals, emptyDrawer } from '../journal/drawer';
import { tenderSplit } from './tender-hours';
import { TotalsQuery, businessDayOf } from './totals';

// X reports (any time, change nothing) and Z reports (close the period since
// the previous Z, numbered per till, stored immutably with the SHA-256 of
// their content). A Z is refused while any sale or refund is unresolved.

export interface ReportScope {
  udid: string;
  training: boolean;
  timeZone: string;
  cutoffHour: number;
  now: () => number;
}

export type ZResult =
  | { ok: true; report: TillReport }
  | { ok: false; code: 'open_work'; openSales: string[]; openRefunds: string[] };

/** JSON with object keys sorted at every level: the same report always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/** At Z: the counted cash and its difference from the expected cash, per currency with a drawer. */
function withCounted(report: TillReport, counted: readonly CountedCash[]): TillReport {
  if (counted.length === 0) return report;
  const drawer = [...(report.drawer ?? [])];
  // Cash counted in a currency the period never touched is still in the drawer: all of it is a difference.
  for (const c of counted) if (isCurrencyCode(c.currency) && !drawer.some((d) => d.currency === c.currency)) drawer.push(emptyDrawer(c.currency));
  const byCurrency = new Map(counted.map((c) => [c.currency, c.countedMinor]));
  return {
    ...report,
    drawer: drawer
      .map((d) => {
        const countedMinor = byCurrency.get(d.currency);
        return countedMinor === undefined ? d : { ...d, countedMinor, differenceMinor: countedMinor - d.expectedMinor };
      })
      .sort((a, b) => (a.currency < b.currency ? -1 : 1)),
  };
}

interface ZRow {
  z_number: number;
  period_start_ms: number;
  period_end_ms: number;
  created_at_ms: number;
  content: string;
  sha256: string;
}

export class TillReports {
  private readonly totals: TotalsQuery;
  private readonly stmt;

  constructor(
    private readonly db: Db,
    private readonly scope: ReportScope,
  ) {
    this.totals = new TotalsQuery(db);
    this.stmt = {
      lastZ: db.prepare('SELECT * FROM z_reports WHERE udid = ? ORDER BY z_number DESC LIMIT 1'),
      zByNumber: db.prepare('SELECT * FROM z_reports WHERE udid = ? AND z_number = ?'),
      zList: db.prepare('SELECT z_number, period_start_ms, period_end_ms, created_at_ms, sha256 FROM z_reports WHERE udid = ? ORDER BY z_number DESC LIMIT ? OFFSET ?'),
      // The opening float may be entered before the first sale: it opens the period too.
      firstActivity: db.prepare(
        'SELECT MIN(at) AS at FROM (SELECT MIN(created_at_ms) AS at FROM sales WHERE udid = @udid AND training = @training UNION ALL SELECT MIN(at_ms) FROM cash_movements WHERE udid = @udid AND training = @training)',
      ),
      insertZ: db.prepare(
        'INSERT INTO z_reports (udid, z_number, training, period_start_ms, period_end_ms, created_at_ms, content, sha256) VALUES (@udid, @z_number, @training, @period_start_ms, @period_end_ms, @created_at_ms, @content, @sha256)',
      ),
      openSales: db.prepare("SELECT out_trade_no FROM sales WHERE state IN ('requesting','awaiting_scan','unknown','cancelling') ORDER BY created_at_ms"),
      openRefunds: db.prepare("SELECT out_trade_no FROM refunds WHERE state IN ('requesting','unknown') ORDER BY created_at_ms"),
      // Every drawer opening is a journal note: "No sale" (electron/receipts/drawer.ts), cash sales and cash refunds (receipt-handlers cashMoved).
      drawerOpenings: db.prepare("SELECT COUNT(*) AS n FROM events WHERE udid = ? AND kind = 'note' AND at_ms >= ? AND at_ms < ? AND json_extract(data, '$.note') = 'drawer_open'"),
    };
  }

  /** Where the current (not yet Z'd) period starts: the last Z's end, else this till's first sale. */
  currentPeriodStart(): number {
    const last = this.stmt.lastZ.get(this.scope.udid) as ZRow | undefined;
    if (last) return last.period_end_ms;
    const first = this.stmt.firstActivity.get({ udid: this.scope.udid, training: this.scope.training ? 1 : 0 }) as { at: number | null };
    return first.at ?? this.scope.now();
  }

  private build(kind: 'x' | 'z', fromMs: number, toMs: number): TillReport {
    const { udid, training, timeZone, cutoffHour } = this.scope;
    const drawerOpenings = (this.stmt.drawerOpenings.get(udid, fromMs, toMs) as { n: number }).n;
    return {
      kind,
      udid,
      training,
      periodStartMs: fromMs,
      periodEndMs: toMs,
      generatedAtMs: this.scope.now(),
      businessDay: businessDayOf(Math.max(fromMs, toMs - 1), cutoffHour, timeZone),
      businessDayCutoffHour: cutoffHour,
      timeZone,
      currencies: this.totals.totals({ udid, training, fromMs, toMs, timeZone }),
      // Only when there were any: reports (and stored Z hashes) without openings keep their exact shape.
      ...(drawerOpenings > 0 ? { drawerOpenings } : {}),
      ...this.cash(fromMs, toMs),
    };
  }

  /** The split by tender (with each tender's hours) and the drawer: the tender_slots rollup, the edges' rows and the few drawer movements. */
  private cash(fromMs: number, toMs: number): Pick<TillReport, 'tenders' | 'drawer'> {
    const period = { udid: this.scope.udid, training: this.scope.training, fromMs, toMs };
    const tenders = tenderSplit(this.db, { ...period, timeZone: this.scope.timeZone });
    return { tenders: [...tenders].map(([currency, list]) => ({ currency, tenders: list })), drawer: drawerTotals(this.db, period, tenders) };
  }

  /** X report: the current period (or the one given), changing nothing. */
  x(period: { fromMs?: number; toMs?: number } = {}): TillReport {
    const to = period.toMs ?? this.scope.now();
    const from = period.fromMs ?? Math.min(this.currentPeriodStart(), to);
    return this.build('x', from, Math.max(from, to));
  }

  /** Unresolved work that blocks a Z (every udid in this file: a udid change must not hide any). */
  openWork(): { openSales: string[]; openRefunds: string[] } {
    return {
      openSales: (this.stmt.openSales.all() as { out_trade_no: string }[]).map((r) => r.out_trade_no),
      openRefunds: (this.stmt.openRefunds.all() as { out_trade_no: string }[]).map((r) => r.out_trade_no),
    };
  }

  /** Z report: closes the period since the previous Z, in one transaction with the open-work check. */
  takeZ(counted: readonly CountedCash[] = []): ZResult {
    return this.db.transaction((): ZResult => {
      const open = this.openWork();
      if (open.openSales.length || open.openRefunds.length) return { ok: false, code: 'open_work', ...open };
      const last = this.stmt.lastZ.get(this.scope.udid) as ZRow | undefined;
      const now = this.scope.now();
      const from = Math.min(this.currentPeriodStart(), now);
      const number = (last?.z_number ?? 0) + 1;
      const report: TillReport = withCounted({ ...this.build('z', from, now), zNumber: number }, counted);
      const content = canonicalJson(report);
      const sha256 = sha256Hex(content);
      this.stmt.insertZ.run({
        udid: this.scope.udid,
        z_number: number,
        training: this.scope.training ? 1 : 0,
        period_start_ms: from,
        period_end_ms: now,
        created_at_ms: now,
        content,
        sha256,
      });
      return { ok: true, report: { ...report, sha256 } };
    }).immediate();
  }

  zList(limit = 50, offset = 0): ZSummary[] {
    return (this.stmt.zList.all(this.scope.udid, limit, offset) as ZRow[]).map((r) => ({
      zNumber: r.z_number,
      periodStartMs: r.period_start_ms,
      periodEndMs: r.period_end_ms,
      createdAtMs: r.created_at_ms,
      sha256: r.sha256,
    }));
  }

  /** A stored Z for reprinting; `intact` is false if its content no longer matches its hash. */
  z(number: number): { report: TillReport; intact: boolean } | undefined {
    const row = this.stmt.zByNumber.get(this.scope.udid, number) as ZRow | undefined;
    if (!row) return undefined;
    const report = JSON.parse(row.content) as TillReport;
    return { report: { ...report, sha256: row.sha256 }, intact: sha256Hex(row.content) === row.sha256 };
  }
}
