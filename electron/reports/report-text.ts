import { formatMinorPlain, isCurrencyCode } from '../../shared/currency';
import { reportedCurrencies, type TillReport, type ZSummary } from '../../shared/reports';
import { formatTxdtm } from '../qfpay/time';
import { cashLines } from './cash-print';
import type { ReconcileItem, Reconciliation } from './reconcile-match';

// Reports and reconciliations as terminal lines, for `till report` and
// `till reconcile` (scripts use --json instead).

const amount = (minor: number, currency: string) => (isCurrencyCode(currency) ? formatMinorPlain(minor, currency) : String(minor));
const local = (ms: number | null, timeZone: string) => (ms === null ? '-' : formatTxdtm(ms, timeZone).slice(0, 16));

export function periodText(fromMs: number, toMs: number, timeZone: string): string {
  return `${local(fromMs, timeZone)} → ${local(toMs, timeZone)} (${timeZone})`;
}

export function reportLines(report: TillReport, shopName?: string): string[] {
  const tz = report.timeZone;
  const title = report.kind === 'z' ? `Z report ${report.zNumber ?? ''}`.trim() : 'X report';
  const lines = [
    ...(shopName ? [shopName] : []),
    `${title}  till ${report.udid}${report.training ? '  TRAINING (not real money)' : ''}`,
    `period ${periodText(report.periodStartMs, report.periodEndMs, tz)}, business day ${report.businessDay} (days start ${String(report.businessDayCutoffHour).padStart(2, '0')}:00)`,
  ];
  const shown = reportedCurrencies(report);
  if (shown.length === 0) lines.push('no sales in this period');
  for (const t of shown) {
    const c = t.currency;
    lines.push(
      `${c}  paid ${t.paidCount}  gross ${amount(t.grossMinor, c)}  refunds ${t.refundCount}  refunded ${amount(t.refundMinor, c)}  net ${amount(t.netMinor, c)}  average ${amount(t.averageTicketMinor, c)}`,
      `     cancelled ${t.cancelledCount}  expired ${t.expiredCount}  failed ${t.failedCount}  first ${local(t.firstSaleAtMs, tz)}  last ${local(t.lastSaleAtMs, tz)}`,
    );
  }
  for (const q of report.confirmed ?? []) {
    const c = q.currency;
    lines.push(`${c}  QFPay confirms: paid ${q.paidCount}  gross ${amount(q.grossMinor, c)}  refunds ${q.refundCount}  refunded ${amount(q.refundMinor, c)}`);
  }
  if (report.drawerOpenings) lines.push(`cash drawer openings (cash sales, cash refunds, no sale): ${report.drawerOpenings}`);
  lines.push(...cashLines(report));
  if (report.kind === 'z' && report.sha256) lines.push(`Z ${report.zNumber}  sha256 ${report.sha256}`);
  return lines;
}

export function zListLines(list: readonly ZSummary[], timeZone: string): string[] {
  if (list.length === 0) return ['no Z reports yet'];
  return list.map((z) => `Z ${z.zNumber}  ${periodText(z.periodStartMs, z.periodEndMs, timeZone)}  sha256 ${z.sha256}`);
}

const LISTS = [
  ['stateDiffers', 'STATE DIFFERS'],
  ['amountDiffers', 'AMOUNT DIFFERS'],
  ['onlyInJournal', 'ONLY IN THE JOURNAL'],
  ['onlyAtQfpay', 'ONLY AT QFPAY'],
] as const;

const itemLine = (i: ReconcileItem) => `  ${i.order_type === 'payment' ? 'sale' : 'refund'} ${i.out_trade_no || '(no out_trade_no)'}${i.syssn ? ` syssn ${i.syssn}` : ''}: ${i.reason}`;

export function reconciliationLines(result: Reconciliation, timeZone: string): string[] {
  const lines = [
    `reconciliation ${periodText(result.period.fromMs, result.period.toMs, timeZone)}: ${result.complete ? 'complete' : 'INCOMPLETE'}`,
    `matched ${result.matched.length}, state differs ${result.stateDiffers.length}, amount differs ${result.amountDiffers.length}, only in the journal ${result.onlyInJournal.length}, only at QFPay ${result.onlyAtQfpay.length}`,
  ];
  for (const problem of result.problems) lines.push(`  ! ${problem}`);
  for (const [key, title] of LISTS) {
    if (result[key].length === 0) continue;
    lines.push(title, ...result[key].map(itemLine));
  }
  for (const t of result.totals) {
    lines.push(`${t.currency}  QFPay confirms: paid ${t.paidCount}  gross ${amount(t.grossMinor, t.currency)}  refunds ${t.refundCount}  refunded ${amount(t.refundMinor, t.currency)}`);
  }
  return lines;
}

/** Disagreements of any kind (what makes `till reconcile` exit 1). */
export const differences = (r: Reconciliation) => r.stateDiffers.length + r.amountDiffers.length + r.onlyInJournal.length + r.onlyAtQfpay.length;
