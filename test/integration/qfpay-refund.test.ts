import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QfpayClient } from '../../electron/qfpay/client';
import { answered, findRecord, hk, mustFind, orderId, startHarness, type Harness } from './support/harness';

// Refunds against the simulator: own out_trade_no, bounded by the refundable
// remainder, QFPay's cut-off window and the day's unsettled takings.

let h: Harness;
let client: QfpayClient;
beforeEach(async () => {
  h = await startHarness();
  client = h.client();
});
afterEach(async () => {
  await h.close();
});

/** A paid payment: created, then paid by the customer. Returns its ids. */
async function paidSale(txamt: number): Promise<{ id: string; syssn: string }> {
  const id = orderId('SALE');
  const created = answered(await client.payment({ txamt, txcurrcd: 'HKD', out_trade_no: id }));
  expect(created.respcd).toBe('0000');
  await h.customerPays(id);
  return { id, syssn: created.syssn! };
}

describe('refund', () => {
  it('a full refund answers 0000, marks the original cancel 3 and lists a refund record with origssn', async () => {
    const sale = await paidSale(1000);
    const refundId = orderId('RFD');
    const refund = answered(await client.refund({ syssn: sale.syssn, out_trade_no: refundId, txamt: 1000 }));
    expect(refund.respcd).toBe('0000');
    expect(refund.treatment).toBe('success');
    expect(refund.orig_syssn).toBe(sale.syssn);
    expect(refund.syssn).toMatch(/^\d{26}$/);
    expect(refund.syssn).not.toBe(sale.syssn);
    expect(refund.txamt).toBe(1000);
    expect(refund.cash_refund_fee).toBe('1000');

    const original = await mustFind(client, { syssn: sale.syssn });
    expect(original.respcd).toBe('0000');
    expect(original.cancel).toBe(3);

    const record = await mustFind(client, { out_trade_no: refundId });
    expect(record.order_type).toBe('refund');
    expect(record.origssn).toBe(sale.syssn);
    expect(record.syssn).toBe(refund.syssn);
    expect(record.respcd).toBe('0000');
    expect(record.txamt).toBe(1000);
  });

  it('partial refunds mark the original cancel 5, then 3 once the whole amount is refunded', async () => {
    const sale = await paidSale(1000);
    expect(answered(await client.refund({ syssn: sale.syssn, out_trade_no: orderId('RFD'), txamt: 300 })).respcd).toBe('0000');
    expect((await mustFind(client, { syssn: sale.syssn })).cancel).toBe(5);
    expect(answered(await client.refund({ syssn: sale.syssn, out_trade_no: orderId('RFD'), txamt: 700 })).respcd).toBe('0000');
    expect((await mustFind(client, { syssn: sale.syssn })).cancel).toBe(3);
    expect((await h.order(sale.id))?.refundedMinor).toBe(1000);
  });

  it('a refund larger than the refundable remainder answers 1272 and refunds nothing', async () => {
    const sale = await paidSale(1000);
    expect(answered(await client.refund({ syssn: sale.syssn, out_trade_no: orderId('RFD'), txamt: 300 })).respcd).toBe('0000');
    const tooMuch = orderId('RFD');
    const refused = answered(await client.refund({ syssn: sale.syssn, out_trade_no: tooMuch, txamt: 701 }));
    expect(refused.respcd).toBe('1272');
    expect(refused.treatment).toBe('failed');
    expect(await findRecord(client, { out_trade_no: tooMuch })).toBeUndefined();
    expect((await h.order(sale.id))?.refundedMinor).toBe(300);
  });

  it('a refund after a full refund answers 1125 (already refunded)', async () => {
    const sale = await paidSale(1000);
    expect(answered(await client.refund({ syssn: sale.syssn, out_trade_no: orderId('RFD'), txamt: 1000 })).respcd).toBe('0000');
    const again = answered(await client.refund({ syssn: sale.syssn, out_trade_no: orderId('RFD'), txamt: 1 }));
    expect(again.respcd).toBe('1125');
  });

  it('refunding an unpaid order answers 1261', async () => {
    const id = orderId('SALE');
    const created = answered(await client.payment({ txamt: 1000, txcurrcd: 'HKD', out_trade_no: id }));
    const refused = answered(await client.refund({ syssn: created.syssn!, out_trade_no: orderId('RFD'), txamt: 1000 }));
    expect(refused.respcd).toBe('1261');
    expect(refused.treatment).toBe('not_paid_confirm');
  });

  it('refunding a closed order answers 1263', async () => {
    const id = orderId('SALE');
    const created = answered(await client.payment({ txamt: 1000, txcurrcd: 'HKD', out_trade_no: id }));
    expect(answered(await client.close({ out_trade_no: id, txamt: 1000 })).respcd).toBe('0000');
    const refused = answered(await client.refund({ syssn: created.syssn!, out_trade_no: orderId('RFD'), txamt: 1000 }));
    expect(refused.respcd).toBe('1263');
  });

  it('refunding a syssn QFPay does not know answers 1136', async () => {
    const refused = answered(await client.refund({ syssn: '20261126999999990000000000', out_trade_no: orderId('RFD'), txamt: 100 }));
    expect(refused.respcd).toBe('1136');
  });

  it("reusing the payment's out_trade_no for its refund answers 1102 and counts a request on the payment", async () => {
    const sale = await paidSale(1000);
    expect((await h.order(sale.id))?.paymentRequests).toBe(1);
    const refused = answered(await client.refund({ syssn: sale.syssn, out_trade_no: sale.id, txamt: 100 }));
    expect(refused.respcd).toBe('1102');
    expect(refused.treatment).toBe('unknown');

    const order = await h.order(sale.id);
    expect(order?.order_type).toBe('payment');
    expect(order?.paymentRequests).toBe(2);
    expect(order?.refundedMinor).toBe(0);
    expect((await h.orders()).filter((o) => o.order_type === 'refund')).toHaveLength(0);
  });

  it("a payment reusing a refund's out_trade_no answers 1102 too (one namespace)", async () => {
    const sale = await paidSale(1000);
    const refundId = orderId('RFD');
    expect(answered(await client.refund({ syssn: sale.syssn, out_trade_no: refundId, txamt: 100 })).respcd).toBe('0000');
    expect(answered(await client.payment({ txamt: 100, txcurrcd: 'HKD', out_trade_no: refundId })).respcd).toBe('1102');
    expect((await h.order(refundId))?.refundRequests).toBe(2);
  });

  it('refunds between 23:30 and 00:30 Hong Kong time answer 1265; 23:29 still works', async () => {
    h.clock.t = hk(2026, 11, 26, 23, 0);
    const sale = await paidSale(1000);

    h.clock.t = hk(2026, 11, 26, 23, 29, 59);
    expect(answered(await client.refund({ syssn: sale.syssn, out_trade_no: orderId('RFD'), txamt: 100 })).respcd).toBe('0000');

    h.clock.t = hk(2026, 11, 26, 23, 30);
    const late = answered(await client.refund({ syssn: sale.syssn, out_trade_no: orderId('RFD'), txamt: 100 }));
    expect(late.respcd).toBe('1265');
    expect(late.treatment).toBe('failed');

    h.clock.t = hk(2026, 11, 27, 0, 29, 59);
    expect(answered(await client.refund({ syssn: sale.syssn, out_trade_no: orderId('RFD'), txamt: 100 })).respcd).toBe('1265');
    expect((await h.order(sale.id))?.refundedMinor).toBe(100);
  });

  it("a refund of yesterday's sale with no takings today answers 1269; today's takings cover it", async () => {
    h.clock.t = hk(2026, 11, 25, 15, 0);
    const yesterday = await paidSale(1000);

    h.clock.t = hk(2026, 11, 26, 10, 0);
    const refused = answered(await client.refund({ syssn: yesterday.syssn, out_trade_no: orderId('RFD'), txamt: 500 }));
    expect(refused.respcd).toBe('1269');
    expect(refused.treatment).toBe('failed');

    await paidSale(600);
    expect(answered(await client.refund({ syssn: yesterday.syssn, out_trade_no: orderId('RFD'), txamt: 500 })).respcd).toBe('0000');
    // 600 taken today, 500 refunded: 100 left to cover another refund.
    expect(answered(await client.refund({ syssn: yesterday.syssn, out_trade_no: orderId('RFD'), txamt: 101 })).respcd).toBe('1269');
  });

  it('with refundSettleMs the refund answers 1145, stays 1145 by query, then completes when the time has passed', async () => {
    const sale = await paidSale(1000);
    await h.setFaults({ refundSettleMs: 60_000 });
    const refundId = orderId('RFD');
    const pending = answered(await client.refund({ syssn: sale.syssn, out_trade_no: refundId, txamt: 400 }));
    expect(pending.respcd).toBe('1145');
    expect(pending.treatment).toBe('in_progress');

    h.advance(59_999);
    const still = await mustFind(client, { out_trade_no: refundId });
    expect([still.respcd, still.order_type, still.origssn]).toEqual(['1145', 'refund', sale.syssn]);

    h.advance(1);
    const done = await mustFind(client, { out_trade_no: refundId });
    expect(done.respcd).toBe('0000');
    expect(done.syssn).toBe(pending.syssn);
    expect((await mustFind(client, { syssn: sale.syssn })).cancel).toBe(5);
  });
});
