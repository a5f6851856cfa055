import { createHash } from 'node:crypto';
import { describe, it, expect } from 'vitest';
import { QfpayClient, checkClientConfig } from '../../../../electron/qfpay/client';
import type { FetchLike, PaymentInput, QfpayClientConfig, QfpayExchange, QfpayOutcome } from '../../../../electron/qfpay/client';
import { QfpayInputError, validateWire } from '../../../../electron/qfpay/params';
import type { Endpoint, InputReason } from '../../../../electron/qfpay/params';
import type { AnswerHead } from '../../../../electron/qfpay/responses';

// Hostile or simply wrong input must come back as a typed QfpayInputError that
// names the field and the reason, and through the client nothing may be sent.

const TXDTM = '2026-03-01 10:15:00';
const MCHID = 'ZaMVg12345';
const ID_CARD = '11010519491231002X';

interface Recorder {
  fetch: FetchLike;
  calls: { url: string; headers: Record<string, string>; body: string }[];
  exchanges: QfpayExchange[];
}

function recorder(): Recorder {
  const calls: Recorder['calls'] = [];
  const fetch: FetchLike = async (url, init) => {
    calls.push({ url, headers: init.headers, body: init.body });
    const body = JSON.stringify({ respcd: '0000', resperr: '', respmsg: '', syssn: '20260301000100020000000001', qrcode: 'weixin://wxpay/bizpayurl?pr=4PsXP5N' });
    return { status: 200, headers: { get: () => null }, text: async () => body };
  };
  return { fetch, calls, exchanges: [] };
}

function config(extra: Partial<QfpayClientConfig> = {}): QfpayClientConfig {
  return {
    baseUrl: 'https://test-openapi-hk.qfapi.com',
    appCode: 'A1B2C3D4E5',
    clientKey: 'abcd1234',
    mchid: MCHID,
    udid: 'till-01',
    timeZone: 'Asia/Hong_Kong',
    now: () => Date.UTC(2026, 2, 1, 2, 15, 0),
    ...extra,
  };
}

function client(rec: Recorder, extra: Partial<QfpayClientConfig> = {}): QfpayClient {
  return new QfpayClient(config({ fetch: rec.fetch, onExchange: (exchange) => rec.exchanges.push(exchange), ...extra }));
}

const WIRE_PAYMENT: Readonly<Record<string, string>> = {
  txamt: '1230',
  txcurrcd: 'HKD',
  pay_type: '800201',
  out_trade_no: 'T01-0001',
  txdtm: TXDTM,
};
const PAY: PaymentInput = { txamt: 1230, txcurrcd: 'HKD', out_trade_no: 'T01-0001' };
const pay = (overrides: Partial<PaymentInput>): PaymentInput => ({ ...PAY, ...overrides });

describe('hostile inputs: the good baseline goes through', () => {
  // Without these, "fetch was never called" below could pass for a broken spy.
  it('a valid payment is signed and sent exactly once', async () => {
    const rec = recorder();
    const outcome = await client(rec).payment(PAY);
    expect(outcome.kind).toBe('answered');
    expect(rec.calls).toHaveLength(1);
    expect(rec.calls[0]!.url).toBe('https://test-openapi-hk.qfapi.com/trade/v1/payment');
    const signed = 'mchid=ZaMVg12345&out_trade_no=T01-0001&pay_type=800201&txamt=1230&txcurrcd=HKD&txdtm=2026-03-01 10:15:00&udid=till-01abcd1234';
    expect(rec.calls[0]!.headers['X-QF-SIGN']).toBe(createHash('md5').update(signed, 'utf8').digest('hex').toUpperCase());
    expect(rec.exchanges).toHaveLength(1);
  });

  it('valid query, close, reversal and refund are each sent', async () => {
    const rec = recorder();
    const c = client(rec);
    await c.query({ out_trade_no: 'T01-0001' });
    await c.close({ out_trade_no: 'T01-0001', txamt: 1230 });
    await c.reversal({ syssn: '20260301000100020000000001', txamt: 1230 });
    await c.refund({ syssn: '20260301000100020000000001', out_trade_no: 'R01-0001', txamt: 500 });
    expect(rec.calls.map((call) => call.url.replace('https://test-openapi-hk.qfapi.com', ''))).toEqual([
      '/trade/v1/query',
      '/trade/v1/close',
      '/trade/v1/reversal',
      '/trade/v1/refund',
    ]);
  });

  it('the baseline wire parameters pass validateWire', () => {
    expect(validateWire('payment', WIRE_PAYMENT).ok).toBe(true);
  });
});

