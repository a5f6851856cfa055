import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'pg';
import type { QueryRecord } from '../../../electron/qfpay/responses';
import { formatTxdtm } from '../../../electron/qfpay/time';
import type { LocalPostgres } from '../../../electron/office/local-postgres';
import { reconcileMerchant } from '../../../electron/office/reconcile';
import type { QueryPort } from '../../../electron/reports/qfpay-records';
import { DAY_START, HK, PG_BIN, openTestTill, ownerClient, startPg, till, type TestTill } from './support';

// One reconciliation per merchant: QFPay's records fetched once and matched
// against every till's journal at head office. A record another till
// journaled is that till's match, not "only at QFPay"; only what no till
// journaled is.

function record(over: Partial<QueryRecord> & Pick<QueryRecord, 'syssn' | 'out_trade_no'>): QueryRecord {
  return { order_type: 'payment', respcd: '0000', treatment: 'success', cancel: 0, txcurrcd: 'HKD', sysdtm: formatTxdtm(DAY_START + 5_000, HK), ...over } as QueryRecord;
}

describe.skipIf(!PG_BIN)('merchant reconciliation (real PostgreSQL)', () => {
  let pg: LocalPostgres;
  let owner: Client;
  const tills: TestTill[] = [];

  beforeAll(async () => {
    pg = await startPg();
    owner = await ownerClient(pg);
    const a = openTestTill('rec-a');
    const b = openTestTill('rec-b');
    tills.push(a, b);
    a.sell(3, DAY_START, () => 1000);
    b.sell(2, DAY_START, () => 2000);
    for (const t of tills) expect((await till(['sync', '--data-dir', dirname(t.path), '--database-url', pg.url])).code).toBe(0);
  }, 90_000);

  afterAll(async () => {
    await owner?.end().catch(() => undefined);
    for (const t of tills) t.close();
    await pg?.destroy();
  });

  it('gives each record to the till that journaled it, and calls only what no till journaled "only at QFPay"', async () => {
    const records = [
      record({ syssn: 'Srec-a1', out_trade_no: 'rec-a-1', txamt: 1000, udid: 'rec-a' }),
      record({ syssn: 'Srec-a2', out_trade_no: 'rec-a-2', txamt: 1000, udid: 'rec-a' }),
      // b's sale, stamped with a's udid (a device swap): still b's match.
      record({ syssn: 'Srec-b1', out_trade_no: 'rec-b-1', txamt: 2000, udid: 'rec-a' }),
      record({ syssn: 'Srec-b2', out_trade_no: 'rec-b-2', txamt: 2500, udid: 'rec-b' }),
      record({ syssn: 'X1', out_trade_no: 'lost-1', txamt: 300, udid: 'rec-a' }),
      record({ syssn: 'X2', out_trade_no: 'portal-1', txamt: 400, udid: 'portal' }),
    ];
    const calls: unknown[] = [];
    const port: QueryPort = {
      query: async (params) => {
        calls.push(params);
        return { kind: 'answered', answer: { respcd: '0000', records, page_size: 100 } } as unknown as Awaited<ReturnType<QueryPort['query']>>;
      },
    };
    let taken = 0;
    const result = await reconcileMerchant(owner, port, async () => void (taken += 1), { fromMs: DAY_START - 3_600_000, toMs: DAY_START + 86_400_000, timeZone: HK });
    expect(calls).toHaveLength(1);
    expect(taken).toBe(1);
    expect(result.complete).toBe(true);
    const ids = (list: typeof result.matched) => list.map((i) => `${i.udid}:${i.out_trade_no}`).sort();
    expect(ids(result.matched)).toEqual(['rec-a:rec-a-1', 'rec-a:rec-a-2', 'rec-b:rec-b-1']);
    expect(ids(result.amountDiffers)).toEqual(['rec-b:rec-b-2']);
    expect(ids(result.onlyInJournal)).toEqual(['rec-a:rec-a-3']);
    expect(ids(result.onlyAtQfpay)).toEqual(['portal:portal-1', 'rec-a:lost-1']);
    expect(result.onlyAtQfpay.find((i) => i.udid === 'portal')!.reason).toMatch(/no till's journal/);
    expect(result.stateDiffers).toEqual([]);
    expect(result.totals).toEqual([{ currency: 'HKD', paidCount: 6, grossMinor: 1000 + 1000 + 2000 + 2500 + 300 + 400, refundCount: 0, refundMinor: 0 }]);
    expect(result.tills).toEqual(['rec-a', 'rec-b']);
  });

  it('till office reconcile refuses without QFPay credentials or with a bad day, before connecting', async () => {
    const none = await till(['office', 'reconcile', '--day', '2026-11-26'], { TILL_OFFICE_URL: pg.url });
    expect(none.code).toBe(2);
    expect(none.err.join('\n')).toMatch(/credentials/);
    const bad = await till(['office', 'reconcile', '--day', 'yesterday'], { TILL_OFFICE_URL: pg.url });
    expect(bad.code).toBe(2);
  });
});
