// Benchmarks print figures for people (a table) or for tracking (--json:
// one object {"name": {"value", "unit", "target"}}). They never pass or fail.

export interface Figure {
  name: string;
  value: number;
  unit: string;
  /** The target, if it set one. */
  target?: number;
  /** Whether more is better (throughput) or less is better (latency, size). */
  better: 'higher' | 'lower';
  note?: string;
}

export interface Bench {
  title: string;
  run(): Promise<Figure[]>;
}

/** Percentile of a sample (nearest rank). */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

/** Runs `fn` repeatedly for about `ms` milliseconds (after a short warm-up); returns operations per second. */
export function throughput(fn: () => void, ms = 1000): number {
  const warmEnd = performance.now() + Math.min(200, ms / 5);
  while (performance.now() < warmEnd) fn();
  let count = 0;
  const start = performance.now();
  let now = start;
  while (now - start < ms) {
    for (let i = 0; i < 100; i++) fn();
    count += 100;
    now = performance.now();
  }
  return (count * 1000) / (now - start);
}

export const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