type ClientCase = [name: string, call: (c: QfpayClient) => Promise<QfpayOutcome<AnswerHead>>, field: string, reason: InputReason];

const CHINESE_22 = '咖啡拿铁卡布奇诺摩卡美式浓缩焦糖玛奇朵抹茶红茶绿'; // 22 characters, 66 UTF-8 bytes

const CLIENT_CASES: ClientCase[] = [
  // txamt
  ['txamt 0', (c) => c.payment(pay({ txamt: 0 })), 'txamt', 'range'],
  ['txamt -1', (c) => c.payment(pay({ txamt: -1 })), 'txamt', 'format'],
  ['txamt 12.5 (a fraction of a minor unit)', (c) => c.payment(pay({ txamt: 12.5 })), 'txamt', 'format'],
  ['txamt NaN', (c) => c.payment(pay({ txamt: NaN })), 'txamt', 'format'],
  ['txamt Infinity', (c) => c.payment(pay({ txamt: Infinity })), 'txamt', 'format'],
  ['txamt 100000000000 (12 digits, beyond Int(11))', (c) => c.payment(pay({ txamt: 100_000_000_000 })), 'txamt', 'range'],
  ['txamt 1e21 (written as "1e+21")', (c) => c.payment(pay({ txamt: 1e21 })), 'txamt', 'format'],
  ['refund txamt 0', (c) => c.refund({ syssn: '20260301000100020000000001', out_trade_no: 'R01', txamt: 0 }), 'txamt', 'range'],
  ['close txamt -5', (c) => c.close({ out_trade_no: 'T01-0001', txamt: -5 }), 'txamt', 'format'],
  // currency and pay type
  ['txcurrcd "HKG"', (c) => c.payment(pay({ txcurrcd: 'HKG' })), 'txcurrcd', 'not_allowed'],
  ['txcurrcd "hkd" (lower case)', (c) => c.payment(pay({ txcurrcd: 'hkd' })), 'txcurrcd', 'not_allowed'],
  ['txcurrcd "" (left out, so missing)', (c) => c.payment(pay({ txcurrcd: '' })), 'txcurrcd', 'required'],
  ['pay_type unknown "800299"', (c) => c.payment(pay({ pay_type: '800299' })), 'pay_type', 'not_allowed'],
  // out_trade_no
  ['out_trade_no with a space', (c) => c.payment(pay({ out_trade_no: 'T01 0001' })), 'out_trade_no', 'format'],
  ['out_trade_no with "/"', (c) => c.payment(pay({ out_trade_no: 'T01/0001' })), 'out_trade_no', 'format'],
  ['out_trade_no of 129 characters', (c) => c.payment(pay({ out_trade_no: 'T'.repeat(129) })), 'out_trade_no', 'format'],
  ['out_trade_no in Chinese', (c) => c.payment(pay({ out_trade_no: '订单0001' })), 'out_trade_no', 'format'],
  ['out_trade_no "" (left out, so missing)', (c) => c.payment(pay({ out_trade_no: '' })), 'out_trade_no', 'required'],
  // txdtm
  ['txdtm with "/" and no seconds', (c) => c.payment(pay({ txdtm: '2026/03/01 10:15' })), 'txdtm', 'format'],
  ['txdtm ISO "T" separator', (c) => c.payment(pay({ txdtm: '2026-03-01T10:15:00' })), 'txdtm', 'format'],
  ['txdtm 2026-02-30', (c) => c.payment(pay({ txdtm: '2026-02-30 10:15:00' })), 'txdtm', 'format'],
  ['txdtm 24:00:00', (c) => c.payment(pay({ txdtm: '2026-03-01 24:00:00' })), 'txdtm', 'format'],
  ['refund txdtm 2026-02-29 (not a leap year)', (c) => c.refund({ syssn: '1', out_trade_no: 'R01', txamt: 1, txdtm: '2026-02-29 00:00:00' }), 'txdtm', 'format'],
  // expired_time
  ['expired_time 4', (c) => c.payment(pay({ expired_time: 4 })), 'expired_time', 'range'],
  ['expired_time 121', (c) => c.payment(pay({ expired_time: 121 })), 'expired_time', 'range'],
  ['expired_time 0', (c) => c.payment(pay({ expired_time: 0 })), 'expired_time', 'range'],
  ['expired_time 7.5', (c) => c.payment(pay({ expired_time: 7.5 })), 'expired_time', 'format'],
  ['expired_time with a consumer-presented pay_type', (c) => c.payment(pay({ pay_type: '800208', auth_code: '134567890123456789', expired_time: 30 })), 'expired_time', 'not_allowed'],
  // goods_name
  ['goods_name of 65 ASCII bytes', (c) => c.payment(pay({ goods_name: 'a'.repeat(65) })), 'goods_name', 'range'],
  ['goods_name of 22 Chinese characters (66 bytes)', (c) => c.payment(pay({ goods_name: CHINESE_22 })), 'goods_name', 'range'],
  ['goods_name with a newline', (c) => c.payment(pay({ goods_name: 'Latte\nMocha' })), 'goods_name', 'format'],
  ['goods_name with NUL', (c) => c.payment(pay({ goods_name: 'Latte\u0000' })), 'goods_name', 'format'],
  ['goods_name with a bidi override (U+202E)', (c) => c.payment(pay({ goods_name: 'Latte\u202eetaL' })), 'goods_name', 'format'],
  ['goods_name with a zero-width space (U+200B)', (c) => c.payment(pay({ goods_name: 'Lat\u200bte' })), 'goods_name', 'format'],
  ['goods_name with "&"', (c) => c.payment(pay({ goods_name: 'Tea&Cake' })), 'goods_name', 'format'],
  ['goods_name with "="', (c) => c.payment(pay({ goods_name: 'Tea=Cake' })), 'goods_name', 'format'],
  ['goods_name "<script>"', (c) => c.payment(pay({ goods_name: '<script>alert(1)</script>' })), 'goods_name', 'format'],
  ['goods_name with a leading space', (c) => c.payment(pay({ goods_name: ' Latte' })), 'goods_name', 'format'],
  ['goods_name with a double quote', (c) => c.payment(pay({ goods_name: 'Latte"' })), 'goods_name', 'format'],
  // udid
  ['udid of 41 characters', (c) => c.payment(pay({ udid: 'u'.repeat(41) })), 'udid', 'format'],
  ['udid with a space', (c) => c.payment(pay({ udid: 'till 01' })), 'udid', 'format'],
  ['refund udid with "/"', (c) => c.refund({ syssn: '1', out_trade_no: 'R01', txamt: 1, udid: 'till/01' }), 'udid', 'format'],
  // rmb_tag, real name, limit_pay, auth_code
  ['rmb_tag with HKD', (c) => c.payment(pay({ rmb_tag: true })), 'rmb_tag', 'conflict'],
  ['real_name with a 17-digit ID card number', (c) => c.payment(pay({ real_name: { idCardNumber: '11010519491231002', name: '张三' } })), 'extend_info.user_creid', 'format'],
  ['real_name with a lower-case check letter', (c) => c.payment(pay({ real_name: { idCardNumber: '11010519491231002x', name: '张三' } })), 'extend_info.user_creid', 'format'],
  ['real_name with digits in the name', (c) => c.payment(pay({ real_name: { idCardNumber: ID_CARD, name: '张3' } })), 'extend_info.user_truename', 'format'],
  ['limit_pay other than no_credit', (c) => c.payment(pay({ limit_pay: 'credit_only' as 'no_credit' })), 'limit_pay', 'not_allowed'],
  ['auth_code on 800201 (merchant-presented)', (c) => c.payment(pay({ auth_code: '134567890123456789' })), 'auth_code', 'not_allowed'],
  ['missing auth_code on 800208', (c) => c.payment(pay({ pay_type: '800208' })), 'auth_code', 'required'],
  ['auth_code that is not digits', (c) => c.payment(pay({ pay_type: '800208', auth_code: '13456789012345678A' })), 'auth_code', 'format'],
  // query
  ['query page_size 101', (c) => c.query({ page_size: 101 }), 'page_size', 'range'],
  ['query page_size 0', (c) => c.query({ page_size: 0 }), 'page_size', 'range'],
  ['query page -1', (c) => c.query({ page: -1 }), 'page', 'format'],
  ['query start and end in different months', (c) => c.query({ start_time: '2026-02-28 00:00:00', end_time: '2026-03-01 00:00:00' }), 'end_time', 'range'],
  ['query same month of different years', (c) => c.query({ start_time: '2026-03-01 00:00:00', end_time: '2027-03-01 00:00:00' }), 'end_time', 'range'],
  ['query end before start', (c) => c.query({ start_time: '2026-03-20 00:00:00', end_time: '2026-03-10 00:00:00' }), 'end_time', 'range'],
  ['query start_time in another month than end_time', (c) => c.query({ start_time: '2026-02-28 00:00:00', end_time: '2026-03-31 23:59:59' }), 'end_time', 'range'],
  ['query start_time 2026-02-30', (c) => c.query({ start_time: '2026-02-30 00:00:00', end_time: '2026-02-28 00:00:00' }), 'start_time', 'format'],
  ['query out_trade_no list with a bad item', (c) => c.query({ out_trade_no: ['T01-0001', 'T01 0002'] }), 'out_trade_no', 'format'],
  ['query syssn list of 101 values', (c) => c.query({ syssn: Array.from({ length: 101 }, (_, i) => String(i + 1)) }), 'syssn', 'range'],
  ['query respcd of three digits', (c) => c.query({ respcd: '000' }), 'respcd', 'format'],
  // close, reversal, refund
  ['close with neither syssn nor out_trade_no', (c) => c.close({ txamt: 1230 }), 'syssn|out_trade_no', 'required'],
  ['reversal with neither syssn nor out_trade_no', (c) => c.reversal({ txamt: 1230 }), 'syssn|out_trade_no', 'required'],
  ['close with a syssn that is not digits', (c) => c.close({ syssn: '2026-0301', txamt: 1230 }), 'syssn', 'format'],
  ['refund without syssn', (c) => c.refund({ syssn: '', out_trade_no: 'R01-0001', txamt: 500 }), 'syssn', 'required'],
  ['refund without out_trade_no', (c) => c.refund({ syssn: '20260301000100020000000001', out_trade_no: '', txamt: 500 }), 'out_trade_no', 'required'],
  ['refund of a list of syssns', (c) => c.refund({ syssn: '1,2', out_trade_no: 'R01-0001', txamt: 500 }), 'syssn', 'format'],
];

