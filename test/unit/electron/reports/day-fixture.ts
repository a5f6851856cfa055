import type { Journal } from '../../../../electron/journal/journal';
import { addRefund, addSale, hk } from './fixtures';

// One business day of a Hong Kong till (days start at 04:00), with every
// case the totals must get right, and its totals worked out by hand.
//
// Business day 2026-11-26 = [2026-11-26 04:00, 2026-11-27 04:00) HKT.

export const DAY_START = hk(2026, 11, 26, 4);
export const DAY_END = hk(2026, 11, 27, 4);

/** The previous day's sale that is refunded today (a refund of an earlier Z period). */
export function writeEarlierDay(journal: Journal): void {
  addSale(journal, 'S-PREV', { amountMinor: 3000, createdAtMs: hk(2026, 11, 25, 18), settledAtMs: hk(2026, 11, 25, 18, 1), state: 'paid' });
}

/** Today (and yesterday's refunded sale, unless written already). */
export function writeDay(journal: Journal): void {
  if (!journal.sale('S-PREV')) writeEarlierDay(journal);
  // HKD
  addSale(journal, 'S-HKD-1', { amountMinor: 1230, createdAtMs: hk(2026, 11, 26, 9), settledAtMs: hk(2026, 11, 26, 9, 0, 30), state: 'paid', goodsName: 'Latte' });
  addSale(journal, 'S-HKD-2', { amountMinor: 5000, createdAtMs: hk(2026, 11, 26, 12, 10), settledAtMs: hk(2026, 11, 26, 12, 11), state: 'paid' });
  // Made before midnight, paid after it: still today's business day.
  addSale(journal, 'S-HKD-3', { amountMinor: 775, createdAtMs: hk(2026, 11, 26, 23, 50), settledAtMs: hk(2026, 11, 27, 0, 5), state: 'paid' });
  // Made before the 04:00 cut-off, paid after it: tomorrow's business day.
  addSale(journal, 'S-HKD-4', { amountMinor: 2000, createdAtMs: hk(2026, 11, 27, 3, 55), settledAtMs: hk(2026, 11, 27, 4, 1), state: 'paid' });
  addSale(journal, 'S-HKD-5', { amountMinor: 1000, createdAtMs: hk(2026, 11, 26, 10), settledAtMs: hk(2026, 11, 26, 10, 30), state: 'expired', cancelReason: 'expiry' });
  addSale(journal, 'S-HKD-6', { amountMinor: 1500, createdAtMs: hk(2026, 11, 26, 11), settledAtMs: hk(2026, 11, 26, 11, 2), state: 'cancelled', cancelReason: 'cashier' });
  addSale(journal, 'S-HKD-7', { amountMinor: 999, createdAtMs: hk(2026, 11, 26, 13), settledAtMs: hk(2026, 11, 26, 13, 0, 5), state: 'failed', syssn: null });
  // Partial refund of a sale of today, a refund of yesterday's sale, and a refused refund.
  addRefund(journal, 'R-HKD-1', 'S-HKD-2', { amountMinor: 1000, createdAtMs: hk(2026, 11, 26, 15), settledAtMs: hk(2026, 11, 26, 15, 0, 5) });
  addRefund(journal, 'R-PREV', 'S-PREV', { amountMinor: 3000, createdAtMs: hk(2026, 11, 26, 16), settledAtMs: hk(2026, 11, 26, 16, 0, 3) });
  addRefund(journal, 'R-HKD-FAILED', 'S-HKD-1', { amountMinor: 200, createdAtMs: hk(2026, 11, 26, 17), state: 'failed' });
  // JPY (no decimals)
  addSale(journal, 'S-JPY-1', { amountMinor: 500, currency: 'JPY', createdAtMs: hk(2026, 11, 26, 10, 15), settledAtMs: hk(2026, 11, 26, 10, 15, 20), state: 'paid' });
  addSale(journal, 'S-JPY-2', { amountMinor: 1200, currency: 'JPY', createdAtMs: hk(2026, 11, 26, 18), settledAtMs: hk(2026, 11, 26, 18, 1), state: 'paid' });
  addRefund(journal, 'R-JPY-1', 'S-JPY-2', { amountMinor: 200, createdAtMs: hk(2026, 11, 26, 19), settledAtMs: hk(2026, 11, 26, 19, 0, 2) });
  // CNY
  addSale(journal, 'S-CNY-1', { amountMinor: 8888, currency: 'CNY', createdAtMs: hk(2026, 11, 26, 14), settledAtMs: hk(2026, 11, 26, 14, 0, 40), state: 'paid', goodsName: '茶' });
}

/** A training sale planted in the same file: never in a real report. */
export function writeTrainingRow(journal: Journal): void {
  addSale(journal, 'S-TRAINING', { amountMinor: 77_700, createdAtMs: hk(2026, 11, 26, 9, 30), settledAtMs: hk(2026, 11, 26, 9, 31), state: 'paid', training: true });
}

/** The day's totals, by hand. */
export const DAY_TOTALS = {
  CNY: { paidCount: 1, grossMinor: 8888, refundCount: 0, refundMinor: 0, netMinor: 8888, averageTicketMinor: 8888, cancelledCount: 0, expiredCount: 0, failedCount: 0 },
  // 1230 + 5000 + 775 = 7005; refunds 1000 + 3000; average 7005 / 3 = 2335
  HKD: { paidCount: 3, grossMinor: 7005, refundCount: 2, refundMinor: 4000, netMinor: 3005, averageTicketMinor: 2335, cancelledCount: 1, expiredCount: 1, failedCount: 1 },
  // 500 + 1200 = 1700; refund 200; average 850
  JPY: { paidCount: 2, grossMinor: 1700, refundCount: 1, refundMinor: 200, netMinor: 1500, averageTicketMinor: 850, cancelledCount: 0, expiredCount: 0, failedCount: 0 },
} as const;
