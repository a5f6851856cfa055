// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DrawerSection } from '../../../../renderer/cashier/DrawerSection';
import type { TillReport } from '../../../../shared/reports';
import { emptyReport, useLanguage } from '../support/fixtures';

// The split by tender on the reports screen: every tender by its name in the
// cashier's language, its refunds under it, cash last, one net total per
// currency; a report from before the split (an older Z) shows none.

beforeAll(() => useLanguage('en'));
afterEach(cleanup);

const report = (tenders: TillReport['tenders']): TillReport => emptyReport(tenders ? { tenders } : {});

const rows = (container: HTMLElement) => [...container.querySelectorAll('.tender-table tr')].map((tr) => [tr.querySelector('th')!.textContent, tr.querySelector('td')!.textContent]);

describe('DrawerSection: the split by tender', () => {
  const mixed = report([
    {
      currency: 'HKD',
      tenders: [
        { payType: '800201', paidCount: 2, grossMinor: 8000, refundCount: 1, refundMinor: 700 },
        { payType: '800208', paidCount: 1, grossMinor: 1200, refundCount: 0, refundMinor: 0 },
        { payType: '805801', paidCount: 1, grossMinor: 1500, refundCount: 0, refundMinor: 0 },
        { payType: 'cash', paidCount: 1, grossMinor: 2000, refundCount: 1, refundMinor: 500 },
      ],
    },
  ]);

  it('names every tender, its refunds under it, and one net total', () => {
    const { container } = render(<DrawerSection report={mixed} language="en" />);
    expect(rows(container)).toEqual([
      ['WeChat Pay QR', '2 · HK$80.00'],
      ['Refunds', '1 · −HK$7.00'],
      ['WeChat Pay (scanned)', '1 · HK$12.00'],
      ['PayMe', '1 · HK$15.00'],
      ['Cash', '1 · HK$20.00'],
      ['Refunds', '1 · −HK$5.00'],
      ['Total (net)', '5 · HK$115.00'],
    ]);
  });

  it('in Simplified Chinese', () => {
    useLanguage('zh-Hans');
    const { container } = render(<DrawerSection report={mixed} language="zh-Hans" />);
    expect(rows(container).map(([name]) => name)).toEqual(['微信支付二维码', '退款', '微信支付（扫付款码）', 'PayMe', '现金', '退款', '合计（净额）']);
    useLanguage('en');
  });

  it('one tender only is still named; a report without the split shows no section', () => {
    const { container } = render(<DrawerSection report={report([{ currency: 'HKD', tenders: [{ payType: '801501', paidCount: 3, grossMinor: 900, refundCount: 0, refundMinor: 0 }] }])} language="en" />);
    expect(rows(container)).toEqual([
      ['AlipayHK QR', '3 · HK$9.00'],
      ['Total (net)', '3 · HK$9.00'],
    ]);
    cleanup();
    expect(render(<DrawerSection report={report(undefined)} language="en" />).container.textContent).toBe('');
  });
});
