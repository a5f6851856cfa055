import { afterAll, afterEach, describe, it } from 'vitest';
import { killLeftovers, type ChildProcess } from '../../crash/cli-child';
import { CRASH_POINTS, describeResult, runCrashScenario, type CrashPoint } from '../../crash/scenarios';

// Issue 3, "Proof": for every labelled crash point, a real `till` child
// process kills itself there (TILL_CRASH_AT, SIGKILL), a second child runs
// `till recover`, and the journal must equal the simulator's ground truth
// (GET /__sim/orders): no paid sale lost, no order paid or refunded twice,
// nothing left open but a fresh QR — which is then paid or cancelled and
// must settle. Two seeds per point here; `npm run crash:long` runs more.
//
// The children run with TILL_TIMING_SCALE=0.02 (electron/cli/till-options.ts):
// at the default timing, recovering a sale or refund whose request never
// left (payment.after_write_ahead, refund.after_write_ahead) waits out
// notCreatedGraceMs, a full minute.

const SEEDS = [1, 2];
const TIMING_SCALE = '0.02';

const groups = new Map<string, Set<ChildProcess>>();

afterEach((context) => {
  const group = groups.get(context.task.id);
  if (group) killLeftovers(group);
  groups.delete(context.task.id);
});

afterAll(() => {
  killLeftovers();
});

describe.concurrent('crash points: kill, recover, compare with QFPay ground truth', () => {
  for (const point of CRASH_POINTS) {
    for (const seed of SEEDS) {
      it(`${point} (seed ${seed})`, { timeout: 120_000 }, async ({ task, expect }) => {
        const children = new Set<ChildProcess>();
        groups.set(task.id, children);
        const result = await runCrashScenario(point, seed, { timingScale: TIMING_SCALE, children });
        expect(result.failures, describeResult(result)).toEqual([]);
        // The crash really happened at the point: the first child of the crash step died by SIGKILL, the recovery exited 0.
        expect(result.runs.some((run) => run.signal === 'SIGKILL' && !run.timedOut)).toBe(true);
        expect(result.runs.every((run) => !run.timedOut)).toBe(true);
      });
    }
  }
});

// A second crash while recovering: the recovery passes crash points too
// (closing an order it found without a QR, recording a payment it found).
// Each case names the crash, the recovery crashes it must hit, and how the
// sale must end; a clean recovery follows the last crash.
const DOUBLE_CRASHES: { point: CrashPoint; seed: number; recovery: CrashPoint[]; why: string }[] = [
  { point: 'payment.after_write_ahead', seed: 1, recovery: ['cancel.after_write_ahead', 'cancel.after_close_answer'], why: 'order never created: close after the grace, crash twice' },
  { point: 'payment.after_response', seed: 1, recovery: ['cancel.after_write_ahead', 'cancel.after_close_answer'], why: 'order without a QR: close it, crash twice' },
  { point: 'payment.after_response', seed: 2, recovery: ['poll.after_paid_answer'], why: 'paid while down: crash before recording it' },
  { point: 'payment.after_record', seed: 2, recovery: ['poll.after_paid_answer'], why: 'shown QR paid while down: crash before recording it' },
  { point: 'cancel.after_write_ahead', seed: 2, recovery: ['cancel.after_close_answer', 'poll.after_paid_answer'], why: 'paid while down: close says 1260, crash, then crash again recording it' },
  { point: 'code.after_payment_answer', seed: 1, recovery: ['reversal.after_write_ahead', 'reversal.after_answer'], why: 'a scanned code still confirming at start-up: reversed, crash twice' },
];

describe.concurrent('crash points: a second crash during recovery', () => {
  for (const c of DOUBLE_CRASHES) {
    it(`${c.point} (seed ${c.seed}) then ${c.recovery.join(' then ')}: ${c.why}`, { timeout: 120_000 }, async ({ task, expect }) => {
      const children = new Set<ChildProcess>();
      groups.set(task.id, children);
      const result = await runCrashScenario(c.point, c.seed, { timingScale: TIMING_SCALE, children, recoveryCrashes: c.recovery });
      expect(result.failures, describeResult(result)).toEqual([]);
      expect(result.recoveryCrashed, `every recovery crash point must be reached: ${describeResult(result)}`).toEqual(c.recovery.map(() => true));
    });
  }
});

// Regression for a money bug these crash tests found: Journal.openSales()
// and openRefunds() — what TillEngine.recover() resolves — selected only the
// till's *current* udid, while anyOpenSale() (what blocks a charge) and
// refundsOfSale() (what blocks a refund) see every udid. After a crash, a
// restart under another udid (re-registered device, TILL_UDID/--udid
// changed) recovered nothing: a sale QFPay had as paid stayed awaiting_scan
// in the journal, a refund QFPay had made stayed requesting with the sale's
// refunded total at 0, and every later charge was refused with sale_open.
const UDID_CASES: { point: CrashPoint; seed: number; what: string }[] = [
  { point: 'payment.after_record', seed: 2, what: 'the customer paid while the till was down: the sale is paid in the journal' },
  { point: 'refund.after_response', seed: 2, what: 'the refund QFPay made is refunded in the journal' },
];

describe.concurrent('crash points: recovery under a changed udid', () => {
  for (const c of UDID_CASES) {
    it(`${c.point} (seed ${c.seed}), recovered as another udid: ${c.what}`, { timeout: 120_000 }, async ({ task, expect }) => {
      const children = new Set<ChildProcess>();
      groups.set(task.id, children);
      const result = await runCrashScenario(c.point, c.seed, { timingScale: TIMING_SCALE, children, recoverUdid: 'till-crash-renamed' });
      expect(result.failures, describeResult(result)).toEqual([]);
    });
  }
});
