import type { ClientBase } from 'pg';
import { CASH_MOVEMENTS_FROM_EVENTS } from './schema';
import type { Batch, JournalSource } from './source';

// Copies a journal's unsent rows to head office, in order, in batches, each
// batch one PostgreSQL transaction. Exactly once without any state on the
// till: the cursor is read from PostgreSQL inside the batch's transaction
// (under a per-till advisory lock, so two senders of one till take turns),
// and every row is keyed by udid plus the journal's own key with ON CONFLICT
// DO NOTHING (events, Zs) or a newer-wins update (sales, refunds). A batch
// that dies before COMMIT leaves nothing; one whose COMMIT answer is lost is
// found already there by the next attempt.

export interface SendOptions {
  batchSize?: number;
  /** At most this many batches in one call (a week offline catches up over several calls). */
  maxBatches?: number;
  store?: string;
  timeZone?: string;
  now?: () => number;
  /** Test hooks for fault injection: run inside the batch's transaction, before and after COMMIT. */
  hooks?: { beforeCommit?(client: ClientBase, batch: Batch): Promise<void>; afterCommit?(client: ClientBase, batch: Batch): Promise<void> };
}

export interface SendResult {
  events: number;
  zReports: number;
  batches: number;
  caughtUp: boolean;
  /** Head office's cursor after the call. */
  seq: number;
}

export const DEFAULT_BATCH_SIZE = 1000;

const col = <T, K extends keyof T>(rows: readonly T[], key: K): T[K][] => rows.map((r) => r[key]);
/** One array per column, in the order of the INSERT's unnest(...). */
const columns = <T>(rows: readonly T[], keys: readonly (keyof T)[]): unknown[][] => keys.map((key) => col(rows, key));

const SALE_KEYS = ['out_trade_no', 'state', 'amount_minor', 'refunded_minor', 'currency', 'pay_type', 'cancel_reason', 'syssn', 'txdtm', 'created_at_ms', 'settled_at_ms', 'updated_at_ms', 'tendered_minor', 'change_minor', 'order_no'] as const;
const SALE_ORDER_KEYS = ['order_no', 'sale_out_trade_no', 'syssn', 'txdtm', 'outcome', 'last_respcd', 'replaced_at_ms'] as const;
const REFUND_KEYS = ['out_trade_no', 'sale_out_trade_no', 'state', 'amount_minor', 'currency', 'syssn', 'txdtm', 'created_at_ms', 'settled_at_ms', 'updated_at_ms'] as const;
const Z_KEYS = ['z_number', 'business_day', 'period_start_ms', 'period_end_ms', 'created_at_ms', 'content', 'sha256'] as const;

