import { spawn, type ChildProcess } from 'node:child_process';

export type { ChildProcess };
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Runs the real `till` command line as a child process, the way a crash test
// needs it: one process (so a SIGKILL the till sends itself is seen as the
// child's signal), bounded by a timeout, and tracked so a test can kill
// leftovers by pid.
//
// The child is `node --import tsx electron/cli.ts …` rather than
// `node_modules/.bin/tsx electron/cli.ts …`: the tsx CLI runs the script in a
// grandchild and, when that grandchild is SIGKILLed, exits itself with code
// 137 — the crash would then show as an exit code, never as signal SIGKILL.
// `--import tsx` loads the same TypeScript loader in a single process.

export const ROOT = resolve(__dirname, '../..');
const LOCAL_NODE = join(ROOT, 'node_modules/.bin/node');
/** Node 22 from the `node` dev-dependency when present (what every npm script runs on), else this process's node. */
export const NODE = existsSync(LOCAL_NODE) ? LOCAL_NODE : process.execPath;
export const CLI = join(ROOT, 'electron/cli.ts');

export interface CliRun {
  args: string[];
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  durationMs: number;
  /** The harness killed it because it outlived its timeout (not a crash point). */
  timedOut: boolean;
}

export interface CliOptions {
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  /** Also tracked here, so one test can kill its own leftovers while others run. */
  group?: Set<ChildProcess>;
}

const live = new Set<ChildProcess>();

/** Environment for a child: this process's, minus anything that would point the till elsewhere. */
function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (key.startsWith('QFPAY_') || key.startsWith('TILL_')) continue;
    env[key] = value;
  }
  for (const [key, value] of Object.entries(extra)) if (value !== undefined) env[key] = value;
  return env;
}

export function runCli(args: string[], options: CliOptions = {}): Promise<CliRun> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const started = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(NODE, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env: childEnv(options.env ?? {}), stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    options.group?.add(child);
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      live.delete(child);
      options.group?.delete(child);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      live.delete(child);
      options.group?.delete(child);
      resolvePromise({ args, code, signal, stdout, stderr, durationMs: performance.now() - started, timedOut });
    });
  });
}

/** Kills, by pid, every child of `group` (default: every child this module started) that is still running. Returns how many. */
export function killLeftovers(group: Set<ChildProcess> = live): number {
  let killed = 0;
  for (const child of [...group]) {
    if (child.exitCode === null && child.signalCode === null && child.pid !== undefined) {
      try {
        process.kill(child.pid, 'SIGKILL');
        killed += 1;
      } catch {
        // Already gone.
      }
    }
    group.delete(child);
    live.delete(child);
  }
  return killed;
}

/** One line about a finished child, for failure messages. */
export function describeRun(run: CliRun): string {
  const how = run.timedOut ? `timed out after ${Math.round(run.durationMs)} ms` : run.signal ? `signal ${run.signal}` : `exit ${run.code}`;
  const tail = (text: string) => text.trim().split('\n').slice(-6).join(' | ');
  return `till ${run.args.join(' ')} → ${how}; stdout: ${tail(run.stdout) || '-'}; stderr: ${tail(run.stderr) || '-'}`;
}
