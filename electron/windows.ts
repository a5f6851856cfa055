import { BrowserWindow, Menu, app, dialog, session, type BrowserWindowConstructorOptions, type MenuItemConstructorOptions, type WebContents, type WebPreferences } from 'electron';
import { join } from 'node:path';
import type { WindowKind } from '../shared/contract';
import type { DisplayState } from '../shared/display';
import type { Placement } from './service/displays';
import { writeExport } from './service/export-target';
import type { FileFilter, PrintOptions, SaveOutcome } from './service/report-handlers';

// One way to make a window (STYLE.md): the same locked-down web preferences,
// CSP, navigation and window-open denial and permission handling for the
// cashier window and the customer display.

export { CONTENT_SECURITY_POLICY } from '../shared/csp';
import { CONTENT_SECURITY_POLICY } from '../shared/csp';

export const WINDOW_ARG = '--till-window=';

export function secureWebPreferences(kind: WindowKind, preload: string): WebPreferences {
  return {
    preload,
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
    // DevTools script IPC (and so the PIN): a development aid only.
    devTools: !app.isPackaged,
    // Middle-click opens links in new windows: nothing here should.
    disableBlinkFeatures: 'Auxclick',
    additionalArguments: [`${WINDOW_ARG}${kind}`],
  };
}

/**
 * The packaged app's menu: quit and the edit keys only (Electron's default
 * has View → Toggle Developer Tools and Reload). Development keeps a View menu.
 */
export function applicationMenu(isPackaged: boolean, platform: NodeJS.Platform = process.platform): MenuItemConstructorOptions[] {
  const menu: MenuItemConstructorOptions[] = [];
  if (platform === 'darwin') menu.push({ role: 'appMenu', submenu: [{ role: 'about' }, { type: 'separator' }, { role: 'hide' }, { role: 'quit' }] });
  else menu.push({ role: 'fileMenu', submenu: [{ role: 'quit' }] });
  menu.push({ role: 'editMenu', submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }] });
  if (!isPackaged) menu.push({ role: 'viewMenu' });
  return menu;
}

export function installApplicationMenu(): void {
  Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenu(app.isPackaged)));
}

export interface SecureWindowOptions {
  kind: WindowKind;
  preload: string;
  /** A dev-server URL, or undefined to load the built file. */
  devUrl: string | undefined;
  rendererDir: string;
  window?: BrowserWindowConstructorOptions;
}

export function createSecureWindow(options: SecureWindowOptions): BrowserWindow {
  const win = new BrowserWindow({
    show: false,
    backgroundColor: options.kind === 'customer' ? '#000000' : '#f4f5f7',
    autoHideMenuBar: true,
    ...options.window,
    webPreferences: secureWebPreferences(options.kind, options.preload),
  });
  guardContents(win.webContents);
  loadPage(win, options);
  return win;
}

/** Loads (or loads again) a window's page, from the dev server or the built files, with an optional query. */
export function loadPage(win: BrowserWindow, options: Pick<SecureWindowOptions, 'kind' | 'devUrl' | 'rendererDir'>, query: Record<string, string> = {}): void {
  const page = `${options.kind}.html`;
  const search = new URLSearchParams(query).toString();
  if (options.devUrl) void win.loadURL(`${options.devUrl.replace(/\/$/, '')}/${page}${search ? `?${search}` : ''}`);
  else void win.loadFile(join(options.rendererDir, page), { query });
}

/** Denies navigation, new windows and webviews for one web contents. */
export function guardContents(contents: WebContents): void {
  contents.on('will-navigate', (event) => event.preventDefault());
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(() => ({ action: 'deny' }));
}

/** App-wide: every web contents guarded, every permission refused, the CSP on every response. */
export function hardenSession(): void {
  app.on('web-contents-created', (_event, contents) => guardContents(contents));
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  // Nothing in the till downloads: a link or script that tries gets nothing written.
  ses.on('will-download', (event) => event.preventDefault());
}

