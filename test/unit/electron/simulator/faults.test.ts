import { describe, expect, it } from 'vitest';
import { emptyFaultPlan, parseFaultPlan, takeFault } from '../../../../electron/simulator/faults';

describe('parseFaultPlan', () => {
  it('accepts every documented fault', () => {
    const parsed = parseFaultPlan({
      payment: { delayMs: 100, httpStatus: 502, commit: true, count: 2 },
      query: { dropRequest: true },
      close: { dropResponse: true },
      refund: { respcd: '1297' },
      reversal: {},
      inProgressQueries: 3,
      autoPayAfterMs: 5_000,
      refundSettleMs: 60_000,
      openRespcd: { respcd: '1201', count: 2 },
      closedAsPaidCancel: true,
      queryShape: { shape: 'string', count: 1 },
      closeNoEffect: 3,
      paymentWrongOrder: 1,
    });
    expect(parsed).toEqual({
      ok: true,
      plan: {
        endpoints: {
          payment: { delayMs: 100, httpStatus: 502, commit: true, count: 2 },
          query: { dropRequest: true },
          close: { dropResponse: true },
          refund: { respcd: '1297' },
          reversal: {},
        },
        inProgressQueries: 3,
        autoPayAfterMs: 5_000,
        refundSettleMs: 60_000,
        openRespcd: { respcd: '1201', count: 2 },
        closedAsPaidCancel: true,
        queryShape: { shape: 'string', count: 1 },
        closeNoEffect: 3,
        paymentWrongOrder: 1,
        queryHides: 0,
        failedAttemptListed: false,
      },
    });
  });

  it('refuses malformed issue-9 faults', () => {
    expect(parseFaultPlan({ openRespcd: { respcd: '12', count: 1 } }).ok).toBe(false);
    expect(parseFaultPlan({ queryShape: { shape: 'xml', count: 1 } }).ok).toBe(false);
    expect(parseFaultPlan({ closedAsPaidCancel: 'yes' }).ok).toBe(false);
    expect(parseFaultPlan({ closeNoEffect: -1 }).ok).toBe(false);
    expect(parseFaultPlan({ query: { httpStatus: 429, retryAfterS: 99_999 } }).ok).toBe(false);
  });

  it('an empty object is the empty plan; autoPayAfterMs null means none', () => {
    expect(parseFaultPlan({})).toEqual({ ok: true, plan: emptyFaultPlan() });
    expect(parseFaultPlan({ autoPayAfterMs: null })).toEqual({ ok: true, plan: emptyFaultPlan() });
  });

  it.each([
    [undefined, 'faults must be a JSON object'],
    [[], 'faults must be a JSON object'],
    [{ payment: [] }, 'payment: must be an object'],
    [{ payment: { delayMs: 120_001 } }, 'payment.delayMs'],
    [{ payment: { delayMs: 1.5 } }, 'payment.delayMs'],
    [{ payment: { httpStatus: 399 } }, 'payment.httpStatus'],
    [{ payment: { respcd: '12345' } }, 'payment.respcd'],
    [{ payment: { count: -1 } }, 'payment.count'],
    [{ query: { dropRequest: 1 } }, 'query.dropRequest'],
    [{ close: { slow: true } }, 'close.slow: unknown fault'],
    [{ inProgressQueries: '2' }, 'inProgressQueries'],
    [{ autoPayAfterMs: 7_200_001 }, 'autoPayAfterMs'],
    [{ refundSettleMs: null }, 'refundSettleMs'],
    [{ payments: {} }, 'payments: unknown fault'],
  ])('refuses %j naming %s', (value, named) => {
    const parsed = parseFaultPlan(value);
    expect(parsed.ok).toBe(false);
    expect(!parsed.ok && parsed.error).toContain(named);
  });
});

describe('takeFault', () => {
  it('without a count, applies to every request', () => {
    const plan = emptyFaultPlan();
    plan.endpoints.payment = { httpStatus: 500 };
    for (let i = 0; i < 3; i++) expect(takeFault(plan, 'payment')).toEqual({ httpStatus: 500 });
    expect(takeFault(plan, 'query')).toBeUndefined();
  });

  it('with count N, applies to N requests and then removes itself', () => {
    const plan = emptyFaultPlan();
    plan.endpoints.refund = { dropResponse: true, count: 2 };
    expect(takeFault(plan, 'refund')?.dropResponse).toBe(true);
    expect(takeFault(plan, 'refund')?.dropResponse).toBe(true);
    expect(takeFault(plan, 'refund')).toBeUndefined();
    expect(plan.endpoints).toEqual({});
  });

  it('count 0 applies to nothing', () => {
    const plan = emptyFaultPlan();
    plan.endpoints.query = { httpStatus: 503, count: 0 };
    expect(takeFault(plan, 'query')).toBeUndefined();
    expect(plan.endpoints).toEqual({});
  });
});

describe('refund.commitAfterMs (a refund run after the till gave up on it)', () => {
  it('is accepted for refunds only, 0–7200000 ms', () => {
    expect(parseFaultPlan({ refund: { commitAfterMs: 75_000, respcd: '1254', count: 1 } })).toMatchObject({
      ok: true,
      plan: { endpoints: { refund: { commitAfterMs: 75_000, respcd: '1254', count: 1 } } },
    });
    expect(parseFaultPlan({ payment: { commitAfterMs: 1 } })).toEqual({ ok: false, error: expect.stringContaining('payment.commitAfterMs') });
    expect(parseFaultPlan({ refund: { commitAfterMs: 7_200_001 } })).toEqual({ ok: false, error: expect.stringContaining('refund.commitAfterMs') });
  });
});
