import { closeSync, openSync, writeSync } from 'node:fs';
import type { TillReport } from '../../shared/reports';
import { settingsSchema } from '../../shared/settings';
import { epochOfLocal, parseTxdtm } from '../qfpay/time';
import { csvChunks, reportHtml, type ReportLayout } from '../reports/export';
import { attachConfirmed, reconcile } from '../reports/reconcile';
import { isReportLanguage, type ReportLanguage } from '../reports/report-labels';
import { differences, periodText, reconciliationLines, reportLines, zListLines } from '../reports/report-text';
import { TillReports, type ReportScope } from '../reports/till-reports';
import type { Till } from '../till/core';
import { parseCounted } from './cash-commands';
import { EXIT, UsageError, emit, integerOption, parseCommandArgs, printError, type Command, type CommandContext, type ExitCode, type Output } from './io';
import { TILL_OPTIONS, TILL_OPTIONS_USAGE, openTillFrom, timeZoneOf, withJournalTill, withRecoveredTill } from './till-options';

// `till report x|z`, `till reconcile`, `till export csv`: end of day from the
// command line (issue 6). What only reads (an X, the Z list and reprints, the
// export) answers from the journal at once, QFPay reachable or not, naming
// what is still being settled; a Z and a reconciliation first resolve
// unfinished work like every other command (Ctrl+C stops that at once).

const REPORT_OPTIONS = { ...TILL_OPTIONS, 'cutoff-hour': { type: 'string' }, 'shop-name': { type: 'string' } } as const;
const SCOPE_USAGE = `[--cutoff-hour H] [--shop-name NAME] ${TILL_OPTIONS_USAGE}`;

type Values = Parameters<typeof openTillFrom>[0] & { 'cutoff-hour'?: string | undefined; 'shop-name'?: string | undefined };

