import { randomBytes } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { electronStatus } from '../../scripts/electron-binary.mjs';
import { JOURNAL_FILES } from '../../electron/till/core';
import { EVENTS, METHODS, eventsFor, methodsFor, type AppStatus } from '../../shared/contract';
import type { SaleView } from '../../shared/sale';
import { backToKeypad, callTill, cashierState, customerState, decodeQr, settle, tillValue, type PageGlobals } from '../e2e/support/flows';

// `npm run test:electron`: the BUILT app in real Electron, driven like a
// person would, checking what the fake electron module cannot: the preload
// under sandbox: true, exactly the contract on window.till, no require or
// process in the page, better-sqlite3 in Electron's Node, electron-store,
// safeStorage, and a sale that survives quitting. Training mode (no
// credentials), a fresh user-data folder. Not part of `npm test`: it needs
// the Electron binary (the release workflow fetches it). Without it: skipped.

const ROOT = resolve(__dirname, '../..');
const ARTIFACTS = join(ROOT, 'test/electron/artifacts');
const WAIT = 30_000;

interface Check {
  name: string;
  run: () => Promise<void>;
}

function assert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(message);
}

function same(actual: unknown, expected: unknown, what: string): void {
  assert(JSON.stringify(actual) === JSON.stringify(expected), `${what}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

async function until<T>(what: string, probe: () => Promise<T | undefined | null | false>, timeoutMs = WAIT): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((ok) => setTimeout(ok, 100));
  }
}

interface Running {
  app: ElectronApplication;
  cashier: Page;
  customer: Page;
}

/** Launches out/ (package.json main) with its own user-data folder; returns once both windows show the idle screens. */
/** The training simulator's control API takes only the token its launcher gave the app. */
const SIM_TOKEN = randomBytes(16).toString('hex');

async function launch(executablePath: string, userData: string): Promise<Running> {
  const env = { ...process.env, TILL_TRAINING_SIM_TOKEN: SIM_TOKEN } as Record<string, string>;
  const app = await _electron.launch({ executablePath, args: ['.', `--user-data-dir=${userData}`], cwd: ROOT, timeout: WAIT, env });
  const pageFor = (name: string) => until(`the ${name} window`, async () => app.windows().find((w) => w.url().includes(`${name}.html`)));
  const [cashier, customer] = await Promise.all([pageFor('cashier'), pageFor('customer')]);
  for (const page of [cashier, customer]) page.setDefaultTimeout(WAIT);
  await until('the till to be ready', async () => {
    const status = await callTill(cashier, 'status').catch(() => undefined);
    return status?.ok && status.value.ready;
  });
  await cashier.waitForSelector('.amount-panel');
  await customerState(customer, 'idle');
  return { app, cashier, customer };
}

async function main(): Promise<number> {
  const electron = electronStatus(ROOT);
  if (!electron.installed) {
    console.log('skipped: no Electron binary (run npx install-electron)');
    return 0;
  }

  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/electron-vite/bin/electron-vite.js'), 'build'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('electron-vite build failed');

  mkdirSync(ARTIFACTS, { recursive: true });
  const userData = mkdtempSync(join(tmpdir(), 'till-electron-'));
  let running: Running | undefined;
  let paid: SaleView | undefined;
  let open: SaleView | undefined;
  const PIN = '2468';

  const checks: Check[] = [
    {
      name: 'the app starts in training mode with the fresh user-data folder',
      run: async () => {
        running = await launch(electron.executable, userData);
        same(await running.app.evaluate(({ app }) => app.getPath('userData')), userData, 'userData');
        same((await tillValue(running.cashier, 'status')).mode, 'training', 'mode');
      },
    },
    {
      name: "both windows' renderer processes are sandboxed by the OS",
      run: async () => {
        // Electron reports it on macOS and Windows; on Linux a sandboxed renderer lives in its own PID namespace.
        const renderers = await running!.app.evaluate(({ app, BrowserWindow }) =>
          BrowserWindow.getAllWindows().map((w) => {
            const pid = w.webContents.getOSProcessId();
            const metric = app.getAppMetrics().find((m) => m.pid === pid);
            let nspid: string | null = null;
            if (process.platform === 'linux') nspid = /NSpid:\s+(.*)/.exec(process.getBuiltinModule('node:fs').readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? null;
            return { url: w.webContents.getURL(), sandboxed: metric?.sandboxed, nspid };
          }),
        );
        same(renderers.length, 2, 'windows');
        for (const r of renderers) {
          if (r.sandboxed !== undefined) assert(r.sandboxed, `${r.url} is not sandboxed`);
          else assert(r.nspid !== null && r.nspid.trim().split(/\s+/).length > 1, `${r.url} is not in a sandbox namespace (NSpid ${r.nspid})`);
        }
      },
    },
    {
      name: 'the preload ran under the sandbox: window.till is exactly the contract for each window',
      run: async () => {
        for (const [kind, page] of [['cashier', running!.cashier], ['customer', running!.customer]] as const) {
          const keys = await page.evaluate(() => Object.keys((globalThis as unknown as PageGlobals).till).sort());
          same(keys, [...methodsFor(kind), ...eventsFor(kind)].sort(), `${kind} window.till`);
        }
        assert(Object.keys(METHODS).length > 0 && Object.keys(EVENTS).length > 0, 'the contract is empty');
      },
    },
    {
      name: 'no require, process or module in either page',
      run: async () => {
        for (const page of [running!.cashier, running!.customer]) {
          const globals = await page.evaluate(() => ['require', 'process', 'module', 'Buffer'].filter((name) => name in globalThis));
          same(globals, [], `Node globals in ${page.url()}`);
        }
      },
    },
    {
      name: "better-sqlite3 loaded in Electron's Node: the journal is open on disk",
      run: async () => {
        const files = await running!.app.evaluate(({ app }) => {
          const fs = process.getBuiltinModule('node:fs');
          const dir = `${app.getPath('userData')}/journal`;
          return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
        });
        assert(files.includes(JOURNAL_FILES.training), `no ${JOURNAL_FILES.training} in userData/journal: ${files.join(', ')}`);
      },
    },
    {
      name: 'electron-store writes settings.json; safeStorage answers',
      run: async () => {
        await tillValue(running!.cashier, 'updateSettings', { patch: { merchantName: 'Smoke Test' } });
        const settings = join(userData, 'settings.json');
        assert(existsSync(settings) && readFileSync(settings, 'utf8').includes('Smoke Test'), 'settings.json does not hold the change');
        const available = await running!.app.evaluate(({ safeStorage }) => safeStorage.isEncryptionAvailable());
        assert(typeof available === 'boolean', 'safeStorage did not answer');
        const keyStorage = (await tillValue(running!.cashier, 'status')).keyStorage;
        assert(['encrypted', 'memory', 'none'].includes(keyStorage), `keyStorage ${keyStorage}`);
      },
    },
    {
      name: 'type 12.30, Enter: the customer window shows a QR that decodes to the order; the customer window is placed',
      run: async () => {
        const { cashier, customer, app } = running!;
        await backToKeypad(cashier);
        await cashier.keyboard.type('12.30');
        await cashier.keyboard.press('Enter');
        const sale = await until('a QR', async () => {
          const current = await tillValue(cashier, 'currentSale');
          return current?.state === 'awaiting_scan' ? current : undefined;
        });
        same(sale.amountMinor, 1230, 'amount');
        await customer.waitForSelector(`img.c-qr-image[data-qr="${sale.qrcode}"]`);
        await settle(customer);
        const shot = join(ARTIFACTS, 'customer-qr.png');
        await customer.screenshot({ path: shot });
        same(await decodeQr(shot), [sale.qrcode], 'decoded QR');
        // The second display when there is one, else the overlay on the only one, up for the QR.
        const placed = await app.evaluate(({ BrowserWindow, screen }) => {
          const win = BrowserWindow.getAllWindows().find((w) => w.webContents.getURL().includes('customer.html'));
          const displays = screen.getAllDisplays();
          return { visible: win?.isVisible(), bounds: win?.getBounds(), onTop: win?.isAlwaysOnTop(), displays: displays.map((d) => d.bounds), primary: screen.getPrimaryDisplay().id, ids: displays.map((d) => d.id) };
        });
        assert(placed.visible, 'the customer window is not showing the QR');
        if (placed.displays.length === 1) assert(placed.onTop, 'one screen: the customer window should be the overlay, on top');
        else assert(placed.ids.some((id, i) => id !== placed.primary && JSON.stringify(placed.displays[i]) === JSON.stringify(placed.bounds)), 'two screens: the customer window should fill the second');
        paid = sale;
      },
    },
    {
      name: 'the customer pays (simulator control API): both windows show paid',
      run: async () => {
        const { cashier, customer } = running!;
        // The training simulator's control API, at the address the till logs when it opens.
        const opened = readFileSync(join(userData, 'logs', 'till.log'), 'utf8').split('\n').filter((l) => l.includes('till opened in training mode')).pop() ?? '';
        const simulator = /"simulator":"(http:\/\/127\.0\.0\.1:\d+)"/.exec(opened)?.[1];
        assert(simulator, `no simulator address in the log: ${opened}`);
        const answer = await fetch(`${simulator}/__sim/pay`, { method: 'POST', headers: { 'Content-Type': 'application/json', 'X-Sim-Token': SIM_TOKEN }, body: JSON.stringify({ out_trade_no: paid!.outTradeNo }) });
        assert(answer.ok, `the simulator refused the payment: ${answer.status} ${await answer.text()}`);
        await cashierState(cashier, 'paid');
        await customerState(customer, 'paid');
        await cashier.screenshot({ path: join(ARTIFACTS, 'cashier-paid.png') });
        await customer.screenshot({ path: join(ARTIFACTS, 'customer-paid.png') });
      },
    },
    {
      name: 'set a PIN; refund 2.30 of the sale with it (and not without it)',
      run: async () => {
        const { cashier } = running!;
        await tillValue(cashier, 'setPin', { newPin: PIN });
        const refused = await callTill(cashier, 'refund', { saleOutTradeNo: paid!.outTradeNo, amountMinor: 230 });
        assert(!refused.ok && refused.error.code === 'pin_required', `a refund without the PIN: ${JSON.stringify(refused)}`);
        await tillValue(cashier, 'refund', { saleOutTradeNo: paid!.outTradeNo, amountMinor: 230, pin: PIN });
        const detail = await until('the refund to settle', async () => {
          const d = await tillValue(cashier, 'saleDetail', { outTradeNo: paid!.outTradeNo });
          return d.refunds.some((r) => r.state === 'refunded') ? d : undefined;
        });
        same(detail.refundableMinor, 1000, 'still refundable');
      },
    },
    {
      name: 'quit during a sale and launch again: the sale is recovered, not lost',
      run: async () => {
        const { cashier } = running!;
        await backToKeypad(cashier);
        await cashier.keyboard.type('5.00');
        await cashier.keyboard.press('Enter');
        open = await until('the second sale to show its QR', async () => {
          const current = await tillValue(cashier, 'currentSale');
          return current?.state === 'awaiting_scan' ? current : undefined;
        });
        await running!.app.close();
        running = await launch(electron.executable, userData);
        const found = await until('the sale after the restart', async () => {
          const page = await tillValue(running!.cashier, 'history', {});
          return page.sales.find((s) => s.outTradeNo === open!.outTradeNo);
        });
        same(found.amountMinor, 500, 'recovered amount');
        const status: AppStatus = await until('recovery to finish', async () => {
          const s = await tillValue(running!.cashier, 'status');
          return s.ready ? s : undefined;
        });
        assert(status.ready, 'the till is not ready after recovery');
        const first = await tillValue(running!.cashier, 'saleDetail', { outTradeNo: paid!.outTradeNo });
        same([first.sale.state, first.refunds.map((r) => r.state)], ['paid', ['refunded']], 'the first sale after the restart');
      },
    },
  ];

  let passed = 0;
  let failed = 0;
  try {
    for (const check of checks) {
      try {
        await check.run();
        passed += 1;
        console.log(`ok - ${check.name}`);
      } catch (error) {
        failed += 1;
        console.log(`FAIL - ${check.name}: ${error instanceof Error ? error.message : String(error)}`);
        // Later checks build on earlier ones: stop at the first failure.
        break;
      }
    }
  } finally {
    await running?.app.close().catch(() => undefined);
    rmSync(userData, { recursive: true, force: true });
  }
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && passed === checks.length ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test:electron: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
