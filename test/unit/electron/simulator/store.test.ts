import { describe, expect, it } from 'vitest';
import { CLOSED_RESPCD, EXPIRED_RESPCD, OrderStore, cancelFlag, recordRespcd, toRecord, type SimPayment } from '../../../../electron/simulator/store';
import { randomCode, randomDigits, seededRandom } from '../../../../electron/simulator/random';
import { qrTextFor } from '../../../../electron/simulator/qr-text';

// The simulator's ground truth with a hand-moved clock: ids, time-driven
// state (expiry, auto-payment), refund bookkeeping, and /query records.

const HK = 'Asia/Hong_Kong';
const hk = (month: number, day: number, hour: number, minute = 0) => Date.UTC(2026, month - 1, day, hour - 8, minute);

function storeAt(start: number) {
  const clock = { t: start };
  const store = new OrderStore({ now: () => clock.t, random: seededRandom(1), timeZone: HK });
  let n = 0;
  const payment = (extra: Record<string, string> = {}, autoPayAfterMs?: number): SimPayment =>
    store.createPayment({ out_trade_no: `P-${++n}`, txamt: '1000', txcurrcd: 'HKD', pay_type: '800201', txdtm: store.localTime(clock.t), ...extra }, autoPayAfterMs);
  const refund = (original: SimPayment, txamt: number, settleMs = 0) =>
    store.createRefund(original, { out_trade_no: `R-${++n}`, syssn: original.syssn, txamt: String(txamt), txdtm: store.localTime(clock.t) }, settleMs);
  return { clock, store, payment, refund };
}

describe('ids', () => {
  it('syssn is 26 digits starting with the merchant-local date, and unique', () => {
    // 20:00 UTC on the 26th is already the 27th in Hong Kong.
    const { store } = storeAt(Date.UTC(2026, 10, 26, 20, 0));
    const ids = Array.from({ length: 50 }, () => store.newSyssn());
    for (const id of ids) expect(id).toMatch(/^20261127\d{18}$/);
    expect(new Set(ids).size).toBe(50);
  });

  it('QR texts are WeChat bizpayurl links; channel numbers 28 digits', () => {
    const { store } = storeAt(hk(11, 26, 12));
    expect(qrTextFor('800201', 100, 'HKD', seededRandom(1))).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=[A-Za-z0-9]{7}$/);
    expect(store.newChnlsn()).toMatch(/^4200\d{24}$/);
  });

  it('the seeded generator repeats exactly for one seed and differs for another', () => {
    const a = seededRandom(99);
    const b = seededRandom(99);
    const c = seededRandom(100);
    const seqA = [randomDigits(a, 12), randomCode(a, 12)];
    expect([randomDigits(b, 12), randomCode(b, 12)]).toEqual(seqA);
    expect([randomDigits(c, 12), randomCode(c, 12)]).not.toEqual(seqA);
  });
});

describe('time-driven state', () => {
  it('an unpaid order expires exactly when its expired_time has passed', () => {
    const { clock, store, payment } = storeAt(hk(11, 26, 12));
    const p = payment({ expired_time: '5' });
    clock.t += 5 * 60_000 - 1;
    expect(store.byOutTradeNoOf(p.out_trade_no)?.state).toBe('unpaid');
    clock.t += 1;
    expect(store.byOutTradeNoOf(p.out_trade_no)?.state).toBe('expired');
    expect(recordRespcd(p)).toBe(EXPIRED_RESPCD);
  });

  it('an auto-payment due before expiry pays at its due time, however late it is looked at', () => {
    const { clock, store, payment } = storeAt(hk(11, 26, 12));
    const p = payment({}, 10_000);
    clock.t += 3 * 60 * 60_000; // long after both the payment and the expiry
    expect(store.bySyssnOf(p.syssn)?.state).toBe('paid');
    expect(p.paydtm).toBe('2026-11-26 12:00:10');
  });

  it('an auto-payment due at or after expiry never happens: the order expires', () => {
    const { clock, store, payment } = storeAt(hk(11, 26, 12));
    const p = payment({ expired_time: '5' }, 5 * 60_000);
    clock.t += 10 * 60_000;
    expect(store.bySyssnOf(p.syssn)?.state).toBe('expired');
  });

  it('a pending refund settles when its time has passed', () => {
    const { clock, store, payment, refund } = storeAt(hk(11, 26, 12));
    const p = payment();
    store.markPaid(p);
    const r = refund(p, 400, 30_000);
    expect(recordRespcd(r)).toBe('1145');
    clock.t += 30_000;
    expect(store.bySyssnOf(r.syssn)?.state).toBe('refunded');
    expect(recordRespcd(r)).toBe('0000');
  });
});

