import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sign } from '../../electron/qfpay/sign';
import { APP_CODE, CLIENT_KEY, answered, findRecord, mustFind, orderId, startHarness, type Harness } from './support/harness';

// A WeChat Pay MPM order's life against the simulator over real HTTP:
// created, scanned and paid, expired, closed, reversed.

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

describe('payment 800201', () => {
  it('is answered 0000 with a WeChat QR text, a 26-digit syssn and the system time', async () => {
    const id = orderId();
    const outcome = await h.client().payment({ txamt: 1230, txcurrcd: 'HKD', out_trade_no: id, goods_name: 'Milktea' });
    expect(outcome.kind).toBe('answered');
    const answer = answered(outcome);
    expect(answer.respcd).toBe('0000');
    expect(answer.treatment).toBe('success');
    expect(answer.qrcode).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=[A-Za-z0-9]+$/);
    expect(answer.syssn).toMatch(/^\d{26}$/);
    expect(answer.syssn!.startsWith('20261126')).toBe(true);
    expect(answer.sysdtm).toBe('2026-11-26 12:00:00');
    expect(answer.txdtm).toBe('2026-11-26 12:00:00');
    expect(answer.out_trade_no).toBe(id);
    expect(answer.txamt).toBe(1230);
    expect(answer.pay_type).toBe('800201');
    expect(answer.udid).toBe('till-01');
  });

  it('is unpaid (1143) by out_trade_no and by syssn until the customer pays', async () => {
    const client = h.client();
    const id = orderId();
    const created = answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id }));

    const byId = await mustFind(client, { out_trade_no: id });
    const bySyssn = await mustFind(client, { syssn: created.syssn! });
    for (const record of [byId, bySyssn]) {
      expect(record.syssn).toBe(created.syssn);
      expect(record.out_trade_no).toBe(id);
      expect(record.respcd).toBe('1143');
      expect(record.treatment).toBe('in_progress');
      expect(record.order_type).toBe('payment');
      expect(record.cancel).toBe(0);
      expect(record.paydtm).toBeUndefined();
    }
  });

  it('is paid (0000, with paydtm and chnlsn) once the customer pays through /__sim/pay', async () => {
    const client = h.client();
    const id = orderId();
    answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id }));
    h.advance(42_000);
    await h.customerPays(id);

    const record = await mustFind(client, { out_trade_no: id });
    expect(record.respcd).toBe('0000');
    expect(record.treatment).toBe('success');
    expect(record.paydtm).toBe('2026-11-26 12:00:42');
    expect(record.chnlsn).toMatch(/^\d{28}$/);
    expect(record.txamt).toBe(500);
  });

  it('a second /__sim/pay of a paid order is refused with 409', async () => {
    const id = orderId();
    answered(await h.client().payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id }));
    await h.customerPays(id);
    const again = await h.control('POST', '/__sim/pay', { out_trade_no: id });
    expect(again.status).toBe(409);
  });

  it('expires (1181) once the clock passes the default 30 minutes', async () => {
    const client = h.client();
    const id = orderId();
    answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id }));

    h.advance(30 * 60_000 - 1);
    expect((await mustFind(client, { out_trade_no: id })).respcd).toBe('1143');
    h.advance(1);
    const record = await mustFind(client, { out_trade_no: id });
    expect(record.respcd).toBe('1181');
    expect(record.treatment).toBe('expired');
  });

  it('expires (1181) after expired_time 5 minutes, and the customer can no longer pay', async () => {
    const client = h.client();
    const id = orderId();
    answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id, expired_time: 5 }));

    h.advance(5 * 60_000 - 1_000);
    expect((await mustFind(client, { out_trade_no: id })).respcd).toBe('1143');
    h.advance(1_000);
    expect((await mustFind(client, { out_trade_no: id })).respcd).toBe('1181');
    const late = await h.control('POST', '/__sim/pay', { out_trade_no: id });
    expect(late.status).toBe(409);
  });

  it('a duplicate out_trade_no is answered 1102 and counted as a second payment request', async () => {
    const client = h.client();
    const id = orderId();
    const first = answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id }));
    const second = answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id }));
    expect(second.respcd).toBe('1102');
    expect(second.treatment).toBe('unknown');
    expect(second.syssn).toBeUndefined();

    const orders = await h.orders();
    expect(orders.filter((o) => o.out_trade_no === id)).toHaveLength(1);
    const order = orders.find((o) => o.out_trade_no === id)!;
    expect(order.syssn).toBe(first.syssn);
    expect(order.paymentRequests).toBe(2);
  });
});

