import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'pg';
import { connectOffice } from '../../../electron/office/connection';
import type { LocalPostgres } from '../../../electron/office/local-postgres';
import { DAY_START, PG_BIN, openTestTill, startPg, till, type TestTill } from './support';

// Issue 15: each till connects as a role that may only write its own udid's
// rows (row-level security); reports use a read role that writes nothing.

describe.skipIf(!PG_BIN)('head-office roles (real PostgreSQL)', () => {
  let pg: LocalPostgres;
  const tills: TestTill[] = [];
  const clients: Client[] = [];
  let urls: Record<string, string> = {};

  beforeAll(async () => {
    pg = await startPg();
    const init = await till(['office', 'init', '--database-url', pg.url, '--till', 'shop-a', '--till', 'shop-b', '--reader', 'owner_view', '--json']);
    expect(init.code, init.err.join('\n')).toBe(0);
    const roles = (JSON.parse(init.out.join('\n')) as { roles: Array<{ role: string; url: string | null }> }).roles;
    urls = Object.fromEntries(roles.map((r) => [r.role, r.url!]));
  }, 90_000);

  afterAll(async () => {
    for (const c of clients) await c.end().catch(() => undefined);
    for (const t of tills) t.close();
    await pg?.destroy();
  });

  const as = async (role: string) => {
    const client = await connectOffice(urls[role]!);
    clients.push(client);
    return client;
  };

  it('creates a login role per till and reader, and is idempotent', async () => {
    expect(Object.keys(urls).sort()).toEqual(['owner_view', 'till_shop-a', 'till_shop-b']);
    const again = await till(['office', 'init', '--database-url', pg.url, '--till', 'shop-a', '--json']);
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out.join('\n'))).toEqual({ roles: [{ role: 'till_shop-a', created: false, url: null }] });
  });

  it("lets a till sync its own journal through its role, and refuses another till's journal", async () => {
    const a = openTestTill('shop-a');
    const b = openTestTill('shop-b');
    tills.push(a, b);
    a.sell(3, DAY_START);
    b.sell(2, DAY_START);
    expect((await till(['sync', '--data-dir', dirname(a.path), '--database-url', urls['till_shop-a']!])).code).toBe(0);
    const wrong = await till(['sync', '--data-dir', dirname(b.path), '--database-url', urls['till_shop-a']!]);
    expect(wrong.code).toBe(4);
    expect(wrong.err.join('\n')).toMatch(/refused this till/);
    expect(wrong.err.join('\n')).not.toContain(new URL(urls['till_shop-a']!).password);
    expect((await till(['sync', '--data-dir', dirname(b.path), '--database-url', urls['till_shop-b']!])).code).toBe(0);
  });

  it("refuses a till role's insert or update of another till's rows, and hides them", async () => {
    const a = await as('till_shop-a');
    await expect(
      a.query(`INSERT INTO office.events (udid, seq, at_ms, kind, data) VALUES ('shop-b', 999, 0, 'note', '{}')`),
    ).rejects.toThrow(/row-level security/);
    await expect(
      a.query(`INSERT INTO office.sales (udid, out_trade_no, state, amount_minor, currency, pay_type, created_at_ms, updated_at_ms) VALUES ('shop-b', 'x', 'paid', 1, 'HKD', '800201', 0, 0)`),
    ).rejects.toThrow(/row-level security/);
    // Moving its own row to another udid is refused too.
    await expect(a.query(`UPDATE office.sales SET udid = 'shop-b' WHERE udid = 'shop-a'`)).rejects.toThrow(/row-level security/);
    const updated = await a.query(`UPDATE office.sales SET amount_minor = 1 WHERE udid = 'shop-b'`);
    expect(updated.rowCount).toBe(0);
    const seen = await a.query<{ udid: string }>('SELECT DISTINCT udid FROM office.events');
    expect(seen.rows.map((r) => r.udid)).toEqual(['shop-a']);
    await expect(a.query(`DELETE FROM office.events WHERE udid = 'shop-a'`)).rejects.toThrow(/permission denied/);

    const owner = await connectOffice(pg.url);
    clients.push(owner);
    const b = await owner.query<{ n: string; total: string }>(`SELECT count(*) AS n, sum(amount_minor) AS total FROM office.sales WHERE udid = 'shop-b'`);
    expect(Number(b.rows[0]!.n)).toBe(2);
    expect(Number(b.rows[0]!.total)).toBeGreaterThan(2);
  });

  it('lets the read role see every till and write nothing', async () => {
    const reader = await as('owner_view');
    const seen = await reader.query<{ udid: string }>('SELECT DISTINCT udid FROM office.events ORDER BY udid');
    expect(seen.rows.map((r) => r.udid)).toEqual(['shop-a', 'shop-b']);
    await expect(reader.query(`INSERT INTO office.events (udid, seq, at_ms, kind, data) VALUES ('shop-a', 999, 0, 'note', '{}')`)).rejects.toThrow(/permission denied/);
  });
});
