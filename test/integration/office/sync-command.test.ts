import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalPostgres } from '../../../electron/office/local-postgres';
import { DAY_START, PG_BIN, openTestTill, startPg, till, type TestTill } from './support';

// `till sync`: 0 when everything is sent, 3 when head office cannot be
// reached (and the next sync resumes), 2 for a bad URL, 4 for a training
// till; the password never appears in what it prints.

describe.skipIf(!PG_BIN)('till sync', () => {
  let pg: LocalPostgres;
  let shop: TestTill;

  beforeAll(async () => {
    pg = await startPg();
    shop = openTestTill('sync-1');
  }, 90_000);

  afterAll(async () => {
    shop?.close();
    await pg?.destroy();
  });

  it('sends everything once, applies the schema on first use, and resumes after head office was down', async () => {
    const dataDir = dirname(shop.path);
    shop.sell(12, DAY_START);
    const first = await till(['sync', '--data-dir', dataDir, '--database-url', pg.url, '--store', 'Central', '--json']);
    expect(first.code).toBe(0);
    const sent = JSON.parse(first.out.join('\n')) as { udid: string; events: number; seq: number };
    expect(sent).toMatchObject({ udid: 'sync-1', events: 36, seq: 36 });

    await pg.stop();
    shop.sell(2, DAY_START + 3_600_000);
    const down = await till(['sync', '--data-dir', dataDir], { TILL_OFFICE_URL: pg.url });
    expect(down.code).toBe(3);
    expect(down.err.join('\n')).toMatch(/could not be reached/);
    expect([...down.out, ...down.err].join('\n')).not.toContain(new URL(pg.url).password);

    await pg.start();
    const again = await till(['sync', '--data-dir', dataDir, '--json'], { TILL_OFFICE_URL: pg.url });
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out.join('\n'))).toMatchObject({ events: 6, seq: 42 });
    const text = await till(['sync', '--data-dir', dataDir], { TILL_OFFICE_URL: pg.url });
    expect(text.out.join('\n')).toContain('sent 0 event(s)');
    expect(text.out.join('\n')).not.toContain(new URL(pg.url).password);
  }, 60_000);

  it('refuses a URL that is not postgres:// (nothing sent) and a till with only a training journal', async () => {
    const bad = await till(['sync', '--data-dir', dirname(shop.path), '--database-url', 'http://example.invalid/x']);
    expect(bad.code).toBe(2);
    const training = openTestTill('train-s', { training: true });
    try {
      const trainingDir = dirname(training.path);
      const { renameSync } = await import('node:fs');
      renameSync(training.path, `${trainingDir}/training-journal.sqlite`);
      const refused = await till(['sync', '--data-dir', trainingDir, '--database-url', pg.url]);
      expect(refused.code).toBe(4);
      expect(refused.err.join('\n')).toMatch(/training is never sent/);
    } finally {
      training.close();
    }
  });
});
