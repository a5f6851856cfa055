import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { JournalOpenError, openDatabase, schemaVersion, type Db } from '../../../../electron/journal/database';
import { LATEST_VERSION, MIGRATIONS } from '../../../../electron/journal/migrations';

// Opening the journal: durable pragmas read back (or refuse to run),
// versioned migrations from an empty file and from every earlier version,
// a newer file refused, and the schema's own guarantees.

const dirs: string[] = [];
const open: Db[] = [];
afterEach(() => {
  vi.restoreAllMocks();
  for (const db of open.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function tempPath(name = 'journal.sqlite'): string {
  const dir = mkdtempSync(join(tmpdir(), 'journal-unit-'));
  dirs.push(dir);
  return join(dir, name);
}

function track(db: Db): Db {
  open.push(db);
  return db;
}

function schemaOf(db: Db): string[] {
  return (db.prepare("SELECT type || ' ' || name || ': ' || coalesce(sql, '') AS s FROM sqlite_master WHERE name NOT LIKE 'sqlite_%' ORDER BY type, name").all() as { s: string }[]).map((r) => r.s);
}

describe('pragmas', () => {
  it('reads back WAL, synchronous FULL, foreign keys on and the busy timeout', () => {
    const db = track(openDatabase(tempPath()));
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(2);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
  });

  it('takes the busy timeout it is given', () => {
    const db = track(openDatabase(tempPath(), { busyTimeoutMs: 1234 }));
    expect(db.pragma('busy_timeout', { simple: true })).toBe(1234);
  });

  it.each([
    ['journal_mode', 'delete'],
    ['synchronous', 1],
    ['foreign_keys', 0],
    ['busy_timeout', 0],
  ])('refuses to open when %s does not take (reads back %s)', (name, readBack) => {
    // A file system without WAL, or a build that ignores a pragma: simulated by a read-back that disagrees.
    const original = Database.prototype.pragma;
    vi.spyOn(Database.prototype, 'pragma').mockImplementation(function (this: Db, source: string, options?: Database.PragmaOptions) {
      if (source === name && options?.simple) return readBack;
      return original.call(this, source, options);
    });
    const path = tempPath();
    let error: unknown;
    try {
      track(openDatabase(path));
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(JournalOpenError);
    expect(error).toMatchObject({ code: 'pragma' });
    expect((error as Error).message).toContain(name);
    vi.restoreAllMocks();
    // Nothing was migrated: the refused file has no schema.
    const raw = track(new Database(path));
    expect(schemaVersion(raw)).toBe(0);
    expect(schemaOf(raw)).toEqual([]);
  });

  it('refuses a busy timeout SQLite cannot hold (negative reads back as 0)', () => {
    expect(() => openDatabase(tempPath(), { busyTimeoutMs: -5 })).toThrow(expect.objectContaining({ code: 'pragma' }));
  });

  it('a path that cannot be opened is an "open" error', () => {
    const path = join(tempPath(), 'no', 'such', 'dir', 'journal.sqlite');
    expect(() => openDatabase(path)).toThrow(expect.objectContaining({ name: 'JournalOpenError', code: 'open' }));
  });
});

describe('migrations', () => {
  it('an empty file migrates to the latest version', () => {
    const path = tempPath();
    const db = track(openDatabase(path));
    expect(schemaVersion(db)).toBe(LATEST_VERSION);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
    expect(tables.sort()).toEqual(['cash_movements', 'events', 'lease_owners', 'leases', 'meta', 'refunds', 'sale_orders', 'sale_slots', 'sales', 'tender_buckets', 'tender_slots', 'z_reports']);
  });

  it('versions are 1, 2, 3… with no gaps, each with a description', () => {
    MIGRATIONS.forEach((m, i) => {
      expect(m.version).toBe(i + 1);
      expect(m.description.length).toBeGreaterThan(0);
    });
    expect(LATEST_VERSION).toBe(MIGRATIONS.length);
  });

  it.each(Array.from({ length: MIGRATIONS.length }, (_, k) => k))('a file at version %i upgrades to the latest, keeping its data, same schema as a fresh file', (k) => {
    const path = tempPath();
    const older = openDatabase(path, { migrations: MIGRATIONS.slice(0, k) });
    expect(schemaVersion(older)).toBe(k);
    if (k >= 1) older.prepare("INSERT INTO meta (key, value, udid) VALUES ('udid', 'till-01', 'till-01')").run();
    older.close();

    const upgraded = track(openDatabase(path));
    expect(schemaVersion(upgraded)).toBe(LATEST_VERSION);
    if (k >= 1) expect(upgraded.prepare("SELECT value FROM meta WHERE key = 'udid'").get()).toEqual({ value: 'till-01' });
    const fresh = track(openDatabase(tempPath()));
    expect(schemaOf(upgraded)).toEqual(schemaOf(fresh));
  });

  it('re-opening an up-to-date file changes nothing', () => {
    const path = tempPath();
    const first = openDatabase(path);
    first.prepare("INSERT INTO meta (key, value, udid) VALUES ('k', 'v', 'till-01')").run();
    const schema = schemaOf(first);
    first.close();
    for (let i = 0; i < 3; i++) {
      const again = openDatabase(path);
      expect(schemaVersion(again)).toBe(LATEST_VERSION);
      expect(schemaOf(again)).toEqual(schema);
      expect(again.prepare('SELECT count(*) AS n FROM meta').get()).toEqual({ n: 1 });
      again.close();
    }
  });

  it('a file from a newer app is refused and left untouched', () => {
    const path = tempPath();
    openDatabase(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();

    expect(() => openDatabase(path)).toThrow(expect.objectContaining({ code: 'newer_version' }));
    const check = track(new Database(path));
    expect(schemaVersion(check)).toBe(LATEST_VERSION + 1);
  });

  it('a file newer than the migrations given is refused too (an older build on a newer journal)', () => {
    const path = tempPath();
    openDatabase(path).close();
    expect(() => openDatabase(path, { migrations: MIGRATIONS.slice(0, LATEST_VERSION - 1) })).toThrow(expect.objectContaining({ code: 'newer_version' }));
  });

  it('a failing migration rolls back whole and is reported with its version', () => {
    const path = tempPath();
    openDatabase(path).close();
    const broken = [...MIGRATIONS, { version: LATEST_VERSION + 1, description: 'broken step', sql: 'CREATE TABLE extra (x INTEGER); CREATE TABLE sales (x INTEGER);' }];
    expect(() => openDatabase(path, { migrations: broken })).toThrow(expect.objectContaining({ code: 'migration', message: expect.stringContaining('broken step') }));
    const check = track(new Database(path));
    expect(schemaVersion(check)).toBe(LATEST_VERSION);
    expect(check.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'extra'").get()).toEqual({ n: 0 });
  });

  it('a refused open closes its connection (no WAL left behind)', () => {
    const path = tempPath();
    openDatabase(path).close();
    const raw = new Database(path);
    raw.pragma(`user_version = ${LATEST_VERSION + 1}`);
    raw.close();
    expect(() => openDatabase(path)).toThrow();
    expect(existsSync(`${path}-wal`)).toBe(false);
  });
});

describe('schema guarantees', () => {
  function withRows(): Db {
    const db = track(openDatabase(tempPath()));
    db.prepare("INSERT INTO events (udid, at_ms, kind, out_trade_no, data) VALUES ('till-01', 1, 'note', NULL, '{}')").run();
    return db;
  }

  it('events are append-only: UPDATE and DELETE raise', () => {
    const db = withRows();
    expect(() => db.prepare("UPDATE events SET kind = 'transition'").run()).toThrow(/append-only/);
    expect(() => db.prepare('DELETE FROM events').run()).toThrow(/append-only/);
    expect(db.prepare('SELECT count(*) AS n FROM events').get()).toEqual({ n: 1 });
  });

  it('event data must be JSON, and the kind one of three', () => {
    const db = withRows();
    expect(() => db.prepare("INSERT INTO events (udid, at_ms, kind, data) VALUES ('till-01', 1, 'note', 'not json')").run()).toThrow(/CHECK/);
    expect(() => db.prepare("INSERT INTO events (udid, at_ms, kind, data) VALUES ('till-01', 1, 'gossip', '{}')").run()).toThrow(/CHECK/);
  });

  it('every table has a NOT NULL udid', () => {
    const db = withRows();
    for (const table of ['meta', 'sales', 'refunds', 'events']) {
      const udid = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; notnull: number }[]).find((c) => c.name === 'udid');
      expect(udid, table).toMatchObject({ notnull: 1 });
    }
    expect(() => db.prepare("INSERT INTO events (udid, at_ms, kind, data) VALUES (NULL, 1, 'note', '{}')").run()).toThrow(/NOT NULL/);
  });

  it('a refund must name an existing sale (foreign keys are enforced)', () => {
    const db = withRows();
    expect(() =>
      db
        .prepare(
          "INSERT INTO refunds (out_trade_no, udid, training, sale_out_trade_no, amount_minor, currency, state, txdtm, created_at_ms, updated_at_ms) VALUES ('R1', 'till-01', 1, 'NOPE', 1, 'HKD', 'requesting', '2026-11-26 12:00:00', 1, 1)",
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('indexes exist for open sales, time and syssn, and the engine queries use them', () => {
    const db = withRows();
    const indexes = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((r) => r.name);
    expect(indexes).toEqual(expect.arrayContaining(['sales_open', 'sales_by_time', 'sales_syssn', 'refunds_open', 'refunds_by_time', 'refunds_by_sale', 'events_by_order']));
    const plan = (sql: string, ...params: unknown[]) =>
      (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail).join(' | ');
    expect(plan("SELECT * FROM sales WHERE state IN ('requesting','awaiting_scan','unknown','cancelling') ORDER BY created_at_ms LIMIT 1")).toContain('sales_open');
    expect(plan('SELECT out_trade_no FROM sales WHERE syssn = ?', '1')).toContain('sales_syssn');
    expect(plan('SELECT * FROM sales WHERE udid = ? AND created_at_ms >= ? ORDER BY created_at_ms DESC', 'till-01', 0)).toContain('sales_by_time');
    expect(plan('SELECT * FROM refunds WHERE sale_out_trade_no = ?', 'S1')).toContain('refunds_by_sale');
    expect(plan('SELECT * FROM events WHERE out_trade_no = ? ORDER BY id', 'S1')).toContain('events_by_order');
  });

  it('an amount outside QFPay Int(11) or a refunded total above the amount is refused by the schema', () => {
    const db = withRows();
    const insert = (amount: number, refunded = 0) =>
      db
        .prepare(
          `INSERT INTO sales (out_trade_no, udid, training, amount_minor, currency, pay_type, state, txdtm, expired_minutes, created_at_ms, expires_at_ms, refunded_minor, updated_at_ms)
           VALUES (?, 'till-01', 1, ?, 'HKD', '800201', 'paid', '2026-11-26 12:00:00', 30, 1, 2, ?, 1)`,
        )
        .run(`S-${amount}-${refunded}`, amount, refunded);
    expect(() => insert(0)).toThrow(/CHECK/);
    expect(() => insert(100_000_000_000)).toThrow(/CHECK/);
    expect(() => insert(100, 101)).toThrow(/CHECK/);
    expect(() => insert(100, 100)).not.toThrow();
  });
});
