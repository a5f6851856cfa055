import type { CurrencyCode } from '../../shared/currency';
import type { Statement } from 'better-sqlite3';
import { OPEN_SALE_STATES, type CancelReason, type RefundState, type SaleState } from '../../shared/sale';
import { JournalOpenError, type Db } from './database';
import type { Leases } from './leases';

// The till journal: one writer (the engine), every change one transaction
// that also appends its event, committed before anyone is told. Every row
// carries the till's udid. Data written here is already masked: the engine
// never hands secrets or real-name data to the journal.

export interface SaleRecord {
  outTradeNo: string;
  udid: string;
  training: boolean;
  amountMinor: number;
  currency: CurrencyCode;
  payType: string;
  goodsName: string | null;
  state: SaleState;
  txdtm: string;
  expiredMinutes: number;
  createdAtMs: number;
  expiresAtMs: number;
  syssn: string | null;
  qrcode: string | null;
  sysdtm: string | null;
  paidAtMs: number | null;
  paydtm: string | null;
  chnlsn: string | null;
  lastRespcd: string | null;
  lastMessage: string | null;
  cancelReason: CancelReason | null;
  cancelRequestedAtMs: number | null;
  paidAfterCancel: boolean;
  refundedMinor: number;
  finalAtMs: number | null;
  updatedAtMs: number;
  /** The out_trade_no of the QFPay order this sale has now: its own, or a re-issue's. */
  orderNo: string;
  /** How many times the sale's order was re-issued after a lost QR. */
  reissues: number;
  /** When the sale was parked (DESIGN.md rule 2): open, settled in the background, not in the way. */
  parkedAtMs: number | null;
  /** Cash sales only: what the customer handed over, and the change given back. */
  tenderedMinor?: number | null;
  changeMinor?: number | null;
  /** Consumer-presented sales only: the customer's code masked (last 4 digits; maskAuthCode). Never the whole code. */
  authCodeMasked?: string | null;
  /** A real-name check was sent: its masked form (JSON of maskRealName). Never the plain values. */
  realNameMasked?: string | null;
}

/** A sale as written ahead: a first order (its own out_trade_no), never re-issued or parked yet, unless said. */
export type NewSale = Omit<SaleRecord, 'orderNo' | 'reissues' | 'parkedAtMs'> & Partial<Pick<SaleRecord, 'orderNo' | 'reissues' | 'parkedAtMs'>>;

/** An order of a sale that was replaced by a fresh one (its QR was lost; QFPay confirmed it closed or absent). */
export interface ReplacedOrder {
  orderNo: string;
  saleOutTradeNo: string;
  udid: string;
  syssn: string | null;
  txdtm: string;
  outcome: 'closed' | 'absent';
  lastRespcd: string | null;
  replacedAtMs: number;
}

/** The fields of a sale written ahead that only QFPay's answers (or the sale's end) fill in. */
export const NOT_YET_SETTLED = {
  syssn: null,
  qrcode: null,
  sysdtm: null,
  paidAtMs: null,
  paydtm: null,
  chnlsn: null,
  lastRespcd: null,
  lastMessage: null,
  cancelReason: null,
  cancelRequestedAtMs: null,
  paidAfterCancel: false,
  refundedMinor: 0,
  finalAtMs: null,
  reissues: 0,
  parkedAtMs: null,
} as const satisfies Partial<SaleRecord>;

/** The fields of a refund written ahead that only QFPay's answers (or the refund's end) fill in. */
export const REFUND_NOT_YET_SETTLED = {
  syssn: null,
  sysdtm: null,
  lastRespcd: null,
  lastMessage: null,
  finalAtMs: null,
} as const satisfies Partial<RefundRecord>;

export interface RefundRecord {
  outTradeNo: string;
  udid: string;
  training: boolean;
  saleOutTradeNo: string;
  amountMinor: number;
  currency: CurrencyCode;
  state: RefundState;
  txdtm: string;
  createdAtMs: number;
  syssn: string | null;
  sysdtm: string | null;
  lastRespcd: string | null;
  lastMessage: string | null;
  finalAtMs: number | null;
  updatedAtMs: number;
}

