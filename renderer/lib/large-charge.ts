import { isCurrencyCode, type CurrencyCode } from '../../shared/currency';
import type { SaleView } from '../../shared/sale';
import { largeChargeThreshold, type Settings } from '../../shared/settings';

// When a charge is big enough that a slip of the finger (an extra "0", a
// scanned code typed into the amount) would hurt, the cashier confirms the
// amount on a second step: above the owner's limit for the currency, or
// more than 20 times this till's median sale in it.

export const TYPICAL_MULTIPLE = 20;
/** Fewer paid sales than this in a currency say nothing about its typical sale. */
export const MIN_SALES_FOR_MEDIAN = 10;

export type LargeReason = { kind: 'limit'; limitMinor: number } | { kind: 'typical'; medianMinor: number };

/** The median of integer amounts (the lower middle for an even count: a whole number of minor units). */
export function medianMinor(amounts: readonly number[]): number | null {
  if (amounts.length === 0) return null;
  const sorted = [...amounts].sort((a, b) => a - b);
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

/** The median paid sale per currency, for currencies with enough paid sales to tell. */
export function typicalSales(sales: readonly SaleView[]): Partial<Record<CurrencyCode, number>> {
  const byCurrency = new Map<CurrencyCode, number[]>();
  for (const sale of sales) {
    if (sale.state !== 'paid' || !isCurrencyCode(sale.currency)) continue;
    byCurrency.set(sale.currency, [...(byCurrency.get(sale.currency) ?? []), sale.amountMinor]);
  }
  const result: Partial<Record<CurrencyCode, number>> = {};
  for (const [currency, amounts] of byCurrency) if (amounts.length >= MIN_SALES_FOR_MEDIAN) result[currency] = medianMinor(amounts)!;
  return result;
}

/** Why this charge needs a second look; empty when it does not. */
export function largeChargeReasons(
  amountMinor: number,
  currency: CurrencyCode,
  settings: Pick<Settings, 'largeChargeMinor'>,
  medians: Partial<Record<CurrencyCode, number>>,
): LargeReason[] {
  const reasons: LargeReason[] = [];
  const limitMinor = largeChargeThreshold(settings, currency);
  if (amountMinor > limitMinor) reasons.push({ kind: 'limit', limitMinor });
  const median = medians[currency];
  if (median !== undefined && amountMinor > TYPICAL_MULTIPLE * median) reasons.push({ kind: 'typical', medianMinor: median });
  return reasons;
}
