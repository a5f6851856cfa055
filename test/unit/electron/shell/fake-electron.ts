import { EventEmitter } from 'node:events';
import { request as httpRequest, type ClientRequest, type RequestOptions } from 'node:http';

// A stand-in for the `electron` module (the binary cannot be downloaded on
// these machines). Tests mock it with
//   vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron)
// and then inspect what the shell did to it: windows made and their options,
// handlers registered on the session and on ipcMain, what the preload
// exposed. Only the parts the five shell files use are here.

/** An event object whose preventDefault() can be observed. */
export interface FakeEvent {
  defaultPrevented: boolean;
  preventDefault(): void;
}

export function fakeEvent(): FakeEvent {
  return {
    defaultPrevented: false,
    preventDefault() {
      this.defaultPrevented = true;
    },
  };
}

export interface FakeFrame {
  readonly name: string;
}

let nextContentsId = 100;

export class FakeWebContents extends EventEmitter {
  readonly id = nextContentsId++;
  readonly mainFrame: FakeFrame = { name: 'main' };
  windowOpenHandler: ((details: { url: string }) => { action: string }) | undefined;
  readonly sent: Array<{ channel: string; payload: unknown }> = [];

  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }

  send(channel: string, payload: unknown): void {
    this.sent.push({ channel, payload });
  }

  /** print(): the options of each call; the callback gets `printAnswer` (undefined: it never answers). */
  readonly printed: Array<Record<string, unknown>> = [];
  printAnswer: [success: boolean, reason: string] | undefined = [true, ''];

  print(options: Record<string, unknown>, callback: (success: boolean, reason: string) => void): void {
    this.printed.push(options);
    if (this.printAnswer) callback(...this.printAnswer);
  }

  capturePage(): Promise<{ toPNG(): Buffer }> {
    return Promise.resolve({ toPNG: () => Buffer.from('fake-png') });
  }

  /** Emits `name` with a fresh preventable event, returning that event. */
  fire(name: string, ...args: unknown[]): FakeEvent {
    const event = fakeEvent();
    this.emit(name, event, ...args);
    return event;
  }
}

export interface Bounds {
  x: number;
  y: number;
  width: number;
  height: number;
}

export class FakeBrowserWindow extends EventEmitter {
  /** Every window made since the last reset (shared by every copy of this module). */
  static get instances(): FakeBrowserWindow[] {
    return fake.windows;
  }
  readonly webContents = new FakeWebContents();
  /** Every call that changes how the window is shown, in order. */
  readonly calls: string[] = [];
  visible = false;
  fullScreen = false;
  alwaysOnTop: { flag: boolean; level: string | undefined } = { flag: false, level: undefined };
  bounds: Bounds | undefined;
  loaded: { url?: string; file?: string; query?: Record<string, string> } = {};
  destroyed = false;
  minimized = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    fake.windows.push(this);
  }

  loadURL(url: string): Promise<void> {
    this.loaded = { url };
    return Promise.resolve();
  }

  loadFile(file: string, options?: { query?: Record<string, string> }): Promise<void> {
    this.loaded = options?.query && Object.keys(options.query).length > 0 ? { file, query: options.query } : { file };
    return Promise.resolve();
  }

  show(): void {
    this.calls.push('show');
    this.visible = true;
  }

  showInactive(): void {
    this.calls.push('showInactive');
    this.visible = true;
  }

  hide(): void {
    this.calls.push('hide');
    this.visible = false;
  }

  focus(): void {
    this.calls.push('focus');
  }

  restore(): void {
    this.minimized = false;
  }

  isMinimized(): boolean {
    return this.minimized;
  }

  isVisible(): boolean {
    return this.visible;
  }

  isDestroyed(): boolean {
    return this.destroyed;
  }

  destroy(): void {
    this.destroyed = true;
  }

  setBounds(bounds: Bounds): void {
    this.calls.push('setBounds');
    this.bounds = bounds;
  }

  setFullScreen(flag: boolean): void {
    this.calls.push(`setFullScreen(${flag})`);
    this.fullScreen = flag;
  }

  setAlwaysOnTop(flag: boolean, level?: string): void {
    this.calls.push(`setAlwaysOnTop(${flag})`);
    this.alwaysOnTop = { flag, level };
  }
}

