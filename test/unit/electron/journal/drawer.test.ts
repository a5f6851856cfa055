import { afterEach, describe, expect, it } from 'vitest';
import { TENDER_BUCKET_SLOTS, TENDER_HALF_HOURS_BY_BUCKET_SQL, TENDER_HALF_HOURS_BY_INDEX_SQL, TENDER_HALF_HOURS_BY_KEY_SQL, tenderTotals } from '../../../../electron/journal/drawer';
import { openDatabase, type Db } from '../../../../electron/journal/database';
import { Journal, NOT_YET_SETTLED } from '../../../../electron/journal/journal';
import { MIGRATIONS } from '../../../../electron/journal/migrations';
import { tenderSplit } from '../../../../electron/reports/tender-hours';
import { SLOT_MS, TotalsQuery } from '../../../../electron/reports/totals';
import { HK, addRefund, addSale, addTenderDays, cleanup, hk, openJournal, tempDir } from '../reports/fixtures';
import { join } from 'node:path';

// The split by tender: whole half hours from the tender_slots rollup, the
// partial ones at a period's edges row by row. Checked against a plain sum
// over the rows for periods cut anywhere, and against the reports' own
// totals (the parts add up to one total).

afterEach(cleanup);

const MINUTE = 60_000;

function busyJournal() {
  const f = openJournal();
  const start = hk(2026, 11, 26, 8);
  let n = 0;
  for (let i = 0; i < 120; i++) {
    const at = start + i * 7 * MINUTE + (i % 5) * 1000;
    const currency = i % 4 === 0 ? 'CNY' : 'HKD';
    if (i % 3 === 0) {
      const id = `S-CASH-${i}`;
      f.journal.insertFinalSale(
        { outTradeNo: id, udid: 'till-01', training: false, amountMinor: 100 + i, currency, payType: 'cash', goodsName: null, state: 'paid', txdtm: '2026-11-26 12:00:00', expiredMinutes: 5, createdAtMs: at, expiresAtMs: at, ...NOT_YET_SETTLED, paidAtMs: at, finalAtMs: at, updatedAtMs: at, tenderedMinor: 200 + i, changeMinor: 100 },
        { reason: 'cash_charge' },
      );
      if (i % 2 === 0) addRefund(f.journal, `R-CASH-${i}`, id, { amountMinor: 10, createdAtMs: at + 3 * MINUTE });
    } else {
      addSale(f.journal, `S-${i}`, { amountMinor: 1000 + i, currency, createdAtMs: at, state: i % 7 === 0 ? 'expired' : 'paid' });
      if (i % 5 === 0 && i % 7 !== 0) addRefund(f.journal, `R-${n++}`, `S-${i}`, { amountMinor: 50, createdAtMs: at + 20 * MINUTE });
    }
  }
  return { ...f, start, end: start + 120 * 7 * MINUTE + 30 * MINUTE };
}

const BRUTE = `
  SELECT currency, pay_type AS payType, 'paid' AS kind, COUNT(*) AS count, SUM(amount_minor) AS amount FROM sales
   WHERE state = 'paid' AND settled_at_ms >= @from AND settled_at_ms < @to GROUP BY 1, 2
  UNION ALL
  SELECT r.currency, s.pay_type, 'refunded', COUNT(*), SUM(r.amount_minor) FROM refunds r JOIN sales s ON s.out_trade_no = r.sale_out_trade_no
   WHERE r.state = 'refunded' AND r.settled_at_ms >= @from AND r.settled_at_ms < @to GROUP BY 1, 2`;

describe('tenderTotals', () => {
  it('equals a plain sum over the rows for periods cut inside half hours, on slot edges, and empty', () => {
    const f = busyJournal();
    const periods: [number, number][] = [
      [f.start, f.end],
      [f.start + 13 * MINUTE + 7, f.end - 11 * MINUTE - 3],
      [hk(2026, 11, 26, 9), hk(2026, 11, 26, 11)],
      [hk(2026, 11, 26, 9, 10), hk(2026, 11, 26, 9, 20)],
      [f.end, f.end],
    ];
    for (const [fromMs, toMs] of periods) {
      const got = tenderTotals(f.db, { udid: 'till-01', training: false, fromMs, toMs });
      const flat = [...got].flatMap(([currency, list]) =>
        list.flatMap((t) => [
          ...(t.paidCount ? [{ currency, payType: t.payType, kind: 'paid', count: t.paidCount, amount: t.grossMinor }] : []),
          ...(t.refundCount ? [{ currency, payType: t.payType, kind: 'refunded', count: t.refundCount, amount: t.refundMinor }] : []),
        ]),
      );
      const brute = f.db.prepare(BRUTE).all({ from: fromMs, to: toMs });
      const key = (r: { currency: string; payType: string; kind: string }) => `${r.currency}/${r.payType}/${r.kind}`;
      expect(flat.sort((a, b) => key(a).localeCompare(key(b))), `period ${fromMs}–${toMs}`).toEqual((brute as typeof flat).sort((a, b) => key(a).localeCompare(key(b))));
    }
  });

  it('the parts add up to each currency total of the report, cash last', () => {
    const f = busyJournal();
    const totals = new TotalsQuery(f.db).totals({ udid: 'till-01', training: false, fromMs: f.start, toMs: f.end, timeZone: HK });
    const tenders = tenderTotals(f.db, { udid: 'till-01', training: false, fromMs: f.start, toMs: f.end });
    for (const c of totals) {
      const list = tenders.get(c.currency)!;
      expect(list.map((t) => t.payType)).toEqual(['800201', 'cash']);
      expect(list.reduce((a, t) => a + t.grossMinor, 0)).toBe(c.grossMinor);
      expect(list.reduce((a, t) => a + t.paidCount, 0)).toBe(c.paidCount);
      expect(list.reduce((a, t) => a + t.refundMinor, 0)).toBe(c.refundMinor);
      expect(list.reduce((a, t) => a + t.refundCount, 0)).toBe(c.refundCount);
    }
  });
});

