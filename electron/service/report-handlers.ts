import type { IpcResult, MethodName, ParsedInputOf, PrintResult, ReportLayout, ResultOf } from '../../shared/contract';
import type { Reconciliation } from '../../shared/reconcile';
import type { TillReport } from '../../shared/reports';
import type { Settings } from '../../shared/settings';
import { csvChunks, reportHtml } from '../reports/export';
import { attachConfirmed, reconcile } from '../reports/reconcile';
import { TillReports, type ReportScope } from '../reports/till-reports';
import type { Till } from '../till/core';

// The end-of-day methods of the contract (issue 6): X and Z reports, Z
// history and reprints, reconciliation against QFPay, CSV export and
// printing, over the till the service has open and the settings' cut-off
// hour, time zone and language. Saving a file and printing need Electron:
// main.ts hands them in (ServiceDeps.saveFile / printHtml); without them
// those two methods answer not_available.

export interface FileFilter {
  name: string;
  extensions: string[];
}

export interface PrintOptions {
  output: 'print' | 'pdf';
  layout: ReportLayout;
  /** File name offered when saving a PDF. */
  defaultName: string;
}

/**
 * Asks where to save and writes the content there: the path, null when the
 * cashier cancels, or why the chosen place was refused (export-target.ts).
 */
export type SaveOutcome = { path: string | null } | { refused: string };
export type SaveFile = (defaultName: string, content: string | Buffer, filters: FileFilter[]) => Promise<SaveOutcome>;
/** Prints the page (the system dialog) or saves it as a PDF (a save dialog, refused like SaveFile). */
export type PrintHtml = (html: string, options: PrintOptions) => Promise<PrintResult | { refused: string }>;

export interface ReportDeps {
  till: () => Till;
  settings: () => Settings;
  now: () => number;
  requirePin: (pin: string | undefined) => Promise<IpcResult<null>>;
  saveFile?: SaveFile | undefined;
  printHtml?: PrintHtml | undefined;
}

type ReportMethod = 'xReport' | 'zReport' | 'reportStatus' | 'zHistory' | 'zReprint' | 'reconcile' | 'exportCsv' | 'printReport';
export type ReportHandlers = { [K in ReportMethod & MethodName]: (input: ParsedInputOf<K>) => Promise<IpcResult<ResultOf<K>>> };

const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value });
const fail = <T>(code: 'not_found' | 'not_available' | 'open_work' | 'path_refused', message: string, extra: { openSales?: string[]; openRefunds?: string[] } = {}): IpcResult<T> => ({
  ok: false,
  error: { code, message, ...extra },
});

/** 2026-11-26 in the merchant's zone, for file names. */
function dayText(ms: number, timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
}

const safeName = (text: string) => text.replace(/[^A-Za-z0-9_-]/g, '_');

