import { formatMinorPlain, type CurrencyCode } from '../../shared/currency';
import type { Language } from '../../shared/settings';
import { formatTxdtm } from '../qfpay/time';
import { RECEIPT_LABELS, TRAINING_LINE, type ReceiptLabels } from './labels';
import { opensDrawer, type ReceiptDescription, type ReceiptLayout, type SaleReceipt, type SlipLine, type SlipReceipt } from './receipt';

// A receipt description as a ReceiptLine document (the markdown-like format
// receiptline renders to ESC/POS and SVG). Text from the journal or settings
// is escaped: a goods name with "|" or "{" must print as typed, never become
// a column or a printer command.

/** ESC p 0 25 250: pulse drawer pin 2 for 50 ms on, 500 ms off (the usual drawer wiring). */
export const DRAWER_KICK = '\x1bp\x00\x19\xfa';

/** Characters per line: 576 dots on 80 mm paper, 384 on 58 mm, 12 dots a character. */
export const charsPerLine = (paperWidth: 80 | 58) => (paperWidth === 80 ? 48 : 32);

/** Escapes ReceiptLine's special characters in text (README, "Escape sequences in text"). */
export function escapeText(text: string): string {
  // Control characters never reach the printer as commands.
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\x00-\x1f\x7f]/g, ' ').replace(/[\\|{}~_"`^]/g, (c) => `\\${c}`).replace(/^([-=])/, '\\$1');
}

/** A property value is escaped differently (README, "Escape sequences in property values"). */
const commandProperty = (bytes: string) => `{command:${[...bytes].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}}`;

const money = (minor: number, currency: CurrencyCode) => `${currency} ${formatMinorPlain(minor, currency)}`;
export const when = (ms: number, timeZone: string) => formatTxdtm(ms, timeZone).slice(0, 16);
const row = (label: string, value: string) => `${escapeText(label)} | ${escapeText(value)}`;

/** The language printed: an English-only printer (code page ascii) gets English. */
export function receiptLanguage(layout: ReceiptLayout): Language {
  return layout.codePage === 'ascii' ? 'en' : layout.language;
}

export function receiptDocument(receipt: ReceiptDescription, layout: ReceiptLayout): string {
  const labels = RECEIPT_LABELS[receiptLanguage(layout)];
  const lines: string[] = [];
  // The kick goes first: the drawer opens while the slip prints, not after the cut.
  if (opensDrawer(receipt)) lines.push(commandProperty(DRAWER_KICK));
  lines.push(...header(receipt, labels));
  lines.push(...(receipt.kind === 'sale' ? saleBody(receipt, labels) : slipBody(receipt)));
  lines.push('-');
  if (receipt.footer) lines.push(escapeText(receipt.footer));
  lines.push(...trainingBanner(receipt, labels));
  return `${lines.join('\n')}\n`;
}

function trainingBanner(receipt: ReceiptDescription, labels: ReceiptLabels): string[] {
  if (!receipt.training) return [];
  return [`\`"${escapeText(TRAINING_LINE)}"\``, ...(labels.training ? [`\`${escapeText(labels.training)}\``] : [])];
}

function header(receipt: ReceiptDescription, labels: ReceiptLabels): string[] {
  const lines = [...trainingBanner(receipt, labels)];
  if (receipt.shopName) lines.push(`^^"${escapeText(receipt.shopName)}"`);
  if (receipt.addressLine) lines.push(escapeText(receipt.addressLine));
  if (receipt.reprint) lines.push(`"${escapeText(labels.reprint)}"`);
  if (receipt.kind === 'sale' && receipt.refundOutTradeNo) lines.push(`^"${escapeText(labels.refundReceipt)}"`);
  lines.push('-', row(labels.till, receipt.udid), row(labels.date, when(receipt.atMs, receipt.timeZone)));
  return lines;
}

function saleBody(receipt: SaleReceipt, labels: ReceiptLabels): string[] {
  const c = receipt.currency;
  const lines = [`${escapeText(labels.order)} |`, `| ${escapeText(receipt.outTradeNo)}`];
  // Goods names are up to 64 characters: on a line of their own, they wrap across the whole width.
  if (receipt.goodsName) lines.push(`${escapeText(labels.item)} |`, `| ${escapeText(receipt.goodsName)}`);
  const t = receipt.tender;
  if (t.kind === 'qfpay') {
    lines.push(row(labels.tender, labels.wallets[t.wallet]));
    if (t.syssn) lines.push(`${escapeText(labels.syssn)} |`, `| ${escapeText(t.syssn)}`);
    if (t.referenceLast4) lines.push(row(labels.reference, `****${t.referenceLast4}`));
  } else {
    lines.push(row(labels.tender, labels.cash));
  }
  // Double height, not width: the largest amount still fits its column on 58 mm paper.
  lines.push('-', `^^"${escapeText(labels.total)}" | ^^"${escapeText(money(receipt.amountMinor, c))}"`);
  if (t.kind === 'cash') lines.push(row(labels.tendered, money(t.tenderedMinor, c)), row(labels.change, money(t.changeMinor, c)));
  if (receipt.refunds.length > 0) {
    lines.push('-', `"${escapeText(labels.refunds)}"`);
    for (const r of receipt.refunds) {
      // The refund this slip is for is marked; each refund's date and syssn go on lines of their own (58 mm is narrow).
      const mark = r.outTradeNo === receipt.refundOutTradeNo ? '> ' : '';
      // "|~~text": left-aligned, indented by two spaces ("| text" would align right).
      lines.push(row(`${mark}${labels.refundStates[r.state]}`, money(-r.amountMinor, c)), `|~~${escapeText(when(r.atMs, receipt.timeZone))}`);
      if (r.syssn) lines.push(`|~~${escapeText(labels.syssn)}`, `| ${escapeText(r.syssn)}`);
    }
    const refunded = receipt.refunds.filter((r) => r.state === 'refunded').reduce((sum, r) => sum + r.amountMinor, 0);
    lines.push(`"${escapeText(labels.net)}" | "${escapeText(money(receipt.amountMinor - refunded, c))}"`);
  }
  return lines;
}

function slipBody(receipt: SlipReceipt): string[] {
  // The column widths a row sets stay set (ReceiptLine saves them): back to even columns after the slip.
  return ['-', `^"${escapeText(receipt.title)}"`, ...receipt.lines.flatMap(slipLine), '{width:auto}'];
}

/** Columns of a character each, two for a CJK one (what a receipt printer prints them as). */
const printedWidth = (text: string) => [...text].reduce((w, ch) => w + (ch.charCodeAt(0) < 0x80 ? 1 : 2), 0);

function slipLine(line: SlipLine): string[] {
  // Leading spaces become "~" (ReceiptLine's space): after "|" a plain space would right-align the line.
  // A line of one column after a row takes the whole width again.
  if (typeof line === 'string') return ['{width:auto}', `|${escapeText(line).replace(/^ +/, (m) => '~'.repeat(m.length))}`];
  // A section starts under a rule, its heading in bold.
  if ('heading' in line) return ['{width:auto}', '-', `"${escapeText(line.heading)}"`];
  // The value gets just its width and the label the rest: even columns would break "微信支付 QR (30)" on a 58 mm roll.
  return [`{width:* ${Math.max(1, printedWidth(line.value))}}`, row(line.label, line.value)];
}
