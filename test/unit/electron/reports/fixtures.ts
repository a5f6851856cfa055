import { NOT_YET_SETTLED } from '../../../../electron/journal/journal';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CurrencyCode } from '../../../../shared/currency';
import type { CancelReason, RefundState, SaleState } from '../../../../shared/sale';
import { openDatabase, type Db, type OpenOptions } from '../../../../electron/journal/database';
import { Journal } from '../../../../electron/journal/journal';
import { TRAINING_CREDENTIALS } from '../../../../electron/simulator/server';
import { journalFileFor } from '../../../../electron/till/core';

// Fixture journals for the report tests: real SQLite files written through
// the Journal's own insert/update methods with explicit times, the way the
// engine writes them (requesting → awaiting_scan → final), so the triggers
// that keep the half-hourly rollup run exactly as in production.

export const HK = 'Asia/Hong_Kong';

/** Epoch ms of a Hong Kong wall-clock time (UTC+8, no DST). */
export const hk = (year: number, month: number, day: number, hour: number, minute = 0, second = 0, ms = 0): number =>
  Date.UTC(year, month - 1, day, hour - 8, minute, second, ms);

const cleanups: Array<() => void> = [];

export function tempDir(prefix = 'till-reports-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Closes every journal and removes every directory the test made (call from afterEach). */
export function cleanup(): void {
  while (cleanups.length > 0) cleanups.pop()!();
}

export interface FixtureJournal {
  db: Db;
  journal: Journal;
  path: string;
  dir: string;
}

export function openJournal(options: { udid?: string; training?: boolean; path?: string; open?: OpenOptions } = {}): FixtureJournal {
  const dir = options.path ? '' : tempDir();
  const path = options.path ?? join(dir, options.training ? 'training-journal.sqlite' : 'journal.sqlite');
  const db = openDatabase(path, options.open);
  const journal = new Journal(db, options.udid ?? 'till-01', options.training ?? false);
  cleanups.push(() => journal.close());
  return { db, journal, path, dir };
}

export interface SaleSpec {
  amountMinor: number;
  currency?: CurrencyCode;
  createdAtMs: number;
  /** Final state (or an open one to leave the sale there). */
  state: SaleState;
  /** When it became final (paid_at_ms for a paid sale). Default: a minute after creation. */
  settledAtMs?: number;
  /** QFPay's number; `null` for a sale QFPay never created. Default: derived from the id unless the sale stayed requesting. */
  syssn?: string | null;
  goodsName?: string | null;
  cancelReason?: CancelReason | null;
  training?: boolean;
  udid?: string;
  /** QFPay pay type (default WeChat MPM 800201). */
  payType?: string;
}

let syssnSequence = 0;
export const fakeSyssn = () => `2026${String(++syssnSequence).padStart(22, '0')}`;

export function addSale(journal: Journal, id: string, spec: SaleSpec): void {
  const created = spec.createdAtMs;
  const settled = spec.settledAtMs ?? created + 60_000;
  const syssn = spec.syssn === undefined ? (spec.state === 'requesting' ? null : fakeSyssn()) : spec.syssn;
  journal.insertSale(
    {
      outTradeNo: id,
      udid: spec.udid ?? journal.udid,
      training: spec.training ?? journal.training,
      amountMinor: spec.amountMinor,
      currency: spec.currency ?? 'HKD',
      payType: spec.payType ?? '800201',
      goodsName: spec.goodsName ?? null,
      state: 'requesting',
      txdtm: '2026-11-26 12:00:00',
      expiredMinutes: 30,
      createdAtMs: created,
      expiresAtMs: created + 30 * 60_000,
      ...NOT_YET_SETTLED,
      updatedAtMs: created,
    },
    { reason: 'fixture' },
  );
  if (spec.state === 'requesting') return;
  if (syssn !== null) {
    journal.updateSale(id, ['requesting'], { state: 'awaiting_scan', syssn, qrcode: 'weixin://wxpay/bizpayurl?pr=FIXTURE', updatedAtMs: created + 100 }, { reason: 'fixture' });
  }
  if (spec.state === 'awaiting_scan' && syssn !== null) return;
  const open = ['requesting', 'awaiting_scan', 'unknown', 'cancelling'].includes(spec.state);
  journal.updateSale(
    id,
    ['requesting', 'awaiting_scan'],
    {
      state: spec.state,
      updatedAtMs: open ? created + 200 : settled,
      ...(spec.cancelReason ? { cancelReason: spec.cancelReason, cancelRequestedAtMs: settled - 1 } : {}),
      ...(open ? {} : { finalAtMs: settled }),
      ...(spec.state === 'paid' ? { paidAtMs: settled, lastRespcd: '0000' } : {}),
    },
    { reason: 'fixture' },
  );
}

export interface RefundSpec {
  amountMinor: number;
  createdAtMs: number;
  state?: RefundState;
  settledAtMs?: number;
  syssn?: string | null;
}

export function addRefund(journal: Journal, id: string, saleId: string, spec: RefundSpec): void {
  const sale = journal.sale(saleId);
  if (!sale) throw new Error(`fixture: no sale ${saleId}`);
  const state = spec.state ?? 'refunded';
  const settled = spec.settledAtMs ?? spec.createdAtMs + 5_000;
  journal.insertRefund(
    {
      outTradeNo: id,
      udid: sale.udid,
      training: sale.training,
      saleOutTradeNo: saleId,
      amountMinor: spec.amountMinor,
      currency: sale.currency,
      state: 'requesting',
      txdtm: '2026-11-26 15:00:00',
      createdAtMs: spec.createdAtMs,
      syssn: null,
      sysdtm: null,
      lastRespcd: null,
      lastMessage: null,
      finalAtMs: null,
      updatedAtMs: spec.createdAtMs,
    },
    { reason: 'fixture' },
  );
  if (state === 'requesting') return;
  const syssn = spec.syssn === undefined ? (state === 'refunded' ? fakeSyssn() : null) : spec.syssn;
  const final = state === 'refunded' || state === 'failed';
  journal.updateRefund(
    id,
    ['requesting'],
    { state, updatedAtMs: final ? settled : spec.createdAtMs + 100, ...(syssn ? { syssn } : {}), ...(final ? { finalAtMs: settled } : {}) },
    { reason: 'fixture' },
  );
}

/**
 * A data dir holding the training journal a `till` command will open — the
 * in-process simulator's, or that of the simulator at `baseUrl` — written by
 * `write` and closed before the command runs.
 */
export function trainingDataDir(udid: string, write: (journal: Journal) => void, baseUrl?: string): string {
  const dir = tempDir('till-cli-');
  const db = openDatabase(join(dir, journalFileFor(baseUrl === undefined ? undefined : { baseUrl, ...TRAINING_CREDENTIALS })));
  const journal = new Journal(db, udid, true);
  write(journal);
  journal.close();
  return dir;
}

/** The pay types of the tender fixtures: wallets, a card, cash. */
export const TENDER_PAY_TYPES = ['800201', '800208', '800101', '801501', 'cash'] as const;

/**
 * `days` of paid sales (one every `stepMinutes`, a step that is no multiple
 * of 30, so every half hour of the day sooner or later) in three currencies
 * and five tenders, a refund of every sixth, a few cancelled; and, in the
 * same file, sales of another till and of training mode in a currency and a
 * tender this till never took, which no figure of this till may count.
 * Twelve days reach the rollup's index path; ninety its 28-day rollup.
 */
export function addTenderDays(journal: Journal, start: number, days = 12, stepMinutes = 37): { start: number; end: number } {
  const step = stepMinutes * 60_000;
  const n = Math.floor((days * 86_400_000) / step);
  for (let i = 0; i < n; i++) {
    const at = start + i * step + (i % 11) * 1000;
    const currency = (['HKD', 'HKD', 'CNY', 'HKD', 'USD'] as const)[i % 5]!;
    const payType = TENDER_PAY_TYPES[(i + Math.floor(i / 5)) % TENDER_PAY_TYPES.length]!;
    addSale(journal, `F-${i}`, { amountMinor: 500 + ((i * 7919) % 4000), currency, createdAtMs: at, payType, state: i % 17 === 0 ? 'cancelled' : 'paid' });
    if (i % 6 === 1 && i % 17 !== 0) addRefund(journal, `FR-${i}`, `F-${i}`, { amountMinor: 100, createdAtMs: at + 41 * 60_000 });
  }
  for (let i = 0; i < 40; i++) {
    const at = start + Math.floor((i * n) / 40) * step;
    addSale(journal, `OTHER-${i}`, { amountMinor: 999, currency: 'JPY', createdAtMs: at, payType: '805801', state: 'paid', udid: 'till-02' });
    addSale(journal, `TRAIN-${i}`, { amountMinor: 777, currency: 'JPY', createdAtMs: at, payType: '805801', state: 'paid', training: true });
  }
  return { start, end: start + n * step + 60 * 60_000 };
}
