import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { payTypeForAuthCode } from '../../electron/qfpay/pay-types';
import { answered, mustFind, findRecord, orderId, startHarness, type Harness } from './support/harness';

// Consumer-presented payments (the cashier scans the customer's code) against
// the simulator over real HTTP. The code's last digit plays the customer:
// 1 password then paid, 2 password never confirmed, 3 insufficient balance,
// anything else paid at once.

let h: Harness;
beforeEach(async () => {
  h = await startHarness({ cpmPasswordMs: 4_000 });
});
afterEach(async () => {
  await h.close();
});

let serial = 0;
/** A fresh 18-digit code of the wallet (WeChat 13…, Alipay 28…) ending in `last`. */
const code = (wallet: 'wechat' | 'alipay', last: number) =>
  `${wallet === 'wechat' ? '13' : '28'}${String(++serial).padStart(15, '0')}${last}`;

const pay = (authCode: string, payType = payTypeForAuthCode(authCode, false)!, id = orderId('CPM')) =>
  h.client().payment({ txamt: 1230, txcurrcd: 'HKD', out_trade_no: id, pay_type: payType, auth_code: authCode });

describe('CPM paid at once', () => {
  it.each([
    ['800208', 'wechat'],
    ['800108', 'alipay'],
    ['800008', 'wechat'],
    ['800008', 'alipay'],
  ] as const)('%s with a %s code ending in 9 answers 0000 with syssn, paydtm and no QR; the query agrees', async (payType, wallet) => {
    const id = orderId('CPM');
    const answer = answered(await pay(code(wallet, 9), payType, id));
    expect([answer.respcd, answer.treatment]).toEqual(['0000', 'success']);
    expect(answer.syssn).toMatch(/^\d{26}$/);
    expect(answer.qrcode).toBeUndefined();
    expect(answer.pay_type).toBe(payType);
    expect(answer.paydtm).toBe('2026-11-26 12:00:00');
    const record = await mustFind(h.client(), { out_trade_no: id });
    expect([record.respcd, record.cancel, record.pay_type]).toEqual(['0000', 0, payType]);
    expect(record.chnlsn).toMatch(/^\d+$/);
  });

  it('a used code answers 2005 and creates no second order, whatever the out_trade_no', async () => {
    const used = code('wechat', 9);
    answered(await pay(used));
    const again = orderId('CPM');
    const answer = answered(await pay(used, '800208', again));
    expect([answer.respcd, answer.treatment]).toEqual(['2005', 'failed']);
    expect(await findRecord(h.client(), { out_trade_no: again })).toBeUndefined();
    expect((await h.orders()).filter((o) => o.order_type === 'payment')).toHaveLength(1);
  });

  it('the same out_trade_no sent again answers 1102 (query it) and the customer is charged once', async () => {
    const id = orderId('CPM');
    const authCode = code('wechat', 9);
    answered(await pay(authCode, '800208', id));
    const answer = answered(await pay(authCode, '800208', id));
    expect([answer.respcd, answer.treatment]).toEqual(['1102', 'unknown']);
    const order = await h.order(id);
    expect([order?.state, order?.paymentRequests]).toEqual(['paid', 2]);
  });

  it('a WeChat code sent as Alipay CPM answers 1202 and leaves the code unused', async () => {
    const authCode = code('wechat', 9);
    expect(answered(await pay(authCode, '800108')).respcd).toBe('1202');
    expect(answered(await pay(authCode, '800208')).respcd).toBe('0000');
  });
});

describe('CPM waiting for the password', () => {
  it('a code ending in 1 answers 1145, queries 1143 until the password, then 0000 at the configured time', async () => {
    const id = orderId('CPM');
    const answer = answered(await pay(code('wechat', 1), '800208', id));
    expect([answer.respcd, answer.treatment]).toEqual(['1145', 'in_progress']);
    expect(answer.syssn).toMatch(/^\d{26}$/);

    h.advance(3_999);
    expect((await mustFind(h.client(), { out_trade_no: id })).treatment).toBe('in_progress');
    h.advance(1);
    const record = await mustFind(h.client(), { out_trade_no: id });
    expect([record.respcd, record.cancel]).toEqual(['0000', 0]);
    expect(record.paydtm).toBe('2026-11-26 12:00:04');
  });

  it('a code ending in 2 never confirms within the wallet window', async () => {
    const id = orderId('CPM');
    expect(answered(await pay(code('alipay', 2), '800108', id)).respcd).toBe('1145');
    h.advance(120_000);
    expect((await mustFind(h.client(), { out_trade_no: id })).respcd).toBe('1143');
  });

  it('/__sim/pay and /__sim/fail act on a CPM order in progress', async () => {
    const paid = orderId('CPM');
    const failed = orderId('CPM');
    answered(await pay(code('wechat', 2), '800208', paid));
    answered(await pay(code('wechat', 2), '800208', failed));
    await h.customerPays(paid);
    const fail = await h.control('POST', '/__sim/fail', new URLSearchParams({ out_trade_no: failed, respcd: '1201' }).toString(), 'application/x-www-form-urlencoded');
    expect(fail.status).toBe(200);
    expect((await mustFind(h.client(), { out_trade_no: paid })).respcd).toBe('0000');
    expect((await mustFind(h.client(), { out_trade_no: failed })).respcd).toBe('1201');
  });
});

describe('CPM refused by the wallet', () => {
  it('a code ending in 3 answers 1201 insufficient balance, and the query shows the failure', async () => {
    const id = orderId('CPM');
    const answer = answered(await pay(code('alipay', 3), '800108', id));
    expect([answer.respcd, answer.treatment]).toEqual(['1201', 'failed']);
    const record = await mustFind(h.client(), { out_trade_no: id });
    expect([record.respcd, record.treatment]).toEqual(['1201', 'failed']);
  });
});

describe('GET /__sim/orders for CPM', () => {
  it('shows the pay type, the payment code masked to its last 4 digits, and no QR', async () => {
    const id = orderId('CPM');
    const authCode = code('wechat', 9);
    answered(await pay(authCode, '800208', id));
    const response = await h.control('GET', '/__sim/orders');
    expect(JSON.stringify(response.body)).not.toContain(authCode);
    const order = await h.order(id);
    expect(order?.pay_type).toBe('800208');
    expect(order?.auth_code).toBe(`**************${authCode.slice(-4)}`);
    expect(order?.qrcode).toBeUndefined();
    expect(order?.reversalRequests).toBe(0);
  });
});
