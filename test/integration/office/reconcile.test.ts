import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Client } from 'pg';
import type { QueryRecord } from '../../../electron/qfpay/responses';
import { formatTxdtm } from '../../../electron/qfpay/time';
import type { LocalPostgres } from '../../../electron/office/local-postgres';
import { NOT_YET_SETTLED } from '../../../electron/journal/journal';
import { reconcileMerchant } from '../../../electron/office/reconcile';
import { officeX } from '../../../electron/office/report';
import type { QueryPort } from '../../../electron/reports/qfpay-records';
import { DAY_START, HK, PG_BIN, openTestTill, ownerClient, startPg, till, type TestTill } from './support';

// One reconciliation per merchant: QFPay's records fetched once and matched
// against every till's journal at head office. A record another till
// journaled is that till's match, not "only at QFPay"; only what no till
// journaled is.

function record(over: Partial<QueryRecord> & Pick<QueryRecord, 'syssn' | 'out_trade_no'>): QueryRecord {
  return { order_type: 'payment', respcd: '0000', treatment: 'success', cancel: 0, txcurrcd: 'HKD', sysdtm: formatTxdtm(DAY_START + 5_000, HK), ...over } as QueryRecord;
}

/** A sale written straight in its final state (as a scanned code's reversal or a cash sale leaves it). */
function finalSale(t: TestTill, outTradeNo: string, payType: string, state: 'paid' | 'cancelled', amountMinor: number, at: number, syssn: string | null): void {
  t.journal.insertFinalSale(
    {
      ...NOT_YET_SETTLED,
      outTradeNo, udid: t.udid, training: false, amountMinor, currency: 'HKD', payType, goodsName: null, state, txdtm: '2026-11-26 10:00:00', expiredMinutes: 5,
      createdAtMs: at, expiresAtMs: at + 300_000, updatedAtMs: at, finalAtMs: at, syssn,
      ...(state === 'paid' ? { paidAtMs: at } : { cancelReason: 'expiry' as const, cancelRequestedAtMs: at }),
      ...(payType === 'cash' ? { tenderedMinor: amountMinor, changeMinor: 0 } : {}),
    },
    {},
  );
}

const portOf = (records: QueryRecord[]): QueryPort => ({
  query: async () => ({ kind: 'answered', answer: { respcd: '0000', records, page_size: 100 } }) as unknown as Awaited<ReturnType<QueryPort['query']>>,
});

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

  it('matches every pay type by the till\'s rules: reversed on both sides is "reversed", cash is never a difference; tenders in the report', async () => {
    const c = openTestTill('rec-c');
    tills.push(c);
    c.sell(1, DAY_START, () => 1500);
    c.refund('rec-c-1', 300, DAY_START + 30_000);
    finalSale(c, 'rec-c-cpm', '800208', 'cancelled', 880, DAY_START + 60_000, 'Srec-c-cpm');
    finalSale(c, 'rec-c-ali', '800101', 'cancelled', 990, DAY_START + 120_000, 'Srec-c-ali');
    finalSale(c, 'rec-c-cash', 'cash', 'paid', 2000, DAY_START + 180_000, null);
    expect((await till(['sync', '--data-dir', dirname(c.path), '--database-url', pg.url])).code).toBe(0);
    const records = [
      record({ syssn: 'Srec-c1', out_trade_no: 'rec-c-1', txamt: 1500, udid: 'rec-c', pay_type: '800201' }),
      record({ syssn: 'Rrec-c2', out_trade_no: 'rec-c-r2', order_type: 'refund', origssn: 'Srec-c1', txamt: 300, udid: 'rec-c', pay_type: '800201' }),
      record({ syssn: 'Srec-c-cpm', out_trade_no: 'rec-c-cpm', txamt: 880, udid: 'rec-c', pay_type: '800208', cancel: 1 }),
      // The Alipay order's reversal listed on its own, without a udid; its payment record not listed.
      record({ syssn: 'RV-ALI', out_trade_no: 'rec-c-ali', origssn: 'Srec-c-ali', txamt: 990, udid: '', pay_type: '800101' }),
      // A reversal of an order no till journaled: listed for the merchant, never as money.
      record({ syssn: 'RV-PORTAL', out_trade_no: 'portal-rv', origssn: 'SOMEONE', txamt: 700, udid: 'portal' }),
    ];
    const result = await reconcileMerchant(owner, portOf(records), async () => undefined, { fromMs: DAY_START - 3_600_000, toMs: DAY_START + 86_400_000, timeZone: HK });
    const mine = (list: typeof result.matched) => list.filter((i) => i.udid === 'rec-c').map((i) => [i.out_trade_no, i.reasonCode, i.payType, i.qfpay?.state ?? null]);
    expect(mine(result.matched)).toEqual([
      ['rec-c-1', 'agree', '800201', 'paid'],
      ['rec-c-r2', 'agree', '800201', 'refunded'],
      ['rec-c-cpm', 'reversed', '800208', 'reversed'],
      ['rec-c-ali', 'reversed', '800101', 'reversed'],
    ]);
    for (const list of [result.stateDiffers, result.amountDiffers, result.onlyInJournal]) expect(mine(list)).toEqual([]);
    expect(result.onlyAtQfpay.filter((i) => i.udid !== 'rec-a').map((i) => [i.out_trade_no, i.qfpay!.state])).toEqual([['portal-rv', 'reversed']]);
    expect(JSON.stringify(result)).not.toContain('rec-c-cash');
    expect(result.totals).toEqual([{ currency: 'HKD', paidCount: 1, grossMinor: 1500, refundCount: 1, refundMinor: 300 }]);

    // The consolidated X of that till: each tender with its refunds, cash last.
    const x = await officeX(owner, { udid: 'rec-c', day: '2026-11-26', timeZone: HK, cutoffHour: 4 });
    expect(x.tenders).toEqual([
      { payType: '800201', currency: 'HKD', paidCount: 1, grossMinor: 1500, refundCount: 1, refundMinor: 300 },
      { payType: 'cash', currency: 'HKD', paidCount: 1, grossMinor: 2000, refundCount: 0, refundMinor: 0 },
    ]);
  });

  it('till office reconcile refuses without QFPay credentials or with a bad day, before connecting', async () => {
    const none = await till(['office', 'reconcile', '--day', '2026-11-26'], { TILL_OFFICE_URL: pg.url });
    expect(none.code).toBe(2);
    expect(none.err.join('\n')).toMatch(/credentials/);
    const bad = await till(['office', 'reconcile', '--day', 'yesterday'], { TILL_OFFICE_URL: pg.url });
    expect(bad.code).toBe(2);
  });
});
