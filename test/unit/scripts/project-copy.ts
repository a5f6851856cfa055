import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

// A throw-away copy of the project in which Electron's binary is absent
// (whatever this machine has), so a test can run the start path or the
// smoke test as a new user would, and add a stand-in binary without ever
// touching the repository's node_modules/electron.

export const ROOT = resolve(__dirname, '../../..');
const SOURCES = ['package.json', 'scripts', 'electron', 'renderer', 'shared', 'test', 'electron.vite.config.ts', 'tsconfig.json', 'tsconfig.base.json', 'tsconfig.node.json', 'tsconfig.web.json'];
export const { version: ELECTRON_VERSION } = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string };

const copies: string[] = [];

/** For afterEach: removes every copy made. */
export function removeCopies(): void {
  for (const dir of copies.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** The sources, and a node_modules of links to ours except electron and electron-vite, which are copies (electron-vite finds electron from where it lies). */
export function projectCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'till-start-'));
  copies.push(dir);
  for (const entry of SOURCES) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true, filter: (src) => !src.includes('artifacts') });
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const name of readdirSync(join(ROOT, 'node_modules'))) {
    // Not electron/dist: a machine that has the binary would copy 200 MB only to delete it.
    const binary = join(ROOT, 'node_modules', 'electron', 'dist');
    if (name === 'electron' || name === 'electron-vite' || name === '.bin') cpSync(join(ROOT, 'node_modules', name), join(modules, name), { recursive: true, verbatimSymlinks: true, filter: (src) => !src.startsWith(binary) });
    else symlinkSync(join(ROOT, 'node_modules', name), join(modules, name));
  }
  rmSync(join(modules, 'electron', 'dist'), { recursive: true, force: true });
  rmSync(join(modules, 'electron', 'path.txt'), { force: true });
  return dir;
}
