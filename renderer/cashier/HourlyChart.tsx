import { useTranslation } from 'react-i18next';
import type { CurrencyCode } from '../../shared/currency';
import type { HourTotals } from '../../shared/reports';
import type { Language } from '../../shared/settings';
import { money } from '../lib/format';

// Paid sales by hour of the day as plain SVG (screenshots and printouts show
// it; no canvas): 24 bars in WeChat green, ordered from the business-day
// cut-off so a shop open past midnight reads left to right, an amount axis
// (0, half and the busiest hour) with grid lines, and each bar's sale count
// above it. Text is sized for the chart's usual width (about 600 px for 720
// units), so it reads at 16 px or more.

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
}

export function HourlyChart({ hourly, cutoffHour, currency, language }: HourlyChartProps) {
  const { t } = useTranslation();
  const byHour = new Map(hourly.map((h) => [h.hour, h]));
  const max = Math.max(0, ...hourly.map((h) => h.grossMinor));
  if (max === 0) return <p className="chart-empty">{t('reports.chartEmpty')}</p>;
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
          const h = byHour.get(hour);
          const x = CHART.left + i * slot + (slot - barWidth) / 2;
          const cx = CHART.left + i * slot + slot / 2;
          const height = h ? Math.max(2, (h.grossMinor / max) * plotHeight) : 0;
          return (
            <g key={hour} data-hour={hour}>
              {h && h.paidCount > 0 ? (
                <>
                  <rect x={x} y={baseline - height} width={barWidth} height={height} rx={3} fill={GREEN} className="chart-bar">
                    <title>{`${String(hour).padStart(2, '0')}:00 — ${h.paidCount} · ${money(h.grossMinor, currency, language)}`}</title>
                  </rect>
                  <text x={cx} y={baseline - height - 6} textAnchor="middle" fontSize={FONT} fontWeight={700} className="chart-count">
                    {h.paidCount}
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
    </figure>
  );
}
