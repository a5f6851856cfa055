import type { AppUpdater, UpdateInfo } from 'electron-updater';
import type { UpdateStatus } from '../../shared/update';
import type { Logger } from './log';
import type { TillService } from './till-service';

// Updates through electron-updater from the generic feed in Settings (the
// folder holding electron-builder's latest*.yml; empty = no updates). Checked
// at start and after each Z, downloaded in the background, installed only
// when the till has no open sale or refund: at quit, or when a supervisor
// asks for "Restart to update". Never an older version (allowDowngrade off,
// and checked again here), and the download's sha512 and, on Windows and
// macOS, its code signature are verified by electron-updater itself — nothing
// here turns that off. Plain Node: main.ts passes in electron-updater's
// autoUpdater, so this runs in tests against a fake electron and a local feed.

export type UpdaterPort = Pick<AppUpdater, 'autoDownload' | 'autoInstallOnAppQuit' | 'allowDowngrade' | 'allowPrerelease' | 'setFeedURL' | 'checkForUpdates' | 'quitAndInstall' | 'on'>;

export type { UpdateStatus };

export type RestartResult = { ok: true; version: string } | { ok: false; reason: 'no_update' | 'open_work' };

export interface UpdaterDeps {
  updater: UpdaterPort;
  app: { getVersion(): string };
  /** The feed URL from Settings, read at each check ('' = off). */
  feedUrl: () => string;
  /** Sales and refunds not yet resolved (the engine's open work). */
  openWork: () => number;
  log: Logger;
  onStatus?: (status: UpdateStatus) => void;
}

/** a > b for release versions "1.2.3" (a pre-release "1.2.3-beta.1" sorts before its release). */
export function isNewer(a: string, b: string): boolean {
  const parse = (v: string) => {
    const [core = '', pre] = v.replace(/^v/, '').split('-', 2);
    return { parts: core.split('.').map((n) => Number(n) || 0), pre: pre !== undefined };
  };
  const x = parse(a);
  const y = parse(b);
  for (let i = 0; i < 3; i++) if ((x.parts[i] ?? 0) !== (y.parts[i] ?? 0)) return (x.parts[i] ?? 0) > (y.parts[i] ?? 0);
  return y.pre && !x.pre;
}

export class Updater {
  private current: UpdateStatus = { state: 'off' };

  constructor(private readonly deps: UpdaterDeps) {
    const { updater } = deps;
    updater.autoDownload = true;
    // electron-updater installs at quit only while this is true; beforeQuit() decides.
    updater.autoInstallOnAppQuit = true;
    updater.allowDowngrade = false;
    updater.allowPrerelease = false;
    updater.on('update-available', (info: UpdateInfo) => {
      if (!this.acceptable(info.version)) return;
      this.set({ state: 'downloading', version: info.version });
    });
    updater.on('update-not-available', () => this.set({ state: 'idle' }));
    updater.on('update-downloaded', (info: UpdateInfo) => {
      if (!this.acceptable(info.version)) return;
      this.set({ state: 'ready', version: info.version });
      deps.log.log('info', 'update downloaded; it installs when the till has no open sale or refund', { version: info.version });
    });
    updater.on('error', (error: Error) => {
      deps.log.log('warn', 'update check or download failed', { error: error.message });
      if (this.current.state !== 'ready') this.set({ state: 'error', message: error.message });
    });
  }

  get status(): UpdateStatus {
    return this.current;
  }

  /** Looks for an update (at start and after a Z); downloads it in the background if there is one. */
  async check(reason: 'start' | 'z'): Promise<UpdateStatus> {
    const url = this.deps.feedUrl().trim();
    if (!url) {
      if (this.current.state !== 'ready') this.set({ state: 'off' });
      return this.current;
    }
    if (this.current.state === 'ready' || this.current.state === 'downloading') return this.current;
    this.deps.updater.setFeedURL({ provider: 'generic', url });
    this.set({ state: 'checking' });
    this.deps.log.log('info', 'checking for updates', { reason, url, version: this.deps.app.getVersion() });
    try {
      const result = await this.deps.updater.checkForUpdates();
      // A failed download is reported through 'error' too; unhandled, it would be a rejection in main.
      result?.downloadPromise?.catch(() => undefined);
      // No answer at all: not packaged (electron-updater only updates installed apps).
      if (this.current.state === 'checking') this.set({ state: 'idle' });
    } catch (error) {
      // Also reported through 'error'; an offline shop is normal.
      if (this.current.state === 'checking') this.set({ state: 'error', message: error instanceof Error ? error.message : String(error) });
    }
    return this.current;
  }

  /** The supervisor's "Restart to update": only with a downloaded update and no open sale or refund. */
  restartToUpdate(): RestartResult {
    if (this.current.state !== 'ready') return { ok: false, reason: 'no_update' };
    if (this.deps.openWork() > 0) return { ok: false, reason: 'open_work' };
    const { version } = this.current;
    this.deps.log.log('info', 'restarting to update', { version });
    this.deps.updater.quitAndInstall(false, true);
    return { ok: true, version };
  }

  /** Called as the app quits, before the till stops: install at quit only if nothing is open. */
  beforeQuit(): void {
    const install = this.current.state === 'ready' && this.deps.openWork() === 0;
    this.deps.updater.autoInstallOnAppQuit = install;
    if (this.current.state === 'ready') this.deps.log.log('info', install ? 'installing the update at quit' : 'not installing the update at quit: a sale or refund is open', { version: this.current.version });
  }

  private acceptable(version: string): boolean {
    if (isNewer(version, this.deps.app.getVersion())) return true;
    this.deps.log.log('warn', 'ignoring an update that is not newer than this version', { version, current: this.deps.app.getVersion() });
    this.set({ state: 'idle' });
    return false;
  }

  private set(status: UpdateStatus): void {
    this.current = status;
    this.deps.onStatus?.(status);
  }
}

/** The service as the IPC layer sees it, looking for an update after each Z (a day closed: a quiet moment). */
export function checkingAfterZ(service: Pick<TillService, 'call'>, updater: Pick<Updater, 'check'>): Pick<TillService, 'call'> {
  return {
    call: async (name, input) => {
      const result = await service.call(name, input);
      if (name === 'zReport' && result.ok) void updater.check('z');
      return result;
    },
  };
}
