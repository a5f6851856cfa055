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
  {
    version: 2,
    description: 'half-hourly rollup of final sales and refunds for reports; immutable Z reports',
    sql: `
      -- One row per till, mode, half hour, currency and outcome: kept by
      -- triggers as sales and refunds become final, so a report over any
      -- period reads half hours, not every sale (DESIGN.md: reports are SQL).
      -- Half hours, so local hours are exact in every zone QFPay serves
      -- (Myanmar +06:30, Adelaide +09:30, Newfoundland -03:30).
      CREATE TABLE sale_slots (
        udid      TEXT NOT NULL,
        training  INTEGER NOT NULL,
        slot      INTEGER NOT NULL,          -- floor(epoch ms / 1800000)
        currency  TEXT NOT NULL,
        kind      TEXT NOT NULL CHECK (kind IN ('paid','refunded','cancelled','expired','failed')),
        count     INTEGER NOT NULL,
        amount    INTEGER NOT NULL,
        PRIMARY KEY (udid, training, slot, currency, kind)
      ) STRICT, WITHOUT ROWID;
      -- Reports sum the rollup per currency, outcome and hour of the local day. This
      -- index orders it by half hour of the UTC day (slot % 48: one local hour for as
      -- long as the zone's offset holds) and covers count and amount, so that sum is
      -- index seeks read in group order, never a sort of every half hour in the
      -- period (electron/reports/totals.ts). Added to version 2 in place, before
      -- version 2 was ever released: no journal in the field has version 2 without it.
      CREATE INDEX sale_slots_by_half_hour ON sale_slots (udid, training, currency, kind, slot % 48, slot, count, amount);

      -- When a sale or refund became final, in one definition for triggers, reports and indexes.
      ALTER TABLE sales ADD COLUMN settled_at_ms INTEGER GENERATED ALWAYS AS (
        CASE WHEN state = 'paid' THEN COALESCE(paid_at_ms, final_at_ms, updated_at_ms)
             WHEN state IN ('cancelled','expired','failed') THEN COALESCE(final_at_ms, updated_at_ms) END) VIRTUAL;
      ALTER TABLE refunds ADD COLUMN settled_at_ms INTEGER GENERATED ALWAYS AS (
        CASE WHEN state = 'refunded' THEN COALESCE(final_at_ms, updated_at_ms) END) VIRTUAL;
      CREATE INDEX sales_settled ON sales (udid, settled_at_ms, state, currency, amount_minor) WHERE settled_at_ms IS NOT NULL;
      CREATE INDEX refunds_settled ON refunds (udid, settled_at_ms, currency, amount_minor) WHERE settled_at_ms IS NOT NULL;

      CREATE TRIGGER sale_slots_on_update AFTER UPDATE OF state ON sales
        WHEN NEW.settled_at_ms IS NOT NULL AND OLD.settled_at_ms IS NULL
        BEGIN
          INSERT INTO sale_slots (udid, training, currency, slot, kind, count, amount)
          VALUES (NEW.udid, NEW.training, NEW.currency, NEW.settled_at_ms / 1800000, NEW.state, 1, NEW.amount_minor)
          ON CONFLICT (udid, training, slot, currency, kind) DO UPDATE SET count = count + 1, amount = amount + excluded.amount;
        END;
      CREATE TRIGGER sale_slots_on_insert AFTER INSERT ON sales
        WHEN NEW.settled_at_ms IS NOT NULL
        BEGIN
          INSERT INTO sale_slots (udid, training, currency, slot, kind, count, amount)
          VALUES (NEW.udid, NEW.training, NEW.currency, NEW.settled_at_ms / 1800000, NEW.state, 1, NEW.amount_minor)
          ON CONFLICT (udid, training, slot, currency, kind) DO UPDATE SET count = count + 1, amount = amount + excluded.amount;
        END;
      CREATE TRIGGER refund_slots_on_update AFTER UPDATE OF state ON refunds
        WHEN NEW.settled_at_ms IS NOT NULL AND OLD.settled_at_ms IS NULL
        BEGIN
          INSERT INTO sale_slots (udid, training, currency, slot, kind, count, amount)
          VALUES (NEW.udid, NEW.training, NEW.currency, NEW.settled_at_ms / 1800000, 'refunded', 1, NEW.amount_minor)
          ON CONFLICT (udid, training, slot, currency, kind) DO UPDATE SET count = count + 1, amount = amount + excluded.amount;
        END;
      CREATE TRIGGER refund_slots_on_insert AFTER INSERT ON refunds
        WHEN NEW.settled_at_ms IS NOT NULL
        BEGIN
          INSERT INTO sale_slots (udid, training, currency, slot, kind, count, amount)
          VALUES (NEW.udid, NEW.training, NEW.currency, NEW.settled_at_ms / 1800000, 'refunded', 1, NEW.amount_minor)
          ON CONFLICT (udid, training, slot, currency, kind) DO UPDATE SET count = count + 1, amount = amount + excluded.amount;
        END;

      -- Journals from version 1 already hold final sales and refunds: count them in.
      INSERT INTO sale_slots (udid, training, currency, slot, kind, count, amount)
        SELECT udid, training, currency, settled_at_ms / 1800000, state, COUNT(*), SUM(amount_minor)
        FROM sales WHERE settled_at_ms IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
      INSERT INTO sale_slots (udid, training, currency, slot, kind, count, amount)
        SELECT udid, training, currency, settled_at_ms / 1800000, 'refunded', COUNT(*), SUM(amount_minor)
        FROM refunds WHERE settled_at_ms IS NOT NULL GROUP BY 1, 2, 3, 4
        ON CONFLICT (udid, training, slot, currency, kind) DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount;

      -- History and "the latest sale" cover the whole file, whatever udid wrote each sale;
      -- open work too, oldest first, from an index that only ever holds the few open rows.
      CREATE INDEX sales_created ON sales (created_at_ms);
      CREATE INDEX sales_open_by_time ON sales (created_at_ms) WHERE state IN (${OPEN_SALE_STATES});
      CREATE INDEX refunds_open_by_time ON refunds (created_at_ms) WHERE state IN ('requesting','unknown');

      -- Z reports: numbered per till, never changed once written.
      CREATE TABLE z_reports (
        udid             TEXT NOT NULL,
        z_number         INTEGER NOT NULL CHECK (z_number >= 1),
        training         INTEGER NOT NULL CHECK (training IN (0, 1)),
        period_start_ms  INTEGER NOT NULL,
        period_end_ms    INTEGER NOT NULL CHECK (period_end_ms >= period_start_ms),
        created_at_ms    INTEGER NOT NULL,
        content          TEXT NOT NULL CHECK (json_valid(content)),
        sha256           TEXT NOT NULL CHECK (length(sha256) = 64),
        PRIMARY KEY (udid, z_number)
      ) STRICT;
      CREATE TRIGGER z_reports_immutable_update BEFORE UPDATE ON z_reports
        BEGIN SELECT RAISE(ABORT, 'Z reports cannot be changed'); END;
      CREATE TRIGGER z_reports_immutable_delete BEFORE DELETE ON z_reports
        BEGIN SELECT RAISE(ABORT, 'Z reports cannot be deleted'); END;
      -- INSERT OR REPLACE deletes without firing delete triggers: refuse it up front.
      CREATE TRIGGER z_reports_no_replace BEFORE INSERT ON z_reports
        WHEN EXISTS (SELECT 1 FROM z_reports WHERE udid = NEW.udid AND z_number = NEW.z_number)
        BEGIN SELECT RAISE(ABORT, 'Z reports cannot be replaced'); END;
    `,
  },
  {
    version: 3,
    description: 'leases: which process drives which open sale or refund (several processes on one journal)',
    sql: `
      -- One row per running till process (the app, a till command): its
      -- heartbeat says it is alive. pid and host let a process on the same
      -- machine see at once that an owner has died, without waiting for the
      -- heartbeat to expire.
      CREATE TABLE lease_owners (
        owner            TEXT PRIMARY KEY,
        udid             TEXT NOT NULL,
        pid              INTEGER NOT NULL,
        host             TEXT NOT NULL,
        started_at_ms    INTEGER NOT NULL,
        heartbeat_at_ms  INTEGER NOT NULL
      ) STRICT;

      -- Which owner drives an open sale or refund. No foreign key: the lease
      -- of a new sale is written in the same transaction as the sale itself.
      CREATE TABLE leases (
        out_trade_no     TEXT PRIMARY KEY,
        udid             TEXT NOT NULL,
        owner            TEXT NOT NULL,
        taken_at_ms      INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX leases_by_owner ON leases (owner);
    `,
  },
  {
    version: 4,
    description: 're-issued orders of a sale (a lost QR), parked sales',
    sql: `
      -- A sale whose QR was lost is re-issued as a fresh QFPay order (new
      -- out_trade_no) once the old one is confirmed closed: the sale keeps its
      -- own out_trade_no as its id, order_no names the order QFPay has now (NULL:
      -- the sale's own out_trade_no, as for every sale never re-issued), and
      -- every replaced order stays in sale_orders under the sale. Reports count
      -- the sale once (one row in sales); reconciliation knows the replaced orders.
      ALTER TABLE sales ADD COLUMN order_no TEXT;
      CREATE UNIQUE INDEX sales_order_no ON sales (order_no) WHERE order_no IS NOT NULL;
      ALTER TABLE sales ADD COLUMN reissues INTEGER NOT NULL DEFAULT 0 CHECK (reissues >= 0);
      -- DESIGN.md rule 2: a cancelled sale QFPay has not confirmed within a few
      -- seconds is parked — settled in the background, no longer in the way of
      -- the next charge. Set when parked; the sale stays open until settled.
      ALTER TABLE sales ADD COLUMN parked_at_ms INTEGER;

      CREATE TABLE sale_orders (
        order_no          TEXT PRIMARY KEY,
        sale_out_trade_no TEXT NOT NULL REFERENCES sales (out_trade_no),
        udid              TEXT NOT NULL,
        syssn             TEXT,
        txdtm             TEXT NOT NULL,
        outcome           TEXT NOT NULL CHECK (outcome IN ('closed','absent')),
        last_respcd       TEXT,
        replaced_at_ms    INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX sale_orders_by_sale ON sale_orders (sale_out_trade_no);
      CREATE INDEX sale_orders_syssn ON sale_orders (syssn) WHERE syssn IS NOT NULL;
    `,
  },
  {
    version: 5,
    description: 'cash: tendered and change on cash sales, the drawer\'s float and paid in / paid out',
    sql: `
      -- A cash sale (pay_type 'cash') keeps what the customer handed over and the change given.
      ALTER TABLE sales ADD COLUMN tendered_minor INTEGER CHECK (tendered_minor IS NULL OR tendered_minor >= amount_minor);
      ALTER TABLE sales ADD COLUMN change_minor INTEGER CHECK (change_minor IS NULL OR change_minor = tendered_minor - amount_minor);
      -- Paid sales per tender (pay type) over a period, for the reports' split and the drawer: covering.
      -- Reports read it only for the partial half hours at a period's edges; whole ones come from tender_slots.
      CREATE INDEX sales_paid_by_tender ON sales (udid, training, settled_at_ms, currency, pay_type, amount_minor) WHERE state = 'paid';

      -- The split by tender as a half-hourly rollup beside sale_slots (same slots, kept by triggers
      -- as sales are paid and refunds refunded), so a year's X or Z sums half hours, not every sale.
      CREATE TABLE tender_slots (
        udid      TEXT NOT NULL,
        training  INTEGER NOT NULL,
        slot      INTEGER NOT NULL,          -- floor(epoch ms / 1800000)
        currency  TEXT NOT NULL,
        pay_type  TEXT NOT NULL,
        kind      TEXT NOT NULL CHECK (kind IN ('paid','refunded')),
        count     INTEGER NOT NULL,
        amount    INTEGER NOT NULL,
        PRIMARY KEY (udid, training, slot, currency, pay_type, kind)
      ) STRICT, WITHOUT ROWID;
      CREATE TRIGGER tender_slots_on_sale_update AFTER UPDATE OF state ON sales
        WHEN NEW.state = 'paid' AND NEW.settled_at_ms IS NOT NULL AND OLD.settled_at_ms IS NULL
        BEGIN
          INSERT INTO tender_slots (udid, training, slot, currency, pay_type, kind, count, amount)
          VALUES (NEW.udid, NEW.training, NEW.settled_at_ms / 1800000, NEW.currency, NEW.pay_type, 'paid', 1, NEW.amount_minor)
          ON CONFLICT (udid, training, slot, currency, pay_type, kind) DO UPDATE SET count = count + 1, amount = amount + excluded.amount;
        END;
      CREATE TRIGGER tender_slots_on_sale_insert AFTER INSERT ON sales
        WHEN NEW.state = 'paid' AND NEW.settled_at_ms IS NOT NULL
        BEGIN
          INSERT INTO tender_slots (udid, training, slot, currency, pay_type, kind, count, amount)
          VALUES (NEW.udid, NEW.training, NEW.settled_at_ms / 1800000, NEW.currency, NEW.pay_type, 'paid', 1, NEW.amount_minor)
          ON CONFLICT (udid, training, slot, currency, pay_type, kind) DO UPDATE SET count = count + 1, amount = amount + excluded.amount;
        END;
      CREATE TRIGGER tender_slots_on_refund_update AFTER UPDATE OF state ON refunds
        WHEN NEW.settled_at_ms IS NOT NULL AND OLD.settled_at_ms IS NULL
        BEGIN
          INSERT INTO tender_slots (udid, training, slot, currency, pay_type, kind, count, amount)
          VALUES (NEW.udid, NEW.training, NEW.settled_at_ms / 1800000, NEW.currency,
                  COALESCE((SELECT pay_type FROM sales WHERE out_trade_no = NEW.sale_out_trade_no), ''), 'refunded', 1, NEW.amount_minor)
          ON CONFLICT (udid, training, slot, currency, pay_type, kind) DO UPDATE SET count = count + 1, amount = amount + excluded.amount;
        END;
      CREATE TRIGGER tender_slots_on_refund_insert AFTER INSERT ON refunds
        WHEN NEW.settled_at_ms IS NOT NULL
        BEGIN
          INSERT INTO tender_slots (udid, training, slot, currency, pay_type, kind, count, amount)
          VALUES (NEW.udid, NEW.training, NEW.settled_at_ms / 1800000, NEW.currency,
                  COALESCE((SELECT pay_type FROM sales WHERE out_trade_no = NEW.sale_out_trade_no), ''), 'refunded', 1, NEW.amount_minor)
          ON CONFLICT (udid, training, slot, currency, pay_type, kind) DO UPDATE SET count = count + 1, amount = amount + excluded.amount;
        END;
      -- Journals from earlier versions already hold paid sales and refunds: count them in.
      INSERT INTO tender_slots (udid, training, slot, currency, pay_type, kind, count, amount)
        SELECT udid, training, settled_at_ms / 1800000, currency, pay_type, 'paid', COUNT(*), SUM(amount_minor)
        FROM sales WHERE state = 'paid' AND settled_at_ms IS NOT NULL GROUP BY 1, 2, 3, 4, 5;
      INSERT INTO tender_slots (udid, training, slot, currency, pay_type, kind, count, amount)
        SELECT r.udid, r.training, r.settled_at_ms / 1800000, r.currency, COALESCE(s.pay_type, ''), 'refunded', COUNT(*), SUM(r.amount_minor)
        FROM refunds r LEFT JOIN sales s ON s.out_trade_no = r.sale_out_trade_no WHERE r.settled_at_ms IS NOT NULL GROUP BY 1, 2, 3, 4, 5;

      -- Money put into or taken out of the drawer other than by a sale or refund: the opening
      -- float (at the first sale after a Z), paid in and paid out (with a reason). Append-only,
      -- like the events: a mistake is corrected by another movement, never by an edit.
      CREATE TABLE cash_movements (
        id            INTEGER PRIMARY KEY AUTOINCREMENT,
        udid          TEXT NOT NULL,
        training      INTEGER NOT NULL CHECK (training IN (0, 1)),
        kind          TEXT NOT NULL CHECK (kind IN ('float','paid_in','paid_out')),
        currency      TEXT NOT NULL CHECK (length(currency) = 3),
        amount_minor  INTEGER NOT NULL CHECK (amount_minor BETWEEN (CASE kind WHEN 'float' THEN 0 ELSE 1 END) AND 99999999999),
        reason        TEXT CHECK (kind = 'float' OR length(trim(reason)) > 0),
        at_ms         INTEGER NOT NULL
      ) STRICT;
      CREATE INDEX cash_movements_by_time ON cash_movements (udid, training, at_ms);
      CREATE TRIGGER cash_movements_append_only_update BEFORE UPDATE ON cash_movements
        BEGIN SELECT RAISE(ABORT, 'cash movements are append-only'); END;
      CREATE TRIGGER cash_movements_append_only_delete BEFORE DELETE ON cash_movements
        BEGIN SELECT RAISE(ABORT, 'cash movements are append-only'); END;
    `,
  },
  {
    version: 6,
    description: 'consumer-presented payments and the real-name check: only their masked forms',
    sql: `
      -- The customer's payment code is single-use and personal: the journal keeps its last 4 digits only.
      ALTER TABLE sales ADD COLUMN auth_code_masked TEXT CHECK (auth_code_masked IS NULL OR auth_code_masked GLOB '*[*]*' OR length(auth_code_masked) <= 4);
      -- A real-name check (extend_info) was sent with the sale: the masked ID number and name, as JSON.
      ALTER TABLE sales ADD COLUMN real_name_masked TEXT;
    `,
  },
  {
    version: 7,
    description: 'the split by tender read in half-hour-of-day order: an index on tender_slots, and a 28-day rollup of it',
    sql: `
      -- As sale_slots_by_half_hour (version 2) for the totals: the reports' split by tender sums
      -- tender_slots per (currency, pay type, kind, half hour of the UTC day), and without this
      -- index SQLite sorts every half hour of the period to group them (a year: ~70k rows, ~50 ms).
      -- Ordered so, and covering count and amount, a long period is index seeks read in group
      -- order: no sort, no table access (electron/journal/drawer.ts TENDER_HALF_HOURS_BY_INDEX_SQL).
      CREATE INDEX tender_slots_by_half_hour ON tender_slots (udid, training, currency, pay_type, kind, slot % 48, slot, count, amount);

      -- Still one row per tender and half hour: a year of five tenders is ~250k rows, ~50 ms to read.
      -- The same sums per half hour of the UTC day over 28 days (1344 half hours; slot / 1344 counts
      -- them from the epoch): ~13 times fewer rows. A long period reads its whole 28 days here and
      -- the rest by half hour (drawer.ts tenderHalfHours). Kept from tender_slots by triggers, so
      -- every way a half hour changes (the sale and refund triggers' upserts) reaches it.
      CREATE TABLE tender_buckets (
        udid       TEXT NOT NULL,
        training   INTEGER NOT NULL,
        currency   TEXT NOT NULL,
        pay_type   TEXT NOT NULL,
        kind       TEXT NOT NULL CHECK (kind IN ('paid','refunded')),
        half_hour  INTEGER NOT NULL,          -- slot % 48
        bucket     INTEGER NOT NULL,          -- slot / 1344
        count      INTEGER NOT NULL,
        amount     INTEGER NOT NULL,
        PRIMARY KEY (udid, training, currency, pay_type, kind, half_hour, bucket)
      ) STRICT, WITHOUT ROWID;
      CREATE TRIGGER tender_buckets_on_insert AFTER INSERT ON tender_slots
        BEGIN
          INSERT INTO tender_buckets (udid, training, currency, pay_type, kind, half_hour, bucket, count, amount)
          VALUES (NEW.udid, NEW.training, NEW.currency, NEW.pay_type, NEW.kind, NEW.slot % 48, NEW.slot / 1344, NEW.count, NEW.amount)
          ON CONFLICT (udid, training, currency, pay_type, kind, half_hour, bucket) DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount;
        END;
      -- An upsert's DO UPDATE fires UPDATE triggers. The key never changes (only count and amount do), but
      -- taking the old row out and the new one in holds even if it did.
      CREATE TRIGGER tender_buckets_on_update AFTER UPDATE ON tender_slots
        BEGIN
          UPDATE tender_buckets SET count = count - OLD.count, amount = amount - OLD.amount
            WHERE udid = OLD.udid AND training = OLD.training AND currency = OLD.currency AND pay_type = OLD.pay_type
              AND kind = OLD.kind AND half_hour = OLD.slot % 48 AND bucket = OLD.slot / 1344;
          INSERT INTO tender_buckets (udid, training, currency, pay_type, kind, half_hour, bucket, count, amount)
          VALUES (NEW.udid, NEW.training, NEW.currency, NEW.pay_type, NEW.kind, NEW.slot % 48, NEW.slot / 1344, NEW.count, NEW.amount)
          ON CONFLICT (udid, training, currency, pay_type, kind, half_hour, bucket) DO UPDATE SET count = count + excluded.count, amount = amount + excluded.amount;
        END;
      -- Nothing deletes from tender_slots; should anything ever, an emptied row goes too (no tender of nothing).
      CREATE TRIGGER tender_buckets_on_delete AFTER DELETE ON tender_slots
        BEGIN
          UPDATE tender_buckets SET count = count - OLD.count, amount = amount - OLD.amount
            WHERE udid = OLD.udid AND training = OLD.training AND currency = OLD.currency AND pay_type = OLD.pay_type
              AND kind = OLD.kind AND half_hour = OLD.slot % 48 AND bucket = OLD.slot / 1344;
          DELETE FROM tender_buckets
            WHERE udid = OLD.udid AND training = OLD.training AND currency = OLD.currency AND pay_type = OLD.pay_type
              AND kind = OLD.kind AND half_hour = OLD.slot % 48 AND bucket = OLD.slot / 1344 AND count = 0 AND amount = 0;
        END;
      INSERT INTO tender_buckets (udid, training, currency, pay_type, kind, half_hour, bucket, count, amount)
        SELECT udid, training, currency, pay_type, kind, slot % 48, slot / 1344, SUM(count), SUM(amount) FROM tender_slots GROUP BY 1, 2, 3, 4, 5, 6, 7;
    `,
  },
];

export const LATEST_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
