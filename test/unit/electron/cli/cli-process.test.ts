import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { QfpayClient } from '../../../../electron/qfpay/client';
import { TRAINING_CREDENTIALS } from '../../../../electron/simulator/server';
import { within } from './support';

// The real command, as a script would run it: `tsx electron/cli.ts simulator
// --port 0` in a child process, read its first line, pay against it, stop it.

const ROOT = resolve(__dirname, '../../../..');
let child: ChildProcess | undefined;

afterEach(async () => {
  // Only this test's own child, by its handle; never anything by name. SIGTERM
  // first: tsx passes it on to the node process it started, SIGKILL would not.
  const proc = child;
  child = undefined;
  if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
  const gone = new Promise<void>((resolveExit) => proc.once('exit', () => resolveExit()));
  proc.kill('SIGTERM');
  await within(gone, 5_000, 'the child to exit').catch(() => proc.kill('SIGKILL'));
});

function firstStdoutLine(proc: ChildProcess): Promise<string> {
  return new Promise((resolveLine, reject) => {
    let buffered = '';
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });
    proc.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString('utf8');
      const end = buffered.indexOf('\n');
      if (end >= 0) resolveLine(buffered.slice(0, end).trim());
    });
    proc.once('exit', (code) => reject(new Error(`exited with ${code} before printing a line: ${stderr}`)));
    proc.once('error', reject);
  });
}

it('`till simulator --port 0` prints its URL first, takes a signed payment, and exits 0 on SIGTERM', async () => {
  const proc = spawn(resolve(ROOT, 'node_modules/.bin/tsx'), ['electron/cli.ts', 'simulator', '--port', '0'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '' },
  });
  child = proc;
  const exited = new Promise<number | null>((resolveExit) => proc.once('exit', (code) => resolveExit(code)));

  const url = await within(firstStdoutLine(proc), 15_000, 'the first stdout line');
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

  const client = new QfpayClient({ baseUrl: url, appCode: TRAINING_CREDENTIALS.appCode, clientKey: TRAINING_CREDENTIALS.clientKey, timeoutMs: 5_000 });
  const outcome = await client.payment({ txamt: 1000, txcurrcd: 'HKD', out_trade_no: 'SPAWN-1' });
  expect(outcome.kind).toBe('answered');
  expect(outcome.kind === 'answered' && outcome.answer.respcd).toBe('0000');
  expect(outcome.kind === 'answered' && outcome.answer.qrcode).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);

  proc.kill('SIGTERM');
  expect(await within(exited, 10_000, 'the child to exit')).toBe(0);
}, 30_000);
