import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';

// axe-core inside the real pages (issue 12): the suite fails on any serious
// or critical violation. The script goes in through the DevTools protocol
// (page.evaluate), which the pages' Content-Security-Policy does not govern,
// so the CSP under test stays exactly what the app ships.

const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: string[];
}

interface AxeGlobals {
  axe?: { run(context: unknown, options: unknown): Promise<{ violations: { id: string; impact: string | null; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[] }> };
  document: unknown;
}

/** The serious and critical violations axe finds on the page as it is now. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  if (!(await page.evaluate(() => typeof (globalThis as unknown as AxeGlobals).axe === 'object'))) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const g = globalThis as unknown as AxeGlobals;
    const result = await g.axe!.run(g.document, { resultTypes: ['violations'] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`) }));
  });
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
}

/** Runs axe and collects what it finds under `screen`, for one assertion at the end of a test. */
export async function auditInto(found: Record<string, AxeViolation[]>, screen: string, page: Page): Promise<void> {
  const violations = await seriousViolations(page);
  if (violations.length) found[screen] = violations;
}
