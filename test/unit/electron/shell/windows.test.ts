import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { BrowserWindow } from 'electron';
import type { DisplayState } from '../../../../shared/display';
import type { Placement } from '../../../../electron/service/displays';
import { CONTENT_SECURITY_POLICY, applicationMenu, applyPlacement, createSecureWindow, guardContents, hardenSession, installApplicationMenu, saveWithDialog, showForState } from '../../../../electron/windows';
import { FakeBrowserWindow, FakeWebContents, fake, fakeEvent, resetFakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron);

// windows.ts against a fake BrowserWindow, app and session: every flag that
// keeps the renderer in its box, for both windows, and the app-wide guards.

beforeEach(resetFakeElectron);

const PRELOAD = '/app/out/preload/preload.js';
const RENDERER = '/app/out/renderer';

function open(kind: 'cashier' | 'customer', extra: { devUrl?: string; window?: Record<string, unknown> } = {}): FakeBrowserWindow {
  createSecureWindow({ kind, preload: PRELOAD, devUrl: extra.devUrl, rendererDir: RENDERER, window: extra.window as never });
  const win = FakeBrowserWindow.instances.at(-1);
  if (!win) throw new Error('no window was made');
  return win;
}

const asWindow = (win: FakeBrowserWindow) => win as unknown as BrowserWindow;

