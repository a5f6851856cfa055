import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { METHODS, type IpcResult, type MethodName, type WindowKind } from '../shared/contract';
import type { TillService } from './service/till-service';

// Registers every contract method through one wrapper (STYLE.md): the
// sender must be one of our windows, from its main frame, and a window kind
// the method allows; the input must pass the method's schema. Only then does
// the service see it. Nothing throws across the boundary.

export interface WindowRegistry {
  /** The kind of our window owning these web contents, or undefined for anything else. */
  kindOf(webContentsId: number): WindowKind | undefined;
}

type Service = Pick<TillService, 'call'>;

export function makeHandler(service: Service, windows: WindowRegistry) {
  return async (name: MethodName, event: Pick<IpcMainInvokeEvent, 'sender' | 'senderFrame'>, raw: unknown): Promise<IpcResult<unknown>> => {
    const method = METHODS[name];
    const kind = windows.kindOf(event.sender.id);
    const mainFrame = event.senderFrame !== null && event.senderFrame === event.sender.mainFrame;
    if (!kind || !mainFrame || !(method.windows as readonly WindowKind[]).includes(kind)) {
      return { ok: false, error: { code: 'forbidden', message: `${method.channel} is not available to this window` } };
    }
    const parsed = method.input.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = issue?.path.length ? issue.path.join('.') : 'input';
      return { ok: false, error: { code: 'invalid_input', message: issue?.message ?? 'invalid input', field } };
    }
    return service.call(name, parsed.data as never);
  };
}

export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, service: Service, windows: WindowRegistry): () => void {
  const handle = makeHandler(service, windows);
  const names = Object.keys(METHODS) as MethodName[];
  for (const name of names) ipcMain.handle(METHODS[name].channel, (event, raw: unknown) => handle(name, event, raw));
  return () => {
    for (const name of names) ipcMain.removeHandler(METHODS[name].channel);
  };
}