type PermissionRequestHandler = (contents: unknown, permission: string, callback: (granted: boolean) => void, details?: unknown) => void;
type PermissionCheckHandler = (contents: unknown, permission: string, origin?: string, details?: unknown) => boolean;
type HeadersHandler = (
  details: { url: string; responseHeaders?: Record<string, string[]> },
  callback: (response: { responseHeaders?: Record<string, string[]>; cancel?: boolean }) => void,
) => void;

class FakeSession extends EventEmitter {
  permissionRequestHandler: PermissionRequestHandler | undefined;
  permissionCheckHandler: PermissionCheckHandler | undefined;
  headersHandler: HeadersHandler | undefined;
  readonly webRequest = {
    onHeadersReceived: (handler: HeadersHandler) => {
      this.headersHandler = handler;
    },
  };

  setPermissionRequestHandler(handler: PermissionRequestHandler): void {
    this.permissionRequestHandler = handler;
  }

  setPermissionCheckHandler(handler: PermissionCheckHandler): void {
    this.permissionCheckHandler = handler;
  }
}

class FakeApp extends EventEmitter {
  singleInstanceLock = true;
  isPackaged = false;
  userData = '/nonexistent/userData';
  locale = 'zh-HK';
  quitCalls = 0;

  requestSingleInstanceLock(): boolean {
    return this.singleInstanceLock;
  }

  whenReady(): Promise<void> {
    return Promise.resolve();
  }

  quit(): void {
    this.quitCalls += 1;
  }

  getPath(name: string): string {
    if (name === 'documents') return `${this.userData}-documents`;
    if (name !== 'userData') throw new Error(`fake app.getPath: ${name}`);
    return this.userData;
  }

  getLocale(): string {
    return this.locale;
  }

  getName(): string {
    return 'wechat-pay-till';
  }

  getVersion(): string {
    return '0.0.0-test';
  }
}

type IpcHandler = (event: unknown, ...args: unknown[]) => unknown;

class FakeIpcMain {
  readonly handlers = new Map<string, IpcHandler>();
  readonly handleCalls: string[] = [];
  readonly removed: string[] = [];

  handle(channel: string, handler: IpcHandler): void {
    // Electron throws on a second handler for one channel; so does the fake.
    if (this.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    this.handleCalls.push(channel);
    this.handlers.set(channel, handler);
  }

  removeHandler(channel: string): void {
    this.removed.push(channel);
    this.handlers.delete(channel);
  }
}

type RendererListener = (event: unknown, ...args: unknown[]) => void;

class FakeIpcRenderer {
  readonly invocations: Array<{ channel: string; args: unknown[] }> = [];
  readonly listeners = new Map<string, RendererListener[]>();

  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invocations.push({ channel, args });
    return Promise.resolve({ ok: true, value: channel });
  }

  on(channel: string, listener: RendererListener): this {
    this.listeners.set(channel, [...(this.listeners.get(channel) ?? []), listener]);
    return this;
  }

  removeListener(channel: string, listener: RendererListener): this {
    this.listeners.set(
      channel,
      (this.listeners.get(channel) ?? []).filter((l) => l !== listener),
    );
    return this;
  }

  /** What main's webContents.send(channel, payload) would deliver. */
  deliver(channel: string, payload: unknown): void {
    for (const listener of this.listeners.get(channel) ?? []) listener({ sender: 'ipc' }, payload);
  }
}

class FakeContextBridge {
  readonly exposed = new Map<string, unknown>();

