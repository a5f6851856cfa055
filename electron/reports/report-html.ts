import { formatMinorPlain, isCurrencyCode } from '../../shared/currency';
import { formatDateTime, formatDay } from '../../shared/dates';
import { reportedCurrencies, tendersOf, type ConfirmedTotals, type CurrencyTotals, type TillReport } from '../../shared/reports';
import { tenderName } from '../../shared/cash';
import { cashHtml } from './cash-print';
import { chartLegendHtml, hourlyChartSvg } from './report-chart';
import { REPORT_LABELS, type ReportLabels, type ReportLanguage } from './report-labels';
import { emptyTotals } from './totals';

// An X or Z report as one self-contained HTML page for printing or saving as
// PDF: inline CSS, no scripts, no fonts or images from anywhere (a strict
// CSP says so to the browser too), the hourly chart as inline SVG. Two
// layouts: an 80 mm receipt printer (72 mm printable, one column) and A4.

export type ReportLayout = 'receipt' | 'a4';

export { hourlyChartSvg } from './report-chart';

export interface HtmlOptions {
  layout: ReportLayout;
  language: ReportLanguage;
  /** A reprinted Z: whether its stored content still matches its SHA-256. */
  intact?: boolean;
  /** The shop's name, printed above the title (the till id is always printed). */
  shopName?: string;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (text: string | number) => String(text).replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const amount = (minor: number, currency: string) => (isCurrencyCode(currency) ? formatMinorPlain(minor, currency) : String(minor));
const pad = (n: number) => String(n).padStart(2, '0');

const STYLE_COMMON = `
  * { box-sizing: border-box; }
  html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  body { margin: 0 auto; color: #000; background: #fff; }
  h1, h2 { margin: 0.4em 0; }
  .training { border: 3px solid #000; background: #000; color: #fff; font-weight: bold; text-align: center; padding: 0.3em; margin: 0.4em 0; letter-spacing: 0.05em; }
  .meta div, .kv { display: flex; justify-content: space-between; gap: 1em; }
  .meta span:last-child, .kv span:last-child { text-align: right; }
  .diff { font-weight: bold; text-decoration: underline; }
  .shop { font-weight: bold; text-align: center; font-size: 1.15em; margin-top: 0.3em; }
  .hash { word-break: break-all; font-family: ui-monospace, Menlo, Consolas, monospace; }
  .tampered { border: 2px solid #000; font-weight: bold; padding: 0.3em; }
  figure { margin: 0; }
  svg { display: block; width: 100%; height: auto; }
  svg text { font-family: inherit; fill: #000; }
  table { border-collapse: collapse; width: 100%; }
  th, td { text-align: right; padding: 0.15em 0.4em; }
  th:first-child, td:first-child { text-align: left; }
  .legend { list-style: none; margin: 0.2em 0 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.2em 0.8em; font-size: 0.85em; }
  .legend svg { display: inline-block; width: 0.8em; height: 0.8em; vertical-align: -0.05em; }
  .kv.total { font-weight: bold; border-top: 1px solid #000; }
  .kv.refund span:first-child { padding-left: 1.2em; }
`;

const STYLE: Record<ReportLayout, string> = {
  receipt: `${STYLE_COMMON}
  @page { size: 80mm auto; margin: 0; }
  body { width: 72mm; padding: 2mm 0; font: 11px/1.35 ui-monospace, "Noto Sans Mono CJK TC", "Noto Sans Mono CJK SC", Menlo, Consolas, monospace; }
  h1 { font-size: 15px; text-align: center; }
  h2 { font-size: 12px; border-top: 1px dashed #000; padding-top: 0.3em; }
  th, td { padding: 0.1em 0.2em; }
  section { margin-bottom: 0.6em; }
`,
  a4: `${STYLE_COMMON}
  @page { size: A4; margin: 15mm; }
  body { max-width: 180mm; font: 10.5pt/1.4 system-ui, "Noto Sans CJK TC", "Noto Sans CJK SC", "Microsoft JhengHei", "PingFang TC", sans-serif; }
  h1 { font-size: 18pt; }
  h2 { font-size: 12pt; margin-top: 1em; border-bottom: 1px solid #000; }
  .meta { columns: 2; column-gap: 12mm; }
  th, td { border-bottom: 1px solid #bbb; }
  .charts { display: grid; grid-template-columns: 1fr 1fr; gap: 6mm; }
`,
};

const kv = (label: string, value: string, cls = '') => `<div class="kv${cls ? ` ${cls}` : ''}"><span>${esc(label)}</span><span>${esc(value)}</span></div>`;

interface Measure {
  label: string;
  journal: (t: CurrencyTotals) => string;
  qfpay?: (c: ConfirmedTotals) => string;
}

function measures(l: ReportLabels, local: (ms: number | null) => string): Measure[] {
  return [
    { label: l.paid, journal: (t) => String(t.paidCount), qfpay: (c) => String(c.paidCount) },
    { label: l.gross, journal: (t) => amount(t.grossMinor, t.currency), qfpay: (c) => amount(c.grossMinor, c.currency) },
    { label: l.refunds, journal: (t) => String(t.refundCount), qfpay: (c) => String(c.refundCount) },
    { label: l.refunded, journal: (t) => amount(t.refundMinor, t.currency), qfpay: (c) => amount(c.refundMinor, c.currency) },
    { label: l.net, journal: (t) => amount(t.netMinor, t.currency), qfpay: (c) => amount(c.grossMinor - c.refundMinor, c.currency) },
    { label: l.average, journal: (t) => amount(t.averageTicketMinor, t.currency) },
    { label: l.cancelled, journal: (t) => String(t.cancelledCount) },
    { label: l.expired, journal: (t) => String(t.expiredCount) },
    { label: l.failed, journal: (t) => String(t.failedCount) },
    { label: l.firstSale, journal: (t) => local(t.firstSaleAtMs) },
    { label: l.lastSale, journal: (t) => local(t.lastSaleAtMs) },
  ];
}


/** One table per currency: the journal's figures, and QFPay's confirmed ones beside them when reconciliation ran. */
function currencyTable(t: CurrencyTotals, confirmed: ConfirmedTotals | undefined, withQfpay: boolean, l: ReportLabels, ms: Measure[]): string {
  const head = withQfpay ? `<tr><th>${esc(t.currency)}</th><th>${esc(l.journal)}</th><th>${esc(l.qfpay)}</th></tr>` : `<tr><th colspan="2">${esc(t.currency)}</th></tr>`;
  const rows = ms.map((m) => {
    const mine = m.journal(t);
    if (!withQfpay) return `<tr><td>${esc(m.label)}</td><td>${esc(mine)}</td></tr>`;
    const theirs = m.qfpay ? m.qfpay(confirmed ?? { currency: t.currency, paidCount: 0, grossMinor: 0, refundCount: 0, refundMinor: 0 }) : '';
    const differs = m.qfpay !== undefined && theirs !== mine;
    return `<tr${differs ? ' class="diff"' : ''}><td>${esc(m.label)}</td><td>${esc(mine)}</td><td>${esc(theirs)}${differs ? ` ≠` : ''}</td></tr>`;
  });
  return `<table>${head}${rows.join('')}</table>`;
}

/** The report as a self-contained printable page in the given layout and language. */
export function reportHtml(report: TillReport, options: HtmlOptions): string {
  const l = REPORT_LABELS[options.language] ?? REPORT_LABELS.en;
  const tz = report.timeZone;
  const local = (ms: number | null) => (ms === null ? '—' : formatDateTime(ms, options.language, tz));
  const title = report.kind === 'z' ? `${l.zTitle}${report.zNumber !== undefined ? ` #${report.zNumber}` : ''}` : l.xTitle;
  const withQfpay = report.confirmed !== undefined;
  const confirmedBy = new Map((report.confirmed ?? []).map((c) => [c.currency, c]));
  // Currencies with no sales are left out; one QFPay confirmed sales in that the journal has none in still gets its column.
  const currencies = reportedCurrencies(report);
  for (const c of report.confirmed ?? []) if ((c.paidCount > 0 || c.refundCount > 0) && !currencies.some((t) => t.currency === c.currency)) currencies.push(emptyTotals(c.currency));
  const ms = measures(l, local);

  const body: string[] = [];
  if (report.training) body.push(`<div class="training">${esc(l.training)}</div>`);
  const shop = options.shopName?.trim() ?? '';
  if (shop !== '') body.push(`<div class="shop">${esc(shop)}</div>`);
  body.push(`<h1>${esc(title)}</h1>`);
  body.push(
    `<div class="meta">${[
      kv(l.till, report.udid),
      kv(l.period, `${local(report.periodStartMs)} → ${local(report.periodEndMs)}`),
      kv(l.businessDay, formatDay(report.businessDay, options.language)),
      kv(l.dayStarts, `${pad(report.businessDayCutoffHour)}:00`),
      kv(l.timeZone, tz),
      kv(l.printed, local(report.generatedAtMs)),
    ].join('')}</div>`,
  );
  if (currencies.length === 0) body.push(`<p>${esc(l.noSales)}</p>`);
  if (withQfpay && currencies.length > 0) body.push(`<h2>${esc(l.confirmed)}</h2>`);
  for (const t of currencies) body.push(`<section>${currencyTable(t, confirmedBy.get(t.currency), withQfpay, l, ms)}</section>`);
  const charts = report.currencies.filter((t) => t.paidCount > 0);
  if (charts.length > 0) {
    body.push(`<h2>${esc(l.byHour)}</h2>`);
    body.push(
      `<div class="charts">${charts
        .map((t) => {
          const split = { tenders: tendersOf(report, t.currency), name: (payType: string) => tenderName(payType, options.language) };
          return `<figure><figcaption>${esc(t.currency)}</figcaption>${hourlyChartSvg(t, report.businessDayCutoffHour, options.layout, l, split)}${chartLegendHtml(split, options.layout)}</figure>`;
        })
        .join('')}</div>`,
    );
  }
  body.push(...cashHtml(report, options.language));
  if (report.kind === 'z') {
    body.push(`<h2>${esc(l.zNumber)} ${esc(report.zNumber ?? '')}</h2>`);
    if (report.sha256) body.push(`<div>${esc(l.sha256)}</div><div class="hash">${esc(report.sha256)}</div>`);
    if (options.intact === true) body.push(`<p>${esc(l.intact)}</p>`);
    if (options.intact === false) body.push(`<p class="tampered">${esc(l.tampered)}</p>`);
  }
  if (report.training) body.push(`<div class="training">${esc(l.training)}</div>`);

  return [
    '<!DOCTYPE html>',
    `<html lang="${esc(options.language)}">`,
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${esc(`${report.training ? `[${l.training}] ` : ''}${shop !== '' ? `${shop} — ` : ''}${title} — ${report.udid} — ${formatDay(report.businessDay, options.language)}`)}</title>`,
    `<style>${STYLE[options.layout]}</style>`,
    '</head>',
    `<body class="${options.layout}">`,
    ...body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
