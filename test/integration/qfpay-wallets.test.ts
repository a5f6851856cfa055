import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { PAY_TYPES } from '../../electron/qfpay/pay-types';
import { crc16 } from '../../electron/simulator/qr-text';
import { answered, mustFind, orderId, startHarness, type Harness } from './support/harness';

// Merchant-presented wallets other than WeChat against the simulator over real
// HTTP: each answers its own QR text, and FPS cannot be refunded.

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.close();
});

const create = async (payType: string, txamt = 1230, txcurrcd = 'HKD') => {
  const id = orderId('MPM');
  const answer = answered(await h.client().payment({ txamt, txcurrcd, out_trade_no: id, pay_type: payType }));
  expect(answer.respcd).toBe('0000');
  return { id, answer };
};

describe('QR text per wallet', () => {
  it.each([
    ['800201', /^weixin:\/\/wxpay\/bizpayurl\?pr=[A-Za-z0-9]{7}$/],
    ['801501', /^https:\/\/qr\.alipay\.com\/bax0[a-z0-9]{20}$/],
    ['800101', /^https:\/\/qr\.alipay\.com\/bax0[a-z0-9]{20}$/],
    ['805801', /^https:\/\/qr\.payme\.hsbc\.com\.hk\/2\/[A-Za-z0-9]{22}$/],
    ['800701', /^https:\/\/qr\.95516\.com\/00010000\/\d{20}$/],
    ['802001', /^000201010212/],
  ] as const)('%s answers a QR text of its wallet, starting with the table\'s prefix', async (payType, form) => {
    const { answer } = await create(payType);
    expect(answer.qrcode).toMatch(form);
    expect(answer.qrcode!.startsWith(PAY_TYPES[payType].qrPrefix)).toBe(true);
    expect(answer.pay_type).toBe(payType);
  });

  it('FPS: an EMVCo payload with HKICL\'s identifier, the amount, the currency and a valid CRC', async () => {
    const { answer } = await create('802001', 1230);
    const text = answer.qrcode!;
    expect(text).toContain('0012hk.com.hkicl');
    expect(text).toContain('5303344');
    expect(text).toContain('540512.30');
    expect(text.slice(-8, -4)).toBe('6304');
    expect(text.slice(-4)).toBe(crc16(text.slice(0, -4)));
    const yen = await create('802001', 1500, 'JPY');
    expect(yen.answer.qrcode).toContain('54041500');
  });

  it('PayMe, UnionPay and FPS orders close like WeChat\'s (1264, cancel 2)', async () => {
    for (const payType of ['805801', '800701', '802001']) {
      const { id } = await create(payType, 900);
      expect(answered(await h.client().close({ out_trade_no: id, txamt: 900 })).respcd).toBe('0000');
      const record = await mustFind(h.client(), { out_trade_no: id });
      expect([record.respcd, record.cancel]).toEqual(['1264', 2]);
    }
  });
});

describe('FPS has no refunds', () => {
  it('a paid FPS order: refund answers 1155 (refused), nothing is refunded, and an Alipay order refunds normally', async () => {
    const fps = await create('802001', 2000);
    await h.customerPays(fps.id);
    const refused = answered(await h.client().refund({ syssn: fps.answer.syssn!, out_trade_no: orderId('RF'), txamt: 2000 }));
    expect([refused.respcd, refused.treatment]).toEqual(['1155', 'failed']);
    expect((await h.orders()).filter((o) => o.order_type === 'refund')).toEqual([]);
    expect((await h.order(fps.id))?.refundedMinor).toBe(0);

    const ali = await create('801501', 2000);
    await h.customerPays(ali.id);
    expect(answered(await h.client().refund({ syssn: ali.answer.syssn!, out_trade_no: orderId('RF'), txamt: 500 })).respcd).toBe('0000');
  });
});
