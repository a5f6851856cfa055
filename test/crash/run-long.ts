import { parseArgs } from 'node:util';
import { seededRandom } from '../../electron/simulator/random';
import { killLeftovers } from './cli-child';
import { CRASH_POINTS, RECOVERY_POINTS, describeResult, runCrashScenario, type CrashPoint, type ScenarioResult } from './scenarios';

// `npm run crash:long [-- --seeds 10] [--point LABEL[,LABEL]] [--seed N]
//   [--timing-scale 0.02|default] [--concurrency 4]
//   [--recovery-crashes none|random|LABEL,LABEL] [--recover-udid U] [--verbose]`
//
// Every crash point × N seeds (1..N, or just --seed N), each a real `till`
// child killed at the point and then recovered, compared with the
// simulator's ground truth. Prints a table of point, seeds, passed, failed
// and the slowest recovery; exits 1 when anything failed. Not part of
// `npm test`: the CI crash tests run two seeds per point.
//
// --recovery-crashes random: each scenario's recovery is itself killed at
// one or two points it can reach (chosen by the seed) before a clean
// recovery. --recover-udid: recover under another udid (see the report).

const DEFAULT_SCALE = '0.02';

async function main(): Promise<number> {
  if (Number(process.versions.node.split('.')[0]) < 22) {
    process.stderr.write('run this with Node 22 (npm run crash:long): better-sqlite3 here is built for it\n');
    return 2;
  }
  const { values } = parseArgs({
    options: {
      seeds: { type: 'string', default: '10' },
      seed: { type: 'string' },
      point: { type: 'string', multiple: true },
      'timing-scale': { type: 'string', default: DEFAULT_SCALE },
      concurrency: { type: 'string', default: '4' },
      'recovery-crashes': { type: 'string', default: 'none' },
      'recover-udid': { type: 'string' },
      verbose: { type: 'boolean', default: false },
    },
  });
  const recoveryMode = values['recovery-crashes']!;
  const explicit = recoveryMode === 'none' || recoveryMode === 'random' ? [] : recoveryMode.split(',');
  for (const p of explicit) {
    if (!(RECOVERY_POINTS as readonly string[]).includes(p)) {
      process.stderr.write(`--recovery-crashes: ${p} is not reachable during recovery; use ${RECOVERY_POINTS.join(', ')}\n`);
      return 2;
    }
  }
  const recoveryCrashesFor = (point: CrashPoint, seed: number): CrashPoint[] => {
    if (recoveryMode === 'none') return [];
    if (recoveryMode !== 'random') return explicit as CrashPoint[];
    const random = seededRandom((seed * 31 + CRASH_POINTS.indexOf(point)) >>> 0);
    const count = 1 + Math.floor(random() * 2);
    return Array.from({ length: count }, () => RECOVERY_POINTS[Math.floor(random() * RECOVERY_POINTS.length)]!);
  };
  const points = (values.point ?? []).flatMap((p) => p.split(',')).filter(Boolean);
  for (const p of points) {
    if (!(CRASH_POINTS as readonly string[]).includes(p)) {
      process.stderr.write(`unknown crash point ${p}; known: ${CRASH_POINTS.join(', ')}\n`);
      return 2;
    }
  }
  const selected = (points.length ? points : [...CRASH_POINTS]) as CrashPoint[];
  const seedCount = Number(values.seeds);
  const seeds = values.seed !== undefined ? [Number(values.seed)] : Array.from({ length: seedCount }, (_, i) => i + 1);
  if (seeds.some((s) => !Number.isInteger(s) || s < 0)) {
    process.stderr.write('--seeds/--seed must be whole numbers\n');
    return 2;
  }
  const scaleText = values['timing-scale']!;
  const timingScale = scaleText === 'default' || scaleText === '1' ? undefined : scaleText;
  const concurrency = Math.max(1, Number(values.concurrency) || 1);
  const log = values.verbose ? (line: string) => process.stderr.write(`${line}\n`) : undefined;

  process.stdout.write(
    `crash points: ${selected.length} × seeds ${seeds.length === 1 ? seeds[0] : `1..${seeds.length}`}, ` +
      `engine timing ${timingScale ? `TILL_TIMING_SCALE=${timingScale}` : 'default'}, ${concurrency} at a time, ` +
      `recovery crashes ${recoveryMode}${values['recover-udid'] ? `, recovering as udid ${values['recover-udid']}` : ''}\n`,
  );

  const jobs = selected.flatMap((point) => seeds.map((seed) => ({ point, seed })));
  const results: ScenarioResult[] = [];
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (;;) {
      const job = jobs[next++];
      if (!job) return;
      const result = await runCrashScenario(job.point, job.seed, {
        timingScale,
        log,
        recoveryCrashes: recoveryCrashesFor(job.point, job.seed),
        ...(values['recover-udid'] ? { recoverUdid: values['recover-udid'] } : {}),
      });
      results.push(result);
      if (!result.ok) process.stdout.write(`\n${describeResult(result)}\n`);
      else if (values.verbose) process.stderr.write(`${describeResult(result)}\n`);
    }
  };
  const stop = () => {
    killLeftovers();
    process.exit(130);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  try {
    await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  } finally {
    killLeftovers();
  }

  const rows = selected.map((point) => {
    const mine = results.filter((r) => r.point === point);
    const failed = mine.filter((r) => !r.ok);
    return [
      point,
      String(mine.length),
      String(mine.length - failed.length),
      String(failed.length),
      failed.length ? failed.map((r) => r.seed).join(',') : '-',
      recoveryMode === 'none' ? '-' : `${mine.reduce((t, r) => t + r.recoveryCrashed.filter(Boolean).length, 0)}/${mine.reduce((t, r) => t + r.recoveryCrashes.length, 0)}`,
      `${Math.round(Math.max(...mine.map((r) => r.recoverMs)))} ms`,
      `${(mine.reduce((t, r) => t + r.durationMs, 0) / 1000).toFixed(1)} s`,
    ];
  });
  const header = ['point', 'seeds', 'pass', 'fail', 'failed seeds', 'recovery crashes hit', 'slowest recover', 'total'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  process.stdout.write(`\n${line(header)}\n${widths.map((w) => '-'.repeat(w)).join('  ')}\n${rows.map(line).join('\n')}\n`);
  const failedCount = results.filter((r) => !r.ok).length;
  process.stdout.write(`\n${results.length - failedCount}/${results.length} passed in ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return failedCount === 0 ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    killLeftovers();
    process.stderr.write(`crash:long failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
