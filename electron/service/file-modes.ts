import { chmodSync, mkdirSync } from 'node:fs';

// The till's files hold sales, the sealed client key and PIN record, and the
// log: readable by the user running the till only (issue 10). Folders 0700,
// files 0600, set explicitly because mkdir and open only ever narrow the
// mode by the umask, and a folder made by an older build keeps its mode.

export const PRIVATE_DIR_MODE = 0o700;
export const PRIVATE_FILE_MODE = 0o600;

/** Creates `dir` (and parents) if needed and makes it 0700. Windows has no such modes: chmod is a no-op there. */
export function ensurePrivateDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(dir, PRIVATE_DIR_MODE);
}

/** Makes an existing file 0600; a file that is not there (yet) is left alone. */
export function makePrivate(file: string): void {
  try {
    chmodSync(file, PRIVATE_FILE_MODE);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
