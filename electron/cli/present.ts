import { formatMinor } from '../../shared/currency';
import { isFinalRefund, type RefundView, type SaleView } from '../../shared/sale';
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

/** PAID, or REFUNDED / PARTLY REFUNDED once refunds went out: what a manager means by the sale's state. */
function stateLabel(sale: SaleView): string {
  if (sale.state === 'paid' && sale.refundedMinor >= sale.amountMinor) return 'REFUNDED';
  if (sale.state === 'paid' && sale.refundedMinor > 0) return 'PARTLY REFUNDED';
  return sale.state.toUpperCase();
}

export function saleLines(sale: SaleView, zone?: string): string[] {
  const lines = [
    `${sale.outTradeNo}  ${formatMinor(sale.amountMinor, sale.currency)}  ${stateLabel(sale)}${sale.paidAfterCancel ? '  PAID AFTER CANCEL: hand over the goods or refund' : ''}`,
    `  created ${time(sale.createdAtMs, zone)}${sale.paidAtMs ? `  paid ${time(sale.paidAtMs, zone)}` : ''}${sale.syssn ? `  syssn ${sale.syssn}` : ''}`,
  ];
  if (sale.refundedMinor > 0) lines.push(`  refunded ${formatMinor(sale.refundedMinor, sale.currency)}`);
  if (sale.state === 'cancelled' || sale.state === 'expired') {
    // The close's last answer code is how it ended, not a failure: say what matters at the counter.
    lines.push(sale.state === 'cancelled' ? '  cancelled: nothing was charged' : '  the QR expired unpaid: nothing was charged');
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
