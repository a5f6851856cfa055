// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HourlyChart, chartHours } from '../../../../renderer/cashier/HourlyChart';
import { tenderColour } from '../../../../shared/cash';
import { useLanguage } from '../support/fixtures';

// The hourly chart is plain SVG: 24 hours from the business-day cut-off,
// one green bar per hour with a paid sale, its height relative to the
// busiest hour, the count above it and the busiest hour's amount on the axis.

beforeAll(() => useLanguage('en'));
afterEach(cleanup);

describe('chartHours', () => {
  it('runs from the cut-off round the clock', () => {
    expect(chartHours(4).slice(0, 3)).toEqual([4, 5, 6]);
    expect(chartHours(4).at(-1)).toBe(3);
    expect(chartHours(0)).toEqual(Array.from({ length: 24 }, (_, i) => i));
    expect(new Set(chartHours(23)).size).toBe(24);
  });
});

describe('HourlyChart', () => {
  const hourly = [
    { hour: 1, paidCount: 1, grossMinor: 500 },
    { hour: 12, paidCount: 4, grossMinor: 2000 },
    { hour: 18, paidCount: 2, grossMinor: 1000 },
  ];

  it('draws one green bar per hour with sales, ordered from the cut-off (01:00 after 23:00)', () => {
    const { container } = render(<HourlyChart hourly={hourly} cutoffHour={4} currency="HKD" language="en" />);
    const groups = [...container.querySelectorAll('g[data-hour]')].map((g) => Number(g.getAttribute('data-hour')));
    expect(groups).toEqual(chartHours(4));
    const bars = [...container.querySelectorAll('rect.chart-bar')];
    expect(bars).toHaveLength(3);
    for (const bar of bars) expect(bar.getAttribute('fill')).toBe('#07c160');
    const heightOf = (hour: number) => Number(container.querySelector(`g[data-hour="${hour}"] rect`)!.getAttribute('height'));
    expect(heightOf(12)).toBeCloseTo(2 * heightOf(18));
    expect(heightOf(18)).toBeCloseTo(2 * heightOf(1));
    // Left to right: 12 before 18 before 1 (after midnight).
    const xOf = (hour: number) => Number(container.querySelector(`g[data-hour="${hour}"] rect`)!.getAttribute('x'));
    expect(xOf(12)).toBeLessThan(xOf(18));
    expect(xOf(18)).toBeLessThan(xOf(1));
    expect(container.querySelector('g[data-hour="12"] text.chart-count')!.textContent).toBe('4');
  });

  it('labels every hour and the axis with the busiest amount, and says what it shows to a screen reader', () => {
    const { container } = render(<HourlyChart hourly={hourly} cutoffHour={4} currency="HKD" language="en" />);
    expect([...container.querySelectorAll('text.chart-hour')].map((t) => t.textContent)).toEqual(chartHours(4).map((h) => String(h).padStart(2, '0')));
    // The amount axis: the busiest hour, half of it and zero, each on a grid line, at a readable size.
    expect([...container.querySelectorAll('text.chart-axis')].map((t) => t.textContent)).toEqual(['HK$20.00', 'HK$10.00', 'HK$0.00']);
    for (const text of container.querySelectorAll('svg text')) expect(Number(text.getAttribute('font-size')), text.textContent!).toBeGreaterThanOrEqual(15);
    const ys = [...container.querySelectorAll('g.chart-tick line')].map((l) => Number(l.getAttribute('y1')));
    expect(ys[2]! - ys[1]!).toBeCloseTo(ys[1]! - ys[0]!);
    const svg = container.querySelector('svg')!;
    expect(svg.getAttribute('role')).toBe('img');
    expect(svg.getAttribute('aria-label')).toBe('Paid sales by hour of the day in HKD, from 04:00; highest HK$20.00');
  });

  it('stacks each hour by tender in the wallets\' colours, in the report\'s tender order, with a legend in the cashier\'s language', () => {
    useLanguage('zh-Hant');
    const tenders = [
      { payType: '800201', paidCount: 3, grossMinor: 1500, refundCount: 0, refundMinor: 0, hourly: [{ hour: 1, paidCount: 1, grossMinor: 500 }, { hour: 12, paidCount: 2, grossMinor: 1000 }] },
      { payType: '800108', paidCount: 1, grossMinor: 600, refundCount: 0, refundMinor: 0, hourly: [{ hour: 12, paidCount: 1, grossMinor: 600 }] },
      { payType: 'cash', paidCount: 3, grossMinor: 1400, refundCount: 1, refundMinor: 100, hourly: [{ hour: 12, paidCount: 1, grossMinor: 400 }, { hour: 18, paidCount: 2, grossMinor: 1000 }] },
    ];
    const { container } = render(<HourlyChart hourly={hourly} cutoffHour={4} currency="HKD" language="zh-Hant" tenders={tenders} />);
    const noon = [...container.querySelectorAll('g[data-hour="12"] rect')];
    expect(noon.map((r) => [r.getAttribute('data-tender'), r.getAttribute('fill')])).toEqual([
      ['800201', tenderColour('800201')],
      ['800108', tenderColour('800108')],
      ['cash', tenderColour('cash')],
    ]);
    // Bottom to top, heights in proportion to each tender's takings, the whole as tall as the busiest hour's bar.
    const ys = noon.map((r) => Number(r.getAttribute('y')));
    expect(ys[0]).toBeGreaterThan(ys[1]!);
    expect(ys[1]).toBeGreaterThan(ys[2]!);
    const h = noon.map((r) => Number(r.getAttribute('height')));
    expect(h[0]! / h[2]!).toBeCloseTo(1000 / 400);
    expect(container.querySelector('g[data-hour="12"] text.chart-count')!.textContent).toBe('4');
    expect(noon[1]!.querySelector('title')!.textContent).toBe('12:00 — 支付寶（掃付款碼） 1 · HK$6.00');
    expect([...container.querySelectorAll('.chart-legend li')].map((li) => li.textContent)).toEqual(['微信支付 QR', '支付寶（掃付款碼）', '現金']);
    useLanguage('en');
  });

  it('a report from before the split (tenders without hours, as on an older Z) keeps one green bar per hour and no legend', () => {
    const tenders = [
      { payType: '800201', paidCount: 5, grossMinor: 2500, refundCount: 0, refundMinor: 0 },
      { payType: 'cash', paidCount: 2, grossMinor: 1000, refundCount: 0, refundMinor: 0 },
    ];
    const { container } = render(<HourlyChart hourly={hourly} cutoffHour={4} currency="HKD" language="en" tenders={tenders} />);
    const bars = [...container.querySelectorAll('rect.chart-bar')];
    expect(bars.map((b) => b.getAttribute('fill'))).toEqual(['#07c160', '#07c160', '#07c160']);
    expect(container.querySelector('.chart-legend')).toBeNull();
  });

  it('one tender only: green bars, no legend', () => {
    const tenders = [{ payType: '800201', paidCount: 7, grossMinor: 3500, refundCount: 0, refundMinor: 0, hourly }];
    const { container } = render(<HourlyChart hourly={hourly} cutoffHour={4} currency="HKD" language="en" tenders={tenders} />);
    expect([...container.querySelectorAll('rect.chart-bar')].every((b) => b.getAttribute('fill') === '#07c160')).toBe(true);
    expect(container.querySelector('.chart-legend')).toBeNull();
  });

  it('no paid sales: a sentence, not an empty chart', () => {
    const { container } = render(<HourlyChart hourly={[]} cutoffHour={4} currency="HKD" language="en" />);
    expect(container.querySelector('svg')).toBeNull();
    expect(container.textContent).toBe('No paid sales to chart.');
  });
});
