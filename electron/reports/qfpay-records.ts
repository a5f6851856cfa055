import { TENDER_ORDER } from '../../shared/cash';
import { isPayType } from '../../shared/pay-types';
import type { QfpayClient, QfpayOutcome } from '../qfpay/client';
import { codeInfo } from '../qfpay/codes';
import type { QueryAnswer, QueryRecord } from '../qfpay/responses';
import { formatTxdtm } from '../qfpay/time';
import { BucketStoppedError, backoffMs } from '../till/budget';

// QFPay's records for a period, by /trade/v1/query with a time range. QFPay
// answers one calendar month per query (API.md, "Query"), so the period is
// cut at month boundaries in the merchant's zone, and each month is paged at
// 100 until a short page. Every request takes a budget token first. A query
// that goes unanswered (transport, 429, a temporary code) is retried a few
// times with backoff; after that the fetch says it is incomplete — the
// caller never fills the gap with a guess. Every query names every pay type
// of the table (a comma list, API.md): the records of scanned codes, Alipay
// and the other wallets are matched like WeChat's, whatever QFPay's default.

export const PAGE_SIZE = 100;

export type QueryPort = Pick<QfpayClient, 'query'>;

export interface TimeRange {
  start_time: string;
  end_time: string;
}

export interface FetchOptions {
  /** Tries per request, the first included. */
  maxAttempts?: number;
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  /** After a 429: nobody on this till calls QFPay for `ms` (the till's bucket.pause). Without it, the fetch sleeps. */
  pause?: (ms: number) => void;
  sleep?: (ms: number) => Promise<void>;
  random?: () => number;
  /** A guard against a server that ignores `page`: at most this many pages per month. */
  maxPagesPerRange?: number;
  /** The pay types asked for (default: every pay type of the table). */
  payTypes?: readonly string[];
}

/** Every QFPay pay type the till knows: what reconciliation asks QFPay for. */
export const QUERY_PAY_TYPES: readonly string[] = TENDER_ORDER.filter(isPayType);

export interface FetchResult {
  records: QueryRecord[];
  /** Every page of every range was answered. */
  complete: boolean;
  /** Why the fetch is incomplete, one sentence each. */
  problems: string[];
  /** Query requests sent (each took a budget token). */
  requests: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * `start_time`/`end_time` pairs (merchant local time, both inclusive, whole
 * seconds) covering [fromMs, toMs), one per calendar month touched.
 */
export function queryRanges(fromMs: number, toMs: number, timeZone: string): TimeRange[] {
  if (!(toMs > fromMs)) return [];
  const start = formatTxdtm(fromMs, timeZone);
  let end = formatTxdtm(toMs - 1, timeZone);
  // A period of minutes inside a DST fall-back hour can read backwards in wall time.
  if (end < start) end = start;
  const ranges: TimeRange[] = [];
  let from = start;
  while (from.slice(0, 7) < end.slice(0, 7)) {
    const year = Number(from.slice(0, 4));
    const month = Number(from.slice(5, 7));
    const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
    ranges.push({ start_time: from, end_time: `${year}-${pad(month)}-${pad(lastDay)} 23:59:59` });
    const next = month === 12 ? { y: year + 1, m: 1 } : { y: year, m: month + 1 };
    from = `${next.y}-${pad(next.m)}-01 00:00:00`;
  }
  ranges.push({ start_time: from, end_time: end });
  return ranges;
}

type Attempt = { ok: true; answer: QueryAnswer } | { ok: false; retry: boolean; why: string; rateLimited?: boolean; retryAfterMs?: number };

function classify(outcome: QfpayOutcome<QueryAnswer>): Attempt {
  switch (outcome.kind) {
    case 'answered': {
      const a = outcome.answer;
      if (a.respcd === '0000') return { ok: true, answer: a };
      const info = codeInfo(a.respcd);
      const why = `QFPay answered ${a.respcd}${a.resperr ? ` (${a.resperr})` : ''}`;
      // Maintenance, system errors, a busy bank, "duplicate"/"slow network": worth another try. A refused request is not.
      return { ok: false, retry: info.retryLater || info.treatment === 'unknown' || info.treatment === 'in_progress', why };
    }
    case 'rate_limited':
      return { ok: false, retry: true, why: 'QFPay rate limit (HTTP 429)', rateLimited: true, ...(outcome.retryAfterMs === undefined ? {} : { retryAfterMs: outcome.retryAfterMs }) };
    case 'unknown':
      return { ok: false, retry: true, why: `no usable answer (${outcome.reason}: ${outcome.detail})` };
    case 'invalid':
      return { ok: false, retry: false, why: `the query was refused before sending (${outcome.error.message})` };
  }
}

/** Fetches every record QFPay has for the ranges; stops at the first request that cannot be answered. */
export async function fetchQfpayRecords(
  client: QueryPort,
  take: () => Promise<void>,
  ranges: readonly TimeRange[],
  options: FetchOptions = {},
): Promise<FetchResult> {
  const maxAttempts = Math.max(1, options.maxAttempts ?? 5);
  const baseMs = options.backoffBaseMs ?? 1000;
  const maxMs = options.backoffMaxMs ?? 30_000;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const maxPages = options.maxPagesPerRange ?? 10_000;
  const payTypes = options.payTypes ?? QUERY_PAY_TYPES;
  const seen = new Set<string>();
  const records: QueryRecord[] = [];
  const result: FetchResult = { records, complete: true, problems: [], requests: 0 };

  const fail = (problem: string): FetchResult => {
    result.complete = false;
    result.problems.push(problem);
    return result;
  };

  for (const range of ranges) {
    for (let page = 1; ; page++) {
      if (page > maxPages) return fail(`QFPay kept returning full pages for ${range.start_time} – ${range.end_time} beyond page ${maxPages}`);
      let answer: QueryAnswer | undefined;
      let last = '';
      for (let attempt = 0; attempt < maxAttempts && !answer; attempt++) {
        try {
          await take();
        } catch (error) {
          if (error instanceof BucketStoppedError) return fail('the till stopped before every page was fetched');
          throw error;
        }
        result.requests += 1;
        const got = classify(await client.query({ ...range, pay_type: payTypes, page, page_size: PAGE_SIZE }));
        if (got.ok) {
          answer = got.answer;
          break;
        }
        last = got.why;
        if (!got.retry) break;
        if (attempt + 1 >= maxAttempts) break;
        const wait = got.retryAfterMs ?? backoffMs(attempt, random, baseMs, maxMs);
        // After a 429 nobody on this till may call QFPay for a while: the bucket's next take() waits it out.
        if (got.rateLimited && options.pause) options.pause(wait);
        else await sleep(wait);
      }
      if (!answer) return fail(`page ${page} of ${range.start_time} – ${range.end_time} could not be fetched: ${last}`);
      let fresh = 0;
      for (const record of answer.records) {
        const key = `${record.order_type}:${record.syssn}`;
        if (seen.has(key)) continue;
        seen.add(key);
        records.push(record);
        fresh += 1;
      }
      // Some servers cap page_size below what was asked: a page as long as the cap is full.
      const full = Math.min(PAGE_SIZE, answer.page_size !== undefined && answer.page_size > 0 ? answer.page_size : PAGE_SIZE);
      if (answer.records.length < full) break;
      if (fresh === 0) return fail(`QFPay returned page ${page} of ${range.start_time} – ${range.end_time} with nothing new (is it ignoring "page"?)`);
    }
  }
  return result;
}
