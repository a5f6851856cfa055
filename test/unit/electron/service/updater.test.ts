import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AppUpdater } from 'electron-updater';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { Logger } from '../../../../electron/service/log';
import { Updater, isNewer, type UpdateStatus } from '../../../../electron/service/updater';
import { fakeElectron } from '../shell/fake-electron';

// The updater against the real electron-updater and a feed on 127.0.0.1
// serving latest-linux.yml and the package. electron-updater loads electron
// lazily with require(): the fake electron module is put in require's cache
// first (its net.request is Node's http), so no Electron binary is involved.
// Installing is the one thing stubbed: it would run dpkg.

const nodeRequire = createRequire(__filename);
const CURRENT = '0.1.0';

beforeAll(() => {
  const path = nodeRequire.resolve('electron');
  nodeRequire.cache[path] = { id: path, filename: path, loaded: true, exports: fakeElectron } as unknown as NodeJS.Module;
});

interface Feed {
  url: string;
  requests: string[];
  server: Server;
}

const cleanups: Array<() => void | Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A generic feed with one release: `version`, its package bytes, and the sha512 the yml states (tamper to break it). */
async function feed(version: string, options: { tamper?: boolean } = {}): Promise<Feed> {
  const file = `wechat-pay-till_${version}_amd64.deb`;
  const body = Buffer.from(`package ${version}`);
  const sha512 = createHash('sha512').update(options.tamper ? Buffer.from('something else') : body).digest('base64');
  const yml = [`version: ${version}`, 'files:', `  - url: ${file}`, `    sha512: ${sha512}`, `    size: ${body.length}`, `path: ${file}`, `sha512: ${sha512}`, "releaseDate: '2026-11-01T00:00:00.000Z'", ''].join('\n');
  const requests: string[] = [];
  const server = createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0]!;
    requests.push(path);
    if (/^\/latest-linux(-arm64)?\.yml$/.test(path)) res.end(yml);
    else if (path === `/${file}`) res.end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  cleanups.push(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`, requests, server };
}

/** A real electron-updater DebUpdater on a fake app: packaged, version 0.1.0, caches in a temp folder. */
function realUpdater() {
  const dir = mkdtempSync(join(tmpdir(), 'till-update-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  const quitHandlers: Array<(code: number) => void> = [];
  // What electron-builder writes into the package from build/electron-builder.json's `publish`.
  writeFileSync(join(dir, 'app-update.yml'), 'provider: generic\nurl: https://updates.invalid/\nupdaterCacheDirName: wechat-pay-till-updater\n');
  const app = {
    version: CURRENT,
    name: 'wechat-pay-till',
    isPackaged: true,
    appUpdateConfigPath: join(dir, 'app-update.yml'),
    userDataPath: dir,
    baseCachePath: dir,
    whenReady: () => Promise.resolve(),
    relaunch: () => undefined,
    quit: () => undefined,
    onQuit: (handler: (code: number) => void) => quitHandlers.push(handler),
  };
  const { DebUpdater } = nodeRequire('electron-updater') as { DebUpdater: new (options: null, adapter: object) => AppUpdater };
  const { ElectronHttpExecutor } = nodeRequire('electron-updater/out/electronHttpExecutor') as { ElectronHttpExecutor: new () => unknown };
  const updater = new DebUpdater(null, app);
  updater.logger = null;
  // Given an app, electron-updater leaves the HTTP client unset; this is the one it uses in the app (over electron.net).
  Object.assign(updater, { httpExecutor: new ElectronHttpExecutor() });
  const install = vi.fn(() => true);
  Object.assign(updater, { install });
  return { updater, install, quit: (code = 0) => quitHandlers.forEach((h) => h(code)) };
}

function setUp(feedUrl: string, openWork = 0) {
  const real = realUpdater();
  const lines: string[] = [];
  const log: Logger = { log: (level, message) => lines.push(`${level} ${message}`) };
  const statuses: UpdateStatus[] = [];
  const work = { open: openWork };
  const downloaded = new Promise<void>((resolve) => real.updater.on('update-downloaded', () => resolve()));
  const failed = new Promise<Error>((resolve) => real.updater.on('error', (error: Error) => resolve(error)));
  const updater = new Updater({ updater: real.updater, app: { getVersion: () => CURRENT }, feedUrl: () => feedUrl, openWork: () => work.open, log, onStatus: (s) => statuses.push(s) });
  return { ...real, real: real.updater, updater, lines, statuses, work, downloaded, failed };
}

describe('isNewer', () => {
  it('compares release versions, a pre-release before its release', () => {
    expect(isNewer('0.2.0', '0.1.0')).toBe(true);
    expect(isNewer('0.10.0', '0.9.9')).toBe(true);
    expect(isNewer('0.1.0', '0.1.0')).toBe(false);
    expect(isNewer('0.0.9', '0.1.0')).toBe(false);
    expect(isNewer('0.2.0', '0.2.0-beta.1')).toBe(true);
    expect(isNewer('0.2.0-beta.1', '0.2.0')).toBe(false);
  });
});

describe('Updater with electron-updater and a local feed', () => {
  it('no feed URL: updates are off and nothing is asked', async () => {
    const { updater } = setUp('');
    expect(await updater.check('start')).toEqual({ state: 'off' });
  });

  it('a newer version is found at start and downloaded in the background, its sha512 checked', async () => {
    const served = await feed('0.2.0');
    const { updater, downloaded, statuses } = setUp(served.url);
    await updater.check('start');
    await downloaded;
    expect(updater.status).toEqual({ state: 'ready', version: '0.2.0' });
    expect(statuses.map((s) => s.state)).toEqual(['checking', 'downloading', 'ready']);
    expect(served.requests).toEqual(['/latest-linux.yml', '/wechat-pay-till_0.2.0_amd64.deb']);
  });

  it('a package that does not match the sha512 in latest.yml is refused (electron-updater verifies it)', async () => {
    const served = await feed('0.2.0', { tamper: true });
    const { updater, failed } = setUp(served.url);
    await updater.check('start');
    expect((await failed).message).toMatch(/sha512 checksum mismatch/);
    expect(updater.status.state).toBe('error');
  });

  it('the same or an older version is never downloaded', async () => {
    for (const version of [CURRENT, '0.0.9']) {
      const served = await feed(version);
      const { updater } = setUp(served.url);
      expect(await updater.check('start')).toEqual({ state: 'idle' });
      expect(served.requests).toEqual(['/latest-linux.yml']);
    }
  });

  it('"Restart to update" is refused while a sale or refund is open, and installs once none is', async () => {
    const served = await feed('0.2.0');
    const setup = setUp(served.url, 1);
    const quitAndInstall = vi.fn();
    Object.assign(setup.real, { quitAndInstall });
    await setup.updater.check('z');
    await setup.downloaded;
    expect(setup.updater.restartToUpdate()).toEqual({ ok: false, reason: 'open_work' });
    expect(setup.install).not.toHaveBeenCalled();
    setup.work.open = 0;
    expect(setup.updater.restartToUpdate()).toEqual({ ok: true, version: '0.2.0' });
    expect(quitAndInstall).toHaveBeenCalledWith(false, true);
  });

  it('at quit: installs only when nothing is open', async () => {
    const served = await feed('0.2.0');
    const busy = setUp(served.url, 1);
    await busy.updater.check('start');
    await busy.downloaded;
    busy.updater.beforeQuit();
    busy.quit(0);
    expect(busy.install).not.toHaveBeenCalled();
    expect(busy.lines).toContain('info not installing the update at quit: a sale or refund is open');

    const idle = setUp(served.url, 0);
    await idle.updater.check('start');
    await idle.downloaded;
    idle.updater.beforeQuit();
    idle.quit(0);
    expect(idle.install).toHaveBeenCalledTimes(1);
  });

  it('an unreachable feed is an error status and a log line, not a crash', async () => {
    const served = await feed('0.2.0');
    await new Promise<void>((resolve) => served.server.close(() => resolve()));
    const { updater, lines } = setUp(served.url);
    expect((await updater.check('start')).state).toBe('error');
    expect(lines.some((l) => l.startsWith('warn update check or download failed'))).toBe(true);
  });
});