describe('close and reversal', () => {
  it('closing an unpaid order answers 0000; the query then shows 1264 closed with cancel 2', async () => {
    const client = h.client();
    const id = orderId();
    const created = answered(await client.payment({ txamt: 800, txcurrcd: 'HKD', out_trade_no: id }));

    const closed = answered(await client.close({ out_trade_no: id, txamt: 800 }));
    expect(closed.respcd).toBe('0000');
    expect(closed.orig_syssn).toBe(created.syssn);
    expect(closed.syssn).toMatch(/^\d{26}$/);
    expect(closed.syssn).not.toBe(created.syssn);

    const record = await mustFind(client, { out_trade_no: id });
    expect(record.respcd).toBe('1264');
    expect(record.treatment).toBe('closed');
    expect(record.cancel).toBe(2);
  });

  it('closing a closed order again answers 1142', async () => {
    const client = h.client();
    const id = orderId();
    const created = answered(await client.payment({ txamt: 800, txcurrcd: 'HKD', out_trade_no: id }));
    expect(answered(await client.close({ syssn: created.syssn!, txamt: 800 })).respcd).toBe('0000');
    const again = answered(await client.close({ syssn: created.syssn!, txamt: 800 }));
    expect(again.respcd).toBe('1142');
    expect(again.treatment).toBe('closed');
    expect((await h.order(id))?.closeRequests).toBe(2);
  });

  it('closing after the customer paid answers 1260 (paid: confirm) and the order stays paid', async () => {
    const client = h.client();
    const id = orderId();
    answered(await client.payment({ txamt: 800, txcurrcd: 'HKD', out_trade_no: id }));
    await h.customerPays(id);

    const closed = answered(await client.close({ out_trade_no: id, txamt: 800 }));
    expect(closed.respcd).toBe('1260');
    expect(closed.treatment).toBe('paid_confirm');
    const record = await mustFind(client, { out_trade_no: id });
    expect(record.respcd).toBe('0000');
    expect(record.cancel).toBe(0);
  });

  it('closing with another txamt closes the order all the same (QFPay does not check it)', async () => {
    const client = h.client();
    const id = orderId();
    answered(await client.payment({ txamt: 800, txcurrcd: 'HKD', out_trade_no: id }));
    const closed = answered(await client.close({ out_trade_no: id, txamt: 801 }));
    expect(closed.respcd).toBe('0000');
    expect((await mustFind(client, { out_trade_no: id })).respcd).toBe('1264');
  });

  it('closing an order QFPay never created answers 1136', async () => {
    const closed = answered(await h.client().close({ out_trade_no: orderId('NEVER'), txamt: 800 }));
    expect(closed.respcd).toBe('1136');
    expect(closed.treatment).toBe('failed');
  });

  it('closing with a syssn and an out_trade_no of two different orders answers 1267 and closes neither', async () => {
    const client = h.client();
    const a = orderId();
    const b = orderId();
    const first = answered(await client.payment({ txamt: 800, txcurrcd: 'HKD', out_trade_no: a }));
    answered(await client.payment({ txamt: 800, txcurrcd: 'HKD', out_trade_no: b }));
    expect(answered(await client.close({ syssn: first.syssn!, out_trade_no: b, txamt: 800 })).respcd).toBe('1267');
    expect((await mustFind(client, { out_trade_no: a })).respcd).toBe('1143');
    expect((await mustFind(client, { out_trade_no: b })).respcd).toBe('1143');
  });

  it('closing an expired order answers 1181', async () => {
    const client = h.client();
    const id = orderId();
    answered(await client.payment({ txamt: 800, txcurrcd: 'HKD', out_trade_no: id }));
    h.advance(31 * 60_000);
    expect(answered(await client.close({ out_trade_no: id, txamt: 800 })).respcd).toBe('1181');
  });

  it('reversal behaves like close: 0000, then 1142, 1260 when paid, 1136 when unknown', async () => {
    const client = h.client();
    const open = orderId();
    answered(await client.payment({ txamt: 900, txcurrcd: 'HKD', out_trade_no: open }));
    expect(answered(await client.reversal({ out_trade_no: open, txamt: 900 })).respcd).toBe('0000');
    const record = await mustFind(client, { out_trade_no: open });
    expect([record.respcd, record.cancel]).toEqual(['1264', 2]);
    expect(answered(await client.reversal({ out_trade_no: open, txamt: 900 })).respcd).toBe('1142');

    const paid = orderId();
    answered(await client.payment({ txamt: 900, txcurrcd: 'HKD', out_trade_no: paid }));
    await h.customerPays(paid);
    const reversed = answered(await client.reversal({ out_trade_no: paid, txamt: 900 }));
    expect([reversed.respcd, reversed.treatment]).toEqual(['1260', 'paid_confirm']);

    expect(answered(await client.reversal({ out_trade_no: orderId('NEVER'), txamt: 900 })).respcd).toBe('1136');
  });

  it('GET /trade/v1/close with the fields in the query string closes the order', async () => {
    const client = h.client();
    const id = orderId();
    answered(await client.payment({ txamt: 800, txcurrcd: 'HKD', out_trade_no: id }));

    const params = { out_trade_no: id, txamt: '800', txdtm: '2026-11-26 12:00:05' };
    const response = await fetch(`${h.baseUrl}/trade/v1/close?${new URLSearchParams(params).toString()}`, {
      method: 'GET',
      headers: { 'X-QF-APPCODE': APP_CODE, 'X-QF-SIGN': sign(params, CLIENT_KEY) },
    });
    expect(response.status).toBe(200);
    const body = (await response.json()) as Record<string, unknown>;
    expect(body.respcd).toBe('0000');
    expect((await mustFind(client, { out_trade_no: id })).respcd).toBe('1264');
  });

  it('GET is refused on /trade/v1/payment (only close and reversal are documented as GET)', async () => {
    const params = { out_trade_no: orderId(), txamt: '800', txcurrcd: 'HKD', pay_type: '800201', txdtm: '2026-11-26 12:00:05' };
    const response = await fetch(`${h.baseUrl}/trade/v1/payment?${new URLSearchParams(params).toString()}`, {
      method: 'GET',
      headers: { 'X-QF-APPCODE': APP_CODE, 'X-QF-SIGN': sign(params, CLIENT_KEY) },
    });
    expect(response.status).toBe(405);
    expect(await findRecord(h.client(), { out_trade_no: params.out_trade_no })).toBeUndefined();
  });
});
