import { tenderColour, type TenderTotals } from '../../shared/cash';
import { formatMinorPlain, isCurrencyCode } from '../../shared/currency';
import { hourParts, type CurrencyTotals } from '../../shared/reports';
import type { ReportLabels } from './report-labels';

// The printable report's hourly chart as inline SVG (no scripts, no fonts
// from anywhere): paid gross per local hour of the day over the period, from
// the business day's first hour, each bar stacked by tender with a legend
// below. A4 prints the wallets' colours; the 80 mm roll, which prints black,
// shades of grey. A report from before the split draws one black bar per hour.

export type ChartLayout = 'receipt' | 'a4';

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (text: string | number) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
const amount = (minor: number, currency: string) => (isCurrencyCode(currency) ? formatMinorPlain(minor, currency) : String(minor));
const pad = (n: number) => String(n).padStart(2, '0');

/** Greys a thermal printer tells apart, darkest first (one per tender, in the report's order). */
const GREYS = ['#000', '#999', '#555', '#ccc', '#333', '#777', '#aaa', '#222', '#bbb', '#666'];

export interface ChartTenders {
  tenders: readonly TenderTotals[] | undefined;
  /** A tender's name in the report's language. */
  name: (payType: string) => string;
}

/** The fill of each tender that sold something, in the report's order; none when the report has no hours by tender. */
function fills(tenders: readonly TenderTotals[], layout: ChartLayout): Map<string, string> {
  if (!tenders.every((t) => t.hourly !== undefined)) return new Map();
  const sold = tenders.filter((t) => t.paidCount > 0);
  return new Map(sold.map((t, i) => [t.payType, layout === 'a4' ? tenderColour(t.payType) : GREYS[i % GREYS.length]!]));
}

export function hourlyChartSvg(t: CurrencyTotals, cutoffHour: number, layout: ChartLayout, l: ReportLabels, split?: ChartTenders): string {
  const hours = hourParts(t, split?.tenders);
  const colour = fills(split?.tenders ?? [], layout);
  const several = colour.size > 1;
  const width = layout === 'receipt' ? 272 : 320;
  const height = layout === 'receipt' ? 96 : 120;
  const top = 12;
  const bottom = 14;
  const plot = height - top - bottom;
  const slot = width / 24;
  const barWidth = slot * 0.72;
  const sum = (parts: (typeof hours)[number], key: 'paidCount' | 'grossMinor') => parts.reduce((a, p) => a + p[key], 0);
  const highest = Math.max(0, ...hours.map((parts) => sum(parts, 'grossMinor')));
  const max = Math.max(1, highest);
  const out: string[] = [];
  for (let i = 0; i < 24; i++) {
    const hour = (cutoffHour + i) % 24;
    const parts = hours[hour]!;
    const count = sum(parts, 'paidCount');
    const gross = sum(parts, 'grossMinor');
    const x = (i * slot + (slot - barWidth) / 2).toFixed(1);
    const detail = several && parts.length > 0 ? ` (${parts.map((p) => `${split!.name(p.payType ?? '')} ${p.paidCount} · ${amount(p.grossMinor, t.currency)}`).join('; ')})` : '';
    const tip = `${pad(hour)}:00 — ${count} ${l.sales}, ${amount(gross, t.currency)} ${t.currency}${detail}`;
    // Stacked from the baseline up, in the report's tender order; each part at least a pixel so none vanishes.
    let y = top + plot;
    const rects = parts.map((p) => {
      const h = p.grossMinor === 0 ? 0 : Math.max(1, (p.grossMinor / max) * plot);
      y -= h;
      const fill = p.payType === null ? '#000' : (colour.get(p.payType) ?? '#000');
      return `<rect x="${x}" y="${y.toFixed(1)}" width="${barWidth.toFixed(1)}" height="${h.toFixed(1)}" fill="${fill}"${p.payType === null ? '' : ` data-tender="${esc(p.payType)}"`}/>`;
    });
    out.push(`<g data-hour="${hour}"><title>${esc(tip)}</title>${rects.join('')}</g>`);
    if (i % 3 === 0) out.push(`<text x="${(i * slot + slot / 2).toFixed(1)}" y="${height - 3}" font-size="9" text-anchor="middle">${pad(hour)}</text>`);
  }
  out.push(`<line x1="0" y1="${top + plot + 0.5}" x2="${width}" y2="${top + plot + 0.5}" stroke="#000" stroke-width="1"/>`);
  out.push(`<text x="0" y="9" font-size="9">${esc(`${amount(highest, t.currency)} ${t.currency}`)}</text>`);
  return `<svg viewBox="0 0 ${width} ${height}" role="img" aria-label="${esc(`${l.byHour} (${t.currency})`)}">${out.join('')}</svg>`;
}

/** The chart's legend: a swatch and the name of each tender that sold something (none when there is only one). */
export function chartLegendHtml(split: ChartTenders, layout: ChartLayout): string {
  const colour = fills(split.tenders ?? [], layout);
  if (colour.size < 2) return '';
  const items = [...colour].map(
    ([payType, fill]) => `<li data-tender="${esc(payType)}"><svg width="10" height="10" viewBox="0 0 10 10" aria-hidden="true"><rect width="10" height="10" fill="${fill}"/></svg> ${esc(split.name(payType))}</li>`,
  );
  return `<ul class="legend">${items.join('')}</ul>`;
}
