import { formatTxdtm } from '../qfpay/time';

// Merchant order ids (`out_trade_no`): made before any network call, unique
// across every till of the merchant because they start with the till's udid,
// and unique on this till by time plus random letters (the journal's primary
// key catches the rest). Payments and refunds share QFPay's namespace, so the
// kind is part of the id: S for a sale, R for a refund.

const ALPHABET = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A udid may hold '.' or ':' (QFPay allows them); out_trade_no may not. */
export function udidForIds(udid: string): string {
  return udid.replace(/[^A-Za-z0-9_-]/g, '_');
}

export function makeOutTradeNo(kind: 'S' | 'R', udid: string, nowMs: number, random: () => number, timeZone?: string): string {
  const stamp = formatTxdtm(nowMs, timeZone).replace(/\D/g, '').slice(2); // yyMMddHHmmss
  let tail = '';
  for (let i = 0; i < 6; i++) tail += ALPHABET[Math.floor(random() * ALPHABET.length)];
  return `${udidForIds(udid)}-${kind}${stamp}${tail}`;
}
