import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

// Electron 45 no longer downloads its binary when installed: the electron
// package fetches it on first require('electron') or through its own
// `install-electron` bin, and electron-vite reads node_modules/electron/path.txt
// directly (throwing "Electron uninstall" when it is absent). So start, dev and
// dist run electron's own installer first, and say plainly what to do when it
// cannot fetch the binary (offline), instead of a stack trace.

export const FETCH_COMMAND = 'npx install-electron';

/** Where the electron package is, and whether its binary is there for this version (the check install.js makes). */
export function electronStatus(root) {
  const dir = join(root, 'node_modules', 'electron');
  const { version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const read = (file) => (existsSync(join(dir, file)) ? readFileSync(join(dir, file), 'utf8').trim() : '');
  const relative = read('path.txt');
  const executable = relative ? join(dir, 'dist', relative) : '';
  const installed = !!relative && read(join('dist', 'version')).replace(/^v/, '') === version && existsSync(executable);
  return { dir, version, executable, installed };
}

/**
 * Runs electron's installer when the binary is missing. Its output is kept
 * (it prints a stack trace when the download fails); the first line of the
 * error goes into the message instead.
 */
export function ensureElectron(root) {
  const before = electronStatus(root);
  if (before.installed) return { ok: true, status: before };
  process.stdout.write(`Fetching the Electron ${before.version} binary (once per install)...\n`);
  const run = spawnSync(process.execPath, [join(before.dir, 'install.js')], { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  const after = electronStatus(root);
  if (after.installed) return { ok: true, status: after };
  const reason = `${run.stderr ?? ''}\n${run.error?.message ?? ''}`.split('\n').map((line) => line.trim()).find((line) => line.length > 0);
  return { ok: false, status: after, reason: reason ?? `the installer exited with ${run.status}` };
}

/** The one paragraph shown when the binary is missing and could not be fetched. */
export function missingElectronMessage(version, reason) {
  return (
    `WeChat Pay Till cannot open: the Electron ${version} program it runs in is not installed ` +
    `(node_modules/electron/dist is missing) and it could not be downloaded just now (${reason}). ` +
    `When this computer is online, run \`${FETCH_COMMAND}\` once, then try again. ` +
    'Everything else works without it: `npm test` runs the whole test suite, and the `till` command line ' +
    '(`npm run till -- help`) takes payments and refunds against QFPay or the simulator.'
  );
}
