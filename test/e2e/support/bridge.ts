import { createServer, type Server } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, existsSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, normalize, resolve } from 'node:path';
import type { AddressInfo } from 'node:net';
import { chromium, type Browser, type Page } from 'playwright-core';
import { EVENTS, METHODS, eventsFor, methodsFor, type EventName, type PayloadOf, type WindowKind } from '../../../shared/contract';
import { makeHandler } from '../../../electron/ipc';
import { RotatingFileLog } from '../../../electron/service/log';
import { SettingsManager } from '../../../electron/service/settings-manager';
import type { SecretBox, SettingsBackend, StoredSettings } from '../../../electron/service/settings-model';
import type { PrintOptions } from '../../../electron/service/report-handlers';
import { TillService } from '../../../electron/service/till-service';
import { OffsetClock } from '../../../electron/till/clock';
import type { TillOptions } from '../../../electron/till/core';
import { CONTENT_SECURITY_POLICY } from '../../../shared/csp';

// The real renderer (built by electron-vite into out/renderer) in Debian's
// Chromium, with window.till bridged to the real TillService, engine,
// journal and in-process QFPay simulator: the same contract, the same
// sender and schema checks as ipc.ts, only the transport differs.

export const RENDERER_DIR = resolve(__dirname, '../../../out/renderer');
export const ARTIFACTS = resolve(__dirname, '../artifacts');
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--font-render-hinting=none'];

const MIME: Record<string, string> = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.css': 'text/css', '.svg': 'image/svg+xml', '.png': 'image/png', '.woff2': 'font/woff2' };

