import type { IpcResult, MethodName, ParsedInputOf, ReceiptPrintResult, ResultOf } from '../../shared/contract';
import type { RefundView, SaleView } from '../../shared/sale';
import type { Settings } from '../../shared/settings';
import { DRAWER_KICK } from '../receipts/document';
import { DRAWER_NOTE, noSaleWho, openDrawerNoSale, type NoSaleBy } from '../receipts/drawer';
import { layoutOf, noSaleSlip, renderJob, reportSlip, saleReceipt, testPageSlip, type Rasterise } from '../receipts/jobs';
import { parsePrinter, printerText, type PrinterTarget } from '../receipts/printer-target';
import { deliver, type OsPrint, type RenderedJob } from '../receipts/printing';
import { headerFrom, type ReceiptDescription } from '../receipts/receipt';
import { VirtualPrinter } from '../receipts/virtual-printer';
import { TillReports } from '../reports/till-reports';
import type { Till } from '../till/core';
import type { Logger } from './log';

// The receipt methods of the contract (issue 14): print, reprint and preview
// a sale's receipt, the virtual printer's last jobs, "No sale" (PIN-gated,
// journaled), the printer test page and X/Z reports on the roll. A printer
// problem is a result the cashier reads (printed: false, reason), never an
// error of the sale: the sale is in the journal before any receipt exists.

export interface ReceiptDeps {
  till: () => Till;
  settings: () => Settings;
  now: () => number;
  log: Logger;
  requirePin: (pin: string | undefined) => Promise<IpcResult<null>>;
  pinSet: () => boolean;
  /** Electron's silent printing and SVG→PNG (main.ts); absent in tests and the CLI. */
  osPrint?: OsPrint | undefined;
  rasterise?: Rasterise | undefined;
  /** The built-in printer: training mode prints here (shared with the test seams). */
  virtual?: VirtualPrinter;
  /** Tests: a shorter printer deadline than the 5 s the cashier gets. */
  printDeadlineMs?: number;
}

type ReceiptMethod = 'printReceipt' | 'previewReceipt' | 'virtualReceipts' | 'openDrawer' | 'testPrinter' | 'printReportReceipt';
export type ReceiptHandlers = { [K in ReceiptMethod & MethodName]: (input: ParsedInputOf<K>) => Promise<IpcResult<ResultOf<K>>> };

/** Journal meta: the number of the last Z taken once it has printed on the roll (its next print is a reprint). */
const Z_ON_ROLL = 'z_on_roll';

const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value });
const fail = <T>(code: 'not_found' | 'not_paid' | 'invalid_input', message: string): IpcResult<T> => ({ ok: false, error: { code, message } });

export interface ReceiptService {
  handlers: ReceiptHandlers;
  /** Called with every sale the engine emits: prints automatically when Settings say so. */
  noteSale(sale: SaleView): void;
  /** Called with every refund the engine emits: a refund seen open that ends refunded prints its receipt on "auto". */
  noteRefund(refund: RefundView): void;
  /**
   * Cash changed hands (a cash sale or a cash refund): the drawer opens. The opening is journaled
   * under the order before the kick; with automatic receipts the receipt carries the kick, else a
   * kick alone is sent. Never awaited by the sale.
   */
  cashMoved(saleOutTradeNo: string, refundOutTradeNo?: string): void;
}