/** What insertRefundIfRoom did: written, or why not (the engine's error codes). */
export type RefundRoom =
  | { ok: true; refundableMinor: number }
  | { ok: false; code: 'refund_open'; outTradeNo: string }
  | { ok: false; code: 'nothing_to_refund' | 'exceeds_refundable'; refundableMinor: number };

const REFUND_SENT = 'refund_request_sent';
/** In a refund's write-ahead event: this refund notes its send, so no note means never sent. */
const SEND_TRACKED = 'sendTracked';

export type EventKind = 'transition' | 'exchange' | 'note';

export interface JournalEvent {
  id: number;
  udid: string;
  atMs: number;
  kind: EventKind;
  outTradeNo: string | null;
  data: Record<string, unknown>;
}

/** txdtm changes only with orderNo, when the sale's order is re-issued (replaceOrder). */
export type SalePatch = Partial<Omit<SaleRecord, 'outTradeNo' | 'udid' | 'training' | 'amountMinor' | 'currency' | 'payType' | 'createdAtMs'>>;
export type RefundPatch = Partial<Pick<RefundRecord, 'state' | 'syssn' | 'sysdtm' | 'lastRespcd' | 'lastMessage' | 'finalAtMs'>>;

const SALE_COLUMNS: Record<keyof SaleRecord, string> = {
  outTradeNo: 'out_trade_no',
  udid: 'udid',
  training: 'training',
  amountMinor: 'amount_minor',
  currency: 'currency',
  payType: 'pay_type',
  goodsName: 'goods_name',
  state: 'state',
  txdtm: 'txdtm',
  expiredMinutes: 'expired_minutes',
  createdAtMs: 'created_at_ms',
  expiresAtMs: 'expires_at_ms',
  syssn: 'syssn',
  qrcode: 'qrcode',
  sysdtm: 'sysdtm',
  paidAtMs: 'paid_at_ms',
  paydtm: 'paydtm',
  chnlsn: 'chnlsn',
  lastRespcd: 'last_respcd',
  lastMessage: 'last_message',
  cancelReason: 'cancel_reason',
  cancelRequestedAtMs: 'cancel_requested_at_ms',
  paidAfterCancel: 'paid_after_cancel',
  refundedMinor: 'refunded_minor',
  finalAtMs: 'final_at_ms',
  updatedAtMs: 'updated_at_ms',
  orderNo: 'order_no',
  reissues: 'reissues',
  parkedAtMs: 'parked_at_ms',
  tenderedMinor: 'tendered_minor',
  changeMinor: 'change_minor',
  authCodeMasked: 'auth_code_masked',
  realNameMasked: 'real_name_masked',
};

const REPLACED_COLUMNS: Record<keyof ReplacedOrder, string> = {
  orderNo: 'order_no',
  saleOutTradeNo: 'sale_out_trade_no',
  udid: 'udid',
  syssn: 'syssn',
  txdtm: 'txdtm',
  outcome: 'outcome',
  lastRespcd: 'last_respcd',
  replacedAtMs: 'replaced_at_ms',
};

const REFUND_COLUMNS: Record<keyof RefundRecord, string> = {
  outTradeNo: 'out_trade_no',
  udid: 'udid',
  training: 'training',
  saleOutTradeNo: 'sale_out_trade_no',
  amountMinor: 'amount_minor',
  currency: 'currency',
  state: 'state',
  txdtm: 'txdtm',
  createdAtMs: 'created_at_ms',
  syssn: 'syssn',
  sysdtm: 'sysdtm',
  lastRespcd: 'last_respcd',
  lastMessage: 'last_message',
  finalAtMs: 'final_at_ms',
  updatedAtMs: 'updated_at_ms',
};

const BOOLEAN_FIELDS = new Set(['training', 'paidAfterCancel']);
/** Fields only some rows have (cash sales, scanned codes, real-name checks): left out rather than null on the others. */
const OPTIONAL_FIELDS = new Set(['tenderedMinor', 'changeMinor', 'authCodeMasked', 'realNameMasked']);

