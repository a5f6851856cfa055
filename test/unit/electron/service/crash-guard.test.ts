import { EventEmitter } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_RELOADS, RELOAD_WINDOW_MS, guardMainProcess, guardRenderers, type CrashedScreen } from '../../../../electron/service/crash-guard';
import { RotatingFileLog } from '../../../../electron/service/log';
import { CLIENT_KEY } from './support';

// Crashes are written to the redacting log with their stack, and survived:
// main keeps running, a crashed window is reloaded with the banner query,
// a window that crashes on every load is not reloaded for ever.

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function fileLog(): { log: RotatingFileLog; lines: () => string[] } {
  const dir = mkdtempSync(join(tmpdir(), 'till-crash-'));
  dirs.push(dir);
  const log = new RotatingFileLog(dir, () => [CLIENT_KEY]);
  return { log, lines: () => readFileSync(log.path, 'utf8').trim().split('\n') };
}

function screen(kind: CrashedScreen['kind']): CrashedScreen & { reloads: number } {
  return {
    kind,
    reloads: 0,
    reload() {
      this.reloads += 1;
    },
  };
}

describe('guardMainProcess', () => {
  it('logs an uncaught exception with its stack, secrets masked, and keeps the process alive', () => {
    const proc = new EventEmitter();
    const { log, lines } = fileLog();
    guardMainProcess(proc, log);
    const error = new Error(`signing failed with ${CLIENT_KEY}`);
    // With a listener, Node does not exit on 'uncaughtException'; emitting returns normally.
    expect(proc.emit('uncaughtException', error, 'uncaughtException')).toBe(true);
    const [line] = lines();
    expect(line).toMatch(/ERROR uncaught exception in the main process; the till keeps running/);
    expect(line).toContain('signing failed with ***');
    expect(line).not.toContain(CLIENT_KEY);
    expect(line).toContain('crash-guard.test.ts');
  });

  it('logs an unhandled rejection, with a non-Error reason as text', () => {
    const proc = new EventEmitter();
    const { log, lines } = fileLog();
    guardMainProcess(proc, log);
    proc.emit('unhandledRejection', new TypeError('no journal'), Promise.resolve());
    proc.emit('unhandledRejection', 'plain reason', Promise.resolve());
    expect(lines()).toHaveLength(2);
    expect(lines()[0]).toMatch(/unhandled promise rejection.*"error":"no journal","stack":"TypeError: no journal/);
    expect(lines()[1]).toContain('"error":"plain reason"');
  });

  it('undoes itself when the app has stopped', () => {
    const proc = new EventEmitter();
    const unguard = guardMainProcess(proc, fileLog().log);
    expect(proc.listenerCount('uncaughtException') + proc.listenerCount('unhandledRejection')).toBe(2);
    unguard();
    expect(proc.listenerCount('uncaughtException') + proc.listenerCount('unhandledRejection')).toBe(0);
  });
});

describe('guardRenderers', () => {
  function setUp() {
    const app = new EventEmitter();
    const { log, lines } = fileLog();
    const cashier = screen('cashier');
    const contents = { id: 1 };
    let now = 1_000_000;
    guardRenderers(app, log, (c) => (c === contents ? cashier : undefined), () => now);
    return { app, lines, cashier, contents, advance: (ms: number) => (now += ms) };
  }

  it('a crashed window is logged and reloaded', () => {
    const { app, lines, cashier, contents } = setUp();
    app.emit('render-process-gone', {}, contents, { reason: 'crashed', exitCode: 139 });
    expect(cashier.reloads).toBe(1);
    expect(lines()[0]).toMatch(/ERROR a window crashed \{"window":"cashier","reason":"crashed","exitCode":139\}/);
    expect(lines()[1]).toMatch(/INFO the window was reloaded/);
  });

  it('a page closed normally (the app quitting) is not a crash', () => {
    const { app, cashier, contents } = setUp();
    app.emit('render-process-gone', {}, contents, { reason: 'clean-exit', exitCode: 0 });
    expect(cashier.reloads).toBe(0);
  });

  it(`stops reloading a window that crashed ${MAX_RELOADS} times within a minute, and reloads it again later`, () => {
    const { app, lines, cashier, contents, advance } = setUp();
    for (let i = 0; i < MAX_RELOADS + 2; i++) app.emit('render-process-gone', {}, contents, { reason: 'oom' });
    expect(cashier.reloads).toBe(MAX_RELOADS);
    expect(lines().some((l) => l.includes('the window keeps crashing; not reloading it again'))).toBe(true);
    advance(RELOAD_WINDOW_MS);
    app.emit('render-process-gone', {}, contents, { reason: 'oom' });
    expect(cashier.reloads).toBe(MAX_RELOADS + 1);
  });

  it('a crash in a contents that is not one of ours is logged, nothing reloaded', () => {
    const { app, lines, cashier } = setUp();
    app.emit('render-process-gone', {}, { id: 2 }, { reason: 'killed' });
    expect(cashier.reloads).toBe(0);
    expect(lines()[0]).toContain('"window":"other"');
  });

  it('a helper process that died (GPU, utility) is logged with its type and name', () => {
    const { app, lines } = setUp();
    app.emit('child-process-gone', {}, { type: 'GPU', reason: 'crashed', exitCode: 11 });
    app.emit('child-process-gone', {}, { type: 'Utility', serviceName: 'network.mojom.NetworkService', reason: 'killed', exitCode: 9 });
    app.emit('child-process-gone', {}, { type: 'Utility', reason: 'clean-exit', exitCode: 0 });
    expect(lines()).toHaveLength(2);
    expect(lines()[0]).toMatch(/ERROR a helper process crashed \{"type":"GPU","name":null,"reason":"crashed","exitCode":11\}/);
    expect(lines()[1]).toContain('"name":"network.mojom.NetworkService"');
  });
});
