import { describe, expect, it } from 'vitest';
import type { QfpayOutcome } from '../../../../electron/qfpay/client';
import { treatmentOf } from '../../../../electron/qfpay/codes';
import { cancelEndpoint, cancelVerdict, paymentVerdict, recordState } from '../../../../electron/qfpay/order-state';
import type { CancelAnswer, PaymentAnswer } from '../../../../electron/qfpay/responses';

// What QFPay's answers mean, read once: 0000 is never read alone.

const head = (respcd: string) => ({ respcd, treatment: treatmentOf(respcd), resperr: '', respmsg: '' });
const answered = <T extends PaymentAnswer | CancelAnswer>(answer: T): QfpayOutcome<T> => ({ kind: 'answered', answer, httpStatus: 200, signature: 'not_checked' });
const record = (respcd: string, cancel: number) => ({ treatment: treatmentOf(respcd), cancel });

describe('recordState', () => {
  it.each([
    ['0000', 0, 'paid'],
    ['0000', 3, 'paid'],
    ['0000', 5, 'paid'],
    ['0000', 1, 'reversed'],
    ['0000', 2, 'closed'],
    ['0000', 4, 'unclear'],
    ['0000', 9, 'unclear'],
    ['1143', 0, 'in_progress'],
    ['1145', 0, 'in_progress'],
    ['1264', 2, 'closed'],
    ['1263', 0, 'closed'],
    ['1181', 0, 'expired'],
    ['1201', 0, 'failed'],
    ['1262', 3, 'paid'],
    ['1260', 0, 'unclear'],
    ['1261', 0, 'unclear'],
    ['1102', 0, 'unclear'],
  ] as const)('respcd %s with cancel %i is %s', (respcd, cancel, state) => {
    expect(recordState(record(respcd, cancel))).toBe(state);
  });
});

describe('paymentVerdict', () => {
  it('0000 is paid for a scanned code, a QR to show for a merchant-presented order', () => {
    expect(paymentVerdict('800208', answered({ ...head('0000'), syssn: '1' }))).toEqual({ kind: 'paid', syssn: '1' });
    expect(paymentVerdict('800008', answered({ ...head('0000'), syssn: '1' }))).toEqual({ kind: 'paid', syssn: '1' });
    expect(paymentVerdict('801501', answered({ ...head('0000'), syssn: '2', qrcode: 'https://qr.alipay.com/bax0x' }))).toEqual({
      kind: 'awaiting_scan',
      syssn: '2',
      qrcode: 'https://qr.alipay.com/bax0x',
    });
  });

  it('0000 without a QR for a merchant-presented order is unknown (resolve by query), never paid', () => {
    expect(paymentVerdict('800201', answered(head('0000')))).toEqual({ kind: 'unknown' });
  });

  it('1145 is the password wait for a scanned code; for a merchant-presented order it is unknown', () => {
    expect(paymentVerdict('800108', answered({ ...head('1145'), syssn: '3' }))).toEqual({ kind: 'in_progress', syssn: '3' });
    expect(paymentVerdict('800208', answered(head('1143')))).toEqual({ kind: 'in_progress', syssn: undefined });
    expect(paymentVerdict('800201', answered(head('1145')))).toEqual({ kind: 'unknown' });
  });

  it('refusals are failed with their code; 1102, 1260 and transport failures are unknown', () => {
    for (const respcd of ['1201', '1202', '2005']) expect(paymentVerdict('800208', answered(head(respcd)))).toEqual({ kind: 'failed', respcd });
    for (const respcd of ['1102', '1260', '2011', '1296']) expect(paymentVerdict('800208', answered(head(respcd))).kind).toBe('unknown');
    expect(paymentVerdict('800208', { kind: 'unknown', reason: 'timeout', detail: '' })).toEqual({ kind: 'unknown' });
    expect(paymentVerdict('800208', { kind: 'rate_limited', retryAfterMs: 1000, httpStatus: 429 })).toEqual({ kind: 'rate_limited', retryAfterMs: 1000 });
  });
});

describe('cancelVerdict', () => {
  it.each([
    ['0000', 'cancelled'],
    ['1260', 'paid'],
    ['1263', 'already_cancelled'],
    ['1142', 'already_cancelled'],
    ['1181', 'expired'],
    ['1136', 'refused'],
    ['1145', 'unknown'],
    ['1102', 'unknown'],
  ] as const)('%s is %s', (respcd, kind) => {
    expect(cancelVerdict(answered(head(respcd))).kind).toBe(kind);
  });

  it('a lost answer is unknown, 429 is rate_limited', () => {
    expect(cancelVerdict({ kind: 'unknown', reason: 'network', detail: '' })).toEqual({ kind: 'unknown' });
    expect(cancelVerdict({ kind: 'rate_limited', retryAfterMs: undefined, httpStatus: 429 })).toEqual({ kind: 'rate_limited', retryAfterMs: undefined });
  });
});

describe('cancelEndpoint', () => {
  it('is close for WeChat MPM and unknown types, reversal for Alipay and scanned codes', () => {
    expect(cancelEndpoint('800201')).toBe('close');
    expect(cancelEndpoint('123456')).toBe('close');
    expect(cancelEndpoint('801501')).toBe('reversal');
    expect(cancelEndpoint('800208')).toBe('reversal');
  });
});
