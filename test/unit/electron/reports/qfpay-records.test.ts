import { describe, expect, it } from 'vitest';
import type { QfpayOutcome, QueryInput } from '../../../../electron/qfpay/client';
import { treatmentOf } from '../../../../electron/qfpay/codes';
import type { QueryAnswer, QueryRecord } from '../../../../electron/qfpay/responses';
import { QUERY_PAY_TYPES, fetchQfpayRecords, queryRanges, type QueryPort } from '../../../../electron/reports/qfpay-records';
import { PAY_TYPES } from '../../../../shared/pay-types';
import { BucketStoppedError } from '../../../../electron/till/budget';
import { HK, hk } from './fixtures';

// Fetching a period's records: split at the merchant's calendar months, paged
// at 100 until a short page, a budget token before every request, bounded
// retries with backoff, and "incomplete" rather than a guess.

describe('queryRanges', () => {
  it('one range inside a month, whole seconds, the end inclusive of the last second before toMs', () => {
    expect(queryRanges(hk(2026, 11, 26, 4, 0, 0, 250), hk(2026, 11, 27, 4), HK)).toEqual([{ start_time: '2026-11-26 04:00:00', end_time: '2026-11-27 03:59:59' }]);
  });

  it('splits at month ends in the merchant zone, across a year end and a leap February', () => {
    expect(queryRanges(hk(2026, 11, 30, 22), hk(2026, 12, 1, 2), HK)).toEqual([
      { start_time: '2026-11-30 22:00:00', end_time: '2026-11-30 23:59:59' },
      { start_time: '2026-12-01 00:00:00', end_time: '2026-12-01 01:59:59' },
    ]);
    expect(queryRanges(hk(2026, 12, 15, 0), hk(2028, 3, 1, 0, 0, 1), HK).map((r) => `${r.start_time}|${r.end_time}`)).toEqual([
      '2026-12-15 00:00:00|2026-12-31 23:59:59',
      ...Array.from({ length: 12 }, (_, i) => {
        const m = String(i + 1).padStart(2, '0');
        const last = new Date(Date.UTC(2027, i + 1, 0)).getUTCDate();
        return `2027-${m}-01 00:00:00|2027-${m}-${last} 23:59:59`;
      }),
      '2028-01-01 00:00:00|2028-01-31 23:59:59',
      '2028-02-01 00:00:00|2028-02-29 23:59:59',
      '2028-03-01 00:00:00|2028-03-01 00:00:00',
    ]);
  });

  it('uses the merchant zone, not UTC: 2026-11-30 23:30 UTC is already December in Hong Kong', () => {
    const at = Date.UTC(2026, 10, 30, 23, 30);
    expect(queryRanges(at - 3_600_000, at, 'UTC')).toEqual([{ start_time: '2026-11-30 22:30:00', end_time: '2026-11-30 23:29:59' }]);
    expect(queryRanges(at - 3_600_000, at, HK)).toEqual([{ start_time: '2026-12-01 06:30:00', end_time: '2026-12-01 07:29:59' }]);
  });

  it('an empty or backward period needs no query', () => {
    expect(queryRanges(5, 5, HK)).toEqual([]);
    expect(queryRanges(6, 5, HK)).toEqual([]);
  });
});

const rec = (n: number): QueryRecord => ({
  syssn: `SSN${String(n).padStart(6, '0')}`,
  out_trade_no: `S-${n}`,
  order_type: 'payment',
  respcd: '0000',
  treatment: 'success',
  cancel: 0,
  txamt: 100 + n,
  txcurrcd: 'HKD',
  sysdtm: '2026-11-26 12:00:00',
  udid: 'till-01',
});

type Script = (input: QueryInput, call: number) => QfpayOutcome<QueryAnswer> | undefined;