describe.each(['cashier', 'customer'] as const)('the %s window', (kind) => {
  // Every setting pinned to a literal (issue 10): a test that compared with the function's own output could never fail.
  it('has every web preference locked down, its kind in the arguments and the preload path (development build)', () => {
    fake.app.isPackaged = false;
    expect(open(kind).options.webPreferences).toStrictEqual({
      preload: PRELOAD,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      devTools: true,
      disableBlinkFeatures: 'Auxclick',
      additionalArguments: [`--till-window=${kind}`],
    });
  });

  it('the packaged app has no DevTools', () => {
    fake.app.isPackaged = true;
    expect(open(kind).options.webPreferences).toMatchObject({ devTools: false, disableBlinkFeatures: 'Auxclick', sandbox: true, contextIsolation: true, nodeIntegration: false });
  });

  it('its window options are pinned too: hidden until ready, no menu bar shown, its own background', () => {
    const { webPreferences: _prefs, ...options } = open(kind).options;
    expect(options).toStrictEqual({ show: false, backgroundColor: kind === 'customer' ? '#000000' : '#f4f5f7', autoHideMenuBar: true });
  });

  it("a caller's window options cannot weaken the web preferences", () => {
    const win = open(kind, { window: { width: 800, webPreferences: { sandbox: false, nodeIntegration: true, contextIsolation: false, webSecurity: false } } });
    expect(win.options.width).toBe(800);
    expect(win.options.webPreferences).toMatchObject({ sandbox: true, nodeIntegration: false, contextIsolation: true, webSecurity: true });
  });

  it('starts hidden and loads its own page: the built file, or the dev server', () => {
    const built = open(kind);
    expect(built.options.show).toBe(false);
    expect(built.loaded).toEqual({ file: join(RENDERER, `${kind}.html`) });
    const dev = open(kind, { devUrl: 'http://localhost:5173/' });
    expect(dev.loaded).toEqual({ url: `http://localhost:5173/${kind}.html` });
  });

  it('refuses navigation, redirects, webviews and new windows', () => {
    const contents = open(kind).webContents;
    expect(contents.fire('will-navigate', { url: 'https://evil.example/' }).defaultPrevented).toBe(true);
    expect(contents.fire('will-redirect', { url: 'https://evil.example/' }).defaultPrevented).toBe(true);
    expect(contents.fire('will-attach-webview', {}, {}).defaultPrevented).toBe(true);
    expect(contents.windowOpenHandler).toBeTypeOf('function');
    expect(contents.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.windowOpenHandler!({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
  });
});

describe('the two windows', () => {
  it('differ only in their kind argument', () => {
    const cashier = open('cashier').options.webPreferences as Record<string, unknown>;
    const customer = open('customer').options.webPreferences as Record<string, unknown>;
    expect({ ...cashier, additionalArguments: [] }).toEqual({ ...customer, additionalArguments: [] });
    expect(cashier.additionalArguments).not.toEqual(customer.additionalArguments);
  });
});

describe('guardContents', () => {
  it('guards any web contents given to it', () => {
    const contents = new FakeWebContents();
    guardContents(contents as never);
    expect(contents.fire('will-navigate').defaultPrevented).toBe(true);
    expect(contents.windowOpenHandler!({ url: 'about:blank' })).toEqual({ action: 'deny' });
  });
});

describe('the Content-Security-Policy', () => {
  const directives = new Map(
    CONTENT_SECURITY_POLICY.split(';')
      .map((d) => d.trim().split(/\s+/))
      .map(([name, ...values]) => [name!, values]),
  );

  it('allows no eval and nothing by default', () => {
    expect(CONTENT_SECURITY_POLICY).not.toContain('unsafe-eval');
    expect(CONTENT_SECURITY_POLICY).not.toContain('wasm-unsafe-eval');
    expect(directives.get('default-src')).toEqual(["'none'"]);
  });

  it("runs scripts only from the app itself ('self'), never inline or remote", () => {
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('base-uri')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
  });

  it('each renderer page carries the same policy in a meta tag (file:// pages get no response headers)', () => {
    // frame-ancestors is ignored in a meta policy, so the page may leave it out.
    const expected = [...directives.entries()].filter(([name]) => name !== 'frame-ancestors');
    for (const page of ['cashier.html', 'customer.html']) {
      const html = readFileSync(join(__dirname, '../../../../renderer', page), 'utf8');
      const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
      expect(meta, page).not.toBeNull();
      const pageDirectives = new Map(
        meta![1]!
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .map(([name, ...values]) => [name!, values]),
      );
      for (const [name, values] of expected) expect(pageDirectives.get(name), `${page} ${name}`).toEqual(values);
      expect(meta![1]).not.toContain('unsafe-eval');
    }
  });

  it('names no remote origin anywhere (no http:, https:, ws: or wildcard sources)', () => {
    for (const [name, values] of directives) {
      for (const value of values) expect(value, `${name} ${value}`).not.toMatch(/^(https?:|wss?:|\*)|\*\./);
    }
  });
});

describe('hardenSession', () => {
  it('refuses every permission request and check', () => {
    hardenSession();
    const ses = fake.session.defaultSession;
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'openExternal', 'serial', 'usb', 'hid']) {
      const callback = vi.fn();
      ses.permissionRequestHandler!({}, permission, callback);
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
      expect(ses.permissionCheckHandler!({}, permission, 'file://')).toBe(false);
    }
  });

  it('adds the CSP to every response, keeping the other headers', () => {
    hardenSession();
    const handler = fake.session.defaultSession.headersHandler!;
    expect(handler).toBeTypeOf('function');
    const callback = vi.fn();
    handler({ url: 'http://localhost:5173/cashier.html', responseHeaders: { 'Content-Type': ['text/html'] } }, callback);
    expect(callback).toHaveBeenCalledOnce();
    const headers = callback.mock.calls[0]![0].responseHeaders as Record<string, string[]>;
    expect(headers['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
    expect(headers['Content-Type']).toEqual(['text/html']);
    // A response without headers gets the policy too.
    const bare = vi.fn();
    handler({ url: 'http://localhost:5173/x.js' }, bare);
    expect(bare.mock.calls[0]![0].responseHeaders['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });

  it('refuses every download (will-download)', () => {
    hardenSession();
    const ses = fake.session.defaultSession;
    expect(ses.listenerCount('will-download')).toBe(1);
    const event = fakeEvent();
    ses.emit('will-download', event, { getURL: () => 'https://evil.example/payload.exe' }, {});
    expect(event.defaultPrevented).toBe(true);
  });

  it('guards every web contents created anywhere in the app (web-contents-created)', () => {
    hardenSession();
    expect(fake.app.listenerCount('web-contents-created')).toBe(1);
    const stray = new FakeWebContents();
    fake.app.emit('web-contents-created', {}, stray);
    expect(stray.fire('will-navigate', { url: 'https://evil.example/' }).defaultPrevented).toBe(true);
    expect(stray.fire('will-redirect').defaultPrevented).toBe(true);
    expect(stray.fire('will-attach-webview').defaultPrevented).toBe(true);
    expect(stray.windowOpenHandler!({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
  });
});

const PRIMARY = { id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } };
const SECOND = { id: 2, bounds: { x: 1920, y: 0, width: 1024, height: 768 } };
const BASE = { merchantName: 'Shop', training: false };
const STATES: Record<DisplayState['kind'], DisplayState> = {
  idle: { kind: 'idle', ...BASE, wallets: ['wechat', 'alipay'] },
  due: { kind: 'due', ...BASE, amountMinor: 100, currency: 'HKD', wallets: ['wechat', 'alipay'] },
  show_code: { kind: 'show_code', ...BASE, amountMinor: 100, currency: 'HKD', payType: '800208', waiting: true },
  qr: { kind: 'qr', ...BASE, amountMinor: 100, currency: 'HKD', qrcode: 'weixin://wxpay/x', expiresAtMs: 1, remainingMs: 1, lifetimeMs: 1 },
  paid: { kind: 'paid', ...BASE, amountMinor: 100, currency: 'HKD' },
  closed: { kind: 'closed', ...BASE, reason: 'cancelled' },
};

describe('applyPlacement', () => {
  it('fullscreen: on the chosen display, full screen, shown without taking focus', () => {
    const win = open('customer');
    applyPlacement(asWindow(win), { mode: 'fullscreen', display: SECOND });
    expect(win.bounds).toEqual(SECOND.bounds);
    expect(win.fullScreen).toBe(true);
    expect(win.calls).toContain('showInactive');
    expect(win.calls).not.toContain('show');
    expect(win.visible).toBe(true);
  });

  it('overlay: sized to the primary display, full screen, but not shown until there is something to see', () => {
    const win = open('customer');
    applyPlacement(asWindow(win), { mode: 'overlay', display: PRIMARY });
    expect(win.bounds).toEqual(PRIMARY.bounds);
    expect(win.fullScreen).toBe(true);
    expect(win.visible).toBe(false);
  });

  it('off: hidden', () => {
    const win = open('customer');
    applyPlacement(asWindow(win), { mode: 'fullscreen', display: SECOND });
    applyPlacement(asWindow(win), { mode: 'off' });
    expect(win.visible).toBe(false);
  });
});

describe('showForState', () => {
  const overlay: Placement = { mode: 'overlay', display: PRIMARY };

  it.each(['qr', 'paid', 'closed'] as const)('the overlay comes up, on top, for %s', (kind) => {
    const win = open('customer');
    showForState(asWindow(win), overlay, STATES[kind]);
    expect(win.visible).toBe(true);
    expect(win.alwaysOnTop.flag).toBe(true);
  });

  it.each(['idle', 'due'] as const)('the overlay goes away on %s (the cashier needs the screen to type)', (kind) => {
    const win = open('customer');
    showForState(asWindow(win), overlay, STATES.qr);
    showForState(asWindow(win), overlay, STATES[kind]);
    expect(win.visible).toBe(false);
  });

  it('a full-screen customer display on its own screen is never hidden or raised by the state', () => {
    const win = open('customer');
    const placement: Placement = { mode: 'fullscreen', display: SECOND };
    applyPlacement(asWindow(win), placement);
    const before = [...win.calls];
    for (const state of Object.values(STATES)) showForState(asWindow(win), placement, state);
    expect(win.calls).toEqual(before);
    expect(win.visible).toBe(true);
  });

  it('with the display off, no state brings it up', () => {
    const win = open('customer');
    for (const state of Object.values(STATES)) showForState(asWindow(win), { mode: 'off' }, state);
    expect(win.visible).toBe(false);
  });
});

describe('the application menu', () => {
  const roles = (menu: ReturnType<typeof applicationMenu>): unknown[] => menu.flatMap((item) => [item.role, ...(Array.isArray(item.submenu) ? roles(item.submenu) : [])]);

  it.each(['win32', 'linux', 'darwin'] as const)('packaged (%s): quit and the edit keys only, no View menu, no DevTools or reload', (platform) => {
    const menu = applicationMenu(true, platform);
    const all = roles(menu);
    for (const forbidden of ['viewMenu', 'toggleDevTools', 'reload', 'forceReload', 'windowMenu']) expect(all, forbidden).not.toContain(forbidden);
    expect(all).toContain('quit');
    expect(all).toContain('paste');
    expect(menu.map((item) => item.role)).toEqual([platform === 'darwin' ? 'appMenu' : 'fileMenu', 'editMenu']);
  });

  it('a development build keeps the View menu (reload, DevTools)', () => {
    expect(applicationMenu(false, 'linux').map((item) => item.role)).toEqual(['fileMenu', 'editMenu', 'viewMenu']);
  });

  it('installApplicationMenu replaces Electron\'s default menu with the packaged one', () => {
    fake.app.isPackaged = true;
    installApplicationMenu();
    expect(fake.menu.application).toEqual({ template: applicationMenu(true) });
    expect(roles(fake.menu.application!.template as never)).not.toContain('toggleDevTools');
  });
});

describe('saveWithDialog', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'till-save-'));
    return () => rmSync(dir, { recursive: true, force: true });
  });

  it("writes where the cashier chose, outside the app's folder", async () => {
    fake.dialog.savePath = join(dir, 'out', 'sales.csv');
    mkdirSync(join(dir, 'out'));
    expect(await saveWithDialog(undefined, 'sales.csv', 'a,b\n', [], [join(dir, 'userData')])).toEqual({ path: join(dir, 'out', 'sales.csv') });
    expect(readFileSync(join(dir, 'out', 'sales.csv'), 'utf8')).toBe('a,b\n');
  });

  it('a cancelled dialog writes nothing', async () => {
    fake.dialog.savePath = undefined;
    expect(await saveWithDialog(undefined, 'sales.csv', 'x', [], [dir])).toEqual({ path: null });
  });

  it('the live journal chosen as the target is refused and left as it was', async () => {
    const userData = join(dir, 'userData');
    mkdirSync(join(userData, 'journal'), { recursive: true });
    writeFileSync(join(userData, 'journal', 'journal.sqlite'), 'SQLite format 3');
    fake.dialog.savePath = join(userData, 'journal', 'journal.sqlite');
    expect(await saveWithDialog(undefined, 'sales.csv', 'type,out_trade_no\n', [], [userData])).toEqual({ refused: expect.any(String) });
    expect(readFileSync(join(userData, 'journal', 'journal.sqlite'), 'utf8')).toBe('SQLite format 3');
  });
});

