import type { ClientBase } from 'pg';

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
  return OFFICE_LATEST;
}
