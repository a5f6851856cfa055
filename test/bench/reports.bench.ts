import { createHash } from 'node:crypto';
import { existsSync, renameSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, type Db } from '../../electron/journal/database';
import { Journal } from '../../electron/journal/journal';
import { MIGRATIONS } from '../../electron/journal/migrations';
import { treatmentOf } from '../../electron/qfpay/codes';
import type { QueryAnswer, QueryRecord } from '../../electron/qfpay/responses';
import { formatTxdtm } from '../../electron/qfpay/time';
import { DEFAULT_MARGIN_MS, loadJournalEntries, matchRecords, reconcile } from '../../electron/reports/reconcile';
import { TillReports } from '../../electron/reports/till-reports';
import { percentile, round, type Bench, type Figure } from './harness';

// Issue 6: X and Z reports over a journal of 1,000,000 sales (target ≤ 100 ms
// each), and reconciliation of 10,000 QFPay records against the journal
// without the network (target ≤ 0.5 s). The journal is built once with
// prepared inserts in one transaction (final states, so the triggers fill
// the rollup as in production) and cached under the OS temp directory.

const SALES = 1_000_000;
const RECORDS = 10_000;
const UDID = 'bench-till';
const TZ = 'Asia/Hong_Kong';
/** Bump FIXTURE when the fixture changes; the schema's own hash covers migrations (even one edited in place). */
const FIXTURE = 2;
const SCHEMA = createHash('sha256').update(MIGRATIONS.map((m) => `${m.version}:${m.sql}`).join('\n')).digest('hex').slice(0, 12);
const VERSION = `reports-bench-${FIXTURE}-${SCHEMA}-${SALES}`;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
/** 2026-11-26 04:00 in Hong Kong: the end of the year of sales, on a business-day boundary. */
const END = Date.UTC(2026, 10, 26, 4 - 8);
const START = END - 365 * DAY;
const CURRENCIES = ['HKD', 'HKD', 'HKD', 'HKD', 'HKD', 'HKD', 'HKD', 'HKD', 'CNY', 'CNY', 'CNY', 'JPY'] as const;

/** Hong Kong is UTC+8 all year: a cheap txdtm for a million rows. */
const hkTxdtm = (ms: number) => new Date(ms + 8 * HOUR).toISOString().slice(0, 19).replace('T', ' ');
const syssnOf = (i: number) => `2026${String(i).padStart(22, '0')}`;

function stateOf(i: number): 'paid' | 'expired' | 'cancelled' | 'failed' {
  const r = (i * 7919) % 100;
  return r < 90 ? 'paid' : r < 94 ? 'expired' : r < 97 ? 'cancelled' : 'failed';
}

