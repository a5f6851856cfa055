import { formatMinor } from '../../shared/currency';
import { payTypeInfo } from '../../shared/pay-types';
import { isFinalRefund, isFinalSale, type RefundView, type SaleView } from '../../shared/sale';
import { describeHolder } from '../journal/leases';
import { cashierText } from '../qfpay/codes';
import { formatTxdtm } from '../qfpay/time';
import type { Till } from '../till/core';
import type { EngineError, RecoverySummary, TillEngine } from '../till/engine';
import { EXIT, printError, type ExitCode, type Output } from './io';

// How till commands show sales, refunds and engine errors, and which exit
// code each outcome gets. Amounts are for people: major units with the
// currency (HK$12.30); times in the merchant's zone.

const time = (ms: number | null, zone: string | undefined) => (ms === null ? '-' : formatTxdtm(ms, zone));

/** A scanned code's sale: it is reversed, not closed, when it does not go through. */
const isCodeSale = (sale: SaleView) => sale.payType !== undefined && payTypeInfo(sale.payType)?.presented === 'consumer';

/** PAID, or REFUNDED / PARTLY REFUNDED once refunds went out: what a manager means by the sale's state. */
function stateLabel(sale: SaleView): string {
  if (sale.state === 'paid' && sale.refundedMinor >= sale.amountMinor) return 'REFUNDED';
  if (sale.state === 'paid' && sale.refundedMinor > 0) return 'PARTLY REFUNDED';
  if (sale.state === 'cancelled' && isCodeSale(sale)) return 'REVERSED';
  return sale.state.toUpperCase();
}

/** The wallet, for every sale that is not the till's main one (WeChat MPM) or cash; a scanned code by its last 4 digits. */
function walletLine(sale: SaleView): string[] {
  if (sale.payType === undefined || sale.payType === '800201' || !payTypeInfo(sale.payType)) return [];
  return [`  ${payTypeInfo(sale.payType)!.name} (${sale.payType})${sale.authCodeMasked ? `  code ${sale.authCodeMasked}` : ''}${sale.realNameChecked ? '  real-name checked' : ''}`];
}

export function saleLines(sale: SaleView, zone?: string): string[] {
  const lines = [
    `${sale.outTradeNo}  ${formatMinor(sale.amountMinor, sale.currency)}  ${stateLabel(sale)}${sale.paidAfterCancel ? '  PAID AFTER CANCEL: hand over the goods or refund' : ''}`,
    `  created ${time(sale.createdAtMs, zone)}${sale.paidAtMs ? `  paid ${time(sale.paidAtMs, zone)}` : ''}${sale.syssn ? `  syssn ${sale.syssn}` : ''}`,
  ];
  lines.push(...walletLine(sale));
  if (sale.refundedMinor > 0) lines.push(`  refunded ${formatMinor(sale.refundedMinor, sale.currency)}`);
  if (sale.state === 'cancelled' || sale.state === 'expired') {
    // The close's last answer code is how it ended, not a failure: say what matters at the counter.
    const how = isCodeSale(sale) ? '  reversed at QFPay: nothing was charged' : '  cancelled: nothing was charged';
    lines.push(sale.state === 'cancelled' ? how : '  the QR expired unpaid: nothing was charged');
  } else if (sale.respcd && sale.state !== 'paid' && sale.respcd !== '0000') {
    const text = cashierText(sale.respcd, 'en');
    lines.push(`  ${sale.respcd}: ${text.message} ${text.hint}`);
  }
  return lines;
}

export function refundLines(refund: RefundView): string[] {
  const lines = [`${refund.outTradeNo}  refund of ${refund.saleOutTradeNo}  ${formatMinor(refund.amountMinor, refund.currency)}  ${refund.state.toUpperCase()}`];
  if (!isFinalRefund(refund.state)) {
    // Not "failed", not "try again": a retry of a refund QFPay may still run pays the customer twice (issue 9).
    lines.push(`  refund being confirmed${refund.respcd ? ` (QFPay answered ${refund.respcd})` : ''}: do not refund again; the till keeps checking with QFPay`);
  } else if (refund.respcd && refund.respcd !== '0000') {
    const text = cashierText(refund.respcd, 'en');
    lines.push(`  ${refund.respcd}: ${text.message} ${text.hint}`);
  }
  return lines;
}

