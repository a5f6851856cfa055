import type { TillReport } from '../../shared/reports';
import type { Settings } from '../../shared/settings';
import type { Journal } from '../journal/journal';
import type { NoSaleBy } from './drawer';
import { RECEIPT_LABELS } from './labels';
import { receiptLanguage } from './document';
import { describeSale, headerFrom, type DescribeError, type ReceiptDescription, type ReceiptHeader, type ReceiptLayout, type SaleReceiptOptions, type SlipLine, type SlipReceipt } from './receipt';
import { reportRollLines, reportTitle } from './report-roll';
import { escPosFromImage, renderEscPos, renderSvg } from './render';
import type { RenderedJob } from './printing';

// From what the till knows to a job ready for a printer: a sale's receipt
// (from the journal), a "No sale" slip, a test page, an X or Z report.

export type ReceiptSettings = Pick<Settings, 'merchantName' | 'receiptAddress' | 'receiptFooter' | 'timeZone' | 'language' | 'paperWidth' | 'receiptCodePage'>;

/** Turns an SVG into a PNG the width of the roll (the shell's renderer); needed only for the 'image' code page. */
export type Rasterise = (svg: string, widthPx: number) => Promise<Buffer>;

export const layoutOf = (settings: ReceiptSettings): ReceiptLayout => ({ language: settings.language, paperWidth: settings.paperWidth, codePage: settings.receiptCodePage });

export async function renderJob(title: string, receipt: ReceiptDescription, layout: ReceiptLayout, rasterise?: Rasterise): Promise<RenderedJob> {
  const svg = renderSvg(receipt, layout);
  if (layout.codePage !== 'image') return { title, svg, bytes: renderEscPos(receipt, layout), paperWidth: layout.paperWidth };
  if (!rasterise) throw new Error('the "image" code page needs the app to draw the receipt: choose Big5, GB18030 or English for this printer');
  const png = await rasterise(svg, layout.paperWidth === 80 ? 576 : 384);
  return { title, svg, bytes: escPosFromImage(receipt, layout, png), paperWidth: layout.paperWidth };
}

export function saleReceipt(
  journal: Journal,
  outTradeNo: string,
  settings: ReceiptSettings,
  options: SaleReceiptOptions = {},
): { ok: true; receipt: ReceiptDescription } | { ok: false; error: DescribeError } {
  const sale = journal.sale(outTradeNo);
  if (!sale) return { ok: false, error: { code: 'not_found', message: `no sale ${outTradeNo}` } };
  return describeSale(sale, journal.refundsOfSale(outTradeNo), headerFrom(settings, journal.udid, journal.training), options);
}

function slip(header: ReceiptHeader, atMs: number, title: string, lines: SlipLine[], openDrawer: boolean): SlipReceipt {
  return { ...header, kind: 'slip', atMs, title, lines, openDrawer };
}

export function noSaleSlip(header: ReceiptHeader, settings: ReceiptSettings, atMs: number, by: NoSaleBy): ReceiptDescription {
  const labels = RECEIPT_LABELS[receiptLanguage(layoutOf(settings))];
  const who = by.kind === 'command_line' ? `${labels.noSaleBy.command_line} (${by.user})` : labels.noSaleBy[by.kind];
  return slip(header, atMs, labels.noSale, [who], true);
}

export function testPageSlip(header: ReceiptHeader, settings: ReceiptSettings, atMs: number, printer: string): ReceiptDescription {
  const layout = layoutOf(settings);
  return slip(header, atMs, RECEIPT_LABELS[receiptLanguage(layout)].testPage, [printer, `${layout.paperWidth} mm, ${layout.codePage}`, '0123456789 ABCDEFGHIJ abcdefghij'], false);
}

export interface ReportSlipOptions {
  /** A stored Z printed again: marked REPRINT as a sale's reprint is. */
  reprint?: boolean;
  /** A stored Z: false when its content no longer matches its SHA-256. */
  intact?: boolean | undefined;
}

/** X and Z reports on the receipt roll, in the receipt's language (an ascii printer: English), as sale receipts are. */
export function reportSlip(header: ReceiptHeader, settings: ReceiptSettings, report: TillReport, atMs: number, options: ReportSlipOptions = {}): ReceiptDescription {
  const language = receiptLanguage(layoutOf(settings));
  const lines = reportRollLines(report, language, { intact: options.intact });
  return { ...slip({ ...header, training: header.training || report.training }, atMs, reportTitle(report, language), lines, false), reprint: options.reprint ?? false };
}
