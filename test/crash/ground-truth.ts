import Database from 'better-sqlite3';
import { CASH_PAY_TYPE } from '../../shared/cash';
import type { OrderView } from '../../electron/simulator/server';

// The journal against the simulator's ground truth (GET /__sim/orders): the
// one comparison the crash tests, the long crash script and the fault soak
// all make. Every problem is classified so a run can print lost / duplicated
// / unresolved counts, and carries enough to find the sale again. It knows
// the tenders: a cash sale (pay_type 'cash') and its refunds live only in the
// journal (issue 13), so QFPay having an order under such a name is the
// problem, and otherwise they are not compared with QFPay.

export interface JournalSale {
  out_trade_no: string;
  udid: string;
  state: string;
  amount_minor: number;
  /** The tender: a QFPay pay type, or CASH_PAY_TYPE (never at QFPay). */
  pay_type: string;
  syssn: string | null;
  expires_at_ms: number;
  refunded_minor: number;
  paid_after_cancel: number;
  cancel_reason: string | null;
  last_respcd: string | null;
  /** The out_trade_no of the sale's current QFPay order (its own, or a re-issue's). */
  order_no: string;
  parked_at_ms: number | null;
}

/** An order of a sale replaced by a fresh one after its QR was lost (journal v3). */
export interface JournalReplacedOrder {
  order_no: string;
  sale_out_trade_no: string;
  outcome: string;
}

export interface JournalRefund {
  out_trade_no: string;
  sale_out_trade_no: string;
  state: string;
  amount_minor: number;
  syssn: string | null;
}

export interface JournalSnapshot {
  sales: JournalSale[];
  refunds: JournalRefund[];
  replaced: JournalReplacedOrder[];
}

/** Reads the journal file read-only (safe while no till has it open, and after a SIGKILL: WAL contents included). */
export function readJournal(path: string): JournalSnapshot {
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const sales = db
      .prepare(
        'SELECT out_trade_no, udid, state, amount_minor, pay_type, syssn, expires_at_ms, refunded_minor, paid_after_cancel, cancel_reason, last_respcd, COALESCE(order_no, out_trade_no) AS order_no, parked_at_ms FROM sales ORDER BY created_at_ms, rowid',
      )
      .all() as JournalSale[];
    const refunds = db.prepare('SELECT out_trade_no, sale_out_trade_no, state, amount_minor, syssn FROM refunds ORDER BY created_at_ms, rowid').all() as JournalRefund[];
    const replaced = db.prepare('SELECT order_no, sale_out_trade_no, outcome FROM sale_orders ORDER BY replaced_at_ms, rowid').all() as JournalReplacedOrder[];
    return { sales, refunds, replaced };
  } finally {
    db.close();
  }
}

export async function fetchOrders(baseUrl: string): Promise<OrderView[]> {
  const response = await fetch(`${baseUrl}/__sim/orders`);
  if (response.status !== 200) throw new Error(`GET /__sim/orders answered ${response.status}`);
  const body = (await response.json()) as { orders: OrderView[] };
  return body.orders;
}

export type ProblemKind =
  /** Money QFPay took (or refunded) that the journal does not show as such. */
  | 'lost'
  /** A payment or refund request sent more than once for one order, or refunds beyond the payment. */
  | 'duplicated'
  /** Left open: a non-final row, a payable order the till gave up on, a refund QFPay still has pending. */
  | 'unresolved'
  /** The journal claims money QFPay does not have, or the two disagree on an amount or a syssn. */
  | 'mismatch';

export interface Problem {
  kind: ProblemKind;
  outTradeNo: string;
  detail: string;
}

export interface CompareOptions {
  /** Now, for deciding whether a QR in awaiting_scan is still fresh. */
  nowMs: number;
  /** Allow awaiting_scan sales whose QR is still fresh (they are returned in `fresh`, to be settled). */
  allowFreshAwaitingScan: boolean;
}

export interface Comparison {
  problems: Problem[];
  /** awaiting_scan sales with a fresh QR (allowed only with allowFreshAwaitingScan). */
  fresh: JournalSale[];
  counts: Record<ProblemKind, number>;
}

const FINAL_SALE = new Set(['paid', 'failed', 'expired', 'cancelled']);
const FINAL_REFUND = new Set(['refunded', 'failed']);