function toRow<T extends object>(record: Partial<T>, columns: Record<string, string>): Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) {
    const column = columns[key];
    if (column === undefined) throw new Error(`journal: unknown field ${key}`);
    row[column] = BOOLEAN_FIELDS.has(key) ? (value ? 1 : 0) : value;
  }
  return row;
}

function fromRow<T>(row: Record<string, unknown>, columns: Record<string, string>): T {
  const record: Record<string, unknown> = {};
  for (const [key, column] of Object.entries(columns)) {
    const value = row[column];
    if (value === null && OPTIONAL_FIELDS.has(key)) continue;
    record[key] = BOOLEAN_FIELDS.has(key) ? value === 1 : value;
  }
  return record as T;
}

/** A sale row; a sale never re-issued has no order_no of its own (its order is its out_trade_no). */
function saleFromRow(row: Record<string, unknown>): SaleRecord {
  const sale = fromRow<SaleRecord>(row, SALE_COLUMNS);
  sale.orderNo ??= sale.outTradeNo;
  sale.reissues ??= 0;
  sale.parkedAtMs ??= null;
  return sale;
}

/** A new sale's row: a first order, never re-issued or parked, is what the columns' defaults say, so those are left out. */
function newSaleRow(sale: NewSale): Record<string, unknown> {
  const { orderNo, reissues, parkedAtMs, ...rest } = sale;
  return toRow(
    { ...rest, ...(orderNo !== undefined && orderNo !== sale.outTradeNo ? { orderNo } : {}), ...(reissues ? { reissues } : {}), ...(parkedAtMs !== undefined && parkedAtMs !== null ? { parkedAtMs } : {}) },
    SALE_COLUMNS,
  );
}

export interface SaleSearch {
  fromMs?: number;
  toMs?: number;
  /** Matches an exact amount in minor units, or part of an order number. */
  text?: string;
  amountMinor?: number;
  states?: readonly SaleState[];
  limit?: number;
  offset?: number;
}

export class Journal {
  private readonly stmt;
  /** Set when several processes may share this file (see leases.ts); tests of one process may leave it out. */
  private leases: Leases | undefined;

  constructor(
    readonly db: Db,
    readonly udid: string,
    readonly training: boolean,
  ) {
    this.stmt = {
      insertEvent: db.prepare('INSERT INTO events (udid, at_ms, kind, out_trade_no, data) VALUES (?, ?, ?, ?, ?)'),
      getSale: db.prepare('SELECT * FROM sales WHERE out_trade_no = ?'),
      getRefund: db.prepare('SELECT * FROM refunds WHERE out_trade_no = ?'),
      openSales: db.prepare(`SELECT * FROM sales WHERE state IN ('requesting','awaiting_scan','unknown','cancelling') ORDER BY created_at_ms`),
      anyOpenSale: db.prepare(`SELECT * FROM sales WHERE state IN ('requesting','awaiting_scan','unknown','cancelling') ORDER BY created_at_ms LIMIT 1`),
      openRefunds: db.prepare(`SELECT * FROM refunds WHERE state IN ('requesting','unknown') ORDER BY created_at_ms`),
      refundsOfSale: db.prepare('SELECT * FROM refunds WHERE sale_out_trade_no = ? ORDER BY created_at_ms'),
      refundSend: db.prepare(
        `SELECT (SELECT MIN(at_ms) FROM events WHERE out_trade_no = ? AND kind = 'note' AND json_extract(data, '$.note') = ?) AS sent,
                EXISTS (SELECT 1 FROM events WHERE out_trade_no = ? AND kind = 'transition' AND json_extract(data, '$.' || ?) = 1) AS tracked`,
      ),
      reserved: db.prepare(`SELECT COALESCE(SUM(amount_minor), 0) AS total FROM refunds WHERE sale_out_trade_no = ? AND state IN ('requesting','unknown','refunded')`),
      latestSale: db.prepare('SELECT * FROM sales ORDER BY created_at_ms DESC, rowid DESC LIMIT 1'),
      events: db.prepare('SELECT * FROM events WHERE out_trade_no = ? ORDER BY id'),
      bySyssn: db.prepare('SELECT out_trade_no FROM sales WHERE syssn = ? UNION ALL SELECT out_trade_no FROM refunds WHERE syssn = ? LIMIT 1'),
      getMeta: db.prepare('SELECT value FROM meta WHERE key = ?'),
      setMeta: db.prepare('INSERT INTO meta (key, value, udid) VALUES (?, ?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value, udid = excluded.udid'),
    };
    // Check the mode before writing anything: a refused file must be left as it was.
    const mode = this.meta('training');
    if (mode !== undefined && mode !== (training ? '1' : '0')) {
      throw new JournalOpenError('mode', 'journal: this file belongs to the other mode (training and real journals never mix)');
    }
    this.db.transaction(() => {
      if (mode === undefined) this.setMeta('training', training ? '1' : '0');
      if (this.meta('udid') !== udid) this.setMeta('udid', udid);
    })();
  }