describe('hostile inputs through QfpayClient: refused, typed, nothing sent', () => {
  it.each(CLIENT_CASES)('%s → %s: %s', async (_name, call, field, reason) => {
    const rec = recorder();
    const outcome = await call(client(rec));
    expect(outcome.kind).toBe('invalid');
    if (outcome.kind !== 'invalid') return;
    expect(outcome.error).toBeInstanceOf(QfpayInputError);
    expect(outcome.error.field).toBe(field);
    expect(outcome.error.reason).toBe(reason);
    expect(outcome.error.message.startsWith(`${field}: `)).toBe(true);
    expect(rec.calls).toHaveLength(0);
    expect(rec.exchanges).toHaveLength(0);
  });
});

const wirePay = (overrides: Record<string, string>) => ({ ...WIRE_PAYMENT, ...overrides });
/** Built with defineProperty semantics, so "__proto__" becomes an own name as a parsed form would make it. */
const withName = (name: string, value = 'x') => Object.fromEntries([...Object.entries(WIRE_PAYMENT), [name, value]]) as Record<string, string>;

type WireCase = [name: string, endpoint: Endpoint, params: Record<string, string>, mchid: string | undefined, field: string, reason: InputReason];

const WIRE_CASES: WireCase[] = [
  ['txamt "1e3"', 'payment', wirePay({ txamt: '1e3' }), undefined, 'txamt', 'format'],
  ['txamt "ten"', 'payment', wirePay({ txamt: 'ten' }), undefined, 'txamt', 'format'],
  ['txamt " 100" (leading space)', 'payment', wirePay({ txamt: ' 100' }), undefined, 'txamt', 'format'],
  ['txamt "+100"', 'payment', wirePay({ txamt: '+100' }), undefined, 'txamt', 'format'],
  ['txamt "0x10"', 'payment', wirePay({ txamt: '0x10' }), undefined, 'txamt', 'format'],
  ['txamt full-width digits', 'payment', wirePay({ txamt: '１２３０' }), undefined, 'txamt', 'format'],
  ['txamt "100.00"', 'payment', wirePay({ txamt: '100.00' }), undefined, 'txamt', 'format'],
  ['txcurrcd sent empty', 'payment', wirePay({ txcurrcd: '' }), undefined, 'txcurrcd', 'format'],
  ['pay_type "wechat"', 'payment', wirePay({ pay_type: 'wechat' }), undefined, 'pay_type', 'not_allowed'],
  ['txdtm with a trailing newline', 'payment', wirePay({ txdtm: `${TXDTM}\n` }), undefined, 'txdtm', 'format'],
  ['rmb_tag "N" with CNY', 'payment', wirePay({ txcurrcd: 'CNY', rmb_tag: 'N' }), undefined, 'rmb_tag', 'format'],
  ['rmb_tag "y" (lower case) with CNY', 'payment', wirePay({ txcurrcd: 'CNY', rmb_tag: 'y' }), undefined, 'rmb_tag', 'format'],
  ['rmb_tag "Y" with HKD', 'payment', wirePay({ rmb_tag: 'Y' }), undefined, 'rmb_tag', 'conflict'],
  ['extend_info with an extra key', 'payment', wirePay({ extend_info: JSON.stringify({ user_creid: ID_CARD, user_truename: '张三', mobile: '13800000000' }) }), undefined, 'extend_info', 'not_allowed'],
  ['extend_info that is not JSON', 'payment', wirePay({ extend_info: `user_creid=${ID_CARD}` }), undefined, 'extend_info', 'format'],
  ['extend_info that is a JSON array', 'payment', wirePay({ extend_info: JSON.stringify([ID_CARD, '张三']) }), undefined, 'extend_info', 'format'],
  ['extend_info with the ID card number as a number', 'payment', wirePay({ extend_info: '{"user_creid":110105194912310021,"user_truename":"张三"}' }), undefined, 'extend_info.user_creid', 'format'],
  ['extend_info without a name', 'payment', wirePay({ extend_info: JSON.stringify({ user_creid: ID_CARD }) }), undefined, 'extend_info.user_truename', 'format'],
  ['limit_pay "NO_CREDIT"', 'payment', wirePay({ limit_pay: 'NO_CREDIT' }), undefined, 'limit_pay', 'not_allowed'],
  ['limit_pay "pcredit"', 'payment', wirePay({ limit_pay: 'pcredit' }), undefined, 'limit_pay', 'not_allowed'],
  ['auth_code of 9 digits on 800208', 'payment', wirePay({ pay_type: '800208', auth_code: '123456789' }), undefined, 'auth_code', 'format'],
  ['mchid of 33 characters (configured the same)', 'payment', wirePay({ mchid: 'Z'.repeat(33) }), 'Z'.repeat(33), 'mchid', 'format'],
  ['mchid with "-"', 'payment', wirePay({ mchid: 'ZaMVg-12345' }), 'ZaMVg-12345', 'mchid', 'format'],
  ['mchid sent when none was issued', 'payment', wirePay({ mchid: MCHID }), undefined, 'mchid', 'not_allowed'],
  ['mchid missing when one was issued', 'payment', wirePay({}), MCHID, 'mchid', 'required'],
  ['query mchid missing when one was issued', 'query', {}, MCHID, 'mchid', 'required'],
  ['refund mchid sent when none was issued', 'refund', { syssn: '1', out_trade_no: 'R01', txamt: '1', txdtm: TXDTM, mchid: MCHID }, undefined, 'mchid', 'not_allowed'],
  ['query page_size "101"', 'query', { page_size: '101' }, undefined, 'page_size', 'range'],
  ['query page_size "0"', 'query', { page_size: '0' }, undefined, 'page_size', 'range'],
  ['query page "1.5"', 'query', { page: '1.5' }, undefined, 'page', 'format'],
  ['query start/end in different months', 'query', { start_time: '2026-01-31 00:00:00', end_time: '2026-02-01 00:00:00' }, undefined, 'end_time', 'range'],
  ['query end before start', 'query', { start_time: '2026-03-02 00:00:00', end_time: '2026-03-01 23:59:59' }, undefined, 'end_time', 'range'],
  ['query pay_type list with one unknown', 'query', { pay_type: '800201,wechat' }, undefined, 'pay_type', 'not_allowed'],
  ['notify_url that is not a URL', 'payment', wirePay({ notify_url: 'shop/notify' }), undefined, 'notify_url', 'format'],
  ['notify_url with a newline (the URL parser would drop it)', 'payment', wirePay({ notify_url: 'https://shop.example.com/no\ntify' }), undefined, 'notify_url', 'format'],
  ['notify_url with a bidi override', 'payment', wirePay({ notify_url: 'https://shop.example.com/\u202egpj.exe' }), undefined, 'notify_url', 'format'],
  ['notify_url with another scheme', 'payment', wirePay({ notify_url: 'ftp://shop.example.com/notify' }), undefined, 'notify_url', 'format'],
  ['close with neither syssn nor out_trade_no', 'close', { txamt: '1', txdtm: TXDTM }, undefined, 'syssn|out_trade_no', 'required'],
  ['refund without syssn', 'refund', { out_trade_no: 'R01', txamt: '1', txdtm: TXDTM }, undefined, 'syssn', 'required'],
  ['unknown parameter "sign"', 'payment', wirePay({ sign: 'ABC' }), undefined, 'sign', 'not_allowed'],
  ['unknown parameter "TXAMT" (names are case-sensitive)', 'payment', wirePay({ TXAMT: '1' }), undefined, 'TXAMT', 'not_allowed'],
  ['query parameter "page" on payment', 'payment', wirePay({ page: '1' }), undefined, 'page', 'not_allowed'],
  ['payment parameter "goods_name" on refund', 'refund', { syssn: '1', out_trade_no: 'R01', txamt: '1', txdtm: TXDTM, goods_name: 'Latte' }, undefined, 'goods_name', 'not_allowed'],
  // Names that exist on Object.prototype must not be mistaken for field rules.
  ['unknown parameter "hasOwnProperty"', 'payment', withName('hasOwnProperty'), undefined, 'hasOwnProperty', 'not_allowed'],
  ['unknown parameter "isPrototypeOf"', 'payment', withName('isPrototypeOf'), undefined, 'isPrototypeOf', 'not_allowed'],
  ['unknown parameter "toString"', 'payment', withName('toString'), undefined, 'toString', 'not_allowed'],
  ['unknown parameter "constructor"', 'payment', withName('constructor'), undefined, 'constructor', 'not_allowed'],
  ['unknown parameter "__proto__"', 'payment', withName('__proto__'), undefined, '__proto__', 'not_allowed'],
  ['unknown parameter "__defineGetter__"', 'payment', withName('__defineGetter__'), undefined, '__defineGetter__', 'not_allowed'],
];

