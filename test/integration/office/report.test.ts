import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOffice } from '../../../electron/office/connection';
import type { LocalPostgres } from '../../../electron/office/local-postgres';
import type { OfficeReport, OfficeTotals } from '../../../electron/office/report';
import type { TillStatus } from '../../../electron/office/status';
import { DAY_START, HK, PG_BIN, openTestTill, startPg, till, type TestTill } from './support';

// `till office report x|z` and `till office status` over three tills in two
// stores: per store, till, tender and currency; X since each till's last Z
// or for a business day; every Z listed with its hash checked.

const net = (totals: readonly OfficeTotals[]) => totals.reduce((s, t) => s + t.netMinor, 0);
const paid = (totals: readonly OfficeTotals[]) => totals.reduce((s, t) => s + t.paidCount, 0);

describe.skipIf(!PG_BIN)('head-office reports (real PostgreSQL)', () => {
  let pg: LocalPostgres;
  const tills: TestTill[] = [];
  const env = () => ({ TILL_OFFICE_URL: pg.url, TILL_TIME_ZONE: HK });
  const report = async (...args: string[]) => {
    const r = await till(['office', 'report', ...args, '--json'], env());
    return { code: r.code, report: (JSON.parse(r.out.join('\n')) as { report: OfficeReport }).report };
  };

  beforeAll(async () => {
    pg = await startPg();
    const a = openTestTill('central-1');
    const b = openTestTill('central-2');
    const c = openTestTill('kowloon-1');
    tills.push(a, b, c);
    // Day 1 (2026-11-26): a sells 4 × 10.00 and refunds 2.50, takes a Z; b sells 2 × 5.00 (no Z); c sells 3 × 1.00, takes a Z.
    a.sell(4, DAY_START, () => 1000);
    a.refund('central-1-1', 250, DAY_START + 600_000);
    a.takeZ(DAY_START + 3_600_000);
    b.sell(2, DAY_START, () => 500);
    c.sell(3, DAY_START, () => 100);
    c.takeZ(DAY_START + 3_600_000);
    // Day 2: a sells 1 × 7.00 after its Z.
    a.sell(1, DAY_START + 86_400_000, () => 700);
    for (const [t, store] of [[a, 'Central'], [b, 'Central'], [c, 'Kowloon']] as const) {
      const sync = await till(['sync', '--data-dir', dirname(t.path), '--store', store], env());
      expect(sync.code, sync.err.join('\n')).toBe(0);
    }
  }, 90_000);

  afterAll(async () => {
    for (const t of tills) t.close();
    await pg?.destroy();
  });

  it('X for a business day: per store, till and tender, net of refunds', async () => {
    const { code, report: x } = await report('x', '--day', '2026-11-26');
    expect(code).toBe(0);
    expect(x.currencies).toEqual([{ currency: 'HKD', paidCount: 9, grossMinor: 5300, refundCount: 1, refundMinor: 250, netMinor: 5050 }]);
    expect(x.stores.map((s) => [s.store, net(s.currencies)])).toEqual([
      ['Central', 4750],
      ['Kowloon', 300],
    ]);
    expect(x.tills.map((t) => [t.udid, paid(t.currencies), net(t.currencies)])).toEqual([
      ['central-1', 4, 3750],
      ['central-2', 2, 1000],
      ['kowloon-1', 3, 300],
    ]);
    expect(x.tenders).toEqual([{ payType: '800201', currency: 'HKD', paidCount: 9, grossMinor: 5300, refundCount: 1, refundMinor: 250 }]);
    expect(x.zReports.map((z) => [z.udid, z.zNumber, z.intact, z.agrees])).toEqual([
      ['central-1', 1, true, true],
      ['kowloon-1', 1, true, true],
    ]);
  });

  it('X since each till\'s last Z, filtered by store or till', async () => {
    const { report: x } = await report('x');
    expect(x.tills.map((t) => [t.udid, net(t.currencies)])).toEqual([
      ['central-1', 700],
      ['central-2', 1000],
      ['kowloon-1', 0],
    ]);
    expect((await report('x', '--store', 'Kowloon', '--day', '2026-11-26')).report.tills.map((t) => t.udid)).toEqual(['kowloon-1']);
    expect((await report('x', '--till', 'central-2')).report.currencies[0]!.netMinor).toBe(1000);
  });

  it("Z for a day sums the tills' own Zs; a Z changed at head office is flagged and exits 1", async () => {
    const { code, report: z } = await report('z', '--day', '2026-11-26');
    expect(code).toBe(0);
    expect(z.currencies[0]).toMatchObject({ paidCount: 7, netMinor: 4050 });
    expect(z.tills.map((t) => [t.udid, net(t.currencies)])).toEqual([
      ['central-1', 3750],
      ['kowloon-1', 300],
    ]);
    const owner = await connectOffice(pg.url);
    try {
      await owner.query(`UPDATE office.z_reports SET content = replace(content, '"paidCount":3', '"paidCount":30') WHERE udid = 'kowloon-1'`);
    } finally {
      await owner.end();
    }
    const tampered = await report('z', '--day', '2026-11-26');
    expect(tampered.code).toBe(1);
    expect(tampered.report.zReports.find((r) => r.udid === 'kowloon-1')).toMatchObject({ intact: false, agrees: false });
    const text = await till(['office', 'report', 'z', '--day', '2026-11-26'], env());
    expect(text.out.join('\n')).toMatch(/kowloon-1 Z 1 .*HASH MISMATCH/);
  });

  it('refuses a bad day before connecting', async () => {
    const bad = await till(['office', 'report', 'x', '--day', '2026-02-30'], { TILL_OFFICE_URL: 'postgres://nobody@127.0.0.1:1/x' });
    expect(bad.code).toBe(2);
    expect(bad.err.join('\n')).toMatch(/--day/);
  });

  it('status: each till up to date, with its last contact', async () => {
    const r = await till(['office', 'status', '--json'], env());
    expect(r.code).toBe(0);
    const { tills: status } = JSON.parse(r.out.join('\n')) as { tills: TillStatus[] };
    expect(status.map((t) => [t.store, t.udid, t.lagEvents, t.zReports])).toEqual([
      ['Central', 'central-1', 0, 1],
      ['Central', 'central-2', 0, 0],
      ['Kowloon', 'kowloon-1', 0, 1],
    ]);
    expect(status.every((t) => t.lastContactMs !== null && t.replicatedSeq === t.journalSeq)).toBe(true);
    tills[1]!.sell(1, DAY_START + 90_000_000);
    // The till has not been in contact since: head office cannot know of the new sale yet, and says when it last heard.
    const after = JSON.parse((await till(['office', 'status', '--json'], env())).out.join('\n')) as { tills: TillStatus[] };
    expect(after.tills[1]!.lastContactMs).toBe(status[1]!.lastContactMs);
  });
});
