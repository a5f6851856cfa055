import { describe, expect, it } from 'vitest';
import { timingFromEnv } from '../../../../electron/cli/till-options';
import { DEFAULT_TIMING } from '../../../../electron/till/timing';

// TILL_TIMING_SCALE shrinks every engine interval for crash tests and demos:
// a new interval (a scanned code's query pace) must shrink with the rest, or
// a scaled run would wait out real seconds between its queries.

describe('timingFromEnv', () => {
  it('scales every interval, the scanned-code pace included (1.5 s then 3 s become 15 ms then 30 ms at 0.01)', () => {
    const timing = timingFromEnv('0.01')!;
    expect(Object.keys(timing).sort()).toEqual(Object.keys(DEFAULT_TIMING).sort());
    expect([timing.fastPollMs, timing.codeFirstPollMs, timing.codePollMs]).toEqual([6, 15, 30]);
    // The grace stays above any request's timeout on a loaded machine.
    expect(timing.notCreatedGraceMs).toBe(4_000);
  });

  it('unset is the default timing; a scale outside (0, 1] is refused', () => {
    expect(timingFromEnv(undefined)).toBeUndefined();
    expect(timingFromEnv('')).toBeUndefined();
    for (const bad of ['0', '-1', '2', 'fast']) expect(() => timingFromEnv(bad), bad).toThrow(/TILL_TIMING_SCALE/);
  });
});
