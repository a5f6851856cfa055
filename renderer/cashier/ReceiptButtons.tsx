import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReceiptPrintResult } from '../../shared/contract';
import type { SaleView } from '../../shared/sale';
import type { SettingsView } from '../../shared/settings';
import { TillError, till, unwrap } from '../lib/api';

// Receipts on the cashier screens (issue 14): "Print receipt" on the paid
// screen (Enter prints it when Settings say "on request"), "Reprint" and a
// preview in History. A printer problem is shown here and never touches the
// sale: it is paid whatever the printer does.

export type PrintState = { kind: 'idle' } | { kind: 'printing' } | { kind: 'done'; result: ReceiptPrintResult } | { kind: 'error'; key: string; message: string };

/** The translated line for a print result ("Printed on …", or why not). */
export function PrintStatus({ state }: { state: PrintState }) {
  const { t } = useTranslation();
  if (state.kind === 'idle') return null;
  if (state.kind === 'printing') return <span role="status">{t('receipts.printing')}</span>;
  if (state.kind === 'error') return <span className="error-text" role="alert">{t(state.key, { defaultValue: state.message })}</span>;
  const r = state.result;
  const printer = r.printer === 'virtual' ? t('receipts.virtualPrinter') : r.printer;
  return r.printed ? (
    <span className="ok-text" role="status">{t('receipts.printed', { printer })}</span>
  ) : (
    <span className="error-text" role="alert" title={r.message ?? undefined}>
      {t(`receipts.failure.${r.reason ?? 'failed'}`, { printer })}
    </span>
  );
}

/** Runs one receipt-printer call and keeps its state for PrintStatus. */
export function usePrintCall(): [PrintState, (call: () => Promise<ReceiptPrintResult>) => Promise<void>] {
  const [state, setState] = useState<PrintState>({ kind: 'idle' });
  const run = useCallback(async (call: () => Promise<ReceiptPrintResult>) => {
    setState({ kind: 'printing' });
    try {
      setState({ kind: 'done', result: await call() });
    } catch (e) {
      setState(e instanceof TillError ? { kind: 'error', key: `receipts.errors.${e.error.code}`, message: e.error.message } : { kind: 'error', key: 'errors.internal', message: '' });
    }
  }, []);
  return [state, run];
}

export interface PaidReceipt {
  /** Enter should print (on request, not printed yet). */
  pending: boolean;
  state: PrintState;
  print: () => Promise<void>;
}

/** A receipt can be printed: training has the virtual printer; otherwise Settings must name one. */
export const hasReceiptPrinter = (settings: SettingsView, training: boolean) => training || settings.printer !== 'none';

/**
 * The paid screen's receipt: printed once on request ("auto" has main print
 * it, "never" hides it). Without a printer, Enter stays "new sale".
 */
export function usePaidReceipt(sale: SaleView | null, settings: SettingsView, training: boolean): PaidReceipt {
  const [state, run] = usePrintCall();
  const [printedFor, setPrintedFor] = useState<string | null>(null);
  const paid = sale?.state === 'paid' ? sale.outTradeNo : null;
  const print = useCallback(async () => {
    if (!paid) return;
    setPrintedFor(paid);
    await run(() => unwrap(till().printReceipt({ outTradeNo: paid })));
  }, [paid, run]);
  const pending = paid !== null && settings.receiptPrint === 'on_request' && hasReceiptPrinter(settings, training) && printedFor !== paid;
  return { pending, state: printedFor === paid ? state : { kind: 'idle' }, print };
}

export function PaidReceiptActions({ receipt, settings, training }: { receipt: PaidReceipt; settings: SettingsView; training: boolean }) {
  const { t } = useTranslation();
  if (settings.receiptPrint === 'never' || !hasReceiptPrinter(settings, training)) return null;
  return (
    <div className="receipt-actions">
      <button type="button" className="btn" onClick={() => void receipt.print()} disabled={receipt.state.kind === 'printing'}>
        {t('receipts.print')} {receipt.pending ? <kbd>Enter</kbd> : null}
      </button>
      <PrintStatus state={receipt.state} />
    </div>
  );
}

/** The receipt image as the printer gets it (an <img>: an SVG there runs nothing). */
export function ReceiptImage({ svg, label }: { svg: string; label: string }) {
  return <img className="receipt-image" alt={label} src={`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`} />;
}

/** History: reprint the sale's receipt (marked REPRINT) or a refund's, and preview it. */
export function ReprintButtons({ sale, refundIds }: { sale: SaleView; refundIds: string[] }) {
  const { t } = useTranslation();
  const [state, run] = usePrintCall();
  const [preview, setPreview] = useState<string | null>(null);
  if (sale.state !== 'paid') return null;
  const reprint = (refundOutTradeNo?: string) =>
    void run(() => unwrap(till().printReceipt({ outTradeNo: sale.outTradeNo, reprint: true, ...(refundOutTradeNo ? { refundOutTradeNo } : {}) })));
  const showPreview = async () => {
    try {
      setPreview(preview ? null : (await unwrap(till().previewReceipt({ outTradeNo: sale.outTradeNo, reprint: true }))).svg);
    } catch {
      setPreview(null);
    }
  };
  return (
    <section className="receipt-actions">
      <button type="button" className="btn" onClick={() => reprint()} disabled={state.kind === 'printing'}>
        {t('receipts.reprint')}
      </button>
      {refundIds.map((id) => (
        <button key={id} type="button" className="btn" onClick={() => reprint(id)} disabled={state.kind === 'printing'}>
          {t('receipts.reprintRefund', { id: id.slice(-6) })}
        </button>
      ))}
      <button type="button" className="btn btn-link" onClick={() => void showPreview()}>
        {preview ? t('receipts.hidePreview') : t('receipts.preview')}
      </button>
      <PrintStatus state={state} />
      {preview ? <ReceiptImage svg={preview} label={t('receipts.preview')} /> : null}
    </section>
  );
}

/** Reports: the X or a Z on the receipt printer (ESC/POS, or the virtual printer in training). */
export function ReportReceiptButton({ kind, zNumber }: { kind: 'x' | 'z'; zNumber?: number | undefined }) {
  const { t } = useTranslation();
  const [state, run] = usePrintCall();
  return (
    <>
      <button type="button" className="btn" disabled={state.kind === 'printing'} onClick={() => void run(() => unwrap(till().printReportReceipt({ kind, ...(kind === 'z' && zNumber !== undefined ? { zNumber } : {}) })))}>
        {t('receipts.reportToPrinter')}
      </button>
      <PrintStatus state={state} />
    </>
  );
}
