import { describe, expect, it } from 'vitest';
import { largeChargeReasons, medianMinor, typicalSales } from '../../../../renderer/lib/large-charge';
import { saleView } from '../support/fixtures';

// When a charge asks for a second look: above the owner's limit for its
// currency, or above 20× the till's median paid sale in that currency.

describe('large charges', () => {
  it('median of whole minor units, the lower middle for an even count', () => {
    expect(medianMinor([])).toBeNull();
    expect(medianMinor([5])).toBe(5);
    expect(medianMinor([300, 100, 200])).toBe(200);
    expect(medianMinor([400, 100, 300, 200])).toBe(200);
  });

  it('the typical sale counts paid sales only, per currency, and only with ten or more', () => {
    const sales = [
      ...Array.from({ length: 10 }, (_, i) => saleView({ outTradeNo: `H${i}`, amountMinor: 1000 + i, state: 'paid' })),
      ...Array.from({ length: 9 }, (_, i) => saleView({ outTradeNo: `C${i}`, amountMinor: 50, currency: 'CNY', state: 'paid' })),
      saleView({ outTradeNo: 'E', amountMinor: 1, state: 'expired' }),
    ];
    expect(typicalSales(sales)).toEqual({ HKD: 1004 });
  });

  it('the limit defaults per currency and the owner overrides it; 20× the median is the other bound', () => {
    expect(largeChargeReasons(1_000_000, 'HKD', { largeChargeMinor: {} }, {})).toEqual([]);
    expect(largeChargeReasons(1_000_001, 'HKD', { largeChargeMinor: {} }, {})).toEqual([{ kind: 'limit', limitMinor: 1_000_000 }]);
    expect(largeChargeReasons(200_001, 'JPY', { largeChargeMinor: {} }, {})).toEqual([{ kind: 'limit', limitMinor: 200_000 }]);
    expect(largeChargeReasons(5001, 'HKD', { largeChargeMinor: { HKD: 5000 } }, {})).toEqual([{ kind: 'limit', limitMinor: 5000 }]);
    expect(largeChargeReasons(20_000, 'HKD', { largeChargeMinor: {} }, { HKD: 1000 })).toEqual([]);
    expect(largeChargeReasons(20_001, 'HKD', { largeChargeMinor: {} }, { HKD: 1000 })).toEqual([{ kind: 'typical', medianMinor: 1000 }]);
    expect(largeChargeReasons(20_001, 'CNY', { largeChargeMinor: {} }, { HKD: 1000 })).toEqual([]);
  });
});
