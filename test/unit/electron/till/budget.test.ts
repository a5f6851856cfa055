import { describe, expect, it } from 'vitest';
import { BucketStoppedError, HEADROOM, MERCHANT_LIMIT_PER_MINUTE, TokenBucket, backoffMs, tillBudgetPerMinute } from '../../../../electron/till/budget';
import type { Clock, Wake } from '../../../../electron/till/clock';

// The till's polling budget (DESIGN.md rule 7) with a hand-moved clock: no
// wall time passes in these tests.

class FakeClock implements Clock {
  t = 0;
  private sleepers: Array<{ at: number; resolve: () => void }> = [];

  now(): number {
    return this.t;
  }

  monotonic(): number {
    return this.t;
  }

  sleep(ms: number, wake?: Wake): Promise<void> {
    return new Promise((resolve) => {
      const sleeper = { at: this.t + Math.max(0, ms), resolve };
      this.sleepers.push(sleeper);
      wake?.on(() => {
        this.sleepers = this.sleepers.filter((s) => s !== sleeper);
        resolve();
      });
    });
  }

  /** Moves time on and lets everything due run. */
  async advance(ms: number): Promise<void> {
    const target = this.t + ms;
    for (;;) {
      await settle();
      const due = this.sleepers.filter((s) => s.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.t = Math.max(this.t, due.at);
      this.sleepers = this.sleepers.filter((s) => s !== due);
      due.resolve();
    }
    this.t = target;
    await settle();
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

/** Starts `n` takes and records when (clock time) each was admitted. */
function takeMany(bucket: TokenBucket, clock: FakeClock, n: number): number[] {
  const admitted: number[] = [];
  for (let i = 0; i < n; i++) void bucket.take().then(() => admitted.push(clock.now()));
  return admitted;
}

describe('TokenBucket', () => {
  it('a full bucket admits its burst at once, then one call per 60000/perMinute ms', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(120, clock); // 2/s, burst min(5, 120/20) = 5
    const admitted = takeMany(bucket, clock, 9);
    await settle();
    expect(admitted).toEqual([0, 0, 0, 0, 0]);
    await clock.advance(499);
    expect(admitted).toHaveLength(5);
    await clock.advance(1);
    expect(admitted).toHaveLength(6);
    await clock.advance(1_500);
    expect(admitted).toEqual([0, 0, 0, 0, 0, 500, 1000, 1500, 2000]);
    expect(bucket.taken).toBe(9);
  });

  it('over any window, admissions ≤ burst + rate × window', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(60, clock); // 1/s, burst 3
    const admitted = takeMany(bucket, clock, 40);
    await clock.advance(30_000);
    for (let start = 0; start <= 20_000; start += 1_000) {
      const inWindow = admitted.filter((t) => t >= start && t < start + 10_000).length;
      expect(inWindow).toBeLessThanOrEqual(3 + 10);
    }
    expect(admitted.length).toBeLessThanOrEqual(3 + 30 + 1);
  });

  it('serves callers in order', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(6, clock); // burst 1
    const order: string[] = [];
    void bucket.take().then(() => order.push('sale-1'));
    void bucket.take().then(() => order.push('refund-1'));
    void bucket.take().then(() => order.push('sale-2'));
    await clock.advance(30_000);
    expect(order).toEqual(['sale-1', 'refund-1', 'sale-2']);
  });

  it('pause() stops everyone for that long, even with tokens in hand', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(120, clock);
    bucket.pause(1_000);
    const admitted = takeMany(bucket, clock, 2);
    await clock.advance(999);
    expect(admitted).toEqual([]);
    await clock.advance(1);
    expect(admitted).toEqual([1000, 1000]);
  });