function serveRenderer(): Promise<{ server: Server; url: string }> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(/^(\.\.[/\\])+/, '');
    const file = join(RENDERER_DIR, path);
    if (!file.startsWith(RENDERER_DIR) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'Content-Type': MIME[extname(file)] ?? 'application/octet-stream', 'Content-Security-Policy': CONTENT_SECURITY_POLICY });
    res.end(readFileSync(file));
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => ok({ server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` })));
}

export function memoryBackend(initial: Record<string, unknown> = {}): SettingsBackend & { value: unknown } {
  const backend = {
    value: initial as unknown,
    read: () => backend.value,
    write: (v: StoredSettings) => {
      backend.value = JSON.parse(JSON.stringify(v));
    },
  };
  return backend;
}

/** A stand-in for the OS key store: reversible, but never the plain text on "disk". */
export const fakeSecretBox: SecretBox = {
  protection: () => 'os',
  encrypt: (plain) => Buffer.from(`sealed:${plain}`).toString('base64'),
  decrypt: (cipher) => Buffer.from(cipher, 'base64').toString('utf8').replace(/^sealed:/, ''),
};

export interface Harness {
  service: TillService;
  clock: OffsetClock;
  browser: Browser;
  cashier: Page;
  customer: Page;
  settings: SettingsManager;
  logPath: string;
  dataDir: string;
  /** Every payload broadcast to the windows, for assertions, with when main sent it (wall-clock ms, sub-ms precision). */
  broadcasts: { event: EventName; payload: unknown; atMs: number }[];
  /** Every window.till call as main received it, with when (for timing the bridge itself, e.g. in benchmarks). */
  calls: { window: WindowKind; name: string; atMs: number }[];
  /** Files "saved" through the stand-in save dialog (written under dataDir/saved), and pages "printed". */
  saved: { name: string; path: string }[];
  printed: { html: string; options: PrintOptions }[];
  resize(width: number, height: number): Promise<void>;
  close(): Promise<void>;
}

export interface HarnessOptions {
  settings?: Record<string, unknown>;
  tillOptions?: Partial<TillOptions>;
  width?: number;
  height?: number;
}

const INIT_SCRIPT = ({ methods, events }: { methods: [string, string][]; events: [string, string][] }) => {
  const listeners = new Map<string, Set<(p: unknown) => void>>();
  const w = globalThis as unknown as Record<string, unknown>;
  const api: Record<string, unknown> = {};
  for (const [name] of methods) api[name] = (input?: unknown) => (w.__tillInvoke as (n: string, i: unknown) => Promise<unknown>)(name, input);
  for (const [name, channel] of events) {
    api[name] = (listener: (p: unknown) => void) => {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener);
      return () => set.delete(listener);
    };
  }
  w.__tillEmit = (channel: string, payload: unknown) => listeners.get(channel)?.forEach((l) => l(payload));
  w.till = Object.freeze(api);
};

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  if (!existsSync(join(RENDERER_DIR, 'cashier.html'))) throw new Error('build the renderer first: npm run build');
  const { server, url } = await serveRenderer();
  const dataDir = mkdtempSync(join(tmpdir(), 'till-e2e-'));
  const clock = new OffsetClock();
  const settings = new SettingsManager(memoryBackend({ settingsVersion: 2, udid: 'E2E-TILL-01', language: 'zh-Hant', merchantName: '陳記茶餐廳', ...options.settings }), fakeSecretBox, () => 'E2E-TILL-01');
  const log = new RotatingFileLog(join(dataDir, 'logs'), () => [settings.clientKey(), settings.current.appCode].filter((s): s is string => !!s));
  const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
  const width = options.width ?? 1280;
  const height = options.height ?? 800;
  const pages = new Map<WindowKind, Page>();
  const broadcasts: Harness['broadcasts'] = [];
  const calls: Harness['calls'] = [];
  const wallNow = () => performance.timeOrigin + performance.now();

  const broadcast = <K extends EventName>(event: K, payload: PayloadOf<K>) => {
    broadcasts.push({ event, payload, atMs: wallNow() });
    for (const kind of EVENTS[event].windows as readonly WindowKind[]) {
      const page = pages.get(kind);
      if (page && !page.isClosed()) void page.evaluate(([channel, p]) => (globalThis as unknown as { __tillEmit?: (c: string, p: unknown) => void }).__tillEmit?.(channel, p), [EVENTS[event].channel, payload] as const).catch(() => undefined);
    }
  };

  // Stand-ins for Electron's save dialog and printing: the file is written where a cashier would have chosen.
  const saved: Harness['saved'] = [];
  const printed: Harness['printed'] = [];
  const savedDir = join(dataDir, 'saved');
  const service = new TillService({
    settings,
    dataDir,
    log,
    broadcast,
    clock,
    saveFile: async (name, content) => {
      mkdirSync(savedDir, { recursive: true });
      const path = join(savedDir, name);
      writeFileSync(path, content);
      saved.push({ name, path });
      return { path };
    },
    printHtml: async (html, printOptions) => {
      printed.push({ html, options: printOptions });
      if (printOptions.output === 'print') return { done: true, path: null };
      mkdirSync(savedDir, { recursive: true });
      const path = join(savedDir, printOptions.defaultName);
      writeFileSync(path, html);
      saved.push({ name: printOptions.defaultName, path });
      return { done: true, path };
    },
    tillOptions: {
      budgetPerMinute: 6000,
      timing: { fastPollMs: 50, slowPollMs: 100, codeFirstPollMs: 100, codePollMs: 200, refundPollMs: 100, closeRetryMs: 300, notCreatedGraceMs: 1500, backoffBaseMs: 50, backoffMaxMs: 300 },
      simulator: { seed: 42, refundCutoffWindow: false, refundNeedsCover: false },
      ...options.tillOptions,
    },
  });
  await service.start();

  const ids: Record<WindowKind, number> = { cashier: 1, customer: 2 };
  const handle = makeHandler(service, { kindOf: (id) => (id === 1 ? 'cashier' : id === 2 ? 'customer' : undefined) });
  for (const kind of ['cashier', 'customer'] as const) {
    const context = await browser.newContext({ viewport: { width, height }, locale: 'zh-HK', timezoneId: 'Asia/Hong_Kong' });
    const page = await context.newPage();
    const sender = { id: ids[kind], mainFrame: {} };
    await page.exposeFunction('__tillInvoke', (name: keyof typeof METHODS, input: unknown) => {
      calls.push({ window: kind, name, atMs: wallNow() });
      return handle(name, { sender, senderFrame: sender.mainFrame } as never, input);
    });
    await page.addInitScript(INIT_SCRIPT, {
      methods: methodsFor(kind).map((m) => [m, METHODS[m].channel] as [string, string]),
      events: eventsFor(kind).map((e) => [e, EVENTS[e].channel] as [string, string]),
    });
    page.on('pageerror', (error) => console.error(`[${kind}] page error:`, error.message));
    await page.goto(`${url}/${kind}.html`);
    pages.set(kind, page);
  }

  return {
    service,
    clock,
    browser,
    cashier: pages.get('cashier')!,
    customer: pages.get('customer')!,
    settings,
    logPath: log.path,
    dataDir,
    broadcasts,
    calls,
    saved,
    printed,
    async resize(w, h) {
      for (const page of pages.values()) await page.setViewportSize({ width: w, height: h });
    },
    async close() {
      await browser.close().catch(() => undefined);
      await service.stop();
      await new Promise<void>((ok) => server.close(() => ok()));
    },
  };
}
