import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFinalSale, type SaleState } from '../../../shared/sale';
import type { SaleView, RefundView } from '../../../shared/sale';
import type { JournalEvent, SaleRecord } from '../../../electron/journal/journal';
import { parseFaultPlan } from '../../../electron/simulator/faults';
import { startSimulator, TRAINING_CREDENTIALS, type OrderView, type QfpaySimulator, type SimulatorOptions } from '../../../electron/simulator/server';
import { OffsetClock } from '../../../electron/till/clock';
import { openTill, type Credentials, type Till, type TillOptions } from '../../../electron/till/core';
import type { Timing } from '../../../electron/till/timing';

// Tills for the engine's integration tests: the real core (journal in a real
// SQLite file, real QfpayClient over HTTP on 127.0.0.1) against a simulator
// that shares the till's clock. Intervals are shrunk so that a whole sale
// lives in well under a second of wall time; the clock is pinned to a known
// Hong Kong time and moved with clock.advance() where a test needs minutes.

export const HK = 'Asia/Hong_Kong';

/** Epoch ms of a Hong Kong wall-clock time (UTC+8, no DST). */
export const hk = (year: number, month: number, day: number, hour: number, minute = 0, second = 0): number =>
  Date.UTC(year, month - 1, day, hour - 8, minute, second);

/** 2026-11-26 12:00 in Hong Kong: a weekday noon, far from the refund cut-off and any month end. */
export const NOON = hk(2026, 11, 26, 12);

export const FAST_TIMING: Timing = {
  fastPollMs: 20,
  fastWindowMs: 60_000,
  slowPollMs: 40,
  codeFirstPollMs: 20,
  codePollMs: 40,
  refundPollMs: 40,
  closeRetryMs: 100,
  notCreatedGraceMs: 400,
  refundProcessingWindowMs: 400,
  backoffBaseMs: 20,
  backoffMaxMs: 100,
  resumeMinRemainingMs: 30_000,
  parkAfterMs: 300,
  expiryMarginMs: 200,
  maxServerWaitMs: 300,
};

/** An offset clock that reads `startAt` now and runs on with real time. */
export function clockAt(startAt: number): OffsetClock {
  const clock = new OffsetClock();
  clock.advance(startAt - clock.now());
  return clock;
}

export interface TestTill extends Till {
  clock: OffsetClock;
  dataDir: string;
  /** Every SaleView the engine emitted, in order. */
  views: SaleView[];
  refundViews: RefundView[];
  /** The simulator: the in-process one, or the external one given. */
  sim: QfpaySimulator;
}

export interface TestTillOptions extends Partial<TillOptions> {
  /** An external simulator (it outlives the till); without it, the in-process training simulator. */
  external?: QfpaySimulator;
}

const cleanups: Array<() => Promise<void> | void> = [];
const invariantBreaches: string[] = [];