export function compareWithGroundTruth(journal: JournalSnapshot, orders: readonly OrderView[], options: CompareOptions): Comparison {
  const problems: Problem[] = [];
  const fresh: JournalSale[] = [];
  const add = (kind: ProblemKind, outTradeNo: string, detail: string) => problems.push({ kind, outTradeNo, detail });

  // A sale's QFPay order is its order_no (its own out_trade_no unless its QR was re-issued).
  const sales = new Map(journal.sales.map((s) => [s.order_no, s]));
  const replaced = new Map(journal.replaced.map((r) => [r.order_no, r]));
  const refunds = new Map(journal.refunds.map((r) => [r.out_trade_no, r]));
  const payments = new Map(orders.filter((o) => o.order_type === 'payment').map((o) => [o.out_trade_no, o]));
  const simRefunds = new Map(orders.filter((o) => o.order_type === 'refund').map((o) => [o.out_trade_no, o]));

  const refundsOf = new Map<string, { settled: number }>();
  for (const r of simRefunds.values()) {
    const entry = refundsOf.get(r.origssn ?? '') ?? { settled: 0 };
    if (r.state === 'refunded') entry.settled += r.txamt;
    refundsOf.set(r.origssn ?? '', entry);
  }

  // Cash rows: compared with QFPay only in that QFPay must not know them.
  const cashSales = new Set(journal.sales.filter((s) => s.pay_type === CASH_PAY_TYPE).map((s) => s.out_trade_no));
  const cashRefunds = new Set(journal.refunds.filter((r) => cashSales.has(r.sale_out_trade_no)).map((r) => r.out_trade_no));
  for (const order of orders) {
    if (cashSales.has(order.out_trade_no) || cashRefunds.has(order.out_trade_no)) {
      add('mismatch', order.out_trade_no, `a cash ${cashSales.has(order.out_trade_no) ? 'sale' : 'refund'} has a ${order.order_type} order at QFPay (${order.state})`);
    }
  }

  // ---- every order QFPay has, from the journal's side ----
  for (const order of payments.values()) {
    if (cashSales.has(order.out_trade_no) || cashRefunds.has(order.out_trade_no)) continue;
    const sale = sales.get(order.out_trade_no);
    if (order.paymentRequests > 1) add('duplicated', order.out_trade_no, `QFPay received ${order.paymentRequests} payment requests for this order`);
    const old = replaced.get(order.out_trade_no);
    if (!sale && old) {
      // A replaced order must be dead at QFPay: a payment of it would be money the sale does not count.
      if (order.state === 'paid') add('lost', order.out_trade_no, `QFPay has the replaced order of sale ${old.sale_out_trade_no} paid`);
      else if (order.state === 'unpaid') add('unresolved', order.out_trade_no, `the replaced order of sale ${old.sale_out_trade_no} is still open at QFPay`);
      continue;
    }
    if (!sale) {
      add(order.state === 'paid' ? 'lost' : 'unresolved', order.out_trade_no, `QFPay has a ${order.state} order the journal does not know`);
      continue;
    }
    if (order.state === 'paid') {
      if (sale.state !== 'paid') add('lost', order.out_trade_no, `QFPay: paid ${order.txamt}; journal: ${sale.state}`);
      else {
        if (sale.amount_minor !== order.txamt) add('mismatch', order.out_trade_no, `amount: journal ${sale.amount_minor}, QFPay ${order.txamt}`);
        if (sale.syssn !== order.syssn) add('mismatch', order.out_trade_no, `syssn: journal ${sale.syssn}, QFPay ${order.syssn}`);
      }
    } else if (order.state === 'unpaid' && FINAL_SALE.has(sale.state)) {
      // The till gave up while the customer can still pay: a payment then would be lost.
      add('unresolved', order.out_trade_no, `journal says ${sale.state} but QFPay still has the order open (payable until ${new Date(order.expiresAtMs ?? 0).toISOString()})`);
    } else if (sale.state === 'paid') {
      add('mismatch', order.out_trade_no, `journal says paid, QFPay says ${order.state}`);
    }
    // Settled refunds only: a refund QFPay still has pending is reported once, below, as unresolved.
    const settled = refundsOf.get(order.syssn)?.settled ?? 0;
    if (settled !== sale.refunded_minor) {
      add(settled > sale.refunded_minor ? 'lost' : 'mismatch', order.out_trade_no, `refunded: journal ${sale.refunded_minor}, QFPay ${settled}`);
    }
    if ((order.refundedMinor ?? 0) > order.txamt) add('duplicated', order.out_trade_no, `QFPay refunded ${order.refundedMinor} of ${order.txamt}`);
  }

  for (const order of simRefunds.values()) {
    if (cashSales.has(order.out_trade_no) || cashRefunds.has(order.out_trade_no)) continue;
    const refund = refunds.get(order.out_trade_no);
    if (order.refundRequests > 1) add('duplicated', order.out_trade_no, `QFPay received ${order.refundRequests} refund requests for this refund`);
    if (!refund) {
      add('lost', order.out_trade_no, `QFPay has a ${order.state} refund of ${order.txamt} the journal does not know`);
      continue;
    }
    if (order.state === 'pending') add('unresolved', order.out_trade_no, `QFPay still has this refund pending; journal: ${refund.state}`);
    else if (refund.state !== 'refunded') add('lost', order.out_trade_no, `QFPay refunded ${order.txamt}; journal: ${refund.state}`);
    else if (refund.amount_minor !== order.txamt) add('mismatch', order.out_trade_no, `refund amount: journal ${refund.amount_minor}, QFPay ${order.txamt}`);
  }

  // ---- every journal row, from QFPay's side ----
  for (const sale of journal.sales) {
    if (!FINAL_SALE.has(sale.state)) {
      if (sale.state === 'awaiting_scan' && sale.expires_at_ms > options.nowMs && options.allowFreshAwaitingScan) fresh.push(sale);
      else add('unresolved', sale.out_trade_no, `journal leaves the sale ${sale.state}`);
    }
    if (sale.state === 'paid' && !cashSales.has(sale.out_trade_no) && !payments.has(sale.order_no)) add('mismatch', sale.out_trade_no, 'journal says paid, QFPay has no such order');
  }
  for (const refund of journal.refunds) {
    if (!FINAL_REFUND.has(refund.state)) add('unresolved', refund.out_trade_no, `journal leaves the refund ${refund.state}`);
    if (refund.state === 'refunded' && !cashRefunds.has(refund.out_trade_no) && !simRefunds.has(refund.out_trade_no)) add('mismatch', refund.out_trade_no, 'journal says refunded, QFPay has no such refund');
  }

  const counts: Record<ProblemKind, number> = { lost: 0, duplicated: 0, unresolved: 0, mismatch: 0 };
  for (const p of problems) counts[p.kind] += 1;
  return { problems, fresh, counts };
}

export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `${p.kind.toUpperCase()} ${p.outTradeNo}: ${p.detail}`).join('\n');
}
