import type { CurrencyCode } from './currency';
import type { SaleView } from './sale';

// What the customer display shows, and nothing else: it never learns order
// numbers, settings, or anything about other sales.

/** Which Chinese the customer display shows beside English: Traditional unless the till is set to Simplified. */
export type DisplayChinese = 'zh-Hant' | 'zh-Hans';

export type DisplayState = (
  | { kind: 'idle'; merchantName: string; training: boolean }
  | { kind: 'qr'; merchantName: string; training: boolean; amountMinor: number; currency: CurrencyCode; qrcode: string; expiresAtMs: number }
  | { kind: 'paid'; merchantName: string; training: boolean; amountMinor: number; currency: CurrencyCode }
  | { kind: 'closed'; merchantName: string; training: boolean; reason: 'cancelled' | 'expired' | 'failed' }
) & { chinese?: 'zh-Hans' };

/** The customer display's state for a sale (or no sale). A QR only ever for a sale awaiting the scan. */
export function displayStateFor(sale: SaleView | undefined, merchantName: string, training: boolean, chinese: DisplayChinese = 'zh-Hant'): DisplayState {
  const base = chinese === 'zh-Hans' ? { merchantName, training, chinese } : { merchantName, training };
  if (!sale) return { kind: 'idle', ...base };
  switch (sale.state) {
    case 'awaiting_scan':
      return sale.qrcode && sale.expiresAtMs !== null
        ? { kind: 'qr', ...base, amountMinor: sale.amountMinor, currency: sale.currency, qrcode: sale.qrcode, expiresAtMs: sale.expiresAtMs }
        : { kind: 'idle', ...base };
    case 'paid':
      return { kind: 'paid', ...base, amountMinor: sale.amountMinor, currency: sale.currency };
    case 'expired':
      return { kind: 'closed', ...base, reason: 'expired' };
    case 'cancelled':
      return { kind: 'closed', ...base, reason: 'cancelled' };
    case 'failed':
      return { kind: 'closed', ...base, reason: 'failed' };
    default:
      // requesting, unknown, cancelling: nothing the customer can act on.
      return { kind: 'idle', ...base };
  }
}
