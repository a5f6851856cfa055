import type { WindowKind } from '../../shared/contract';
import type { Logger } from './log';

// What happens when something crashes: it is written to the (redacting) log
// with its stack, and the till goes on. A window whose renderer died is
// loaded again and tells the cashier the screen restarted — the sale lives in
// the engine and the journal, not in the page, so it is safe. An exception
// nobody caught in main is logged instead of killing the process: the engine
// and its journal stay up (the crash tests prove a hard kill is safe too).
// Plain Node: main.ts passes in `process`, `app` and a way to reach a window.

export { RESTARTED_QUERY } from '../../shared/restarted';

/** Anything with Node's `on` (process, Electron's app). */
export type EventSource = Pick<NodeJS.EventEmitter, 'on'>;

export interface CrashedScreen {
  kind: WindowKind;
  /** Loads the page again with RESTARTED_QUERY set. */
  reload(): void;
}

interface GoneDetails {
  reason?: string;
  exitCode?: number;
}

interface ChildGoneDetails extends GoneDetails {
  type?: string;
  name?: string;
  serviceName?: string;
}

/** A window reloaded this often within the window below is left alone (a page that crashes on load would loop). */
export const MAX_RELOADS = 3;
export const RELOAD_WINDOW_MS = 60_000;

/** The message and stack of anything thrown, for the log. */
export function errorFields(error: unknown): Record<string, unknown> {
  if (error instanceof Error) return { error: error.message, stack: error.stack ?? null };
  return { error: String(error) };
}

/** Logs what main lets fall; returns the undo (main.ts calls it when the app has stopped). */
export function guardMainProcess(proc: Pick<NodeJS.EventEmitter, 'on' | 'off'>, log: Logger): () => void {
  const onException = (error: unknown, origin?: string) => {
    log.log('error', 'uncaught exception in the main process; the till keeps running', { ...errorFields(error), origin: origin ?? null });
  };
  const onRejection = (reason: unknown) => {
    log.log('error', 'unhandled promise rejection in the main process; the till keeps running', errorFields(reason));
  };
  proc.on('uncaughtException', onException);
  proc.on('unhandledRejection', onRejection);
  return () => {
    proc.off('uncaughtException', onException);
    proc.off('unhandledRejection', onRejection);
  };
}

export function guardRenderers(app: EventSource, log: Logger, screenOf: (contents: unknown) => CrashedScreen | undefined, now: () => number = Date.now): void {
  const reloads = new Map<CrashedScreen['kind'], number[]>();

  app.on('render-process-gone', (_event: unknown, contents: unknown, details: GoneDetails) => {
    const screen = screenOf(contents);
    const fields = { window: screen?.kind ?? 'other', reason: details?.reason ?? 'unknown', exitCode: details?.exitCode ?? null };
    // A page closing normally (the app quitting) is no crash.
    if (details?.reason === 'clean-exit') return;
    log.log('error', 'a window crashed', fields);
    if (!screen) return;
    const recent = (reloads.get(screen.kind) ?? []).filter((at) => now() - at < RELOAD_WINDOW_MS);
    if (recent.length >= MAX_RELOADS) {
      log.log('error', 'the window keeps crashing; not reloading it again', { window: screen.kind, reloads: recent.length });
      return;
    }
    reloads.set(screen.kind, [...recent, now()]);
    screen.reload();
    log.log('info', 'the window was reloaded', { window: screen.kind });
  });

  app.on('child-process-gone', (_event: unknown, details: ChildGoneDetails) => {
    if (details?.reason === 'clean-exit') return;
    log.log('error', 'a helper process crashed', { type: details?.type ?? 'unknown', name: details?.name ?? details?.serviceName ?? null, reason: details?.reason ?? 'unknown', exitCode: details?.exitCode ?? null });
  });
}
