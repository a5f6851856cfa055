import { engineBench } from './engine.bench';
import type { Bench, Figure } from './harness';
import { officeBench } from './office.bench';
import { qfpayBench } from './qfpay.bench';
import { reportsBench } from './reports.bench';
import { scanBench } from './scan.bench';
import { uiBench } from './ui.bench';

// `npm run bench` prints a table; `npm run bench -- --json` prints one JSON
// object of figures for tracking. `--only NAME` runs benches whose title
// contains NAME.

const BENCHES: readonly Bench[] = [qfpayBench, engineBench, uiBench, scanBench, reportsBench, officeBench];

async function main(argv: string[]): Promise<void> {
  const json = argv.includes('--json');
  const onlyAt = argv.indexOf('--only');
  const only = onlyAt >= 0 ? argv[onlyAt + 1]?.toLowerCase() : undefined;
  const figures: Figure[] = [];
  for (const bench of BENCHES) {
    if (only && !bench.title.toLowerCase().includes(only)) continue;
    if (!json) process.stdout.write(`\n${bench.title}\n`);
    const results = await bench.run();
    figures.push(...results);
    if (!json) printTable(results);
  }
  if (json) {
    const out: Record<string, { value: number; unit: string; target?: number }> = {};
    for (const f of figures) out[f.name] = f.target === undefined ? { value: f.value, unit: f.unit } : { value: f.value, unit: f.unit, target: f.target };
    process.stdout.write(`${JSON.stringify(out)}\n`);
  }
}

function printTable(figures: readonly Figure[]): void {
  const rows = figures.map((f) => [
    f.name,
    String(f.value),
    f.unit,
    f.target === undefined ? '' : `${f.better === 'higher' ? '≥' : '≤'} ${f.target}`,
    f.target === undefined ? '' : (f.better === 'higher' ? f.value >= f.target : f.value <= f.target) ? 'met' : 'MISSED',
    f.note ?? '',
  ]);
  const header = ['figure', 'value', 'unit', 'target', '', 'note'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 1 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join('  ').trimEnd();
  process.stdout.write(`${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n`);
  for (const row of rows) process.stdout.write(`${line(row)}\n`);
}

main(process.argv.slice(2)).catch((error: unknown) => {
  process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exit(1);
});
