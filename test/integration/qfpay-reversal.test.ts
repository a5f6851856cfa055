import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { cancelEndpoint, cancelVerdict, paymentVerdict, recordState } from '../../electron/qfpay/order-state';
import { answered, mustFind, orderId, startHarness, type Harness } from './support/harness';

// /trade/v1/reversal against the simulator over real HTTP: the cancel of
// Alipay (MPM and CPM) and every consumer-presented order. A reversed order
// keeps respcd 0000 in the query and says so with cancel 1, as QFPay's
// recorded answers do: only 0000 with cancel 0 is paid.

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ cpmPasswordMs: 5_000 });
});
afterEach(async () => {
  await h.close();
});

let serial = 0;
const waitingCode = () => `13${String(++serial).padStart(15, '0')}2`;

async function cpmWaiting(payType = '800208'): Promise<{ id: string; syssn: string }> {
  const id = orderId('REV');
  const authCode = payType === '800108' ? `28${String(++serial).padStart(15, '0')}2` : waitingCode();
  const answer = answered(await h.client().payment({ txamt: 1230, txcurrcd: 'HKD', out_trade_no: id, pay_type: payType, auth_code: authCode }));
  expect(answer.respcd).toBe('1145');
  return { id, syssn: answer.syssn! };
}

describe('reversal of a CPM order waiting for the password', () => {
  it.each(['800208', '800108', '800008'])('%s: answers 0000 with its own syssn; the query shows 0000 with cancel 1', async (payType) => {
    const { id, syssn } = await cpmWaiting(payType);
    const reversed = answered(await h.client().reversal({ out_trade_no: id, txamt: 1230 }));
    expect([reversed.respcd, reversed.treatment]).toEqual(['0000', 'success']);
    expect(reversed.orig_syssn).toBe(syssn);
    expect(reversed.syssn).toMatch(/^\d{26}$/);
    expect(reversed.syssn).not.toBe(syssn);

    const record = await mustFind(h.client(), { out_trade_no: id });
    expect([record.respcd, record.cancel]).toEqual(['0000', 1]);
    const order = await h.order(id);
    expect([order?.state, order?.reversalRequests, order?.closeRequests]).toEqual(['reversed', 1, 0]);
  });

  it('a reversed order is never paid later: the password that would have come is ignored', async () => {
    const id = orderId('REV');
    answered(await h.client().payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id, pay_type: '800208', auth_code: '134000000000000001' }));
    expect(answered(await h.client().reversal({ out_trade_no: id, txamt: 500 })).respcd).toBe('0000');
    h.advance(10_000);
    expect((await h.order(id))?.state).toBe('reversed');
    expect((await h.control('POST', '/__sim/pay', { out_trade_no: id })).status).toBe(409);
  });

  it('reversing again answers 1263 (cancelled), and a reversed order cannot be refunded (1263)', async () => {
    const { id, syssn } = await cpmWaiting();
    answered(await h.client().reversal({ syssn, txamt: 1230 }));
    const again = answered(await h.client().reversal({ syssn, txamt: 1230 }));
    expect([again.respcd, again.treatment]).toEqual(['1263', 'closed']);
    const refund = answered(await h.client().refund({ syssn, out_trade_no: orderId('RF'), txamt: 1230 }));
    expect(refund.respcd).toBe('1263');
    expect((await h.order(id))?.reversalRequests).toBe(2);
  });
});

describe('reversal when the customer already paid', () => {
  it('answers 1260 (paid: confirm by query) and the order stays paid, cancel 0', async () => {
    const id = orderId('REV');
    answered(await h.client().payment({ txamt: 700, txcurrcd: 'HKD', out_trade_no: id, pay_type: '800208', auth_code: '134000000000000011' }));
    h.advance(5_000); // the password came in just before the till gave up
    const reversed = answered(await h.client().reversal({ out_trade_no: id, txamt: 700 }));
    expect([reversed.respcd, reversed.treatment]).toEqual(['1260', 'paid_confirm']);
    const record = await mustFind(h.client(), { out_trade_no: id });
    expect([record.respcd, record.cancel]).toEqual(['0000', 0]);
  });

  it('a code paid at once answers 1260 too', async () => {
    const id = orderId('REV');
    answered(await h.client().payment({ txamt: 700, txcurrcd: 'HKD', out_trade_no: id, pay_type: '800108', auth_code: '280000000000000019' }));
    expect(answered(await h.client().reversal({ out_trade_no: id, txamt: 700 })).respcd).toBe('1260');
  });
});

