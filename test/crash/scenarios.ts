import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localParts } from '../../electron/qfpay/time';
import { seededRandom } from '../../electron/simulator/random';
import { TRAINING_CREDENTIALS, startSimulator, type OrderView } from '../../electron/simulator/server';
import { journalFileFor } from '../../electron/till/core';
import { CRASH_POINTS, type CrashPoint } from '../../electron/till/crash';
import { describeRun, killLeftovers, runCli, type ChildProcess, type CliRun } from './cli-child';
import { compareWithGroundTruth, fetchOrders, formatProblems, readJournal, type JournalSnapshot, type Problem } from './ground-truth';

// One crash scenario: a real `till` child process is killed (SIGKILL, sent by
// itself at TILL_CRASH_AT=<point>), a second child recovers, and the journal
// must then equal the simulator's ground truth. Shared by the vitest crash
// tests (two seeds per point) and `npm run crash:long` (N seeds per point).
//
// The seed picks the simulator's seed, the amount, and a variant: whether the
// customer pays while the till is down, whether QFPay first refuses the close,
// whether refunds settle at once or stay pending (1145) for a while, and how
// a QR that is still fresh after recovery is settled (paid or cancelled).

export { CRASH_POINTS, type CrashPoint };

/** The points a recovery itself can pass (a crash there, during recovery, is a second crash). */
export const RECOVERY_POINTS: readonly CrashPoint[] = ['poll.after_paid_answer', 'cancel.after_write_ahead', 'cancel.after_close_answer', 'reversal.after_write_ahead', 'reversal.after_answer'];

/**
 * The customer's payment code of a scanned-code scenario (issue 13): a WeChat
 * code, new per seed, whose last digit plays the customer at the simulator
 * (9 pays at once, 2 never confirms). A crash at code.after_write_ahead never
 * sends it; code.after_payment_answer alternates a code paid at once (even
 * seeds, found paid by query) and one the customer is still confirming (odd
 * seeds, reversed by the recovery); reversal.* crash at the window's end.
 */
export function authCodeFor(point: CrashPoint, seed: number): string {
  const last = point === 'code.after_payment_answer' && seed % 2 === 0 ? '9' : point === 'code.after_write_ahead' ? '9' : '2';
  return `1345678901${String(seed % 10_000_000).padStart(7, '0')}${last}`;
}

export interface ScenarioOptions {
  /** TILL_TIMING_SCALE for every child (it exists in electron/cli/till-options.ts); undefined = the engine's default timing. */
  timingScale?: string | undefined;
  /** Bound on each child process. */
  childTimeoutMs?: number;
  /** Children of this scenario are tracked here too (a test's afterEach kills its own leftovers). */
  children?: Set<ChildProcess>;
  /**
   * Crash the recovery too: successive `till recover` runs get these points
   * as TILL_CRASH_AT, one each (a run that never reaches its point just
   * finishes); a final clean recover follows. Only points the recovery can
   * reach make sense: poll.after_paid_answer, cancel.after_write_ahead,
   * cancel.after_close_answer.
   */
  recoveryCrashes?: readonly CrashPoint[];
  /** Recover (and settle) under another udid than the one that crashed, as after a device re-registration. */
  recoverUdid?: string;
  /** Keep the data directory (for a failure to be inspected). */
  keepDataDir?: boolean;
  log?: (line: string) => void;
}

export interface Variant {
  amount: string;
  /** The customer pays while the till is dead (only where an unpaid order exists then). */
  paysWhileDown: boolean;
  /**
   * The till stays down longer than the QR lives: QFPay's clock (the
   * simulator's) jumps 31 minutes before recovery, so an unpaid order has
   * expired there while the till's own clock still thinks the QR is fresh.
   */
  outage: boolean;
  /** QFPay refuses the first close (1150), before the crash after its answer. */
  closeRefused: boolean;
  /** New refunds stay pending this long (1145), so the refund is journalled `unknown`. */
  refundSettleMs: number;
  /** Refund this (major units), or everything when undefined. */
  refundAmount: string | undefined;
  /** Queries report the order as 1145 this many times before the paid answer. */
  inProgressQueries: number;
  /** How a QR still fresh after recovery is settled. */
  settleFresh: 'pay' | 'cancel';
  /** For poll.after_paid_answer: the customer pays this long after the order is created. */
  autoPayAfterMs: number;
}

