import type { Problem } from '../crash/ground-truth';
import { TENDERS, type SalePlan, type Tender } from './plans';
import type { CashRows } from './tender-truth';

// The fault soak's printout (fault-soak.ts runs it): outcomes per tender,
// faults, requests per minute, the checks' counts. Returns whether the run
// failed: any problem, a sale left stuck, an aborted run, recovery with
// work left, the next customer blocked over 5 s, or a drawer that does not add up.

export interface Stats {
  finals: Record<string, number>;
  paidAfterCancel: number;
  refunds: Record<string, number>;
  engineErrors: Record<string, number>;
  faults: Record<string, number>;
  stuck: string[];
  parked: number;
}

export interface SoakFigures {
  seed: number;
  budget: number;
  zone: string;
  run: readonly SalePlan[];
  done: number;
  wallMs: number;
  samples: readonly { t: number; requests: number }[];
  counts: Readonly<Record<string, number>>;
  tokens: number;
  stats: Stats;
  maxBlockedMs: number;
  maxBlockedSale: string;
  /** Scanned codes the engine took, and payment requests on the wire that carried one. */
  codes: number;
  codeRequests: number;
  cashRows: CashRows;
  drawer: { floatMinor: number; salesMinor: number; refundsMinor: number };
  /** The drawer's expected cash as the till reports it. */
  drawerMinor: number;
  /** Rows recovery found to resolve after reopening; -1 when it did not finish. */
  recoveredRows: number;
  problems: readonly Problem[];
  aborted: string | undefined;
  planOf: ReadonlyMap<string, SalePlan>;
}

/** Prints the figures; true when the run failed. */
export function printReport(f: SoakFigures, out: (line?: string) => void): boolean {
  const { seed, budget, zone, run, done, wallMs, samples, counts, tokens, stats, maxBlockedMs, maxBlockedSale } = f;
  const { codes, codeRequests, cashRows, drawer, drawerMinor, recoveredRows, problems, aborted, planOf } = f;
  const problemCounts = { lost: 0, duplicated: 0, unresolved: 0, mismatch: 0 };
  for (const p of problems) problemCounts[p.kind] += 1;
  const expectedCashMinor = drawer.floatMinor + drawer.salesMinor - drawer.refundsMinor;
  const minutes = wallMs / 60_000;
  const requests = samples[samples.length - 1]!.requests;
  let peakMinute: number | undefined;
  for (const a of samples) {
    const b = samples.find((s) => s.t >= a.t + 60_000);
    if (b) peakMinute = Math.max(peakMinute ?? 0, b.requests - a.requests);
  }
  out(`fault soak: seed ${seed}, sales ${salesRange(run)} (${done} run), one till, budget ${budget}/min, zone ${zone}`);
  out(`  wall time ${(wallMs / 1000).toFixed(1)} s (${(done / (wallMs / 1000)).toFixed(1)} sales/s)`);
  const planned = (tender: Tender) => run.filter((p) => p.tender === tender).length;
  out(`  sales per tender: ${TENDERS.map((t) => `${t} ${planned(t)}`).join(', ')}`);
  for (const tender of TENDERS) out(`    ${tender} outcomes: ${fmt(subTable(stats.finals, tender))}`);
  out(`  paid after cancel: ${stats.paidAfterCancel}; parked on the way: ${stats.parked}`);
  out(`  longest a cancelled sale kept the next customer waiting: ${(maxBlockedMs / 1000).toFixed(2)} s (${maxBlockedSale})`);
  out(`  refunds: ${fmt(stats.refunds)}`);
  out(`  scanned codes: ${codes}, payment requests carrying a code: ${codeRequests}; cash rows at QFPay: none expected (${cashRows.sales.size} cash sales, ${cashRows.refunds.size} cash refunds)`);
  out(
    `  drawer: expected ${drawerMinor} = float ${drawer.floatMinor} + cash sales ${drawer.salesMinor} - cash refunds ${drawer.refundsMinor} (${expectedCashMinor})` +
      `${drawerMinor === expectedCashMinor ? '' : ' MISMATCH'}`,
  );
  out(`  local refusals: ${fmt(stats.engineErrors)}`);
  out(`  customers and cashiers: ${fmt(filtered(stats.faults, isScenario))}`);
  out(`  faults planned: ${fmt(filtered(stats.faults, (label) => !isScenario(label)))}`);
  out(
    `  QFPay requests: ${requests} (payment ${counts.payment}, query ${counts.query}, close ${counts.close}, reversal ${counts.reversal}, refund ${counts.refund}); tokens taken by the till: ${tokens}`,
  );
  out(
    `  requests per minute per till: ${(requests / minutes).toFixed(0)} average over ${(wallMs / 1000).toFixed(0)} s` +
      `${peakMinute !== undefined ? `, ${peakMinute} in the busiest 60 s` : ''} (budget ${budget}/min)`,
  );
  out(`  recovery after reopening: ${recoveredRows === -1 ? 'DID NOT FINISH in 60 s' : `${recoveredRows} rows to resolve`}`);
  out();
  out(`  lost:       ${problemCounts.lost}`);
  out(`  duplicated: ${problemCounts.duplicated}`);
  out(`  unresolved: ${problemCounts.unresolved + stats.stuck.length}`);
  out(`  mismatch:   ${problemCounts.mismatch}`);
  for (const p of problems) out(`  ${describeProblem(p, planOf)}`);
  for (const s of stats.stuck) out(`  STUCK ${s}`);
  if (aborted) out(`  ABORTED: ${aborted}`);
  // DESIGN.md rule 2: no cancelled sale may hold the next customer for more than 5 s.
  if (maxBlockedMs > 5_000) out(`  BLOCKED the next customer for ${(maxBlockedMs / 1000).toFixed(2)} s (> 5 s)`);
  // The drawer holds the float plus cash sales less cash refunds (the soak pays nothing in or out).
  return (
    problems.length > 0 || stats.stuck.length > 0 || aborted !== undefined || recoveredRows !== 0 || maxBlockedMs > 5_000 || drawerMinor !== expectedCashMinor
  );
}