export function receiptService(deps: ReceiptDeps): ReceiptService {
  const virtual = deps.virtual ?? new VirtualPrinter();
  /** Sales seen open in this session: only their becoming paid prints automatically (never a restart's old sales). */
  const seenOpen = new Set<string>();

  /** Training always prints to the virtual printer: a training receipt never reaches a real roll. */
  const targetOf = (till: Till): PrinterTarget => (till.training ? { kind: 'virtual' } : (parsePrinter(deps.settings().printer) ?? { kind: 'none' }));

  const send = async (till: Till, title: string, receipt: ReceiptDescription): Promise<ReceiptPrintResult> => {
    const target = targetOf(till);
    const printer = printerText(target);
    let job: RenderedJob;
    try {
      job = await renderJob(title, receipt, layoutOf(deps.settings()), deps.rasterise);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      deps.log.log('warn', `${title}: not rendered`, { error: message });
      return { printed: false, printer, reason: 'failed', message };
    }
    const outcome = await deliver(target, job, { virtual, osPrint: deps.osPrint, now: deps.now, deadlineMs: deps.printDeadlineMs });
    if (!outcome.ok) deps.log.log('warn', `${title}: not printed`, { printer, reason: outcome.reason, error: outcome.message });
    return outcome.ok ? { printed: true, printer, reason: null, message: null } : { printed: false, printer, reason: outcome.reason, message: outcome.message };
  };

  const header = (till: Till) => headerFrom(deps.settings(), till.journal.udid, till.training);

  const describe = (till: Till, input: ParsedInputOf<'printReceipt'>) =>
    saleReceipt(till.journal, input.outTradeNo, deps.settings(), { reprint: input.reprint, refundOutTradeNo: input.refundOutTradeNo });

  const printSale = async (input: ParsedInputOf<'printReceipt'>): Promise<IpcResult<ReceiptPrintResult>> => {
    const till = deps.till();
    const described = describe(till, input);
    if (!described.ok) return fail(described.error.code, described.error.message);
    const title = `${input.reprint ? 'reprint' : 'receipt'} ${input.refundOutTradeNo ?? input.outTradeNo}`;
    return ok(await send(till, title, described.receipt));
  };

  const handlers: ReceiptHandlers = {
    printReceipt: printSale,

    previewReceipt: async (input) => {
      const till = deps.till();
      const described = describe(till, input);
      if (!described.ok) return fail(described.error.code, described.error.message);
      const layout = layoutOf(deps.settings());
      const job = await renderJob('preview', described.receipt, layout.codePage === 'image' ? { ...layout, codePage: 'big5' } : layout);
      return ok({ svg: job.svg, paperWidth: job.paperWidth });
    },

    virtualReceipts: async () => ok(virtual.jobs().map((j) => ({ id: j.id, atMs: j.atMs, title: j.title, svg: j.svg, bytes: j.bytes.length }))),

    openDrawer: async (input) => {
      const pin = await deps.requirePin(input.pin);
      if (!pin.ok) return pin;
      const till = deps.till();
      const now = deps.now();
      // Who: the till has no cashier accounts; a PIN names the supervisor.
      const by: NoSaleBy = deps.pinSet() ? { kind: 'supervisor' } : { kind: 'cashier' };
      let result: ReceiptPrintResult | undefined;
      await openDrawerNoSale(till.journal, now, noSaleWho(by), async () => {
        result = await send(till, 'no sale', noSaleSlip(header(till), deps.settings(), now, by));
        return result.printed ? { ok: true, bytes: 0, durationMs: 0 } : { ok: false, reason: result.reason ?? 'failed', message: result.message ?? '', durationMs: 0 };
      });
      return ok(result!);
    },

    testPrinter: async () => {
      const till = deps.till();
      return ok(await send(till, 'test page', testPageSlip(header(till), deps.settings(), deps.now(), printerText(targetOf(till)))));
    },

    printReportReceipt: async (input) => {
      const till = deps.till();
      const s = deps.settings();
      const reports = new TillReports(till.journal.db, { udid: till.journal.udid, training: till.training, timeZone: s.timeZone, cutoffHour: s.businessDayCutoffHour, now: deps.now });
      if (input.kind === 'x') return ok(await send(till, 'x report', reportSlip(header(till), s, reports.x(), deps.now())));
      const last = reports.zList(1)[0]?.zNumber;
      const number = input.zNumber ?? last;
      const stored = number === undefined ? undefined : reports.z(number);
      if (number === undefined || !stored) return fail('not_found', number === undefined ? 'no Z report has been taken on this till yet' : `there is no Z report ${number} for this till`);
      // The Z just taken prints once as itself; an older Z, or the same one again (after a restart too), is a reprint.
      const reprint = number !== last || till.journal.meta(Z_ON_ROLL) === String(number);
      const result = await send(till, `z report ${number}`, reportSlip(header(till), s, stored.report, deps.now(), { reprint, intact: stored.intact }));
      if (result.printed && number === last) till.journal.setMeta(Z_ON_ROLL, String(number));
      return ok(result);
    },
  };

  /** Prints beside the engine: the outcome is logged, never awaited by the sale or refund. */
  const printAside = (input: ParsedInputOf<'printReceipt'>) =>
    void printSale(input).catch((error: unknown) => deps.log.log('error', `receipt ${input.refundOutTradeNo ?? input.outTradeNo}: ${error instanceof Error ? error.message : String(error)}`));

  /** The drawer kick alone (ESC @, ESC p), for a cash sale whose receipt is not printed. */
  const kickOnly = async (till: Till, title: string): Promise<void> => {
    const target = targetOf(till);
    // An operating-system printer prints pages and cannot pulse the drawer pin.
    if (target.kind === 'os' || target.kind === 'none') return;
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="576" height="40"><text x="8" y="26" font-size="18">${title}</text></svg>`;
    const outcome = await deliver(target, { title, bytes: Buffer.from(`\x1b@${DRAWER_KICK}`, 'latin1'), svg, paperWidth: layoutOf(deps.settings()).paperWidth }, { virtual, osPrint: deps.osPrint, now: deps.now, deadlineMs: deps.printDeadlineMs });
    if (!outcome.ok) {
      deps.log.log('warn', `${title}: the drawer did not open`, { printer: printerText(target), reason: outcome.reason, error: outcome.message });
      till.journal.appendEvent('note', null, deps.now(), { message: `drawer kick failed: ${outcome.message}`, note: 'drawer_open_failed', reason: outcome.reason });
    }
  };

  return {
    handlers,
    cashMoved(saleOutTradeNo, refundOutTradeNo) {
      const till = deps.till();
      const id = refundOutTradeNo ?? saleOutTradeNo;
      try {
        till.journal.appendEvent('note', id, deps.now(), { message: `drawer opened (cash ${refundOutTradeNo ? 'refund' : 'sale'})`, note: DRAWER_NOTE, reason: refundOutTradeNo ? 'cash_refund' : 'cash_sale' });
      } catch (error) {
        // The sale or refund is already written: a note that cannot be (disk full) never turns it into an error.
        deps.log.log('error', `drawer ${id}: the opening was not journaled: ${error instanceof Error ? error.message : String(error)}`);
      }
      if (deps.settings().receiptPrint === 'auto') {
        printAside({ outTradeNo: saleOutTradeNo, ...(refundOutTradeNo ? { refundOutTradeNo } : {}), reprint: false });
        return;
      }
      void kickOnly(till, `drawer ${id}`).catch((error: unknown) => deps.log.log('error', `drawer ${id}: ${error instanceof Error ? error.message : String(error)}`));
    },
    noteRefund(refund) {
      if (refund.state === 'requesting' || refund.state === 'unknown') {
        seenOpen.add(refund.outTradeNo);
        return;
      }
      if (!seenOpen.delete(refund.outTradeNo) || refund.state !== 'refunded' || deps.settings().receiptPrint !== 'auto') return;
      printAside({ outTradeNo: refund.saleOutTradeNo, refundOutTradeNo: refund.outTradeNo, reprint: false });
    },
    noteSale(sale) {
      if (sale.state !== 'paid') {
        if (sale.state === 'requesting' || sale.state === 'awaiting_scan' || sale.state === 'unknown' || sale.state === 'cancelling') seenOpen.add(sale.outTradeNo);
        return;
      }
      if (!seenOpen.delete(sale.outTradeNo) || deps.settings().receiptPrint !== 'auto') return;
      printAside({ outTradeNo: sale.outTradeNo, reprint: false });
    },
  };
}