  exposeInMainWorld(key: string, api: unknown): void {
    if (this.exposed.has(key)) throw new Error(`Cannot bind an API on top of an existing property on the window object: ${key}`);
    this.exposed.set(key, api);
  }
}

/** safeStorage: "encrypts" by XOR and base64-free bytes, so the plain text never appears in the output. */
class FakeSafeStorage {
  available = true;
  backend = 'gnome_libsecret';

  isEncryptionAvailable(): boolean {
    return this.available;
  }

  getSelectedStorageBackend(): string {
    return this.backend;
  }

  encryptString(plain: string): Buffer {
    if (!this.available) throw new Error('Encryption is not available.');
    return Buffer.concat([Buffer.from('v10'), Buffer.from(plain, 'utf8').map((b) => b ^ 0xa5)]);
  }

  decryptString(cipher: Buffer): string {
    if (!this.available) throw new Error('Decryption is not available.');
    if (cipher.subarray(0, 3).toString() !== 'v10') throw new Error('Error while decrypting the ciphertext provided to safeStorage.decryptString.');
    return Buffer.from(cipher.subarray(3).map((b) => b ^ 0xa5)).toString('utf8');
  }
}

export interface FakeDisplay {
  id: number;
  bounds: Bounds;
}

class FakeScreen extends EventEmitter {
  displays: FakeDisplay[] = [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 } }];
  primaryId = 1;

  getAllDisplays(): FakeDisplay[] {
    return this.displays;
  }

  getPrimaryDisplay(): FakeDisplay {
    return this.displays.find((d) => d.id === this.primaryId) ?? this.displays[0]!;
  }
}

/** A fake electron-store: `store` is replaced wholesale on write, as conf does. */
export class FakeStore {
  private readonly key: string;

  constructor(options: Record<string, unknown> = {}) {
    fake.storeOptions.push(options);
    // conf with clearInvalidConfig false throws on a file it cannot parse.
    if (fake.storeCorrupt) throw new SyntaxError('Unexpected token } in JSON at position 12');
    this.key = `${String(options.cwd ?? 'userData')}/${String(options.name ?? 'config')}`;
  }

  get store(): Record<string, unknown> {
    return structuredClone(fake.storeData.get(this.key) ?? {});
  }

  set store(value: Record<string, unknown>) {
    fake.storeData.set(this.key, structuredClone(value));
  }
}

export interface FakeElectronState {
  app: FakeApp;
  session: { defaultSession: FakeSession; fromPartition(name: string): FakeSession };
  updater: FakeAutoUpdater;
  ipcMain: FakeIpcMain;
  ipcRenderer: FakeIpcRenderer;
  contextBridge: FakeContextBridge;
  safeStorage: FakeSafeStorage;
  screen: FakeScreen;
  windows: FakeBrowserWindow[];
  /** electron-store files by `${cwd}/${name}`, and the options each store was made with. */
  storeData: Map<string, Record<string, unknown>>;
  storeOptions: Array<Record<string, unknown>>;
  /** When set, constructing a store throws as electron-store does on an unreadable settings.json. */
  storeCorrupt: boolean;
  dialog: FakeDialog;
  menu: FakeMenu;
}

/**
 * electron-updater's autoUpdater as main.ts uses it: the settings it is given
 * and the calls made, with events a test emits ('update-downloaded', ...).
 */
export class FakeAutoUpdater extends EventEmitter {
  autoDownload = false;
  autoInstallOnAppQuit = false;
  allowDowngrade = true;
  allowPrerelease = true;
  readonly feeds: unknown[] = [];
  checks = 0;
  readonly installs: Array<[boolean | undefined, boolean | undefined]> = [];

  setFeedURL(options: unknown): void {
    this.feeds.push(options);
  }

  checkForUpdates(): Promise<null> {
    this.checks += 1;
    return Promise.resolve(null);
  }

  quitAndInstall(isSilent?: boolean, isForceRunAfter?: boolean): void {
    this.installs.push([isSilent, isForceRunAfter]);
  }
}

