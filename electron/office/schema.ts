import type { ClientBase } from 'pg';
import { applyAccess } from './roles';

// Head office's PostgreSQL schema, versioned like the till journal's: one row
// per applied step in office.schema_versions, each step in one transaction,
// never edited once released. Applied on first use when the URL's user owns
// the database; a till or reader role only checks the version.
//
// Money is integer minor units in bigint. Rows are keyed by the till's udid
// plus the journal's own keys (event sequence, out_trade_no, Z number), so a
// batch sent twice changes nothing. Reports read final sales by the instant
// they became final (settled_at_ms): an index on it keeps a business day's
// report to that day's rows however many years the tables hold.

export interface OfficeMigration {
  version: number;
  description: string;
  sql: string;
}

/**
 * The drawer's movements among replicated events, as office.cash_movements
 * rows: the till journals each as a 'cash_drawer' note (electron/till/cash.ts).
 * An event missing a field is left as an event only, so one odd row never
 * stops a till's replication. Used by migration 2 (the events already there)
 * and by every batch the sender writes (narrowed to the batch).
 */
export const CASH_MOVEMENTS_FROM_EVENTS = `INSERT INTO office.cash_movements (udid, seq, kind, currency, amount_minor, reason, at_ms)
  SELECT udid, seq, data->>'kind', data->>'currency', (data->>'amountMinor')::bigint, data->>'reason', COALESCE((data->>'atMs')::bigint, at_ms)
    FROM office.events
   WHERE kind = 'note' AND data->>'note' = 'cash_drawer' AND data ? 'kind' AND data ? 'currency' AND jsonb_typeof(data->'amountMinor') = 'number'`;

export const OFFICE_MIGRATIONS: readonly OfficeMigration[] = [
  {
    version: 1,
    description: 'tills, replicated events, sales, refunds and Z reports',
    sql: `
      CREATE TABLE office.tills (
        udid            text PRIMARY KEY CHECK (udid ~ '^[A-Za-z0-9_-]{1,40}$'),
        store           text NOT NULL DEFAULT '',
        time_zone       text,
        journal_seq     bigint NOT NULL DEFAULT 0,
        last_contact_ms bigint
      );
      CREATE TABLE office.events (
        udid         text NOT NULL,
        seq          bigint NOT NULL CHECK (seq >= 1),
        at_ms        bigint NOT NULL,
        kind         text NOT NULL,
        out_trade_no text,
        data         jsonb NOT NULL,
        PRIMARY KEY (udid, seq)
      );
      CREATE TABLE office.sales (
        udid              text NOT NULL,
        out_trade_no      text NOT NULL,
        state             text NOT NULL,
        amount_minor      bigint NOT NULL CHECK (amount_minor >= 1),
        refunded_minor    bigint NOT NULL DEFAULT 0,
        currency          text NOT NULL CHECK (length(currency) = 3),
        pay_type          text NOT NULL,
        cancel_reason     text,
        syssn             text,
        txdtm             text,
        created_at_ms     bigint NOT NULL,
        settled_at_ms     bigint,
        updated_at_ms     bigint NOT NULL,
        PRIMARY KEY (udid, out_trade_no)
      );
      CREATE INDEX sales_settled ON office.sales (settled_at_ms) INCLUDE (udid, state, currency, pay_type, amount_minor) WHERE settled_at_ms IS NOT NULL;
      CREATE INDEX sales_till_settled ON office.sales (udid, settled_at_ms) INCLUDE (state, currency, pay_type, amount_minor) WHERE settled_at_ms IS NOT NULL;
      CREATE INDEX sales_syssn ON office.sales (syssn) WHERE syssn IS NOT NULL;
      CREATE INDEX sales_created ON office.sales (created_at_ms);
      CREATE INDEX sales_by_id ON office.sales (out_trade_no);
      CREATE TABLE office.refunds (
        udid              text NOT NULL,
        out_trade_no      text NOT NULL,
        sale_out_trade_no text NOT NULL,
        state             text NOT NULL,
        amount_minor      bigint NOT NULL CHECK (amount_minor >= 1),
        currency          text NOT NULL,
        syssn             text,
        txdtm             text,
        created_at_ms     bigint NOT NULL,
        settled_at_ms     bigint,
        updated_at_ms     bigint NOT NULL,
        PRIMARY KEY (udid, out_trade_no)
      );
      CREATE INDEX refunds_settled ON office.refunds (settled_at_ms) INCLUDE (udid, currency, amount_minor) WHERE settled_at_ms IS NOT NULL;
      CREATE INDEX refunds_till_settled ON office.refunds (udid, settled_at_ms) INCLUDE (currency, amount_minor) WHERE settled_at_ms IS NOT NULL;
      CREATE INDEX refunds_syssn ON office.refunds (syssn) WHERE syssn IS NOT NULL;
      CREATE INDEX refunds_created ON office.refunds (created_at_ms);
      CREATE INDEX refunds_by_id ON office.refunds (out_trade_no);
      CREATE TABLE office.z_reports (
        udid            text NOT NULL,
        z_number        integer NOT NULL CHECK (z_number >= 1),
        business_day    text NOT NULL,
        period_start_ms bigint NOT NULL,
        period_end_ms   bigint NOT NULL,
        created_at_ms   bigint NOT NULL,
        content         text NOT NULL,
        sha256          text NOT NULL CHECK (length(sha256) = 64),
        PRIMARY KEY (udid, z_number)
      );
      CREATE INDEX z_reports_by_day ON office.z_reports (business_day);
    `,
  },
  {
    version: 2,
    description: "cash (issue 13): a cash sale's tendered and change; the drawer's float, paid in and paid out; re-issued orders",
    sql: `
      ALTER TABLE office.sales ADD COLUMN tendered_minor bigint, ADD COLUMN change_minor bigint;
      -- A sale whose QR was re-issued is a new QFPay order: order_no names the one it has now
      -- (NULL: its own out_trade_no), and every order it had before stays in sale_orders, as on
      -- the till, so head office's reconciliation finds QFPay's records of either.
      ALTER TABLE office.sales ADD COLUMN order_no text;
      CREATE INDEX sales_order_no ON office.sales (order_no) WHERE order_no IS NOT NULL;
      CREATE TABLE office.sale_orders (
        udid              text NOT NULL,
        order_no          text NOT NULL,
        sale_out_trade_no text NOT NULL,
        syssn             text,
        txdtm             text NOT NULL,
        outcome           text NOT NULL,
        last_respcd       text,
        replaced_at_ms    bigint NOT NULL,
        PRIMARY KEY (udid, order_no)
      );
      CREATE INDEX sale_orders_by_sale ON office.sale_orders (udid, sale_out_trade_no);
      CREATE INDEX sale_orders_syssn ON office.sale_orders (syssn) WHERE syssn IS NOT NULL;
      -- One row per drawer movement, from the till's 'cash_drawer' event (keyed by it: a resent
      -- batch adds nothing). The event is the till's record; this table lets a report sum them.
      CREATE TABLE office.cash_movements (
        udid         text NOT NULL,
        seq          bigint NOT NULL,
        kind         text NOT NULL,
        currency     text NOT NULL,
        amount_minor bigint NOT NULL,
        reason       text,
        at_ms        bigint NOT NULL,
        PRIMARY KEY (udid, seq)
      );
      CREATE INDEX cash_movements_till_time ON office.cash_movements (udid, at_ms);
      CREATE INDEX cash_movements_time ON office.cash_movements (at_ms);
      -- Movements already replicated as events before this step.
      ${CASH_MOVEMENTS_FROM_EVENTS};
    `,
  },
];

