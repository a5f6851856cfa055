import { tenderName } from '../../shared/cash';
import { reportedCurrencies, type TillReport } from '../../shared/reports';
import type { Language } from '../../shared/settings';
import { CASH_LABELS, amount, drawerRows, signed, splitCurrencies, tenderSum } from '../reports/cash-print';
import { REPORT_LABELS } from '../reports/report-labels';
import { when } from './document';
import type { SlipLine } from './receipt';

// An X or Z as the lines of a receipt-roll slip, in the receipt's language
// (the sale receipt's rule: the settings language, English on an ascii
// printer): one label and value a line, so a 58 mm roll holds every figure.
// The words are the printable report's (report-labels.ts, cash-print.ts);
// the few only the roll needs are here.

const ROLL_LABELS = {
  en: { from: 'From', to: 'To', qfpayConfirms: 'QFPay confirms', drawerOpenings: 'Cash drawer openings' },
  'zh-Hant': { from: '由', to: '至', qfpayConfirms: 'QFPay 確認', drawerOpenings: '開錢箱次數' },
  'zh-Hans': { from: '由', to: '至', qfpayConfirms: 'QFPay 确认', drawerOpenings: '开钱箱次数' },
} as const satisfies Record<Language, Record<string, string>>;

export interface ReportRollOptions {
  /** A stored Z whose content no longer matches its SHA-256: the roll says so under the title. */
  intact?: boolean | undefined;
}

export function reportTitle(report: TillReport, language: Language): string {
  const r = REPORT_LABELS[language];
  return report.kind === 'z' ? r.zTitle : r.xTitle;
}

export function reportRollLines(report: TillReport, language: Language, options: ReportRollOptions = {}): SlipLine[] {
  const r = REPORT_LABELS[language];
  const roll = ROLL_LABELS[language];
  const tz = report.timeZone;
  const lines: SlipLine[] = [];
  if (report.kind === 'z' && report.zNumber !== undefined) lines.push({ label: r.zNumber, value: String(report.zNumber) });
  if (options.intact === false) lines.push({ heading: r.tampered });
  lines.push(
    { label: roll.from, value: when(report.periodStartMs, tz) },
    { label: roll.to, value: when(report.periodEndMs, tz) },
    { label: r.businessDay, value: report.businessDay },
    { label: r.dayStarts, value: `${String(report.businessDayCutoffHour).padStart(2, '0')}:00` },
    { label: r.timeZone, value: tz },
  );
  // The whole till's count, with the period: under a currency or QFPay's totals it would read as theirs.
  if (report.drawerOpenings) lines.push({ label: roll.drawerOpenings, value: String(report.drawerOpenings) });
  const shown = reportedCurrencies(report);
  if (shown.length === 0) lines.push({ heading: r.noSales });
  for (const t of shown) {
    const c = t.currency;
    lines.push(
      { heading: c },
      { label: r.paid, value: String(t.paidCount) },
      { label: r.gross, value: amount(t.grossMinor, c) },
      { label: r.refunds, value: String(t.refundCount) },
      { label: r.refunded, value: amount(t.refundMinor, c) },
      { label: r.net, value: amount(t.netMinor, c) },
      { label: r.average, value: amount(t.averageTicketMinor, c) },
      { label: r.cancelled, value: String(t.cancelledCount) },
      { label: r.expired, value: String(t.expiredCount) },
      { label: r.failed, value: String(t.failedCount) },
    );
    if (t.firstSaleAtMs !== null) lines.push({ label: r.firstSale, value: when(t.firstSaleAtMs, tz) });
    if (t.lastSaleAtMs !== null) lines.push({ label: r.lastSale, value: when(t.lastSaleAtMs, tz) });
  }
  for (const q of report.confirmed ?? []) {
    const c = q.currency;
    lines.push(
      { heading: `${roll.qfpayConfirms} ${c}` },
      { label: r.paid, value: String(q.paidCount) },
      { label: r.gross, value: amount(q.grossMinor, c) },
      { label: r.refunds, value: String(q.refundCount) },
      { label: r.refunded, value: amount(q.refundMinor, c) },
    );
  }
  lines.push(...cashRollLines(report, language));
  if (report.kind === 'z' && report.sha256) {
    // 64 hex digits: two lines of 32 fit the 58 mm roll without receiptline breaking them where it likes.
    lines.push({ heading: `${r.sha256} Z ${report.zNumber ?? ''}`.trim() }, report.sha256.slice(0, 32), report.sha256.slice(32));
  }
  return lines;
}

/** The split by tender (each tender's sales, its refunds under it, the net) and each drawer, as cashHtml prints them. */
function cashRollLines(report: TillReport, language: Language): SlipLine[] {
  const l = CASH_LABELS[language];
  const lines: SlipLine[] = [];
  for (const { currency, tenders } of splitCurrencies(report)) {
    lines.push({ heading: `${l.tenders} ${currency}` });
    for (const t of tenders) {
      lines.push({ label: `${tenderName(t.payType, language)} (${t.paidCount})`, value: amount(t.grossMinor, currency) });
      if (t.refundCount > 0) lines.push({ label: `${l.tenderRefunds} (${t.refundCount})`, value: signed(-t.refundMinor, currency) });
    }
    const sum = tenderSum(tenders);
    lines.push({ label: `${l.tenderTotal} (${sum.paidCount})`, value: amount(sum.grossMinor - sum.refundMinor, currency) });
  }
  for (const d of report.drawer ?? []) {
    lines.push({ heading: `${l.drawer} ${d.currency}` }, ...drawerRows(d, l).map(([label, value]) => ({ label, value })));
  }
  return lines;
}