export async function sendBatch(client: ClientBase, source: JournalSource, options: SendOptions = {}): Promise<{ events: number; zReports: number; caughtUp: boolean; seq: number }> {
  const udid = source.udid;
  const limit = options.batchSize ?? DEFAULT_BATCH_SIZE;
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('till-office-send:' || $1))`, [udid]);
    const cursor = await client.query<{ seq: string; z: number }>(
      `SELECT (SELECT COALESCE(max(seq), 0) FROM office.events WHERE udid = $1) AS seq,
              (SELECT COALESCE(max(z_number), 0) FROM office.z_reports WHERE udid = $1) AS z`,
      [udid],
    );
    const afterSeq = Number(cursor.rows[0]!.seq);
    const batch = source.read(afterSeq, Number(cursor.rows[0]!.z), limit);
    const { events, sales, refunds, zReports } = batch;
    if (events.length > 0) {
      await client.query(
        `INSERT INTO office.events (udid, seq, at_ms, kind, out_trade_no, data)
         SELECT $1, * FROM unnest($2::bigint[], $3::bigint[], $4::text[], $5::text[], $6::jsonb[]) ON CONFLICT DO NOTHING`,
        [udid, col(events, 'seq'), col(events, 'atMs'), col(events, 'kind'), col(events, 'outTradeNo'), col(events, 'data')],
      );
      // The drawer's movements among this batch's events, as rows a report can sum.
      await client.query(`${CASH_MOVEMENTS_FROM_EVENTS} AND udid = $1 AND seq > $2 AND seq <= $3 ON CONFLICT DO NOTHING`, [udid, afterSeq, events[events.length - 1]!.seq]);
    }
    if (sales.length > 0) {
      await client.query(
        `INSERT INTO office.sales (udid, out_trade_no, state, amount_minor, refunded_minor, currency, pay_type, cancel_reason, syssn, txdtm, created_at_ms, settled_at_ms, updated_at_ms, tendered_minor, change_minor, order_no)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::bigint[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bigint[], $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::text[])
         ON CONFLICT (udid, out_trade_no) DO UPDATE SET state = excluded.state, refunded_minor = excluded.refunded_minor, cancel_reason = excluded.cancel_reason, syssn = excluded.syssn,
           txdtm = excluded.txdtm, order_no = excluded.order_no, settled_at_ms = excluded.settled_at_ms, updated_at_ms = excluded.updated_at_ms
         WHERE office.sales.updated_at_ms <= excluded.updated_at_ms`,
        [udid, ...columns(sales, SALE_KEYS)],
      );
    }
    if (batch.saleOrders.length > 0) {
      await client.query(
        `INSERT INTO office.sale_orders (udid, order_no, sale_out_trade_no, syssn, txdtm, outcome, last_respcd, replaced_at_ms)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::bigint[]) ON CONFLICT DO NOTHING`,
        [udid, ...columns(batch.saleOrders, SALE_ORDER_KEYS)],
      );
    }
    if (refunds.length > 0) {
      await client.query(
        `INSERT INTO office.refunds (udid, out_trade_no, sale_out_trade_no, state, amount_minor, currency, syssn, txdtm, created_at_ms, settled_at_ms, updated_at_ms)
         SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::bigint[], $6::text[], $7::text[], $8::text[], $9::bigint[], $10::bigint[], $11::bigint[])
         ON CONFLICT (udid, out_trade_no) DO UPDATE SET state = excluded.state, syssn = excluded.syssn, settled_at_ms = excluded.settled_at_ms, updated_at_ms = excluded.updated_at_ms
         WHERE office.refunds.updated_at_ms <= excluded.updated_at_ms`,
        [udid, ...columns(refunds, REFUND_KEYS)],
      );
    }
    if (zReports.length > 0) {
      await client.query(
        `INSERT INTO office.z_reports (udid, z_number, business_day, period_start_ms, period_end_ms, created_at_ms, content, sha256)
         SELECT $1, * FROM unnest($2::int[], $3::text[], $4::bigint[], $5::bigint[], $6::bigint[], $7::text[], $8::text[]) ON CONFLICT DO NOTHING`,
        [udid, ...columns(zReports, Z_KEYS)],
      );
    }
    await client.query(
      `INSERT INTO office.tills (udid, store, time_zone, journal_seq, last_contact_ms) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (udid) DO UPDATE SET store = COALESCE(NULLIF(excluded.store, ''), office.tills.store), time_zone = COALESCE(excluded.time_zone, office.tills.time_zone),
         journal_seq = GREATEST(office.tills.journal_seq, excluded.journal_seq), last_contact_ms = excluded.last_contact_ms`,
      [udid, options.store ?? '', options.timeZone ?? null, batch.journalSeq, (options.now ?? Date.now)()],
    );
    await options.hooks?.beforeCommit?.(client, batch);
    await client.query('COMMIT');
    await options.hooks?.afterCommit?.(client, batch);
    const last = events[events.length - 1];
    return { events: events.length, zReports: zReports.length, caughtUp: batch.caughtUp, seq: last ? last.seq : afterSeq };
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** Sends batches until caught up (or maxBatches). Errors propagate: what was committed stays, the rest is resent next time. */
export async function sendPending(client: ClientBase, source: JournalSource, options: SendOptions = {}): Promise<SendResult> {
  const maxBatches = options.maxBatches ?? 1_000_000;
  const result: SendResult = { events: 0, zReports: 0, batches: 0, caughtUp: false, seq: 0 };
  while (result.batches < maxBatches) {
    const sent = await sendBatch(client, source, options);
    result.batches += 1;
    result.events += sent.events;
    result.zReports += sent.zReports;
    result.seq = sent.seq;
    if (sent.caughtUp) {
      result.caughtUp = true;
      break;
    }
  }
  return result;
}