/** Opens a till on a fresh (or the given) data directory; closeAll() closes it. */
export async function openTestTill(options: TestTillOptions = {}): Promise<TestTill> {
  const { external, ...rest } = options;
  const clock = (rest.clock as OffsetClock | undefined) ?? clockAt(NOON);
  const dataDir = rest.dataDir ?? mkdtempSync(join(tmpdir(), 'till-engine-'));
  const credentials: Credentials | undefined = rest.credentials ?? (external ? { baseUrl: external.baseUrl, ...TRAINING_CREDENTIALS } : undefined);
  const till = await openTill({
    udid: 'till-01',
    timeZone: HK,
    budgetPerMinute: 6000,
    expiredMinutes: 5,
    ...rest,
    dataDir,
    clock,
    credentials,
    timing: { ...FAST_TIMING, ...rest.timing },
    simulator: { seed: 7, refundCutoffWindow: false, refundNeedsCover: false, ...rest.simulator },
  });
  const views: SaleView[] = [];
  const refundViews: RefundView[] = [];
  // Invariants checked for every test (closeAll fails the test on a breach):
  // a view is emitted only after its state is committed (seen through a
  // second, read-only connection), and no view outside awaiting_scan carries a QR.
  const reader = new Database(till.journalPath, { readonly: true, fileMustExist: true });
  const committedState = reader.prepare('SELECT state FROM sales WHERE out_trade_no = ?');
  const committedRefund = reader.prepare('SELECT state FROM refunds WHERE out_trade_no = ?');
  till.engine.onSale((view) => {
    views.push(view);
    if (!reader.open) return;
    const row = committedState.get(view.outTradeNo) as { state: string } | undefined;
    if (row?.state !== view.state) invariantBreaches.push(`sale ${view.outTradeNo}: told ${view.state} while the journal had ${row?.state ?? 'nothing'}`);
    if (view.state !== 'awaiting_scan' && (view.qrcode !== null || view.expiresAtMs !== null)) invariantBreaches.push(`sale ${view.outTradeNo}: QR shown in state ${view.state}`);
  });
  till.engine.onRefund((view) => {
    refundViews.push(view);
    if (!reader.open) return;
    const row = committedRefund.get(view.outTradeNo) as { state: string } | undefined;
    if (row?.state !== view.state) invariantBreaches.push(`refund ${view.outTradeNo}: told ${view.state} while the journal had ${row?.state ?? 'nothing'}`);
  });
  const sim = external ?? till.simulator!;
  const closeTill = till.close.bind(till);
  let closed = false;
  const testTill: TestTill = Object.assign(till, {
    clock,
    dataDir,
    views,
    refundViews,
    sim,
    async close() {
      if (closed) return;
      closed = true;
      reader.close();
      await closeTill();
    },
  });
  cleanups.push(async () => {
    await testTill.close();
    if (!rest.dataDir) rmSync(dataDir, { recursive: true, force: true });
  });
  return testTill;
}

/** A simulator outside any till (recovery tests reopen tills against it), on the given clock. */
export async function startExternalSimulator(clock: OffsetClock, options: SimulatorOptions = {}): Promise<QfpaySimulator> {
  const sim = await startSimulator({ seed: 7, timeZone: HK, refundCutoffWindow: false, refundNeedsCover: false, now: () => clock.now(), ...options });
  cleanups.push(() => sim.close());
  return sim;
}

/** A temporary directory removed by closeAll(). */
export function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'till-engine-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Closes every till and simulator the test opened (call from afterEach); fails on any invariant breach seen. */
export async function closeAll(): Promise<void> {
  while (cleanups.length > 0) await cleanups.pop()!();
  const breaches = invariantBreaches.splice(0);
  if (breaches.length > 0) throw new Error(`engine invariants broken:\n${breaches.join('\n')}`);
}

/** Waits (on real time, bounded) until `probe` returns a value other than undefined/false. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, timeoutMs = 2_500, what = 'condition'): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (performance.now() > deadline) throw new Error(`waitFor: ${what} not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** Replaces the simulator's fault plan (validated like POST /__sim/faults). */
export function setFaults(sim: QfpaySimulator, plan: Record<string, unknown>): void {
  const parsed = parseFaultPlan(plan);
  if (!parsed.ok) throw new Error(`bad fault plan: ${parsed.error}`);
  sim.setFaults(parsed.plan);
}

export function simOrder(sim: QfpaySimulator, outTradeNo: string): OrderView | undefined {
  return sim.orders().find((o) => o.out_trade_no === outTradeNo);
}

export function mustSimOrder(sim: QfpaySimulator, outTradeNo: string): OrderView {
  const order = simOrder(sim, outTradeNo);
  if (!order) throw new Error(`the simulator has no order ${outTradeNo}`);
  return order;
}

/** Sum of every request the simulator answered (including 429s). */
export function totalRequests(sim: QfpaySimulator): number {
  return Object.values(sim.requestCounts).reduce((a, b) => a + b, 0);
}

export function transitions(till: Till, outTradeNo: string): Array<{ from?: string; to: string; reason?: string }> {
  return till.journal
    .events(outTradeNo)
    .filter((e) => e.kind === 'transition')
    .map((e) => ({ from: e.data.from as string | undefined, to: e.data.to as string, reason: e.data.reason as string | undefined }));
}