/** The sales' indexes as ranges: `0..59`, or `0..57, 75, 82` when the run picked sales out of a longer draw (covering.ts). */
function salesRange(run: readonly SalePlan[]): string {
  const parts: string[] = [];
  let start = 0;
  for (let i = 1; i <= run.length; i++) {
    if (i < run.length && run[i]!.index === run[i - 1]!.index + 1) continue;
    const first = run[start]!.index;
    const last = run[i - 1]!.index;
    parts.push(first === last ? `${first}` : `${first}..${last}`);
    start = i;
  }
  return parts.join(', ') || 'none';
}

/** Plan labels that say who pays and how (tender, customer, cashier), as against an injected fault. */
const isScenario = (label: string): boolean => /^(wechat_mpm|alipay_mpm|cash|cpm\.|code\.|customer\.|cancel|expire|pays-at-expiry)/.test(label);

const filtered = (table: Record<string, number>, keep: (key: string) => boolean): Record<string, number> => Object.fromEntries(Object.entries(table).filter(([key]) => keep(key)));

function fmt(table: Record<string, number>): string {
  const entries = Object.entries(table).sort((a, b) => b[1] - a[1]);
  return entries.length ? entries.map(([k, v]) => `${k} ${v}`).join(', ') : 'none';
}

/** The rows of a `tender state` table for one tender, keyed by state. */
function subTable(table: Record<string, number>, tender: Tender): Record<string, number> {
  return Object.fromEntries(Object.entries(table).flatMap(([key, n]) => (key.startsWith(`${tender} `) ? [[key.slice(tender.length + 1), n]] : [])));
}

function describeProblem(problem: Problem, planOf: ReadonlyMap<string, SalePlan>): string {
  const plan = planOf.get(problem.outTradeNo);
  const where = plan ? ` (sale ${plan.index}: ${plan.labels.join(' ')})` : '';
  return `${problem.kind.toUpperCase()} ${problem.outTradeNo}${where}: ${problem.detail}`;
}
