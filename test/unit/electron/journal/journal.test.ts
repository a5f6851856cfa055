import { NOT_YET_SETTLED } from '../../../../electron/journal/journal';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../electron/journal/database';
import { Journal, type RefundRecord, type SaleRecord } from '../../../../electron/journal/journal';

// The journal repository: one transaction per transition with its event,
// guarded by the state it expects; refunds add to their sale's total in the
// same transaction; the mode (training/real) of a file never changes.

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function freshDb(): { db: Db; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'journal-repo-'));
  dirs.push(dir);
  const path = join(dir, 'journal.sqlite');
  const db = openDatabase(path);
  dbs.push(db);
  return { db, path };
}

function sale(id: string, patch: Partial<SaleRecord> = {}): SaleRecord {
  return {
    outTradeNo: id,
    udid: 'till-01',
    training: true,
    amountMinor: 1000,
    currency: 'HKD',
    payType: '800201',
    goodsName: null,
    state: 'requesting',
    txdtm: '2026-11-26 12:00:00',
    expiredMinutes: 30,
    createdAtMs: 1_000,
    expiresAtMs: 1_000 + 30 * 60_000,
    ...NOT_YET_SETTLED,
    orderNo: id,
    updatedAtMs: 1_000,
    ...patch,
  };
}

function refund(id: string, saleId: string, amountMinor: number): RefundRecord {
  return {
    outTradeNo: id,
    udid: 'till-01',
    training: true,
    saleOutTradeNo: saleId,
    amountMinor,
    currency: 'HKD',
    state: 'requesting',
    txdtm: '2026-11-26 12:05:00',
    createdAtMs: 2_000,
    syssn: null,
    sysdtm: null,
    lastRespcd: null,
    lastMessage: null,
    finalAtMs: null,
    updatedAtMs: 2_000,
  };
}

