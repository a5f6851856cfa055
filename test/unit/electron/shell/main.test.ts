import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, onTestFinished, vi } from 'vitest';
import { EVENTS, METHODS, type AppStatus, type IpcResult, type MethodName } from '../../../../shared/contract';
import { WINDOW_ARG } from '../../../../electron/windows';
import { fake, fakeEvent, resetFakeElectron, type FakeBrowserWindow } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron);
vi.mock('electron-store', async () => (await import('./fake-electron')).fakeElectronStore);
vi.mock('electron-updater', async () => (await import('./fake-electron')).fakeElectronUpdater);

// main.ts wired to the fake electron: it runs at import, so each case loads
// it afresh and shuts it down through 'before-quit' the way the app quits.
// The till behind it is the real one in training mode (in-process simulator
// on 127.0.0.1, journal in a temporary userData).

let userData: string;

beforeEach(() => {
  resetFakeElectron();
  vi.resetModules();
  userData = mkdtempSync(join(tmpdir(), 'till-main-'));
  fake.app.userData = userData;
});

afterEach(async () => {
  await quit();
  rmSync(userData, { recursive: true, force: true });
});

/** Quits the way Electron does: before-quit (main defers it until the service stopped), then quit again. */
async function quit(): Promise<void> {
  if (fake.app.listenerCount('before-quit') === 0) return;
  const event = fakeEvent();
  const quits = fake.app.quitCalls;
  fake.app.emit('before-quit', event);
  if (!event.defaultPrevented) return;
  const deadline = Date.now() + 5_000;
  while (fake.app.quitCalls === quits && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
  fake.app.removeAllListeners('before-quit');
}

const windows = () => fake.windows;
const kindOf = (win: FakeBrowserWindow) => (win.options.webPreferences as { additionalArguments: string[] }).additionalArguments[0]!.slice(WINDOW_ARG.length);
const byKind = (kind: 'cashier' | 'customer') => {
  const win = windows().find((w) => kindOf(w) === kind);
  if (!win) throw new Error(`no ${kind} window`);
  return win;
};

async function invoke<T>(from: FakeBrowserWindow | { webContents: { id: number; mainFrame: object } }, name: MethodName, input?: unknown): Promise<IpcResult<T>> {
  const handler = fake.ipcMain.handlers.get(METHODS[name].channel);
  if (!handler) throw new Error(`no handler for ${name}`);
  const contents = from.webContents;
  return (await handler({ sender: contents, senderFrame: contents.mainFrame }, input)) as IpcResult<T>;
}

async function startApp(): Promise<void> {
  await import('../../../../electron/main');
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (fake.ipcMain.handlers.size > 0) {
      const status = await invoke<AppStatus>(byKind('cashier'), 'status');
      if (status.ok && status.value.ready) return;
    }
    if (Date.now() > deadline) throw new Error('the app did not become ready');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('main.ts', () => {
  it('a second instance quits at once and opens nothing', async () => {
    fake.app.singleInstanceLock = false;
    await import('../../../../electron/main');
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(fake.app.quitCalls).toBe(1);
    expect(windows()).toEqual([]);
    expect(fake.ipcMain.handlers.size).toBe(0);
  });

  it('opens the cashier window and the customer display, both locked down, and hardens the session', async () => {
    fake.app.isPackaged = true;
    await startApp();
    expect(windows().map(kindOf).sort()).toEqual(['cashier', 'customer']);
    for (const win of windows()) {
      expect(win.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webSecurity: true, webviewTag: false });
      expect(win.webContents.windowOpenHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    }
    expect(fake.session.defaultSession.permissionRequestHandler).toBeTypeOf('function');
    expect(fake.session.defaultSession.headersHandler).toBeTypeOf('function');
    expect(fake.app.listenerCount('web-contents-created')).toBe(1);
    // Issue 10: downloads refused, Electron's default menu (View → Toggle Developer Tools) replaced, userData private.
    expect(fake.session.defaultSession.listenerCount('will-download')).toBe(1);
    expect(fake.menu.application).toBeDefined();
    expect(JSON.stringify(fake.menu.application)).not.toMatch(/viewMenu|toggleDevTools|reload/i);
    for (const win of windows()) expect(win.options.webPreferences).toMatchObject({ devTools: false, disableBlinkFeatures: 'Auxclick' });
    expect(statSync(userData).mode & 0o777).toBe(0o700);
  });

  it('registers every contract channel, and starts in training mode, ready', async () => {
    await startApp();
    expect([...fake.ipcMain.handlers.keys()].sort()).toEqual(Object.values(METHODS).map((m) => m.channel).sort());
    expect(await invoke(byKind('cashier'), 'status')).toMatchObject({ ok: true, value: { mode: 'training', ready: true, keyStorage: 'none', openWork: 0 } });
  });

  it('tells each window which window it is by its web contents: the customer display cannot charge, a stranger cannot do anything', async () => {
    await startApp();
    expect(await invoke(byKind('customer'), 'charge', { amountMinor: 100, currency: 'HKD' })).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await invoke(byKind('customer'), 'displayState')).toMatchObject({ ok: true, value: { kind: 'idle', training: true } });
    const stranger = { webContents: { id: 99_999, mainFrame: {} } };
    expect(await invoke(stranger, 'displayState')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
  });

  it('sends each event only to the windows the contract names', async () => {
    await startApp();
    const cashier = byKind('cashier').webContents.sent.map((m) => m.channel);
    const customer = byKind('customer').webContents.sent.map((m) => m.channel);
    expect(cashier).toContain(EVENTS.onStatus.channel);
    expect(cashier).toContain(EVENTS.onDisplay.channel);
    expect(customer).toContain(EVENTS.onDisplay.channel);
    expect(new Set(customer)).toEqual(new Set([EVENTS.onDisplay.channel]));
  });

  it('a sale through the cashier window reaches the customer display as a QR', async () => {
    await startApp();
    const charged = await invoke<{ outTradeNo: string }>(byKind('cashier'), 'charge', { amountMinor: 880, currency: 'HKD' });
    expect(charged.ok).toBe(true);
    const deadline = Date.now() + 5_000;
    const qr = () => byKind('customer').webContents.sent.find((m) => m.channel === EVENTS.onDisplay.channel && (m.payload as { kind: string }).kind === 'qr');
    while (!qr() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(qr()?.payload).toMatchObject({ kind: 'qr', amountMinor: 880, currency: 'HKD', training: true });
    // Single screen: the overlay comes up for the QR.
    byKind('customer').emit('ready-to-show');
    expect(byKind('customer').visible).toBe(true);
    expect(await invoke(byKind('cashier'), 'cancel', {})).toMatchObject({ ok: true });
  });

  it('one screen: the customer display is an overlay, hidden while idle', async () => {
    await startApp();
    const customer = byKind('customer');
    customer.emit('ready-to-show');
    expect(customer.bounds).toEqual(fake.screen.displays[0]!.bounds);
    expect(customer.visible).toBe(false);
  });

  it('two screens: full screen on the second; unplugging it turns it into the hidden overlay', async () => {
    const second = { id: 2, bounds: { x: 1920, y: 0, width: 1280, height: 1024 } };
    fake.screen.displays = [...fake.screen.displays, second];
    await startApp();
    const customer = byKind('customer');
    customer.emit('ready-to-show');
    expect(customer.bounds).toEqual(second.bounds);
    expect(customer.fullScreen).toBe(true);
    expect(customer.visible).toBe(true);

    fake.screen.displays = fake.screen.displays.filter((d) => d.id !== 2);
    fake.screen.emit('display-removed', {}, second);
    expect(customer.bounds).toEqual(fake.screen.displays[0]!.bounds);
    expect(customer.visible).toBe(false);

    fake.screen.displays = [...fake.screen.displays, second];
    fake.screen.emit('display-added', {}, second);
    expect(customer.bounds).toEqual(second.bounds);
    expect(customer.visible).toBe(true);
  });

  it("the 'off' setting hides the customer display, applied as soon as settings change", async () => {
    fake.screen.displays = [...fake.screen.displays, { id: 2, bounds: { x: 1920, y: 0, width: 1280, height: 1024 } }];
    await startApp();
    const customer = byKind('customer');
    customer.emit('ready-to-show');
    expect(customer.visible).toBe(true);
    expect(await invoke(byKind('cashier'), 'updateSettings', { patch: { customerDisplay: 'off' } })).toMatchObject({ ok: true });
    expect(customer.visible).toBe(false);
  });

  it('quitting waits for the till to stop, then quits', async () => {
    await startApp();
    const event = fakeEvent();
    fake.app.emit('before-quit', event);
    expect(event.defaultPrevented).toBe(true);
    const deadline = Date.now() + 5_000;
    while (fake.app.quitCalls === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fake.app.quitCalls).toBe(1);
    expect(await invoke(byKind('cashier'), 'status')).toMatchObject({ ok: true, value: { ready: false } });
    // The second before-quit (from app.quit()) goes through.
    const again = fakeEvent();
    fake.app.emit('before-quit', again);
    expect(again.defaultPrevented).toBe(false);
  });

  it("a first run takes the language from the system locale", async () => {
    fake.app.locale = 'en-GB';
    await startApp();
    expect(await invoke(byKind('cashier'), 'settings')).toMatchObject({ ok: true, value: { language: 'en' } });
  });

  it('a settings file it cannot read: the cashier is told and the app quits, rather than running with no window', async () => {
    fake.storeCorrupt = true;
    await import('../../../../electron/main');
    const deadline = Date.now() + 2_000;
    while (fake.app.quitCalls === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    expect(fake.app.quitCalls).toBe(1);
    expect(fake.dialog.errors).toHaveLength(1);
    expect(fake.dialog.errors[0]!.content).toContain('Unexpected token');
  });

  it('a second launch focuses the cashier window', async () => {
    await startApp();
    const cashier = byKind('cashier');
    cashier.minimized = true;
    fake.app.emit('second-instance');
    expect(cashier.minimized).toBe(false);
    expect(cashier.calls).toContain('focus');
  });
});

describe('main.ts: crashes are logged and survived', () => {
  const logLines = () => readFileSync(join(userData, 'logs', 'till.log'), 'utf8');

  it('a crashed window is reloaded with the "screen restarted" banner; the sale and the till carry on', async () => {
    await startApp();
    const cashier = byKind('cashier');
    expect(await invoke(cashier, 'charge', { amountMinor: 1230, currency: 'HKD' })).toMatchObject({ ok: true });
    fake.app.emit('render-process-gone', fakeEvent(), cashier.webContents, { reason: 'crashed', exitCode: 139 });
    expect(cashier.loaded).toEqual({ file: expect.stringMatching(/cashier\.html$/), query: { restarted: '1' } });
    expect(byKind('customer').loaded.query).toBeUndefined();
    expect(logLines()).toMatch(/ERROR a window crashed \{"window":"cashier","reason":"crashed","exitCode":139\}/);
    expect(await invoke(cashier, 'status')).toMatchObject({ ok: true, value: { ready: true, openWork: 1 } });
    expect(await invoke(cashier, 'cancel', {})).toMatchObject({ ok: true });
  });

  it('an exception nobody caught in main is logged with its stack, and the handler goes away when the app stops', async () => {
    const before = process.listeners('uncaughtException');
    await startApp();
    const added = process.listeners('uncaughtException').filter((l) => !before.includes(l));
    expect(added).toHaveLength(1);
    // Called directly: emitting on the test runner's own process would fail the run.
    (added[0] as (error: Error, origin: string) => void)(new Error('boom in a timer'), 'uncaughtException');
    expect(logLines()).toMatch(/ERROR uncaught exception in the main process; the till keeps running \{"error":"boom in a timer","stack":"Error: boom in a timer\\n\s+at /);
    expect(await invoke(byKind('cashier'), 'status')).toMatchObject({ ok: true, value: { ready: true } });
    await quit();
    expect(process.listeners('uncaughtException').filter((l) => !before.includes(l))).toEqual([]);
  });

  it('the log says where the training simulator listens (support and the real-Electron smoke test pay through it)', async () => {
    process.env.TILL_TRAINING_SIM_TOKEN = 'launcher-token-for-the-test';
    onTestFinished(() => {
      delete process.env.TILL_TRAINING_SIM_TOKEN;
    });
    await startApp();
    expect(logLines()).not.toContain('launcher-token-for-the-test');
    const opened = logLines().split('\n').find((l) => l.includes('till opened in training mode')) ?? '';
    const url = /"simulator":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(opened)?.[1];
    expect(url).toBeDefined();
    const charged = await invoke<{ outTradeNo: string }>(byKind('cashier'), 'charge', { amountMinor: 700, currency: 'HKD' });
    expect(charged.ok).toBe(true);
    const outTradeNo = charged.ok ? charged.value.outTradeNo : '';
    const body = JSON.stringify({ out_trade_no: outTradeNo });
    // Without the launcher's token the control API refuses (a web page cannot pay for the customer)…
    const refused = await fetch(`${url}/__sim/pay`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body });
    expect(refused.status).toBe(403);
    // …with it, the customer pays.
    const paid = await fetch(`${url}/__sim/pay`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Sim-Token': 'launcher-token-for-the-test' }, body });
    expect(paid.status).toBe(200);
    await vi.waitFor(async () => expect(await invoke(byKind('cashier'), 'status')).toMatchObject({ ok: true, value: { openWork: 0 } }), { timeout: 10_000 });
  });

  it('a GPU process that died is logged', async () => {
    await startApp();
    fake.app.emit('child-process-gone', fakeEvent(), { type: 'GPU', reason: 'crashed', exitCode: 11 });
    expect(logLines()).toContain('a helper process crashed {"type":"GPU","name":null,"reason":"crashed","exitCode":11}');
  });
});

describe('main.ts: updates', () => {
  const FEED = 'https://updates.example/till/';

  it('with no feed URL in Settings, updates are off: nothing is asked', async () => {
    await startApp();
    await vi.waitFor(() => expect(fake.updater.autoDownload).toBe(true));
    expect(fake.updater.checks).toBe(0);
    expect(fake.updater.allowDowngrade).toBe(false);
  });

  it('with a feed URL: checks at start and after each Z, from that generic feed', async () => {
    fake.storeData.set('userData/settings', { updateFeedUrl: FEED });
    await startApp();
    await vi.waitFor(() => expect(fake.updater.checks).toBe(1));
    expect(fake.updater.feeds).toEqual([{ provider: 'generic', url: FEED }]);
    expect(await invoke(byKind('cashier'), 'zReport', {})).toMatchObject({ ok: true });
    await vi.waitFor(() => expect(fake.updater.checks).toBe(2));
  });

  it('a downloaded update is not installed at quit while a sale is open', async () => {
    await startApp();
    expect(await invoke(byKind('cashier'), 'updateSettings', { patch: { updateFeedUrl: FEED } })).toMatchObject({ ok: true });
    fake.updater.emit('update-available', { version: '9.0.0' });
    fake.updater.emit('update-downloaded', { version: '9.0.0' });
    expect(await invoke(byKind('cashier'), 'charge', { amountMinor: 500, currency: 'HKD' })).toMatchObject({ ok: true });
    fake.app.emit('before-quit', fakeEvent());
    expect(fake.updater.autoInstallOnAppQuit).toBe(false);
  });

  it('"Restart to update": the status shows the downloaded version; refused while a sale is open, then installs and restarts', async () => {
    await startApp();
    const cashier = byKind('cashier');
    expect(await invoke(cashier, 'updateStatus')).toEqual({ ok: true, value: { state: 'off' } });
    expect(await invoke(cashier, 'restartToUpdate', {})).toMatchObject({ ok: false, error: { code: 'not_available' } });
    fake.updater.emit('update-downloaded', { version: '9.0.0' });
    expect(await invoke(cashier, 'updateStatus')).toEqual({ ok: true, value: { state: 'ready', version: '9.0.0' } });
    expect(await invoke(cashier, 'charge', { amountMinor: 500, currency: 'HKD' })).toMatchObject({ ok: true });
    expect(await invoke(cashier, 'restartToUpdate', {})).toMatchObject({ ok: false, error: { code: 'open_work' } });
    expect(fake.updater.installs).toEqual([]);
    expect(await invoke(cashier, 'cancel', {})).toMatchObject({ ok: true });
    await vi.waitFor(async () => expect(await invoke(cashier, 'status')).toMatchObject({ ok: true, value: { openWork: 0 } }));
    expect(await invoke(cashier, 'restartToUpdate', {})).toEqual({ ok: true, value: { version: '9.0.0' } });
    expect(fake.updater.installs).toEqual([[false, true]]);
  });

  it('"Restart to update" is only for the cashier window, and asks for the PIN when one is set', async () => {
    await startApp();
    const cashier = byKind('cashier');
    expect(await invoke(byKind('customer'), 'restartToUpdate', {})).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    expect(await invoke(cashier, 'setPin', { newPin: '2468' })).toMatchObject({ ok: true });
    fake.updater.emit('update-downloaded', { version: '9.0.0' });
    expect(await invoke(cashier, 'restartToUpdate', {})).toMatchObject({ ok: false, error: { code: 'pin_required' } });
    expect(fake.updater.installs).toEqual([]);
    expect(await invoke(cashier, 'restartToUpdate', { pin: '2468' })).toMatchObject({ ok: true });
  });
});
