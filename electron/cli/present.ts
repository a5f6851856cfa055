import { formatMinorPlain } from '../../shared/currency';
import { isFinalRefund, type RefundView, type SaleView } from '../../shared/sale';
import { cashierText } from '../qfpay/codes';
import type { EngineError, RecoverySummary, TillEngine } from '../till/engine';
import { EXIT, type ExitCode, type Output } from './io';

// How till commands show sales, refunds and engine errors, and which exit
// code each outcome gets.

const time = (ms: number | null) => (ms === null ? '-' : new Date(ms).toISOString());

export function saleLines(sale: SaleView): string[] {
  const lines = [
    `${sale.outTradeNo}  ${formatMinorPlain(sale.amountMinor, sale.currency)} ${sale.currency}  ${sale.state.toUpperCase()}${sale.paidAfterCancel ? '  PAID AFTER CANCEL: hand over the goods or refund' : ''}`,
    `  created ${time(sale.createdAtMs)}${sale.paidAtMs ? `  paid ${time(sale.paidAtMs)}` : ''}${sale.syssn ? `  syssn ${sale.syssn}` : ''}`,
  ];
  if (sale.refundedMinor > 0) lines.push(`  refunded ${formatMinorPlain(sale.refundedMinor, sale.currency)} ${sale.currency}`);
  if (sale.respcd && sale.state !== 'paid' && sale.respcd !== '0000') {
    const text = cashierText(sale.respcd, 'en');
    lines.push(`  ${sale.respcd}: ${text.message} ${text.hint}`);
  }
  return lines;
}

export function refundLines(refund: RefundView): string[] {
  const lines = [`${refund.outTradeNo}  refund of ${refund.saleOutTradeNo}  ${formatMinorPlain(refund.amountMinor, refund.currency)} ${refund.currency}  ${refund.state.toUpperCase()}`];
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
  if (json) io.out(JSON.stringify({ error }));
  io.err(`${error.message}${error.outTradeNo ? ` (${error.outTradeNo})` : ''}`);
  return error.code === 'invalid_input' || error.code === 'exceeds_refundable' || error.code === 'not_found' ? EXIT.usage : EXIT.failed;
}

export function reportRecovery(summary: RecoverySummary, io: Output): void {
  for (const s of summary.sales) io.err(`recovered sale ${s.outTradeNo}: ${s.from} → ${s.to}`);
  for (const r of summary.refunds) io.err(`recovered refund ${r.outTradeNo}: ${r.from} → ${r.to}`);
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
