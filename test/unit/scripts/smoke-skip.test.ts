import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { projectCopy, removeCopies } from './project-copy';

// `npm run test:electron` where there is no Electron binary (as here): one
// line saying so and how to fetch it, exit 0, nothing launched or built.

afterEach(removeCopies);

it('without the binary, `npm run test:electron` prints one line and exits 0', async () => {
  const dir = projectCopy();
  const run = await new Promise<{ code: number; stdout: string; stderr: string }>((done) => {
    execFile('npm', ['run', '--silent', 'test:electron'], { cwd: dir, timeout: 60_000 }, (error, stdout, stderr) => done({ code: error ? Number(error.code ?? -1) : 0, stdout, stderr }));
  });
  expect(run.code, run.stderr).toBe(0);
  expect(run.stdout.trim()).toBe('skipped: no Electron binary (run npx install-electron)');
  expect(run.stderr.trim()).toBe('');
  expect(existsSync(join(dir, 'out'))).toBe(false);
});