export function reportHandlers(deps: ReportDeps): ReportHandlers {
  /** The last reconciliation, for this till and mode: its confirmed totals go on a report of exactly its period. */
  let last: { udid: string; training: boolean; result: Reconciliation } | undefined;

  const scopeOf = (till: Till): ReportScope => {
    const s = deps.settings();
    return { udid: till.journal.udid, training: till.training, timeZone: s.timeZone, cutoffHour: s.businessDayCutoffHour, now: deps.now };
  };
  const reportsOf = (till: Till) => new TillReports(till.journal.db, scopeOf(till));
  const lastFor = (till: Till) => (last && last.udid === till.journal.udid && last.training === till.training ? last.result : undefined);

  const withConfirmed = (till: Till, report: TillReport): TillReport => {
    const result = lastFor(till);
    return result ? attachConfirmed(report, result) : report;
  };

  /**
   * The X report. When the last reconciliation covered the current period up
   * to a moment after which the totals have not changed, the X is shown for
   * exactly that period, with QFPay's confirmed totals beside the journal's.
   */
  const xReport = (till: Till): TillReport => {
    const reports = reportsOf(till);
    const now = reports.x();
    const result = lastFor(till);
    if (!result?.complete || result.period.fromMs !== now.periodStartMs || result.period.toMs > now.periodEndMs) return now;
    const reconciled = reports.x({ fromMs: result.period.fromMs, toMs: result.period.toMs });
    if (JSON.stringify(reconciled.currencies) !== JSON.stringify(now.currencies)) return now;
    return attachConfirmed(reconciled, result);
  };

  const storedZ = (till: Till, zNumber: number | undefined) => {
    const reports = reportsOf(till);
    const number = zNumber ?? reports.zList(1)[0]?.zNumber;
    if (number === undefined) return undefined;
    const stored = reports.z(number);
    return stored ? { report: withConfirmed(till, stored.report), intact: stored.intact } : undefined;
  };

  return {
    xReport: async () => ok(xReport(deps.till())),

    zReport: async (input) => {
      const pin = await deps.requirePin(input.pin);
      if (!pin.ok) return pin;
      const taken = reportsOf(deps.till()).takeZ(input.counted);
      if (!taken.ok) {
        const list = [...taken.openSales.map((id) => `sale ${id}`), ...taken.openRefunds.map((id) => `refund ${id}`)].join(', ');
        return fail('open_work', `a Z cannot be taken while work is open: ${list}`, { openSales: taken.openSales, openRefunds: taken.openRefunds });
      }
      return ok(taken.report);
    },

    reportStatus: async () => {
      const reports = reportsOf(deps.till());
      const open = reports.openWork();
      return ok({ periodStartMs: reports.currentPeriodStart(), openSales: open.openSales, openRefunds: open.openRefunds, lastZ: reports.zList(1)[0] ?? null });
    },

    zHistory: async (input) => ok(reportsOf(deps.till()).zList(input.limit, input.offset)),

    zReprint: async (input) => {
      const stored = storedZ(deps.till(), input.zNumber);
      return stored ? ok(stored) : fail('not_found', `there is no Z report ${input.zNumber} for this till`);
    },

    reconcile: async (input) => {
      const till = deps.till();
      const scope = scopeOf(till);
      const toMs = input.toMs ?? deps.now();
      const fromMs = input.fromMs ?? Math.min(reportsOf(till).currentPeriodStart(), toMs);
      const result = await reconcile(till, { udid: scope.udid, training: scope.training, fromMs, toMs, timeZone: scope.timeZone });
      last = { udid: scope.udid, training: scope.training, result };
      return ok(result);
    },

    exportCsv: async (input) => {
      const pin = await deps.requirePin(input.pin);
      if (!pin.ok) return pin;
      if (!deps.saveFile) return fail('not_available', 'saving files needs the desktop app');
      const till = deps.till();
      const scope = scopeOf(till);
      let content = '';
      let chunks = 0;
      const shopName = deps.settings().merchantName;
      for (const chunk of csvChunks(till.journal.db, { udid: scope.udid, training: scope.training, fromMs: input.fromMs, toMs: input.toMs, timeZone: scope.timeZone, shopName })) {
        content += chunk;
        chunks += 1;
      }
      const to = Math.max(input.fromMs, input.toMs - 1);
      const name = `${safeName(scope.udid)}-sales-${dayText(input.fromMs, scope.timeZone)}_${dayText(to, scope.timeZone)}${till.training ? '-training' : ''}.csv`;
      const saved = await deps.saveFile(name, content, [{ name: 'CSV', extensions: ['csv'] }]);
      if ('refused' in saved) return fail('path_refused', saved.refused);
      const path = saved.path;
      // The first chunk is the BOM and the header line; each other is one sale or refund.
      return ok({ saved: path !== null, path, rows: path === null ? 0 : chunks - 1 });
    },

    printReport: async (input) => {
      if (input.output === 'pdf') {
        const pin = await deps.requirePin(input.pin);
        if (!pin.ok) return pin;
      }
      if (!deps.printHtml) return fail('not_available', 'printing needs the desktop app');
      const till = deps.till();
      let report: TillReport;
      let intact: boolean | undefined;
      if (input.kind === 'x') report = xReport(till);
      else {
        const stored = storedZ(till, input.zNumber);
        if (!stored) return fail('not_found', input.zNumber === undefined ? 'no Z report has been taken on this till yet' : `there is no Z report ${input.zNumber} for this till`);
        report = stored.report;
        intact = stored.intact;
      }
      const { language, merchantName } = deps.settings();
      const html = reportHtml(report, { layout: input.layout, language, shopName: merchantName, ...(intact === undefined ? {} : { intact }) });
      const which = report.kind === 'z' ? `Z${report.zNumber}` : 'X';
      const defaultName = `${safeName(report.udid)}-${which}-${report.businessDay}-${input.layout}.pdf`;
      const printed = await deps.printHtml(html, { output: input.output, layout: input.layout, defaultName });
      return 'refused' in printed ? fail('path_refused', printed.refused) : ok(printed);
    },
  };
}
