import { describe, expect, it } from 'vitest';
import type { QfpayOutcome, QueryInput } from '../../../../electron/qfpay/client';
import type { QueryAnswer, QueryRecord } from '../../../../electron/qfpay/responses';
import { decidingRecord, findByOutTradeNo, findBySyssn, monthsToSearch } from '../../../../electron/till/lookup';
import type { QfpayPort } from '../../../../electron/till/ports';

// Finding an order by out_trade_no: QFPay searches one calendar month per
// query, so the lookup asks for the order's own month and, near a boundary,
// the neighbouring one, each call paid for with a token.

describe('monthsToSearch', () => {
  it('mid-month: only that month', () => {
    expect(monthsToSearch('2026-11-15 12:00:00')).toEqual([{ start_time: '2026-11-01 00:00:00', end_time: '2026-11-30 23:59:59' }]);
  });

  it('the last seconds of a month: that month first, then the next', () => {
    expect(monthsToSearch('2026-11-30 23:59:50')).toEqual([
      { start_time: '2026-11-01 00:00:00', end_time: '2026-11-30 23:59:59' },
      { start_time: '2026-12-01 00:00:00', end_time: '2026-12-31 23:59:59' },
    ]);
  });

  it('the first seconds of a month: that month first, then the previous', () => {
    expect(monthsToSearch('2026-12-01 00:00:05')).toEqual([
      { start_time: '2026-12-01 00:00:00', end_time: '2026-12-31 23:59:59' },
      { start_time: '2026-11-01 00:00:00', end_time: '2026-11-30 23:59:59' },
    ]);
  });

  it('across a year end, and February of a leap year', () => {
    expect(monthsToSearch('2026-12-31 23:00:00').map((r) => r.start_time)).toEqual(['2026-12-01 00:00:00', '2027-01-01 00:00:00']);
    expect(monthsToSearch('2028-02-29 10:00:00')).toEqual([
      { start_time: '2028-02-01 00:00:00', end_time: '2028-02-29 23:59:59' },
      { start_time: '2028-03-01 00:00:00', end_time: '2028-03-31 23:59:59' },
    ]);
  });

  it('every range stays inside one calendar month (QFPay refuses anything else)', () => {
    for (const txdtm of ['2026-01-31 23:59:59', '2026-03-01 00:00:00', '2026-02-28 12:00:00', '2026-06-30 01:00:00']) {
      for (const range of monthsToSearch(txdtm)) expect(range.start_time.slice(0, 7)).toBe(range.end_time.slice(0, 7));
    }
  });
});

function record(extra: Partial<QueryRecord>): QueryRecord {
  return { syssn: '1', out_trade_no: 'S1', order_type: 'payment', respcd: '0000', treatment: 'success', cancel: 0, ...extra };
}

function answered(records: QueryRecord[], respcd = '0000'): QfpayOutcome<QueryAnswer> {
  return { kind: 'answered', answer: { respcd, treatment: respcd === '0000' ? 'success' : 'failed', resperr: '', respmsg: '', records }, httpStatus: 200, signature: 'not_checked' };
}

function fakePort(answers: Array<QfpayOutcome<QueryAnswer>>): { port: QfpayPort; calls: QueryInput[] } {
  const calls: QueryInput[] = [];
  const port = {
    query: async (input: QueryInput) => {
      calls.push(input);
      return answers.shift() ?? answered([]);
    },
  } as unknown as QfpayPort;
  return { port, calls };
}