/** A QFPay that pages `total` records (or follows `script` first), recording every request. */
function fakeQfpay(total: number, options: { cap?: number; ignorePage?: boolean; script?: Script } = {}) {
  const calls: QueryInput[] = [];
  const all = Array.from({ length: total }, (_, i) => rec(i));
  const port: QueryPort = {
    async query(input) {
      calls.push(input);
      const scripted = options.script?.(input, calls.length);
      if (scripted) return scripted;
      const size = Math.min(input.page_size ?? 10, options.cap ?? 100);
      const page = options.ignorePage ? 1 : (input.page ?? 1);
      const records = all.slice((page - 1) * size, page * size);
      const answer: QueryAnswer = { respcd: '0000', treatment: 'success', resperr: '', respmsg: '', page, page_size: size, records };
      return { kind: 'answered', answer, httpStatus: 200, signature: 'not_checked' };
    },
  };
  return { port, calls };
}

const answered = (respcd: string): QfpayOutcome<QueryAnswer> => ({
  kind: 'answered',
  answer: { respcd, treatment: treatmentOf(respcd), resperr: `code ${respcd}`, respmsg: '', records: [] },
  httpStatus: 200,
  signature: 'not_checked',
});

const RANGE = [{ start_time: '2026-11-26 04:00:00', end_time: '2026-11-27 03:59:59' }];

function budget() {
  const b = { taken: 0, take: async () => void (b.taken += 1) };
  return b;
}

