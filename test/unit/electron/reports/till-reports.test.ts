import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../../electron/journal/database';
import { TillReports, canonicalJson, sha256Hex, type ReportScope } from '../../../../electron/reports/till-reports';
import { DAY_END, DAY_TOTALS, writeDay, writeEarlierDay } from './day-fixture';
import { HK, addRefund, addSale, cleanup, hk, openJournal, tempDir, type FixtureJournal } from './fixtures';

// X and Z reports: X changes nothing; Z closes the period since the previous
// Z, is numbered per till, stored immutably with its SHA-256, refused while
// any sale or refund is open, and reprinted with a check of its hash.

afterEach(cleanup);

function reportsAt(f: FixtureJournal, at: { now: number }, scope: Partial<ReportScope> = {}): TillReports {
  return new TillReports(f.db, { udid: 'till-01', training: false, timeZone: HK, cutoffHour: 4, now: () => at.now, ...scope });
}

const pick = (report: { currencies: { currency: string; paidCount: number; grossMinor: number; refundCount: number; refundMinor: number; netMinor: number }[] }) =>
  Object.fromEntries(report.currencies.map((t) => [t.currency, { paidCount: t.paidCount, grossMinor: t.grossMinor, refundCount: t.refundCount, refundMinor: t.refundMinor, netMinor: t.netMinor }]));

describe('X report', () => {
  it('covers the first sale until now and writes nothing', () => {
    const f = openJournal();
    writeDay(f.journal);
    const clock = { now: DAY_END };
    const before = f.db.prepare('SELECT count(*) AS n FROM z_reports').get();
    const x = reportsAt(f, clock).x();
    expect(x.kind).toBe('x');
    expect(x.periodStartMs).toBe(hk(2026, 11, 25, 18));
    expect(x.periodEndMs).toBe(DAY_END);
    expect(x.businessDay).toBe('2026-11-26');
    expect(x.zNumber).toBeUndefined();
    expect(f.db.prepare('SELECT count(*) AS n FROM z_reports').get()).toEqual(before);
    // Yesterday's sale is in this first period too: 7005 + 3000.
    expect(pick(x).HKD).toEqual({ paidCount: 4, grossMinor: 10_005, refundCount: 2, refundMinor: 4000, netMinor: 6005 });
  });

  it('with no sales at all is an empty report of an empty period', () => {
    const f = openJournal();
    const x = reportsAt(f, { now: DAY_END }).x();
    expect(x).toMatchObject({ periodStartMs: DAY_END, periodEndMs: DAY_END, currencies: [] });
  });
});

