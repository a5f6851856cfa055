import type { JournalEntry } from '../../../../electron/reports/reconcile-match';
import { hk } from './fixtures';

// A journal entry as reconcile.ts loads it: a paid HK$12.30 sale created at
// noon on 2026-11-26 (Hong Kong), its syssn derived from its id.

export function journalEntry(outTradeNo: string, patch: Partial<JournalEntry> = {}): JournalEntry {
  return {
    orderType: 'payment',
    outTradeNo,
    syssn: `SSN-${outTradeNo}`,
    state: 'paid',
    amountMinor: 1230,
    currency: 'HKD',
    createdAtMs: hk(2026, 11, 26, 12),
    cancelReason: null,
    saleOutTradeNo: null,
    saleSyssn: null,
    ...patch,
  };
}