const text = (v: string | boolean | undefined) => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The shop's name for the printouts and the CSV: --shop-name or TILL_SHOP_NAME
 * (the command line never reads the app's settings). Held to the app's rule
 * for the shop name, so no control or bidi character can spoof a report.
 */
function shopNameOf(values: Values, env: NodeJS.ProcessEnv): string | undefined {
  const name = text(values['shop-name']) ?? text(env.TILL_SHOP_NAME);
  if (name === undefined) return undefined;
  const parsed = settingsSchema.shape.merchantName.safeParse(name);
  if (!parsed.success || /[\p{Cc}\p{Cf}]/u.test(name)) throw new UsageError('--shop-name must be at most 40 characters, with no control characters', 'shop-name');
  return parsed.data;
}

function scopeOf(till: Till, values: Values, env: NodeJS.ProcessEnv): ReportScope {
  const cutoffHour = integerOption(text(values['cutoff-hour']) ?? text(env.TILL_CUTOFF_HOUR), 'cutoff-hour', 0, 23) ?? 4;
  return { udid: till.journal.udid, training: till.training, timeZone: timeZoneOf(values, env), cutoffHour, now: () => Date.now() };
}

function withReportTill(ctx: CommandContext, values: Values, body: (till: Till, scope: ReportScope) => Promise<ExitCode>, readOnly = false): Promise<ExitCode> {
  // Check the cut-off before anything is opened: bad input writes nothing.
  integerOption(text(values['cutoff-hour']) ?? text(ctx.env.TILL_CUTOFF_HOUR), 'cutoff-hour', 0, 23);
  return (readOnly ? withJournalTill : withRecoveredTill)(ctx, values, (till) => body(till, scopeOf(till, values, ctx.env)));
}

/**
 * An instant from the command line: ISO-8601 with an offset (or Z) is exact;
 * without one it is wall time in the merchant's zone; a date alone is the
 * start of that day there.
 */
export function parseInstant(value: string, timeZone: string, field: string): number {
  const m = /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?(Z|[+-]\d{2}:?\d{2})?$/.exec(value.trim());
  const problem = () => new UsageError(`--${field} "${value}" is not an ISO date or time (e.g. 2026-11-26, 2026-11-26T04:00 or 2026-11-26T04:00:00+08:00)`, field);
  if (!m) throw problem();
  const [, date, hh = '00', mm = '00', ss = '00', frac = '', zone] = m;
  const parts = parseTxdtm(`${date} ${hh}:${mm}:${ss}`);
  if (!parts) throw problem();
  const ms = Number(frac.padEnd(3, '0'));
  if (zone === undefined) return epochOfLocal(parts, timeZone) + ms;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const at = Date.parse(`${date}T${hh}:${mm}:${ss}.${String(ms).padStart(3, '0')}${offset}`);
  if (Number.isNaN(at)) throw problem();
  return at;
}

/** --from/--to, defaulting to the current period: since the last Z (or the first sale) until now. */
function periodOf(values: { from?: string | undefined; to?: string | undefined }, reports: TillReports, scope: ReportScope): { fromMs: number; toMs: number } {
  const toMs = values.to === undefined ? scope.now() : parseInstant(values.to, scope.timeZone, 'to');
  const fromMs = values.from === undefined ? Math.min(reports.currentPeriodStart(), toMs) : parseInstant(values.from, scope.timeZone, 'from');
  if (toMs < fromMs) throw new UsageError('--to is before --from', 'to');
  return { fromMs, toMs };
}

/** Writes text to a file, or to stdout exactly (io.out adds the last newline itself). */
function writeOut(io: Output, out: string | undefined, chunks: Iterable<string>): number {
  let count = 0;
  if (out === undefined) {
    let all = '';
    for (const chunk of chunks) {
      all += chunk;
      count += 1;
    }
    io.out(all.endsWith('\n') ? all.slice(0, -1) : all);
    return count;
  }
  const fd = openSync(out, 'w');
  try {
    for (const chunk of chunks) {
      writeSync(fd, chunk);
      count += 1;
    }
  } finally {
    closeSync(fd);
  }
  return count;
}

async function withConfirmed(till: Till, scope: ReportScope, report: TillReport, io: Output): Promise<TillReport> {
  const result = await reconcile(till, { udid: scope.udid, training: scope.training, fromMs: report.periodStartMs, toMs: report.periodEndMs, timeZone: scope.timeZone });
  if (!result.complete) io.err(`QFPay's records could not all be fetched, so no confirmed totals are shown: ${result.problems.join(' ')}`);
  else if (differences(result) > 0) io.err(`reconciliation found ${differences(result)} disagreement(s): see till reconcile --from/--to for the period`);
  return attachConfirmed(report, result);
}

export const reportCommand: Command = {
  name: 'report',
  summary: 'X report (changes nothing) or Z report (closes the period; refused while a sale or refund is open); Z history and reprints',
  usage: `till report x|z [--yes] [--json] [--list] [--number N] [--html receipt|a4] [--out FILE] [--language en|zh-Hant|zh-Hans] [--reconcile] [--counted HKD=497.00] ${SCOPE_USAGE}`,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, {
      ...REPORT_OPTIONS,
      list: { type: 'boolean' },
      number: { type: 'string' },
      html: { type: 'string' },
      out: { type: 'string' },
      language: { type: 'string' },
      reconcile: { type: 'boolean' },
      yes: { type: 'boolean' },
      counted: { type: 'string' },
    });
    const kind = positionals[0];
    const counted = parseCounted(values.counted);
    if (counted.length > 0 && (kind !== 'z' || values.list || values.number !== undefined)) throw new UsageError('--counted is the cash counted for a new Z', 'counted');
    if (positionals.length !== 1 || (kind !== 'x' && kind !== 'z')) throw new UsageError('give x or z, e.g. till report x');
    if (kind === 'x' && (values.list || values.number !== undefined)) throw new UsageError('--list and --number are for Z reports', values.list ? 'list' : 'number');
    if (values.list && values.number !== undefined) throw new UsageError('give --list or --number, not both', 'number');
    const number = integerOption(values.number, 'number', 1, Number.MAX_SAFE_INTEGER);
    const layout = values.html;
    if (layout !== undefined && layout !== 'receipt' && layout !== 'a4') throw new UsageError('--html must be receipt or a4', 'html');
    if (values.out !== undefined && layout === undefined) throw new UsageError('--out writes the printable report: give --html receipt or a4 too', 'out');
    if (layout !== undefined && (values.json || values.list)) throw new UsageError('--html prints one report: not with --json or --list', 'html');
    const language = values.language ?? 'en';
    if (!isReportLanguage(language)) throw new UsageError('--language must be en, zh-Hant or zh-Hans', 'language');
    if (values.reconcile && values.list) throw new UsageError('--reconcile needs one report, not --list', 'reconcile');
    const shopName = shopNameOf(values, ctx.env);
    // Taking a Z closes the period for good: a script says so with --yes, a person is asked.
    const takesZ = kind === 'z' && !values.list && number === undefined;
    if (values.yes && !takesZ) throw new UsageError('--yes confirms taking a Z: only with till report z (not --list or --number)', 'yes');
    if (takesZ && !values.yes) {
      if (!ctx.confirm) throw new UsageError('taking a Z closes the period and cannot be undone: add --yes to confirm (stdin is not a terminal, so the command cannot ask)', 'yes');
      const udid = text(values.udid) ?? text(ctx.env.TILL_UDID) ?? 'this till';
      if (!(await ctx.confirm(`Take a Z report for ${udid}? It closes the period since the last Z and cannot be undone.`))) {
        ctx.io.err('no Z taken');
        return EXIT.failed;
      }
    }
    // Taking a Z needs every sale settled, and --reconcile asks QFPay anyway; the rest only reads the journal.
    const readOnly = !values.reconcile && (kind === 'x' || values.list === true || number !== undefined);

    return withReportTill(ctx, values, async (till, scope) => {
      const reports = new TillReports(till.journal.db, scope);
      const show = async (report: TillReport, intact?: boolean): Promise<void> => {
        const shown = values.reconcile ? await withConfirmed(till, scope, report, ctx.io) : report;
        if (layout !== undefined) {
          writeOut(ctx.io, values.out, [reportHtml(shown, { layout: layout as ReportLayout, language: language as ReportLanguage, ...(intact === undefined ? {} : { intact }), ...(shopName ? { shopName } : {}) })]);
          if (values.out !== undefined) ctx.io.err(`wrote ${values.out}`);
        } else {
          emit(ctx.io, values.json, intact === undefined ? { report: shown } : { report: shown, intact }, () => reportLines(shown, shopName));
        }
      };

      if (kind === 'x') {
        await show(reports.x());
        return EXIT.ok;
      }
      if (values.list) {
        const list = reports.zList(500);
        emit(ctx.io, values.json, { zReports: list }, () => zListLines(list, scope.timeZone));
        return EXIT.ok;
      }
      if (number !== undefined) {
        const stored = reports.z(number);
        if (!stored) {
          printError(ctx.io, values.json, { code: 'not_found', message: `no Z report ${number} for till ${scope.udid}`, field: 'number' });
          return EXIT.usage;
        }
        await show(stored.report, stored.intact);
        if (stored.intact) return EXIT.ok;
        ctx.io.err(`Z ${number}: THE STORED CONTENT NO LONGER MATCHES ITS SHA-256 — the journal file was changed after the Z was taken`);
        return EXIT.failed;
      }
      const taken = reports.takeZ(counted);
      if (!taken.ok) {
        const message = `cannot take a Z: ${taken.openSales.length} sale(s) and ${taken.openRefunds.length} refund(s) are still open — resolve them first (till recover, till status)`;
        printError(ctx.io, values.json, { code: 'open_work', message, details: { openSales: taken.openSales, openRefunds: taken.openRefunds } });
        for (const id of taken.openSales) ctx.io.err(`  open sale ${id}`);
        for (const id of taken.openRefunds) ctx.io.err(`  open refund ${id}`);
        return EXIT.failed;
      }
      await show(taken.report);
      if (!values.json && layout === undefined) ctx.io.err(`Z ${taken.report.zNumber} taken and stored (sha256 ${taken.report.sha256})`);
      return EXIT.ok;
    }, readOnly);
  },
};