describe('Z reports', () => {
  it('are numbered per till, each closing the period since the previous one; a refund of an earlier period counts in its own', () => {
    const f = openJournal();
    const clock = { now: hk(2026, 11, 26, 4) };
    writeEarlierDay(f.journal);
    const reports = reportsAt(f, clock);
    const z1 = reports.takeZ();
    if (!z1.ok) throw new Error('Z 1 refused');
    expect(z1.report).toMatchObject({ kind: 'z', zNumber: 1, periodStartMs: hk(2026, 11, 25, 18), periodEndMs: hk(2026, 11, 26, 4), businessDay: '2026-11-25' });
    expect(pick(z1.report)).toEqual({ HKD: { paidCount: 1, grossMinor: 3000, refundCount: 0, refundMinor: 0, netMinor: 3000 } });

    writeDay(f.journal);
    clock.now = DAY_END;
    const z2 = reports.takeZ();
    if (!z2.ok) throw new Error('Z 2 refused');
    expect(z2.report).toMatchObject({ zNumber: 2, periodStartMs: hk(2026, 11, 26, 4), periodEndMs: DAY_END, businessDay: '2026-11-26', businessDayCutoffHour: 4 });
    // Exactly the hand-computed day, including the refund of Z 1's sale.
    expect(pick(z2.report)).toEqual(
      Object.fromEntries(Object.entries(DAY_TOTALS).map(([c, t]) => [c, { paidCount: t.paidCount, grossMinor: t.grossMinor, refundCount: t.refundCount, refundMinor: t.refundMinor, netMinor: t.netMinor }])),
    );
    // The sale made before the cut-off and paid after it belongs to the next Z.
    clock.now = DAY_END + 3_600_000;
    expect(pick(reports.x())).toEqual({ HKD: { paidCount: 1, grossMinor: 2000, refundCount: 0, refundMinor: 0, netMinor: 2000 } });

    // Z 1 as stored never changes.
    expect(reports.z(1)).toEqual({ report: z1.report, intact: true });
    expect(reports.zList()).toEqual([
      { zNumber: 2, periodStartMs: hk(2026, 11, 26, 4), periodEndMs: DAY_END, createdAtMs: DAY_END, sha256: z2.report.sha256 },
      { zNumber: 1, periodStartMs: hk(2026, 11, 25, 18), periodEndMs: hk(2026, 11, 26, 4), createdAtMs: hk(2026, 11, 26, 4), sha256: z1.report.sha256 },
    ]);
    expect(reports.z(3)).toBeUndefined();
  });

  it('store the SHA-256 of their canonical content', () => {
    const f = openJournal();
    writeDay(f.journal);
    const z = reportsAt(f, { now: DAY_END }).takeZ();
    if (!z.ok) throw new Error('refused');
    const { sha256, ...content } = z.report;
    expect(sha256).toBe(sha256Hex(canonicalJson(content)));
    const row = f.db.prepare('SELECT content, sha256 FROM z_reports WHERE z_number = 1').get() as { content: string; sha256: string };
    expect(row.sha256).toBe(sha256);
    expect(JSON.parse(row.content)).toEqual(content);
  });

  it('numbering is per till: another udid in the same file starts at 1', () => {
    const f = openJournal();
    const clock = { now: DAY_END };
    expect(reportsAt(f, clock).takeZ()).toMatchObject({ ok: true, report: { zNumber: 1 } });
    expect(reportsAt(f, clock).takeZ()).toMatchObject({ ok: true, report: { zNumber: 2 } });
    expect(reportsAt(f, clock, { udid: 'till-02' }).takeZ()).toMatchObject({ ok: true, report: { zNumber: 1, udid: 'till-02' } });
  });

  it('cannot be changed or deleted', () => {
    const f = openJournal();
    writeDay(f.journal);
    expect(reportsAt(f, { now: DAY_END }).takeZ().ok).toBe(true);
    expect(() => f.db.prepare("UPDATE z_reports SET content = '{}' WHERE z_number = 1").run()).toThrow(/Z reports cannot be changed/);
    expect(() => f.db.prepare('UPDATE z_reports SET sha256 = ? WHERE z_number = 1').run('0'.repeat(64))).toThrow(/cannot be changed/);
    expect(() => f.db.prepare('DELETE FROM z_reports').run()).toThrow(/Z reports cannot be deleted/);
    expect(reportsAt(f, { now: DAY_END }).z(1)?.intact).toBe(true);
  });

  it('cannot be replaced, not even by INSERT OR REPLACE (which skips delete triggers)', () => {
    const f = openJournal();
    writeDay(f.journal);
    expect(reportsAt(f, { now: DAY_END }).takeZ().ok).toBe(true);
    const copyRow = "SELECT udid, z_number, training, period_start_ms, period_end_ms, created_at_ms, '{}', sha256 FROM z_reports";
    expect(() => f.db.prepare(`INSERT INTO z_reports ${copyRow}`).run()).toThrow(/Z reports cannot be replaced/);
    expect(() => f.db.prepare(`INSERT OR REPLACE INTO z_reports ${copyRow}`).run()).toThrow(/Z reports cannot be replaced/);
    expect(() => f.db.prepare(`REPLACE INTO z_reports ${copyRow}`).run()).toThrow(/Z reports cannot be replaced/);
    expect(reportsAt(f, { now: DAY_END }).z(1)?.intact).toBe(true);
  });

  it('is refused while a sale or refund is open, listing them, and writes nothing', () => {
    const f = openJournal();
    writeDay(f.journal);
    addSale(f.journal, 'S-OPEN', { amountMinor: 100, createdAtMs: hk(2026, 11, 26, 20), state: 'awaiting_scan' });
    addSale(f.journal, 'S-UNKNOWN', { amountMinor: 100, createdAtMs: hk(2026, 11, 26, 21), state: 'unknown', syssn: null });
    addRefund(f.journal, 'R-OPEN', 'S-HKD-1', { amountMinor: 100, createdAtMs: hk(2026, 11, 26, 22), state: 'unknown' });
    // Open work of another udid in this file blocks too: a udid change must not hide it.
    addSale(f.journal, 'S-OLD-UDID', { amountMinor: 100, createdAtMs: hk(2026, 11, 26, 8), state: 'requesting', udid: 'till-00' });
    const reports = reportsAt(f, { now: DAY_END });
    expect(reports.takeZ()).toEqual({ ok: false, code: 'open_work', openSales: ['S-OLD-UDID', 'S-OPEN', 'S-UNKNOWN'], openRefunds: ['R-OPEN'] });
    expect(reports.zList()).toEqual([]);

    f.journal.updateSale('S-OPEN', ['awaiting_scan'], { state: 'expired', finalAtMs: hk(2026, 11, 26, 20, 30), updatedAtMs: hk(2026, 11, 26, 20, 30) }, {});
    f.journal.updateSale('S-UNKNOWN', ['unknown'], { state: 'failed', finalAtMs: hk(2026, 11, 26, 21, 1), updatedAtMs: hk(2026, 11, 26, 21, 1) }, {});
    f.journal.updateSale('S-OLD-UDID', ['requesting'], { state: 'failed', finalAtMs: hk(2026, 11, 26, 8, 1), updatedAtMs: hk(2026, 11, 26, 8, 1) }, {});
    expect(reports.takeZ()).toMatchObject({ ok: false, openSales: [], openRefunds: ['R-OPEN'] });
    f.journal.updateRefund('R-OPEN', ['unknown'], { state: 'refunded', finalAtMs: hk(2026, 11, 26, 22, 1), updatedAtMs: hk(2026, 11, 26, 22, 1) }, {});
    const z = reports.takeZ();
    expect(z).toMatchObject({ ok: true, report: { zNumber: 1 } });
    if (z.ok) expect(pick(z.report).HKD).toMatchObject({ refundCount: 3, refundMinor: 4100 });
  });

  it('a reprint says when the stored content no longer matches its hash (tampered copy, triggers dropped)', () => {
    const f = openJournal();
    writeDay(f.journal);
    const clock = { now: DAY_END };
    const z = reportsAt(f, clock).takeZ();
    if (!z.ok) throw new Error('refused');
    expect(reportsAt(f, clock).z(1)).toEqual({ report: z.report, intact: true });

    // The triggers refuse any change, so simulate someone editing the file with other tools: a copy without them.
    const copyPath = join(tempDir(), 'tampered.sqlite');
    f.db.exec(`VACUUM INTO '${copyPath}'`);
    const copy = openDatabase(copyPath);
    try {
      copy.exec('DROP TRIGGER z_reports_immutable_update');
      const row = copy.prepare('SELECT content FROM z_reports WHERE z_number = 1').get() as { content: string };
      const edited = row.content.replace('"grossMinor":10005', '"grossMinor":9005');
      expect(edited).not.toBe(row.content);
      copy.prepare('UPDATE z_reports SET content = ? WHERE z_number = 1').run(edited);
      const reprint = new TillReports(copy, { udid: 'till-01', training: false, timeZone: HK, cutoffHour: 4, now: () => clock.now }).z(1);
      expect(reprint?.intact).toBe(false);
      expect(reprint?.report.sha256).toBe(z.report.sha256);
      expect(reprint?.report.currencies.find((t) => t.currency === 'HKD')?.grossMinor).toBe(9005);
    } finally {
      copy.close();
    }
    // The original is untouched.
    expect(reportsAt(f, clock).z(1)?.intact).toBe(true);
  });

  it('a training till reports its training sales; a real till never does', () => {
    const training = openJournal({ training: true });
    writeDay(training.journal);
    const z = reportsAt(training, { now: DAY_END }, { training: true }).takeZ();
    expect(z).toMatchObject({ ok: true, report: { training: true } });
    if (z.ok) expect(pick(z.report).HKD?.grossMinor).toBe(10_005);

    const real = openJournal();
    writeDay(real.journal);
    addSale(real.journal, 'S-TRAINING', { amountMinor: 77_700, createdAtMs: hk(2026, 11, 26, 9, 30), state: 'paid', training: true });
    const realZ = reportsAt(real, { now: DAY_END }).takeZ();
    if (realZ.ok) expect(pick(realZ.report).HKD?.grossMinor).toBe(10_005);
  });
});
