import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { QfpayClient } from '../../electron/qfpay/client';
import { emptyFaultPlan } from '../../electron/simulator/faults';
import { answered, eventually, findRecord, mustFind, orderId, startHarness, type Harness } from './support/harness';

// Every fault the simulator can inject through POST /__sim/faults, seen through
// the real client: what the till is told, and what QFPay really did.

let h: Harness;
let client: QfpayClient;
beforeEach(async () => {
  h = await startHarness();
  client = h.client();
});
afterEach(async () => {
  await h.close();
});

async function paidSale(txamt = 1000): Promise<{ id: string; syssn: string }> {
  const id = orderId('SALE');
  const created = answered(await client.payment({ txamt, txcurrcd: 'HKD', out_trade_no: id }));
  await h.customerPays(id);
  return { id, syssn: created.syssn! };
}

describe('delayMs', () => {
  it('longer than the client timeout: outcome unknown/timeout, yet the order was created (lost answer after commit)', async () => {
    await h.setFaults({ payment: { delayMs: 400 } });
    const id = orderId();
    const outcome = await h.client({ timeoutMs: 100 }).payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id });
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'timeout' });

    // The simulator finishes the request after its (real) delay.
    const order = await eventually(() => h.order(id));
    expect(order.state).toBe('unpaid');
    expect((await mustFind(client, { out_trade_no: id })).respcd).toBe('1143');
  });

  it('shorter than the client timeout: answered normally', async () => {
    await h.setFaults({ payment: { delayMs: 50 } });
    const outcome = await h.client({ timeoutMs: 2_000 }).payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() });
    expect(outcome.kind === 'answered' && outcome.answer.respcd).toBe('0000');
  });
});

describe('dropResponse: committed, then the connection is closed without an answer', () => {
  it('payment: unknown/network, and the query finds the order', async () => {
    await h.setFaults({ payment: { dropResponse: true } });
    const id = orderId();
    const outcome = await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id });
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'network' });
    expect((await mustFind(client, { out_trade_no: id })).respcd).toBe('1143');
  });

  it('close: unknown/network, and the query shows the order closed', async () => {
    const id = orderId();
    answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id }));
    await h.setFaults({ close: { dropResponse: true } });
    const outcome = await client.close({ out_trade_no: id, txamt: 500 });
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'network' });
    const record = await mustFind(client, { out_trade_no: id });
    expect([record.respcd, record.cancel]).toEqual(['1264', 2]);
  });

  it('refund: unknown/network, and the query finds the refund done', async () => {
    const sale = await paidSale();
    await h.setFaults({ refund: { dropResponse: true } });
    const refundId = orderId('RFD');
    const outcome = await client.refund({ syssn: sale.syssn, out_trade_no: refundId, txamt: 1000 });
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'network' });
    const refund = await mustFind(client, { out_trade_no: refundId });
    expect([refund.order_type, refund.respcd, refund.origssn]).toEqual(['refund', '0000', sale.syssn]);
    expect((await mustFind(client, { syssn: sale.syssn })).cancel).toBe(3);
  });
});

describe('dropRequest: the connection is closed before anything runs', () => {
  it('payment: unknown/network, and nothing was committed', async () => {
    await h.setFaults({ payment: { dropRequest: true } });
    const id = orderId();
    const outcome = await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id });
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'network' });
    expect(h.sim.requestCounts.payment).toBe(1);
    expect(await findRecord(client, { out_trade_no: id })).toBeUndefined();
    expect(await h.orders()).toEqual([]);
  });

  it('refund: unknown/network, and nothing was refunded', async () => {
    const sale = await paidSale();
    await h.setFaults({ refund: { dropRequest: true } });
    const refundId = orderId('RFD');
    expect(await client.refund({ syssn: sale.syssn, out_trade_no: refundId, txamt: 1000 })).toMatchObject({ kind: 'unknown', reason: 'network' });
    expect(await findRecord(client, { out_trade_no: refundId })).toBeUndefined();
    expect((await h.order(sale.id))?.refundedMinor).toBe(0);
  });
});

describe('httpStatus', () => {
  it.each([500, 502, 503])('HTTP %i without commit: unknown/http_error, and nothing was committed', async (status) => {
    await h.setFaults({ payment: { httpStatus: status } });
    const id = orderId();
    const outcome = await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id });
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'http_error', httpStatus: status });
    expect(await h.orders()).toEqual([]);
  });

  it('HTTP 502 with commit: unknown/http_error, but the order exists', async () => {
    await h.setFaults({ payment: { httpStatus: 502, commit: true } });
    const id = orderId();
    const outcome = await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id });
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'http_error', httpStatus: 502 });
    expect((await mustFind(client, { out_trade_no: id })).respcd).toBe('1143');
  });

  it('HTTP 500 with commit on close: unknown, and the order is closed', async () => {
    const id = orderId();
    answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id }));
    await h.setFaults({ close: { httpStatus: 500, commit: true } });
    expect(await client.close({ out_trade_no: id, txamt: 500 })).toMatchObject({ kind: 'unknown', reason: 'http_error' });
    expect((await mustFind(client, { out_trade_no: id })).respcd).toBe('1264');
  });
});

