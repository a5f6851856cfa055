import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../journal/database';
import { Journal } from '../journal/journal';
import { Leases, type LeaseTiming } from '../journal/leases';
import { QfpayClient, type FetchLike } from '../qfpay/client';
import type { SignAlgorithm } from '../qfpay/sign';
import { QfpaySimulator, TRAINING_CREDENTIALS, type SimulatorOptions } from '../simulator/server';
import { tillBudgetPerMinute } from './budget';
import { systemClock, type Clock } from './clock';
import type { PaymentSettings } from './charge-input';
import type { CrashHook } from './crash';
import { TillEngine } from './engine';
import { exchangeRecorder } from './exchange-log';
import type { Timing } from './timing';

// Builds the till core — journal, QFPay client, engine, and in training mode
// the simulator — the same way for the desktop app and the command line.

export interface Credentials {
  baseUrl: string;
  appCode: string;
  clientKey: string;
  mchid?: string | undefined;
}

export interface TillOptions {
  dataDir: string;
  /** Absent: training mode, against an in-process simulator. */
  credentials?: Credentials | undefined;
  /** This till's udid; when absent, the one the journal already has, else a new one. */
  udid?: string | undefined;
  timeZone?: string | undefined;
  expiredMinutes?: number;
  tillsPerMerchant?: number;
  /** Overrides the budget derived from tillsPerMerchant (benchmarks, tests). */
  budgetPerMinute?: number;
  signType?: SignAlgorithm;
  verifyResponseSignature?: boolean;
  requestTimeoutMs?: number;
  clock?: Clock;
  random?: () => number;
  crash?: CrashHook;
  /** Unexpected errors in the engine's loops (bugs), for the app's log. */
  onError?: (where: string, error: unknown) => void;
  timing?: Partial<Timing>;
  fetch?: FetchLike;
  /** Heartbeat and expiry of this process's leases (tests shrink them). */
  leaseTiming?: LeaseTiming;
  /** The merchant's wallet settings, read at each charge (the app's Settings); absent: every wallet (the command line). */
  payments?: () => PaymentSettings;
  /** Options for the training simulator (seed, rate limits…). */
  simulator?: Omit<SimulatorOptions, 'appCode' | 'clientKey' | 'mchid' | 'now' | 'controlToken'>;
  /**
   * The training simulator's control-API token; a fresh random one per run when absent. Only whoever
   * launches the app can set it (TILL_TRAINING_SIM_TOKEN): the real-Electron smoke test pays through it.
   */
  simulatorControlToken?: string | undefined;
}

export interface Till {
  engine: TillEngine;
  journal: Journal;
  client: QfpayClient;
  training: boolean;
  /** Only in training mode. */
  simulator: QfpaySimulator | undefined;
  journalPath: string;
  /** The QFPay (or simulator) base URL this till talks to. */
  baseUrl: string;
  /** Which process drives which open sale or refund of this journal. */
  leases: Leases;
  /**
   * Stops the engine and closes everything. With `graceMs`, waits at most
   * that long for requests in flight (a command told to stop): the journal
   * is consistent at every instant, so what is still open stays open for
   * the next recovery.
   */
  close(graceMs?: number): Promise<void>;
}

export const JOURNAL_FILES = { real: 'journal.sqlite', training: 'training-journal.sqlite' } as const;

/**
 * The journal file for these credentials. The in-process training simulator
 * (no credentials) keeps `training-journal.sqlite`; each outside simulator
 * (a `till simulator`, by host and port) has its own: its orders exist only
 * there, so a sale made against one must never be "recovered" against another.
 */
