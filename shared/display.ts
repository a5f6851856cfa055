import type { CurrencyCode } from './currency';
import { WECHAT_MPM, payTypeInfo, type Wallet } from './pay-types';
import type { SaleView } from './sale';

// What the customer display shows, and nothing else: it never learns order
// numbers, settings, or anything about other sales.

/** Which Chinese the customer display shows beside English: Traditional unless the till is set to Simplified. */
export type DisplayChinese = 'zh-Hant' | 'zh-Hans';

/** A wallet the customer may pay with, as the display names it (the unified code is a way to scan, not a wallet). */
export type AcceptedWallet = Exclude<Wallet, 'unified'>;

/** The wallets whose payment codes the cashier scans (issue 13 §1): every till takes them. */
const SCANNED_WALLETS: readonly AcceptedWallet[] = ['wechat', 'alipay'];

/**
 * The wallets the shop takes, each once: WeChat first, then the QR wallets
 * the merchant enabled (settings.mpmPayTypes) in their settings order, then
 * those only taken as scanned codes (Alipay, when no Alipay QR is enabled).
 * AlipayHK and Alipay are one wallet to a customer. Cash is not a wallet.
 */
export function acceptedWallets(mpmPayTypes: readonly string[]): AcceptedWallet[] {
  const wallets = new Set<AcceptedWallet>(['wechat']);
  for (const payType of mpmPayTypes) {
    const wallet = payTypeInfo(payType)?.wallet;
    if (wallet !== undefined && wallet !== 'unified') wallets.add(wallet);
  }
  for (const wallet of SCANNED_WALLETS) wallets.add(wallet);
  return [...wallets];
}

/** What a till on the default settings (WeChat QR only) takes. */
export const DEFAULT_ACCEPTED_WALLETS: readonly AcceptedWallet[] = acceptedWallets([WECHAT_MPM]);

export type DisplayState = (
  /** `wallets`: what the shop takes (acceptedWallets), named on the idle screen. */
  | { kind: 'idle'; merchantName: string; training: boolean; wallets: readonly AcceptedWallet[] }
  /** The cashier is typing an amount: the customer sees what will be due (no QR yet). */
  | { kind: 'due'; merchantName: string; training: boolean; amountMinor: number; currency: CurrencyCode; wallets: readonly AcceptedWallet[] }
  /**
   * Issue 13: the cashier is scanning (or about to scan) the customer's
   * payment code, or the scanned payment waits for the customer (a password
   * on their phone): "Please show your payment code" with the amount.
   * `payType` is the CPM pay type once a code was scanned.
   */
  | { kind: 'show_code'; merchantName: string; training: boolean; amountMinor: number; currency: CurrencyCode; payType?: string; waiting: boolean }
  | {
      kind: 'qr';
      merchantName: string;
      training: boolean;
      amountMinor: number;
      currency: CurrencyCode;
      qrcode: string;
      expiresAtMs: number;
      /**
       * The QR's time left when main built this state, and its whole
       * lifetime: the display counts down from its own receipt of the state,
       * so a clock that differs from main's never shows more than the QR lives.
       */
      remainingMs: number;
      lifetimeMs: number;
      /** The wallet whose QR this is (shared/pay-types.ts), for the prompt and branding; absent: WeChat 800201. */
      payType?: string;
    }
  | { kind: 'paid'; merchantName: string; training: boolean; amountMinor: number; currency: CurrencyCode; /** Cash: the change the customer gets back. */ changeMinor?: number }
  | { kind: 'closed'; merchantName: string; training: boolean; reason: 'cancelled' | 'expired' | 'failed' }
) & { chinese?: 'zh-Hans' };

/** What the cashier is typing, as the customer display may show it. */
export interface TypedAmount {
  amountMinor: number;
  currency: CurrencyCode;
  /** The cashier pressed Scan: ask the customer for their payment code. */
  scanning?: boolean;
}

/**
 * The customer display's state for a sale (or no sale) at `nowMs`. A QR only
 * ever for a sale awaiting the scan; with no sale to show, the amount the
 * cashier is typing, if any. `wallets`: what the shop takes (acceptedWallets
 * of its settings), for the idle and due screens only.
 */
export function displayStateFor(
  sale: SaleView | undefined,
  merchantName: string,
  training: boolean,
  chinese: DisplayChinese = 'zh-Hant',
  nowMs = Date.now(),
  typed?: TypedAmount,
  wallets: readonly AcceptedWallet[] = DEFAULT_ACCEPTED_WALLETS,
): DisplayState {
  const base = chinese === 'zh-Hans' ? { merchantName, training, chinese } : { merchantName, training };
  const idle: DisplayState = { kind: 'idle', ...base, wallets: [...wallets] };
  if (!sale) {
    if (!typed) return idle;
    const { scanning, ...amount } = typed;
    return scanning ? { kind: 'show_code', ...base, ...amount, waiting: false } : { kind: 'due', ...base, ...amount, wallets: [...wallets] };
  }
  const consumer = sale.payType !== undefined && payTypeInfo(sale.payType)?.presented === 'consumer';
  if (consumer && sale.parked !== true && (sale.state === 'requesting' || sale.state === 'unknown' || sale.state === 'awaiting_scan')) {
    // The code was scanned; the payment may wait for the customer's password on their phone.
    return { kind: 'show_code', ...base, amountMinor: sale.amountMinor, currency: sale.currency, payType: sale.payType, waiting: true };
  }
  switch (sale.state) {
    case 'awaiting_scan': {
      if (!sale.qrcode || sale.expiresAtMs === null) return idle;
      const lifetimeMs = Math.max(0, sale.expiresAtMs - sale.createdAtMs);
      const remainingMs = Math.min(lifetimeMs, Math.max(0, sale.expiresAtMs - nowMs));
      const wallet = sale.payType !== undefined ? { payType: sale.payType } : {};
      return { kind: 'qr', ...base, amountMinor: sale.amountMinor, currency: sale.currency, qrcode: sale.qrcode, expiresAtMs: sale.expiresAtMs, remainingMs, lifetimeMs, ...wallet };
    }
    case 'paid':
      return { kind: 'paid', ...base, amountMinor: sale.amountMinor, currency: sale.currency, ...(sale.cash ? { changeMinor: sale.cash.changeMinor } : {}) };
    case 'expired':
      return { kind: 'closed', ...base, reason: 'expired' };
    case 'cancelled':
      return { kind: 'closed', ...base, reason: 'cancelled' };
    case 'failed':
      return { kind: 'closed', ...base, reason: 'failed' };
    default:
      // requesting, unknown, cancelling: nothing the customer can act on.
      return idle;
  }
}

/** The countdown shows only in a QR's last COUNTDOWN_FROM_MS: 30 minutes ticking means nothing at a counter. */
export const COUNTDOWN_FROM_MS = 2 * 60_000;

/** A QR state's time left, `elapsedMs` after the display received it: never above its lifetime, never negative. */
export function qrTimeLeft(state: { remainingMs: number; lifetimeMs: number }, elapsedMs: number): number {
  return Math.max(0, Math.min(state.lifetimeMs, state.remainingMs - Math.max(0, elapsedMs)));
}
