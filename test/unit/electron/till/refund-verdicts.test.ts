import { describe, expect, it } from 'vitest';
import type { QueryRecord, RefundAnswer } from '../../../../electron/qfpay/responses';
import { treatmentOf } from '../../../../electron/qfpay/codes';
import { REFUSED_BEFORE_RUN, judgeRefundAnswer, judgeRefundRecord } from '../../../../electron/till/refund-verdicts';

// Which answers may end a refund (issue 9 §3): "failed" frees the amount, so
// it needs a code that means QFPay refused before running the refund.

const sent = { outTradeNo: 'R-1', amountMinor: 500 };
const answer = (respcd: string, extra: Partial<RefundAnswer> = {}): RefundAnswer => ({ respcd, treatment: treatmentOf(respcd), resperr: '', respmsg: '', ...extra });
const record = (respcd: string, extra: Partial<QueryRecord> = {}): QueryRecord => ({
  syssn: '1',
  out_trade_no: 'R-1',
  order_type: 'refund',
  respcd,
  treatment: treatmentOf(respcd),
  cancel: 0,
  txamt: 500,
  ...extra,
});

describe('judgeRefundAnswer', () => {
  it('0000 for this refund is refunded; 0000 naming another refund or amount is unclear', () => {
    expect(judgeRefundAnswer(answer('0000', { out_trade_no: 'R-1', txamt: 500 }), sent)).toEqual({ kind: 'refunded' });
    expect(judgeRefundAnswer(answer('0000'), sent)).toEqual({ kind: 'refunded' });
    expect(judgeRefundAnswer(answer('0000', { out_trade_no: 'R-2' }), sent).kind).toBe('unclear');
    expect(judgeRefundAnswer(answer('0000', { txamt: 1000 }), sent).kind).toBe('unclear');
  });

  it.each(['1143', '1145'])('%s is pending', (code) => {
    expect(judgeRefundAnswer(answer(code), sent)).toEqual({ kind: 'pending' });
  });

  it.each([...REFUSED_BEFORE_RUN])('%s (refused before it ran) is failed', (code) => {
    expect(judgeRefundAnswer(answer(code), sent)).toEqual({ kind: 'failed' });
  });

  it.each(['1100', '1102', '1136', '1205', '1252', '1254', '1262', '1295', '1297', '2011', '1999', '0001'])('%s may have run: unclear', (code) => {
    expect(judgeRefundAnswer(answer(code), sent).kind).toBe('unclear');
  });
});

describe('judgeRefundRecord', () => {
  it('0000 with cancel 0 is refunded; with another cancel flag or amount, unclear', () => {
    expect(judgeRefundRecord(record('0000'), 500, false)).toEqual({ kind: 'refunded' });
    expect(judgeRefundRecord(record('0000', { cancel: 1 }), 500, true).kind).toBe('unclear');
    expect(judgeRefundRecord(record('0000', { cancel: 2 }), 500, true).kind).toBe('unclear');
    expect(judgeRefundRecord(record('0000', { txamt: 400 }), 500, true).kind).toBe('unclear');
  });

  it('a listed failure on the record is final only once the processing window is over', () => {
    expect(judgeRefundRecord(record('1297'), 500, false).kind).toBe('unclear');
    expect(judgeRefundRecord(record('1297'), 500, true)).toEqual({ kind: 'failed' });
    expect(judgeRefundRecord(record('1155'), 500, false)).toEqual({ kind: 'failed' });
  });

  it('an unlisted code or an "unknown" code is never final; 1145 is pending', () => {
    expect(judgeRefundRecord(record('1999'), 500, true).kind).toBe('unclear');
    expect(judgeRefundRecord(record('1102'), 500, true).kind).toBe('unclear');
    expect(judgeRefundRecord(record('1145'), 500, true)).toEqual({ kind: 'pending' });
  });
});
