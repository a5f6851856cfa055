import type { CustomerApi, IpcError, IpcResult, TillApi } from '../../shared/contract';

// window.till, as the preload exposes it (or, in the browser tests, the
// bridge to the real core). The renderer talks to nothing else.

declare global {
  interface Window {
    till: TillApi;
  }
}

export const till = (): TillApi => window.till;
export const customerApi = (): CustomerApi => window.till as unknown as CustomerApi;

/** Unwraps a result, turning an IPC failure into a thrown TillError for the screen's catch. */
export class TillError extends Error {
  constructor(readonly error: IpcError) {
    super(error.message);
  }
}

export async function unwrap<T>(result: Promise<IpcResult<T>>): Promise<T> {
  const r = await result;
  if (!r.ok) throw new TillError(r.error);
  return r.value;
}
