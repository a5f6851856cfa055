import { describe, expect, it } from 'vitest';
import { refundLines } from '../../../../electron/cli/present';
import type { RefundView } from '../../../../shared/sale';

// `till refund` output (issue 9 §3): an unconfirmed refund never reads as a
// failure to retry, whatever QFPay answered first.

const refund = (overrides: Partial<RefundView>): RefundView => ({
  outTradeNo: 'R-1',
  saleOutTradeNo: 'S-1',
  amountMinor: 500,
  currency: 'HKD',
  state: 'unknown',
  createdAtMs: 0,
  syssn: null,
  respcd: '1254',
  training: true,
  ...overrides,
});

describe('refundLines', () => {
  it('an unknown refund answered 1254 is "being confirmed", with no hint to try again', () => {
    const text = refundLines(refund({})).join('\n');
    expect(text).toContain('UNKNOWN');
    expect(text).toContain('refund being confirmed (QFPay answered 1254): do not refund again');
    expect(text).not.toMatch(/try again/i);
  });

  it('a failed refund keeps its code and what to do', () => {
    expect(refundLines(refund({ state: 'failed', respcd: '1269' }))[1]).toMatch(/^ {2}1269: /);
  });
});
