import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { openDatabase, type Db } from '../journal/database';
import { Journal } from '../journal/journal';
import { QfpayClient, type FetchLike } from '../qfpay/client';
import type { SignAlgorithm } from '../qfpay/sign';
import { QfpaySimulator, TRAINING_CREDENTIALS, type SimulatorOptions } from '../simulator/server';
import { tillBudgetPerMinute } from './budget';
import { systemClock, type Clock } from './clock';
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
  /** Options for the training simulator (seed, rate limits…). */
  simulator?: Omit<SimulatorOptions, 'appCode' | 'clientKey' | 'mchid' | 'now' | 'controlToken'>;
}

export interface Till {
  engine: TillEngine;
  journal: Journal;
  client: QfpayClient;
  training: boolean;
  /** Only in training mode. */
  simulator: QfpaySimulator | undefined;
  journalPath: string;
  close(): Promise<void>;
}

export const JOURNAL_FILES = { real: 'journal.sqlite', training: 'training-journal.sqlite' } as const;

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
  mkdirSync(options.dataDir, { recursive: true });
  const journalPath = join(options.dataDir, training ? JOURNAL_FILES.training : JOURNAL_FILES.real);
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

  let simulator: QfpaySimulator | undefined;
  let credentials = options.credentials;
  try {
    if (!credentials) {
      // A fresh random token per run guards its control API (/__sim/*): a web
      // page on this machine must not be able to "pay" a training sale.
      const controlToken = randomBytes(32).toString('base64url');
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
      },
      { journal, client, clock, random, crash: options.crash, onError: options.onError },
    );
    return {
      engine,
      journal,
      client,
      training,
      simulator,
      journalPath,
      async close() {
        await engine.stop();
        await simulator?.close();
        journal.close();
      },
    };
  } catch (error) {
    await simulator?.close();
    journal.close();
    throw error;
  }
}