export interface ScenarioResult {
  point: CrashPoint;
  seed: number;
  variant: Variant;
  ok: boolean;
  /** Everything that went wrong, harness and money alike, one per line. */
  failures: string[];
  /** The money problems among them (ground-truth comparison). */
  problems: Problem[];
  durationMs: number;
  /** How long the recovering child ran (the last, clean one). */
  recoverMs: number;
  /** The points the recovery runs were told to crash at, and which of them died there (true) or finished first (false). */
  recoveryCrashes: readonly CrashPoint[];
  recoveryCrashed: boolean[];
  recoverUdid: string | undefined;
  runs: CliRun[];
  dataDir: string;
  journal?: JournalSnapshot;
  orders?: OrderView[];
}

export function variantFor(point: CrashPoint, seed: number): Variant {
  const random = seededRandom((seed * 2654435761 + CRASH_POINTS.indexOf(point) * 97) >>> 0);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random() * values.length)]!;
  const amountMinor = seed === 1 ? 1230 : 300 + Math.floor(random() * 50_000);
  const amount = (amountMinor / 100).toFixed(2);
  // Seeds alternate the main branch so that two seeds per point cover both.
  const even = seed % 2 === 0;
  return {
    amount,
    paysWhileDown: even,
    // Not in CI's seeds 1 and 2; every third seed of the long run.
    outage: seed % 3 === 0,
    closeRefused: point === 'cancel.after_close_answer' ? seed % 4 >= 2 : false,
    refundSettleMs: even ? 0 : pick([400, 900, 1500]),
    refundAmount: pick(['2.00', undefined, '0.01']),
    inProgressQueries: pick([0, 0, 1, 3]),
    // Seed 1 (in CI) pays the resumed QR, the money path; seeds 3, 7, … cancel it.
    settleFresh: seed % 4 === 3 ? 'cancel' : 'pay',
    autoPayAfterMs: 150 + Math.floor(random() * 1500),
  };
}

/** A zone where it is now between 01:00 and 22:59, so neither the engine's nor QFPay's 23:30–00:30 refund window nor a day boundary gets in the way. */
export function safeTimeZone(nowMs = Date.now()): string {
  for (const zone of ['Asia/Hong_Kong', 'Europe/London', 'America/New_York', 'Pacific/Auckland', 'Asia/Kolkata']) {
    const { hour } = localParts(nowMs, zone);
    if (hour >= 1 && hour <= 22) return zone;
  }
  return 'UTC';
}

class ScenarioFailure extends Error {}

