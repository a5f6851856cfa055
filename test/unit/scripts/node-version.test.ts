import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { nodeProblem, requiredNode } from '../../../scripts/node-version.cjs';

// The Node check every entry point makes before loading better-sqlite3
// (which segfaults on Node 20): the rule, that engines.node is true for what
// runs, and the real entry points on an older Node when the machine has one.

const ROOT = resolve(__dirname, '../../..');

describe('nodeProblem', () => {
  it('accepts the required version and anything newer', () => {
    expect(nodeProblem('22.12.0', [22, 12], 'x')).toBeNull();
    expect(nodeProblem('v22.23.3', [22, 12], 'x')).toBeNull();
    expect(nodeProblem('24.1.0', [22, 12], 'x')).toBeNull();
  });

  it('refuses an older one, naming both versions and how to run it instead', () => {
    const problem = nodeProblem('20.20.2', [22, 12], 'The till command line');
    expect(problem).toContain('The till command line needs Node 22.12 or later; this is Node 20.20.2.');
    expect(problem).toContain('npm run till -- help');
    expect(problem).toContain('node_modules/.bin/node');
    expect(nodeProblem('22.11.9', [22, 12], 'x')).not.toBeNull();
  });
});

describe('engines.node', () => {
  it('is ">=22.12", at least what every runtime dependency and Electron\'s tooling declare', () => {
    const required = requiredNode(ROOT);
    expect(required).toEqual([22, 12]);
    for (const name of ['better-sqlite3', 'electron', 'electron-vite']) {
      const range = (JSON.parse(readFileSync(join(ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { engines?: { node?: string } }).engines?.node ?? '';
      const [major, minor] = (/(\d+)(?:\.(\d+))?/.exec(range) ?? []).slice(1).map((n) => Number(n ?? 0));
      expect(major! < required[0] || (major === required[0] && minor! <= required[1]), `${name} needs ${range}`).toBe(true);
    }
  });

  it('npm scripts run on the Node the lockfile pins (node_modules/.bin/node), which meets it', () => {
    const bin = join(ROOT, 'node_modules/.bin', process.platform === 'win32' ? 'node.cmd' : 'node');
    expect(existsSync(bin)).toBe(true);
    const version = execFileSync(bin, ['--version'], { encoding: 'utf8' }).trim();
    expect(nodeProblem(version, requiredNode(ROOT), 'x')).toBeNull();
  });
});

/** A Node older than required on this machine (the system one here), to run the entry points on. */
function olderNode(): string | undefined {
  for (const candidate of ['/usr/bin/node', '/usr/local/bin/node']) {
    if (!existsSync(candidate)) continue;
    const version = execFileSync(candidate, ['--version'], { encoding: 'utf8' }).trim();
    if (nodeProblem(version, requiredNode(ROOT), 'x')) return candidate;
  }
  return undefined;
}
const oldNode = olderNode();

describe.skipIf(!oldNode)('on an older Node', () => {
  it('`tsx electron/cli.ts` says which Node to use and exits 4 (configuration), instead of a segfault', () => {
    const run = spawnSync(oldNode!, [join(ROOT, 'node_modules/tsx/dist/cli.mjs'), 'electron/cli.ts', 'status', '--data-dir', '/nonexistent'], { cwd: ROOT, encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    expect(run.status).toBe(4);
    expect(run.stderr).toMatch(/^till: The till command line needs Node 22\.12 or later; this is Node \d+\.\d+\.\d+\. /);
    expect(run.stdout).toBe('');
  });

  it('`node scripts/app.mjs start` says the same before looking for Electron', () => {
    const run = spawnSync(oldNode!, ['scripts/app.mjs', 'start'], { cwd: ROOT, encoding: 'utf8' });
    expect(run.status).toBe(1);
    expect(run.stderr).toContain('npm start needs Node 22.12 or later');
    expect(run.stdout).not.toContain('Electron');
  });
});
