import Database from 'better-sqlite3';
import { chmodSync, closeSync, existsSync, openSync } from 'node:fs';
import { LATEST_VERSION, MIGRATIONS, type Migration } from './migrations';

// Opening the journal: durable settings first, read back and checked (a
// pragma that silently did not take would make "committed" a lie), then
// migrations up to the latest version.

export type Db = Database.Database;

export class JournalOpenError extends Error {
  override readonly name = 'JournalOpenError';
  constructor(
    readonly code: 'pragma' | 'newer_version' | 'migration' | 'open' | 'mode',
    message: string,
  ) {
    super(message);
  }
}

export interface OpenOptions {
  /** Migrations to apply (tests pass a prefix to build an older file). */
  migrations?: readonly Migration[];
  busyTimeoutMs?: number;
}

/**
 * The journal, its WAL and shared-memory files are this user's only (0600;
 * issue 10). SQLite gives the WAL and -shm the database file's mode, so the
 * file is made 0600 before SQLite first opens it. The folder is left alone:
 * whoever made it decides (the till's own folders are created 0700 where they
 * are made; narrowing a folder someone named, /tmp or a home, would break it).
 */
function makePrivate(path: string): void {
  if (path === ':memory:' || path === '') return;
  if (!existsSync(path)) closeSync(openSync(path, 'a', 0o600));
  for (const file of [path, `${path}-wal`, `${path}-shm`]) if (existsSync(file)) chmodSync(file, 0o600);
}

export function openDatabase(path: string, options: OpenOptions = {}): Db {
  let db: Db;
  try {
    makePrivate(path);
    db = new Database(path);
  } catch (error) {
    throw new JournalOpenError('open', `cannot open the journal at ${path}: ${error instanceof Error ? error.message : String(error)}`);
  }
  try {
    configure(db, options.busyTimeoutMs ?? 5000);
    migrate(db, options.migrations ?? MIGRATIONS);
    makePrivate(path);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

function configure(db: Db, busyTimeoutMs: number): void {
  const memory = db.memory;
  db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('foreign_keys = ON');
  const expected: Record<string, unknown> = {
    journal_mode: memory ? 'memory' : 'wal',
    synchronous: 2,
    foreign_keys: 1,
    busy_timeout: Math.trunc(busyTimeoutMs),
  };
  for (const [name, want] of Object.entries(expected)) {
    const got: unknown = db.pragma(name, { simple: true });
    const matches = typeof want === 'string' ? String(got).toLowerCase() === want : Number(got) === want;
    if (!matches) throw new JournalOpenError('pragma', `journal pragma ${name} is ${String(got)}, expected ${String(want)}: refusing to run`);
  }
}

export function schemaVersion(db: Db): number {
  return Number(db.pragma('user_version', { simple: true }));
}

function migrate(db: Db, migrations: readonly Migration[]): void {
  const current = schemaVersion(db);
  const latest = migrations.length ? migrations[migrations.length - 1]!.version : 0;
  if (current > LATEST_VERSION || current > latest) {
    throw new JournalOpenError('newer_version', `the journal is schema version ${current}, newer than this app (${LATEST_VERSION}): update the app`);
  }
  for (const step of migrations) {
    if (step.version <= current) continue;
    try {
      db.transaction(() => {
        db.exec(step.sql);
        db.pragma(`user_version = ${step.version}`);
      })();
    } catch (error) {
      throw new JournalOpenError('migration', `journal migration ${step.version} (${step.description}) failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
}
