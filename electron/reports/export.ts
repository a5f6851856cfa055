import { tenderName } from '../../shared/cash';
import { formatMinorPlain, isCurrencyCode } from '../../shared/currency';
import type { Db } from '../journal/database';
import { localParts, wallClockMs } from '../qfpay/time';

// Exports of a period: the sales and refunds as CSV (this file) and the X/Z
// report as printable HTML (report-html.ts, re-exported here).
//
// The CSV is what Excel opens correctly with Chinese goods names: UTF-8 with
// a byte-order mark, CRLF line ends, RFC 4180 quoting, ISO-8601 times with
// the merchant zone's offset, amounts in major units next to their currency
// (a refund's negative: money that went back), and QFPay's 26-digit syssn and
// numeric order numbers written so Excel keeps every digit (see excelId).
// Every row names the till and the shop, and the tender: the pay type
// ('cash' or QFPay's code) and its name.

export { reportHtml, type HtmlOptions, type ReportLayout } from './report-html';
export { REPORT_LANGUAGES, type ReportLanguage } from './report-labels';

export interface ExportScope {
  udid: string;
  training: boolean;
  /** [fromMs, toMs) by creation time: a sale made before a Z and paid after it is in the earlier export. */
  fromMs: number;
  toMs: number;
  timeZone: string;
  /** The shop's name, on every row beside the till id. */
  shopName?: string;
}

export const CSV_COLUMNS = ['type', 'out_trade_no', 'syssn', 'state', 'amount', 'currency', 'created', 'settled', 'refund_of', 'goods_name', 'udid', 'training', 'shop', 'tender', 'tender_name'] as const;

const BOM = '\uFEFF';
const CRLF = '\r\n';

/** RFC 4180: quote a field holding a comma, quote, CR or LF, doubling its quotes. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/**
 * Free text a spreadsheet would run as a formula (=, +, -, @, tab, CR at the
 * start) is prefixed with an apostrophe, as OWASP advises for CSV exports: a
 * goods name typed at the till must not become a formula on the office PC.
 */
export function csvText(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * An identifier made of digits only (QFPay's syssn is 26 of them) would be
 * read by Excel as a number and shown as 2.02611E+25, its last digits lost
 * for good. Written as the formula ="…", Excel shows the digits as text;
 * other programs see the digits between =" and ". Identifiers with letters
 * are left as they are.
 */
export function excelId(value: string): string {
  return /^\d+$/.test(value) ? `="${value}"` : value;
}

const pad = (n: number, width = 2) => String(Math.abs(n)).padStart(width, '0');

/** ISO-8601 with the zone's offset at that instant: 2026-11-26T12:34:56+08:00 (whole seconds). */
export function isoInZone(epochMs: number, timeZone: string): string {
  const seconds = Math.floor(epochMs / 1000) * 1000;
  const p = localParts(seconds, timeZone);
  const offsetMinutes = Math.round((wallClockMs(p) - seconds) / 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const offset = `${sign}${pad(Math.trunc(Math.abs(offsetMinutes) / 60))}:${pad(Math.abs(offsetMinutes) % 60)}`;
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}${offset}`;
}

interface ExportRow {
  type: 'sale' | 'refund';
  out_trade_no: string;
  syssn: string | null;
  state: string;
  amount_minor: number;
  currency: string;
  created_at_ms: number;
  settled_at_ms: number | null;
  refund_of: string | null;
  goods_name: string | null;
  udid: string;
  training: number;
  tender: string;
}

const EXPORT_SQL = `
  SELECT 'sale' AS type, out_trade_no, syssn, state, amount_minor, currency, created_at_ms, settled_at_ms,
         NULL AS refund_of, goods_name, udid, training, pay_type AS tender
    FROM sales WHERE udid = @udid AND training = @training AND created_at_ms >= @from AND created_at_ms < @to
  UNION ALL
  SELECT 'refund', r.out_trade_no, r.syssn, r.state, r.amount_minor, r.currency, r.created_at_ms, r.settled_at_ms,
         r.sale_out_trade_no, s.goods_name, r.udid, r.training, COALESCE(s.pay_type, '')
    FROM refunds r LEFT JOIN sales s ON s.out_trade_no = r.sale_out_trade_no
   WHERE r.udid = @udid AND r.training = @training AND r.created_at_ms >= @from AND r.created_at_ms < @to
  ORDER BY created_at_ms, type DESC, out_trade_no`;

function line(row: ExportRow, scope: ExportScope): string {
  const timeZone = scope.timeZone;
  // A refund is money going back: negative, so a column sum is the net takings.
  const signed = row.type === 'refund' ? -row.amount_minor : row.amount_minor;
  const amount = isCurrencyCode(row.currency) ? formatMinorPlain(signed, row.currency) : String(signed);
  const fields = [
    row.type,
    excelId(row.out_trade_no),
    excelId(row.syssn ?? ''),
    row.state,
    amount,
    row.currency,
    isoInZone(row.created_at_ms, timeZone),
    row.settled_at_ms === null ? '' : isoInZone(row.settled_at_ms, timeZone),
    excelId(row.refund_of ?? ''),
    csvText(row.goods_name ?? ''),
    row.udid,
    row.training ? 'true' : 'false',
    csvText(scope.shopName?.trim() ?? ''),
    row.tender,
    // The pay type's name beside its code (English: the export is read by the office's scripts and spreadsheets alike).
    row.tender === '' ? '' : tenderName(row.tender),
  ];
  return fields.map(csvField).join(',') + CRLF;
}

/** The CSV piece by piece (BOM and header first, one CRLF-ended line per sale or refund): for files of any size. */
export function* csvChunks(db: Db, scope: ExportScope): Generator<string> {
  yield BOM + CSV_COLUMNS.join(',') + CRLF;
  const rows = db.prepare(EXPORT_SQL).iterate({ udid: scope.udid, training: scope.training ? 1 : 0, from: scope.fromMs, to: scope.toMs });
  for (const row of rows) yield line(row as ExportRow, scope);
}

/** The whole CSV as one string. */
export function salesCsv(db: Db, scope: ExportScope): string {
  let out = '';
  for (const chunk of csvChunks(db, scope)) out += chunk;
  return out;
}