describe('refund bookkeeping', () => {
  it("the day's unsettled takings are today's paid sales less today's refunds, per currency", () => {
    const { clock, store, payment, refund } = storeAt(hk(11, 25, 15));
    const yesterday = payment();
    store.markPaid(yesterday);
    clock.t = hk(11, 26, 10);
    expect(store.unsettledOfDay('HKD')).toBe(0);
    const today = payment({ txamt: '700' });
    store.markPaid(today);
    payment({ txamt: '900' }); // unpaid: does not count
    const cny = payment({ txcurrcd: 'CNY', txamt: '5000' });
    store.markPaid(cny);
    expect(store.unsettledOfDay('HKD')).toBe(700);
    refund(yesterday, 300);
    expect(store.unsettledOfDay('HKD')).toBe(400);
    expect(store.unsettledOfDay('CNY')).toBe(5000);
  });

  it('cancel is 2 when closed, 5 when partly refunded, 3 when fully refunded, 0 otherwise', () => {
    const { store, payment, refund } = storeAt(hk(11, 26, 12));
    const closed = payment();
    store.close(closed);
    expect([cancelFlag(closed), recordRespcd(closed)]).toEqual([2, CLOSED_RESPCD]);

    const paid = payment();
    store.markPaid(paid);
    expect(cancelFlag(paid)).toBe(0);
    const r = refund(paid, 400);
    expect(cancelFlag(paid)).toBe(5);
    expect(cancelFlag(r)).toBe(0);
    refund(paid, 600);
    expect(cancelFlag(paid)).toBe(3);
  });

  it('a failed payment reports its failure code', () => {
    const { store, payment } = storeAt(hk(11, 26, 12));
    const p = payment();
    store.markFailed(p, '1201');
    expect(recordRespcd(p)).toBe('1201');
  });
});

describe('/query records', () => {
  it('carry every field API.md lists, as strings, and refunds name their original', () => {
    const { store, payment, refund } = storeAt(hk(11, 26, 12));
    const p = payment({ goods_name: 'Tea', udid: 'till-9' });
    store.markPaid(p);
    const r = refund(p, 250);
    const fields = [
      'syssn', 'out_trade_no', 'pay_type', 'order_type', 'txamt', 'txcurrcd', 'txdtm', 'sysdtm', 'paydtm', 'respcd', 'errmsg', 'cancel',
      'origssn', 'chnlsn', 'udid', 'goods_name', 'cash_fee', 'cash_fee_type', 'cash_refund_fee', 'cash_refund_fee_type', 'exchange_rate',
    ];
    const pr = toRecord(p);
    const rr = toRecord(r);
    expect(Object.keys(pr).sort()).toEqual([...fields].sort());
    expect(Object.keys(rr).sort()).toEqual([...fields].sort());
    expect(pr).toMatchObject({ order_type: 'payment', txamt: '1000', respcd: '0000', cancel: '5', goods_name: 'Tea', udid: 'till-9', origssn: '' });
    expect(pr.chnlsn).toMatch(/^\d{28}$/);
    expect(rr).toMatchObject({ order_type: 'refund', origssn: p.syssn, pay_type: '800201', txamt: '250', cash_refund_fee: '250', respcd: '0000' });
    expect(toRecord(p, '1145').respcd).toBe('1145');
  });
});

describe('deferred work (a request QFPay runs late)', () => {
  it('runs when the store is looked at on or after its time, as if it happened then', () => {
    const { clock, store, payment, refund } = storeAt(hk(11, 26, 12));
    const paid = payment();
    store.markPaid(paid);
    const due = clock.t + 6_000;
    let made: ReturnType<typeof refund> | undefined;
    store.defer(due, () => {
      made = refund(paid, 400);
    });
    clock.t += 5_999;
    expect(store.all().filter((o) => o.order_type === 'refund')).toEqual([]);
    clock.t += 10_000;
    expect(store.byOutTradeNoOf(paid.out_trade_no)).toMatchObject({ refundedMinor: 400 });
    expect(made).toMatchObject({ createdAtMs: due, sysdtm: store.localTime(due), state: 'refunded' });
    // Run once only.
    expect(store.all().filter((o) => o.order_type === 'refund')).toHaveLength(1);
  });
});

describe('consumer-presented orders and reversal', () => {
  it('a CPM order keeps its code and has no QR; an MPM order the reverse', () => {
    const { payment } = storeAt(hk(11, 26, 12));
    const cpm = payment({ pay_type: '800208', auth_code: '134567890123456789' });
    expect([cpm.auth_code, cpm.qrcode]).toEqual(['134567890123456789', undefined]);
    const mpm = payment();
    expect([mpm.auth_code, mpm.qrcode?.startsWith('weixin://')]).toEqual([undefined, true]);
  });

  it('a reversed order reads 0000 with cancel 1, is not paid later by its password, and is not counted as takings', () => {
    const { clock, store, payment } = storeAt(hk(11, 26, 12));
    const order = payment({ pay_type: '800208', auth_code: '134567890123456781' }, 5_000);
    store.reverse(order);
    clock.t += 10_000;
    store.refresh(order);
    expect([order.state, recordRespcd(order), cancelFlag(order)]).toEqual(['reversed', '0000', 1]);
    expect(toRecord(order)).toMatchObject({ respcd: '0000', cancel: '1', paydtm: '' });
    expect(store.unsettledOfDay('HKD')).toBe(0);
  });

  it('a payment code is used once, and reset forgets it', () => {
    const { store } = storeAt(hk(11, 26, 12));
    expect(store.useAuthCode('134567890123456789')).toBe(true);
    expect(store.useAuthCode('134567890123456789')).toBe(false);
    store.clear();
    expect(store.useAuthCode('134567890123456789')).toBe(true);
  });
});
