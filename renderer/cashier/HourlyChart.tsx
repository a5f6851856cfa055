import { useTranslation } from 'react-i18next';
import { tenderColour, tenderName, type TenderTotals } from '../../shared/cash';
import type { CurrencyCode } from '../../shared/currency';
import { hourParts, type HourTotals } from '../../shared/reports';
import type { Language } from '../../shared/settings';
import { money } from '../lib/format';

// Paid sales by hour of the day as plain SVG (screenshots and printouts show
// it; no canvas): 24 bars ordered from the business-day cut-off so a shop
// open past midnight reads left to right, an amount axis (0, half and the
// busiest hour) with grid lines, and each bar's sale count above it. With
// more than one tender each bar is stacked by tender in the wallets' colours
// (the report's tender order, cash on top), with a legend; a report from
// before the split (an older Z) draws one WeChat-green bar per hour. Text is
// sized for the chart's usual width (about 600 px for 720 units), so it
// reads at 16 px or more.

export const CHART = { width: 720, height: 250, left: 100, right: 8, top: 24, bottom: 34 } as const;
const FONT = 17;
const GREEN = '#07c160';

/** The 24 hours in chart order: from the cut-off hour round to the hour before it. */
export function chartHours(cutoffHour: number): number[] {
  return Array.from({ length: 24 }, (_, i) => (cutoffHour + i) % 24);
}

export interface HourlyChartProps {
  hourly: readonly HourTotals[];
  cutoffHour: number;
  currency: CurrencyCode;
  language: Language;
  /** The currency's split by tender; with hours by tender (reports since issue 13), the bars stack by tender. */
  tenders?: readonly TenderTotals[] | undefined;
}

export function HourlyChart({ hourly, cutoffHour, currency, language, tenders }: HourlyChartProps) {
  const { t } = useTranslation();
  const parts = hourParts({ hourly: [...hourly] }, tenders);
  const sum = (list: (typeof parts)[number], key: 'paidCount' | 'grossMinor') => list.reduce((a, p) => a + p[key], 0);
  const max = Math.max(0, ...parts.map((list) => sum(list, 'grossMinor')));
  if (max === 0) return <p className="chart-empty">{t('reports.chartEmpty')}</p>;
  // The tenders that sold, in the report's order: the legend, and what a stack shows.
  const sold = [...new Set(parts.flat().flatMap((p) => (p.payType === null ? [] : [p.payType])))].sort(
    (a, b) => (tenders ?? []).findIndex((x) => x.payType === a) - (tenders ?? []).findIndex((x) => x.payType === b),
  );
  const fill = (payType: string | null) => (payType === null || sold.length < 2 ? GREEN : tenderColour(payType));
  const plotWidth = CHART.width - CHART.left - CHART.right;
  const plotHeight = CHART.height - CHART.top - CHART.bottom;
  const slot = plotWidth / 24;
  const barWidth = slot * 0.72;
  const baseline = CHART.top + plotHeight;
  const label = t('reports.chartLabel', { currency, hour: String(cutoffHour).padStart(2, '0'), max: money(max, currency, language) });
  return (
    <figure className="hourly-chart">
      <svg viewBox={`0 0 ${CHART.width} ${CHART.height}`} role="img" aria-label={label} data-currency={currency}>
        <title>{label}</title>
        {[1, 0.5, 0].map((share) => {
          const y = CHART.top + plotHeight * (1 - share);
          const value = share === 0.5 ? Math.round(max / 2) : share * max;
          return (
            <g key={share} className="chart-tick">
              <text x={CHART.left - 8} y={y + FONT / 3} textAnchor="end" className="chart-axis" fontSize={FONT}>
                {money(value, currency, language)}
              </text>
              <line x1={CHART.left} x2={CHART.width - CHART.right} y1={y} y2={y} stroke={share === 0 ? '#5b6470' : '#d9dde3'} strokeDasharray={share === 0 ? undefined : '4 4'} />
            </g>
          );
        })}
        {chartHours(cutoffHour).map((hour, i) => {
          const list = parts[hour]!;
          const count = sum(list, 'paidCount');
          const gross = sum(list, 'grossMinor');
          const x = CHART.left + i * slot + (slot - barWidth) / 2;
          const cx = CHART.left + i * slot + slot / 2;
          const height = count > 0 ? Math.max(2, (gross / max) * plotHeight) : 0;
          // Stacked from the baseline up; the parts share the bar's height by their takings.
          let y = baseline;
          return (
            <g key={hour} data-hour={hour}>
              {count > 0 ? (
                <>
                  {list.map((p) => {
                    const h = gross === 0 ? 0 : (p.grossMinor / gross) * height;
                    y -= h;
                    const what = p.payType === null ? '' : `${tenderName(p.payType, language)} `;
                    return (
                      <rect key={p.payType ?? 'all'} x={x} y={y} width={barWidth} height={h} rx={list.length > 1 ? 0 : 3} fill={fill(p.payType)} className="chart-bar" data-tender={p.payType ?? undefined}>
                        <title>{`${String(hour).padStart(2, '0')}:00 — ${what}${p.paidCount} · ${money(p.grossMinor, currency, language)}`}</title>
                      </rect>
                    );
                  })}
                  <text x={cx} y={baseline - height - 6} textAnchor="middle" fontSize={FONT} fontWeight={700} className="chart-count">
                    {count}
                  </text>
                </>
              ) : null}
              <text x={cx} y={baseline + 24} textAnchor="middle" fontSize={FONT - 2} className="chart-hour" fill={hour === cutoffHour ? '#15191e' : '#5b6470'}>
                {String(hour).padStart(2, '0')}
              </text>
            </g>
          );
        })}
      </svg>
      {sold.length > 1 ? (
        <ul className="chart-legend" aria-label={t('reports2.byTender')}>
          {sold.map((payType) => (
            <li key={payType} data-tender={payType}>
              <span className="chart-swatch" style={{ background: tenderColour(payType) }} aria-hidden="true" />
              {tenderName(payType, language)}
            </li>
          ))}
        </ul>
      ) : null}
    </figure>
  );
}