describe('hostile wire parameters through validateWire: refused and typed', () => {
  it.each(WIRE_CASES)('%s (%s)', (_name, endpoint, params, mchid, field, reason) => {
    const result = validateWire(endpoint, params, { mchid });
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error).toBeInstanceOf(QfpayInputError);
    expect(result.error.field).toBe(field);
    expect(result.error.reason).toBe(reason);
  });

  it('"__proto__" in a case really is an own name, not a changed prototype', () => {
    const params = withName('__proto__');
    expect(Object.keys(params)).toContain('__proto__');
    expect(Object.getPrototypeOf(params)).toBe(Object.prototype);
  });
});

type ConfigCase = [name: string, extra: Partial<QfpayClientConfig>, field: string, reason: InputReason];

const CONFIG_CASES: ConfigCase[] = [
  ['http:// production URL', { baseUrl: 'http://openapi-hk.qfapi.com' }, 'baseUrl', 'not_allowed'],
  ['ftp:// URL', { baseUrl: 'ftp://openapi-hk.qfapi.com' }, 'baseUrl', 'not_allowed'],
  ['file:// URL', { baseUrl: 'file:///etc/passwd' }, 'baseUrl', 'not_allowed'],
  ['http:// to a host that starts like a loopback address', { baseUrl: 'http://127.0.0.1.example.com' }, 'baseUrl', 'not_allowed'],
  ['not a URL', { baseUrl: 'openapi-hk.qfapi.com' }, 'baseUrl', 'format'],
  ['empty URL', { baseUrl: '' }, 'baseUrl', 'format'],
  ['URL with a query string', { baseUrl: 'https://openapi-hk.qfapi.com/?debug=1' }, 'baseUrl', 'format'],
  ['URL with a fragment', { baseUrl: 'https://openapi-hk.qfapi.com/#x' }, 'baseUrl', 'format'],
  ['URL with a user name and password', { baseUrl: 'https://user:pw@openapi-hk.qfapi.com' }, 'baseUrl', 'format'],
  ['app code with a space', { appCode: 'A1B2 C3D4' }, 'appCode', 'format'],
  ['empty app code', { appCode: '' }, 'appCode', 'format'],
  ['app code with a newline (header injection)', { appCode: 'A1B2\r\nX-Evil: 1' }, 'appCode', 'format'],
  ['empty client key', { clientKey: '' }, 'clientKey', 'format'],
  ['client key with a trailing newline', { clientKey: 'abcd1234\n' }, 'clientKey', 'format'],
  ['client key with a NUL', { clientKey: 'abcd\u00001234' }, 'clientKey', 'format'],
  ['client key with a zero-width space (pasted)', { clientKey: 'abcd\u200b1234' }, 'clientKey', 'format'],
  ['client key with a bidi mark', { clientKey: '\u200fabcd1234' }, 'clientKey', 'format'],
  ['timeoutMs 0', { timeoutMs: 0 }, 'timeoutMs', 'range'],
  ['timeoutMs NaN', { timeoutMs: NaN }, 'timeoutMs', 'range'],
  ['timeoutMs 1.5 s written as 1.5', { timeoutMs: 1.5 }, 'timeoutMs', 'range'],
  ['bad signType "RSA"', { signType: 'RSA' as 'MD5' }, 'signType', 'not_allowed'],
  ['signType in lower case', { signType: 'sha256' as 'SHA256' }, 'signType', 'not_allowed'],
  ['mchid of 33 characters', { mchid: 'Z'.repeat(33) }, 'mchid', 'format'],
  ['udid with a space', { udid: 'till 01' }, 'udid', 'format'],
];

