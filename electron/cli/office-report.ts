import { tenderName } from '../../shared/cash';
import { formatMinorPlain, isCurrencyCode } from '../../shared/currency';
import { isDay } from '../office/business-day';
import { officeX, officeZ, type OfficeReport, type OfficeTotals } from '../office/report';
import { officeStatus } from '../office/status';
import { formatTxdtm } from '../qfpay/time';
import { EXIT, UsageError, emit, integerOption, parseCommandArgs, type CommandContext, type ExitCode } from './io';
import { OFFICE_DAY_OPTIONS, officeUrlFrom, text } from './office-options';
import { withOfficeClient } from './office-session';

// `till office report x|z` and `till office status`.

/** The merchant's zone and business-day cut-off, as the tills' report commands take them. */
export function dayScopeFrom(values: { 'time-zone'?: string | undefined; 'cutoff-hour'?: string | undefined }, env: NodeJS.ProcessEnv) {
  const timeZone = text(values['time-zone']) ?? text(env.TILL_TIME_ZONE) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  try {
    new Intl.DateTimeFormat('en', { timeZone });
  } catch {
    throw new UsageError(`${timeZone} is not a time zone`, 'time-zone');
  }
  const cutoffHour = integerOption(text(values['cutoff-hour']) ?? text(env.TILL_CUTOFF_HOUR), 'cutoff-hour', 0, 23) ?? 4;
  return { timeZone, cutoffHour };
}

const money = (minor: number, currency: string) => (isCurrencyCode(currency) ? formatMinorPlain(minor, currency) : String(minor));

function totalsLines(indent: string, totals: readonly OfficeTotals[]): string[] {
  if (totals.length === 0) return [`${indent}(nothing paid)`];
  return totals.map(
    (t) =>
      `${indent}${t.currency}: ${t.paidCount} paid ${money(t.grossMinor, t.currency)}, ${t.refundCount} refund(s) ${money(t.refundMinor, t.currency)}, net ${money(t.netMinor, t.currency)}`,
  );
}

export function officeReportLines(report: OfficeReport): string[] {
  const tz = report.timeZone;
  const lines = [
    `head office ${report.kind.toUpperCase()} report — ${report.businessDay === null ? 'each till since its last Z' : `business day ${report.businessDay}`} (${tz}, days start ${String(report.cutoffHour).padStart(2, '0')}:00)`,
    'all tills:',
    ...totalsLines('  ', report.currencies),
  ];
  for (const store of report.stores) {
    lines.push(`store ${store.store || '(no store)'}:`, ...totalsLines('  ', store.currencies));
    for (const till of report.tills.filter((t) => t.store === store.store)) lines.push(`  till ${till.udid}:`, ...totalsLines('    ', till.currencies));
  }
  if (report.tenders.length > 0) {
    lines.push('tenders:');
    for (const t of report.tenders) {
      const refunds = t.refundCount > 0 ? `, ${t.refundCount} refunded ${money(t.refundMinor, t.currency)}` : '';
      lines.push(`  ${tenderName(t.payType)} (${t.payType}) ${t.currency}: ${t.paidCount} paid ${money(t.grossMinor, t.currency)}${refunds}`);
    }
  }
  if (report.drawers.length > 0) {
    lines.push('cash drawers:');
    for (const d of report.drawers) {
      const m = (minor: number) => money(minor, d.currency);
      lines.push(
        `  ${d.store || '(no store)'} ${d.udid} ${d.currency}: float ${m(d.floatMinor)} + ${d.cashSalesCount} cash sale(s) ${m(d.cashSalesMinor)} − ${d.cashRefundCount} cash refund(s) ${m(d.cashRefundMinor)} + paid in ${m(d.paidInMinor)} − paid out ${m(d.paidOutMinor)} = expected ${m(d.expectedMinor)}`,
      );
    }
  }
  lines.push(`Z reports${report.businessDay === null ? '' : ` for ${report.businessDay}`}:`);
  if (report.zReports.length === 0) lines.push('  (none)');
  for (const z of report.zReports) {
    const checks = [z.intact ? 'hash ok' : 'HASH MISMATCH: changed after it was taken', z.agrees ? 'matches replicated sales' : 'DIFFERS FROM REPLICATED SALES (replication behind?)'];
    lines.push(`  ${z.udid} Z ${z.zNumber} at ${formatTxdtm(z.createdAtMs, tz)} sha256 ${z.sha256}: ${checks.join(', ')}`);
  }
  return lines;
}

export async function officeReport(ctx: CommandContext): Promise<ExitCode> {
  const { values, positionals } = parseCommandArgs(ctx.argv, { ...OFFICE_DAY_OPTIONS, store: { type: 'string' }, till: { type: 'string' }, day: { type: 'string' } });
  const kind = positionals[0];
  if (positionals.length !== 1 || (kind !== 'x' && kind !== 'z')) throw new UsageError('give x or z, e.g. till office report x');
  if (values.day !== undefined && !isDay(values.day)) throw new UsageError(`--day "${values.day}" is not a date (YYYY-MM-DD)`, 'day');
  const scope = dayScopeFrom(values, ctx.env);
  officeUrlFrom(values['database-url'], ctx.env);
  return withOfficeClient(ctx, values, async (client) => {
    const filter = { ...scope, store: text(values.store), udid: text(values.till), day: values.day };
    const report = kind === 'x' ? await officeX(client, filter) : await officeZ(client, filter);
    emit(ctx.io, values.json, { report }, () => officeReportLines(report));
    // A Z whose content no longer matches its hash is a finding, as `till report z --number` treats it.
    return report.zReports.every((z) => z.intact) ? EXIT.ok : EXIT.failed;
  });
}

export async function officeStatusCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values } = parseCommandArgs(ctx.argv, { 'database-url': { type: 'string' }, 'data-dir': { type: 'string' }, 'time-zone': { type: 'string' } }, false);
  const { timeZone } = dayScopeFrom(values, ctx.env);
  officeUrlFrom(values['database-url'], ctx.env);
  return withOfficeClient(ctx, values, async (client) => {
    const tills = await officeStatus(client);
    emit(ctx.io, values.json, { tills }, () =>
      tills.length === 0
        ? ['no till has sent anything yet']
        : tills.map(
            (t) =>
              `${t.store || '(no store)'} ${t.udid}: ${t.lagEvents === 0 ? 'up to date' : `${t.lagEvents} event(s) behind`} (event ${t.replicatedSeq} of ${t.journalSeq}), ${t.zReports} Z(s), last contact ${t.lastContactMs === null ? 'never' : formatTxdtm(t.lastContactMs, timeZone)}`,
          ),
    );
    return EXIT.ok;
  });
}
