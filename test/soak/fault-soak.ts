import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isFinalSale, type SaleView } from '../../shared/sale';
import { parseFaultPlan } from '../../electron/simulator/faults';
import { seededRandom } from '../../electron/simulator/random';
import { TRAINING_CREDENTIALS, startSimulator } from '../../electron/simulator/server';
import { OffsetClock } from '../../electron/till/clock';
import { openTill, type Till } from '../../electron/till/core';
import type { PaymentSettings } from '../../electron/till/charge-input';
import type { Timing } from '../../electron/till/timing';
import { compareWithGroundTruth, fetchOrders, readJournal, type Problem } from '../crash/ground-truth';
import { safeTimeZone } from '../crash/scenarios';
import { startCountingProxy } from './counting-proxy';
import { EXPIRED_MINUTES, MPM_PAY_TYPE, planSale, type RefundPlan, type SalePlan } from './plans';
import { printReport, type Stats } from './report';
import { codePaymentRequests, readCashRows, tenderProblems, withoutCash } from './tender-truth';

// `npm run soak [-- --seed 1 --sales 1000 --budget 6000 --from 0 --max-minutes 15 --verbose]`
//
// The fault soak of issues 3 and 13: N sales, one at a time, through ONE
// in-process till (openTill: real journal file, real QFPay client over HTTP)
// against an in-process simulator. Sales mix every tender (plans.ts): WeChat
// MPM, Alipay MPM (cancelled by reversal), scanned customer codes (800208,
// 800108, 800008: paid at once, after a password, never — the window ends and
// the order is reversed — or refused 1201) and cash. Each QFPay sale has its
// own random fault plan — payment
// answers lost after commit, requests dropped, delayed past the client's
// timeout, 5xx with and without commit, 1145 with commit, 429s; query
// failures and 1145 streaks; closes refused, lost or 5xx; customers who pay
// at once, later, fail, or never; cashiers who cancel (sometimes while the
// order is still being created); QRs left to expire (the shared clock jumps
// past expired_time), or are paid in the QR's last moments. About a third of paid sales are refunded — fully or in
// part, sometimes twice — with refund faults and refunds that settle late,
// and each refund runs while the NEXT sale is in flight, so a sale and a
// refund share the till's budget.
//
// At the end the journal is compared with the simulator's ground truth
// (GET /__sim/orders): lost / duplicated / unresolved (and mismatch) counts
// must all be 0, else exit 1. Cash rows are checked apart (tender-truth.ts):
// never at QFPay; every scanned code in exactly one payment request, counted
// on the wire (counting-proxy.ts); the drawer's expected cash is the float
// plus cash sales less cash refunds. It also prints requests per minute.
//
// Seeded: every sale's plan comes from --seed, so a failing sale can be
// replayed alone with `--from K --sales 1` (the plan is the same; real-time
// interleavings may differ).
//
// Speed: the real budget (tillBudgetPerMinute(4) = 80/min, or 320/min for a
// lone till) would need 15–60 minutes for 1,000 sales, so the soak gives the
// till --budget 6000 requests/minute (default) with the simulator's own rate
// limit lifted, and short engine timings (SOAK_TIMING below). HTTP 429 is
// injected as a fault instead.

const SOAK_TIMING: Timing = {
  fastPollMs: 25,
  fastWindowMs: 3_000,
  slowPollMs: 100,
  codeFirstPollMs: 50,
  codePollMs: 100,
  refundPollMs: 50,
  closeRetryMs: 200,
  // Must exceed the longest injected delay (LONG_DELAY_MS) by a margin — a
  // request QFPay runs after the grace would create an order the till has
  // already given up on (see the report: the default timing has the same
  // rule, 60 s grace against a 15 s client timeout).
  notCreatedGraceMs: 1_000,
  // Same rule for a refund request QFPay runs late: it must still be found.
  refundProcessingWindowMs: 1_000,
  resumeMinRemainingMs: 1_000,
  backoffBaseMs: 25,
  backoffMaxMs: 400,
  parkAfterMs: 1_500,
  expiryMarginMs: 1_000,
  maxServerWaitMs: 1_000,
};
const REQUEST_TIMEOUT_MS = 250;
const SALE_TIMEOUT_MS = 30_000;
/** The wallet's window for a scanned code; a customer who never confirms has it ended by a jump of the shared clock. */
const CPM_WINDOW_S = 60;
/** The simulator's customer with a code ending in 1 confirms the password this long after the request (simulator clock). */
const CPM_PASSWORD_MS = 150;
const FLOAT_MINOR = 50_000;
const SETTINGS: PaymentSettings = { mpmPayTypes: [MPM_PAY_TYPE.wechat_mpm, MPM_PAY_TYPE.alipay_mpm], realNamePayTypes: [], unifiedCpm: false, cpmWindowSeconds: CPM_WINDOW_S };

