import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../../../electron/journal/database';
import { Journal } from '../../../../electron/journal/journal';
import { Leases, describeHolder, processRuns } from '../../../../electron/journal/leases';
import { sale } from './fixtures';

// Leases on one journal file opened by two "processes" (two connections with
// their own owner, pid and clock reading): a process drives only what it
// holds; a holder counts while its heartbeat is fresh and, on the same
// machine, its pid runs.

const dirs: string[] = [];
const dbs: Db[] = [];
afterEach(() => {
  for (const db of dbs.splice(0)) if (db.open) db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function twoConnections(): [Db, Db] {
  const dir = mkdtempSync(join(tmpdir(), 'journal-leases-'));
  dirs.push(dir);
  const path = join(dir, 'journal.sqlite');
  const a = openDatabase(path);
  const b = openDatabase(path);
  dbs.push(a, b);
  return [a, b];
}

const TIMING = { heartbeatMs: 1_000, expiryMs: 3_000 };

describe('leases', () => {
  it('a live holder keeps its lease; a second process reads but cannot claim', () => {
    const [dbA, dbB] = twoConnections();
    let now = 1_000;
    const running = new Set([101, 202]);
    const a = new Leases(dbA, { udid: 'till-01', now: () => now, timing: TIMING, pid: 101, host: 'counter', processRuns: (pid) => running.has(pid) });
    const b = new Leases(dbB, { udid: 'till-01', now: () => now, timing: TIMING, pid: 202, host: 'counter', processRuns: (pid) => running.has(pid) });

    expect(a.claim('S-1')).toBe(true);
    expect(a.claim('S-1')).toBe(true);
    expect(b.claim('S-1')).toBe(false);
    expect(b.heldElsewhere('S-1')).toMatchObject({ pid: 101, host: 'counter' });
    expect(describeHolder(b.heldElsewhere('S-1')!, 'counter')).toBe('pid 101');
    expect(describeHolder(b.heldElsewhere('S-1')!, 'office')).toBe('pid 101 on counter');
    expect(a.heldElsewhere('S-1')).toBeUndefined();

    // Heartbeats keep it alive past the expiry.
    now += 2_500;
    a.beat();
    now += 2_500;
    expect(b.claim('S-1')).toBe(false);
  });

  it('an owner whose heartbeat expired is gone: its lease is taken over', () => {
    const [dbA, dbB] = twoConnections();
    let now = 1_000;
    // Another machine: its pid cannot be checked, only its heartbeat.
    const a = new Leases(dbA, { udid: 'till-01', now: () => now, timing: TIMING, pid: 101, host: 'counter', processRuns: () => true });
    const b = new Leases(dbB, { udid: 'till-01', now: () => now, timing: TIMING, pid: 202, host: 'office', processRuns: () => false });
    expect(a.claim('S-1')).toBe(true);
    now += 2_999;
    expect(b.claim('S-1')).toBe(false);
    now += 1;
    expect(b.claim('S-1')).toBe(true);
    expect(a.heldElsewhere('S-1')).toMatchObject({ pid: 202, host: 'office' });
  });

  it('on the same machine an owner whose process died is gone at once', () => {
    const [dbA, dbB] = twoConnections();
    const running = new Set([101, 202]);
    const a = new Leases(dbA, { udid: 'till-01', now: () => 1_000, timing: TIMING, pid: 101, host: 'counter', processRuns: (pid) => running.has(pid) });
    const b = new Leases(dbB, { udid: 'till-01', now: () => 1_000, timing: TIMING, pid: 202, host: 'counter', processRuns: (pid) => running.has(pid) });
    expect(a.claim('S-1')).toBe(true);
    running.delete(101);
    expect(b.claim('S-1')).toBe(true);
  });

  it('releaseAll at shutdown frees every lease at once', () => {
    const [dbA, dbB] = twoConnections();
    const a = new Leases(dbA, { udid: 'till-01', now: () => 1_000, timing: TIMING, pid: 101, host: 'counter', processRuns: () => true });
    const b = new Leases(dbB, { udid: 'till-01', now: () => 1_000, timing: TIMING, pid: 202, host: 'counter', processRuns: () => true });
    a.claim('S-1');
    a.claim('R-1');
    a.releaseAll();
    expect(b.claim('S-1')).toBe(true);
    expect(b.claim('R-1')).toBe(true);
  });

  it('processRuns: this process runs; a pid that cannot exist does not', () => {
    expect(processRuns(process.pid)).toBe(true);
    expect(processRuns(2 ** 22 + 12_345)).toBe(false);
  });
});

describe('a journal with leases', () => {
  it('leases a sale written ahead in the same transaction, refuses another live process its transitions, and frees it when final', () => {
    const [dbA, dbB] = twoConnections();
    const opts = { udid: 'till-01', now: () => 1_000, timing: TIMING, host: 'counter', processRuns: () => true };
    const leasesA = new Leases(dbA, { ...opts, pid: 101 });
    const leasesB = new Leases(dbB, { ...opts, pid: 202 });
    const a = new Journal(dbA, 'till-01', true);
    const b = new Journal(dbB, 'till-01', true);
    a.useLeases(leasesA);
    b.useLeases(leasesB);

    a.insertSale(sale('S-1'), { reason: 'charge' });
    expect(leasesB.heldElsewhere('S-1')).toMatchObject({ pid: 101 });
    // The second process's recovery would have moved it to unknown: refused, as a stale read is.
    expect(b.updateSale('S-1', ['requesting'], { state: 'unknown', updatedAtMs: 2 }, { reason: 'recovery' })).toBeUndefined();
    expect(b.sale('S-1')?.state).toBe('requesting');

    expect(a.updateSale('S-1', ['requesting'], { state: 'awaiting_scan', updatedAtMs: 2 }, { reason: 'order created' })?.state).toBe('awaiting_scan');
    expect(a.updateSale('S-1', ['awaiting_scan'], { state: 'paid', updatedAtMs: 3 }, { reason: 'paid' })?.state).toBe('paid');
    expect(leasesB.heldElsewhere('S-1')).toBeUndefined();
    expect(dbB.prepare('SELECT COUNT(*) AS n FROM leases').get()).toEqual({ n: 0 });
  });

  it('a reader writes nothing: no owner row until it holds a lease', () => {
    const [dbA] = twoConnections();
    const leases = new Leases(dbA, { udid: 'till-01', now: () => 1_000, timing: TIMING });
    leases.beat();
    expect(leases.heldElsewhere('S-1')).toBeUndefined();
    expect(dbA.prepare('SELECT COUNT(*) AS n FROM lease_owners').get()).toEqual({ n: 0 });
  });
});
