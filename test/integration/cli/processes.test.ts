import { emptyFaultPlan } from '../../../electron/simulator/faults';
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { main } from '../../../electron/cli';
import { EXIT } from '../../../electron/cli/io';
import { TRAINING_CREDENTIALS, startSimulator, type QfpaySimulator } from '../../../electron/simulator/server';
import { journalFileFor } from '../../../electron/till/core';
import { CLI, NODE, ROOT } from '../../crash/cli-child';
import { addSale, cleanup, trainingDataDir } from '../../unit/electron/reports/fixtures';
import { capture, within } from '../../unit/electron/cli/support';

// Real `till` processes (issue 9, parts 4 and 5): a command stuck in recovery
// stops on the first SIGTERM; a second process never takes over a payment
// the first one has in flight.

const UDID = 'till-proc';
const children = new Set<ChildProcess>();
const closers: Array<() => Promise<void>> = [];

afterEach(async () => {
  // Only this file's own children, by their handles.
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children.clear();
  while (closers.length > 0) await closers.pop()!();
  cleanup();
});

interface Child {
  proc: ChildProcess;
  stdout: string[];
  stderr: () => string;
  /** Resolves with the first stdout line that matches. */
  line(match: (line: string) => boolean): Promise<string>;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

function till(args: string[]): Child {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) if (!key.startsWith('QFPAY_') && !key.startsWith('TILL_')) env[key] = value;
  // One process (node --import tsx), so the signal reaches the till itself.
  const proc = spawn(NODE, ['--import', 'tsx', CLI, ...args], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  children.add(proc);
  const stdout: string[] = [];
  let stderr = '';
  let partial = '';
  const waiters: Array<{ match: (line: string) => boolean; resolve: (line: string) => void }> = [];
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    partial += chunk;
    let end: number;
    while ((end = partial.indexOf('\n')) >= 0) {
      const line = partial.slice(0, end);
      partial = partial.slice(end + 1);
      stdout.push(line);
      for (const w of [...waiters]) if (w.match(line)) w.resolve(line);
    }
  });
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => proc.once('exit', (code, signal) => resolve({ code, signal })));
  return {
    proc,
    stdout,
    stderr: () => stderr,
    exit,
    line: (match) =>
      new Promise((resolve, reject) => {
        const seen = stdout.find(match);
        if (seen !== undefined) return resolve(seen);
        waiters.push({ match, resolve });
        void exit.then(() => reject(new Error(`the till exited without that line; stderr: ${stderr}`)));
      }),
  };
}

/** QFPay taking connections and never answering; resolves `reached` on the first request. */
async function blackHole(): Promise<{ baseUrl: string; reached: Promise<void> }> {
  let reachedResolve: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (reachedResolve = resolve));
  const server: Server = createServer(() => reachedResolve());
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))));
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, reached };
}

it('a till recover stuck on an unanswering QFPay stops on the first SIGTERM, promptly, non-zero, journal as it was', async () => {
  const qfpay = await blackHole();
  const now = Date.now();
  const dir = trainingDataDir(UDID, (journal) => addSale(journal, 'S-STUCK', { amountMinor: 990, createdAtMs: now - 60_000, state: 'unknown' }), qfpay.baseUrl);
  const child = till(['recover', '--data-dir', dir, '--base-url', qfpay.baseUrl, '--udid', UDID]);
  await within(qfpay.reached, 30_000, 'the first query to reach QFPay');

  child.proc.kill('SIGTERM');
  const exited = await within(child.exit, 10_000, 'the till to exit after one SIGTERM');
  expect(exited).toEqual({ code: EXIT.unknown, signal: null });
  expect(child.stderr()).toMatch(/stopped while settling unfinished sales with QFPay: nothing is half-written in the journal; what is still open is left for till recover/);
  expect(child.stderr()).toMatch(/sale S-STUCK {2}UNKNOWN/);
  expect(child.stderr()).not.toMatch(/\n\s+at /);

  const db = new Database(join(dir, journalFileFor({ baseUrl: qfpay.baseUrl, ...TRAINING_CREDENTIALS })), { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.prepare("SELECT state FROM sales WHERE out_trade_no = 'S-STUCK'").get()).toEqual({ state: 'unknown' });
    expect(db.prepare('SELECT COUNT(*) AS n FROM leases').get()).toEqual({ n: 0 });
  } finally {
    db.close();
  }
}, 60_000);

it('status and recover in a second process leave a payment in flight to the till that sent it, which shows its QR and is paid', async () => {
  const sim: QfpaySimulator = await startSimulator({ seed: 9, refundCutoffWindow: false, refundNeedsCover: false });
  closers.push(() => sim.close());
  // The payment's answer takes a while: the sale is "requesting" while the second process looks.
  sim.setFaults({ ...emptyFaultPlan(), endpoints: { payment: { delayMs: 1_500, count: 1 } } });
  const dir = trainingDataDir(UDID, () => undefined, sim.baseUrl);
  const base = ['--data-dir', dir, '--base-url', sim.baseUrl, '--udid', UDID];
  const charge = till(['charge', '1.23', '--json', ...base]);
  while (sim.requestCounts.payment === 0) {
    if (charge.proc.exitCode !== null) throw new Error(`till charge exited: ${charge.stderr()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }

  const status = capture();
  expect(await main(['status', ...base], { env: {}, io: status.io, stopSignal: new Promise(() => undefined) })).toBe(EXIT.ok);
  expect(status.err.join('\n')).toMatch(new RegExp(`sale \\S+ {2}REQUESTING {2}settled by another till process \\(pid ${charge.proc.pid}\\)`));
  const recover = capture();
  expect(await main(['recover', '--json', ...base], { env: {}, io: recover.io, stopSignal: new Promise(() => undefined) })).toBe(EXIT.ok);
  const summary = JSON.parse(recover.out.join('\n')) as { sales: unknown[]; elsewhere: Array<{ outTradeNo: string; state: string }> };
  expect(summary.sales).toEqual([]);
  expect(summary.elsewhere).toEqual([expect.objectContaining({ state: 'requesting' })]);
  // A charge from here is refused, naming the process whose sale is open.
  const other = capture();
  expect(await main(['charge', '2.00', ...base], { env: {}, io: other.io, stopSignal: new Promise(() => undefined) })).toBe(EXIT.failed);
  expect(other.err.join('\n')).toMatch(new RegExp(`another till process \\(pid ${charge.proc.pid}\\) has a sale open: finish it there first`));

  const created = JSON.parse(await within(charge.line((l) => l.includes('"created"')), 20_000, 'the created event')) as { sale: { outTradeNo: string; qrcode: string } };
  expect(created.sale.qrcode).toMatch(/^weixin:/);
  expect(created.sale.outTradeNo).toBe(summary.elsewhere[0]!.outTradeNo);
  sim.pay({ out_trade_no: created.sale.outTradeNo });
  expect(await within(charge.exit, 20_000, 'till charge to exit')).toEqual({ code: EXIT.ok, signal: null });
  expect(JSON.parse(charge.stdout.at(-1)!)).toMatchObject({ event: 'final', sale: { state: 'paid' } });
}, 90_000);
