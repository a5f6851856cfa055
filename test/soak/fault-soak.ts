import { rmSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { seededRandom } from '../../electron/simulator/random';
import { planSale, type SalePlan } from './plans';
import { printReport } from './report';
import { runSoak } from './run';

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
// The run itself is run.ts (the CI-sized mixed run calls it too).
//
// Speed: the real budget (tillBudgetPerMinute(4) = 80/min, or 320/min for a
// lone till) would need 15–60 minutes for 1,000 sales, so the soak gives the
// till --budget 6000 requests/minute (default) with the simulator's own rate
// limit lifted, and short engine timings (SOAK_TIMING in run.ts). HTTP 429 is
// injected as a fault instead.

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
  const stderr = (line: string) => process.stderr.write(`${line}\n`);

  // Every sale's plan from the seed, so sale K's plan does not depend on how earlier sales ended.
  const planRandom = seededRandom(seed);
  const plans: SalePlan[] = [];
  for (let i = 0; i < from + sales; i++) plans.push(planSale(i, planRandom));

  const figures = await runSoak({ seed, plans: plans.slice(from), budget, maxMs, ...(values.verbose ? { verbose: stderr } : { progress: stderr }) });
  const out = (line = '') => process.stdout.write(`${line}\n`);
  const failed = printReport(figures, out);
  if (failed) out(`  journal kept at ${figures.dataDir}; replay one sale with: npm run soak -- --seed ${seed} --from K --sales 1`);
  else if (!values.keep) rmSync(figures.dataDir, { recursive: true, force: true });
  out(failed ? 'FAIL' : 'OK');
  return failed ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`soak failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