  it('a shorter pause never shortens a longer one', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(120, clock);
    bucket.pause(2_000);
    bucket.pause(100);
    const admitted = takeMany(bucket, clock, 1);
    await clock.advance(1_999);
    expect(admitted).toEqual([]);
    await clock.advance(1);
    expect(admitted).toEqual([2000]);
  });

  it('a server-supplied pause (Retry-After: 120) is capped: 30 s by default, or the configured ceiling', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(120, clock);
    bucket.pause(120_000);
    const admitted = takeMany(bucket, clock, 1);
    await clock.advance(29_999);
    expect(admitted).toEqual([]);
    await clock.advance(1);
    expect(admitted).toEqual([30_000]);

    const short = new TokenBucket(120, clock, undefined, 500);
    short.pause(120_000);
    const start = clock.now();
    const soon = takeMany(short, clock, 1);
    await clock.advance(500);
    expect(soon).toEqual([start + 500]);
  });

  it('tokens do not pile up beyond the burst while idle', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(120, clock);
    await clock.advance(3_600_000);
    const admitted = takeMany(bucket, clock, 7);
    await settle();
    expect(admitted).toHaveLength(5);
  });

  it('stop() fails waiting takes at once and every later one; nothing more is admitted', async () => {
    const clock = new FakeClock();
    const bucket = new TokenBucket(120, clock);
    bucket.pause(60_000);
    const outcomes: string[] = [];
    for (let i = 0; i < 3; i++) void bucket.take().then(() => outcomes.push('admitted'), (e: Error) => outcomes.push(e.name));
    await settle();
    expect(outcomes).toEqual([]);
    bucket.stop();
    await settle();
    expect(outcomes).toEqual(['BucketStoppedError', 'BucketStoppedError', 'BucketStoppedError']);
    await expect(bucket.take()).rejects.toBeInstanceOf(BucketStoppedError);
    expect(bucket.taken).toBe(0);
  });

  it('burst is 1 for small budgets and at most 5', () => {
    const clock = new FakeClock();
    expect(new TokenBucket(6, clock)['burst']).toBe(1);
    expect(new TokenBucket(40, clock)['burst']).toBe(2);
    expect(new TokenBucket(6000, clock)['burst']).toBe(5);
  });
});

describe('tillBudgetPerMinute', () => {
  it.each(Array.from({ length: 10 }, (_, i) => i + 1))('%i till(s) per merchant stay inside 400/min with headroom', (tills) => {
    const each = tillBudgetPerMinute(tills);
    expect(Number.isInteger(each)).toBe(true);
    expect(each).toBe(Math.max(6, Math.floor((MERCHANT_LIMIT_PER_MINUTE * HEADROOM) / tills)));
    expect(each * tills).toBeLessThanOrEqual(MERCHANT_LIMIT_PER_MINUTE * HEADROOM);
  });

  it('known values: 1 → 320, 4 → 80, 10 → 32', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 8, 9, 10].map(tillBudgetPerMinute)).toEqual([320, 160, 106, 80, 64, 53, 45, 40, 35, 32]);
  });

  it('nonsense till counts are read as one till; huge ones still leave a floor of 6/min', () => {
    expect(tillBudgetPerMinute(0)).toBe(320);
    expect(tillBudgetPerMinute(-3)).toBe(320);
    expect(tillBudgetPerMinute(2.9)).toBe(160);
    expect(tillBudgetPerMinute(1_000)).toBe(6);
  });
});

describe('backoffMs', () => {
  it.each([0, 1, 2, 3, 5, 10, 16, 40])('attempt %i stays within [ceiling/2, ceiling]', (attempt) => {
    const ceiling = Math.min(30_000, 1_000 * 2 ** Math.min(attempt, 16));
    for (const r of [0, 0.25, 0.5, 0.999999]) {
      const ms = backoffMs(attempt, () => r);
      expect(ms).toBeGreaterThanOrEqual(ceiling / 2);
      expect(ms).toBeLessThanOrEqual(ceiling);
    }
  });

  it('doubles up to the ceiling with a custom base and maximum', () => {
    const low = (attempt: number) => backoffMs(attempt, () => 0, 20, 100);
    const high = (attempt: number) => backoffMs(attempt, () => 0.999999, 20, 100);
    expect([0, 1, 2, 3, 4, 20].map(low)).toEqual([10, 20, 40, 50, 50, 50]);
    expect([0, 1, 2, 3, 4, 20].map(high)).toEqual([20, 40, 80, 100, 100, 100]);
  });

  it('is jittered: different random draws give different waits', () => {
    const values = new Set([0.1, 0.3, 0.6, 0.9].map((r) => backoffMs(3, () => r)));
    expect(values.size).toBe(4);
  });
});
