import Database from 'better-sqlite3';
import { CASH_PAY_TYPE } from '../../shared/cash';
import type { Problem } from '../crash/ground-truth';
import type { CountingProxy } from './counting-proxy';

// What the soak checks beyond test/crash/ground-truth.ts (which already holds
// cash rows to having no order at QFPay): what only the wire shows, counted by
// counting-proxy.ts — not one request naming a cash row or carrying pay_type
// cash; and every scanned code went to QFPay in exactly one payment request
// (the simulator refuses a reused code before it creates an order, so its
// orders could not show a second request).

export interface CashRows {
  sales: Set<string>;
  refunds: Set<string>;
}

/** The journal's cash sales and the refunds of them (for the report, and the requests that must not name them). */
export function readCashRows(journalPath: string): CashRows {
  const db = new Database(journalPath, { readonly: true, fileMustExist: true });
  try {
    const sales = db.prepare('SELECT out_trade_no AS id FROM sales WHERE pay_type = ?').all(CASH_PAY_TYPE) as { id: string }[];
    const refunds = db
      .prepare('SELECT r.out_trade_no AS id FROM refunds r JOIN sales s ON s.out_trade_no = r.sale_out_trade_no WHERE s.pay_type = ?')
      .all(CASH_PAY_TYPE) as { id: string }[];
    return { sales: new Set(sales.map((r) => r.id)), refunds: new Set(refunds.map((r) => r.id)) };
  } finally {
    db.close();
  }
}

/**
 * No request names a cash row; each scanned code in exactly one payment request.
 * `codes`: every code the engine accepted (chargeCode ok), to its sale.
 */
export function tenderProblems(cash: CashRows, proxy: Pick<CountingProxy, 'payments' | 'namedOrders'>, codes: ReadonlyMap<string, string>): Problem[] {
  const problems: Problem[] = [];
  for (const id of [...cash.sales, ...cash.refunds]) {
    if (proxy.namedOrders.has(id)) problems.push({ kind: 'mismatch', outTradeNo: id, detail: 'the till named a cash row in a request to QFPay' });
  }
  for (const p of proxy.payments) {
    if (p.payType === CASH_PAY_TYPE) problems.push({ kind: 'mismatch', outTradeNo: p.outTradeNo, detail: 'a payment request with pay_type cash' });
  }
  const sent = new Map<string, string[]>();
  for (const p of proxy.payments) if (p.authCode !== undefined) sent.set(p.authCode, [...(sent.get(p.authCode) ?? []), p.outTradeNo]);
  for (const [code, saleId] of codes) {
    const requests = sent.get(code) ?? [];
    if (requests.length > 1) problems.push({ kind: 'duplicated', outTradeNo: saleId, detail: `the scanned code went to QFPay in ${requests.length} payment requests (${requests.join(', ')})` });
    if (requests.length === 0) problems.push({ kind: 'mismatch', outTradeNo: saleId, detail: 'the scanned code was never sent to QFPay' });
  }
  for (const [code, ids] of sent) {
    if (!codes.has(code)) problems.push({ kind: 'mismatch', outTradeNo: ids[0]!, detail: 'a payment request carried a code no sale was given' });
  }
  return problems;
}

/** How many payment requests carried a scanned code. */
export const codePaymentRequests = (proxy: Pick<CountingProxy, 'payments'>): number => proxy.payments.filter((p) => p.authCode !== undefined).length;
