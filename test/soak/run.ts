import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isFinalSale, type SaleView } from '../../shared/sale';
import { parseFaultPlan } from '../../electron/simulator/faults';
import { seededRandom, type Random } from '../../electron/simulator/random';
import { TRAINING_CREDENTIALS, startSimulator } from '../../electron/simulator/server';
import { OffsetClock } from '../../electron/till/clock';
import { openTill, type Till } from '../../electron/till/core';
import type { PaymentSettings } from '../../electron/till/charge-input';
import type { Timing } from '../../electron/till/timing';
import { compareWithGroundTruth, fetchOrders, readJournal, type Problem } from '../crash/ground-truth';
import { safeTimeZone } from '../crash/scenarios';
import { startCountingProxy } from './counting-proxy';
import { EXPIRED_MINUTES, MPM_PAY_TYPE, type RefundPlan, type SalePlan } from './plans';
import type { SoakFigures, Stats } from './report';
import { codePaymentRequests, readCashRows, tenderProblems } from './tender-truth';

// One fault soak run (fault-soak.ts describes it): the given sale plans, one
// at a time, through ONE in-process till against an in-process simulator
// behind the counting proxy; then the till is closed and reopened (recovery
// must find nothing to do) and the journal is compared with QFPay's ground
// truth. Returns the figures; the journal directory is left for the caller
// to keep or delete. Both `npm run soak` (1,000 sales) and the CI-sized
// mixed run (test/integration/engine/tenders-mixed.test.ts) call it.

export interface SoakOptions {
  seed: number;
  /** The sales to run, in order (plans.ts; their index names them). */
  plans: readonly SalePlan[];
  /** The till's requests per minute. */
  budget: number;
  /** No new sale starts after this long (the run is then reported aborted). */
  maxMs: number;
  /** A sale, or a refund, not final after this long is stuck (and ends the run). */
  saleTimeoutMs?: number;
  /** One line per sale. */
  verbose?: (line: string) => void;
  /** A line every 100 sales. */
  progress?: (line: string) => void;
}

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

/** The figures of a run, and where its journal is. */
export type SoakRun = SoakFigures & { dataDir: string };

export async function runSoak(options: SoakOptions): Promise<SoakRun> {
  const { seed, plans: run, budget, maxMs, saleTimeoutMs = 30_000, verbose = () => undefined, progress } = options;
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
  try {
    // The same till each time it opens (the reopened one recovers with the default random).
    const open = (random?: Random) =>
      openTill({
        dataDir,
        credentials: { baseUrl: proxy.baseUrl, ...TRAINING_CREDENTIALS },
        payments: () => SETTINGS,
        udid: 'till-soak',
        timeZone: zone,
        budgetPerMinute: budget,
        expiredMinutes: EXPIRED_MINUTES,
        requestTimeoutMs: REQUEST_TIMEOUT_MS,
        clock,
        ...(random ? { random } : {}),
        timing: SOAK_TIMING,
      });
    let till: Till | undefined = await open(seededRandom(seed ^ 0x5eed));
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
      const final = await timeout(engine.whenRefundFinal(result.value.outTradeNo), saleTimeoutMs);
      if (final === 'timeout') {
        stats.stuck.push(`refund ${result.value.outTradeNo} of sale ${index} not final after ${saleTimeoutMs} ms`);
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
    const progressLine = () => {
      if (done % 100 === 0) progress?.(`  ${done} sales, ${((performance.now() - started) / 1000).toFixed(0)} s`);
    };

    for (const plan of run) {
      if (performance.now() - started > maxMs) {
        aborted = `stopped after ${done} sales: ${Math.round(maxMs / 1000)} s reached`;
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
        progressLine();
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
      const freed = await timeout(free, saleTimeoutMs + (plan.expire ? 5_000 : 0));
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
        stats.stuck.push(`sale ${plan.index} ${id} still ${view?.state}/${view?.activity} after ${saleTimeoutMs} ms [${plan.labels.join(' ')}]`);
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
      progressLine();
    }
    if (pendingRefund && !aborted) {
      sim.setFaults(parseFaultPlanOrThrow(pendingRefund.plan));
      await doRefund(pendingRefund.saleId, pendingRefund.plan, pendingRefund.index);
    }
    // Parked sales settle in the background: with the faults lifted, each must end.
    sim.setFaults(parseFaultPlanOrThrow(undefined));
    for (const id of parkedIds) {
      const final = await timeout(engine.whenFinal(id), saleTimeoutMs);
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
    till = await open();
    sim.setFaults(parseFaultPlanOrThrow(undefined));
    const recovery = await timeout(till.engine.recover(), 60_000);
    const drawerStatus = till.engine.drawerStatus('HKD');
    await till.close();
    const recoveredRows = recovery === 'timeout' ? -1 : recovery.sales.length + recovery.refunds.length;

    // Ground truth knows cash (never at QFPay); tender-truth.ts adds what only the wire shows.
    const cashRows = readCashRows(till.journalPath);
    const orders = await fetchOrders(sim.baseUrl);
    const comparison = compareWithGroundTruth(readJournal(till.journalPath), orders, { nowMs: clock.now(), allowFreshAwaitingScan: false });
    const problems: Problem[] = [...comparison.problems, ...tenderProblems(cashRows, proxy, codes)];
    const drawerMinor = drawerStatus.ok ? drawerStatus.value.expectedMinor : Number.NaN;
    return {
      seed, budget, zone, run, done, wallMs, samples, counts: { ...sim.requestCounts }, tokens, stats, maxBlockedMs, maxBlockedSale,
      codes: codes.size, codeRequests: codePaymentRequests(proxy), cashRows, drawer, drawerMinor, recoveredRows, problems, aborted, planOf, dataDir,
    };
  } finally {
    await proxy.close();
    await sim.close();
  }

}

function parseFaultPlanOrThrow(refund: RefundPlan | undefined) {
  const parsed = parseFaultPlan(refund ? { refundSettleMs: refund.settleMs, ...(refund.fault ? { refund: refund.fault } : {}) } : {});
  if (!parsed.ok) throw new Error(parsed.error);
  return parsed.plan;
}