/** Puts the customer display where the placement says. */
export function applyPlacement(win: BrowserWindow, placement: Placement): void {
  if (placement.mode === 'off') {
    win.hide();
    return;
  }
  win.setBounds(placement.display.bounds);
  win.setFullScreen(true);
  if (placement.mode === 'fullscreen') win.showInactive();
}

/**
 * With a single screen the customer display is an overlay: up while the
 * customer has something to see — but not while the cashier is still typing
 * the amount (it would cover the keypad on that same screen).
 */
export function showForState(win: BrowserWindow, placement: Placement, state: DisplayState): void {
  if (placement.mode !== 'overlay') return;
  if (state.kind === 'idle' || state.kind === 'due') win.hide();
  else {
    win.setAlwaysOnTop(true, 'screen-saver');
    win.show();
  }
}

// ---- saving and printing reports -------------------------------------------------------

/**
 * The save dialog (over `parent`), then the file written, unless the place
 * chosen is inside one of `protectedDirs` (the app's own data) or another
 * name for a file (export-target.ts).
 */
export async function saveWithDialog(parent: BrowserWindow | undefined, defaultName: string, content: string | Buffer, filters: FileFilter[], protectedDirs: readonly string[]): Promise<SaveOutcome> {
  const options = { defaultPath: join(app.getPath('documents'), defaultName), filters };
  const chosen = parent && !parent.isDestroyed() ? await dialog.showSaveDialog(parent, options) : await dialog.showSaveDialog(options);
  if (chosen.canceled || !chosen.filePath) return { path: null };
  const written = await writeExport(chosen.filePath, content, protectedDirs);
  return written.ok ? { path: written.path } : { refused: written.reason };
}

/** 80 mm receipt paper (72 mm printable) for the system print dialog, in microns. */
const RECEIPT_WIDTH_MICRONS = 80_000;
const MICRONS_PER_INCH = 25_400;

/**
 * Prints a report page or saves it as a PDF from a hidden window with the
 * same locked-down preferences as ours (no preload: the page is inert HTML
 * whose own CSP allows no script), loaded from a data: URL so nothing touches the disk.
 */
export async function printHtmlInWindow(
  parent: BrowserWindow | undefined,
  html: string,
  options: PrintOptions,
  protectedDirs: readonly string[],
): Promise<{ done: boolean; path: string | null } | { refused: string }> {
  const { preload: _none, additionalArguments: _args, ...prefs } = secureWebPreferences('cashier', '');
  const win = new BrowserWindow({ show: false, width: 900, height: 1200, webPreferences: prefs });
  guardContents(win.webContents);
  try {
    await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(html)}`);
    const heightMicrons = Math.max(100_000, Math.ceil(((await pageHeightPx(win.webContents)) / 96) * MICRONS_PER_INCH) + 10_000);
    if (options.output === 'print') {
      const pageSize = options.layout === 'a4' ? ('A4' as const) : { width: RECEIPT_WIDTH_MICRONS, height: heightMicrons };
      const done = await new Promise<boolean>((resolve) => win.webContents.print({ silent: false, printBackground: true, pageSize }, (success) => resolve(success)));
      return { done, path: null };
    }
    // printToPDF takes inches, print() microns.
    const pdfSize = options.layout === 'a4' ? ('A4' as const) : { width: RECEIPT_WIDTH_MICRONS / MICRONS_PER_INCH, height: heightMicrons / MICRONS_PER_INCH };
    const pdf = await win.webContents.printToPDF({ pageSize: pdfSize, printBackground: true, margins: options.layout === 'a4' ? { top: 0.4, bottom: 0.4, left: 0.4, right: 0.4 } : { top: 0, bottom: 0, left: 0, right: 0 } });
    const saved = await saveWithDialog(parent, options.defaultName, pdf, [{ name: 'PDF', extensions: ['pdf'] }], protectedDirs);
    return 'refused' in saved ? saved : { done: saved.path !== null, path: saved.path };
  } finally {
    if (!win.isDestroyed()) win.destroy();
  }
}

/** The rendered page's height in CSS pixels (a receipt is one long page), or an A4 height if it cannot be read. */
async function pageHeightPx(contents: WebContents): Promise<number> {
  try {
    const height: unknown = await contents.executeJavaScript('document.documentElement.scrollHeight', true);
    return typeof height === 'number' && Number.isFinite(height) && height > 0 ? height : 1123;
  } catch {
    return 1123;
  }
}

// ---- receipts on an operating-system printer (issue 14) ---------------------------------

/** The print system must take the job within this long (the receipt module's printer deadline). */
const RECEIPT_PRINT_DEADLINE_MS = 5_000;

/** receiptline's SVG states its size in px (576 wide for 80 mm, 384 for 58 mm). */
function svgSize(svg: string): { width: number; height: number } {
  const m = /^<svg width="(\d+)px" height="(\d+)px"/.exec(svg);
  return m ? { width: Number(m[1]), height: Number(m[2]) } : { width: 576, height: 1000 };
}

/** The page is the roll, not A4: the paper's width, and as long as the receipt (microns). */
export function receiptPageSize(svg: string, paperWidth: 80 | 58): { width: number; height: number } {
  const size = svgSize(svg);
  const width = paperWidth * 1000;
  return { width, height: Math.max(30_000, Math.ceil((width * size.height) / size.width)) };
}

/** The receipt image as an inert page (no script; its own CSP), scaled to the page width. */
function receiptPage(svg: string): string {
  return `<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'"><style>@page{margin:0}html,body{margin:0;background:#fff}svg{display:block;width:100%;height:auto}</style></head><body>${svg}</body></html>`;
}