  /**
   * From now on, a row written ahead is leased to this process in the same
   * transaction, a change to a row another live process drives is refused
   * (as a stale read is), and a row that becomes final frees its lease.
   */
  useLeases(leases: Leases): void {
    this.leases = leases;
  }

  /** Another live process drives this row: this one must not move it. */
  private drivenElsewhere(outTradeNo: string): boolean {
    return this.leases?.heldElsewhere(outTradeNo) !== undefined;
  }

  /** Statements built from a patch's columns are few and repeat: prepare each once. */
  private readonly statements = new Map<string, Statement<unknown[]>>();

  private prepared(sql: string): Statement<unknown[]> {
    let stmt = this.statements.get(sql);
    if (!stmt) {
      stmt = this.db.prepare(sql);
      this.statements.set(sql, stmt);
    }
    return stmt;
  }

  meta(key: string): string | undefined {
    const row = this.stmt.getMeta.get(key) as { value: string } | undefined;
    return row?.value;
  }

  setMeta(key: string, value: string): void {
    this.stmt.setMeta.run(key, value, this.udid);
  }

  /** Appends to the audit trail (outside a transition: API exchanges, notes). */
  appendEvent(kind: EventKind, outTradeNo: string | null, atMs: number, data: Record<string, unknown>): void {
    this.stmt.insertEvent.run(this.udid, atMs, kind, outTradeNo, JSON.stringify(data));
  }

