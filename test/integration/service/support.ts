import { FAST_TIMING, NOON } from '../engine/support';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { METHODS, type EventName, type IpcResult, type MethodName, type PayloadOf, type WindowKind } from '../../../shared/contract';
import type { DisplayState } from '../../../shared/display';
import type { SaleView } from '../../../shared/sale';
import { makeHandler } from '../../../electron/ipc';
import { RotatingFileLog } from '../../../electron/service/log';
import { SettingsManager } from '../../../electron/service/settings-manager';
import { TillService, type ServiceDeps } from '../../../electron/service/till-service';
import { OffsetClock } from '../../../electron/till/clock';
import { fakeBox, memoryBackend, type FakeBox, type MemoryBackend } from '../../unit/electron/service/support';
import { TEST_PIN_COST } from '../../unit/electron/service/service-setup';

// A TillService as main builds it, minus Electron: settings over an
// in-memory store and a fake OS key store, the journal and the log in a
// temporary directory, every broadcast captured, and every call made through
// ipc.ts's handler as if from the cashier window (so results are exactly
// what crosses the IPC boundary).



export { FAST_TIMING, NOON };

export interface Broadcast {
  event: EventName;
  payload: unknown;
}

export interface ServiceHarness {
  service: TillService;
  settings: SettingsManager;
  backend: MemoryBackend;
  box: FakeBox;
  clock: OffsetClock;
  dir: string;
  dataDir: string;
  log: RotatingFileLog;
  broadcasts: Broadcast[];
  /** Every result returned through the IPC handler. */
  results: Array<{ name: MethodName; result: IpcResult<unknown> }>;
  /** Calls a contract method the way the cashier window would (or another window). */
  call<T = unknown>(name: MethodName, input?: unknown, from?: WindowKind): Promise<IpcResult<T>>;
  value<T = unknown>(name: MethodName, input?: unknown): Promise<T>;
  displays(): DisplayState[];
  sales(): SaleView[];
  waitFor<T>(probe: () => T | undefined | false, what: string, timeoutMs?: number): Promise<T>;
  close(): Promise<void>;
}

const open: ServiceHarness[] = [];

/** An offset clock that reads Hong Kong noon now and runs on with real time. */
export function clockAtNoon(): OffsetClock {
  const clock = new OffsetClock();
  clock.advance(NOON - clock.now());
  return clock;
}

export async function startService(
  deps: Partial<ServiceDeps> = {},
  options: { box?: FakeBox; backend?: MemoryBackend; clock?: OffsetClock; /** A supervisor PIN set before the test starts (needed to go live). */ pin?: string } = {},
): Promise<ServiceHarness> {
  const dir = mkdtempSync(join(tmpdir(), 'till-service-'));
  const dataDir = join(dir, 'journal');
  const clock = options.clock ?? clockAtNoon();
  const backend = options.backend ?? memoryBackend();
  const box = options.box ?? fakeBox('os');
  const settings = deps.settings ?? new SettingsManager(backend, box, () => 'TILL-ITEST0001');
  // The same secrets main masks in its log (main.ts).
  const log = new RotatingFileLog(join(dir, 'logs'), () => [settings.clientKey(), settings.current.appCode, settings.officePassword()].filter((s): s is string => !!s));
  const broadcasts: Broadcast[] = [];
  const results: ServiceHarness['results'] = [];
  const service = new TillService({
    settings,
    dataDir,
    log,
    clock,
    broadcast: <K extends EventName>(event: K, payload: PayloadOf<K>) => {
      // A deep copy: what would be serialised onto the wire at that moment.
      broadcasts.push({ event, payload: structuredClone(payload) });
    },
    tillOptions: { timing: FAST_TIMING, budgetPerMinute: 6000, simulator: { seed: 1, refundCutoffWindow: false } },
    // scrypt at a test cost unless a test asks for the real one (pin.test.ts times it).
    pinCost: TEST_PIN_COST,
    ...deps,
  });
  await service.start();
  if (options.pin !== undefined) {
    const set = await service.call('setPin', { newPin: options.pin });
    if (!set.ok) throw new Error(`setPin failed: ${JSON.stringify(set.error)}`);
  }

  const ids: Record<WindowKind, number> = { cashier: 1, customer: 2 };
  const handle = makeHandler(service, { kindOf: (id) => (id === 1 ? 'cashier' : id === 2 ? 'customer' : undefined) });
  const call = async <T>(name: MethodName, input?: unknown, from: WindowKind = 'cashier'): Promise<IpcResult<T>> => {
    const frame = {};
    // Through structured clone both ways, as Electron's IPC would.
    const result = structuredClone(await handle(name, { sender: { id: ids[from], mainFrame: frame }, senderFrame: frame } as never, structuredClone(input)));
    results.push({ name, result });
    return result as IpcResult<T>;
  };
  const waitFor = async <T>(probe: () => T | undefined | false, what: string, timeoutMs = 5_000): Promise<T> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = probe();
      if (value !== undefined && value !== false) return value;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  const harness: ServiceHarness = {
    service,
    settings,
    backend,
    box,
    clock,
    dir,
    dataDir,
    log,
    broadcasts,
    results,
    call,
    value: async <T>(name: MethodName, input?: unknown) => {
      const result = await call<T>(name, input);
      if (!result.ok) throw new Error(`${name} (${METHODS[name].channel}) failed: ${JSON.stringify(result.error)}`);
      return result.value;
    },
    displays: () => broadcasts.filter((b) => b.event === 'onDisplay').map((b) => b.payload as DisplayState),
    sales: () => broadcasts.filter((b) => b.event === 'onSale').map((b) => b.payload as SaleView),
    waitFor,
    close: async () => {
      await service.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  open.push(harness);
  return harness;
}

export async function closeAll(): Promise<void> {
  for (const harness of open.splice(0)) await harness.close();
}

/**
 * Walks the broadcasts in order and checks that the customer display never
 * showed a QR code of a sale that was, at that moment, anything but
 * awaiting_scan (paid, cancelling, cancelled, expired…).
 */
export function qrShownOutsideAwaitingScan(broadcasts: readonly Broadcast[]): string[] {
  const stateOf = new Map<string, SaleView['state']>();
  const saleOfQr = new Map<string, string>();
  const problems: string[] = [];
  for (const { event, payload } of broadcasts) {
    if (event === 'onSale') {
      const sale = payload as SaleView;
      stateOf.set(sale.outTradeNo, sale.state);
      if (sale.qrcode) saleOfQr.set(sale.qrcode, sale.outTradeNo);
    } else if (event === 'onDisplay') {
      const display = payload as DisplayState;
      if (display.kind !== 'qr') continue;
      const id = saleOfQr.get(display.qrcode);
      if (!id) problems.push(`a QR no sale view carried: ${display.qrcode}`);
      else if (stateOf.get(id) !== 'awaiting_scan') problems.push(`the QR of ${id} shown while it was ${stateOf.get(id)}`);
    }
  }
  return problems;
}
