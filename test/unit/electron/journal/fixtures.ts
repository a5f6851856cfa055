import { NOT_YET_SETTLED, type SaleRecord } from '../../../../electron/journal/journal';

// Rows for the journal's unit tests.

/** A sale written ahead, with the fields a test cares about changed. */
export function sale(id: string, patch: Partial<SaleRecord> = {}): SaleRecord {
  return {
    outTradeNo: id,
    udid: 'till-01',
    training: true,
    amountMinor: 1000,
    currency: 'HKD',
    payType: '800201',
    goodsName: null,
    state: 'requesting',
    txdtm: '2026-11-26 12:00:00',
    expiredMinutes: 30,
    createdAtMs: 1_000,
    expiresAtMs: 1_000 + 30 * 60_000,
    ...NOT_YET_SETTLED,
    orderNo: id,
    updatedAtMs: 1_000,
    ...patch,
  };
}