function build(path: string): void {
  const db = openDatabase(path);
  // Meta (udid, mode) the way the till writes it.
  new Journal(db, UDID, false);
  // A benchmark fixture, not a till journal: no durability during the build, and every index page in memory.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -524288');
  db.pragma('temp_store = MEMORY');
  const sale = db.prepare(
    `INSERT INTO sales (out_trade_no, udid, training, amount_minor, currency, pay_type, goods_name, state, txdtm, expired_minutes,
       created_at_ms, expires_at_ms, syssn, paid_at_ms, final_at_ms, updated_at_ms, refunded_minor, cancel_reason, last_respcd)
     VALUES (?, ?, 0, ?, ?, '800201', NULL, ?, ?, 30, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const refund = db.prepare(
    `INSERT INTO refunds (out_trade_no, udid, training, sale_out_trade_no, amount_minor, currency, state, txdtm, created_at_ms, syssn, final_at_ms, updated_at_ms, last_respcd)
     VALUES (?, ?, 0, ?, ?, ?, 'refunded', ?, ?, ?, ?, ?, '0000')`,
  );
  const span = END - START - HOUR;
  db.transaction(() => {
    for (let i = 0; i < SALES; i++) {
      const created = START + Math.floor((i * span) / SALES);
      const state = stateOf(i);
      const currency = CURRENCIES[i % CURRENCIES.length]!;
      const amount = 100 + ((i * 104_729) % 50_000);
      const settled = created + 20_000 + (i % 40) * 1000;
      const refunded = state === 'paid' && i % 50 === 7 ? Math.max(1, Math.floor(amount / 4)) : 0;
      const respcd = state === 'paid' ? '0000' : state === 'expired' ? '1181' : state === 'cancelled' ? '1264' : '1205';
      const id = `${UDID}-S${String(i).padStart(7, '0')}`;
      sale.run(id, UDID, amount, currency, state, hkTxdtm(created), created, created + 30 * 60_000, syssnOf(i), state === 'paid' ? settled : null, settled, settled, refunded, state === 'expired' ? 'expiry' : state === 'cancelled' ? 'cashier' : null, respcd);
      if (refunded > 0) {
        const at = settled + HOUR;
        refund.run(`${UDID}-R${String(i).padStart(7, '0')}`, UDID, id, refunded, currency, hkTxdtm(at), at, syssnOf(SALES + i), at + 3000, at + 3000);
      }
    }
    new Journal(db, UDID, false).setMeta('bench_built', VERSION);
  })();
  db.pragma('journal_mode = WAL');
  db.close();
}

/** The cached journal, built if missing (into a temporary name first, so an interrupted build is never reused). */
function journalFile(): { path: string; buildMs: number | undefined } {
  const path = join(tmpdir(), `till-${VERSION}.sqlite`);
  if (existsSync(path)) {
    const db = openDatabase(path);
    const built = (db.prepare("SELECT value FROM meta WHERE key = 'bench_built'").get() as { value: string } | undefined)?.value;
    db.close();
    if (built === VERSION) return { path, buildMs: undefined };
  }
  const partial = `${path}.building-${process.pid}`;
  for (const p of [path, `${path}-wal`, `${path}-shm`, partial, `${partial}-wal`, `${partial}-shm`]) rmSync(p, { force: true });
  const t0 = performance.now();
  build(partial);
  const buildMs = performance.now() - t0;
  renameSync(partial, path);
  return { path, buildMs };
}

function timed(runs: number, fn: () => void): number[] {
  fn(); // warm-up: statement preparation, page cache
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    fn();
    samples.push(performance.now() - t0);
  }
  return samples;
}

/** QFPay's view of the last sales and refunds of the year: what /query would return, with a few disagreements. */
function qfpayRecords(db: Db): { records: QueryRecord[]; fromMs: number; toMs: number } {
  const toMs = END;
  const rows = db
    .prepare(
      `SELECT 'payment' AS t, out_trade_no, syssn, state, amount_minor, currency, created_at_ms, NULL AS origssn FROM sales
        WHERE udid = ? AND training = 0 AND created_at_ms < ? ORDER BY created_at_ms DESC LIMIT ?`,
    )
    .all(UDID, toMs, RECORDS - 300) as { t: string; out_trade_no: string; syssn: string; state: string; amount_minor: number; currency: string; created_at_ms: number }[];
  const fromMs = rows[rows.length - 1]!.created_at_ms;
  const refunds = db
    .prepare(
      `SELECT r.out_trade_no, r.syssn, r.amount_minor, r.currency, r.created_at_ms, s.syssn AS origssn FROM refunds r JOIN sales s ON s.out_trade_no = r.sale_out_trade_no
        WHERE r.udid = ? AND r.created_at_ms >= ? AND r.created_at_ms < ?`,
    )
    .all(UDID, fromMs, toMs) as { out_trade_no: string; syssn: string; amount_minor: number; currency: string; created_at_ms: number; origssn: string }[];
  const respcdOf: Record<string, string> = { paid: '0000', expired: '1181', cancelled: '1264', failed: '1205' };
  const records: QueryRecord[] = rows.map((r, i) => {
    const respcd = respcdOf[r.state]!;
    return {
      syssn: r.syssn,
      out_trade_no: r.out_trade_no,
      order_type: 'payment',
      // Every 997th amount differs, as a wrongly keyed sale would.
      txamt: i % 997 === 0 ? r.amount_minor + 1 : r.amount_minor,
      txcurrcd: r.currency,
      sysdtm: formatTxdtm(r.created_at_ms + 400, TZ),
      respcd,
      treatment: treatmentOf(respcd),
      cancel: r.state === 'cancelled' ? 2 : 0,
      udid: UDID,
    };
  });
  for (const r of refunds) {
    records.push({ syssn: r.syssn, out_trade_no: r.out_trade_no, order_type: 'refund', txamt: r.amount_minor, txcurrcd: r.currency, sysdtm: formatTxdtm(r.created_at_ms + 400, TZ), respcd: '0000', treatment: 'success', cancel: 0, udid: UDID, origssn: r.origssn });
  }
  // The rest: other tills of the merchant and a device without a udid.
  for (let i = 0; records.length < RECORDS; i++) {
    records.push({ syssn: `9999${String(i).padStart(22, '0')}`, out_trade_no: `OTHER-${i}`, order_type: 'payment', txamt: 1000, txcurrcd: 'HKD', sysdtm: formatTxdtm(fromMs + i * 1000, TZ), respcd: '0000', treatment: 'success', cancel: 0, udid: i % 50 === 0 ? '' : 'bench-till-2' });
  }
  return { records: records.slice(0, RECORDS), fromMs, toMs };
}

export const reportsBench: Bench = {
  title: 'X/Z reports and reconciliation',
  async run() {
    const { path, buildMs } = journalFile();
    const db = openDatabase(path);
    try {
      const scope = { udid: UDID, training: false, timeZone: TZ, cutoffHour: 4, now: () => END };
      const reports = new TillReports(db, scope);
      const figures: Figure[] = [];
      if (buildMs !== undefined) figures.push({ name: 'reports_journal_build', value: round(buildMs / 1000, 1), unit: 's', better: 'lower', note: `${SALES} sales, one transaction; cached at ${path}` });
      else figures.push({ name: 'reports_journal_build', value: 0, unit: 's', better: 'lower', note: `reused the cached file ${path}` });

      // Worst case: the till's first X and Z, over the whole year of 1,000,000 sales (no Z ever taken).
      const first = reports.x();
      const paid = first.currencies.reduce((n, t) => n + t.paidCount, 0);
      const xYear = timed(5, () => reports.x());
      // A Z writes an immutable row: take it inside a transaction that is rolled back, so the cached file stays as built.
      const inRollback = (fn: () => void) => {
        db.exec('SAVEPOINT bench');
        try {
          fn();
        } finally {
          db.exec('ROLLBACK TO bench');
          db.exec('RELEASE bench');
        }
      };
      const takeZ = () => {
        if (!reports.takeZ().ok) throw new Error('bench: Z refused');
      };
      const zYear = timed(5, () => inRollback(takeZ));

      // The usual case: a Z every business day for the year (rolled back afterwards), the X and Z of the last day.
      let xDay: number[] = [];
      let zDay: number[] = [];
      let history = 0;
      inRollback(() => {
        const clock = { now: START + DAY };
        const daily = new TillReports(db, { ...scope, now: () => clock.now });
        for (; clock.now < END; clock.now += DAY, history++) if (!daily.takeZ().ok) throw new Error('bench: daily Z refused');
        clock.now = END;
        xDay = timed(9, () => daily.x());
        zDay = timed(9, () => inRollback(() => void daily.takeZ()));
      });
      figures.push(
        { name: 'x_report_day_in_1m_journal_p50', value: round(percentile(xDay, 50), 1), unit: 'ms', target: 100, better: 'lower', note: `the current business day, after ${history} daily Zs, in a journal of ${SALES} sales` },
        { name: 'z_report_day_in_1m_journal_p50', value: round(percentile(zDay, 50), 1), unit: 'ms', target: 100, better: 'lower', note: 'closing that day: open-work check, totals, canonical JSON, SHA-256, insert' },
        { name: 'x_report_first_period_1m_sales_p50', value: round(percentile(xYear, 50), 1), unit: 'ms', target: 100, better: 'lower', note: `no Z ever: a year, ${paid} paid of ${SALES} sales, 3 currencies (~150k half-hour rows summed in SQLite by half hour of the day)` },
        { name: 'z_report_first_period_1m_sales_p50', value: round(percentile(zYear, 50), 1), unit: 'ms', target: 100, better: 'lower', note: 'the same year closed by one Z (open-work check, canonical JSON, SHA-256, insert)' },
      );

      const { records, fromMs, toMs } = qfpayRecords(db);
      const window = { udid: UDID, training: false, fromMs: fromMs - DEFAULT_MARGIN_MS, toMs: toMs + DEFAULT_MARGIN_MS };
      const match = { udid: UDID, fromMs, toMs, timeZone: TZ, complete: true };
      const entries = loadJournalEntries(db, window, records);
      const check = matchRecords(entries, records, match);
      const matchOnly = timed(7, () => matchRecords(entries, records, match));
      const withJournal = timed(7, () => matchRecords(loadJournalEntries(db, window, records), records, match));
      // The whole reconcile() with a client that answers from memory (pages of 100): everything but the network.
      const fake = {
        async query(input: { page?: number; page_size?: number; start_time?: string; end_time?: string }) {
          const inRange = records.filter((r) => r.sysdtm! >= input.start_time! && r.sysdtm! <= input.end_time!);
          const size = input.page_size ?? 10;
          const page = input.page ?? 1;
          const answer: QueryAnswer = { respcd: '0000', treatment: 'success', resperr: '', respmsg: '', page, page_size: size, records: inRange.slice((page - 1) * size, page * size) };
          return { kind: 'answered' as const, answer, httpStatus: 200, signature: 'not_checked' as const };
        },
      };
      const endToEnd: number[] = [];
      for (let i = 0; i < 3; i++) {
        const t0 = performance.now();
        await reconcile({ db, client: fake, take: async () => undefined }, { udid: UDID, training: false, fromMs, toMs, timeZone: TZ });
        endToEnd.push(performance.now() - t0);
      }
      const note = `${records.length} records; ${check.matched.length} matched, ${check.amountDiffers.length} amount differs, ${check.onlyAtQfpay.length} only at QFPay`;
      figures.push(
        { name: 'reconcile_10k_match_p50', value: round(percentile(matchOnly, 50), 1), unit: 'ms', better: 'lower', note: 'the pure matcher alone' },
        { name: 'reconcile_10k_journal_and_match_p50', value: round(percentile(withJournal, 50), 1), unit: 'ms', target: 500, better: 'lower', note },
        { name: 'reconcile_10k_in_memory_client_p50', value: round(percentile(endToEnd, 50), 1), unit: 'ms', better: 'lower', note: 'reconcile() end to end, 100 pages from memory, no network' },
      );
      return figures;
    } finally {
      db.close();
    }
  },
};