export const reconcileCommand: Command = {
  name: 'reconcile',
  summary: "compare the journal with QFPay's records for a period (default: since the last Z); exit 0 all agree, 1 disagreements, 3 QFPay's records incomplete",
  usage: `till reconcile [--from ISO] [--to ISO] [--json] ${SCOPE_USAGE}`,
  async run(ctx) {
    const { values } = parseCommandArgs(ctx.argv, { ...REPORT_OPTIONS, from: { type: 'string' }, to: { type: 'string' } }, false);
    // Bad dates are refused before the journal is opened.
    const zone = timeZoneOf(values, ctx.env);
    for (const field of ['from', 'to'] as const) if (values[field] !== undefined) parseInstant(values[field], zone, field);
    return withReportTill(ctx, values, async (till, scope) => {
      const period = periodOf(values, new TillReports(till.journal.db, scope), scope);
      const result = await reconcile(till, { udid: scope.udid, training: scope.training, ...period, timeZone: scope.timeZone });
      emit(ctx.io, values.json, result, () => reconciliationLines(result, scope.timeZone));
      if (!result.complete) return EXIT.unknown;
      return differences(result) === 0 ? EXIT.ok : EXIT.failed;
    });
  },
};

export const exportCommand: Command = {
  name: 'export',
  summary: 'CSV of the sales and refunds made in a period (default: since the last Z), UTF-8 with BOM for Excel; stdout unless --out',
  usage: `till export csv [--from ISO] [--to ISO] [--out FILE] [--json] ${SCOPE_USAGE}`,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, { ...REPORT_OPTIONS, from: { type: 'string' }, to: { type: 'string' }, out: { type: 'string' } });
    if (positionals.length !== 1 || positionals[0] !== 'csv') throw new UsageError('give the format: till export csv');
    if (values.json && values.out === undefined) throw new UsageError('--json prints a summary of a written file: give --out FILE too', 'json');
    const zone = timeZoneOf(values, ctx.env);
    for (const field of ['from', 'to'] as const) if (values[field] !== undefined) parseInstant(values[field], zone, field);
    const shopName = shopNameOf(values, ctx.env);
    return withReportTill(ctx, values, async (till, scope) => {
      const period = periodOf(values, new TillReports(till.journal.db, scope), scope);
      const chunks = writeOut(ctx.io, values.out, csvChunks(till.journal.db, { udid: scope.udid, training: scope.training, ...period, timeZone: scope.timeZone, ...(shopName ? { shopName } : {}) }));
      // The first chunk is the BOM and the header; each other is one sale or refund. Said on stderr, so stdout stays the CSV.
      const rows = chunks - 1;
      const count = `${rows} ${rows === 1 ? 'row' : 'rows'}`;
      if (values.out !== undefined) {
        emit(ctx.io, values.json, { out: values.out, rows, period }, () => []);
        ctx.io.err(`wrote ${count} to ${values.out}`);
      } else {
        ctx.io.err(`${count} (${periodText(period.fromMs, period.toMs, scope.timeZone)})`);
      }
      return EXIT.ok;
    }, true);
  },
};