export const OFFICE_LATEST = OFFICE_MIGRATIONS[OFFICE_MIGRATIONS.length - 1]!.version;

export class OfficeSchemaError extends Error {
  override readonly name = 'OfficeSchemaError';
  constructor(
    readonly code: 'newer' | 'missing',
    message: string,
  ) {
    super(message);
  }
}

async function currentVersion(client: ClientBase): Promise<number> {
  const exists = await client.query<{ t: string | null }>(`SELECT to_regclass('office.schema_versions')::text AS t`);
  if (!exists.rows[0]?.t) return 0;
  const row = await client.query<{ v: number | null }>('SELECT max(version) AS v FROM office.schema_versions');
  return Number(row.rows[0]?.v ?? 0);
}

/**
 * Brings the schema up to date when this connection's user may (it owns the
 * database or the schema); otherwise only checks that it is up to date.
 * Two tills starting at once: the advisory lock makes the second wait, then
 * find nothing to do.
 */
export async function migrateOffice(client: ClientBase): Promise<number> {
  const version = await currentVersion(client);
  if (version > OFFICE_LATEST) throw new OfficeSchemaError('newer', `head office's schema is version ${version}, newer than this app (${OFFICE_LATEST}): update the app`);
  if (version === OFFICE_LATEST) return version;
  const owner = await client.query<{ owns: boolean }>(
    `SELECT pg_catalog.pg_get_userbyid(d.datdba) = current_user OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) AS owns
       FROM pg_database d WHERE d.datname = current_database()`,
  );
  if (!owner.rows[0]?.owns) {
    throw new OfficeSchemaError('missing', `head office's schema is version ${version}, ${OFFICE_LATEST} is needed: run till sync or till office once with the database owner's URL`);
  }
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('till-office-migrate'))`);
    await client.query('CREATE SCHEMA IF NOT EXISTS office');
    await client.query('CREATE TABLE IF NOT EXISTS office.schema_versions (version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())');
    const now = await currentVersion(client);
    for (const step of OFFICE_MIGRATIONS) {
      if (step.version <= now) continue;
      await client.query(step.sql);
      await client.query('INSERT INTO office.schema_versions (version, description) VALUES ($1, $2)', [step.version, step.description]);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
  // Roles made by `till office init` before this step know only the tables of their day: extend them to the new ones.
  const roles = await client.query(`SELECT 1 FROM pg_roles WHERE rolname = 'office_till'`);
  if ((roles.rowCount ?? 0) > 0) await applyAccess(client);
  return OFFICE_LATEST;
}
