import { CASH_PAY_TYPE } from '../../shared/cash';
import type { CurrencyCode } from '../../shared/currency';
import { payTypeInfo } from '../../shared/pay-types';
import type { RefundState } from '../../shared/sale';
import type { Language, ReceiptCodePage, Settings } from '../../shared/settings';
import type { RefundRecord, SaleRecord } from '../journal/journal';

// The one description of a receipt (issue 14): built from the journal's sale,
// its refunds and the settings, then rendered twice — to ESC/POS bytes for
// the printer and to SVG for the screen (render.ts). Everything printed is
// decided here; the renderers only lay it out.

export type Wallet = 'wechat' | 'alipay' | 'unionpay' | 'payme' | 'fps' | 'qfpay';

/** How the customer paid: through QFPay (a wallet) or in cash (issue 13: tendered and change). */
export type ReceiptTender =
  | { kind: 'qfpay'; wallet: Wallet; syssn: string | null; referenceLast4: string | null }
  | { kind: 'cash'; tenderedMinor: number; changeMinor: number };

export interface ReceiptRefund {
  outTradeNo: string;
  amountMinor: number;
  state: RefundState;
  atMs: number;
  syssn: string | null;
}

export interface ReceiptLayout {
  language: Language;
  paperWidth: 80 | 58;
  codePage: ReceiptCodePage;
}

export interface ReceiptHeader {
  shopName: string;
  addressLine: string;
  footer: string;
  udid: string;
  timeZone: string;
  training: boolean;
}

export interface SaleReceipt extends ReceiptHeader {
  kind: 'sale';
  outTradeNo: string;
  atMs: number;
  goodsName: string | null;
  currency: CurrencyCode;
  amountMinor: number;
  tender: ReceiptTender;
  refunds: ReceiptRefund[];
  /** Set on a refund receipt: the refund this slip is for (listed with the sale's others). */
  refundOutTradeNo: string | null;
  reprint: boolean;
}

/**
 * A line of a slip: text as it is, a label with its value at the right
 * margin, or a heading of a section (the X and Z's split by tender, drawer).
 */
export type SlipLine = string | { label: string; value: string } | { heading: string };

/** A receipt-printer slip that is not a sale: "No sale" drawer openings, test pages, X/Z reports. */
export interface SlipReceipt extends ReceiptHeader {
  kind: 'slip';
  atMs: number;
  title: string;
  lines: SlipLine[];
  openDrawer: boolean;
  /** A stored Z printed again: marked as sale reprints are. */
  reprint?: boolean;
}

export type ReceiptDescription = SaleReceipt | SlipReceipt;

/**
 * The drawer rule: the kick goes with cash — a cash sale, a cash refund, a
 * "No sale" — and never with a QFPay payment; a reprint never opens it.
 */
export function opensDrawer(receipt: ReceiptDescription): boolean {
  if (receipt.kind === 'slip') return receipt.openDrawer;
  return receipt.tender.kind === 'cash' && !receipt.reprint;
}

/**
 * QFPay's pay_type → the wallet printed, from the pay-type table (so AlipayHK
 * 801501, PayMe and FPS are named, not "QFPay"); the unified code (800008)
 * and pay types the table lacks print QFPay. 'cash' is issue 13's tender.
 */
export function walletOf(payType: string): Wallet {
  const wallet = payTypeInfo(payType)?.wallet;
  return wallet === undefined || wallet === 'unified' ? 'qfpay' : wallet;
}

export function headerFrom(settings: Pick<Settings, 'merchantName' | 'receiptAddress' | 'receiptFooter' | 'timeZone'>, udid: string, training: boolean): ReceiptHeader {
  return { shopName: settings.merchantName, addressLine: settings.receiptAddress, footer: settings.receiptFooter, udid, timeZone: settings.timeZone, training };
}

export interface SaleReceiptOptions {
  reprint?: boolean;
  refundOutTradeNo?: string;
  /** Cash sales (issue 13): what the customer handed over. */
  cashTenderedMinor?: number;
}

export type DescribeError = { code: 'not_paid' | 'not_found'; message: string };

/**
 * A paid sale's receipt. Sales that were never paid have none (a failed or
 * expired sale is not something to hand a customer).
 */
export function describeSale(
  sale: SaleRecord,
  refunds: readonly RefundRecord[],
  header: ReceiptHeader,
  options: SaleReceiptOptions = {},
): { ok: true; receipt: SaleReceipt } | { ok: false; error: DescribeError } {
  if (sale.state !== 'paid') return { ok: false, error: { code: 'not_paid', message: `sale ${sale.outTradeNo} is ${sale.state}: only paid sales have a receipt` } };
  if (options.refundOutTradeNo !== undefined && !refunds.some((r) => r.outTradeNo === options.refundOutTradeNo)) {
    return { ok: false, error: { code: 'not_found', message: `no refund ${options.refundOutTradeNo} of sale ${sale.outTradeNo}` } };
  }
  // The journal keeps a cash sale's tender (issue 13); the option is for a caller that knows better.
  const tendered = options.cashTenderedMinor ?? sale.tenderedMinor ?? sale.amountMinor;
  const tender: ReceiptTender =
    sale.payType === CASH_PAY_TYPE
      ? { kind: 'cash', tenderedMinor: tendered, changeMinor: Math.max(0, tendered - sale.amountMinor) }
      : { kind: 'qfpay', wallet: walletOf(sale.payType), syssn: sale.syssn, referenceLast4: lastFour(sale.chnlsn) };
  return {
    ok: true,
    receipt: {
      ...header,
      training: header.training || sale.training,
      kind: 'sale',
      outTradeNo: sale.outTradeNo,
      atMs: sale.paidAtMs ?? sale.createdAtMs,
      goodsName: sale.goodsName,
      currency: sale.currency,
      amountMinor: sale.amountMinor,
      tender,
      refunds: refunds.map((r) => ({ outTradeNo: r.outTradeNo, amountMinor: r.amountMinor, state: r.state, atMs: r.finalAtMs ?? r.createdAtMs, syssn: r.syssn })),
      refundOutTradeNo: options.refundOutTradeNo ?? null,
      reprint: options.reprint ?? false,
    },
  };
}

/** The wallet's own transaction reference, cut to its last 4 characters (all a receipt needs). */
function lastFour(reference: string | null): string | null {
  const clean = (reference ?? '').replace(/[^A-Za-z0-9]/g, '');
  return clean.length >= 4 ? clean.slice(-4) : null;
}
