import { tenderName, type DrawerTotals, type TenderTotals } from '../../shared/cash';
import { formatMinorPlain, isCurrencyCode } from '../../shared/currency';
import type { TillReport } from '../../shared/reports';
import type { ReportLanguage } from './report-labels';

// The cash side of a printed X or Z (issue 13): the split by tender (every
// QFPay pay type by its tender name, and cash: sales, refunds, and one total
// per currency) and the drawer (float, cash sales and refunds, paid in and
// out, expected, and on a Z the counted cash and the difference), as terminal
// lines for `till report` and as HTML for the printout. Own labels, so the
// report files only gain one call each.

export const CASH_LABELS = {
  en: {
    tenders: 'By tender',
    tenderRefunds: 'Refunds',
    tenderTotal: 'Total (net)',
    drawer: 'Cash drawer',
    float: 'Opening float',
    cashSales: 'Cash sales',
    cashRefunds: 'Cash refunds',
    paidIn: 'Paid in',
    paidOut: 'Paid out',
    expected: 'Expected in drawer',
    counted: 'Counted',
    difference: 'Difference',
  },
  'zh-Hant': {
    tenders: '按付款方式',
    tenderRefunds: '退款',
    tenderTotal: '合計（淨額）',
    drawer: '錢箱',
    float: '開業備用金',
    cashSales: '現金銷售',
    cashRefunds: '現金退款',
    paidIn: '存入',
    paidOut: '支出',
    expected: '錢箱應有現金',
    counted: '點算現金',
    difference: '差額',
  },
  'zh-Hans': {
    tenders: '按付款方式',
    tenderRefunds: '退款',
    tenderTotal: '合计（净额）',
    drawer: '钱箱',
    float: '备用金',
    cashSales: '现金销售',
    cashRefunds: '现金退款',
    paidIn: '存入',
    paidOut: '支出',
    expected: '钱箱应有现金',
    counted: '清点现金',
    difference: '差额',
  },
} as const satisfies Record<ReportLanguage, Record<string, string>>;

export type CashLabels = (typeof CASH_LABELS)[ReportLanguage];

export const amount = (minor: number, currency: string) => (isCurrencyCode(currency) ? formatMinorPlain(minor, currency) : String(minor));
export const signed = (minor: number, currency: string) => `${minor > 0 ? '+' : minor < 0 ? '-' : ''}${amount(Math.abs(minor), currency)}`;

/** [label, value] rows of one drawer, in the order the shift reports print them. */
export function drawerRows(d: DrawerTotals, l: CashLabels): [string, string][] {
  const c = d.currency;
  const reasons = (kind: 'paid_in' | 'paid_out') =>
    d.movements
      .filter((m) => m.kind === kind)
      .map((m) => `${m.reason ?? ''} ${amount(m.amountMinor, c)}`)
      .join('; ');
  const rows: [string, string][] = [
    [l.float, amount(d.floatMinor, c)],
    [`${l.cashSales} (${d.cashSalesCount})`, amount(d.cashSalesMinor, c)],
    [`${l.cashRefunds} (${d.cashRefundCount})`, signed(-d.cashRefundMinor, c)],
    [`${l.paidIn}${reasons('paid_in') ? ` — ${reasons('paid_in')}` : ''}`, amount(d.paidInMinor, c)],
    [`${l.paidOut}${reasons('paid_out') ? ` — ${reasons('paid_out')}` : ''}`, signed(-d.paidOutMinor, c)],
    [l.expected, amount(d.expectedMinor, c)],
  ];
  if (d.countedMinor !== undefined) rows.push([l.counted, amount(d.countedMinor, c)]);
  if (d.differenceMinor !== undefined) rows.push([l.difference, signed(d.differenceMinor, c)]);
  return rows;
}

/** Every currency with a tender: the split is printed even for one tender, so a printout always names how it was paid. */
export const splitCurrencies = (report: TillReport) => (report.tenders ?? []).filter((c) => c.tenders.length > 0);

/** A currency's tenders summed: the one total the split adds up to. */
export function tenderSum(tenders: readonly TenderTotals[]): TenderTotals {
  const sum = { payType: '', paidCount: 0, grossMinor: 0, refundCount: 0, refundMinor: 0 };
  for (const t of tenders) {
    sum.paidCount += t.paidCount;
    sum.grossMinor += t.grossMinor;
    sum.refundCount += t.refundCount;
    sum.refundMinor += t.refundMinor;
  }
  return sum;
}

const figures = (t: TenderTotals, currency: string) =>
  `paid ${t.paidCount}  gross ${amount(t.grossMinor, currency)}  refunds ${t.refundCount}  refunded ${amount(t.refundMinor, currency)}`;

export function cashLines(report: TillReport, language: ReportLanguage = 'en'): string[] {
  const l = CASH_LABELS[language];
  const lines: string[] = [];
  for (const { currency, tenders } of splitCurrencies(report)) {
    for (const t of tenders) lines.push(`${currency}  ${tenderName(t.payType, language)}: ${figures(t, currency)}`);
    const sum = tenderSum(tenders);
    lines.push(`${currency}  ${l.tenderTotal}: ${figures(sum, currency)}  net ${amount(sum.grossMinor - sum.refundMinor, currency)}`);
  }
  for (const d of report.drawer ?? []) {
    lines.push(`${d.currency}  ${l.drawer}`, ...drawerRows(d, l).map(([k, v]) => `     ${k}: ${v}`));
  }
  return lines;
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const esc = (text: string) => text.replace(/[&<>"']/g, (ch) => ESCAPES[ch]!);
const kv = (k: string, v: string, cls = '') => `<div class="kv${cls}"><span>${esc(k)}</span><span>${esc(v)}</span></div>`;

export function cashHtml(report: TillReport, language: ReportLanguage): string[] {
  const l = CASH_LABELS[language] ?? CASH_LABELS.en;
  const out: string[] = [];
  const split = splitCurrencies(report);
  if (split.length > 0) {
    out.push(`<h2>${esc(l.tenders)}</h2>`);
    for (const { currency, tenders } of split) {
      // Each tender: its sales (count, gross), its refunds under it when there were any; then the currency's net.
      const rows = tenders.flatMap((t) => [
        kv(`${tenderName(t.payType, language)} (${t.paidCount})`, amount(t.grossMinor, currency)),
        ...(t.refundCount > 0 ? [kv(`${l.tenderRefunds} (${t.refundCount})`, signed(-t.refundMinor, currency), ' refund')] : []),
      ]);
      const sum = tenderSum(tenders);
      rows.push(kv(`${l.tenderTotal} (${sum.paidCount})`, amount(sum.grossMinor - sum.refundMinor, currency), ' total'));
      out.push(`<section data-tenders="${esc(currency)}"><h3>${esc(currency)}</h3>${rows.join('')}</section>`);
    }
  }
  for (const d of report.drawer ?? []) {
    out.push(`<h2>${esc(l.drawer)} ${esc(d.currency)}</h2>`);
    out.push(`<section data-drawer="${esc(d.currency)}">${drawerRows(d, l).map(([k, v]) => kv(k, v, k === l.expected || k === l.difference ? ' diff' : '')).join('')}</section>`);
  }
  return out;
}
