import { BrowserWindow, app, dialog, ipcMain, screen, type WebContents } from 'electron';
import { autoUpdater } from 'electron-updater';
import { join } from 'node:path';
import { EVENTS, type EventName, type PayloadOf, type WindowKind } from '../shared/contract';
import type { DisplayState } from '../shared/display';
import { languageForLocale } from '../shared/settings';
import { registerIpc } from './ipc';
import { RESTARTED_QUERY, guardMainProcess, guardRenderers } from './service/crash-guard';
import { placeCustomerDisplay, type Placement } from './service/displays';
import { RotatingFileLog } from './service/log';
import { SettingsManager } from './service/settings-manager';
import { TillService } from './service/till-service';
import { Updater, checkingAfterZ } from './service/updater';
import { electronStoreBackend, osSecretBox } from './settings';
import { newUdid } from './till/core';
import { applyPlacement, createSecureWindow, hardenSession, installApplicationMenu, loadPage, printHtmlInWindow, printReceiptSilently, rasteriseReceipt, saveWithDialog, showForState } from './windows';
import { ensurePrivateDir } from './service/file-modes';

// Wires the app together: one instance, a hardened session, settings, the
// till service (training mode without credentials), the two windows and the
// IPC contract. Everything with logic lives in modules tested without Electron.

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  start().catch((error: unknown) => {
    // Without settings or windows there is no till: say why and quit, rather than run on invisibly
    // (an unreadable settings.json throws here; it is kept for support to inspect).
    dialog.showErrorBox('WeChat Pay Till could not start', error instanceof Error ? error.message : String(error));
    app.quit();
  });
}

async function start(): Promise<void> {
  await app.whenReady();
  hardenSession();
  installApplicationMenu();

  const userData = app.getPath('userData');
  // Settings, journal and log live here: readable by this user only.
  ensurePrivateDir(userData);
  const settings = new SettingsManager(electronStoreBackend(), osSecretBox(), () => newUdid(Math.random), { language: languageForLocale(app.getLocale()) });
  const log = new RotatingFileLog(join(userData, 'logs'), () => [settings.clientKey(), settings.current.appCode, settings.officePassword()].filter((s): s is string => !!s));
  log.log('info', `starting ${app.getName()} ${app.getVersion()}`);
  const unguardMain = guardMainProcess(process, log);

  const rendererDir = join(__dirname, '../renderer');
  const preload = join(__dirname, '../preload/preload.js');
  const devUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
  const windows = new Map<number, { kind: WindowKind; win: BrowserWindow }>();

  const cashier = createSecureWindow({ kind: 'cashier', preload, devUrl, rendererDir, window: { width: 1280, height: 800, minWidth: 960, minHeight: 640, title: 'WeChat Pay Till' } });
  const customer = createSecureWindow({ kind: 'customer', preload, devUrl, rendererDir, window: { frame: false, title: 'Customer display' } });
  windows.set(cashier.webContents.id, { kind: 'cashier', win: cashier });
  windows.set(customer.webContents.id, { kind: 'customer', win: customer });
  cashier.once('ready-to-show', () => cashier.show());
  // A crashed page is loaded again with the "screen restarted" banner; the sale is in the engine.
  guardRenderers(app, log, (contents) => {
    const entry = windows.get((contents as WebContents).id);
    if (!entry || entry.win.isDestroyed()) return undefined;
    return { kind: entry.kind, reload: () => loadPage(entry.win, { kind: entry.kind, devUrl, rendererDir }, { [RESTARTED_QUERY]: '1' }) };
  });
  cashier.on('closed', () => app.quit());

  let placement: Placement = { mode: 'off' };
  let lastDisplay: DisplayState | undefined;
  const place = () => {
    placement = placeCustomerDisplay(screen.getAllDisplays(), screen.getPrimaryDisplay().id, settings.current.customerDisplay);
    applyPlacement(customer, placement);
    if (lastDisplay) showForState(customer, placement, lastDisplay);
  };
  screen.on('display-added', place);
  screen.on('display-removed', place);
  screen.on('display-metrics-changed', place);

  const broadcast = <K extends EventName>(event: K, payload: PayloadOf<K>) => {
    const allowed = EVENTS[event].windows as readonly WindowKind[];
    for (const { kind, win } of windows.values()) if (allowed.includes(kind) && !win.isDestroyed()) win.webContents.send(EVENTS[event].channel, payload);
    if (event === 'onDisplay') {
      lastDisplay = payload as DisplayState;
      showForState(customer, placement, lastDisplay);
    }
    if (event === 'onSettings') place();
  };

  const service = new TillService({
    settings,
    dataDir: join(userData, 'journal'),
    log,
    broadcast,
    // Exports never land in the app's own folder (the journal, settings and log live there).
    saveFile: (name, content, filters) => saveWithDialog(cashier, name, content, filters, [userData]),
    printHtml: (html, options) => printHtmlInWindow(cashier, html, options, [userData]),
    updates: (): Updater => updater,
    // Set only by whoever launches the app (the smoke test); a web page can neither read nor set it.
    tillOptions: { simulatorControlToken: process.env.TILL_TRAINING_SIM_TOKEN || undefined },
    receipts: { osPrint: printReceiptSilently, rasterise: rasteriseReceipt },
    // Head office (issue 15): the Settings' URL with its kept password, joined here in main only;
    // TILL_OFFICE_URL, set by whoever launches the app, overrides it for support.
    headOfficeUrl: () => process.env.TILL_OFFICE_URL || settings.headOfficeUrl(),
  });
  // Updates from the feed in Settings: looked for at start and after each Z, installed only with nothing open.
  const updater: Updater = new Updater({ updater: autoUpdater, app, feedUrl: () => settings.current.updateFeedUrl, openWork: (): number => service.status().openWork, log });
  registerIpc(ipcMain, checkingAfterZ(service, updater), { kindOf: (id) => windows.get(id)?.kind });
  customer.once('ready-to-show', place);

  app.on('second-instance', () => {
    if (cashier.isMinimized()) cashier.restore();
    cashier.focus();
  });

  // Clean shutdown: stop polling and let the journal take the last answers.
  let stopping = false;
  app.on('before-quit', (event) => {
    if (stopping) return;
    stopping = true;
    event.preventDefault();
    updater.beforeQuit();
    void service.stop().finally(() => {
      log.log('info', 'stopped');
      unguardMain();
      app.quit();
    });
  });
  app.on('window-all-closed', () => app.quit());

  try {
    await service.start();
  } catch (error) {
    log.log('error', 'the till could not start', { error: error instanceof Error ? error.message : String(error) });
  }
  void updater.check('start');
}