describe('reversal of other orders', () => {
  it('a failed CPM order (insufficient balance) answers 1136: nothing to reverse', async () => {
    const id = orderId('REV');
    answered(await h.client().payment({ txamt: 700, txcurrcd: 'HKD', out_trade_no: id, pay_type: '800208', auth_code: '134000000000000003' }));
    expect(answered(await h.client().reversal({ out_trade_no: id, txamt: 700 })).respcd).toBe('1136');
  });

  it('an order QFPay never created answers 1136', async () => {
    expect(answered(await h.client().reversal({ out_trade_no: orderId('NEVER'), txamt: 700 })).respcd).toBe('1136');
  });

  it('an unpaid Alipay MPM order is reversed (0000, cancel 1); close is refused for it (1136)', async () => {
    for (const payType of ['801501', '800101']) {
      const id = orderId('ALI');
      answered(await h.client().payment({ txamt: 900, txcurrcd: 'HKD', out_trade_no: id, pay_type: payType }));
      const closed = answered(await h.client().close({ out_trade_no: id, txamt: 900 }));
      expect(closed.respcd).toBe('1136');
      expect(closed.resperr).toContain('reversal');
      expect((await mustFind(h.client(), { out_trade_no: id })).respcd).toBe('1143');

      expect(answered(await h.client().reversal({ out_trade_no: id, txamt: 900 })).respcd).toBe('0000');
      const record = await mustFind(h.client(), { out_trade_no: id });
      expect([record.respcd, record.cancel]).toEqual(['0000', 1]);
    }
  });

  it('a WeChat MPM order sent to /reversal is closed as before (1264, cancel 2)', async () => {
    const id = orderId('WX');
    answered(await h.client().payment({ txamt: 900, txcurrcd: 'HKD', out_trade_no: id }));
    expect(answered(await h.client().reversal({ out_trade_no: id, txamt: 900 })).respcd).toBe('0000');
    const record = await mustFind(h.client(), { out_trade_no: id });
    expect([record.respcd, record.cancel]).toEqual(['1264', 2]);
    const order = await h.order(id);
    expect([order?.reversalRequests, order?.closeRequests]).toEqual([1, 0]);
  });

  it('close of a CPM order in progress is refused (1136) and leaves it in progress', async () => {
    const { id } = await cpmWaiting();
    expect(answered(await h.client().close({ out_trade_no: id, txamt: 1230 })).respcd).toBe('1136');
    expect((await h.order(id))?.state).toBe('unpaid');
  });
});

describe('reversal with a lost answer', () => {
  it('dropResponse on reversal: the outcome is unknown, the order is reversed, and the query says so', async () => {
    const { id } = await cpmWaiting();
    await h.setFaults({ reversal: { dropResponse: true, count: 1 } });
    const outcome = await h.client().reversal({ out_trade_no: id, txamt: 1230 });
    expect(outcome.kind).toBe('unknown');
    const record = await mustFind(h.client(), { out_trade_no: id });
    expect([record.respcd, record.cancel]).toEqual(['0000', 1]);
  });
});

describe('the CPM rules the engine builds on, end to end', () => {
  const verdicts = async (id: string, payType: string, authCode: string) => {
    const client = h.client();
    const payment = paymentVerdict(payType, await client.payment({ txamt: 1230, txcurrcd: 'HKD', out_trade_no: id, pay_type: payType, auth_code: authCode }));
    return { client, payment };
  };

  it('password never confirmed: in_progress → the window passes → reversal (the table\'s method) → query: reversed', async () => {
    const id = orderId('E2E');
    const { client, payment } = await verdicts(id, '800208', '134000000000000102');
    expect(payment.kind).toBe('in_progress');
    h.advance(60_000);
    expect(recordState(await mustFind(client, { out_trade_no: id }))).toBe('in_progress');
    expect(cancelEndpoint('800208')).toBe('reversal');
    expect(cancelVerdict(await client.reversal({ out_trade_no: id, txamt: 1230 })).kind).toBe('cancelled');
    expect(recordState(await mustFind(client, { out_trade_no: id }))).toBe('reversed');
  });

  it('the password comes in as the till reverses: the reversal says paid, and the query confirms paid', async () => {
    const id = orderId('E2E');
    const { client, payment } = await verdicts(id, '800108', '280000000000000111');
    expect(payment.kind).toBe('in_progress');
    h.advance(5_000);
    expect(cancelVerdict(await client.reversal({ out_trade_no: id, txamt: 1230 })).kind).toBe('paid');
    expect(recordState(await mustFind(client, { out_trade_no: id }))).toBe('paid');
  });

  it('a lost payment answer: unknown → query finds it in progress → reversal → reversed, with one payment request', async () => {
    await h.setFaults({ payment: { dropResponse: true, count: 1 } });
    const id = orderId('E2E');
    const { client, payment } = await verdicts(id, '800008', '134000000000000122');
    expect(payment.kind).toBe('unknown');
    expect(recordState(await mustFind(client, { out_trade_no: id }))).toBe('in_progress');
    expect(cancelVerdict(await client.reversal({ out_trade_no: id, txamt: 1230 })).kind).toBe('cancelled');
    expect(recordState(await mustFind(client, { out_trade_no: id }))).toBe('reversed');
    expect((await h.order(id))?.paymentRequests).toBe(1);
  });

  it('a lost answer of a code that paid at once: the query says paid, nothing to reverse', async () => {
    await h.setFaults({ payment: { dropResponse: true, count: 1 } });
    const id = orderId('E2E');
    const { client, payment } = await verdicts(id, '800208', '134000000000000129');
    expect(payment.kind).toBe('unknown');
    expect(recordState(await mustFind(client, { out_trade_no: id }))).toBe('paid');
  });
});

describe('a pay type QFPay will not cancel', () => {
  it('reversal and close answer 1150 (refused) and the order stays in progress', async () => {
    const sim = await startHarness({ noCancelPayTypes: ['800108', '801501'] });
    try {
      const id = orderId('NOC');
      answered(await sim.client().payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id, pay_type: '800108', auth_code: '280000000000000002' }));
      const verdict = cancelVerdict(await sim.client().reversal({ out_trade_no: id, txamt: 500 }));
      expect(verdict).toEqual({ kind: 'refused', respcd: '1150' });
      expect(recordState(await mustFind(sim.client(), { out_trade_no: id }))).toBe('in_progress');
      const wechat = orderId('NOC');
      answered(await sim.client().payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: wechat }));
      expect(answered(await sim.client().close({ out_trade_no: wechat, txamt: 500 })).respcd).toBe('0000');
    } finally {
      await sim.close();
    }
  });
});
