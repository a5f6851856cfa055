import { expect } from 'vitest';
import type { EventName, IpcResult, MethodName, ParsedInputOf, PayloadOf } from '../../../../shared/contract';
import type { DisplayState } from '../../../../shared/display';
import type { Logger } from '../../../../electron/service/log';
import { SettingsManager } from '../../../../electron/service/settings-manager';
import { TillService } from '../../../../electron/service/till-service';
import { ManualClock, fakeBox, fakeTill, memoryBackend, openFake, type FakeBox, type FakeTill, type MemoryBackend } from './support';

// A TillService over a fake till, a manual clock and an in-memory settings
// store, for the service's unit tests. A second setup over the same backend
// and box is a restart of the app.

export interface Broadcast {
  event: EventName;
  payload: unknown;
}

/** scrypt at a test cost: the real cost (pin.ts) is pinned and timed in pin.test.ts. */
export const TEST_PIN_COST = { N: 2 ** 12, r: 8, p: 1 };

export interface SetupOptions {
  till?: FakeTill;
  pin?: string;
  refuseUdid?: string;
  backend?: MemoryBackend;
  box?: FakeBox;
  clock?: ManualClock;
}

export async function setup(options: SetupOptions = {}) {
  const clock = options.clock ?? new ManualClock();
  const backend = options.backend ?? memoryBackend();
  const box = options.box ?? fakeBox('os');
  const settings = new SettingsManager(backend, box, () => 'TILL-TEST0001');
  const till = options.till ?? fakeTill();
  const broadcasts: Broadcast[] = [];
  const lines: string[] = [];
  const log: Logger = { log: (level, message, data) => lines.push(`${level} ${message} ${data ? JSON.stringify(data) : ''}`) };
  const service = new TillService({
    settings,
    dataDir: '/nonexistent/journal',
    log,
    clock,
    pinCost: TEST_PIN_COST,
    broadcast: <K extends EventName>(event: K, payload: PayloadOf<K>) => broadcasts.push({ event, payload }),
    openTill: async (o) => {
      // A till that cannot open with a given udid stands for any settings the core refuses.
      if (options.refuseUdid !== undefined && o.udid === options.refuseUdid) throw new Error('refused by the core');
      return openFake(till)(o);
    },
  });
  await service.start();
  const call = <K extends MethodName>(name: K, input: ParsedInputOf<K>) => service.call(name, input) as Promise<IpcResult<unknown>>;
  if (options.pin) expect((await call('setPin', { newPin: options.pin })).ok).toBe(true);
  const displays = () => broadcasts.filter((b) => b.event === 'onDisplay').map((b) => b.payload as DisplayState);
  return { clock, backend, box, settings, till, broadcasts, lines, service, call, displays, pinHashBefore: settings.current.pinHash };
}

export type Setup = Awaited<ReturnType<typeof setup>>;
