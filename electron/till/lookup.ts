import type { QfpayOutcome } from '../qfpay/client';
import { recordStatus, type OrderStatus, type QueryAnswer, type QueryRecord } from '../qfpay/responses';
import { parseTxdtm } from '../qfpay/time';
import type { QfpayPort } from './ports';

// Finding one order at QFPay by its out_trade_no. A query without syssn only
// searches one calendar month (the current one by default), so an order made
// at 23:59 on the 31st and looked up at 00:01 on the 1st would be missed:
// always give the month of the order's txdtm, and the neighbouring month too
// when txdtm is within a day of the boundary (the till's clock may differ
// from QFPay's).

export type Lookup =
  | { kind: 'found'; record: QueryRecord }
  | { kind: 'absent' }
  /** The query itself did not give an answer (transport, 429, or a non-0000 respcd). */
  | { kind: 'unanswered'; outcome: QfpayOutcome<QueryAnswer> }
  /**
   * QFPay answered, but the order may be in a part of the answer the till
   * cannot read: unknown. It never ends a sale and never proves an order absent.
   */
  | { kind: 'unreadable'; detail: string };

const pad = (n: number) => String(n).padStart(2, '0');
const DAY_MS = 86_400_000;

function monthRange(year: number, month: number): { start_time: string; end_time: string } {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return { start_time: `${year}-${pad(month)}-01 00:00:00`, end_time: `${year}-${pad(month)}-${pad(last)} 23:59:59` };
}

/** The calendar months to search for an order made at `txdtm`, its own first. */
export function monthsToSearch(txdtm: string): { start_time: string; end_time: string }[] {
  const p = parseTxdtm(txdtm);
  if (!p) return [];
  const at = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  const ranges = [monthRange(p.year, p.month)];
  for (const shifted of [at - DAY_MS, at + DAY_MS]) {
    const d = new Date(shifted);
    const [y, m] = [d.getUTCFullYear(), d.getUTCMonth() + 1];
    if (y !== p.year || m !== p.month) ranges.push(monthRange(y, m));
  }
  return ranges;
}

/**
 * Which record decides the order when QFPay lists several for it (a failed
 * attempt before the paid one): paid beats in progress beats closed or
 * expired beats a declined attempt; a record the till cannot place comes last.
 */
const RANK: Record<OrderStatus, number> = { paid: 0, open: 1, closed: 2, expired: 3, declined: 4, undecided: 5 };

export function decidingRecord(records: readonly QueryRecord[], matches: (r: QueryRecord) => boolean): QueryRecord | undefined {
  let best: QueryRecord | undefined;
  for (const r of records) {
    if (!matches(r)) continue;
    if (!best || RANK[recordStatus(r)] < RANK[recordStatus(best)]) best = r;
  }
  return best;
}

/** What the answer says about one order: its deciding record, absent, or unreadable. */
function readFor(answer: QueryAnswer, matches: (r: QueryRecord) => boolean, ids: { out_trade_no?: string; syssn?: string }): Lookup | undefined {
  const record = decidingRecord(answer.records, matches);
  // An unreadable item that may be this order (its ids are ours, or it has none) keeps the order unknown:
  // even beside a readable record, it could be the paid one.
  const blind = (answer.unreadable ?? []).find(
    (u) => (u.out_trade_no === undefined || u.out_trade_no === ids.out_trade_no) && (u.syssn === undefined || ids.syssn === undefined || u.syssn === ids.syssn),
  );
  if (record && (recordStatus(record) === 'paid' || !blind)) return { kind: 'found', record };
  if (blind) return { kind: 'unreadable', detail: 'QFPay answered in a shape the till cannot read' };
  return undefined;
}

/** Looks an order up by out_trade_no; `take` is called before every request (the till's budget). */
export async function findByOutTradeNo(
  client: QfpayPort,
  take: () => Promise<void>,
  outTradeNo: string,
  txdtm: string,
  orderType: 'payment' | 'refund',
): Promise<Lookup> {
  for (const range of monthsToSearch(txdtm)) {
    await take();
    const outcome = await client.query({ out_trade_no: outTradeNo, ...range });
    if (outcome.kind !== 'answered' || outcome.answer.respcd !== '0000') return { kind: 'unanswered', outcome };
    const found = readFor(outcome.answer, (r) => r.out_trade_no === outTradeNo && r.order_type === orderType, { out_trade_no: outTradeNo });
    if (found) return found;
  }
  return { kind: 'absent' };
}

/** Looks a payment up by syssn (QFPay ignores the time range then). */
export async function findBySyssn(client: QfpayPort, take: () => Promise<void>, syssn: string): Promise<Lookup> {
  await take();
  const outcome = await client.query({ syssn });
  if (outcome.kind !== 'answered' || outcome.answer.respcd !== '0000') return { kind: 'unanswered', outcome };
  return readFor(outcome.answer, (r) => r.syssn === syssn && r.order_type === 'payment', { syssn }) ?? { kind: 'absent' };
}