export function journalFileFor(credentials: Credentials | undefined): string {
  if (!isTrainingCredentials(credentials)) return JOURNAL_FILES.real;
  if (!credentials) return JOURNAL_FILES.training;
  let where: string;
  try {
    const url = new URL(credentials.baseUrl);
    where = `${url.hostname}-${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
  } catch {
    where = credentials.baseUrl;
  }
  return `training-journal-${where.replace(/[^A-Za-z0-9.-]/g, '_')}.sqlite`;
}

/** Training credentials against a loopback simulator are training too: their journal must stay apart. */
export function isTrainingCredentials(credentials: Credentials | undefined): boolean {
  return credentials === undefined || credentials.appCode === TRAINING_CREDENTIALS.appCode;
}

function storedUdid(db: Db): string | undefined {
  const row = db.prepare("SELECT value FROM meta WHERE key = 'udid'").get() as { value: string } | undefined;
  return row?.value;
}

/** TILL-XXXXXXXX: fits QFPay's udid (≤ 40) and out_trade_no's alphabet. */
export function newUdid(random: () => number): string {
  let id = 'TILL-';
  for (let i = 0; i < 8; i++) id += '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ'[Math.floor(random() * 34)];
  return id;
}

export async function openTill(options: TillOptions): Promise<Till> {
  const training = isTrainingCredentials(options.credentials);
  const clock = options.clock ?? systemClock;
  const requestTimeoutMs = options.requestTimeoutMs ?? 15_000;
  // A folder made here is this user's only (issue 10); an existing one keeps the mode its owner gave it.
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const journalPath = join(options.dataDir, journalFileFor(options.credentials));
  const db = openDatabase(journalPath);
  const random = options.random ?? Math.random;
  let journal: Journal;
  try {
    const udid = options.udid ?? storedUdid(db) ?? newUdid(random);
    journal = new Journal(db, udid, training);
  } catch (error) {
    // A refused journal (e.g. the other mode's file) must not stay open.
    db.close();
    throw error;
  }
  const udid = journal.udid;
  const leases = new Leases(db, { udid, now: () => clock.now(), timing: options.leaseTiming });
  journal.useLeases(leases);
  let beat = (): void => leases.beat();
  const heartbeat = setInterval(() => {
    try {
      beat();
    } catch (error) {
      // A busy or full disk must not stop the till; a missed beat only shortens the lease.
      options.onError?.('lease heartbeat', error);
    }
  }, leases.timing.heartbeatMs);
  heartbeat.unref();

  let simulator: QfpaySimulator | undefined;
  let credentials = options.credentials;
  try {
    if (!credentials) {
      // A fresh random token per run guards its control API (/__sim/*): a web
      // page on this machine must not be able to "pay" a training sale.
      const controlToken = options.simulatorControlToken || randomBytes(32).toString('base64url');
      simulator = new QfpaySimulator({ ...options.simulator, timeZone: options.timeZone, now: () => clock.now(), controlToken });
      const baseUrl = await simulator.listen();
      credentials = { baseUrl, ...TRAINING_CREDENTIALS };
    }
    const client = new QfpayClient({
      ...credentials,
      udid,
      timeZone: options.timeZone,
      signType: options.signType ?? 'MD5',
      verifyResponseSignature: options.verifyResponseSignature ?? false,
      timeoutMs: requestTimeoutMs,
      now: () => clock.now(),
      onExchange: exchangeRecorder(journal),
      ...(options.fetch ? { fetch: options.fetch } : {}),
    });
    const engine = new TillEngine(
      {
        udid,
        training,
        timeZone: options.timeZone,
        expiredMinutes: options.expiredMinutes ?? 30,
        budgetPerMinute: options.budgetPerMinute ?? tillBudgetPerMinute(options.tillsPerMerchant ?? 4),
        timing: options.timing,
        requestTimeoutMs,
        payments: options.payments,
      },
      { journal, client, clock, random, crash: options.crash, onError: options.onError, leases },
    );
    // Each beat also takes over what a process that ended left open (the app outlives many commands).
    beat = () => {
      leases.beat();
      engine.adoptOrphans();
    };
    let closing: Promise<void> | undefined;
    return {
      engine,
      journal,
      client,
      training,
      simulator,
      journalPath,
      baseUrl: credentials.baseUrl,
      leases,
      close(graceMs?: number) {
        // Once: a command that stopped early closes with a grace, and its `finally` closes again.
        closing ??= (async () => {
          const stopped = engine.stop();
          if (graceMs === undefined) await stopped;
          else await Promise.race([stopped, new Promise((resolve) => setTimeout(resolve, graceMs).unref())]);
          clearInterval(heartbeat);
          await simulator?.close();
          leases.releaseAll();
          journal.close();
        })();
        return closing;
      },
    };
  } catch (error) {
    clearInterval(heartbeat);
    await simulator?.close();
    journal.close();
    throw error;
  }
}
