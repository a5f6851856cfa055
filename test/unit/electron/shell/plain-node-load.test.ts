import { readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// DESIGN.md: everything under electron/ except the five shell files runs in
// plain Node with no Electron present. This file deliberately does NOT mock
// 'electron': each module is loaded for real, so a runtime electron import
// anywhere in its import graph makes the load throw (the electron package
// here has no binary: requiring it tries to fetch one and fails). The
// static check beside this file (no-electron-imports.test.ts) names the
// offending line; this one proves the modules really load.

const ROOT = resolve(__dirname, '../../../..');
const FOLDERS = ['electron/qfpay', 'electron/journal', 'electron/till', 'electron/simulator', 'electron/service', 'electron/cli', 'shared'];

function modulesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.ts$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => relative(ROOT, join(ROOT, dir, file)).split('\\').join('/'))
    .sort();
}

const MODULES = [...FOLDERS.flatMap(modulesUnder), 'electron/cli.ts'];

describe('without electron', () => {
  it('finds the modules to load', () => {
    expect(MODULES).toContain('electron/service/till-service.ts');
    expect(MODULES).toContain('electron/till/core.ts');
    expect(MODULES.length).toBeGreaterThan(30);
  });

  it.each(MODULES)('%s loads in plain Node', async (file) => {
    const module: unknown = await import(/* @vite-ignore */ join(ROOT, file));
    expect(module).toBeTypeOf('object');
  });
});