describe('the cash migration', () => {
  it('counts the paid sales and refunds of an older journal into tender_slots', () => {
    const path = join(tempDir(), 'journal.sqlite');
    const before = MIGRATIONS.findIndex((m) => m.sql.includes('CREATE TABLE tender_slots'));
    const old = openDatabase(path, { migrations: MIGRATIONS.slice(0, before) });
    const journal = new Journal(old, 'till-01', false);
    const at = hk(2026, 11, 26, 12);
    addSale(journal, 'S-1', { amountMinor: 1230, createdAtMs: at, state: 'paid' });
    addSale(journal, 'S-2', { amountMinor: 500, createdAtMs: at + MINUTE, state: 'paid' });
    addRefund(journal, 'R-1', 'S-1', { amountMinor: 230, createdAtMs: at + 2 * MINUTE });
    journal.close();

    const db = openDatabase(path);
    expect(db.prepare('SELECT pay_type, kind, count, amount FROM tender_slots ORDER BY kind').all()).toEqual([
      { pay_type: '800201', kind: 'paid', count: 2, amount: 1730 },
      { pay_type: '800201', kind: 'refunded', count: 1, amount: 230 },
    ]);
    expect(tenderTotals(db, { udid: 'till-01', training: false, fromMs: at - 3_600_000, toMs: at + 3_600_000 }).get('HKD')).toEqual([
      { payType: '800201', paidCount: 2, grossMinor: 1730, refundCount: 1, refundMinor: 230 },
    ]);
    db.close();
  });
});

/** tender_buckets as it must be: tender_slots summed per 28 days, nothing else (no row emptied by a delete). */
const BUCKETS_FROM_SLOTS = `SELECT udid, training, currency, pay_type, kind, slot % 48 AS half_hour, slot / ${TENDER_BUCKET_SLOTS} AS bucket, SUM(count) AS count, SUM(amount) AS amount
  FROM tender_slots GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7`;
const BUCKETS = 'SELECT * FROM tender_buckets ORDER BY 1, 2, 3, 4, 5, 6, 7';

describe('the tender index migration', () => {
  it('upgrades a journal of the version before: index and 28-day rollup filled, the split and the tender totals those of before', () => {
    const path = join(tempDir(), 'journal.sqlite');
    const k = MIGRATIONS.findIndex((m) => m.sql.includes('CREATE INDEX tender_slots_by_half_hour'));
    const old = openDatabase(path, { migrations: MIGRATIONS.slice(0, k) });
    const journal = new Journal(old, 'till-01', false);
    const { start, end } = addTenderDays(journal, Date.UTC(2026, 8, 10, 21, 10), 90, 187);
    const q = { udid: 'till-01', training: false, fromMs: start + 7, toMs: end - 3, timeZone: 'Europe/London' };
    // Long enough that the upgraded journal reads whole 28 days from the new rollup by itself.
    expect((q.toMs - q.fromMs) / SLOT_MS).toBeGreaterThan(3 * TENDER_BUCKET_SLOTS);
    const index = (db: Db) => db.prepare("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = 'tender_slots_by_half_hour'").get();
    expect(index(old)).toBeUndefined();
    const split = tenderSplit(old, q);
    const totals = tenderTotals(old, q);
    expect(split.get('HKD')!.length).toBe(5);
    journal.close();

    const db = openDatabase(path);
    try {
      expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS[k]!.version);
      expect(index(db)).toEqual({ sql: expect.stringContaining('(udid, training, currency, pay_type, kind, slot % 48, slot, count, amount)') });
      const buckets = db.prepare(BUCKETS).all();
      expect(buckets.length).toBeGreaterThan(100);
      expect(buckets).toEqual(db.prepare(BUCKETS_FROM_SLOTS).all());
      expect(tenderSplit(db, q)).toEqual(split);
      expect(tenderTotals(db, q)).toEqual(totals);
    } finally {
      db.close();
    }
  });
});

