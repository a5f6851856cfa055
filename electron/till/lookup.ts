import type { QfpayOutcome } from '../qfpay/client';
import type { QueryAnswer, QueryRecord } from '../qfpay/responses';
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
  | { kind: 'unanswered'; outcome: QfpayOutcome<QueryAnswer> };

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

function pick(records: readonly QueryRecord[], outTradeNo: string, orderType: 'payment' | 'refund'): QueryRecord | undefined {
  return records.find((r) => r.out_trade_no === outTradeNo && r.order_type === orderType);
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
    const record = pick(outcome.answer.records, outTradeNo, orderType);
    if (record) return { kind: 'found', record };
  }
  return { kind: 'absent' };
}

/** Looks a payment up by syssn (QFPay ignores the time range then). */
export async function findBySyssn(client: QfpayPort, take: () => Promise<void>, syssn: string): Promise<Lookup> {
  await take();
  const outcome = await client.query({ syssn });
  if (outcome.kind !== 'answered' || outcome.answer.respcd !== '0000') return { kind: 'unanswered', outcome };
  const record = outcome.answer.records.find((r) => r.syssn === syssn && r.order_type === 'payment');
  return record ? { kind: 'found', record } : { kind: 'absent' };
}
