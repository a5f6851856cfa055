import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

// The release workflow: valid for GitHub Actions (the offline validator
// `npm test` runs), and doing what the release needs on each system. Also
// what CI here installs, and which suites `npm test` runs.

const ROOT = resolve(__dirname, '../../..');
const WORKFLOW = join(ROOT, '.github/workflows/release.yml');
const yaml = createRequire(__filename)('js-yaml') as { load(text: string): unknown };

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, string>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { 'runs-on': string; strategy: { matrix: { os: string[] } }; steps: Step[] }>;
}

const workflow = yaml.load(readFileSync(WORKFLOW, 'utf8')) as Workflow;
const job = Object.values(workflow.jobs)[0]!;
const runs = (pattern: RegExp) => job.steps.filter((s) => s.run !== undefined && pattern.test(s.run));

function validate(file: string) {
  return spawnSync(process.execPath, [join(ROOT, 'node_modules/@action-validator/cli/cli.mjs'), file], { encoding: 'utf8' });
}

describe('.github/workflows/release.yml', () => {
  it('passes the validator, which refuses a broken workflow', () => {
    const good = validate(WORKFLOW);
    expect(good.status, good.stdout + good.stderr).toBe(0);
    const dir = mkdtempSync(join(tmpdir(), 'till-workflow-'));
    try {
      const broken = join(dir, 'broken.yml');
      writeFileSync(broken, readFileSync(WORKFLOW, 'utf8').replace('runs-on:', 'runs_on:'));
      expect(validate(broken).status).not.toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('runs on Windows, macOS and Linux', () => {
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    expect(job.strategy.matrix.os.sort()).toEqual(['macos-latest', 'ubuntu-latest', 'windows-latest']);
  });

  it('installs with npm ci, fetches Electron, runs npm test on Linux and the smoke test everywhere (xvfb on Linux)', () => {
    expect(runs(/^npm ci$/)).toHaveLength(1);
    expect(runs(/npx install-electron/)).toHaveLength(1);
    expect(runs(/^npm test$/).map((s) => s.if)).toEqual(["runner.os == 'Linux'"]);
    const smoke = runs(/npm run test:electron/);
    expect(smoke.map((s) => [s.if, s.run])).toEqual([
      ["runner.os == 'Linux'", 'xvfb-run --auto-servernum npm run test:electron'],
      ["runner.os != 'Linux'", 'npm run test:electron'],
    ]);
    const order = job.steps.map((s) => s.run ?? '');
    expect(order.findIndex((r) => r === 'npm ci')).toBeLessThan(order.findIndex((r) => r.includes('npx install-electron')));
  });

  it('builds the installers without publishing and uploads every kind as an artefact', () => {
    expect(runs(/^npm run dist -- --publish never$/)).toHaveLength(1);
    const upload = job.steps.find((s) => s.uses?.startsWith('actions/upload-artifact'));
    for (const kind of ['exe', 'dmg', 'AppImage', 'deb', 'yml']) expect(upload?.with?.path).toContain(`.${kind}`);
    expect(upload?.with?.['if-no-files-found']).toBe('error');
  });

  it('takes signing and notarisation credentials only from secrets, and builds unsigned without them', () => {
    const signing = job.steps.find((s) => s.env?.CSC_LINK);
    expect(signing?.env).toMatchObject({ CSC_LINK: '${{ secrets.CSC_LINK }}', WIN_CSC_LINK: '${{ secrets.WIN_CSC_LINK }}', APPLE_API_KEY_ID: '${{ secrets.APPLE_API_KEY_ID }}' });
    for (const value of Object.values(signing?.env ?? {})) expect(value).toMatch(/^\$\{\{ secrets\.[A-Z0-9_]+ \}\}$/);
    expect(signing?.run).toContain('if [ -n "${!name}" ]');
    expect(signing?.run).toContain('CSC_IDENTITY_AUTO_DISCOVERY=false');
  });
});

describe('what the checks run', () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> };

  it('npm test validates the workflow; the real-Electron test is separate', () => {
    expect(pkg.scripts['lint:workflows']).toContain('.github/workflows/release.yml');
    expect(pkg.scripts.test).toContain('npm run lint:workflows');
    expect(pkg.scripts.test).not.toContain('test:electron');
    expect(pkg.scripts['test:electron']).toBeDefined();
  });

  it('.ci/run installs the CJK fonts with the other Debian packages, without asking', () => {
    const ci = readFileSync(join(ROOT, '.ci/run'), 'utf8');
    expect(/APT_PACKAGES=\(([^)]*)\)/.exec(ci)?.[1]?.split(/\s+/)).toEqual(expect.arrayContaining(['chromium', 'zbar-tools', 'fonts-noto-cjk']));
    expect(ci).toMatch(/DEBIAN_FRONTEND=noninteractive .*apt-get install -y/);
  });
});
