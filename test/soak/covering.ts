import { seededRandom } from '../../electron/simulator/random';
import { planSale, type SalePlan } from './plans';

// A short run (the CI-sized mixed run: ~60 sales) drawn straight from a seed
// can miss a rare case — 60 draws of seed 1 hold no scanned code the
// customer never confirms, none refused. So the short run picks its sales
// out of the seed's draw: first the earliest sale of every family below that
// no sale picked so far has, then the earliest draws, up to the count. Every
// picked sale keeps its index and plan, so `npm run soak -- --seed S --from K
// --sales 1` replays it alone.

/** A kind of sale or fault every covering run holds, by its plan labels (plans.ts). */
export interface Family {
  name: string;
  has(label: string): boolean;
}

const is = (name: string, wanted: string): Family => ({ name, has: (label) => label === wanted });
const starts = (name: string, prefix: string): Family => ({ name, has: (label) => label.startsWith(prefix) });

export const FAMILIES: readonly Family[] = [
  is('WeChat MPM', 'wechat_mpm'),
  is('Alipay MPM (801501)', 'alipay_mpm'),
  is('scanned WeChat code (800208)', 'cpm.800208'),
  is('scanned Alipay code (800108)', 'cpm.800108'),
  is('unified code (800008)', 'cpm.800008'),
  is('code paid at once', 'code.at_once'),
  is('code paid after the password', 'code.password'),
  is('code never confirmed: reversal when the window ends', 'code.never'),
  is('code refused (1201)', 'code.refuses'),
  is('cash', 'cash'),
  starts('payment answer lost after commit', 'payment.dropResponse'),
  { name: 'payment 5xx with commit', has: (label) => /^payment\.5\d\d\+commit$/.test(label) },
  is('payment 5xx without commit', 'payment.502'),
  is('payment 1145 with commit', 'payment.1145+commit'),
  is('payment 429', 'payment.429'),
  starts('query 429', 'query.429'),
  { name: 'query 5xx or lost answer', has: (label) => label === 'query.500' || label === 'query.dropResponse' },
  starts('1145 streak', '1145x'),
  starts('close fault', 'close.'),
  is('close answer lost', 'close.dropResponse'),
  starts('reversal fault', 'reversal.'),
  is('reversal answer lost', 'reversal.dropResponse'),
  is('reversal 5xx with commit', 'reversal.502+commit'),
  starts('refund fault', 'refund.'),
  is('QR left to expire', 'expire'),
];

/** `count` sales of `seed` holding every family; throws when `maxDraws` draws do not hold one. */
export function coveringPlans(seed: number, count: number, families: readonly Family[] = FAMILIES, maxDraws = 10_000): SalePlan[] {
  const random = seededRandom(seed);
  const drawn: SalePlan[] = [];
  const picked = new Set<number>();
  const missing = new Set(families);
  for (let i = 0; i < maxDraws && (missing.size > 0 || drawn.length < count); i++) {
    const plan = planSale(i, random);
    drawn.push(plan);
    const adds = [...missing].filter((family) => plan.labels.some((label) => family.has(label)));
    if (adds.length === 0) continue;
    picked.add(i);
    for (const family of adds) missing.delete(family);
  }
  if (missing.size > 0) throw new Error(`seed ${seed}: no sale among ${maxDraws} draws is a case of ${[...missing].map((f) => f.name).join(', ')}`);
  if (picked.size > count) throw new Error(`seed ${seed}: ${picked.size} sales are needed to hold every family, more than ${count}`);
  for (const plan of drawn) {
    if (picked.size >= count) break;
    picked.add(plan.index);
  }
  return drawn.filter((plan) => picked.has(plan.index));
}