export async function runCrashScenario(point: CrashPoint, seed: number, options: ScenarioOptions = {}): Promise<ScenarioResult> {
  const started = performance.now();
  const variant = variantFor(point, seed);
  const zone = safeTimeZone();
  const childTimeoutMs = options.childTimeoutMs ?? (options.timingScale ? 30_000 : 150_000);
  const sim = await startSimulator({ seed, timeZone: zone, refundCutoffWindow: false, refundNeedsCover: false });
  const dataDir = mkdtempSync(join(tmpdir(), `till-crash-${point.replace('.', '-')}-${seed}-`));
  const journalPath = join(dataDir, journalFileFor({ baseUrl: sim.baseUrl, ...TRAINING_CREDENTIALS }));
  const baseFor = (udid: string) => ['--data-dir', dataDir, '--base-url', sim.baseUrl, '--udid', udid, '--time-zone', zone];
  let base = baseFor('till-crash');
  const env = { TILL_TIMING_SCALE: options.timingScale };
  const crashEnv = { ...env, TILL_CRASH_AT: point };
  const runs: CliRun[] = [];
  const children = options.children ?? new Set<ChildProcess>();
  const failures: string[] = [];
  let problems: Problem[] = [];
  let recoverMs = 0;
  const recoveryCrashed: boolean[] = [];
  let journal: JournalSnapshot | undefined;
  let orders: OrderView[] | undefined;

  const log = (line: string) => options.log?.(`[${point} seed ${seed}] ${line}`);
  const till = async (args: string[], childEnv: Record<string, string | undefined> = env): Promise<CliRun> => {
    const run = await runCli([...args, ...base], { env: childEnv, timeoutMs: childTimeoutMs, group: children });
    runs.push(run);
    log(describeRun(run));
    if (run.timedOut) throw new ScenarioFailure(`child outlived its ${childTimeoutMs} ms bound: ${describeRun(run)}`);
    return run;
  };
  const expectExit = (run: CliRun, codes: readonly number[]) => {
    if (run.signal !== null || !codes.includes(run.code ?? -1)) throw new ScenarioFailure(`expected exit ${codes.join(' or ')}: ${describeRun(run)}`);
  };
  const expectCrash = (run: CliRun) => {
    if (run.signal !== 'SIGKILL') throw new ScenarioFailure(`expected the child to die by SIGKILL at ${point}: ${describeRun(run)}`);
  };
  const check = (condition: boolean, message: string) => {
    if (!condition) failures.push(message);
  };
  const control = async (method: string, path: string, body?: unknown, form = false) => {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { 'Content-Type': form ? 'application/x-www-form-urlencoded' : 'application/json' };
      init.body = form ? new URLSearchParams(body as Record<string, string>).toString() : JSON.stringify(body);
    }
    const response = await fetch(sim.baseUrl + path, init);
    if (response.status !== 200) throw new ScenarioFailure(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (await response.json()) as Record<string, unknown>;
  };
  const customerPays = (outTradeNo: string) => control('POST', '/__sim/pay', { out_trade_no: outTradeNo }, true);
  const setFaults = (plan: Record<string, unknown>) => control('POST', '/__sim/faults', plan);
  const clearFaults = () => control('DELETE', '/__sim/faults');
  /** The JSON document on stdout; for `till charge --json` (one line per event) the last, latest one. */
  const parseJson = (run: CliRun): Record<string, unknown> => {
    try {
      const lines = run.stdout.trim().split('\n');
      return JSON.parse(run.args[0] === 'charge' ? (lines.pop() ?? '') : run.stdout) as Record<string, unknown>;
    } catch {
      throw new ScenarioFailure(`no JSON on stdout: ${describeRun(run)}`);
    }
  };
  const onlySale = (snapshot: JournalSnapshot) => {
    if (snapshot.sales.length !== 1) throw new ScenarioFailure(`expected one sale in the journal, found ${snapshot.sales.length}`);
    return snapshot.sales[0]!;
  };
  const payment = (all: OrderView[], outTradeNo: string) => all.find((o) => o.order_type === 'payment' && o.out_trade_no === outTradeNo);

  /** What the sale and refund must end as (besides every ground-truth rule). */
  let expectSale: string | undefined;
  let expectRefund: string | undefined;
  let expectPaidAfterCancel = false;
  let saleId: string | undefined;

  try {
    // ---------------------------------------------------------------- crash
    if (point.startsWith('payment.') || point === 'poll.after_paid_answer') {
      if (point === 'poll.after_paid_answer') {
        await setFaults({ autoPayAfterMs: variant.autoPayAfterMs, inProgressQueries: variant.inProgressQueries });
      }
      expectCrash(await till(['charge', variant.amount, '--json'], crashEnv));
      const sale = onlySale(readJournal(journalPath));
      saleId = sale.out_trade_no;
      const order = payment(await fetchOrders(sim.baseUrl), saleId);
      switch (point) {
        case 'payment.after_write_ahead':
          check(sale.state === 'requesting', `at the crash the sale should be requesting, journal has ${sale.state}`);
          check(order === undefined, 'at the crash no payment request should have reached QFPay');
          expectSale = 'failed';
          break;
        case 'payment.after_response':
        case 'payment.after_record':
          check(sale.state === (point === 'payment.after_response' ? 'requesting' : 'awaiting_scan'), `at the crash the journal has ${sale.state}`);
          check(order?.state === 'unpaid', `at the crash QFPay should hold an unpaid order, has ${order?.state ?? 'none'}`);
          if (variant.paysWhileDown && order) await customerPays(saleId);
          // after_response: the till never showed the QR, so it must close the order — unless it was paid meanwhile,
          // or it expired at QFPay during a long outage.
          expectSale = variant.paysWhileDown ? 'paid' : variant.outage ? 'expired' : point === 'payment.after_response' ? 'failed' : undefined;
          break;
        case 'poll.after_paid_answer':
          check(sale.state === 'awaiting_scan', `at the crash the sale should be awaiting_scan, journal has ${sale.state}`);
          check(order?.state === 'paid', `at the crash QFPay should have the order paid, has ${order?.state ?? 'none'}`);
          expectSale = 'paid';
          break;
      }
      await clearFaults();
    } else if (point.startsWith('code.') || point.startsWith('reversal.')) {
      // A scanned code: one payment request, ever; the window (60 s scaled with the timing) ends in a reversal.
      const authCode = authCodeFor(point, seed);
      expectCrash(await till(['charge', variant.amount, '--auth-code', authCode, '--json'], crashEnv));
      const sale = onlySale(readJournal(journalPath));
      saleId = sale.out_trade_no;
      const order = payment(await fetchOrders(sim.baseUrl), saleId);
      const reversalsSent = ((await control('GET', '/__sim/orders')).requests as { reversal: number }).reversal;
      switch (point) {
        case 'code.after_write_ahead':
          check(sale.state === 'requesting', `at the crash the sale should be requesting, journal has ${sale.state}`);
          check(order === undefined, 'at the crash no payment request should have reached QFPay');
          // Never sent: the recovery finds no order past the grace, its reversal finds none: nothing charged.
          expectSale = 'failed';
          break;
        case 'code.after_payment_answer': {
          const paidAtOnce = authCode.endsWith('9');
          check(sale.state === 'requesting', `at the crash the journal has ${sale.state}`);
          check(order?.state === (paidAtOnce ? 'paid' : 'unpaid'), `at the crash QFPay should hold a ${paidAtOnce ? 'paid' : 'confirming'} order, has ${order?.state ?? 'none'}`);
          // Paid at once: found by query. Still confirming at start-up: reversed, never resumed as waiting.
          expectSale = paidAtOnce ? 'paid' : variant.outage ? undefined : 'cancelled';
          break;
        }
        default: {
          const answered = point === 'reversal.after_answer';
          check(sale.state === 'cancelling', `at the crash the sale should be cancelling (reversing), journal has ${sale.state}`);
          check(reversalsSent === (answered ? 1 : 0), `at the crash the till should have sent ${answered ? 1 : 0} reversal(s), sent ${reversalsSent}`);
          check(order?.state === (answered ? 'reversed' : 'unpaid'), `at the crash QFPay should have the order ${answered ? 'reversed' : 'still confirming'}, has ${order?.state ?? 'none'}`);
          // The customer confirms while the till is down: the reversal is answered "already paid", the sale is paid.
          const paid = variant.paysWhileDown && order?.state === 'unpaid';
          if (paid) await customerPays(saleId);
          expectSale = paid ? 'paid' : variant.outage && !answered ? undefined : 'cancelled';
        }
      }
    } else if (point === 'reissue.after_write_ahead') {
      // The payment's answer is lost; the till finds the order, closes it, and dies with the fresh order written ahead.
      await setFaults({ payment: { dropResponse: true, count: 1 } });
      expectCrash(await till(['charge', variant.amount, '--json'], crashEnv));
      const snapshot = readJournal(journalPath);
      const sale = onlySale(snapshot);
      saleId = sale.out_trade_no;
      const all = await fetchOrders(sim.baseUrl);
      check(sale.state === 'requesting' && sale.order_no !== saleId, `at the crash the sale should be requesting a fresh order, journal has ${sale.state} for ${sale.order_no}`);
      check(snapshot.replaced.length === 1 && snapshot.replaced[0]!.order_no === saleId, 'at the crash the lost order should be kept under the sale');
      check(payment(all, saleId)?.state === 'closed', `at the crash the lost order should be closed, is ${payment(all, saleId)?.state ?? 'absent'}`);
      check(payment(all, sale.order_no) === undefined, 'at the crash the fresh order should not have reached QFPay');
      await clearFaults();
      // Recovery never issues a QR for a customer who may be gone: the fresh order was never sent, so nothing was charged.
      expectSale = 'failed';
    } else if (point.startsWith('cancel.')) {
      const shown = await till(['charge', variant.amount, '--no-wait', '--json']);
      expectExit(shown, [3]);
      saleId = ((parseJson(shown).sale ?? {}) as { outTradeNo?: string }).outTradeNo;
      if (!saleId) throw new ScenarioFailure(`charge --no-wait printed no sale: ${describeRun(shown)}`);
      if (variant.closeRefused) await setFaults({ close: { respcd: '1150', count: 1 } });
      expectCrash(await till(['cancel', saleId], crashEnv));
      const sale = onlySale(readJournal(journalPath));
      const order = payment(await fetchOrders(sim.baseUrl), saleId);
      check(sale.state === 'cancelling', `at the crash the sale should be cancelling, journal has ${sale.state}`);
      // A refused close (an injected respcd) never runs at the simulator, so it shows in the request counts, not on the order.
      const closesSent = ((await control('GET', '/__sim/orders')).requests as { close: number }).close;
      const closes = point === 'cancel.after_write_ahead' ? 0 : 1;
      check(closesSent === closes, `at the crash the till should have sent ${closes} close request(s), sent ${closesSent}`);
      check(order?.closeRequests === (variant.closeRefused ? 0 : closes), `at the crash QFPay should have run ${variant.closeRefused ? 0 : closes} close(s), ran ${order?.closeRequests ?? 'no order'}`);
      const open = order?.state === 'unpaid';
      if (variant.paysWhileDown && open) await customerPays(saleId);
      await clearFaults();
      const paid = variant.paysWhileDown && open;
      expectSale = paid ? 'paid' : open && variant.outage ? 'expired' : 'cancelled';
      expectPaidAfterCancel = paid;
    } else {
      // refund.*: a paid sale first, through a normal run.
      await setFaults({ autoPayAfterMs: 100 });
      const charged = await till(['charge', variant.amount, '--json']);
      expectExit(charged, [0]);
      saleId = ((parseJson(charged).sale ?? {}) as { outTradeNo?: string }).outTradeNo;
      if (!saleId) throw new ScenarioFailure(`charge printed no sale: ${describeRun(charged)}`);
      await clearFaults();
      if (variant.refundSettleMs > 0) await setFaults({ refundSettleMs: variant.refundSettleMs });
      expectCrash(await till(['refund', saleId, ...(variant.refundAmount ? [variant.refundAmount] : [])], crashEnv));
      const snapshot = readJournal(journalPath);
      const refund = snapshot.refunds[0];
      const simRefunds = (await fetchOrders(sim.baseUrl)).filter((o) => o.order_type === 'refund');
      check(snapshot.refunds.length === 1, `at the crash the journal should hold one refund, holds ${snapshot.refunds.length}`);
      if (point === 'refund.after_write_ahead') {
        check(refund?.state === 'requesting', `at the crash the refund should be requesting, is ${refund?.state}`);
        check(simRefunds.length === 0, 'at the crash no refund request should have reached QFPay');
        expectRefund = 'failed';
      } else {
        const journalled = variant.refundSettleMs > 0 ? 'unknown' : 'refunded';
        check(
          refund?.state === (point === 'refund.after_response' ? 'requesting' : journalled),
          `at the crash the refund should be ${point === 'refund.after_response' ? 'requesting' : journalled}, is ${refund?.state}`,
        );
        check(simRefunds.length === 1, `at the crash QFPay should hold one refund, holds ${simRefunds.length}`);
        expectRefund = 'refunded';
      }
      expectSale = 'paid';
      // The refund settles on its own clock at QFPay; faults stay (they only delay settling).
    }

    // ------------------------------------------------------------- recover
    if (variant.outage) await control('POST', '/__sim/advance', { ms: 31 * 60_000 });
    if (options.recoverUdid) base = baseFor(options.recoverUdid);
    for (const again of options.recoveryCrashes ?? []) {
      const run = await till(['recover', '--json'], { ...env, TILL_CRASH_AT: again });
      if (run.signal === 'SIGKILL') recoveryCrashed.push(true);
      else {
        expectExit(run, [0]);
        recoveryCrashed.push(false);
      }
    }
    const recovered = await till(['recover', '--json']);
    recoverMs = recovered.durationMs;
    expectExit(recovered, [0]);
    await clearFaults();

    // --------------------------------------------------------------- compare
    let comparison = compareWithGroundTruth(readJournal(journalPath), await fetchOrders(sim.baseUrl), { nowMs: Date.now(), allowFreshAwaitingScan: true });
    for (const sale of comparison.fresh) {
      // A QR still fresh after recovery is allowed, but it must settle: the customer pays it, or the cashier cancels it.
      log(`sale ${sale.out_trade_no} resumed with a fresh QR: settling it by ${variant.settleFresh}`);
      const open = payment(await fetchOrders(sim.baseUrl), sale.out_trade_no)?.state === 'unpaid';
      if (variant.settleFresh === 'pay') {
        if (open) await customerPays(sale.out_trade_no);
        expectExit(await till(['recover', '--json']), [0]);
        expectSale ??= 'paid';
      } else {
        // Exit 1 when the customer had paid after all: the sale is then paid, never cancelled.
        expectExit(await till(['cancel', sale.out_trade_no, '--json']), open ? [0] : [0, 1]);
        expectSale ??= open ? 'cancelled' : undefined;
      }
    }
    journal = readJournal(journalPath);
    orders = await fetchOrders(sim.baseUrl);
    comparison = compareWithGroundTruth(journal, orders, { nowMs: Date.now(), allowFreshAwaitingScan: false });
    problems = comparison.problems;
    if (problems.length > 0) failures.push(formatProblems(problems));

    if (point.startsWith('code.') || point.startsWith('reversal.')) {
      // A scanned code is single-use: one payment request for it, ever, across the crash and every recovery.
      const sent = ((await control('GET', '/__sim/orders')).requests as { payment: number }).payment;
      check(sent <= 1, `the customer's code was sent ${sent} times: a scanned code must reach QFPay once at most`);
    }
    const sale = journal.sales.find((s) => s.out_trade_no === saleId);
    if (expectSale !== undefined) check(sale?.state === expectSale, `the sale should end ${expectSale}, journal has ${sale?.state ?? 'nothing'}`);
    if (expectPaidAfterCancel) check(sale?.paid_after_cancel === 1, 'the sale paid after a cancel should carry the paid-after-cancel flag');
    if (expectRefund !== undefined) {
      const refund = journal.refunds[0];
      check(refund?.state === expectRefund, `the refund should end ${expectRefund}, journal has ${refund?.state ?? 'nothing'}`);
    }
  } catch (error) {
    if (error instanceof ScenarioFailure) failures.push(error.message);
    else throw error;
  } finally {
    killLeftovers(children);
    await sim.close();
    if (!options.keepDataDir && failures.length === 0) rmSync(dataDir, { recursive: true, force: true });
  }
  return {
    point,
    seed,
    variant,
    ok: failures.length === 0,
    failures,
    problems,
    durationMs: performance.now() - started,
    recoverMs,
    recoveryCrashes: options.recoveryCrashes ?? [],
    recoveryCrashed,
    recoverUdid: options.recoverUdid,
    runs,
    dataDir,
    ...(journal ? { journal } : {}),
    ...(orders ? { orders } : {}),
  };
}

/** A failure message with the replay line. */
export function describeResult(result: ScenarioResult): string {
  const crashes = result.recoveryCrashes.length
    ? `, recovery crashes ${result.recoveryCrashes.map((p, i) => `${p} ${result.recoveryCrashed[i] ? 'hit' : result.recoveryCrashed[i] === false ? 'missed' : 'not run'}`).join(', ')}`
    : '';
  const udid = result.recoverUdid ? ` --recover-udid ${result.recoverUdid}` : '';
  return [
    `${result.point} seed ${result.seed} (${JSON.stringify(result.variant)}${crashes}): ${result.ok ? 'ok' : 'FAILED'}`,
    ...result.failures,
    ...(result.ok
      ? []
      : [
          `journal kept at ${result.dataDir}`,
          `replay: npm run crash:long -- --point ${result.point} --seed ${result.seed}` +
            (result.recoveryCrashes.length ? ` --recovery-crashes ${result.recoveryCrashes.join(',')}` : '') +
            udid,
        ]),
  ].join('\n');
}
