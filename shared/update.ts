// Where the app's own update stands (electron/service/updater.ts), as the
// Settings screen shows it.
export type UpdateStatus =
  | { state: 'off' }
  | { state: 'idle' }
  | { state: 'checking' }
  | { state: 'downloading'; version: string }
  | { state: 'ready'; version: string }
  | { state: 'error'; message: string };