/** The states a sale went through, without repeats (a transition may keep the state). */
export function statePath(till: Till, outTradeNo: string): SaleState[] {
  const path: SaleState[] = [];
  for (const t of transitions(till, outTradeNo)) if (path[path.length - 1] !== t.to) path.push(t.to as SaleState);
  return path;
}

export function exchanges(till: Till, outTradeNo: string, endpoint?: string): JournalEvent[] {
  return till.journal.events(outTradeNo).filter((e) => e.kind === 'exchange' && (endpoint === undefined || e.data.endpoint === endpoint));
}

/** Row counts of every journal table and the simulator's request counters: what "wrote nothing" compares. */
export function footprint(till: TestTill): { sales: number; refunds: number; events: number; meta: number; requests: Record<string, number> } {
  const count = (table: string) => (till.journal.db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return { sales: count('sales'), refunds: count('refunds'), events: count('events'), meta: count('meta'), requests: { ...till.sim.requestCounts } };
}

/** Charges and waits until the QR is on screen. */
export async function chargeShown(till: TestTill, amountMinor = 1000, extra: { goodsName?: string; expiredMinutes?: number } = {}): Promise<SaleView> {
  const result = await till.engine.charge({ amountMinor, currency: 'HKD', ...extra });
  if (!result.ok) throw new Error(`charge refused: ${JSON.stringify(result.error)}`);
  const id = result.value.outTradeNo;
  return waitFor(() => {
    const view = till.engine.saleViewOf(id);
    if (view && view.state !== 'requesting' && view.state !== 'awaiting_scan') throw new Error(`sale ${id} went ${view.state} instead of showing its QR`);
    return view?.state === 'awaiting_scan' ? view : undefined;
  }, 2_500, `sale ${id} awaiting_scan`);
}

/** Waits until a sale's QR was re-issued `times` times and the fresh QR is on screen; returns its row. */
export async function reissuedShown(till: TestTill, id: string, times = 1, timeoutMs = 2_500): Promise<SaleRecord> {
  return waitFor(() => {
    const sale = till.journal.sale(id);
    if (sale && isFinalSale(sale.state)) throw new Error(`sale ${id} ended ${sale.state} instead of showing a re-issued QR`);
    return sale?.state === 'awaiting_scan' && sale.reissues >= times ? sale : undefined;
  }, timeoutMs, `sale ${id} re-issued ${times}× and shown`);
}

/** A sale the customer paid, final in the journal. */
export async function paidSale(till: TestTill, amountMinor = 1000): Promise<SaleView> {
  const shown = await chargeShown(till, amountMinor);
  const paid = till.sim.pay({ out_trade_no: shown.outTradeNo });
  if (!paid.ok) throw new Error(`could not pay ${shown.outTradeNo}: ${paid.error}`);
  const final = await till.engine.whenFinal(shown.outTradeNo);
  if (final.state !== 'paid') throw new Error(`sale ${shown.outTradeNo} ended ${final.state}`);
  return final;
}

/** A ready till with one paid sale, for the refund tests. */
export async function tillWithPaidSale(amountMinor = 1000, options: TestTillOptions = {}): Promise<{ till: TestTill; saleId: string }> {
  const till = await openTestTill(options);
  await till.engine.recover();
  const sale = await paidSale(till, amountMinor);
  return { till, saleId: sale.outTradeNo };
}

/** Resolves with the sale once final, or fails the test after `timeoutMs` of wall time. */
export function finalWithin(till: Till, outTradeNo: string, timeoutMs = 2_500): Promise<SaleView> {
  return withTimeout(till.engine.whenFinal(outTradeNo), timeoutMs, `sale ${outTradeNo} final`);
}

export function refundFinalWithin(till: Till, outTradeNo: string, timeoutMs = 2_500): Promise<RefundView> {
  return withTimeout(till.engine.whenRefundFinal(outTradeNo), timeoutMs, `refund ${outTradeNo} final`);
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: not within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
