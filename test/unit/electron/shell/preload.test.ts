import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EVENTS, METHODS, eventsFor, methodsFor, type EventName, type MethodName, type WindowKind } from '../../../../shared/contract';
import { fake, resetFakeElectron } from './fake-electron';

vi.mock('electron', async () => (await import('./fake-electron')).fakeElectron);

// preload.ts: what each window gets as window.till. The module exposes the
// API when it is loaded, so each case loads it afresh with its own argv.

const savedArgv = process.argv;

beforeEach(() => {
  resetFakeElectron();
  vi.resetModules();
});

afterEach(() => {
  process.argv = savedArgv;
});

async function loadPreload(argv: string[]): Promise<Record<string, unknown>> {
  process.argv = [process.execPath, '/app/out/preload/preload.js', ...argv];
  await import('../../../../electron/preload');
  expect([...fake.contextBridge.exposed.keys()]).toEqual(['till']);
  const api = fake.contextBridge.exposed.get('till');
  expect(api).toBeTypeOf('object');
  return api as Record<string, unknown>;
}

const expected = (kind: WindowKind) => [...methodsFor(kind), ...eventsFor(kind)].sort();

describe('what each window is given', () => {
  it('--till-window=customer: only the display subset', async () => {
    const api = await loadPreload(['--till-window=customer']);
    expect(Object.keys(api).sort()).toEqual(expected('customer'));
    expect(Object.keys(api).sort()).toEqual(['displayState', 'onDisplay']);
    for (const name of ['charge', 'refund', 'settings', 'updateSettings', 'setCredentials', 'history', 'onSale', 'onSettings']) expect(api).not.toHaveProperty(name);
  });

  it('--till-window=cashier: the whole cashier contract', async () => {
    const api = await loadPreload(['--type=renderer', '--till-window=cashier', '--lang=en']);
    expect(Object.keys(api).sort()).toEqual(expected('cashier'));
    expect(api).toHaveProperty('charge');
    expect(api).toHaveProperty('onSale');
  });

  it('no argument: the smallest API (the customer subset)', async () => {
    const api = await loadPreload(['--type=renderer']);
    expect(Object.keys(api).sort()).toEqual(expected('customer'));
  });

  it.each(['--till-window=', '--till-window=Cashier', '--till-window=cashier2', '--till-window=admin', '--till-window-cashier'])('an unknown argument (%s) gets the customer subset', async (arg) => {
    const api = await loadPreload([arg]);
    expect(Object.keys(api).sort()).toEqual(expected('customer'));
  });

  it('exposes nothing generic: no ipcRenderer, invoke, send, process or require', async () => {
    const api = await loadPreload(['--till-window=cashier']);
    for (const name of ['ipcRenderer', 'invoke', 'send', 'sendSync', 'on', 'process', 'require', 'env']) expect(api).not.toHaveProperty(name);
    for (const value of Object.values(api)) expect(value).toBeTypeOf('function');
  });

  it('the exposed object is frozen', async () => {
    const api = await loadPreload(['--till-window=cashier']);
    expect(Object.isFrozen(api)).toBe(true);
    expect(() => {
      (api as Record<string, unknown>).charge = () => 'hijacked';
    }).toThrow(TypeError);
  });
});

describe('buildApi', () => {
  async function build(kind: WindowKind) {
    process.argv = [process.execPath, 'preload.js', `--till-window=${kind}`];
    const { buildApi } = await import('../../../../electron/preload');
    return buildApi(kind, fake.ipcRenderer as never) as Record<string, (arg?: unknown) => unknown>;
  }

  it.each(['cashier', 'customer'] as const)('%s: each method invokes its own channel with the input', async (kind) => {
    const api = await build(kind);
    for (const name of methodsFor(kind)) {
      const input = { probe: name };
      const answer = await api[name]!(input);
      expect(fake.ipcRenderer.invocations.at(-1)).toEqual({ channel: METHODS[name as MethodName].channel, args: [input] });
      expect(answer).toEqual({ ok: true, value: METHODS[name as MethodName].channel });
    }
    expect(fake.ipcRenderer.invocations).toHaveLength(methodsFor(kind).length);
  });

  it('an event subscription hears its channel only, and its unsubscribe removes that same listener', async () => {
    const api = await build('cashier');
    for (const name of eventsFor('cashier')) {
      const channel = EVENTS[name as EventName].channel;
      const heard: unknown[] = [];
      const other: unknown[] = [];
      const unsubscribe = api[name]!((payload: unknown) => heard.push(payload)) as () => void;
      const keep = api[name]!((payload: unknown) => other.push(payload)) as () => void;
      expect(unsubscribe).toBeTypeOf('function');
      expect(fake.ipcRenderer.listeners.get(channel)).toHaveLength(2);

      fake.ipcRenderer.deliver(channel, { n: 1 });
      fake.ipcRenderer.deliver('till:event.unrelated', { n: 99 });
      expect(heard).toEqual([{ n: 1 }]);

      const [first] = fake.ipcRenderer.listeners.get(channel)!;
      unsubscribe();
      expect(fake.ipcRenderer.listeners.get(channel)).toHaveLength(1);
      expect(fake.ipcRenderer.listeners.get(channel)).not.toContain(first);
      fake.ipcRenderer.deliver(channel, { n: 2 });
      expect(heard).toEqual([{ n: 1 }]);
      expect(other).toEqual([{ n: 1 }, { n: 2 }]);
      keep();
      expect(fake.ipcRenderer.listeners.get(channel)).toHaveLength(0);
    }
  });

  it('a listener receives the payload only, never the IPC event (no sender object leaks to the page)', async () => {
    const api = await build('customer');
    const listener = vi.fn();
    api.onDisplay!(listener);
    fake.ipcRenderer.deliver(EVENTS.onDisplay.channel, { kind: 'idle' });
    expect(listener).toHaveBeenCalledExactlyOnceWith({ kind: 'idle' });
  });
});
