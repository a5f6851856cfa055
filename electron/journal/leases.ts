import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from './database';

// Several processes may open one journal (the app and `till` commands, or two
// commands). Only one may drive an open sale or refund: two drivers would
// race each other's transitions (a `till status` once moved the app's sale
// from "requesting" to "unknown" while the app waited for its QR). A process
// drives only what it holds a lease on; a lease counts while its owner is
// alive: its heartbeat is fresh and, on this machine, its pid still runs.
// Times are wall-clock milliseconds: the only clock processes share.

export interface LeaseTiming {
  /** How often a live owner writes its heartbeat. */
  heartbeatMs: number;
  /** An owner silent this long is gone; its leases may be taken over. */
  expiryMs: number;
}

export const DEFAULT_LEASE_TIMING: LeaseTiming = { heartbeatMs: 3_000, expiryMs: 10_000 };

export interface LeaseHolder {
  owner: string;
  pid: number;
  host: string;
  heartbeatAtMs: number;
}

/** What the engine needs: take a lease before driving, and see who else drives. */
export interface LeasePort {
  /** Takes (or keeps) the lease of `outTradeNo`; false when another live process holds it. */
  claim(outTradeNo: string): boolean;
  /** The live process other than this one that holds the lease, if any. */
  heldElsewhere(outTradeNo: string): LeaseHolder | undefined;
}

/** Whether a process of this machine is still running (signal 0 only checks). */
export function processRuns(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, under another user.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export interface LeaseOptions {
  /** This till's udid: every journal row carries it. */
  udid: string;
  now: () => number;
  timing?: LeaseTiming;
  /** Injected by tests; defaults to this process. */
  pid?: number;
  host?: string;
  processRuns?: (pid: number) => boolean;
}

interface OwnerRow {
  owner: string;
  pid: number;
  host: string;
  heartbeat_at_ms: number;
}

export class Leases implements LeasePort {
  /** This process instance: unique even when a pid is reused. */
  readonly owner: string;
  readonly pid: number;
  readonly host: string;
  readonly timing: LeaseTiming;
  private readonly udid: string;
  private readonly now: () => number;
  private readonly runs: (pid: number) => boolean;
  private readonly stmt;

  constructor(
    private readonly db: Db,
    options: LeaseOptions,
  ) {
    this.udid = options.udid;
    this.now = options.now;
    this.timing = options.timing ?? DEFAULT_LEASE_TIMING;
    this.pid = options.pid ?? process.pid;
    this.host = options.host ?? hostname();
    this.runs = options.processRuns ?? processRuns;
    this.owner = `${this.host}:${this.pid}:${randomBytes(4).toString('hex')}`;
    this.stmt = {
      upsertOwner: db.prepare(
        'INSERT INTO lease_owners (owner, udid, pid, host, started_at_ms, heartbeat_at_ms) VALUES (@owner, @udid, @pid, @host, @now, @now) ON CONFLICT (owner) DO UPDATE SET heartbeat_at_ms = excluded.heartbeat_at_ms',
      ),
      beat: db.prepare('UPDATE lease_owners SET heartbeat_at_ms = ? WHERE owner = ?'),
      holder: db.prepare('SELECT o.owner, o.pid, o.host, o.heartbeat_at_ms FROM leases l LEFT JOIN lease_owners o ON o.owner = l.owner WHERE l.out_trade_no = ?'),
      leaseOwner: db.prepare('SELECT owner FROM leases WHERE out_trade_no = ?'),
      take: db.prepare(
        'INSERT INTO leases (out_trade_no, udid, owner, taken_at_ms) VALUES (?, ?, ?, ?) ON CONFLICT (out_trade_no) DO UPDATE SET udid = excluded.udid, owner = excluded.owner, taken_at_ms = excluded.taken_at_ms',
      ),
      release: db.prepare('DELETE FROM leases WHERE out_trade_no = ? AND owner = ?'),
      releaseAll: db.prepare('DELETE FROM leases WHERE owner = ?'),
      forgetOwner: db.prepare('DELETE FROM lease_owners WHERE owner = ?'),
      // Owners silent for a day hold nothing that counts: keep the table small.
      forgetSilent: db.prepare('DELETE FROM lease_owners WHERE heartbeat_at_ms < ?'),
    };
  }

  /** Renews this process's heartbeat (only once it holds or held a lease: a reader writes nothing). */
  beat(): void {
    this.stmt.beat.run(this.now(), this.owner);
  }

  claim(outTradeNo: string): boolean {
    // IMMEDIATE: the check and the take happen under the write lock, so two processes cannot both win.
    return this.db
      .transaction(() => {
        if (this.heldElsewhere(outTradeNo)) return false;
        this.takeNew(outTradeNo);
        return true;
      })
      .immediate();
  }

  /** Records this process's lease of `outTradeNo`; call inside the transaction that writes the row ahead. */
  takeNew(outTradeNo: string): void {
    const now = this.now();
    this.stmt.upsertOwner.run({ owner: this.owner, udid: this.udid, pid: this.pid, host: this.host, now });
    this.stmt.take.run(outTradeNo, this.udid, this.owner, now);
  }

  heldElsewhere(outTradeNo: string): LeaseHolder | undefined {
    const row = this.stmt.holder.get(outTradeNo) as (OwnerRow | { owner: null }) | undefined;
    if (!row || row.owner === null || row.owner === this.owner) return undefined;
    const holder = { owner: row.owner, pid: row.pid, host: row.host, heartbeatAtMs: row.heartbeat_at_ms };
    return this.alive(holder) ? holder : undefined;
  }

  /** True when the lease of `outTradeNo` belongs to this process. */
  holds(outTradeNo: string): boolean {
    const row = this.stmt.leaseOwner.get(outTradeNo) as { owner: string } | undefined;
    return row?.owner === this.owner;
  }

  private alive(holder: LeaseHolder): boolean {
    if (this.now() - holder.heartbeatAtMs >= this.timing.expiryMs) return false;
    return holder.host !== this.host || this.runs(holder.pid);
  }

  /** The row is final: nobody needs to drive it any more. */
  release(outTradeNo: string): void {
    this.stmt.release.run(outTradeNo, this.owner);
  }

  /** At shutdown: everything this process held may be taken over at once. */
  releaseAll(): void {
    if (!this.db.open) return;
    this.db.transaction(() => {
      this.stmt.releaseAll.run(this.owner);
      this.stmt.forgetOwner.run(this.owner);
      this.stmt.forgetSilent.run(this.now() - 86_400_000);
    })();
  }
}

/** "pid 123" on this machine, "pid 123 on other-host" elsewhere: how a person finds the other process. */
export function describeHolder(holder: LeaseHolder, host: string = hostname()): string {
  return holder.host === host ? `pid ${holder.pid}` : `pid ${holder.pid} on ${holder.host}`;
}
