import { chmodSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'pg';
import type { LocalPostgres } from '../../../electron/office/local-postgres';
import type { OfficeReconciliation } from '../../../electron/office/reconcile';
import { QfpayClient } from '../../../electron/qfpay/client';
import { startSimulator, type QfpaySimulator } from '../../../electron/simulator/server';
import { businessDayOf } from '../../../electron/reports/totals';
import { DEFAULT_MARGIN_MS, queryRanges } from '../../../electron/reports/reconcile';
import { dayWindow } from '../../../electron/office/business-day';
import { HK, PG_BIN, openTestTill, ownerClient, startPg, till, type TestTill } from './support';

// Against the QFPay simulator with a merchant's own (non-training)
// credentials: `till office reconcile` fetches the merchant's records once and
// gives each to the till that journaled it; and a till command run with
// TILL_OFFICE_URL set sends the journal in the background.

const APP = { appCode: 'SHOPCHAINAPPCODE0001', clientKey: 'shop-chain-key-0001' };

describe.skipIf(!PG_BIN)('head office with QFPay (simulator, real PostgreSQL)', () => {
  let pg: LocalPostgres;
  let owner: Client;
  let sim: QfpaySimulator;
  const tills: TestTill[] = [];
  const qfpayEnv = () => ({ QFPAY_BASE_URL: sim.baseUrl, QFPAY_APP_CODE: APP.appCode, QFPAY_CLIENT_KEY: APP.clientKey, TILL_TIME_ZONE: HK, TILL_OFFICE_URL: pg.url });

  beforeAll(async () => {
    pg = await startPg();
    owner = await ownerClient(pg);
    sim = await startSimulator({ ...APP, timeZone: HK, ratePerMinute: 1e9, ratePerSecond: 1e9 });
  }, 90_000);

  afterAll(async () => {
    await owner?.end().catch(() => undefined);
    for (const t of tills) t.close();
    await sim?.close();
    await pg?.destroy();
  });

  async function paidAtQfpay(udid: string, outTradeNo: string, amountMinor: number): Promise<string> {
    const client = new QfpayClient({ baseUrl: sim.baseUrl, ...APP, udid, timeZone: HK });
    const created = await client.payment({ txamt: amountMinor, txcurrcd: 'HKD', out_trade_no: outTradeNo });
    if (created.kind !== 'answered' || !created.answer.syssn) throw new Error(JSON.stringify(created));
    const paid = sim.pay({ out_trade_no: outTradeNo });
    if (!paid.ok) throw new Error(paid.error);
    return created.answer.syssn;
  }

  it('reconciles the merchant once: each record to its till, what no till journaled only at QFPay', async () => {
    const now = Date.now();
    for (const udid of ['chain-a', 'chain-b']) {
      const t = openTestTill(udid);
      tills.push(t);
      const ssn1 = await paidAtQfpay(udid, `${udid}-1`, 1500);
      const ssn2 = await paidAtQfpay(udid, `${udid}-2`, 2500);
      t.sell(2, now - 60_000, (i) => (i === 1 ? 1500 : 2500), (i) => (i === 1 ? ssn1 : ssn2));
      expect((await till(['sync', '--data-dir', dirname(t.path)], qfpayEnv())).code).toBe(0);
    }
    await paidAtQfpay('portal', 'portal-1', 700);
    const day = businessDayOf(now, 4, HK);
    const r = await till(['office', 'reconcile', '--day', day, '--json'], qfpayEnv());
    expect(r.code, r.err.join('\n')).toBe(1);
    const result = JSON.parse(r.out.join('\n')) as OfficeReconciliation & { requests: number };
    expect(result.complete).toBe(true);
    // Fetched once for the merchant: one page per calendar month the day (± margin) touches.
    const { fromMs, toMs } = dayWindow(day, { timeZone: HK, cutoffHour: 4 });
    expect(result.requests).toBe(queryRanges(fromMs - DEFAULT_MARGIN_MS, toMs + DEFAULT_MARGIN_MS, HK).length);
    expect(result.matched.map((i) => `${i.udid}:${i.out_trade_no}`).sort()).toEqual(['chain-a:chain-a-1', 'chain-a:chain-a-2', 'chain-b:chain-b-1', 'chain-b:chain-b-2']);
    expect(result.onlyAtQfpay.map((i) => `${i.udid}:${i.out_trade_no}`)).toEqual(['portal:portal-1']);
    expect(result.onlyInJournal).toEqual([]);
    expect(result.totals).toEqual([{ currency: 'HKD', paidCount: 5, grossMinor: 8700, refundCount: 0, refundMinor: 0 }]);
  });

  it('a till command sends the journal in the background when TILL_OFFICE_URL is set', async () => {
    const t = openTestTill('chain-c');
    tills.push(t);
    chmodSync(dirname(t.path), 0o755);
    t.sell(3, Date.now() - 60_000);
    const before = await owner.query(`SELECT 1 FROM office.events WHERE udid = 'chain-c'`);
    expect(before.rowCount).toBe(0);
    // Any till command: the report opens the journal with the merchant's credentials (a real journal, not training).
    const x = await till(['report', 'x', '--data-dir', dirname(t.path), '--udid', 'chain-c'], qfpayEnv());
    expect(x.code, x.err.join('\n')).toBe(0);
    const after = await owner.query<{ n: string }>(`SELECT count(*) AS n FROM office.events WHERE udid = 'chain-c'`);
    const local = (t.journal.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    expect(Number(after.rows[0]!.n)).toBeGreaterThanOrEqual(9);
    expect(Number(after.rows[0]!.n)).toBeLessThanOrEqual(local);
  });
  it('--database-url wins over TILL_OFFICE_URL for the background sender', async () => {
    const t = openTestTill('chain-d');
    tills.push(t);
    chmodSync(dirname(t.path), 0o755);
    t.sell(2, Date.now() - 60_000);
    // The environment names a head office nobody answers at; the flag names the real one.
    const env = { ...qfpayEnv(), TILL_OFFICE_URL: 'postgres://nobody@127.0.0.1:1/x' };
    const x = await till(['report', 'x', '--data-dir', dirname(t.path), '--udid', 'chain-d', '--database-url', pg.url], env);
    expect(x.code, x.err.join('\n')).toBe(0);
    const after = await owner.query<{ n: string }>(`SELECT count(*) AS n FROM office.events WHERE udid = 'chain-d'`);
    expect(Number(after.rows[0]!.n)).toBeGreaterThanOrEqual(6);
  });
});
