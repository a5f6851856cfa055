import i18next from 'i18next';
import { beforeAll, describe, expect, it } from 'vitest';
import { trailText } from '../../../../renderer/cashier/HistoryScreen';
import { initI18n } from '../../../../renderer/i18n';

// A sale's trail reads in the cashier's language; the engine's English line
// is only the fallback (and the tooltip).

describe('trailText', () => {
  beforeAll(async () => {
    initI18n('zh-Hant');
    await i18next.changeLanguage('zh-Hant');
  });

  it('a transition names both states in Chinese', () => {
    expect(trailText({ atMs: 0, kind: 'transition', summary: 'awaiting_scan → paid: customer paid', from: 'awaiting_scan', to: 'paid' }, i18next.t)).toBe('等待中 → 已付款');
  });

  it('the write-ahead row says what was recorded', () => {
    expect(trailText({ atMs: 0, kind: 'transition', summary: 'requesting: charge', from: null, to: 'requesting' }, i18next.t)).toBe('已記錄：建立中');
  });

  it('an exchange names the endpoint, the answer and the time', () => {
    expect(trailText({ atMs: 0, kind: 'exchange', summary: 'QFPay query: answered 0000 (12 ms)', endpoint: 'query', respcd: '0000', durationMs: 12 }, i18next.t)).toBe(
      'QFPay：查詢狀態 — 回應 0000 (12 ms)',
    );
    expect(trailText({ atMs: 0, kind: 'exchange', summary: 'QFPay payment: unknown', endpoint: 'payment', respcd: null, durationMs: 15000 }, i18next.t)).toBe(
      'QFPay：建立訂單 — 沒有回應 (15000 ms)',
    );
  });

  it('anything unknown falls back to the technical line', () => {
    expect(trailText({ atMs: 0, kind: 'note', summary: 'something odd' }, i18next.t)).toBe('something odd');
    expect(trailText({ atMs: 0, kind: 'exchange', summary: 'QFPay teleport', endpoint: 'teleport', respcd: null }, i18next.t)).toBe('QFPay teleport');
  });
});