describe('findByOutTradeNo', () => {
  it('finds an order in the next month, one token per query', async () => {
    const { port, calls } = fakePort([answered([]), answered([record({ out_trade_no: 'S1' })])]);
    let tokens = 0;
    const found = await findByOutTradeNo(port, async () => void tokens++, 'S1', '2026-11-30 23:59:50', 'payment');
    expect(found).toMatchObject({ kind: 'found', record: { out_trade_no: 'S1' } });
    expect(tokens).toBe(2);
    expect(calls.map((c) => c.start_time)).toEqual(['2026-11-01 00:00:00', '2026-12-01 00:00:00']);
    expect(calls.every((c) => c.out_trade_no === 'S1')).toBe(true);
  });

  it('absent only after every month was asked', async () => {
    const { port, calls } = fakePort([]);
    expect(await findByOutTradeNo(port, async () => undefined, 'S1', '2026-11-30 23:59:50', 'payment')).toEqual({ kind: 'absent' });
    expect(calls).toHaveLength(2);
  });

  it('a query that did not work is "unanswered", never "absent"', async () => {
    const failed = fakePort([answered([], '1297')]);
    expect((await findByOutTradeNo(failed.port, async () => undefined, 'S1', '2026-11-15 12:00:00', 'payment')).kind).toBe('unanswered');
    const limited = fakePort([{ kind: 'rate_limited', retryAfterMs: 1000, httpStatus: 429 }]);
    expect((await findByOutTradeNo(limited.port, async () => undefined, 'S1', '2026-11-15 12:00:00', 'payment')).kind).toBe('unanswered');
    const lost = fakePort([answered([]), { kind: 'unknown', reason: 'timeout', detail: 'x' }]);
    expect((await findByOutTradeNo(lost.port, async () => undefined, 'S1', '2026-11-30 23:59:50', 'payment')).kind).toBe('unanswered');
  });

  it('picks the record of the right kind and id, ignoring others in the answer', async () => {
    const { port } = fakePort([
      answered([record({ out_trade_no: 'S1', order_type: 'refund', syssn: '9' }), record({ out_trade_no: 'S2', syssn: '8' }), record({ out_trade_no: 'S1', syssn: '7' })]),
    ]);
    const found = await findByOutTradeNo(port, async () => undefined, 'S1', '2026-11-15 12:00:00', 'payment');
    expect(found).toMatchObject({ kind: 'found', record: { syssn: '7' } });
  });
});

describe('findBySyssn', () => {
  it('asks once, by syssn, with no time range', async () => {
    const { port, calls } = fakePort([answered([record({ syssn: '42' })])]);
    let tokens = 0;
    expect(await findBySyssn(port, async () => void tokens++, '42')).toMatchObject({ kind: 'found' });
    expect(calls).toEqual([{ syssn: '42' }]);
    expect(tokens).toBe(1);
  });

  it('a refund sharing the syssn is not the payment', async () => {
    const { port } = fakePort([answered([record({ syssn: '42', order_type: 'refund' })])]);
    expect(await findBySyssn(port, async () => undefined, '42')).toEqual({ kind: 'absent' });
  });
});

describe('several records, unreadable items (issue 9)', () => {
  it('a failed attempt listed before the paid record: the paid record decides', async () => {
    const { port } = fakePort([answered([record({ syssn: '7', respcd: '1201', treatment: 'failed' }), record({ syssn: '7' })])]);
    expect(await findBySyssn(port, async () => undefined, '7')).toMatchObject({ kind: 'found', record: { respcd: '0000' } });
  });

  it('in progress beats a declined attempt; a closed record beats a declined one', () => {
    const declined = record({ respcd: '1297', treatment: 'failed' });
    const open = record({ respcd: '1143', treatment: 'in_progress' });
    const closed = record({ respcd: '0000', treatment: 'success', cancel: 2 });
    expect(decidingRecord([declined, open], () => true)).toBe(open);
    expect(decidingRecord([declined, closed], () => true)).toBe(closed);
  });

  it('an unreadable item that may be the order makes the lookup unreadable, never absent', async () => {
    const blind = fakePort([{ ...answered([]), answer: { ...(answered([]) as { answer: QueryAnswer }).answer, unreadable: [{}] } } as QfpayOutcome<QueryAnswer>]);
    expect((await findByOutTradeNo(blind.port, async () => undefined, 'S1', '2026-11-15 12:00:00', 'payment')).kind).toBe('unreadable');
    const other = fakePort([{ ...answered([]), answer: { ...(answered([]) as { answer: QueryAnswer }).answer, unreadable: [{ out_trade_no: 'S9' }] } } as QfpayOutcome<QueryAnswer>]);
    expect((await findByOutTradeNo(other.port, async () => undefined, 'S1', '2026-11-15 12:00:00', 'payment')).kind).toBe('absent');
  });
});
