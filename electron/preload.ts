import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENTS, METHODS, eventsFor, methodsFor, type WindowKind } from '../shared/contract';

// Exposes exactly the contract for this window as window.till: the cashier
// window gets every cashier method and event, the customer display only its
// read-only subset. Never ipcRenderer itself, never a generic invoke.

const WINDOW_ARG = '--till-window=';

export function windowKindFromArgv(argv: readonly string[]): WindowKind {
  const arg = argv.find((a) => a.startsWith(WINDOW_ARG));
  return arg === `${WINDOW_ARG}cashier` ? 'cashier' : 'customer';
}

export function buildApi(kind: WindowKind, renderer: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): Record<string, unknown> {
  const api: Record<string, unknown> = {};
  for (const name of methodsFor(kind)) {
    const channel = METHODS[name].channel;
    api[name] = (input?: unknown) => renderer.invoke(channel, input);
  }
  for (const name of eventsFor(kind)) {
    const channel = EVENTS[name].channel;
    api[name] = (listener: (payload: unknown) => void) => {
      const handler = (_event: IpcRendererEvent, payload: unknown) => listener(payload);
      renderer.on(channel, handler);
      return () => {
        renderer.removeListener(channel, handler);
      };
    };
  }
  return Object.freeze(api);
}

// An unknown or missing argument gets the smallest API (the customer's).
const kind = windowKindFromArgv(process.argv);
contextBridge.exposeInMainWorld('till', buildApi(kind, ipcRenderer));
