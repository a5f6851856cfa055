import type { TillReport } from '../../../../shared/reports';

// A Z with everything the roll prints: totals, QFPay's confirmed totals, the
// split by tender (a refund under WeChat Pay), a drawer with paid in and out
// and a counted difference. The unit tests read its figures; the e2e test
// shoots it.

const HK = 'Asia/Hong_Kong';
export const at = (h: number, m = 0) => Date.UTC(2026, 10, 30, h, m);
export const SHA = 'ab'.repeat(32);

export const Z: TillReport = {
  kind: 'z',
  udid: 'T01',
  training: false,
  periodStartMs: at(0),
  periodEndMs: at(10),
  generatedAtMs: at(10),
  businessDay: '2026-11-30',
  businessDayCutoffHour: 4,
  timeZone: HK,
  zNumber: 12,
  sha256: SHA,
  currencies: [
    { currency: 'HKD', paidCount: 3, grossMinor: 16_000, refundCount: 1, refundMinor: 700, netMinor: 15_300, averageTicketMinor: 5_333, cancelledCount: 1, expiredCount: 0, failedCount: 2, firstSaleAtMs: at(1, 5), lastSaleAtMs: at(9, 20), hourly: [] },
  ],
  confirmed: [{ currency: 'HKD', paidCount: 3, grossMinor: 16_000, refundCount: 1, refundMinor: 700 }],
  drawerOpenings: 4,
  tenders: [
    {
      currency: 'HKD',
      tenders: [
        { payType: '800201', paidCount: 2, grossMinor: 12_000, refundCount: 1, refundMinor: 700 },
        { payType: 'cash', paidCount: 1, grossMinor: 4_000, refundCount: 0, refundMinor: 0 },
      ],
    },
  ],
  drawer: [
    {
      currency: 'HKD',
      floatMinor: 50_000,
      cashSalesCount: 1,
      cashSalesMinor: 4_000,
      cashRefundCount: 0,
      cashRefundMinor: 0,
      paidInMinor: 1_000,
      paidOutMinor: 2_550,
      expectedMinor: 52_450,
      countedMinor: 52_400,
      differenceMinor: -50,
      movements: [
        { kind: 'paid_in', currency: 'HKD', amountMinor: 1_000, reason: 'coins', atMs: at(2) },
        { kind: 'paid_out', currency: 'HKD', amountMinor: 2_550, reason: 'milk', atMs: at(3) },
      ],
    },
  ],
};

