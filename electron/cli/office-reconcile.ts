import { differences } from '../reports/report-text';
import { dayWindow, isDay, today } from '../office/business-day';
import { reconcileMerchant, type OfficeReconciliation } from '../office/reconcile';
import { QfpayClient } from '../qfpay/client';
import { formatTxdtm } from '../qfpay/time';
import { TokenBucket, tillBudgetPerMinute } from '../till/budget';
import { systemClock } from '../till/clock';
import { EXIT, UsageError, emit, integerOption, parseCommandArgs, type CommandContext, type ExitCode } from './io';
import { dayScopeFrom } from './office-report';
import { OFFICE_DAY_OPTIONS, QFPAY_OPTIONS, officeUrlFrom, text } from './office-options';
import { withOfficeClient } from './office-session';
import { credentialsFrom } from './till-options';

// `till office reconcile [--day D]`: QFPay's records for the merchant fetched
// once, within head office's share of the 400 requests a minute the
// merchant's tills share (--tills-per-merchant counts head office as one),
// matched against every till's journal in PostgreSQL. Exit 0 all agree,
// 1 disagreements, 3 QFPay's records incomplete (as `till reconcile`).

const LISTS = ['stateDiffers', 'amountDiffers', 'onlyInJournal', 'onlyAtQfpay'] as const;

export function officeReconciliationLines(result: OfficeReconciliation, timeZone: string): string[] {
  const lines = [
    `merchant reconciliation ${formatTxdtm(result.period.fromMs, timeZone)} – ${formatTxdtm(result.period.toMs, timeZone)} over ${result.tills.length} till(s): ${result.matched.length} matched`,
  ];
  if (!result.complete) lines.push(`INCOMPLETE: ${result.problems.join(' ')}`);
  for (const list of LISTS) {
    if (result[list].length === 0) continue;
    lines.push(`${list} (${result[list].length}):`);
    for (const item of result[list]) lines.push(`  [${item.udid ?? 'no till'}] ${item.order_type} ${item.out_trade_no || '-'} ${item.syssn ?? ''}: ${item.reason}`);
  }
  return lines;
}

export async function officeReconcile(ctx: CommandContext): Promise<ExitCode> {
  const { values } = parseCommandArgs(
    ctx.argv,
    { ...OFFICE_DAY_OPTIONS, ...QFPAY_OPTIONS, day: { type: 'string' }, 'tills-per-merchant': { type: 'string' } },
    false,
  );
  if (values.day !== undefined && !isDay(values.day)) throw new UsageError(`--day "${values.day}" is not a date (YYYY-MM-DD)`, 'day');
  const scope = dayScopeFrom(values, ctx.env);
  const credentials = credentialsFrom(values, ctx.env);
  if (!credentials) throw new UsageError("merchant reconciliation needs the merchant's QFPay credentials (QFPAY_BASE_URL, QFPAY_APP_CODE, QFPAY_CLIENT_KEY)", 'app-code');
  const perMinute = tillBudgetPerMinute(integerOption(text(values['tills-per-merchant']) ?? text(ctx.env.TILL_TILLS_PER_MERCHANT), 'tills-per-merchant', 1, 100) ?? 4);
  officeUrlFrom(values['database-url'], ctx.env);
  const day = values.day ?? today(scope, Date.now());
  const period = { ...dayWindow(day, scope), timeZone: scope.timeZone };
  return withOfficeClient(ctx, values, async (client) => {
    const qfpay = new QfpayClient({ ...credentials, timeZone: scope.timeZone });
    const bucket = new TokenBucket(perMinute, systemClock);
    try {
      const result = await reconcileMerchant(client, qfpay, () => bucket.take(), period, { pause: (ms) => bucket.pause(ms) });
      emit(ctx.io, values.json, result, () => officeReconciliationLines(result, scope.timeZone));
      if (!result.complete) return EXIT.unknown;
      return differences(result) === 0 ? EXIT.ok : EXIT.failed;
    } finally {
      bucket.stop();
    }
  });
}
