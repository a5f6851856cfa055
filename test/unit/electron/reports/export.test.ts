import { afterEach, describe, expect, it } from 'vitest';
import type { TillReport } from '../../../../shared/reports';
import { CSV_COLUMNS, csvField, isoInZone, reportHtml, salesCsv } from '../../../../electron/reports/export';
import { hourlyChartSvg } from '../../../../electron/reports/report-html';
import { REPORT_LABELS } from '../../../../electron/reports/report-labels';
import { TillReports } from '../../../../electron/reports/till-reports';
import { DAY_END, DAY_START, writeDay } from './day-fixture';
import { HK, addRefund, addSale, cleanup, hk, openJournal } from './fixtures';

// The CSV export (Excel-ready: BOM, CRLF, RFC 4180) and the printable HTML
// report (self-contained, two layouts, three languages, SVG chart).

afterEach(cleanup);

/** A strict RFC 4180 reader, to check the export round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') [field, i] = [field + '"', i + 2];
      else if (c === '"') [quoted, i] = [false, i + 1];
      else [field, i] = [field + c, i + 1];
    } else if (c === '"' && field === '') [quoted, i] = [true, i + 1];
    else if (c === ',') [row, field, i] = [[...row, field], '', i + 1];
    else if (c === '\r' && text[i + 1] === '\n') {
      rows.push([...row, field]);
      [row, field, i] = [[], '', i + 2];
    } else if (c === '\r' || c === '\n' || c === '"') throw new Error(`bare ${JSON.stringify(c)} at ${i}`);
    else [field, i] = [field + c, i + 1];
  }
  if (field !== '' || row.length > 0) throw new Error('the last line does not end with CRLF');
  return rows;
}

describe('CSV export', () => {
  function exported() {
    const f = openJournal();
    addSale(f.journal, 'S-LATTE', { amountMinor: 1230, createdAtMs: hk(2026, 11, 26, 9), settledAtMs: hk(2026, 11, 26, 9, 0, 30), state: 'paid', goodsName: 'Latte, "large"\nto go', syssn: 'SSN-LATTE' });
    addSale(f.journal, 'S-TEA', { amountMinor: 500, currency: 'JPY', createdAtMs: hk(2026, 11, 26, 10), settledAtMs: hk(2026, 11, 26, 10, 1), state: 'paid', goodsName: '珍珠奶茶 大杯', syssn: 'SSN-TEA' });
    addSale(f.journal, 'S-FORMULA', { amountMinor: 100, createdAtMs: hk(2026, 11, 26, 11), state: 'expired', goodsName: '=HYPERLINK("x")', syssn: 'SSN-F' });
    addSale(f.journal, 'S-OPEN', { amountMinor: 700, createdAtMs: hk(2026, 11, 26, 12), state: 'awaiting_scan', syssn: 'SSN-OPEN' });
    addRefund(f.journal, 'R-LATTE', 'S-LATTE', { amountMinor: 230, createdAtMs: hk(2026, 11, 26, 13), settledAtMs: hk(2026, 11, 26, 13, 0, 4), syssn: 'SSN-R' });
    addSale(f.journal, 'S-ALIPAY', { amountMinor: 800, createdAtMs: hk(2026, 11, 26, 14), state: 'paid', payType: '800108' });
    addRefund(f.journal, 'R-ALIPAY', 'S-ALIPAY', { amountMinor: 100, createdAtMs: hk(2026, 11, 26, 15) });
    // Outside the period, another till, a training row: none exported.
    addSale(f.journal, 'S-YESTERDAY', { amountMinor: 100, createdAtMs: hk(2026, 11, 25, 12), state: 'paid' });
    addSale(f.journal, 'S-OTHER-TILL', { amountMinor: 100, createdAtMs: hk(2026, 11, 26, 12), state: 'paid', udid: 'till-02' });
    addSale(f.journal, 'S-TRAINING', { amountMinor: 100, createdAtMs: hk(2026, 11, 26, 12), state: 'paid', training: true });
    return salesCsv(f.db, { udid: 'till-01', training: false, fromMs: DAY_START, toMs: DAY_END, timeZone: HK, shopName: '陳記 Chan Kee' });
  }

  it('is UTF-8 with a BOM, CRLF line ends, a header, and one row per sale and per refund', () => {
    const csv = exported();
    const bytes = Buffer.from(csv, 'utf8');
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const rows = parseCsv(csv.slice(1));
    expect(rows[0]).toEqual([...CSV_COLUMNS]);
    expect(rows.slice(1).map((r) => `${r[0]} ${r[1]}`)).toEqual(['sale S-LATTE', 'sale S-TEA', 'sale S-FORMULA', 'sale S-OPEN', 'refund R-LATTE', 'sale S-ALIPAY', 'refund R-ALIPAY']);
    expect(csv.endsWith('\r\n')).toBe(true);
    // Outside quoted fields every line break is CRLF.
    expect(csv.replace(/"(?:[^"]|"")*"/g, '').match(/\r?\n/g)!.every((nl) => nl === '\r\n')).toBe(true);
  });

  it('quotes commas, quotes and newlines (RFC 4180), keeps Chinese intact, and amounts in major units', () => {
    const rows = parseCsv(exported().slice(1));
    const row = (id: string) => Object.fromEntries(CSV_COLUMNS.map((c, i) => [c, rows.find((r) => r[1] === id)![i]]));
    expect(row('S-LATTE')).toEqual({
      type: 'sale',
      out_trade_no: 'S-LATTE',
      syssn: 'SSN-LATTE',
      state: 'paid',
      amount: '12.30',
      currency: 'HKD',
      created: '2026-11-26T09:00:00+08:00',
      settled: '2026-11-26T09:00:30+08:00',
      refund_of: '',
      goods_name: 'Latte, "large"\nto go',
      udid: 'till-01',
      training: 'false',
      shop: '陳記 Chan Kee',
      tender: '800201',
      tender_name: 'WeChat Pay QR',
    });
    expect(row('S-TEA')).toMatchObject({ amount: '500', currency: 'JPY', goods_name: '珍珠奶茶 大杯' });
    // A refund is money going back: a negative amount, so the column sums to the net takings.
    expect(row('R-LATTE')).toMatchObject({ type: 'refund', amount: '-2.30', currency: 'HKD', refund_of: 'S-LATTE', goods_name: 'Latte, "large"\nto go', settled: '2026-11-26T13:00:04+08:00', syssn: 'SSN-R', tender: '800201', tender_name: 'WeChat Pay QR' });
    expect(row('S-OPEN')).toMatchObject({ state: 'awaiting_scan', settled: '' });
    // Every pay type by its code and name: a scanned Alipay sale, its refund under the same tender.
    expect(row('S-ALIPAY')).toMatchObject({ tender: '800108', tender_name: 'Alipay (scanned)', amount: '8.00' });
    expect(row('R-ALIPAY')).toMatchObject({ tender: '800108', tender_name: 'Alipay (scanned)', amount: '-1.00' });
    // A goods name a spreadsheet would run as a formula is defused.
    expect(row('S-FORMULA').goods_name).toBe(`'=HYPERLINK("x")`);
    expect(exported()).toContain('"Latte, ""large""\nto go"');
  });

  it('QFPay\'s 26-digit syssn and numeric order numbers survive Excel (="…"), letters are left alone', () => {
    const f = openJournal();
    const syssn = '20261126123456789012345678';
    addSale(f.journal, '20261126000001', { amountMinor: 1230, createdAtMs: hk(2026, 11, 26, 9), settledAtMs: hk(2026, 11, 26, 9, 1), state: 'paid', syssn });
    addRefund(f.journal, 'R-1', '20261126000001', { amountMinor: 1230, createdAtMs: hk(2026, 11, 26, 10), settledAtMs: hk(2026, 11, 26, 10, 1), syssn: '20261126123456789012349999' });
    const csv = salesCsv(f.db, { udid: 'till-01', training: false, fromMs: DAY_START, toMs: DAY_END, timeZone: HK });
    const rows = parseCsv(csv.slice(1));
    expect(rows[1]!.slice(0, 3)).toEqual(['sale', '="20261126000001"', `="${syssn}"`]);
    expect(rows[2]!.slice(0, 3)).toEqual(['refund', 'R-1', '="20261126123456789012349999"']);
    expect(rows[2]![8]).toBe('="20261126000001"');
    expect(rows[2]![4]).toBe('-12.30');
    // On disk: RFC 4180 quoting of the formula, which Excel reads back as the text of the digits.
    expect(csv).toContain(`"=""${syssn}"""`);
  });

  it('an empty period is the BOM and the header', () => {
    const f = openJournal();
    expect(salesCsv(f.db, { udid: 'till-01', training: false, fromMs: DAY_START, toMs: DAY_END, timeZone: HK })).toBe(`\uFEFF${CSV_COLUMNS.join(',')}\r\n`);
  });

  it('csvField and isoInZone', () => {
    expect(csvField('plain')).toBe('plain');
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField('say "hi"')).toBe('"say ""hi"""');
    expect(csvField('line\r\nbreak')).toBe('"line\r\nbreak"');
    expect(isoInZone(hk(2026, 11, 26, 9, 0, 30, 999), HK)).toBe('2026-11-26T09:00:30+08:00');
    expect(isoInZone(Date.UTC(2026, 6, 1, 12), 'America/New_York')).toBe('2026-07-01T08:00:00-04:00');
    expect(isoInZone(Date.UTC(2026, 0, 1, 12), 'America/St_Johns')).toBe('2026-01-01T08:30:00-03:30');
    expect(isoInZone(Date.UTC(2026, 0, 1, 12), 'Asia/Yangon')).toBe('2026-01-01T18:30:00+06:30');
    expect(isoInZone(Date.UTC(2026, 0, 1, 12), 'UTC')).toBe('2026-01-01T12:00:00+00:00');
  });
});

describe('printable HTML report', () => {
  function dayReport(kind: 'x' | 'z', training = false): TillReport {
    const f = openJournal({ training });
    writeDay(f.journal);
    const reports = new TillReports(f.db, { udid: 'till-01', training, timeZone: HK, cutoffHour: 4, now: () => DAY_END });
    if (kind === 'x') return reports.x({ fromMs: DAY_START });
    const z = reports.takeZ();
    if (!z.ok) throw new Error('refused');
    return z.report;
  }

  it.each(['receipt', 'a4'] as const)('%s: self-contained, no scripts, the totals, the hourly chart', (layout) => {
    const html = reportHtml(dayReport('x'), { layout, language: 'en' });
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<script|javascript:|\son[a-z]+=|<link|<img|<iframe|@import|url\(|https?:|src=/i);
    expect(html).toContain("default-src 'none'");
    expect(html).toContain('X report');
    for (const figure of ['70.05', '40.00', '30.05', '23.35', '1700', '1500', '88.88']) expect(html).toContain(`<td>${figure}</td>`);
    // English dates day first, as on the screen; the shop and the till on every report.
    expect(html).toContain('26/11/2026 04:00 → 27/11/2026 04:00');
    expect(html).toContain('<div class="kv"><span>Till</span><span>till-01</span></div>');
    const shop = reportHtml(dayReport('x'), { layout, language: 'zh-Hant', shopName: '陳記茶餐廳' });
    expect(shop).toContain('<div class="shop">陳記茶餐廳</div>');
    expect(shop).toContain('2026-11-26 04:00 → 2026-11-27 04:00');
    // One chart per currency that sold, an hour of the day per group, a bar for each hour with sales (one tender: one part).
    expect(html.match(/<svg /g)).toHaveLength(3);
    expect(html.match(/<g data-hour=/g)).toHaveLength(72);
    expect(html.match(/<rect /g)).toHaveLength(dayReport('x').currencies.reduce((a, c) => a + c.hourly.length, 0));
    expect(html).toContain('<title>09:00 — 1 sales, 12.30 HKD</title>');
    expect(html).not.toContain('<canvas');
    if (layout === 'receipt') {
      expect(html).toMatch(/size: 80mm auto/);
      expect(html).toMatch(/width: 72mm/);
      expect(html).toMatch(/monospace/);
    } else {
      expect(html).toMatch(/size: A4/);
    }
  });

  it('the chart has one bar per hour of the day, from the cut-off hour, summed over the whole period', () => {
    const f = openJournal();
    // Three days: the same hours every day add up in one bar.
    for (let d = 0; d < 3; d++) {
      addSale(f.journal, `S-A${d}`, { amountMinor: 1000, createdAtMs: hk(2026, 11, 24 + d, 3, 10), settledAtMs: hk(2026, 11, 24 + d, 3, 11), state: 'paid' });
      addSale(f.journal, `S-B${d}`, { amountMinor: 500, createdAtMs: hk(2026, 11, 24 + d, 12, 40), settledAtMs: hk(2026, 11, 24 + d, 12, 41), state: 'paid' });
    }
    const report = new TillReports(f.db, { udid: 'till-01', training: false, timeZone: HK, cutoffHour: 4, now: () => hk(2026, 11, 27, 4) }).x({ fromMs: hk(2026, 11, 24, 0) });
    const [hkd] = report.currencies;
    expect(hkd!.hourly).toEqual([
      { hour: 3, paidCount: 3, grossMinor: 3000 },
      { hour: 12, paidCount: 3, grossMinor: 1500 },
    ]);
    const svg = hourlyChartSvg(hkd!, 4, 'a4', REPORT_LABELS.en);
    const titles = [...svg.matchAll(/<title>([^<]*)<\/title>/g)].map((m) => m[1]);
    expect(titles).toHaveLength(24);
    expect(titles[0]).toBe('04:00 — 0 sales, 0.00 HKD');
    expect(titles[8]).toBe('12:00 — 3 sales, 15.00 HKD');
    expect(titles[23]).toBe('03:00 — 3 sales, 30.00 HKD');
    // The tallest bar is the 03:00 one, last; the axis reads from the cut-off.
    expect([...svg.matchAll(/<text [^>]*text-anchor="middle">(\d\d)<\/text>/g)].map((m) => m[1])).toEqual(['04', '07', '10', '13', '16', '19', '22', '01']);
  });

  it('a Z shows its number and SHA-256, and says whether it is intact', () => {
    const z = dayReport('z');
    const html = reportHtml(z, { layout: 'receipt', language: 'en', intact: true });
    expect(html).toContain('Z report #1');
    expect(html).toContain(z.sha256);
    // "Fingerprint", a word a manager knows, with the hash below it.
    expect(html).toContain(`<div>Fingerprint (SHA-256)</div><div class="hash">${z.sha256}</div>`);
    expect(html).toContain('Checked: unchanged since it was taken (the fingerprint matches)');
    const tampered = reportHtml(z, { layout: 'a4', language: 'en', intact: false });
    expect(tampered).toContain('CHANGED AFTER IT WAS TAKEN — the fingerprint no longer matches');
  });

  it('journal and QFPay-confirmed totals side by side, differences marked', () => {
    const report: TillReport = {
      ...dayReport('x'),
      confirmed: [
        { currency: 'HKD', paidCount: 3, grossMinor: 7005, refundCount: 2, refundMinor: 4000 },
        { currency: 'JPY', paidCount: 1, grossMinor: 500, refundCount: 1, refundMinor: 200 },
      ],
    };
    for (const layout of ['receipt', 'a4'] as const) {
      const html = reportHtml(report, { layout, language: 'en' });
      expect(html).toContain('<th>HKD</th><th>Till</th><th>QFPay</th>');
      expect(html).toContain('<tr><td>Gross</td><td>70.05</td><td>70.05</td></tr>');
      expect(html).toContain('<tr class="diff"><td>Gross</td><td>1700</td><td>500 ≠</td></tr>');
      // CNY was never confirmed: QFPay's column says 0.
      expect(html).toContain('<tr class="diff"><td>Gross</td><td>88.88</td><td>0.00 ≠</td></tr>');
    }
  });

  it('training reports are marked at the top and bottom and in the title', () => {
    const html = reportHtml(dayReport('x', true), { layout: 'a4', language: 'en' });
    expect(html.match(/<div class="training">TRAINING — not real money<\/div>/g)).toHaveLength(2);
    expect(html).toMatch(/<title>\[TRAINING — not real money\]/);
    expect(reportHtml(dayReport('x'), { layout: 'a4', language: 'en' })).not.toContain('TRAINING');
  });

  it('is written in the report language', () => {
    const report = dayReport('z', true);
    const hant = reportHtml(report, { layout: 'receipt', language: 'zh-Hant', intact: true });
    expect(hant).toContain('<html lang="zh-Hant">');
    for (const label of ['Z 報表（日結） #1', '總額', '淨額', '每小時銷售', '培訓模式——非真實交易', '指紋（SHA-256）', '已核對：產生後未被更改（指紋相符）']) expect(hant).toContain(label);
    const hans = reportHtml(report, { layout: 'a4', language: 'zh-Hans' });
    for (const label of ['Z 报表（日结） #1', '总额', '净额', '每小时销售', '培训模式——非真实交易']) expect(hans).toContain(label);
    expect(hans).not.toContain('Gross');
  });

  it('escapes what it prints', () => {
    const html = reportHtml({ ...dayReport('x'), udid: '<b>till</b>&"' }, { layout: 'a4', language: 'en' });
    expect(html).toContain('&lt;b&gt;till&lt;/b&gt;&amp;&quot;');
    expect(html).not.toContain('<b>till');
  });

  it('leaves out a currency with no sales (only an expired attempt)', () => {
    const f = openJournal();
    addSale(f.journal, 'S-1', { amountMinor: 1230, createdAtMs: hk(2026, 11, 26, 9), settledAtMs: hk(2026, 11, 26, 9, 1), state: 'paid' });
    addSale(f.journal, 'S-2', { amountMinor: 500, currency: 'JPY', createdAtMs: hk(2026, 11, 26, 10), settledAtMs: hk(2026, 11, 26, 10, 30), state: 'expired' });
    const x = new TillReports(f.db, { udid: 'till-01', training: false, timeZone: HK, cutoffHour: 4, now: () => DAY_END }).x({ fromMs: DAY_START });
    expect(x.currencies.map((c) => c.currency)).toEqual(['HKD', 'JPY']);
    const html = reportHtml(x, { layout: 'a4', language: 'en' });
    expect(html).toContain('<th colspan="2">HKD</th>');
    expect(html).not.toContain('JPY');
  });

  it('an empty period says there were no sales and draws no chart', () => {
    const f = openJournal();
    const x = new TillReports(f.db, { udid: 'till-01', training: false, timeZone: HK, cutoffHour: 4, now: () => DAY_END }).x();
    const html = reportHtml(x, { layout: 'receipt', language: 'en' });
    expect(html).toContain('No sales in this period');
    expect(html).not.toContain('<svg');
  });
});