describe('fetchQfpayRecords', () => {
  it('pages at 100 until a short page, taking a token before each request', async () => {
    const q = fakeQfpay(250);
    const b = budget();
    const result = await fetchQfpayRecords(q.port, b.take, RANGE);
    expect(result).toMatchObject({ complete: true, problems: [], requests: 3 });
    expect(result.records).toHaveLength(250);
    expect(q.calls.map((c) => [c.page, c.page_size, c.start_time, c.end_time])).toEqual([
      [1, 100, RANGE[0]!.start_time, RANGE[0]!.end_time],
      [2, 100, RANGE[0]!.start_time, RANGE[0]!.end_time],
      [3, 100, RANGE[0]!.start_time, RANGE[0]!.end_time],
    ]);
    expect(b.taken).toBe(3);
  });

  it('asks for every pay type of the table, as one comma list, on every page', async () => {
    const q = fakeQfpay(150);
    await fetchQfpayRecords(q.port, budget().take, RANGE);
    expect(q.calls).toHaveLength(2);
    for (const call of q.calls) expect([...(call.pay_type as readonly string[])].sort()).toEqual(Object.keys(PAY_TYPES).sort());
    expect(QUERY_PAY_TYPES[0]).toBe('800201');
    const wechatOnly = fakeQfpay(1);
    await fetchQfpayRecords(wechatOnly.port, budget().take, RANGE, { payTypes: ['800201'] });
    expect(wechatOnly.calls[0]!.pay_type).toEqual(['800201']);
  });

  it('an exact multiple of 100 ends with an empty page; no records is one request', async () => {
    const b = budget();
    expect((await fetchQfpayRecords(fakeQfpay(200).port, b.take, RANGE)).requests).toBe(3);
    expect((await fetchQfpayRecords(fakeQfpay(0).port, b.take, RANGE)).requests).toBe(1);
  });

  it('goes through every range in order', async () => {
    const q = fakeQfpay(5);
    const ranges = queryRanges(hk(2026, 11, 30, 22), hk(2026, 12, 1, 2), HK);
    const result = await fetchQfpayRecords(q.port, budget().take, ranges);
    expect(q.calls.map((c) => c.start_time)).toEqual(['2026-11-30 22:00:00', '2026-12-01 00:00:00']);
    // The fake returns the same five records for both months: each is kept once.
    expect(result.records).toHaveLength(5);
  });

  it('a server that caps page_size below 100 is still paged to the end', async () => {
    const q = fakeQfpay(120, { cap: 50 });
    const result = await fetchQfpayRecords(q.port, budget().take, RANGE);
    expect(result.records).toHaveLength(120);
    expect(q.calls).toHaveLength(3);
  });

  it('retries an unanswered query with growing backoff, then carries on', async () => {
    const sleeps: number[] = [];
    const q = fakeQfpay(150, {
      script: (input, call) =>
        input.page === 2 && call <= 3 ? { kind: 'unknown', reason: 'timeout', detail: 'no answer within 15000 ms' } : undefined,
    });
    const b = budget();
    const result = await fetchQfpayRecords(q.port, b.take, RANGE, { sleep: async (ms) => void sleeps.push(ms), random: () => 0.5, backoffBaseMs: 100 });
    expect(result.complete).toBe(true);
    expect(result.records).toHaveLength(150);
    expect(sleeps).toEqual([75, 150]);
    expect(b.taken).toBe(q.calls.length);
  });

  it('a 429 pauses the whole till for Retry-After (or backoff) instead of sleeping here', async () => {
    const pauses: number[] = [];
    const sleeps: number[] = [];
    const q = fakeQfpay(10, {
      script: (_input, call) => (call === 1 ? { kind: 'rate_limited', retryAfterMs: 2000, httpStatus: 429 } : call === 2 ? { kind: 'rate_limited', retryAfterMs: undefined, httpStatus: 429 } : undefined),
    });
    const result = await fetchQfpayRecords(q.port, budget().take, RANGE, { pause: (ms) => void pauses.push(ms), sleep: async (ms) => void sleeps.push(ms), random: () => 0, backoffBaseMs: 100 });
    expect(result.complete).toBe(true);
    expect(pauses).toEqual([2000, 100]);
    expect(sleeps).toEqual([]);
  });

  it('temporary QFPay codes are retried; a refused query is not', async () => {
    const retried = fakeQfpay(3, { script: (_i, call) => (call === 1 ? answered('1100') : undefined) });
    expect((await fetchQfpayRecords(retried.port, budget().take, RANGE, { sleep: async () => undefined })).complete).toBe(true);

    const refused = fakeQfpay(3, { script: () => answered('1108') });
    const result = await fetchQfpayRecords(refused.port, budget().take, RANGE, { sleep: async () => undefined });
    expect(refused.calls).toHaveLength(1);
    expect(result).toMatchObject({ complete: false, records: [] });
    expect(result.problems).toEqual([`page 1 of ${RANGE[0]!.start_time} – ${RANGE[0]!.end_time} could not be fetched: QFPay answered 1108 (code 1108)`]);
  });

  it('gives up after the bounded number of tries and says the fetch is incomplete, keeping what it had', async () => {
    const q = fakeQfpay(150, { script: (input) => (input.page === 2 ? { kind: 'unknown', reason: 'network', detail: 'ECONNRESET' } : undefined) });
    const b = budget();
    const result = await fetchQfpayRecords(q.port, b.take, [...RANGE, { start_time: '2026-12-01 00:00:00', end_time: '2026-12-01 01:00:00' }], { maxAttempts: 4, sleep: async () => undefined });
    expect(result.complete).toBe(false);
    expect(result.records).toHaveLength(100);
    expect(result.requests).toBe(5);
    expect(b.taken).toBe(5);
    expect(result.problems[0]).toMatch(/^page 2 of 2026-11-26 04:00:00 – 2026-11-27 03:59:59 could not be fetched: no usable answer \(network: ECONNRESET\)$/);
    // It stopped: the next month was never asked.
    expect(q.calls.every((c) => c.start_time === RANGE[0]!.start_time)).toBe(true);
  });

  it('a server that ignores "page" cannot loop for ever', async () => {
    const q = fakeQfpay(300, { ignorePage: true });
    const result = await fetchQfpayRecords(q.port, budget().take, RANGE);
    expect(result.complete).toBe(false);
    expect(q.calls).toHaveLength(2);
    expect(result.problems[0]).toMatch(/nothing new/);
  });

  it('a till that is stopping ends the fetch as incomplete', async () => {
    let n = 0;
    const take = async () => {
      if (++n > 1) throw new BucketStoppedError();
    };
    const result = await fetchQfpayRecords(fakeQfpay(150).port, take, RANGE);
    expect(result).toMatchObject({ complete: false, requests: 1, problems: ['the till stopped before every page was fetched'] });
  });
});
