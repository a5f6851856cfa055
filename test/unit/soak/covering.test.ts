import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../electron/simulator/random';
import { coveringPlans, FAMILIES } from '../../soak/covering';
import { planSale } from '../../soak/plans';

// The CI-sized mixed run relies on its sales holding every family whatever the seed.

describe('coveringPlans', () => {
  it.each([1, 2, 3, 11, 12345])('seed %i: 60 sales, every family held, each the plan the seed draws for its index', (seed) => {
    const plans = coveringPlans(seed, 60);
    expect(plans).toHaveLength(60);
    for (const family of FAMILIES) expect(plans.some((p) => p.labels.some((l) => family.has(l))), family.name).toBe(true);
    const indexes = plans.map((p) => p.index);
    expect(indexes).toEqual([...new Set(indexes)].sort((a, b) => a - b));
    const random = seededRandom(seed);
    const straight = Array.from({ length: indexes[indexes.length - 1]! + 1 }, (_, i) => planSale(i, random));
    for (const plan of plans) expect(plan).toEqual(straight[plan.index]);
  });

  it('without a rare case the first draws are the run; a family no draw holds is refused, naming it', () => {
    expect(coveringPlans(1, 10, []).map((p) => p.index)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(() => coveringPlans(1, 10, [{ name: 'tender of nothing', has: () => false }], 50)).toThrow('seed 1: no sale among 50 draws is a case of tender of nothing');
  });
});