describe('the 28-day rollup', () => {
  it('follows tender_slots through every insert, upsert and delete: sales paid, several in one half hour, refunds', () => {
    const f = openJournal();
    addTenderDays(f.journal, hk(2026, 9, 1, 7, 10), 60, 187);
    // Several sales and refunds of one tender in one half hour: the rollup's upsert updates, its triggers follow.
    const at = hk(2026, 10, 5, 12, 1);
    for (let i = 0; i < 6; i++) addSale(f.journal, `SAME-${i}`, { amountMinor: 100 + i, createdAtMs: at + i * 1000, settledAtMs: at + 60_000 + i * 1000, state: 'paid' });
    for (let i = 0; i < 3; i++) addRefund(f.journal, `SAME-R-${i}`, `SAME-${i}`, { amountMinor: 10, createdAtMs: at + 5 * MINUTE, settledAtMs: at + 6 * MINUTE });
    expect(f.db.prepare("SELECT count FROM tender_slots WHERE slot = ? AND currency = 'HKD' AND pay_type = '800201' AND kind = 'paid'").get(Math.floor((at + 60_000) / SLOT_MS))).toEqual({ count: 6 });
    expect(f.db.prepare(BUCKETS).all()).toEqual(f.db.prepare(BUCKETS_FROM_SLOTS).all());
    // No code deletes from the rollup; should anything ever, the 28 days follow.
    f.db.exec('SAVEPOINT gone');
    try {
      const deleted = f.db.prepare("DELETE FROM tender_slots WHERE slot % 7 = 3 OR pay_type = 'cash'").run().changes;
      expect(deleted).toBeGreaterThan(10);
      expect(f.db.prepare(BUCKETS).all()).toEqual(f.db.prepare(BUCKETS_FROM_SLOTS).all());
    } finally {
      f.db.exec('ROLLBACK TO gone; RELEASE gone');
    }
  });
});

describe('query plans of the tender rollup', () => {
  const plan = (db: Db, sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ udid: 'till-01', training: 0, from: 1, to: 2 }) as { detail: string }[]).map((r) => r.detail);

  it('a long piece is summed from the covering index, seek by seek in group order: no sort, no table access', () => {
    const { db } = openJournal();
    const whole = plan(db, TENDER_HALF_HOURS_BY_INDEX_SQL);
    expect(whole[0]).toBe('SEARCH tender_slots USING COVERING INDEX tender_slots_by_half_hour (udid=? AND training=? AND currency=? AND pay_type=? AND kind=? AND <expr>=? AND slot>? AND slot<?)');
    expect(whole.join(' | ')).not.toMatch(/TEMP B-TREE|SCAN tender_slots|PRIMARY KEY/);
  });

  it('whole 28 days are summed from the coarse rollup the same way', () => {
    const { db } = openJournal();
    const whole = plan(db, TENDER_HALF_HOURS_BY_BUCKET_SQL);
    expect(whole[0]).toBe('SEARCH tender_buckets USING PRIMARY KEY (udid=? AND training=? AND currency=? AND pay_type=? AND kind=? AND half_hour=? AND bucket>? AND bucket<?)');
    expect(whole.join(' | ')).not.toMatch(/TEMP B-TREE|SCAN tender_buckets/);
  });

  it('a short piece is one range of the primary key', () => {
    const { db } = openJournal();
    expect(plan(db, TENDER_HALF_HOURS_BY_KEY_SQL)[0]).toBe('SEARCH tender_slots USING PRIMARY KEY (udid=? AND training=? AND slot>? AND slot<?)');
  });

  it('either way the tender totals are the same, for periods short and long, cut anywhere', () => {
    const f = openJournal();
    const { start, end } = addTenderDays(f.journal, hk(2026, 9, 2, 7, 10), 70, 187);
    for (const [fromMs, toMs] of [
      [start, end],
      [start + 13 * MINUTE + 7, end - 11 * MINUTE - 3],
      [start + 2 * 86_400_000 + 1, start + 2 * 86_400_000 + 7_200_000],
    ] as const) {
      const period = { udid: 'till-01', training: false, fromMs, toMs };
      const byKey = tenderTotals(f.db, period, { indexMinSlots: Infinity });
      expect(tenderTotals(f.db, period, { indexMinSlots: 0, buckets: false })).toEqual(byKey);
      expect(tenderTotals(f.db, period, { indexMinSlots: 0 })).toEqual(byKey);
      expect(tenderTotals(f.db, period)).toEqual(byKey);
      // Another till's and training's JPY is no currency of this till's.
      expect([...byKey.keys()]).toEqual(fromMs === start ? ['CNY', 'HKD', 'USD'] : expect.not.arrayContaining(['JPY']));
    }
  });
});
