import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'pg';
import { connectOffice } from '../../../electron/office/connection';
import type { LocalPostgres } from '../../../electron/office/local-postgres';
import { sendPending, type SendOptions } from '../../../electron/office/sender';
import { SourceError } from '../../../electron/office/source';
import type { OfficeReport } from '../../../electron/office/report';
import { DAY_START, HK, PG_BIN, openTestTill, ownerClient, startPg, till, type TestTill } from './support';

// Issue 15, acceptance: three tills selling while their senders meet
// PostgreSQL stopped mid-batch, a connection dropped after COMMIT and a
// sender killed before COMMIT end with PostgreSQL holding exactly each
// journal's events (none lost, none twice) and each till's Zs.

describe.skipIf(!PG_BIN)('replication to head office (real PostgreSQL)', () => {
  let pg: LocalPostgres;
  let owner: Client;
  const tills: TestTill[] = [];
  /** What each failed attempt met (printed when an assertion fails). */
  const errors: string[] = [];

  beforeAll(async () => {
    pg = await startPg();
    owner = await ownerClient(pg);
  }, 90_000);

  afterAll(async () => {
    await owner?.end().catch(() => undefined);
    for (const till of tills) till.close();
    await pg?.destroy();
  });

  /** One sync attempt as a fresh sender process would make it: its own connection and journal handle. */
  async function attempt(till: TestTill, options: SendOptions): Promise<'ok' | 'error'> {
    let client: Client | undefined;
    const source = till.source();
    try {
      client = await connectOffice(pg.url, { connectTimeoutMs: 3_000 });
      const result = await sendPending(client, source, { batchSize: 7, ...options });
      return result.caughtUp ? 'ok' : 'error';
    } catch (error) {
      errors.push(error instanceof Error ? error.message : String(error));
      return 'error';
    } finally {
      await client?.end().catch(() => undefined);
      source.close();
    }
  }

  async function journalEvents(till: TestTill): Promise<Array<{ seq: number; data: string }>> {
    return till.journal.db.prepare('SELECT id AS seq, data FROM events ORDER BY id').all() as Array<{ seq: number; data: string }>;
  }

  it('ends with exactly each journal\'s events and Zs after every fault', async () => {
    for (const udid of ['shop1-a', 'shop1-b', 'shop2-a']) tills.push(openTestTill(udid));
    const [a, b, c] = tills as [TestTill, TestTill, TestTill];
    let at = DAY_START;
    const zNets = new Map<string, number>();
    const zOf = (till: TestTill, when: number) => {
      const z = till.takeZ(when);
      zNets.set(`${till.udid}#${z.zNumber}`, z.netMinor);
    };

    // Round 1: everyone sells; a clean sync.
    for (const till of tills) till.sell(20, at);
    for (const till of tills) expect(await attempt(till, {}), errors.join('; ')).toBe('ok');

    // Fault 1: PostgreSQL stops (crash) in the middle of a's batch, before COMMIT; tills keep selling meanwhile.
    at = a.sell(15, at + 3_600_000);
    let stopped = false;
    expect(
      await attempt(a, {
        hooks: {
          beforeCommit: async () => {
            if (stopped) return;
            stopped = true;
            await pg.stop('immediate');
          },
        },
      }),
    ).toBe('error');
    b.sell(5, at);
    expect(await attempt(b, {})).toBe('error'); // head office down: nothing happens to the till
    await pg.start();

    // Fault 2: the connection drops right after COMMIT (the answer is lost): the retry must not duplicate.
    b.refund('shop1-b-3', 500, at + 10_000);
    let dropped = 0;
    const drop = async (client: Client) => {
      dropped += 1;
      await client.end();
      throw new Error('connection dropped after commit');
    };
    // Twice in a row, and b sells in between: each retry starts from what PostgreSQL holds.
    expect(await attempt(b, { hooks: { afterCommit: (client) => drop(client as Client) } })).toBe('error');
    b.sell(3, at + 20_000);
    expect(await attempt(b, { hooks: { afterCommit: (client) => drop(client as Client) } })).toBe('error');

    // Fault 3: c's sender dies mid-send (its connection cut before COMMIT), twice, while c takes a Z.
    c.sell(30, at);
    zOf(c, at + 7_200_000);
    let killed = 0;
    const kill = async (client: Client) => {
      killed += 1;
      if (killed <= 2) {
        // As a SIGKILL: the socket closes without COMMIT or ROLLBACK.
        (client as unknown as { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
        throw new Error('killed');
      }
    };
    expect(await attempt(c, { hooks: { beforeCommit: (client) => kill(client as Client) } })).toBe('error');
    expect(await attempt(c, { hooks: { beforeCommit: (client) => kill(client as Client) } })).toBe('error');

    // Everyone takes a Z and syncs cleanly at the end (bounded: each catches up within a few attempts).
    zOf(a, at + 7_200_000);
    zOf(b, at + 7_200_000);
    for (const till of tills) {
      let outcome: 'ok' | 'error' = 'error';
      for (let i = 0; i < 5 && outcome !== 'ok'; i += 1) outcome = await attempt(till, {});
      expect(outcome).toBe('ok');
    }

    // The owner's connection did not survive the restart: a fresh one, as a report would open.
    await owner.end().catch(() => undefined);
    owner = await connectOffice(pg.url);
    for (const till of tills) {
      const local = await journalEvents(till);
      const remote = await owner.query<{ seq: string; data: unknown }>('SELECT seq, data FROM office.events WHERE udid = $1 ORDER BY seq', [till.udid]);
      expect(remote.rows.map((r) => Number(r.seq))).toEqual(local.map((e) => e.seq));
      expect(remote.rows.map((r) => r.data)).toEqual(local.map((e) => JSON.parse(e.data) as unknown));
      const sales = await owner.query<{ n: string; paid: string }>(
        `SELECT count(*) AS n, COALESCE(sum(amount_minor) FILTER (WHERE state = 'paid'), 0) AS paid FROM office.sales WHERE udid = $1`,
        [till.udid],
      );
      const localSales = till.journal.db.prepare(`SELECT count(*) AS n, COALESCE(SUM(amount_minor) FILTER (WHERE state = 'paid'), 0) AS paid FROM sales`).get() as { n: number; paid: number };
      expect({ n: Number(sales.rows[0]!.n), paid: Number(sales.rows[0]!.paid) }).toEqual(localSales);
    }
    // The refund's sale carries its refunded total at head office too.
    const refunded = await owner.query<{ refunded_minor: string }>(`SELECT refunded_minor FROM office.sales WHERE udid = 'shop1-b' AND out_trade_no = 'shop1-b-3'`);
    expect(Number(refunded.rows[0]!.refunded_minor)).toBe(500);

    // Each till's Zs arrived once, intact: the hash PostgreSQL computes equals the till's.
    const zs = await owner.query<{ udid: string; z_number: number; content: string; intact: boolean }>(
      `SELECT udid, z_number, content, encode(sha256(convert_to(content, 'UTF8')), 'hex') = sha256 AS intact FROM office.z_reports ORDER BY udid, z_number`,
    );
    expect(zs.rows.map((z) => `${z.udid}#${z.z_number}`).sort()).toEqual([...zNets.keys()].sort());
    for (const z of zs.rows) {
      expect(z.intact).toBe(true);
      const content = JSON.parse(z.content) as { currencies: Array<{ netMinor: number }> };
      expect(content.currencies.reduce((s, x) => s + x.netMinor, 0)).toBe(zNets.get(`${z.udid}#${z.z_number}`));
    }
    // The consolidated Z for the day is the sum of the tills' own Zs to the cent, each matching its replicated sales.
    const z = await till(['office', 'report', 'z', '--day', '2026-11-26', '--time-zone', HK, '--json'], { TILL_OFFICE_URL: pg.url });
    expect(z.code, z.err.join('\n')).toBe(0);
    const report = (JSON.parse(z.out.join('\n')) as { report: OfficeReport }).report;
    expect(report.zReports).toHaveLength(zNets.size);
    expect(report.zReports.every((r) => r.intact && r.agrees)).toBe(true);
    expect(report.currencies.reduce((sum, c) => sum + c.netMinor, 0)).toBe([...zNets.values()].reduce((a, n) => a + n, 0));
    expect(report.tills.map((t) => t.udid).sort()).toEqual(['shop1-a', 'shop1-b', 'shop2-a']);
    expect(stopped).toBe(true);
    expect(dropped).toBe(2);
    expect(killed).toBe(2);
  }, 120_000);

  it('never sends a training journal', () => {
    const training = openTestTill('train-1', { training: true });
    tills.push(training);
    training.sell(1, DAY_START);
    expect(() => training.source()).toThrow(SourceError);
  });
});
