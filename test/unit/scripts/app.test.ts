import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { ELECTRON_VERSION, projectCopy, removeCopies } from './project-copy';

// `npm start` as a new user runs it, in a throw-away copy of the project (the
// repository's node_modules/electron is never touched): without the Electron
// binary it says what to do in one paragraph and exits non-zero; with a
// stand-in binary where electron's path.txt points, it builds the app and
// launches the stand-in on it, as it would the real Electron.

afterEach(removeCopies);

/** An executable that records how it was started, where the real binary would be. */
function installStandIn(dir: string): string {
  const record = join(dir, 'launched.txt');
  const dist = join(dir, 'node_modules/electron/dist');
  mkdirSync(dist, { recursive: true });
  writeFileSync(join(dist, 'electron'), ['#!/bin/sh', `{ echo "cwd=$(pwd)"; for a in "$@"; do echo "arg=$a"; done; [ -f out/main/main.js ] && echo "main=built"; } > '${record}'`, ''].join('\n'));
  chmodSync(join(dist, 'electron'), 0o755);
  writeFileSync(join(dist, 'version'), `v${ELECTRON_VERSION}`);
  writeFileSync(join(dir, 'node_modules/electron/path.txt'), 'electron');
  return record;
}

function npm(dir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // A download that fails at once, wherever the test runs, and no cached zip to fall back on.
    ELECTRON_MIRROR: 'http://127.0.0.1:9/',
    electron_config_cache: join(dir, 'electron-cache'),
  };
  delete env.ELECTRON_EXEC_PATH;
  delete env.ELECTRON_OVERRIDE_DIST_PATH;
  return new Promise((done) => {
    execFile('npm', args, { cwd: dir, env, timeout: 120_000 }, (error, stdout, stderr) => {
      done({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

describe.skipIf(process.platform === 'win32')('npm start, dev and dist', () => {
  it.each(['start', 'run dev', 'run dist'])('without the Electron binary, `npm %s`: one paragraph saying what is missing and how to fetch it, exit 1, no stack trace', async (command) => {
    const dir = projectCopy();
    const run = await npm(dir, command.split(' '));
    expect(run.code).toBe(1);
    const message = run.stderr.trim();
    expect(message).toContain(`Electron ${ELECTRON_VERSION}`);
    expect(message).toContain('npx install-electron');
    expect(message).toContain('npm test');
    expect(message).toContain('`till` command line');
    expect(message.split('\n')).toHaveLength(1);
    expect(`${run.stdout}${run.stderr}`).not.toMatch(/^\s+at /m);
    expect(`${run.stdout}${run.stderr}`).not.toContain('Electron uninstall');
    expect(existsSync(join(dir, 'out'))).toBe(false);
  });

  it('with a binary where path.txt points: builds the app and launches the binary on it', async () => {
    const dir = projectCopy();
    const record = installStandIn(dir);
    const run = await npm(dir, ['start']);
    expect(run.code, run.stderr).toBe(0);
    const launched = readFileSync(record, 'utf8').trim().split('\n');
    expect(launched).toEqual([`cwd=${dir}`, 'arg=.', 'main=built']);
    expect(existsSync(join(dir, 'out/preload/preload.js'))).toBe(true);
    expect(existsSync(join(dir, 'out/renderer/cashier.html'))).toBe(true);
  });
});
