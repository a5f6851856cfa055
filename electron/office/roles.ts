import { randomBytes } from 'node:crypto';
import type { ClientBase } from 'pg';

// `till office init`: the roles head office runs with, and the row-level
// security that makes a till's role able to write only its own rows.
//
//   office_till  (no login) — what every till role is a member of: insert and
//                update on the replicated tables, only where udid is the
//                till's own (RLS), and read back only its own rows (the
//                sender's cursor and upserts need that).
//   office_read  (no login) — reports, status and the owner's page: read all.
//   till_<udid>  (login) — one per till, member of office_till; its udid is
//                in its name, so no table maps roles to tills.
//
// Idempotent: run again to add tills. Needs a user that may create roles
// (CREATEROLE or a superuser) and owns the office schema.

export const TABLES = ['tills', 'events', 'sales', 'refunds', 'z_reports', 'cash_movements', 'sale_orders'] as const;

export const TILL_ROLE_PREFIX = 'till_';

export interface CreatedRole {
  role: string;
  /** Only for a role this run created: shown once, never stored. */
  password?: string;
}

const quoteIdent = (name: string) => `"${name.replace(/"/g, '""')}"`;
const quoteLiteral = (text: string) => `'${text.replace(/'/g, "''")}'`;

async function roleExists(client: ClientBase, role: string): Promise<boolean> {
  const found = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
  return (found.rowCount ?? 0) > 0;
}

async function ensureGroup(client: ClientBase, role: string): Promise<void> {
  if (!(await roleExists(client, role))) await client.query(`CREATE ROLE ${quoteIdent(role)} NOLOGIN`);
}

async function ensureLogin(client: ClientBase, role: string, group: string): Promise<CreatedRole> {
  if (await roleExists(client, role)) {
    await client.query(`GRANT ${quoteIdent(group)} TO ${quoteIdent(role)}`);
    return { role };
  }
  const password = randomBytes(18).toString('base64url');
  await client.query(`CREATE ROLE ${quoteIdent(role)} LOGIN PASSWORD ${quoteLiteral(password)} IN ROLE ${quoteIdent(group)}`);
  return { role, password };
}

/** The group roles, grants and policies (no login roles). */
export async function applyAccess(client: ClientBase): Promise<void> {
  await client.query('BEGIN');
  try {
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('till-office-init'))`);
    await ensureGroup(client, 'office_till');
    await ensureGroup(client, 'office_read');
    // A till role's udid is its name after the prefix: nothing else to keep in step.
    await client.query(
      `CREATE OR REPLACE FUNCTION office.current_till() RETURNS text LANGUAGE sql STABLE
         AS $$ SELECT CASE WHEN left(current_user, ${TILL_ROLE_PREFIX.length}) = '${TILL_ROLE_PREFIX}' THEN substr(current_user, ${TILL_ROLE_PREFIX.length + 1}) END $$`,
    );
    await client.query('GRANT USAGE ON SCHEMA office TO office_till, office_read');
    await client.query('GRANT EXECUTE ON FUNCTION office.current_till() TO office_till, office_read');
    await client.query('GRANT SELECT ON office.schema_versions TO office_till, office_read');
    for (const table of TABLES) {
      const t = `office.${table}`;
      await client.query(`GRANT SELECT ON ${t} TO office_read`);
      await client.query(`GRANT SELECT, INSERT, UPDATE ON ${t} TO office_till`);
      await client.query(`ALTER TABLE ${t} ENABLE ROW LEVEL SECURITY`);
      await client.query(`DROP POLICY IF EXISTS till_own_rows ON ${t}`);
      await client.query(`CREATE POLICY till_own_rows ON ${t} FOR ALL TO office_till USING (udid = office.current_till()) WITH CHECK (udid = office.current_till())`);
      await client.query(`DROP POLICY IF EXISTS read_all ON ${t}`);
      await client.query(`CREATE POLICY read_all ON ${t} FOR SELECT TO office_read USING (true)`);
    }
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  }
}

/** `till office init`: access rules, plus a login role per till udid and per reader name. */
export async function initOffice(client: ClientBase, tills: readonly string[], readers: readonly string[]): Promise<CreatedRole[]> {
  await applyAccess(client);
  const created: CreatedRole[] = [];
  for (const udid of tills) created.push(await ensureLogin(client, `${TILL_ROLE_PREFIX}${udid}`, 'office_till'));
  for (const name of readers) created.push(await ensureLogin(client, name, 'office_read'));
  return created;
}