function hiddenReceiptWindow(width: number, height: number, offscreen: boolean): BrowserWindow {
  const { preload: _none, additionalArguments: _args, ...prefs } = secureWebPreferences('cashier', '');
  const win = new BrowserWindow({ show: false, width, height, useContentSize: true, webPreferences: { ...prefs, offscreen } });
  guardContents(win.webContents);
  return win;
}

/**
 * Electron's silent printing of the receipt image on printer `printerName`,
 * on a page the size of the roll. Resolves within the deadline whatever the
 * print system does: a stuck spooler never holds the cashier.
 */
export async function printReceiptSilently(printerName: string, svg: string, paperWidth: 80 | 58): Promise<{ ok: true } | { ok: false; message: string }> {
  const win = hiddenReceiptWindow(600, 800, false);
  let timer: NodeJS.Timeout | undefined;
  try {
    await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(receiptPage(svg))}`);
    const printed = new Promise<{ ok: true } | { ok: false; message: string }>((resolve) =>
      win.webContents.print({ silent: true, deviceName: printerName, printBackground: true, margins: { marginType: 'none' }, pageSize: receiptPageSize(svg, paperWidth) }, (success, reason) =>
        resolve(success ? { ok: true } : { ok: false, message: reason || 'the print system refused the job' }),
      ),
    );
    const deadline = new Promise<{ ok: false; message: string }>((resolve) => {
      timer = setTimeout(() => resolve({ ok: false, message: `the print system did not take the receipt within ${RECEIPT_PRINT_DEADLINE_MS / 1000} s` }), RECEIPT_PRINT_DEADLINE_MS);
    });
    return await Promise.race([printed, deadline]);
  } finally {
    clearTimeout(timer);
    if (!win.isDestroyed()) win.destroy();
  }
}

/** The receipt SVG drawn to a PNG `widthPx` wide (for printers without a Chinese font: the "image" code page). */
export async function rasteriseReceipt(svg: string, widthPx: number): Promise<Buffer> {
  const size = svgSize(svg);
  const win = hiddenReceiptWindow(widthPx, Math.ceil((size.height * widthPx) / size.width), true);
  try {
    await win.loadURL(`data:text/html;charset=utf-8,${encodeURIComponent(receiptPage(svg))}`);
    return (await win.webContents.capturePage()).toPNG();
  } finally {
    if (!win.isDestroyed()) win.destroy();
  }
}