describe('hostile client configuration', () => {
  it.each(CONFIG_CASES)('%s → %s: %s', (_name, extra, field, reason) => {
    const problem = checkClientConfig(config(extra));
    expect(problem).toBeInstanceOf(QfpayInputError);
    expect(problem?.field).toBe(field);
    expect(problem?.reason).toBe(reason);

    const rec = recorder();
    let thrown: unknown;
    try {
      client(rec, extra);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(QfpayInputError);
    expect((thrown as QfpayInputError).field).toBe(field);
    expect((thrown as QfpayInputError).reason).toBe(reason);
    expect(rec.calls).toHaveLength(0);
  });

  it.each([
    ['production over https', { baseUrl: 'https://openapi-hk.qfapi.com' }],
    ['test environment with a trailing slash', { baseUrl: 'https://test-openapi-hk.qfapi.com/' }],
    ['the simulator on 127.0.0.1 over http', { baseUrl: 'http://127.0.0.1:8787' }],
    ['the simulator on localhost over http', { baseUrl: 'http://localhost:8787' }],
    ['the simulator on [::1] over http', { baseUrl: 'http://[::1]:8787' }],
    ['no mchid and no udid', { mchid: undefined, udid: undefined }],
    ['a 26-character mchid like QFPay\'s published test ids', { mchid: 'Zb8MxQ2rT5vW9yA1cE4gJ7kN0p' }],
    ['SHA256 and a 100 ms timeout', { signType: 'SHA256' as const, timeoutMs: 100 }],
  ])('accepts %s', (_name, extra) => {
    expect(checkClientConfig(config(extra))).toBeUndefined();
    expect(() => client(recorder(), extra)).not.toThrow();
  });
});