/** Electron's net.request over Node's http (enough for electron-updater against a feed on 127.0.0.1). */
const fakeNet = {
  request(options: RequestOptions & { session?: unknown; redirect?: string }): ClientRequest {
    const { session: _session, redirect: _redirect, ...rest } = options;
    return httpRequest(rest);
  },
};

class FakeDialog {
  readonly errors: Array<{ title: string; content: string }> = [];
  /** What the next save dialog answers: a path, or undefined for a cancelled dialog. */
  savePath: string | undefined;
  readonly saveDialogs: Array<Record<string, unknown>> = [];

  showErrorBox(title: string, content: string): void {
    this.errors.push({ title, content });
  }

  showSaveDialog(...args: unknown[]): Promise<{ canceled: boolean; filePath?: string }> {
    this.saveDialogs.push(args.at(-1) as Record<string, unknown>);
    return Promise.resolve(this.savePath === undefined ? { canceled: true } : { canceled: false, filePath: this.savePath });
  }
}

/** Menu: the template built and what became the application menu. */
class FakeMenu {
  /** Every template given to buildFromTemplate. */
  readonly templates: unknown[][] = [];
  /** The last setApplicationMenu argument (undefined: never called). */
  application: { template: unknown[] } | null | undefined;

  buildFromTemplate(template: unknown[]): { template: unknown[] } {
    this.templates.push(template);
    return { template };
  }

  setApplicationMenu(menu: { template: unknown[] } | null): void {
    this.application = menu;
  }
}

function freshState(): FakeElectronState {
  return {
    app: new FakeApp(),
    session: { defaultSession: new FakeSession(), fromPartition: () => new FakeSession() },
    updater: new FakeAutoUpdater(),
    ipcMain: new FakeIpcMain(),
    ipcRenderer: new FakeIpcRenderer(),
    contextBridge: new FakeContextBridge(),
    safeStorage: new FakeSafeStorage(),
    screen: new FakeScreen(),
    windows: [],
    storeData: new Map(),
    storeOptions: [],
    storeCorrupt: false,
    dialog: new FakeDialog(),
    menu: new FakeMenu(),
  };
}

// vi.resetModules() can leave the test and the mocked 'electron' holding
// different copies of this module: the state lives on globalThis so that
// every copy sees (and resets) the same fakes.
const KEY = Symbol.for('till.test.fakeElectron');
const holder = globalThis as unknown as Record<symbol, FakeElectronState | undefined>;

/** The current fakes; resetFakeElectron() refreshes them in place. */
export const fake: FakeElectronState = (holder[KEY] ??= freshState());

export function resetFakeElectron(): void {
  Object.assign(fake, freshState());
}

/**
 * The module object handed to vi.mock('electron'). Getters, so a test that
 * resets the fakes between cases is seen by modules that imported electron
 * once (ES module namespace bindings are read at each use).
 */
export const fakeElectron = {
  BrowserWindow: FakeBrowserWindow,
  get app() {
    return fake.app;
  },
  get session() {
    return fake.session;
  },
  get ipcMain() {
    return fake.ipcMain;
  },
  get ipcRenderer() {
    return fake.ipcRenderer;
  },
  get contextBridge() {
    return fake.contextBridge;
  },
  get safeStorage() {
    return fake.safeStorage;
  },
  get screen() {
    return fake.screen;
  },
  get dialog() {
    return fake.dialog;
  },
  Menu: {
    buildFromTemplate: (template: unknown[]) => fake.menu.buildFromTemplate(template),
    setApplicationMenu: (menu: { template: unknown[] } | null) => fake.menu.setApplicationMenu(menu),
  },
  get net() {
    return fakeNet;
  },
  get autoUpdater() {
    return fake.updater;
  },
};

/** The module object for vi.mock('electron-updater'). */
export const fakeElectronUpdater = {
  get autoUpdater() {
    return fake.updater;
  },
};

export const fakeElectronStore = { default: FakeStore };