describe('respcd', () => {
  it('1297 (bank busy) is answered as a failure, and nothing was committed', async () => {
    await h.setFaults({ payment: { respcd: '1297' } });
    const id = orderId();
    const answer = answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id }));
    expect([answer.respcd, answer.treatment]).toEqual(['1297', 'failed']);
    expect(await h.orders()).toEqual([]);
  });

  it('1295 (slow network) is answered with treatment unknown', async () => {
    await h.setFaults({ payment: { respcd: '1295' } });
    const answer = answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() }));
    expect([answer.respcd, answer.treatment]).toEqual(['1295', 'unknown']);
    expect(await h.orders()).toEqual([]);
  });

  it('1295 with commit: answered 1295, and the query finds the order', async () => {
    await h.setFaults({ payment: { respcd: '1295', commit: true } });
    const id = orderId();
    expect(answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id })).respcd).toBe('1295');
    expect((await mustFind(client, { out_trade_no: id })).respcd).toBe('1143');
  });

  it('a respcd fault on refund answers that code and refunds nothing', async () => {
    const sale = await paidSale();
    await h.setFaults({ refund: { respcd: '1155' } });
    const answer = answered(await client.refund({ syssn: sale.syssn, out_trade_no: orderId('RFD'), txamt: 500 }));
    expect([answer.respcd, answer.treatment]).toEqual(['1155', 'failed']);
    expect((await h.order(sale.id))?.refundedMinor).toBe(0);
  });
});

describe('count, inProgressQueries, autoPayAfterMs', () => {
  it('count limits a fault to that many requests', async () => {
    await h.setFaults({ payment: { httpStatus: 503, count: 2 } });
    const first = await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() });
    const second = await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() });
    const third = await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() });
    expect([first.kind, second.kind, third.kind]).toEqual(['unknown', 'unknown', 'answered']);
    expect(third.kind === 'answered' && third.answer.respcd).toBe('0000');
    expect((await h.control('GET', '/__sim/faults')).body.endpoints).toEqual({});
    expect(await h.orders()).toHaveLength(1);
  });

  it('a fault on one endpoint leaves the others alone', async () => {
    await h.setFaults({ query: { httpStatus: 500 } });
    const id = orderId();
    expect(answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id })).respcd).toBe('0000');
    expect(await client.query({ out_trade_no: id })).toMatchObject({ kind: 'unknown', reason: 'http_error' });
  });

  it('inProgressQueries N: the next N queries show 1145, then the true state', async () => {
    const id = orderId();
    answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id }));
    await h.customerPays(id);
    await h.setFaults({ inProgressQueries: 2 });

    const seen: string[] = [];
    for (let i = 0; i < 4; i++) seen.push((await mustFind(client, { out_trade_no: id })).respcd);
    expect(seen).toEqual(['1145', '1145', '0000', '0000']);
  });

  it('autoPayAfterMs: the order is paid once that much clock time has passed', async () => {
    await h.setFaults({ autoPayAfterMs: 20_000 });
    const id = orderId();
    answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id }));

    h.advance(19_999);
    expect((await mustFind(client, { out_trade_no: id })).respcd).toBe('1143');
    h.advance(1);
    const paid = await mustFind(client, { out_trade_no: id });
    expect(paid.respcd).toBe('0000');
    expect(paid.paydtm).toBe('2026-11-26 12:00:20');
  });

  it('autoPayAfterMs longer than the QR lifetime: the order expires instead', async () => {
    await h.setFaults({ autoPayAfterMs: 6 * 60_000 });
    const id = orderId();
    answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id, expired_time: 5 }));
    h.advance(7 * 60_000);
    expect((await mustFind(client, { out_trade_no: id })).respcd).toBe('1181');
  });
});

describe('the fault control API', () => {
  it.each([
    [{ payment: { delayMS: 5 } }, 'payment.delayMS'],
    [{ payment: { delayMs: 'slow' } }, 'payment.delayMs'],
    [{ refund: { commit: 'yes' } }, 'refund.commit'],
    [{ payment: { respcd: 1297 } }, 'payment.respcd'],
    [{ payment: { httpStatus: 200 } }, 'payment.httpStatus'],
    [{ inProgresQueries: 1 }, 'inProgresQueries'],
    [{ refundSettleMs: -1 }, 'refundSettleMs'],
    [{ charge: {} }, 'charge'],
  ])('refuses %j with 400 naming %s, and keeps the previous plan', async (plan, named) => {
    await h.setFaults({ query: { httpStatus: 500 } });
    const refused = await h.control('POST', '/__sim/faults', plan);
    expect(refused.status).toBe(400);
    expect(refused.body.error).toContain(named);
    expect((await h.control('GET', '/__sim/faults')).body.endpoints).toEqual({ query: { httpStatus: 500 } });
  });

  it('refuses a body that is not JSON with 400', async () => {
    const refused = await h.control('POST', '/__sim/faults', '{not json');
    expect(refused.status).toBe(400);
  });

  it('DELETE clears every fault', async () => {
    await h.setFaults({ payment: { httpStatus: 503 }, inProgressQueries: 3, autoPayAfterMs: 1_000, refundSettleMs: 5_000 });
    expect((await h.control('DELETE', '/__sim/faults')).status).toBe(200);
    expect((await h.control('GET', '/__sim/faults')).body).toEqual(emptyFaultPlan());

    const id = orderId();
    expect(answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id })).respcd).toBe('0000');
    h.advance(5_000);
    expect((await mustFind(client, { out_trade_no: id })).respcd).toBe('1143');
  });
});
