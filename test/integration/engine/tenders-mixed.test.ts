import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { coveringPlans } from '../../soak/covering';
import { printReport } from '../../soak/report';
import { runSoak } from '../../soak/run';

// The fault soak (npm run soak: 1,000 sales) cut to CI size: ~60 sales of
// every tender — WeChat MPM, Alipay MPM (801501), scanned codes (800208,
// 800108, 800008: paid at once, after the password, never confirmed so the
// window ends and the order is reversed, refused 1201) and cash — with faults
// on payment, query, close, reversal and refund (covering.ts makes sure each
// kind is among them, whatever the seed). The same run as the soak
// (test/soak/run.ts): one in-process till over HTTP to the simulator, short
// engine timings, the shared clock jumped for expiry and the code's window;
// every wait is for the sale's or refund's event. At the end: nothing lost,
// duplicated or left open against QFPay's ground truth (which knows cash is
// never at QFPay), each scanned code in exactly one payment request, no
// request naming a cash row, recovery after reopening with nothing to do, and
// the drawer's expected cash as the float plus cash sales less cash refunds.
//
// Seeded; another seed: TENDERS_MIXED_SEED=7 npx vitest run <this file>. A
// failing sale replays alone with npm run soak -- --seed S --from K --sales 1.
// Not checked here: the soak's 5 s limit on how long a cancel holds the next
// customer — that is wall time, which a loaded CI machine stretches.

const SEED = Number(process.env.TENDERS_MIXED_SEED ?? '11');
const SALES = 60;

describe('a CI-sized mixed day of every tender under faults', () => {
  it(`seed ${SEED}: 0 lost, 0 duplicated, 0 unresolved; one payment request per code; cash never at QFPay; the drawer adds up`, { timeout: 60_000 }, async () => {
    const plans = coveringPlans(SEED, SALES);
    const run = await runSoak({ seed: SEED, plans, budget: 6000, maxMs: 40_000, saleTimeoutMs: 10_000 });
    const lines: string[] = [];
    const failed = printReport(run, (line = '') => lines.push(line));
    const report = `${lines.join('\n')}\n  journal at ${run.dataDir}`;

    expect(run.aborted, report).toBeUndefined();
    expect(run.done, report).toBe(SALES);
    expect(run.stats.stuck, report).toEqual([]);
    expect(run.problems, report).toEqual([]);
    expect(run.recoveredRows, report).toBe(0);
    // Every scanned code was taken, and sent once.
    expect(run.codes, report).toBe(plans.filter((p) => p.code).length);
    expect(run.codeRequests, report).toBe(run.codes);
    // Cash: every cash sale paid and in the journal only (ground truth and tender-truth.ts said none is at QFPay).
    expect(run.cashRows.sales.size, report).toBe(plans.filter((p) => p.tender === 'cash').length);
    expect(run.drawerMinor, report).toBe(run.drawer.floatMinor + run.drawer.salesMinor - run.drawer.refundsMinor);
    expect(run.drawer.salesMinor, report).toBeGreaterThan(0);
    // The cancels the plans asked for reached QFPay.
    expect(run.counts.close, report).toBeGreaterThan(0);
    expect(run.counts.reversal, report).toBeGreaterThan(0);
    // Anything else printReport fails a run for is the 5 s wall-time rule above.
    if (failed) expect(run.maxBlockedMs, report).toBeGreaterThan(5_000);

    rmSync(run.dataDir, { recursive: true, force: true });
    console.info(lines.slice(0, 2).join('\n'));
  });
});
