import { describe, expect, it } from 'vitest';
import { CASH_PAY_TYPE, TENDER_NAMES, TENDER_ORDER, tenderName, tenderRank } from '../../../shared/cash';
import { PAY_TYPES } from '../../../shared/pay-types';
import { LANGUAGES } from '../../../shared/settings';

describe('tender names', () => {
  it('names every pay type of the table and cash in each of the till\'s languages, each one distinct', () => {
    const tenders = [...Object.keys(PAY_TYPES), CASH_PAY_TYPE];
    for (const language of LANGUAGES) {
      const names = tenders.map((p) => tenderName(p, language));
      for (const [i, p] of tenders.entries()) {
        expect(TENDER_NAMES[p]?.[language], `${p} in ${language}`).toBeTruthy();
        expect(names[i]).not.toMatch(/Pay type|付款類型|付款类型/);
      }
      expect(new Set(names).size).toBe(tenders.length);
    }
  });

  it('uses the short names the counter and the printouts print', () => {
    expect(['800201', '800208', '800101', '801501', '800108', '805801', '800701', '802001', '800008', 'cash'].map((p) => tenderName(p))).toEqual([
      'WeChat Pay QR', 'WeChat Pay (scanned)', 'Alipay QR', 'AlipayHK QR', 'Alipay (scanned)', 'PayMe', 'UnionPay', 'FPS', 'Unified code', 'Cash',
    ]);
    expect(tenderName('cash', 'zh-Hant')).toBe('現金');
    expect(tenderName('800208', 'zh-Hans')).toBe('微信支付（扫付款码）');
  });

  it('orders every pay type of the table, WeChat first, unknown ones after them and cash last', () => {
    expect([...TENDER_ORDER].sort()).toEqual(Object.keys(PAY_TYPES).sort());
    expect(['cash', '809999', '800108', '800201'].sort((a, b) => tenderRank(a) - tenderRank(b))).toEqual(['800201', '800108', '809999', 'cash']);
  });

  it('shows an unknown pay type by its code, never as another tender', () => {
    expect(tenderName('809999')).toBe('Pay type 809999');
    expect(tenderName('809999', 'zh-Hant')).toBe('付款類型 809999');
    expect(tenderName('toString')).toBe('Pay type toString');
    expect(tenderName('')).toBe('Pay type ?');
  });
});
