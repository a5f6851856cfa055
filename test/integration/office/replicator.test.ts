import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connectOffice } from '../../../electron/office/connection';
import type { LocalPostgres } from '../../../electron/office/local-postgres';
import { Replicator, type SyncOutcome } from '../../../electron/office/sync';
import { DAY_START, PG_BIN, openTestTill, startPg, type TestTill } from './support';

// The background sender the service starts: it catches up by itself after
// head office was down, backs off meanwhile, and the till's writes never wait
// for it. Waits on its reported outcomes, never on wall-clock sleeps.

describe.skipIf(!PG_BIN)('background sender (real PostgreSQL)', () => {
  let pg: LocalPostgres;
  let shop: TestTill;

  beforeAll(async () => {
    pg = await startPg();
    shop = openTestTill('bg-1');
  }, 90_000);

  afterAll(async () => {
    shop?.close();
    await pg?.destroy();
  });

  it('keeps sending while the till sells, rides out an outage, and stops when asked', async () => {
    let clockMs = 1_000;
    const outcomes: SyncOutcome[] = [];
    const waiters: Array<() => void> = [];
    const next = (pred: (o: SyncOutcome) => boolean) =>
      new Promise<SyncOutcome>((resolve, reject) => {
        const start = outcomes.length;
        const check = () => {
          const found = outcomes.slice(start).find(pred);
          if (found) resolve(found);
          else if (outcomes.length - start > 200) reject(new Error('no such outcome in 200 rounds'));
          else waiters.push(check);
        };
        check();
      });
    const replicator = new Replicator(
      { url: pg.url, journalPath: shop.path, batchSize: 50, connectTimeoutMs: 2_000 },
      {
        idleMs: 20,
        now: () => clockMs,
        minBackoffMs: 20,
        maxBackoffMs: 200,
        onOutcome: (o) => {
          outcomes.push(o);
          for (const w of waiters.splice(0)) w();
        },
      },
    );
    expect(replicator.status()).toEqual({ state: 'starting', lastContactMs: null, lastSentMs: null, lagEvents: null, failure: null });
    replicator.start();
    try {
      shop.sell(40, DAY_START);
      const seqOf = () => (shop.journal.db.prepare('SELECT MAX(id) AS id FROM events').get() as { id: number }).id;
      let target = seqOf();
      await next((o) => o.ok && o.result.caughtUp && o.result.seq === target);
      // The settings screen's status: what the last rounds found, at the injected clock's instants.
      expect(replicator.status()).toMatchObject({ state: 'ok', lastContactMs: 1_000, lagEvents: 0, failure: null });
      expect(replicator.status().lastSentMs).toBe(1_000);
      clockMs = 2_000;

      await pg.stop();
      // The till sells while head office is down: every write commits at once.
      const before = performance.now();
      shop.sell(30, DAY_START + 3_600_000);
      expect(performance.now() - before).toBeLessThan(5_000);
      await next((o) => !o.ok && o.reason === 'unreachable');
      // Head office's last answer is kept while it is down; the failure is a code, not the server's message.
      expect(replicator.status()).toMatchObject({ state: 'failing', lastContactMs: expect.any(Number), failure: 'unreachable' });
      expect(replicator.status().lastContactMs).toBeLessThanOrEqual(2_000);
      await pg.start();
      target = seqOf();
      await next((o) => o.ok && o.result.caughtUp && o.result.seq === target);

      const owner = await connectOffice(pg.url);
      try {
        const held = await owner.query<{ n: string; max: string }>(`SELECT count(*) AS n, max(seq) AS max FROM office.events WHERE udid = 'bg-1'`);
        expect(Number(held.rows[0]!.n)).toBe(target);
        expect(Number(held.rows[0]!.max)).toBe(target);
      } finally {
        await owner.end();
      }
    } finally {
      await replicator.stop();
    }
    const count = outcomes.length;
    shop.sell(1, DAY_START + 7_200_000);
    // Stopped means stopped: no round runs after stop() returned.
    await new Promise((resolve) => setImmediate(resolve));
    expect(outcomes.length).toBe(count);
  }, 90_000);
});
