import { chmodSync, existsSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { OfficeReport } from '../../../electron/office/report';
import { DAY_START, HK, PG_BIN, openTestTill, till } from './support';

// No database URL: head office runs on this machine, a PostgreSQL cluster
// kept in <data-dir>/office-postgres, started for each command and stopped
// after it — so trying head office needs no server and no setup step.

describe.skipIf(!PG_BIN)('head office on this machine (no database URL)', () => {
  const shop = openTestTill('local-1');
  const dataDir = dirname(shop.path);
  // Under root, PostgreSQL runs as the postgres user, which must be able to reach the data folder.
  chmodSync(dataDir, 0o755);

  afterAll(() => {
    shop.close();
    rmSync(join(dataDir, 'office-postgres'), { recursive: true, force: true });
  });

  it('till sync then till office report, with nothing configured', async () => {
    shop.sell(5, DAY_START, () => 1200);
    const sync = await till(['sync', '--data-dir', dataDir], {});
    expect(sync.code, sync.err.join('\n')).toBe(0);
    expect(sync.err.join('\n')).toContain('head office on this machine');
    // Stopped after the command: nothing left running.
    expect(existsSync(join(dataDir, 'office-postgres', 'data', 'postmaster.pid'))).toBe(false);
    const report = await till(['office', 'report', 'x', '--data-dir', dataDir, '--day', '2026-11-26', '--json'], { TILL_TIME_ZONE: HK });
    expect(report.code, report.err.join('\n')).toBe(0);
    const x = (JSON.parse(report.out.join('\n')) as { report: OfficeReport }).report;
    expect(x.currencies).toEqual([{ currency: 'HKD', paidCount: 5, grossMinor: 6000, refundCount: 0, refundMinor: 0, netMinor: 6000 }]);
  }, 120_000);
});
