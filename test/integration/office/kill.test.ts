import { spawn } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'pg';
import type { LocalPostgres } from '../../../electron/office/local-postgres';
import { DAY_START, PG_BIN, openTestTill, ownerClient, startPg, till, type TestTill } from './support';

// Issue 15, acceptance: a till killed mid-send (SIGKILL of a real `till sync`
// process while its batches are committing) loses nothing and duplicates
// nothing: the next sync resumes from what PostgreSQL holds.

const ROOT = resolve(__dirname, '../../..');

describe.skipIf(!PG_BIN)('till sync killed mid-send (real PostgreSQL)', () => {
  let pg: LocalPostgres;
  let owner: Client;
  let shop: TestTill;

  beforeAll(async () => {
    pg = await startPg();
    owner = await ownerClient(pg);
    shop = openTestTill('kill-1');
    shop.journal.db.transaction(() => shop.sell(4000, DAY_START))();
  }, 90_000);

  afterAll(async () => {
    await owner?.end().catch(() => undefined);
    shop?.close();
    await pg?.destroy();
  });

  const held = async () => Number((await owner.query<{ n: string }>(`SELECT count(*) AS n FROM office.events WHERE udid = 'kill-1'`)).rows[0]!.n);

  it('resumes exactly where the killed process stopped', async () => {
    const total = (shop.journal.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    expect(total).toBe(12_000);
    const child = spawn(resolve(ROOT, 'node_modules/.bin/tsx'), ['electron/cli.ts', 'sync', '--data-dir', dirname(shop.path)], {
      cwd: ROOT,
      env: { ...process.env, TILL_OFFICE_URL: pg.url },
      stdio: 'ignore',
      // Its own process group: tsx runs the CLI in a child process, and both must die.
      detached: true,
    });
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    // Kill it as soon as some batches are in PostgreSQL, before all are (bounded: 60 s of polling).
    let seen = 0;
    for (let i = 0; i < 3000 && seen === 0; i += 1) {
      seen = await held();
      if (seen === 0) await new Promise((r) => setTimeout(r, 20));
    }
    process.kill(-child.pid!, 'SIGKILL');
    await exited;
    const afterKill = await held();
    expect(afterKill).toBeGreaterThan(0);
    expect(afterKill).toBeLessThan(total);

    const resumed = await till(['sync', '--data-dir', dirname(shop.path), '--json'], { TILL_OFFICE_URL: pg.url });
    expect(resumed.code).toBe(0);
    expect((JSON.parse(resumed.out.join('\n')) as { events: number }).events).toBe(total - afterKill);
    const seqs = await owner.query<{ n: string; distinct: string; min: string; max: string }>(
      `SELECT count(*) AS n, count(DISTINCT seq) AS distinct, min(seq) AS min, max(seq) AS max FROM office.events WHERE udid = 'kill-1'`,
    );
    expect(seqs.rows[0]).toEqual({ n: String(total), distinct: String(total), min: '1', max: String(total) });
  }, 120_000);
});