  /** Write-ahead: the sale exists in the journal before any request leaves. Its first order is its own out_trade_no. */
  insertSale(sale: NewSale, event: Record<string, unknown>): void {
    const row = newSaleRow(sale);
    const columns = Object.keys(row);
    this.db.transaction(() => {
      this.prepared(`INSERT INTO sales (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
      this.leases?.takeNew(sale.outTradeNo);
      this.appendEvent('transition', sale.outTradeNo, sale.updatedAtMs, { to: sale.state, ...event });
    })();
  }

  /**
   * A sale that is final the moment it is written (cash: no request ever
   * leaves), with its event, in the caller's transaction or its own. No lease:
   * there is nothing left for any process to drive.
   */
  insertFinalSale(sale: NewSale, event: Record<string, unknown>): void {
    const row = newSaleRow(sale);
    const columns = Object.keys(row);
    this.db.transaction(() => {
      this.prepared(`INSERT INTO sales (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
      this.appendEvent('transition', sale.outTradeNo, sale.updatedAtMs, { to: sale.state, ...event });
    })();
  }

  /**
   * Moves a sale on, in one transaction with its event. `from` guards against
   * acting on a stale read: when the row is no longer in one of those states,
   * nothing is written and undefined is returned.
   */
  updateSale(
    outTradeNo: string,
    from: readonly SaleState[],
    change: SalePatch | ((current: SaleRecord) => SalePatch),
    event: Record<string, unknown>,
  ): SaleRecord | undefined {
    return this.db.transaction(() => {
      const current = this.sale(outTradeNo);
      if (!current || !from.includes(current.state) || this.drivenElsewhere(outTradeNo)) return undefined;
      const patch = typeof change === 'function' ? change(current) : change;
      const row = toRow(patch, SALE_COLUMNS);
      const sets = Object.keys(row).map((c) => `${c} = @${c}`);
      if (sets.length > 0) this.prepared(`UPDATE sales SET ${sets.join(', ')} WHERE out_trade_no = @out_trade_no`).run({ ...row, out_trade_no: outTradeNo });
      const atMs = patch.updatedAtMs ?? current.updatedAtMs;
      this.appendEvent('transition', outTradeNo, atMs, { from: current.state, to: patch.state ?? current.state, ...event });
      const updated = this.sale(outTradeNo);
      if (updated && !OPEN_SALE_STATES.includes(updated.state)) this.leases?.release(outTradeNo);
      return updated;
    })();
  }

  /**
   * Re-issue (write-ahead of the new order): in one transaction the replaced
   * order is kept under the sale and the sale moves to its fresh order.
   */
  replaceOrder(outTradeNo: string, from: readonly SaleState[], replaced: ReplacedOrder, patch: SalePatch & { orderNo: string; txdtm: string }, event: Record<string, unknown>): SaleRecord | undefined {
    return this.db.transaction(() => {
      const current = this.sale(outTradeNo);
      if (!current || !from.includes(current.state)) return undefined;
      const row = toRow(replaced, REPLACED_COLUMNS);
      const columns = Object.keys(row);
      this.prepared(`INSERT INTO sale_orders (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
      return this.updateSale(outTradeNo, from, patch, { replaced: replaced.orderNo, order: patch.orderNo, ...event });
    })();
  }

  /** The orders of a sale that were replaced, oldest first. */
  replacedOrders(saleOutTradeNo: string): ReplacedOrder[] {
    return (this.prepared('SELECT * FROM sale_orders WHERE sale_out_trade_no = ? ORDER BY replaced_at_ms, rowid').all(saleOutTradeNo) as Record<string, unknown>[]).map((r) => fromRow<ReplacedOrder>(r, REPLACED_COLUMNS));
  }

  /** The sale that sent the order `orderNo` (now or before a re-issue). */
  saleOfOrderNo(orderNo: string): string | undefined {
    const row = this.prepared('SELECT out_trade_no FROM sales WHERE order_no = ? UNION ALL SELECT sale_out_trade_no FROM sale_orders WHERE order_no = ? LIMIT 1').get(orderNo, orderNo) as { out_trade_no: string } | undefined;
    return row?.out_trade_no;
  }

  insertRefund(refund: RefundRecord, event: Record<string, unknown>): void {
    const row = toRow(refund, REFUND_COLUMNS);
    const columns = Object.keys(row);
    this.db.transaction(() => {
      this.prepared(`INSERT INTO refunds (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(row);
      this.leases?.takeNew(refund.outTradeNo);
      this.appendEvent('transition', refund.outTradeNo, refund.updatedAtMs, { to: refund.state, sale: refund.saleOutTradeNo, ...event });
    })();
  }

  /**
   * The write-ahead of a refund, only if the sale still has room for it: no
   * other refund of the sale open and the amount within what is not yet
   * refunded or reserved (DESIGN.md rule 8). Checked and written in one
   * IMMEDIATE transaction, so two processes on one journal (the app and the
   * command line) cannot both pass the check and both send a refund.
   */
  insertRefundIfRoom(refund: RefundRecord, saleAmountMinor: number, event: Record<string, unknown>): RefundRoom {
    return this.db
      .transaction((): RefundRoom => {
        const open = this.refundsOfSale(refund.saleOutTradeNo).find((r) => r.state === 'requesting' || r.state === 'unknown');
        if (open) return { ok: false, code: 'refund_open', outTradeNo: open.outTradeNo };
        const refundable = saleAmountMinor - this.reservedRefundMinor(refund.saleOutTradeNo);
        if (refundable <= 0) return { ok: false, code: 'nothing_to_refund', refundableMinor: 0 };
        if (refund.amountMinor > refundable) return { ok: false, code: 'exceeds_refundable', refundableMinor: refundable };
        this.insertRefund(refund, { ...event, refundableBefore: refundable, [SEND_TRACKED]: true });
        return { ok: true, refundableMinor: refundable };
      })
      .immediate();
  }

  /**
   * Written just before a refund request leaves (after the budget's wait):
   * from then on QFPay may have the refund, so its absence from a query is no
   * proof until QFPay's processing window has passed.
   */
  noteRefundSent(outTradeNo: string, atMs: number): boolean {
    // Only while still requesting: another process's recovery may have found it unsent and failed it meanwhile.
    return this.db
      .transaction(() => {
        if (this.refund(outTradeNo)?.state !== 'requesting') return false;
        this.appendEvent('note', outTradeNo, atMs, { note: REFUND_SENT });
        return true;
      })
      .immediate();
  }

  /** Fails a refund whose request certainly never left (no send note), checked and written in one transaction. */
  failUnsentRefund(outTradeNo: string, patch: RefundPatch & { updatedAtMs: number }, event: Record<string, unknown>): RefundRecord | undefined {
    return this.db
      .transaction(() => (this.refundSentAtMs(outTradeNo) === null ? this.updateRefund(outTradeNo, ['requesting'], { ...patch, state: 'failed' }, event) : undefined))
      .immediate();
  }

  /**
   * When the refund request left: a time; `null` when it certainly never left
   * (its write-ahead promised a note and there is none); `undefined` when the
   * row predates these notes and the request may have left at any time.
   */
  refundSentAtMs(outTradeNo: string): number | null | undefined {
    const row = this.stmt.refundSend.get(outTradeNo, REFUND_SENT, outTradeNo, SEND_TRACKED) as { sent: number | null; tracked: number };
    if (row.sent !== null) return row.sent;
    return row.tracked ? null : undefined;
  }

  /** Moves a refund on; a refund that becomes `refunded` adds to its sale's refunded total in the same transaction. */
  updateRefund(outTradeNo: string, from: readonly RefundState[], patch: RefundPatch & { updatedAtMs: number }, event: Record<string, unknown>): RefundRecord | undefined {
    return this.db.transaction(() => {
      const current = this.refund(outTradeNo);
      if (!current || !from.includes(current.state) || this.drivenElsewhere(outTradeNo)) return undefined;
      const row = toRow(patch, REFUND_COLUMNS);
      const sets = Object.keys(row).map((c) => `${c} = @${c}`);
      this.prepared(`UPDATE refunds SET ${sets.join(', ')} WHERE out_trade_no = @out_trade_no`).run({ ...row, out_trade_no: outTradeNo });
      if (patch.state === 'refunded' && current.state !== 'refunded') {
        this.db
          .prepare('UPDATE sales SET refunded_minor = refunded_minor + ?, updated_at_ms = ? WHERE out_trade_no = ?')
          .run(current.amountMinor, patch.updatedAtMs, current.saleOutTradeNo);
      }
      this.appendEvent('transition', outTradeNo, patch.updatedAtMs, { from: current.state, to: patch.state ?? current.state, sale: current.saleOutTradeNo, ...event });
      if (patch.state === 'refunded' || patch.state === 'failed') this.leases?.release(outTradeNo);
      return this.refund(outTradeNo);
    })();
  }

  sale(outTradeNo: string): SaleRecord | undefined {
    const row = this.stmt.getSale.get(outTradeNo) as Record<string, unknown> | undefined;
    return row ? saleFromRow(row) : undefined;
  }

  refund(outTradeNo: string): RefundRecord | undefined {
    const row = this.stmt.getRefund.get(outTradeNo) as Record<string, unknown> | undefined;
    return row ? fromRow<RefundRecord>(row, REFUND_COLUMNS) : undefined;
  }

  /** The out_trade_no of the sale or refund QFPay numbered `syssn`. */
  outTradeNoOfSyssn(syssn: string): string | undefined {
    const row = this.stmt.bySyssn.get(syssn, syssn) as { out_trade_no: string } | undefined;
    return row?.out_trade_no;
  }

  /**
   * Non-final sales in this file, oldest first, whatever udid wrote them:
   * recovery must resolve every one of them, or a sale left open under an
   * earlier udid would never be settled and would block charges for ever
   * (anyOpenSale sees it).
   */
  openSales(): SaleRecord[] {
    return (this.stmt.openSales.all() as Record<string, unknown>[]).map((r) => saleFromRow(r));
  }

  /** Any non-final sale in this file, whatever udid wrote it (a udid change must not hide one). */
  anyOpenSale(): SaleRecord | undefined {
    const row = this.stmt.anyOpenSale.get() as Record<string, unknown> | undefined;
    return row ? saleFromRow(row) : undefined;
  }

  /** The open sale in the way of a new charge: any non-final sale that is not parked. */
  blockingSale(): SaleRecord | undefined {
    const row = this.prepared(`SELECT * FROM sales WHERE state IN ('requesting','awaiting_scan','unknown','cancelling') AND parked_at_ms IS NULL ORDER BY created_at_ms LIMIT 1`).get() as Record<string, unknown> | undefined;
    return row ? saleFromRow(row) : undefined;
  }

  /** Parked sales still being settled in the background, oldest first. */
  parkedSales(): SaleRecord[] {
    return (this.prepared(`SELECT * FROM sales WHERE state IN ('requesting','awaiting_scan','unknown','cancelling') AND parked_at_ms IS NOT NULL ORDER BY created_at_ms`).all() as Record<string, unknown>[]).map((r) => saleFromRow(r));
  }

  /** Non-final refunds in this file, whatever udid wrote them (as openSales). */
  openRefunds(): RefundRecord[] {
    return (this.stmt.openRefunds.all() as Record<string, unknown>[]).map((r) => fromRow<RefundRecord>(r, REFUND_COLUMNS));
  }

  refundsOfSale(saleOutTradeNo: string): RefundRecord[] {
    return (this.stmt.refundsOfSale.all(saleOutTradeNo) as Record<string, unknown>[]).map((r) => fromRow<RefundRecord>(r, REFUND_COLUMNS));
  }

  /** Refunded plus in flight: what no new refund may eat into. */
  reservedRefundMinor(saleOutTradeNo: string): number {
    return (this.stmt.reserved.get(saleOutTradeNo) as { total: number }).total;
  }

  latestSale(): SaleRecord | undefined {
    const row = this.stmt.latestSale.get() as Record<string, unknown> | undefined;
    return row ? saleFromRow(row) : undefined;
  }

  events(outTradeNo: string): JournalEvent[] {
    return (this.stmt.events.all(outTradeNo) as Record<string, unknown>[]).map((r) => ({
      id: r.id as number,
      udid: r.udid as string,
      atMs: r.at_ms as number,
      kind: r.kind as EventKind,
      outTradeNo: (r.out_trade_no as string | null) ?? null,
      data: JSON.parse(r.data as string) as Record<string, unknown>,
    }));
  }

  /** History: newest first, by time window, amount, or part of an order number, QFPay number or the sale's note. */
  searchSales(search: SaleSearch = {}): SaleRecord[] {
    // The whole file: sales made under an earlier udid are still this till's history.
    const where = ['1 = 1'];
    const params: Record<string, unknown> = {};
    if (search.fromMs !== undefined) {
      where.push('created_at_ms >= @fromMs');
      params.fromMs = search.fromMs;
    }
    if (search.toMs !== undefined) {
      where.push('created_at_ms < @toMs');
      params.toMs = search.toMs;
    }
    if (search.amountMinor !== undefined) {
      where.push('amount_minor = @amountMinor');
      params.amountMinor = search.amountMinor;
    }
    if (search.text) {
      where.push("(out_trade_no LIKE @text ESCAPE '\\' OR syssn LIKE @text ESCAPE '\\' OR goods_name LIKE @text ESCAPE '\\')");
      params.text = `%${search.text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
    }
    if (search.states && search.states.length > 0) {
      where.push(`state IN (${search.states.map((_, i) => `@state${i}`).join(', ')})`);
      search.states.forEach((s, i) => (params[`state${i}`] = s));
    }
    params.limit = Math.min(Math.max(search.limit ?? 50, 1), 500);
    params.offset = Math.max(search.offset ?? 0, 0);
    const rows = this.db
      .prepare(`SELECT * FROM sales WHERE ${where.join(' AND ')} ORDER BY created_at_ms DESC, rowid DESC LIMIT @limit OFFSET @offset`)
      .all(params) as Record<string, unknown>[];
    return rows.map((r) => saleFromRow(r));
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
