import type { DrawerTotals, TenderTotals } from './cash';
import type { CurrencyCode } from './currency';

// X and Z till reports as both processes see them. Amounts in minor units.

/**
 * Paid sales in one hour of the day, summed over every day of the period (for a
 * one-day Z, that day's hours; for a long period, its busy hours).
 */
export interface HourTotals {
  /** Local hour of the day, 0–23, in the report's time zone. */
  hour: number;
  paidCount: number;
  grossMinor: number;
}

export interface CurrencyTotals {
  currency: CurrencyCode;
  paidCount: number;
  grossMinor: number;
  refundCount: number;
  refundMinor: number;
  netMinor: number;
  /** Gross ÷ paid count, rounded half up; 0 when nothing was paid. */
  averageTicketMinor: number;
  cancelledCount: number;
  expiredCount: number;
  failedCount: number;
  firstSaleAtMs: number | null;
  lastSaleAtMs: number | null;
  /** Hours of the day with a paid sale, in hour order 0–23 (a chart starts from the business-day cut-off). */
  hourly: HourTotals[];
}

/** QFPay-confirmed totals per currency, when reconciliation has run for the period. */
export interface ConfirmedTotals {
  currency: string;
  paidCount: number;
  grossMinor: number;
  refundCount: number;
  refundMinor: number;
}

export interface TillReport {
  kind: 'x' | 'z';
  udid: string;
  training: boolean;
  /** The period: [start, end). Z: from the previous Z's end (or the first sale). */
  periodStartMs: number;
  periodEndMs: number;
  generatedAtMs: number;
  /** The business day the period ends in (YYYY-MM-DD), with days starting at the cut-off hour. */
  businessDay: string;
  businessDayCutoffHour: number;
  timeZone: string;
  currencies: CurrencyTotals[];
  /** Z only. */
  zNumber?: number;
  /** Z only: SHA-256 (hex) of the report's canonical content, stored with it. */
  sha256?: string;
  confirmed?: ConfirmedTotals[];
  /** Cash-drawer openings without a sale ("No sale") in the period; absent when none (issue 14). */
  drawerOpenings?: number;
  /**
   * Each currency's totals split by tender (pay type, cash last): the parts add
   * up to the currency's figures. Absent on Zs taken before cash existed.
   */
  tenders?: CurrencyTenders[];
  /** The cash drawer per currency with cash activity (Z: with counted cash and the difference). */
  drawer?: DrawerTotals[];
}

export interface CurrencyTenders {
  currency: CurrencyCode;
  tenders: TenderTotals[];
}

/** At Z: the cash the cashier counted in the drawer, per currency. */
export interface CountedCash {
  currency: string;
  countedMinor: number;
}

export interface ZSummary {
  zNumber: number;
  periodStartMs: number;
  periodEndMs: number;
  createdAtMs: number;
  sha256: string;
}

/**
 * The currencies a report shows: those with a paid sale or a refund in the
 * period, or with figures QFPay confirmed. A currency with only cancelled or
 * expired attempts took no money and is left out of what a manager reads.
 */
export function reportedCurrencies(report: Pick<TillReport, 'currencies' | 'confirmed'>): CurrencyTotals[] {
  const confirmed = new Set((report.confirmed ?? []).filter((c) => c.paidCount > 0 || c.refundCount > 0).map((c) => c.currency));
  return report.currencies.filter((t) => t.paidCount > 0 || t.refundCount > 0 || confirmed.has(t.currency));
}

/** One tender's part of an hour's bar (payType null: a report without the split by hour, one part). */
export interface HourPart {
  payType: string | null;
  paidCount: number;
  grossMinor: number;
}

/**
 * A currency's paid sales per hour of the day (index 0–23), each hour split
 * into its tenders in the report's tender order (cash last), for the chart
 * stacked by tender. A report made before the split (no per-tender hours, as
 * on older Zs) gives one part per hour from the currency's own figures,
 * summed (a Z from before the breakdown by hour of the day has one entry per
 * date and hour).
 */
export function hourParts(totals: Pick<CurrencyTotals, 'hourly'>, tenders: readonly TenderTotals[] | undefined): HourPart[][] {
  const hours: HourPart[][] = Array.from({ length: 24 }, () => []);
  const split = tenders !== undefined && tenders.length > 0 && tenders.every((t) => t.hourly !== undefined);
  if (split) {
    for (const t of tenders) for (const h of t.hourly!) if (h.paidCount > 0) hours[h.hour]?.push({ payType: t.payType, paidCount: h.paidCount, grossMinor: h.grossMinor });
    return hours;
  }
  for (const h of totals.hourly) {
    const part = hours[h.hour]?.[0];
    if (part) {
      part.paidCount += h.paidCount;
      part.grossMinor += h.grossMinor;
    } else hours[h.hour]?.push({ payType: null, paidCount: h.paidCount, grossMinor: h.grossMinor });
  }
  return hours;
}

/** The tenders of a currency on a report (empty on reports from before the split). */
export const tendersOf = (report: Pick<TillReport, 'tenders'>, currency: string): TenderTotals[] => report.tenders?.find((c) => c.currency === currency)?.tenders ?? [];
