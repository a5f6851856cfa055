// Versioned schema of the till journal. `PRAGMA user_version` holds the
// version; each step runs in one transaction. Never edit a released step:
// add a new one (and a test that upgrades from every earlier version).

export interface Migration {
  version: number;
  description: string;
  sql: string;
}

const SALE_STATES = `'requesting','awaiting_scan','unknown','cancelling','paid','failed','expired','cancelled'`;
const OPEN_SALE_STATES = `'requesting','awaiting_scan','unknown','cancelling'`;

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'sales, refunds, append-only events, meta',
    sql: `
      CREATE TABLE meta (
        key   TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        udid  TEXT NOT NULL
      ) STRICT;

      CREATE TABLE sales (
        out_trade_no      TEXT PRIMARY KEY,
        udid              TEXT NOT NULL,
        training          INTEGER NOT NULL CHECK (training IN (0, 1)),
        amount_minor      INTEGER NOT NULL CHECK (amount_minor BETWEEN 1 AND 99999999999),
        currency          TEXT NOT NULL CHECK (length(currency) = 3),
        pay_type          TEXT NOT NULL,
        goods_name        TEXT,
        state             TEXT NOT NULL CHECK (state IN (${SALE_STATES})),
        txdtm             TEXT NOT NULL,
        expired_minutes   INTEGER NOT NULL CHECK (expired_minutes BETWEEN 5 AND 120),
        created_at_ms     INTEGER NOT NULL,
        expires_at_ms     INTEGER NOT NULL,
        syssn             TEXT,
        qrcode            TEXT,
        sysdtm            TEXT,
        paid_at_ms        INTEGER,
        paydtm            TEXT,
        chnlsn            TEXT,
        last_respcd       TEXT,
        last_message      TEXT,
        cancel_reason     TEXT CHECK (cancel_reason IN ('cashier','expiry','recovery','no_qr')),
        cancel_requested_at_ms INTEGER,
        paid_after_cancel INTEGER NOT NULL DEFAULT 0 CHECK (paid_after_cancel IN (0, 1)),
        refunded_minor    INTEGER NOT NULL DEFAULT 0 CHECK (refunded_minor >= 0 AND refunded_minor <= amount_minor),
        final_at_ms       INTEGER,
        updated_at_ms     INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sales_open ON sales (udid, state) WHERE state IN (${OPEN_SALE_STATES});
      CREATE INDEX sales_by_time ON sales (udid, created_at_ms);
      CREATE INDEX sales_paid ON sales (udid, currency, paid_at_ms) WHERE state = 'paid';
      CREATE UNIQUE INDEX sales_syssn ON sales (syssn) WHERE syssn IS NOT NULL;
      CREATE INDEX sales_amount ON sales (udid, amount_minor);

      CREATE TABLE refunds (
        out_trade_no      TEXT PRIMARY KEY,
        udid              TEXT NOT NULL,
        training          INTEGER NOT NULL CHECK (training IN (0, 1)),
        sale_out_trade_no TEXT NOT NULL REFERENCES sales (out_trade_no),
        amount_minor      INTEGER NOT NULL CHECK (amount_minor >= 1),
        currency          TEXT NOT NULL,
        state             TEXT NOT NULL CHECK (state IN ('requesting','unknown','refunded','failed')),
        txdtm             TEXT NOT NULL,
        created_at_ms     INTEGER NOT NULL,
        syssn             TEXT,
        sysdtm            TEXT,
        last_respcd       TEXT,
        last_message      TEXT,
        final_at_ms       INTEGER,
        updated_at_ms     INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX refunds_open ON refunds (udid, state) WHERE state IN ('requesting','unknown');
      CREATE INDEX refunds_by_sale ON refunds (sale_out_trade_no);
      CREATE INDEX refunds_by_time ON refunds (udid, created_at_ms);

      CREATE TABLE events (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        udid          TEXT NOT NULL,
        at_ms         INTEGER NOT NULL,
        kind          TEXT NOT NULL CHECK (kind IN ('transition','exchange','note')),
        out_trade_no  TEXT,
        data          TEXT NOT NULL CHECK (json_valid(data))
      ) STRICT;
      CREATE INDEX events_by_order ON events (out_trade_no, id);

      -- The event log is an audit trail: it only ever grows.
      CREATE TRIGGER events_append_only_update BEFORE UPDATE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
      CREATE TRIGGER events_append_only_delete BEFORE DELETE ON events
        BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