function timeout<T>(promise: Promise<T>, ms: number): Promise<T | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([promise, new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), ms)))]).finally(() => clearTimeout(timer));
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      seed: { type: 'string', default: '1' },
      sales: { type: 'string', default: '1000' },
      from: { type: 'string', default: '0' },
      budget: { type: 'string', default: '6000' },
      'max-minutes': { type: 'string', default: '15' },
      verbose: { type: 'boolean', default: false },
      keep: { type: 'boolean', default: false },
    },
  });
  if (Number(process.versions.node.split('.')[0]) < 22) {
    process.stderr.write('run the soak with Node 22 (npm run soak): better-sqlite3 here is built for it\n');
    return 2;
  }
  const seed = Number(values.seed);
  const sales = Number(values.sales);
  const from = Number(values.from);
  const budget = Number(values.budget);
  const maxMs = Number(values['max-minutes']) * 60_000;
  if (![seed, sales, from, budget, maxMs].every((n) => Number.isFinite(n) && n >= 0) || sales < 1 || budget < 6) {
    process.stderr.write('--seed, --sales (≥ 1), --from, --budget (≥ 6) and --max-minutes must be numbers\n');
    return 2;
  }
  const verbose = values.verbose ? (line: string) => process.stderr.write(`${line}\n`) : () => undefined;

  // Every sale's plan from the seed, so sale K's plan does not depend on how earlier sales ended.
  const planRandom = seededRandom(seed);
  const plans: SalePlan[] = [];
  for (let i = 0; i < from + sales; i++) plans.push(planSale(i, planRandom));
  const run = plans.slice(from);

  const zone = safeTimeZone();
  const clock = new OffsetClock();
  const sim = await startSimulator({
    seed,
    now: () => clock.now(),
    timeZone: zone,
    refundCutoffWindow: false,
    refundNeedsCover: false,
    ratePerMinute: 1e9,
    ratePerSecond: 1e9,
    cpmPasswordMs: CPM_PASSWORD_MS,
  });
  // The till talks to the simulator through a proxy that counts what it sends.
  const proxy = await startCountingProxy(sim.baseUrl);
  const dataDir = mkdtempSync(join(tmpdir(), `till-soak-${seed}-`));
  let till: Till | undefined = await openTill({
    dataDir,
    credentials: { baseUrl: proxy.baseUrl, ...TRAINING_CREDENTIALS },
    payments: () => SETTINGS,
    udid: 'till-soak',
    timeZone: zone,
    budgetPerMinute: budget,
    expiredMinutes: EXPIRED_MINUTES,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    clock,
    random: seededRandom(seed ^ 0x5eed),
    timing: SOAK_TIMING,
  });
  const engine = till.engine;
  await engine.recover();

  const stats: Stats = { finals: {}, paidAfterCancel: 0, refunds: {}, engineErrors: {}, faults: {}, stuck: [], parked: 0 };
  const bump = (table: Record<string, number>, key: string) => (table[key] = (table[key] ?? 0) + 1);
  const planOf = new Map<string, SalePlan>();
  /** Every scanned code the engine took, to its sale. */
  const codes = new Map<string, string>();
  const drawer = { floatMinor: 0, salesMinor: 0, refundsMinor: 0 };
  const samples: { t: number; requests: number }[] = [];
  const totalRequests = () => Object.values(sim.requestCounts).reduce((a, b) => a + b, 0);
  const started = performance.now();
  const sampler = setInterval(() => samples.push({ t: performance.now() - started, requests: totalRequests() }), 1000);

  const setFaults = (plan: SalePlan, refund: RefundPlan | undefined) => {
    const raw: Record<string, unknown> = { ...plan.extra, inProgressQueries: plan.inProgressQueries, refundSettleMs: refund?.settleMs ?? 0 };
    if (plan.payment) raw.payment = plan.payment;
    if (plan.query) raw.query = plan.query;
    if (plan.cancelFault) raw[plan.tender === 'wechat_mpm' ? 'close' : 'reversal'] = plan.cancelFault;
    if (refund?.fault) raw.refund = refund.fault;
    if (plan.customer.kind === 'auto') raw.autoPayAfterMs = plan.customer.afterMs;
    const parsed = parseFaultPlan(raw);
    if (!parsed.ok) throw new Error(`sale ${plan.index}: fault plan refused: ${parsed.error}`);
    sim.setFaults(parsed.plan);
  };

  const doRefund = async (saleId: string, plan: RefundPlan, index: number): Promise<void> => {
    const first = await refundOnce(saleId, plan.fraction, index);
    // A cashier retries a refund the till called failed: paid twice if QFPay ran the first after all.
    if (first === 'failed') await refundOnce(saleId, plan.fraction, index);
    if (first === 'refunded' && plan.second) await refundOnce(saleId, 1, index);
  };
  const refundOnce = async (saleId: string, fraction: number, index: number): Promise<'refunded' | 'failed' | undefined> => {
    const sale = till!.journal.sale(saleId);
    if (!sale) return undefined;
    const refundable = sale.amountMinor - till!.journal.reservedRefundMinor(saleId);
    if (refundable <= 0) return undefined;
    const amountMinor = Math.max(1, Math.floor(refundable * fraction));
    const result = await engine.refund({ saleOutTradeNo: saleId, amountMinor });
    if (result.ok) {
      const plan = planOf.get(saleId);
      if (plan) planOf.set(result.value.outTradeNo, plan);
    }
    if (!result.ok) {
      bump(stats.engineErrors, `refund.${result.error.code}`);
      verbose(`sale ${index}: refund refused locally: ${result.error.code} ${result.error.message}`);
      return undefined;
    }
    const final = await timeout(engine.whenRefundFinal(result.value.outTradeNo), SALE_TIMEOUT_MS);
    if (final === 'timeout') {
      stats.stuck.push(`refund ${result.value.outTradeNo} of sale ${index} not final after ${SALE_TIMEOUT_MS} ms`);
      return undefined;
    }
    bump(stats.refunds, `${planOf.get(saleId)?.tender ?? '?'} ${final.state}`);
    if (final.state === 'refunded' && planOf.get(saleId)?.tender === 'cash') drawer.refundsMinor += final.amountMinor;
    return final.state === 'refunded' || final.state === 'failed' ? final.state : undefined;
  };

  let pendingRefund: { saleId: string; plan: RefundPlan; index: number } | undefined;
  const parkedIds: string[] = [];
  let maxBlockedMs = 0;
  let maxBlockedSale = 'none';
  let done = 0;
  let aborted: string | undefined;
  const progress = () => {
    if (!values.verbose && done % 100 === 0) process.stderr.write(`  ${done} sales, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  };

  for (const plan of run) {
    if (performance.now() - started > maxMs) {
      aborted = `stopped after ${done} sales: --max-minutes ${values['max-minutes']} reached`;
      break;
    }
    for (const label of plan.labels) bump(stats.faults, label);
    const refundNow = pendingRefund;
    pendingRefund = undefined;
    setFaults(plan, refundNow?.plan);
    const refundDone = refundNow ? doRefund(refundNow.saleId, refundNow.plan, refundNow.index) : Promise.resolve();

    if (plan.tender === 'cash') {
      // A cash sale: paid when it returns, never at QFPay; the float at the drawer's first sale.
      const status = engine.drawerStatus('HKD');
      const openingFloatMinor = status.ok && status.value.needsFloat ? FLOAT_MINOR : undefined;
      const cash = engine.chargeCash({ amountMinor: plan.amountMinor, currency: 'HKD', tenderedMinor: plan.tenderedMinor ?? plan.amountMinor, openingFloatMinor });
      await refundDone;
      if (!cash.ok || cash.value.state !== 'paid') {
        aborted = `sale ${plan.index}: cash sale ${cash.ok ? `ended ${cash.value.state}` : `refused: ${cash.error.code} ${cash.error.message}`}`;
        break;
      }
      planOf.set(cash.value.outTradeNo, plan);
      drawer.floatMinor += openingFloatMinor ?? 0;
      drawer.salesMinor += plan.amountMinor;
      bump(stats.finals, 'cash paid');
      if (plan.refund) pendingRefund = { saleId: cash.value.outTradeNo, plan: plan.refund, index: plan.index };
      done += 1;
      verbose(`sale ${plan.index} ${cash.value.outTradeNo}: cash paid [${plan.labels.join(' ')}]`);
      progress();
      continue;
    }
    const charged = await (plan.code
      ? engine.chargeCode({ amountMinor: plan.amountMinor, currency: 'HKD', authCode: plan.code.authCode, payType: plan.code.payType })
      : engine.charge({ amountMinor: plan.amountMinor, currency: 'HKD', payType: MPM_PAY_TYPE[plan.tender as 'wechat_mpm' | 'alipay_mpm'] }));
    if (!charged.ok) {
      bump(stats.engineErrors, `charge.${charged.error.code}`);
      aborted = `sale ${plan.index}: charge refused: ${charged.error.code} ${charged.error.message}${charged.error.outTradeNo ? ` (${charged.error.outTradeNo})` : ''}`;
      await refundDone;
      break;
    }
    const id = charged.value.outTradeNo;
    const saleStarted = performance.now();
    planOf.set(id, plan);
    if (plan.code) codes.set(plan.code.authCode, id);
    const timers: NodeJS.Timeout[] = [];
    let cancelledAt: number | undefined;
    if (plan.cancelAfterMs !== undefined) {
      timers.push(
        setTimeout(() => {
          cancelledAt = performance.now();
          void engine.cancel(id).then((r) => {
            if (!r.ok) bump(stats.engineErrors, `cancel.${r.error.code}`);
          });
        }, plan.cancelAfterMs),
      );
    }
    // The customer pays the QR on screen: the sale's current order (a re-issued one after a lost answer).
    const orderNow = () => till!.journal.sale(id)?.orderNo ?? id;
    // Customer actions and expiry start when the QR is on screen (or never, if it never is).
    const shown = new Promise<SaleView>((resolve) => {
      const check = (view: SaleView | undefined) => {
        if (view && ((view.state === 'awaiting_scan' && !view.parked) || isFinalSale(view.state))) {
          off();
          resolve(view);
        }
      };
      const off = engine.onSale((view) => {
        if (view.outTradeNo === id) check(view);
      });
      check(engine.saleViewOf(id));
    });
    void shown.then((view) => {
      if (view.state !== 'awaiting_scan') return;
      const customer = plan.customer;
      if (customer.kind === 'pays') timers.push(setTimeout(() => sim.pay({ out_trade_no: orderNow() }), customer.afterMs));
      if (customer.kind === 'fails') {
        timers.push(setTimeout(() => sim.fail({ out_trade_no: orderNow() }, '1201'), customer.afterMs));
        // Declined, then another card: the same QR is still payable.
        if (customer.thenPays) timers.push(setTimeout(() => sim.pay({ out_trade_no: orderNow() }), customer.afterMs + 150));
      }
      // Only when no refund is in flight: a jump of the shared clock would end its grace period early.
      if (plan.expire) void refundDone.then(() => clock.advance(EXPIRED_MINUTES * 60_000 + 1_000));
      // A customer who never confirms the password: the wallet's window ends (the engine reverses the order).
      if (plan.code?.customer === 'never') void refundDone.then(() => clock.advance(CPM_WINDOW_S * 1000 + 1_000));
    });

    // The next customer can be served once the sale is final, or parked (DESIGN.md rule 2).
    const free = new Promise<SaleView>((resolve) => {
      const check = (view: SaleView | undefined) => {
        if (view && (isFinalSale(view.state) || view.parked)) {
          off();
          resolve(view);
        }
      };
      const off = engine.onSale((view) => {
        if (view.outTradeNo === id) check(view);
      });
      check(engine.saleViewOf(id));
    });
    const freed = await timeout(free, SALE_TIMEOUT_MS + (plan.expire ? 5_000 : 0));
    if (freed !== 'timeout' && cancelledAt !== undefined) {
      const blocked = performance.now() - cancelledAt;
      if (blocked > maxBlockedMs) {
        maxBlockedMs = blocked;
        maxBlockedSale = `sale ${plan.index} [${plan.labels.join(' ')}]`;
      }
    }
    if (freed !== 'timeout' && freed.parked && !isFinalSale(freed.state)) {
      stats.parked += 1;
      // Settled in the background while the next sales run; checked at the end.
      parkedIds.push(id);
      for (const timer of timers) clearTimeout(timer);
      await refundDone;
      done += 1;
      verbose(`sale ${plan.index} ${id}: ${Math.round(performance.now() - saleStarted)} ms parked [${plan.labels.join(' ')}]`);
      continue;
    }
    const final = freed;
    for (const timer of timers) clearTimeout(timer);
    if (final === 'timeout') {
      const view = engine.saleViewOf(id);
      stats.stuck.push(`sale ${plan.index} ${id} still ${view?.state}/${view?.activity} after ${SALE_TIMEOUT_MS} ms [${plan.labels.join(' ')}]`);
      aborted = `sale ${plan.index} did not settle: the till cannot take another charge`;
      await refundDone;
      break;
    }
    bump(stats.finals, `${plan.tender} ${final.state}`);
    if (final.paidAfterCancel) stats.paidAfterCancel += 1;
    await refundDone;
    if (final.state === 'paid' && plan.refund) pendingRefund = { saleId: id, plan: plan.refund, index: plan.index };
    done += 1;
    verbose(`sale ${plan.index} ${id}: ${Math.round(performance.now() - saleStarted)} ms ${final.state}${final.paidAfterCancel ? ' (paid after cancel)' : ''} [${plan.labels.join(' ')}]`);
    progress();
  }
  if (pendingRefund && !aborted) {
    sim.setFaults(parseFaultPlanOrThrow(pendingRefund.plan));
    await doRefund(pendingRefund.saleId, pendingRefund.plan, pendingRefund.index);
  }
  // Parked sales settle in the background: with the faults lifted, each must end.
  sim.setFaults(parseFaultPlanOrThrow(undefined));
  for (const id of parkedIds) {
    const final = await timeout(engine.whenFinal(id), SALE_TIMEOUT_MS);
    if (final === 'timeout') {
      const view = engine.saleViewOf(id);
      stats.stuck.push(`parked sale ${planOf.get(id)?.index} ${id} still ${view?.state}/${view?.activity} [${planOf.get(id)?.labels.join(' ')}]`);
      continue;
    }
    bump(stats.finals, `${planOf.get(id)?.tender ?? '?'} ${final.state}`);
    if (final.paidAfterCancel) stats.paidAfterCancel += 1;
  }
  const wallMs = performance.now() - started;
  clearInterval(sampler);
  samples.push({ t: wallMs, requests: totalRequests() });
  const tokens = engine.bucket.taken;

  // Close the till (its loops put their last answers in the journal), then reopen it: recovery must find nothing to do.
  await till.close();
  till = await openTill({
    dataDir,
    credentials: { baseUrl: proxy.baseUrl, ...TRAINING_CREDENTIALS },
    payments: () => SETTINGS,
    udid: 'till-soak',
    timeZone: zone,
    budgetPerMinute: budget,
    expiredMinutes: EXPIRED_MINUTES,
    requestTimeoutMs: REQUEST_TIMEOUT_MS,
    clock,
    timing: SOAK_TIMING,
  });
  sim.setFaults(parseFaultPlanOrThrow(undefined));
  const recovery = await timeout(till.engine.recover(), 60_000);
  const drawerStatus = till.engine.drawerStatus('HKD');
  await till.close();
  const recoveredRows = recovery === 'timeout' ? -1 : recovery.sales.length + recovery.refunds.length;

  const cashRows = readCashRows(till.journalPath);
  const journal = withoutCash(readJournal(till.journalPath), cashRows);
  const orders = await fetchOrders(sim.baseUrl);
  const comparison = compareWithGroundTruth(journal, orders, { nowMs: clock.now(), allowFreshAwaitingScan: false });
  const problems: Problem[] = [...comparison.problems, ...tenderProblems(cashRows, orders, proxy, codes)];
  const drawerMinor = drawerStatus.ok ? drawerStatus.value.expectedMinor : Number.NaN;
  await proxy.close();
  await sim.close();

  const out = (line = '') => process.stdout.write(`${line}\n`);
  const failed = printReport(
    {
      seed, from, budget, zone, run, done, wallMs, samples, counts: sim.requestCounts, tokens, stats, maxBlockedMs, maxBlockedSale,
      codes: codes.size, codeRequests: codePaymentRequests(proxy), cashRows, drawer, drawerMinor, recoveredRows, problems, aborted, planOf,
    },
    out,
  );
  if (failed) out(`  journal kept at ${dataDir}; replay one sale with: npm run soak -- --seed ${seed} --from K --sales 1`);
  else if (!values.keep) rmSync(dataDir, { recursive: true, force: true });
  out(failed ? 'FAIL' : 'OK');
  return failed ? 1 : 0;
}

function parseFaultPlanOrThrow(refund: RefundPlan | undefined) {
  const parsed = parseFaultPlan(refund ? { refundSettleMs: refund.settleMs, ...(refund.fault ? { refund: refund.fault } : {}) } : {});
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.plan;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