const count = (db: Db, table: string) => (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;

describe('modes and udid', () => {
  it('records the udid and the mode in meta', () => {
    const { db } = freshDb();
    const journal = new Journal(db, 'till-01', true);
    expect(journal.meta('udid')).toBe('till-01');
    expect(journal.meta('training')).toBe('1');
  });

  it('a training file opened as real (or the reverse) is refused, and the refusal writes nothing', () => {
    const { db } = freshDb();
    new Journal(db, 'till-01', true);
    const before = db.prepare('SELECT key, value, udid FROM meta ORDER BY key').all();
    expect(() => new Journal(db, 'till-02', false)).toThrow(/other mode/);
    expect(db.prepare('SELECT key, value, udid FROM meta ORDER BY key').all()).toEqual(before);

    const other = freshDb().db;
    new Journal(other, 'till-01', false);
    expect(() => new Journal(other, 'till-01', true)).toThrow(/other mode/);
  });

  it('every row written through the journal carries the udid', () => {
    const { db } = freshDb();
    const journal = new Journal(db, 'till-07', true);
    journal.insertSale(sale('S1', { udid: 'till-07' }), { reason: 'charge' });
    journal.updateSale('S1', ['requesting'], { state: 'paid', syssn: '1', updatedAtMs: 3_000 }, { reason: 'paid' });
    journal.insertRefund({ ...refund('R1', 'S1', 100), udid: 'till-07' }, { reason: 'refund' });
    journal.appendEvent('note', null, 4_000, { hello: 'world' });
    for (const table of ['meta', 'sales', 'refunds', 'events']) {
      expect(db.prepare(`SELECT DISTINCT udid FROM ${table}`).all(), table).toEqual([{ udid: 'till-07' }]);
    }
  });
});

describe('transitions', () => {
  it('insertSale commits the row and its event together', () => {
    const { db } = freshDb();
    const journal = new Journal(db, 'till-01', true);
    journal.insertSale(sale('S1'), { reason: 'charge' });
    expect(journal.sale('S1')).toEqual(sale('S1'));
    expect(journal.events('S1')).toMatchObject([{ kind: 'transition', udid: 'till-01', data: { to: 'requesting', reason: 'charge' } }]);
  });

  it('a duplicate out_trade_no is refused and leaves no event behind', () => {
    const { db } = freshDb();
    const journal = new Journal(db, 'till-01', true);
    journal.insertSale(sale('S1'), { reason: 'charge' });
    const events = count(db, 'events');
    expect(() => journal.insertSale(sale('S1', { amountMinor: 5 }), { reason: 'charge' })).toThrow(/UNIQUE/);
    expect(count(db, 'events')).toBe(events);
    expect(journal.sale('S1')!.amountMinor).toBe(1000);
  });

  it('updateSale from a state the row is no longer in writes nothing', () => {
    const { db } = freshDb();
    const journal = new Journal(db, 'till-01', true);
    journal.insertSale(sale('S1'), { reason: 'charge' });
    expect(journal.updateSale('S1', ['requesting'], { state: 'paid', updatedAtMs: 2_000 }, { reason: 'paid' })).toMatchObject({ state: 'paid' });
    const events = count(db, 'events');
    expect(journal.updateSale('S1', ['awaiting_scan'], { state: 'expired', updatedAtMs: 3_000 }, { reason: 'stale' })).toBeUndefined();
    expect(journal.updateSale('NOPE', ['requesting'], { state: 'failed', updatedAtMs: 3_000 }, {})).toBeUndefined();
    expect(journal.sale('S1')!.state).toBe('paid');
    expect(count(db, 'events')).toBe(events);
  });

  it('a patch computed from the current row sees the committed state', () => {
    const { db } = freshDb();
    const journal = new Journal(db, 'till-01', true);
    journal.insertSale(sale('S1', { cancelReason: 'cashier' }), { reason: 'charge' });
    const updated = journal.updateSale('S1', ['requesting'], (s) => ({ state: s.cancelReason ? 'cancelling' : 'awaiting_scan', updatedAtMs: 2_000 }), { reason: 'created' });
    expect(updated!.state).toBe('cancelling');
    expect(journal.events('S1').at(-1)!.data).toMatchObject({ from: 'requesting', to: 'cancelling' });
  });

  it('a refund that becomes refunded adds to its sale once, in the same transaction', () => {
    const { db } = freshDb();
    const journal = new Journal(db, 'till-01', true);
    journal.insertSale(sale('S1', { state: 'paid', syssn: '1' }), { reason: 'charge' });
    journal.insertRefund(refund('R1', 'S1', 300), { reason: 'refund' });
    expect(journal.reservedRefundMinor('S1')).toBe(300);
    journal.updateRefund('R1', ['requesting'], { state: 'unknown', updatedAtMs: 3_000 }, { reason: 'lost' });
    journal.updateRefund('R1', ['unknown'], { state: 'refunded', syssn: '2', updatedAtMs: 4_000 }, { reason: 'found' });
    expect(journal.updateRefund('R1', ['unknown'], { state: 'refunded', updatedAtMs: 5_000 }, { reason: 'again' })).toBeUndefined();
    expect(journal.sale('S1')!.refundedMinor).toBe(300);
    expect(journal.reservedRefundMinor('S1')).toBe(300);
    expect(journal.outTradeNoOfSyssn('2')).toBe('R1');
    expect(journal.outTradeNoOfSyssn('1')).toBe('S1');
  });

  it('a failed refund frees its reservation; refunds beyond the sale are refused by the schema, atomically', () => {
    const { db } = freshDb();
    const journal = new Journal(db, 'till-01', true);
    journal.insertSale(sale('S1', { state: 'paid', syssn: '1' }), { reason: 'charge' });
    journal.insertRefund(refund('R1', 'S1', 800), { reason: 'refund' });
    journal.updateRefund('R1', ['requesting'], { state: 'failed', lastRespcd: '1269', updatedAtMs: 3_000 }, { reason: 'refused' });
    expect(journal.reservedRefundMinor('S1')).toBe(0);

    journal.insertRefund(refund('R2', 'S1', 800), { reason: 'refund' });
    journal.updateRefund('R2', ['requesting'], { state: 'refunded', updatedAtMs: 4_000 }, { reason: 'done' });
    // A refund the journal would have to count past the sale's amount: the whole transition rolls back.
    journal.insertRefund(refund('R3', 'S1', 300), { reason: 'refund' });
    const events = count(db, 'events');
    expect(() => journal.updateRefund('R3', ['requesting'], { state: 'refunded', updatedAtMs: 5_000 }, { reason: 'too much' })).toThrow(/CHECK/);
    expect(journal.refund('R3')!.state).toBe('requesting');
    expect(journal.sale('S1')!.refundedMinor).toBe(800);
    expect(count(db, 'events')).toBe(events);
  });
});

describe('reading', () => {
  it('open sales and refunds, the latest sale, and history search', () => {
    const { db } = freshDb();
    const journal = new Journal(db, 'till-01', true);
    journal.insertSale(sale('S1', { state: 'paid', createdAtMs: 1_000 }), {});
    journal.insertSale(sale('S2', { state: 'awaiting_scan', createdAtMs: 2_000, amountMinor: 250 }), {});
    journal.insertSale(sale('S3_x%', { state: 'unknown', createdAtMs: 3_000 }), {});
    expect(journal.openSales().map((s) => s.outTradeNo)).toEqual(['S2', 'S3_x%']);
    expect(journal.anyOpenSale()!.outTradeNo).toBe('S2');
    expect(journal.latestSale()!.outTradeNo).toBe('S3_x%');
    expect(journal.searchSales({ amountMinor: 250 }).map((s) => s.outTradeNo)).toEqual(['S2']);
    // LIKE wildcards in the search text are literal.
    expect(journal.searchSales({ text: '_x%' }).map((s) => s.outTradeNo)).toEqual(['S3_x%']);
    expect(journal.searchSales({ text: '%' }).map((s) => s.outTradeNo)).toEqual(['S3_x%']);
    expect(journal.searchSales({ states: ['paid'] }).map((s) => s.outTradeNo)).toEqual(['S1']);
    expect(journal.searchSales({ fromMs: 2_000, toMs: 3_000 }).map((s) => s.outTradeNo)).toEqual(['S2']);
    expect(journal.searchSales({ limit: 1 }).map((s) => s.outTradeNo)).toEqual(['S3_x%']);
  });

  it('open sales and refunds written under an earlier udid are still open work (they block, so recovery must see them)', () => {
    const { db } = freshDb();
    const journal = new Journal(db, 'till-01', true);
    journal.insertSale(sale('S1', { udid: 'till-01', state: 'unknown' }), {});
    journal.insertSale(sale('S2', { udid: 'till-01', state: 'paid', syssn: '5', createdAtMs: 500 }), {});
    journal.insertRefund(refund('R1', 'S2', 100), {});
    const renamed = new Journal(db, 'till-02', true);
    expect(renamed.anyOpenSale()!.outTradeNo).toBe('S1');
    expect(renamed.openSales().map((s) => s.outTradeNo)).toEqual(['S1']);
    expect(renamed.openRefunds().map((r) => r.outTradeNo)).toEqual(['R1']);
  });

  it('open work is found through the partial indexes', () => {
    const { db } = freshDb();
    const plan = (sql: string) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all() as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan("SELECT * FROM sales WHERE state IN ('requesting','awaiting_scan','unknown','cancelling') ORDER BY created_at_ms")).toContain('sales_open');
    expect(plan("SELECT * FROM refunds WHERE state IN ('requesting','unknown') ORDER BY created_at_ms")).toContain('refunds_open');
  });
});
