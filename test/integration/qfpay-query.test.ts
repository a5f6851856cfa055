import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QfpayClient } from '../../electron/qfpay/client';
import { sign } from '../../electron/qfpay/sign';
import { APP_CODE, CLIENT_KEY, answered, findRecord, hk, mustFind, orderId, startHarness, type Harness } from './support/harness';

// /trade/v1/query against the simulator: lists, filters, time ranges, paging.

let h: Harness;
let client: QfpayClient;
beforeEach(async () => {
  h = await startHarness();
  client = h.client();
});
afterEach(async () => {
  await h.close();
});

async function create(txamt = 500, prefix = 'Q'): Promise<{ id: string; syssn: string }> {
  const id = orderId(prefix);
  const created = answered(await client.payment({ txamt, txcurrcd: 'HKD', out_trade_no: id }));
  expect(created.respcd).toBe('0000');
  return { id, syssn: created.syssn! };
}

describe('query', () => {
  it('takes comma-separated lists of out_trade_no and of syssn', async () => {
    const a = await create();
    const b = await create();
    const c = await create();

    const byIds = answered(await client.query({ out_trade_no: [a.id, c.id] }));
    expect(byIds.records.map((r) => r.out_trade_no).sort()).toEqual([a.id, c.id].sort());

    const bySyssns = answered(await client.query({ syssn: [b.syssn, c.syssn] }));
    expect(bySyssns.records.map((r) => r.syssn).sort()).toEqual([b.syssn, c.syssn].sort());

    // A listed order QFPay never created is simply absent.
    const withUnknown = answered(await client.query({ out_trade_no: `${a.id},${orderId('NEVER')}` }));
    expect(withUnknown.records.map((r) => r.out_trade_no)).toEqual([a.id]);
  });

  it('filters by pay_type', async () => {
    const sale = await create(1000);
    await h.customerPays(sale.id);
    const refundId = orderId('RFD');
    expect(answered(await client.refund({ syssn: sale.syssn, out_trade_no: refundId, txamt: 100 })).respcd).toBe('0000');

    const wechat = answered(await client.query({ pay_type: '800201' }));
    expect(wechat.records.map((r) => r.out_trade_no).sort()).toEqual([sale.id, refundId].sort());
    // Neither the WeChat sale nor its refund is an Alipay transaction.
    const alipay = answered(await client.query({ pay_type: '800101' }));
    expect(alipay.records).toEqual([]);
  });

  it('filters by the transaction respcd', async () => {
    const paid = await create();
    const open = await create();
    await h.customerPays(paid.id);

    const onlyPaid = answered(await client.query({ respcd: '0000' }));
    expect(onlyPaid.records.map((r) => r.out_trade_no)).toEqual([paid.id]);
    const onlyOpen = answered(await client.query({ respcd: '1143' }));
    expect(onlyOpen.records.map((r) => r.out_trade_no)).toEqual([open.id]);
  });

  it('filters on sysdtm with start_time/end_time inside one month', async () => {
    h.clock.t = hk(2026, 11, 2, 10);
    const early = await create();
    h.clock.t = hk(2026, 11, 10, 10);
    const middle = await create();
    h.clock.t = hk(2026, 11, 20, 10);
    const late = await create();

    const range = answered(await client.query({ start_time: '2026-11-05 00:00:00', end_time: '2026-11-15 23:59:59' }));
    expect(range.records.map((r) => r.out_trade_no)).toEqual([middle.id]);
    const inclusive = answered(await client.query({ start_time: '2026-11-02 10:00:00', end_time: '2026-11-20 10:00:00' }));
    expect(inclusive.records.map((r) => r.out_trade_no)).toEqual([early.id, middle.id, late.id]);
  });

  it('a range across two months is refused before sending, and by the simulator with 1104', async () => {
    const outcome = await client.query({ start_time: '2026-10-25 00:00:00', end_time: '2026-11-05 00:00:00' });
    expect(outcome.kind).toBe('invalid');
    expect(outcome.kind === 'invalid' && outcome.error.field).toBe('end_time');

    const params = { start_time: '2026-10-25 00:00:00', end_time: '2026-11-05 00:00:00' };
    const response = await fetch(`${h.baseUrl}/trade/v1/query`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-QF-APPCODE': APP_CODE, 'X-QF-SIGN': sign(params, CLIENT_KEY) },
      body: new URLSearchParams(params).toString(),
    });
    expect(((await response.json()) as { respcd: string }).respcd).toBe('1104');
  });

  it("defaults to the current month: last month's order is not found by out_trade_no alone", async () => {
    h.clock.t = hk(2026, 10, 31, 23, 0);
    const october = await create();
    await h.customerPays(october.id);
    h.clock.t = hk(2026, 11, 1, 0, 40);

    expect(await findRecord(client, { out_trade_no: october.id })).toBeUndefined();
    // ... but a syssn finds it whatever the month, and so does an explicit range.
    expect((await mustFind(client, { syssn: october.syssn })).respcd).toBe('0000');
    const ranged = await findRecord(client, { out_trade_no: october.id, start_time: '2026-10-01 00:00:00', end_time: '2026-10-31 23:59:59' });
    expect(ranged?.syssn).toBe(october.syssn);
    expect(ranged?.sysdtm).toBe('2026-10-31 23:00:00');
  });

  it('pages 250 orders with page_size 100 into 3 pages, each order once', async () => {
    const ids = new Set<string>();
    for (let i = 0; i < 250; i++) {
      // One order a second keeps the simulator's 100/s and 400/min limits happy.
      h.advance(1_000);
      ids.add((await create(100 + i, 'PG')).id);
    }
    const seen: string[] = [];
    const sizes: number[] = [];
    for (let page = 1; page <= 4; page++) {
      const answer = answered(await client.query({ page, page_size: 100 }));
      expect(answer.page).toBe(page);
      expect(answer.page_size).toBe(100);
      sizes.push(answer.records.length);
      seen.push(...answer.records.map((r) => r.out_trade_no));
    }
    expect(sizes).toEqual([100, 100, 50, 0]);
    expect(new Set(seen).size).toBe(250);
    expect(new Set(seen)).toEqual(ids);
  });

  it('page_size defaults to 10', async () => {
    for (let i = 0; i < 12; i++) await create();
    const answer = answered(await client.query({}));
    expect(answer.page_size).toBe(10);
    expect(answer.records).toHaveLength(10);
  });

  it('records carry txamt as a number and cancel as a number, though the wire sends strings', async () => {
    const { id } = await create(1234);
    const record = await mustFind(client, { out_trade_no: id });
    expect(record.txamt).toBe(1234);
    expect(typeof record.txamt).toBe('number');
    expect(record.cancel).toBe(0);
    expect(record.txcurrcd).toBe('HKD');
    expect(record.udid).toBe('till-01');
    // Empty strings on the wire are absent fields, not ''.
    expect(record.paydtm).toBeUndefined();
    expect(record.chnlsn).toBeUndefined();
  });
});
