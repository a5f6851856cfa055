import Database from 'better-sqlite3';

// The till side of replication: the journal itself is the outbox. Every
// sale, refund and state change already appends to the append-only `events`
// table in the transaction that makes it, and Z reports are immutable rows;
// so "unsent" is simply "after head office's cursor" (the highest sequence
// number PostgreSQL holds for this udid), and nothing on the till's write
// path changes or waits. The sender reads through its own read-only
// connection, in one read transaction per batch (a consistent snapshot).

export interface EventRow {
  seq: number;
  atMs: number;
  kind: string;
  outTradeNo: string | null;
  data: string;
}

export interface SaleRow {
  out_trade_no: string;
  state: string;
  amount_minor: number;
  refunded_minor: number;
  currency: string;
  pay_type: string;
  cancel_reason: string | null;
  syssn: string | null;
  txdtm: string | null;
  created_at_ms: number;
  settled_at_ms: number | null;
  updated_at_ms: number;
  /** Cash sales only (journal version 5 on): what the customer handed over and the change. */
  tendered_minor: number | null;
  change_minor: number | null;
  /** The QFPay order the sale has now when its QR was re-issued (journal version 4 on); null: its own out_trade_no. */
  order_no: string | null;
}

/** A QFPay order a sale had before a re-issue: QFPay still lists it, so reconciliation must know it. */
export interface SaleOrderRow {
  order_no: string;
  sale_out_trade_no: string;
  syssn: string | null;
  txdtm: string;
  outcome: string;
  last_respcd: string | null;
  replaced_at_ms: number;
}

export interface RefundRow {
  out_trade_no: string;
  sale_out_trade_no: string;
  state: string;
  amount_minor: number;
  currency: string;
  syssn: string | null;
  txdtm: string | null;
  created_at_ms: number;
  settled_at_ms: number | null;
  updated_at_ms: number;
}

export interface ZRow {
  z_number: number;
  business_day: string;
  period_start_ms: number;
  period_end_ms: number;
  created_at_ms: number;
  content: string;
  sha256: string;
}

export interface Batch {
  events: EventRow[];
  /** Current rows of the sales and refunds the batch's events are about. */
  sales: SaleRow[];
  refunds: RefundRow[];
  /** Every replaced order of the batch's sales (immutable rows: resending one adds nothing). */
  saleOrders: SaleOrderRow[];
  /** Z reports after the cursor: only once the events are caught up, so a Z never arrives before its sales. */
  zReports: ZRow[];
  /** The journal's latest event at the time of the read (head office shows the lag against it). */
  journalSeq: number;
  caughtUp: boolean;
}

export class SourceError extends Error {
  override readonly name = 'SourceError';
  constructor(
    readonly code: 'training' | 'open' | 'no_udid',
    message: string,
  ) {
    super(message);
  }
}

export class JournalSource {
  readonly udid: string;
  private readonly stmt;

  constructor(private readonly db: Database.Database) {
    const meta = db.prepare('SELECT key, value FROM meta WHERE key IN (?, ?)').all('udid', 'training') as { key: string; value: string }[];
    const value = (key: string) => meta.find((m) => m.key === key)?.value;
    // Training journals stay on the till: their sales were never real money.
    if (value('training') !== '0') throw new SourceError('training', 'this is a training journal: training is never sent to head office');
    const udid = value('udid');
    if (!udid) throw new SourceError('no_udid', 'the journal has no udid yet');
    this.udid = udid;
    // A journal from before re-issues (version 4) or cash (version 5) lacks their columns: read them as absent.
    const salesColumns = new Set((db.prepare('PRAGMA table_info(sales)').all() as { name: string }[]).map((c) => c.name));
    const cash = salesColumns.has('tendered_minor') ? 'tendered_minor, change_minor' : 'NULL AS tendered_minor, NULL AS change_minor';
    const reissued = salesColumns.has('order_no');
    this.stmt = {
      events: db.prepare('SELECT id AS seq, at_ms AS atMs, kind, out_trade_no AS outTradeNo, data FROM events WHERE id > ? ORDER BY id LIMIT ?'),
      lastSeq: db.prepare('SELECT COALESCE(MAX(id), 0) AS seq FROM events'),
      sales: db.prepare(
        `SELECT out_trade_no, state, amount_minor, refunded_minor, currency, pay_type, cancel_reason, syssn, txdtm, created_at_ms, settled_at_ms, updated_at_ms, ${cash}, ${reissued ? 'order_no' : 'NULL AS order_no'}
           FROM sales WHERE out_trade_no IN (SELECT value FROM json_each(@ids))
             -- A refund changes its sale's refunded total without a sale event: send the sale again too.
             OR out_trade_no IN (SELECT sale_out_trade_no FROM refunds WHERE out_trade_no IN (SELECT value FROM json_each(@ids)))`,
      ),
      refunds: db.prepare(
        `SELECT out_trade_no, sale_out_trade_no, state, amount_minor, currency, syssn, txdtm, created_at_ms, settled_at_ms, updated_at_ms
           FROM refunds WHERE out_trade_no IN (SELECT value FROM json_each(@ids))`,
      ),
      saleOrders: reissued
        ? db.prepare(
            `SELECT order_no, sale_out_trade_no, syssn, txdtm, outcome, last_respcd, replaced_at_ms
               FROM sale_orders WHERE sale_out_trade_no IN (SELECT value FROM json_each(@sales))`,
          )
        : undefined,
      zReports: db.prepare(
        `SELECT z_number, COALESCE(json_extract(content, '$.businessDay'), '') AS business_day, period_start_ms, period_end_ms, created_at_ms, content, sha256
           FROM z_reports WHERE udid = ? AND training = 0 AND z_number > ? ORDER BY z_number`,
      ),
    };
  }

  /** Opens the journal file read-only: the sender never writes to it. */
  static open(path: string): JournalSource {
    let db: Database.Database;
    try {
      db = new Database(path, { readonly: true, fileMustExist: true });
      db.pragma('busy_timeout = 5000');
    } catch (error) {
      throw new SourceError('open', `cannot open the journal at ${path}: ${error instanceof Error ? error.message : String(error)}`);
    }
    try {
      return new JournalSource(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  close(): void {
    this.db.close();
  }

  /** The journal's latest event sequence number. */
  lastSeq(): number {
    return (this.stmt.lastSeq.get() as { seq: number }).seq;
  }

  /** Up to `limit` events after `afterSeq`, with what they are about; Zs after `afterZ` once caught up. */
  read(afterSeq: number, afterZ: number, limit: number): Batch {
    return this.db.transaction((): Batch => {
      // Zs first, then events: every sale a listed Z counts is then in this snapshot's events.
      const zs = this.stmt.zReports.all(this.udid, afterZ) as ZRow[];
      const events = this.stmt.events.all(afterSeq, limit) as EventRow[];
      const journalSeq = this.lastSeq();
      const ids = JSON.stringify([...new Set(events.map((e) => e.outTradeNo).filter((id): id is string => id !== null))]);
      const caughtUp = events.length < limit;
      const sales = this.stmt.sales.all({ ids }) as SaleRow[];
      const withOrders = sales.filter((sale) => sale.order_no !== null).map((sale) => sale.out_trade_no);
      return {
        events,
        sales,
        refunds: this.stmt.refunds.all({ ids }) as RefundRow[],
        saleOrders: withOrders.length > 0 && this.stmt.saleOrders ? (this.stmt.saleOrders.all({ sales: JSON.stringify(withOrders) }) as SaleOrderRow[]) : [],
        zReports: caughtUp ? zs : [],
        journalSeq,
        caughtUp,
      };
    })();
  }
}
