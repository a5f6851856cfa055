import iconv from 'iconv-lite';
import { transform, type Printer } from 'receiptline';
import type { ReceiptCodePage } from '../../shared/settings';
import { DRAWER_KICK, charsPerLine, receiptDocument } from './document';
import { opensDrawer, type ReceiptDescription, type ReceiptLayout } from './receipt';

// One description, two outputs: ESC/POS bytes for the printer and SVG for
// the screen, both from the same ReceiptLine document (receiptline does the
// command set, the code pages, the cut and the layout).

type Encoding = NonNullable<Printer['encoding']>;

/** The printer's code page for each setting; 'image' prints no text at all (see escPosFromImage). */
const ENCODINGS: Record<Exclude<ReceiptCodePage, 'image'>, Encoding> = { big5: 'big5', gb18030: 'gb18030', ascii: 'cp437' };

/** What a code page cannot print becomes its nearest plain character, else "?", instead of garbage. */
const SUBSTITUTES: Record<string, string> = { '—': '-', '–': '-', '→': '>', '…': '...', '¥': 'Y', '·': '.' };

export function printableIn(text: string, encoding: Encoding): string {
  let out = '';
  for (const ch of text) {
    if (ch.charCodeAt(0) < 0x80) {
      out += ch;
      continue;
    }
    const back = iconv.decode(iconv.encode(ch, encoding), encoding);
    out += back === ch ? ch : (SUBSTITUTES[ch] ?? '?');
  }
  return out;
}

/** ESC/POS bytes for a printer with the text in its code page (Big5, GB18030 or plain). */
export function renderEscPos(receipt: ReceiptDescription, layout: ReceiptLayout): Buffer {
  if (layout.codePage === 'image') throw new Error('renderEscPos: the image code page prints a raster (escPosFromImage)');
  const encoding = ENCODINGS[layout.codePage];
  const doc = printableIn(receiptDocument(receipt, layout), encoding);
  return Buffer.from(transform(doc, { command: 'escpos', cpl: charsPerLine(layout.paperWidth), encoding, cutting: true }), 'binary');
}

/**
 * For printers without a Chinese font: the receipt as one raster image (the
 * PNG of its SVG, made by the shell's renderer), with the same drawer rule
 * and cut as the text version.
 */
export function escPosFromImage(receipt: ReceiptDescription, layout: ReceiptLayout, png: Buffer): Buffer {
  const kick = opensDrawer(receipt) ? `{command:${[...DRAWER_KICK].map((c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`).join('')}}\n` : '';
  const doc = `${kick}{image:${png.toString('base64')}}\n`;
  return Buffer.from(transform(doc, { command: 'escpos', cpl: charsPerLine(layout.paperWidth), encoding: 'cp437', cutting: true, gradient: false }), 'binary');
}

/** The receipt as an SVG image (the screen preview, the OS printer, the CLI's --image). */
export function renderSvg(receipt: ReceiptDescription, layout: ReceiptLayout): string {
  // The preview shows what the paper will: on an English-only printer, what cp437 lacks is shown as it prints.
  if (layout.codePage === 'ascii') return transform(printableIn(receiptDocument(receipt, layout), 'cp437'), { command: 'svg', cpl: charsPerLine(layout.paperWidth), encoding: 'cp437' });
  // Otherwise SVG text is Unicode; the encoding only tells receiptline which characters are double width.
  const encoding: Encoding = layout.codePage === 'gb18030' || (layout.codePage === 'image' && layout.language === 'zh-Hans') ? 'gb18030' : 'big5';
  return transform(receiptDocument(receipt, layout), { command: 'svg', cpl: charsPerLine(layout.paperWidth), encoding });
}

/** The words of a rendered SVG (receiptline places each character on its own): for tests and searching stored receipts. */
export function svgPlainText(svg: string): string {
  return svg
    .replace(/<[^>]*>/g, '')
    .replace(/&#x([0-9a-f]+);/gi, (_, hex: string) => String.fromCodePoint(parseInt(hex, 16)))
    .replace(/&(amp|lt|gt|quot|apos);/g, (_, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" })[e]!)
    .replace(/\u00a0/g, ' ');
}
