// @vitest-environment jsdom
import { cleanup, render } from '@testing-library/react';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HourlyChart, chartHours } from '../../../../renderer/cashier/HourlyChart';
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

  it('no paid sales: a sentence, not an empty chart', () => {
    const { container } = render(<HourlyChart hourly={[]} cutoffHour={4} currency="HKD" language="en" />);
    expect(container.querySelector('svg')).toBeNull();
    expect(container.textContent).toBe('No paid sales to chart.');
  });
});
