import { BrowserWindow, app, session, type BrowserWindowConstructorOptions, type WebContents, type WebPreferences } from 'electron';
import { join } from 'node:path';
import type { WindowKind } from '../shared/contract';
import type { DisplayState } from '../shared/display';
import type { Placement } from './service/displays';

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
    additionalArguments: [`${WINDOW_ARG}${kind}`],
  };
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
  const page = `${options.kind}.html`;
  if (options.devUrl) void win.loadURL(`${options.devUrl.replace(/\/$/, '')}/${page}`);
  else void win.loadFile(join(options.rendererDir, page));
  return win;
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

/** With a single screen the customer display is an overlay: up while the customer has something to see. */
export function showForState(win: BrowserWindow, placement: Placement, state: DisplayState): void {
  if (placement.mode !== 'overlay') return;
  if (state.kind === 'idle') win.hide();
  else {
    win.setAlwaysOnTop(true, 'screen-saver');
    win.show();
  }
}
