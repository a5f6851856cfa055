import { constants, realpathSync, statSync } from 'node:fs';
import { open } from 'node:fs/promises';
import { basename, dirname, join, relative, isAbsolute } from 'node:path';

// Where an export (CSV, PDF) may be written (issue 10). The save dialog
// returns whatever path the person picks: pointing it at the live journal
// once overwrote journal.sqlite with CSV. A target inside the app's own
// folders (user data: settings, journal, logs), after resolving symlinks, is
// refused; so is a symlink or a file with other hard links (another name for
// the journal), checked on the opened file itself so nothing can be swapped
// in between the check and the write.

export type WriteOutcome = { ok: true; path: string } | { ok: false; reason: string };

/** Is `target` inside (or equal to) `dir`, both already real paths? */
function inside(target: string, dir: string): boolean {
  const rel = relative(dir, target);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function real(path: string): string {
  try {
    return realpathSync.native(path);
  } catch {
    return path;
  }
}

/** The real path the target names: its parent's real path (it may not exist yet) joined to its name, or its own if it exists. */
function resolveTarget(target: string): string | undefined {
  try {
    return realpathSync.native(target);
  } catch {
    try {
      return join(realpathSync.native(dirname(target)), basename(target));
    } catch {
      return undefined;
    }
  }
}

/** Why `target` may not be written, or undefined when it may (checked again on the open file by writeExport). */
export function refusedTarget(target: string, protectedDirs: readonly string[]): string | undefined {
  if (!isAbsolute(target)) return 'the file must be chosen with its full path';
  const resolved = resolveTarget(target);
  if (resolved === undefined) return 'the folder does not exist';
  for (const dir of protectedDirs) {
    if (inside(resolved, real(dir))) return "that folder holds the till's own data (journal, settings, log): choose another place";
  }
  return undefined;
}

/**
 * Writes an export to `target` unless refusedTarget says no. The file is
 * opened without following a symlink and without truncating; only a plain
 * file with a single name is then emptied and written.
 */
export async function writeExport(target: string, content: string | Buffer, protectedDirs: readonly string[]): Promise<WriteOutcome> {
  const refused = refusedTarget(target, protectedDirs);
  if (refused) return { ok: false, reason: refused };
  let handle;
  try {
    handle = await open(target, constants.O_WRONLY | constants.O_CREAT | (constants.O_NOFOLLOW ?? 0), 0o644);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ELOOP' ? 'that name is a link to another file: choose another name' : `the file cannot be written (${code ?? 'error'})` };
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) return { ok: false, reason: 'that is not a plain file: choose another name' };
    if (stat.nlink > 1) return { ok: false, reason: 'that file has other names (hard links): choose another name' };
    // The folder could have been swapped for a link between the check and the open: the file opened must be the one checked.
    const recheck = refusedTarget(target, protectedDirs);
    if (recheck) return { ok: false, reason: recheck };
    const named = statSync(resolveTarget(target) ?? target, { throwIfNoEntry: false });
    if (!named || named.dev !== stat.dev || named.ino !== stat.ino) return { ok: false, reason: 'the file changed while it was being saved: try again' };
    await handle.truncate(0);
    await handle.writeFile(content);
    return { ok: true, path: target };
  } finally {
    await handle.close();
  }
}