/** Prints a sale's outcome; exit 0 only when paid, 1 when it ended otherwise, 3 while QFPay has not settled it. */
export function saleExit(till: Till, id: string, json: boolean | undefined, io: Output, zone: string): ExitCode {
  const sale = till.engine.saleViewOf(id)!;
  if (json) io.out(JSON.stringify({ event: 'final', sale }));
  else for (const line of saleLines(sale, zone)) io.out(line);
  if (sale.state === 'paid') return EXIT.ok;
  return isFinalSale(sale.state) ? EXIT.failed : EXIT.unknown;
}

/**
 * Waits for an open sale to end. The first stop (Ctrl+C) cancels it — close
 * or reversal, then confirm — and keeps waiting; a second one quits, the
 * sale left for till recover. 'stopped' then, else the final view and
 * whether this wait asked to cancel.
 */
export async function waitCancellable(
  till: Till,
  id: string,
  signals: { stopSignal: Promise<void>; secondStop?: Promise<void> | undefined },
  io: Output,
  what: { doing: string },
): Promise<{ final: SaleView; cancelled: boolean } | 'stopped'> {
  let cancelled = false;
  void signals.stopSignal.then(async () => {
    if (isFinalSale(till.engine.saleViewOf(id)?.state ?? 'paid')) return;
    cancelled = true;
    io.err(`${what.doing}… (Ctrl+C again quits; the sale is then settled by till recover)`);
    const outcome = await till.engine.cancel(id);
    if (!outcome.ok) io.err(outcome.error.message);
  });
  const final = await waitForSale(till.engine, id, (s) => isFinalSale(s.state), signals.secondStop ?? new Promise<void>(() => undefined));
  if (final === 'stopped') return 'stopped';
  return { final, cancelled };
}

export function engineErrorExit(error: EngineError, io: Output, json: boolean | undefined): ExitCode {
  printError(io, json, { code: error.code, message: `${error.message}${error.outTradeNo ? ` (${error.outTradeNo})` : ''}`, field: error.field, outTradeNo: error.outTradeNo });
  return error.code === 'invalid_input' || error.code === 'exceeds_refundable' || error.code === 'not_found' ? EXIT.usage : EXIT.failed;
}

export function reportRecovery(summary: RecoverySummary, io: Output): void {
  for (const s of summary.sales) io.err(`recovered sale ${s.outTradeNo}: ${s.from} → ${s.to}`);
  for (const r of summary.refunds) io.err(`recovered refund ${r.outTradeNo}: ${r.from} → ${r.to}`);
  for (const e of summary.elsewhere ?? []) io.err(`${e.kind} ${e.outTradeNo} (${e.state}) is being settled by another till process (${e.holder}): left to it`);
}

export interface SettlingWork {
  outTradeNo: string;
  kind: 'sale' | 'refund';
  state: string;
  /** Who settles it: another live process, or nobody until `till recover` (or the app) runs. */
  settledBy: string;
}

/** The open sales and refunds of the journal and who is settling them: what a read-only command owes the reader. */
export function settlingWork(till: Till): SettlingWork[] {
  const by = (id: string) => {
    const holder = till.leases.heldElsewhere(id);
    return holder ? `another till process (${describeHolder(holder)})` : 'nobody right now: till recover settles it';
  };
  return [
    ...till.journal.openSales().map((s) => ({ outTradeNo: s.outTradeNo, kind: 'sale' as const, state: s.state, settledBy: by(s.outTradeNo) })),
    ...till.journal.openRefunds().map((r) => ({ outTradeNo: r.outTradeNo, kind: 'refund' as const, state: r.state, settledBy: by(r.outTradeNo) })),
  ];
}

export function settlingLines(work: readonly SettlingWork[]): string[] {
  if (work.length === 0) return [];
  return [
    `still being settled with QFPay (not final yet): ${work.length}`,
    ...work.map((w) => `  ${w.kind} ${w.outTradeNo}  ${w.state.toUpperCase()}  settled by ${w.settledBy}`),
  ];
}

/** Resolves when the sale satisfies `done` (checked at once and on every update), or when `stop` fires. */
export function waitForSale(engine: TillEngine, outTradeNo: string, done: (sale: SaleView) => boolean, stop: Promise<void>): Promise<SaleView | 'stopped'> {
  return new Promise((resolve) => {
    let settled = false;
    const finish = (value: SaleView | 'stopped') => {
      if (settled) return;
      settled = true;
      off();
      resolve(value);
    };
    const off = engine.onSale((sale) => {
      if (sale.outTradeNo === outTradeNo && done(sale)) finish(sale);
    });
    const now = engine.saleViewOf(outTradeNo);
    if (now && done(now)) finish(now);
    void stop.then(() => finish('stopped'));
  });
}
