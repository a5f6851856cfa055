import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { sign } from '../../electron/qfpay/sign';
import { APP_CODE, CLIENT_KEY, answered, hk, orderId, startHarness, type Harness } from './support/harness';

// The simulator is as strict as QFPay and no stricter (API.md, "Query" and
// "Cancel"): what QFPay documents or ignores, it accepts, over raw HTTP with
// QFPay's signature, the way another QFPay client would send it.

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

interface Reply {
  respcd: string;
  resperr: string;
  data?: Array<Record<string, string>>;
  [name: string]: unknown;
}

/** A form request signed over exactly what is sent, as QFPay expects. */
async function send(path: string, params: Record<string, string>, method: 'POST' | 'GET' = 'POST'): Promise<Reply> {
  const form = new URLSearchParams(params).toString();
  const headers = { 'Content-Type': 'application/x-www-form-urlencoded', 'X-QF-APPCODE': APP_CODE, 'X-QF-SIGN': sign(params, CLIENT_KEY) };
  const response = await fetch(h.baseUrl + path + (method === 'GET' ? `?${form}` : ''), method === 'GET' ? { method, headers } : { method, headers, body: form });
  expect(response.status).toBe(200);
  return (await response.json()) as Reply;
}

const payment = (outTradeNo: string, extra: Record<string, string> = {}) => ({
  txamt: '1000',
  txcurrcd: 'HKD',
  pay_type: '800201',
  out_trade_no: outTradeNo,
  txdtm: '2026-11-26 12:00:00',
  ...extra,
});

async function created(extra: Record<string, string> = {}): Promise<{ id: string; syssn: string }> {
  const id = orderId('LEN');
  const reply = await send('/trade/v1/payment', payment(id, extra));
  expect(reply.respcd).toBe('0000');
  return { id, syssn: reply.syssn as string };
}

const ids = (reply: Reply) => (reply.data ?? []).map((r) => r.out_trade_no).sort();

describe('payment', () => {
  it('accepts notify_url, a documented optional parameter', async () => {
    const { id } = await created({ notify_url: 'https://shop.example.com/qfpay/notify' });
    expect((await h.order(id))?.state).toBe('unpaid');
  });

  it('ignores a parameter it does not know (still signed), and creates the order', async () => {
    const { id } = await created({ device_model: 'till-9000', extra_flag: '' });
    expect((await h.order(id))?.state).toBe('unpaid');
  });

  it('still refuses an unknown parameter that was not signed (1108)', async () => {
    const id = orderId('LEN');
    const params = payment(id);
    const form = `${new URLSearchParams(params).toString()}&device_model=x`;
    const response = await fetch(`${h.baseUrl}/trade/v1/payment`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-QF-APPCODE': APP_CODE, 'X-QF-SIGN': sign(params, CLIENT_KEY) },
      body: form,
    });
    expect(((await response.json()) as Reply).respcd).toBe('1108');
    expect(await h.orders()).toEqual([]);
  });

  it('accepts a goods_name QFPay\'s field holds (String(64)), punctuation included', async () => {
    const { id } = await created({ goods_name: 'Latte, large & to go!' });
    expect((await h.order(id))?.goods_name).toBe('Latte, large & to go!');
  });
});

describe('query', () => {
  it('takes pay_type as a comma-separated list', async () => {
    const a = await created();
    const reply = await send('/trade/v1/query', { pay_type: '800201,800101' });
    expect(reply.respcd).toBe('0000');
    expect(ids(reply)).toEqual([a.id]);
    expect(ids(await send('/trade/v1/query', { pay_type: '800101,805801' }))).toEqual([]);
  });

  it('takes start_time alone: the range ends with that month', async () => {
    h.clock.t = hk(2026, 11, 3, 9);
    const early = await created();
    h.clock.t = hk(2026, 11, 20, 9);
    const late = await created();
    const reply = await send('/trade/v1/query', { start_time: '2026-11-10 00:00:00' });
    expect(reply.respcd).toBe('0000');
    expect(ids(reply)).toEqual([late.id]);
    expect(ids(await send('/trade/v1/query', { start_time: '2026-11-01 00:00:00' }))).toEqual([early.id, late.id].sort());
  });

  it('takes end_time alone: the range starts with that month', async () => {
    h.clock.t = hk(2026, 10, 31, 23);
    const lastMonth = await created();
    h.clock.t = hk(2026, 11, 3, 9);
    const early = await created();
    h.clock.t = hk(2026, 11, 20, 9);
    await created();
    const reply = await send('/trade/v1/query', { end_time: '2026-11-10 00:00:00' });
    expect(reply.respcd).toBe('0000');
    expect(ids(reply)).toEqual([early.id]);
    expect(ids(await send('/trade/v1/query', { end_time: '2026-10-31 23:59:59' }))).toEqual([lastMonth.id]);
  });

  it('still refuses a range across two months (1104)', async () => {
    const reply = await send('/trade/v1/query', { start_time: '2026-10-31 00:00:00', end_time: '2026-11-01 00:00:00' });
    expect(reply.respcd).toBe('1104');
  });

  it('ignores a parameter it does not know', async () => {
    const a = await created();
    const reply = await send('/trade/v1/query', { out_trade_no: a.id, sort: 'desc' });
    expect(reply.respcd).toBe('0000');
    expect(ids(reply)).toEqual([a.id]);
  });
});

describe('close and reversal', () => {
  it('close does not check txamt against the order (QFPay\'s own tests say so)', async () => {
    const a = await created();
    const reply = await send('/trade/v1/close', { out_trade_no: a.id, txamt: '1', txdtm: '2026-11-26 12:00:00' });
    expect(reply.respcd).toBe('0000');
    expect((await h.order(a.id))?.state).toBe('closed');
  });

  it('reversal accepts txcurrcd', async () => {
    const a = await created();
    const reply = await send('/trade/v1/reversal', { out_trade_no: a.id, txamt: '1000', txcurrcd: 'HKD', txdtm: '2026-11-26 12:00:00' });
    expect(reply.respcd).toBe('0000');
    expect((await h.order(a.id))?.state).toBe('closed');
  });

  it('reversal as GET with txcurrcd in the query string', async () => {
    const a = await created();
    const reply = await send('/trade/v1/reversal', { out_trade_no: a.id, txamt: '1000', txcurrcd: 'HKD', txdtm: '2026-11-26 12:00:00' }, 'GET');
    expect(reply.respcd).toBe('0000');
  });
});

describe('the till\'s client', () => {
  it('can ask for several pay types at once', async () => {
    const client = h.client();
    const id = orderId('LEN');
    expect(answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id })).respcd).toBe('0000');
    const found = answered(await client.query({ pay_type: ['800201', '800101'] }));
    expect(found.records.map((r) => r.out_trade_no)).toEqual([id]);
  });
});
