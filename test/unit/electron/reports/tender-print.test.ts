import { afterEach, describe, expect, it } from 'vitest';
import { NOT_YET_SETTLED, type Journal } from '../../../../electron/journal/journal';
import { reportSlip } from '../../../../electron/receipts/jobs';
import { headerFrom } from '../../../../electron/receipts/receipt';
import { receiptSettings } from '../receipts/support';
import { reportHtml } from '../../../../electron/reports/report-html';
import { reportLines } from '../../../../electron/reports/report-text';
import { TillReports, canonicalJson, sha256Hex } from '../../../../electron/reports/till-reports';
import { tenderColour } from '../../../../shared/cash';
import type { TillReport } from '../../../../shared/reports';
import { HK, addRefund, addSale, cleanup, hk, openJournal } from './fixtures';

// X and Z printouts split by tender (issue 13 §4): every pay type by its
// tender name in the report's language, refunds under their tender, one total
// per currency, and the hourly chart stacked by tender. Zs stored in the
// shapes of before (no tenders; tenders without hours) reprint and verify.

afterEach(cleanup);

const SCOPE = { udid: 'till-01', training: false, timeZone: HK, cutoffHour: 4, now: () => hk(2026, 11, 26, 20) };

function cashSale(journal: Journal, id: string, amountMinor: number, at: number) {
  journal.insertFinalSale(
    { outTradeNo: id, udid: 'till-01', training: false, amountMinor, currency: 'HKD', payType: 'cash', goodsName: null, state: 'paid', txdtm: '2026-11-26 12:00:00', expiredMinutes: 5, createdAtMs: at, expiresAtMs: at, ...NOT_YET_SETTLED, paidAtMs: at, finalAtMs: at, updatedAtMs: at, tenderedMinor: amountMinor, changeMinor: 0 },
    { reason: 'cash_charge' },
  );
}

/** A day with WeChat (QR and scanned), Alipay (HK QR and scanned), PayMe and cash, refunds of two of them. */
function mixedDay() {
  const f = openJournal();
  const at = (h: number, m = 0) => hk(2026, 11, 26, h, m);
  addSale(f.journal, 'S-WX-1', { amountMinor: 5000, createdAtMs: at(9), state: 'paid', payType: '800201' });
  addSale(f.journal, 'S-WX-2', { amountMinor: 3000, createdAtMs: at(9, 20), state: 'paid', payType: '800201' });
  addSale(f.journal, 'S-WXC', { amountMinor: 1200, createdAtMs: at(9, 40), state: 'paid', payType: '800208' });
  addSale(f.journal, 'S-AHK', { amountMinor: 2500, createdAtMs: at(10), state: 'paid', payType: '801501' });
  addSale(f.journal, 'S-ALC', { amountMinor: 800, createdAtMs: at(10, 5), state: 'paid', payType: '800108' });
  addSale(f.journal, 'S-ALC-REV', { amountMinor: 900, createdAtMs: at(10, 10), state: 'cancelled', payType: '800108' });
  addSale(f.journal, 'S-PAYME', { amountMinor: 1500, createdAtMs: at(11), state: 'paid', payType: '805801' });
  cashSale(f.journal, 'S-CASH', 2000, at(9, 30));
  addRefund(f.journal, 'R-WX', 'S-WX-1', { amountMinor: 700, createdAtMs: at(12) });
  addRefund(f.journal, 'R-CASH', 'S-CASH', { amountMinor: 500, createdAtMs: at(12, 10) });
  return f;
}

const reportOf = () => new TillReports(mixedDay().db, SCOPE).x({ fromMs: hk(2026, 11, 26, 4) });

describe('printouts split by tender', () => {
  it('name every tender with its sales and refunds, cash last, and one net total per currency (A4, English)', () => {
    const report = reportOf();
    const html = reportHtml(report, { layout: 'a4', language: 'en' });
    const section = /<section data-tenders="HKD">(.*?)<\/section>/.exec(html)![1]!;
    const rows = [...section.matchAll(/<div class="kv( [a-z]+)?"><span>([^<]*)<\/span><span>([^<]*)<\/span><\/div>/g)].map((m) => [m[2], m[3]]);
    expect(rows).toEqual([
      ['WeChat Pay QR (2)', '80.00'],
      ['Refunds (1)', '-7.00'],
      ['WeChat Pay (scanned) (1)', '12.00'],
      ['AlipayHK QR (1)', '25.00'],
      ['Alipay (scanned) (1)', '8.00'],
      ['PayMe (1)', '15.00'],
      ['Cash (1)', '20.00'],
      ['Refunds (1)', '-5.00'],
      ['Total (net) (7)', '148.00'],
    ]);
    // The total is the currency's own net: the split adds up.
    expect(report.currencies[0]).toMatchObject({ paidCount: 7, netMinor: 14800 });
  });

  it('print the tender names in the report language', () => {
    const html = reportHtml(reportOf(), { layout: 'receipt', language: 'zh-Hant' });
    for (const name of ['微信支付 QR (2)', '微信支付（掃付款碼） (1)', '支付寶香港 QR (1)', '支付寶（掃付款碼） (1)', 'PayMe (1)', '現金 (1)', '合計（淨額） (7)']) expect(html).toContain(`<span>${name}</span>`);
    expect(reportHtml(reportOf(), { layout: 'a4', language: 'zh-Hans' })).toContain('<span>微信支付（扫付款码） (1)</span>');
  });

  it('stack the hourly chart by tender, with a legend (colours on A4, greys on the roll)', () => {
    const report = reportOf();
    const a4 = reportHtml(report, { layout: 'a4', language: 'en' });
    // 09:00 holds two WeChat QR sales, one scanned and one cash: three parts stacked, WeChat QR at the bottom.
    const nine = /<g data-hour="9">(.*?)<\/g>/.exec(a4)![1]!;
    expect([...nine.matchAll(/data-tender="([^"]+)"/g)].map((m) => m[1])).toEqual(['800201', '800208', 'cash']);
    expect(nine).toContain(`fill="${tenderColour('800201')}"`);
    expect(nine).toContain('<title>09:00 — 4 sales, 112.00 HKD (WeChat Pay QR 2 · 80.00; WeChat Pay (scanned) 1 · 12.00; Cash 1 · 20.00)</title>');
    // The parts' heights add up to the bar of the day's busiest hour scale.
    const heights = [...nine.matchAll(/height="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(heights.reduce((a, h) => a + h, 0)).toBeCloseTo(94, 0);
    const legend = /<ul class="legend">(.*?)<\/ul>/.exec(a4)![1]!;
    expect([...legend.matchAll(/<\/svg> ([^<]+)<\/li>/g)].map((m) => m[1])).toEqual(['WeChat Pay QR', 'WeChat Pay (scanned)', 'AlipayHK QR', 'Alipay (scanned)', 'PayMe', 'Cash']);
    const roll = reportHtml(report, { layout: 'receipt', language: 'en' });
    expect(/<g data-hour="9">(.*?)<\/g>/.exec(roll)![1]).toMatch(/fill="#000".*fill="#999".*fill="#777"/);
  });

  it('the terminal lines and the roll name every tender and the total', () => {
    const report = reportOf();
    const lines = reportLines(report);
    expect(lines).toContain('HKD  WeChat Pay QR: paid 2  gross 80.00  refunds 1  refunded 7.00');
    expect(lines).toContain('HKD  Alipay (scanned): paid 1  gross 8.00  refunds 0  refunded 0.00');
    expect(lines).toContain('HKD  Total (net): paid 7  gross 160.00  refunds 2  refunded 12.00  net 148.00');
    const settings = receiptSettings({ language: 'en', merchantName: 'Shop', receiptAddress: '', receiptFooter: '', timeZone: HK });
    const slip = reportSlip(headerFrom(settings, 'till-01', false), settings, report, SCOPE.now());
    const labelled = (label: string) => expect.objectContaining({ label });
    expect(slip.kind === 'slip' && slip.lines).toEqual(
      expect.arrayContaining([{ heading: 'By tender HKD' }, labelled('WeChat Pay (scanned) (1)'), labelled('PayMe (1)'), { label: 'Total (net) (7)', value: '148.00' }]),
    );
  });
});

describe('Zs stored before the split by hour and tender', () => {
  function storeZ(f: ReturnType<typeof openJournal>, number: number, content: object) {
    const text = canonicalJson(content);
    f.db.prepare('INSERT INTO z_reports (udid, z_number, training, period_start_ms, period_end_ms, created_at_ms, content, sha256) VALUES (?, ?, 0, ?, ?, ?, ?, ?)').run('till-01', number, number, number + 1, number + 1, text, sha256Hex(text));
  }
  const currency = { currency: 'HKD', paidCount: 3, grossMinor: 9000, refundCount: 1, refundMinor: 700, netMinor: 8300, averageTicketMinor: 3000, cancelledCount: 0, expiredCount: 0, failedCount: 0, firstSaleAtMs: 1, lastSaleAtMs: 1, hourly: [{ hour: 9, paidCount: 2, grossMinor: 8000 }, { hour: 9, paidCount: 1, grossMinor: 1000 }] };
  const base = { kind: 'z', udid: 'till-01', training: false, generatedAtMs: 2, businessDay: '2026-11-25', businessDayCutoffHour: 4, timeZone: HK, currencies: [currency] };

  it('reprint, verify their hash and print one bar per hour: before cash (no tenders) and before the hours by tender', () => {
    const f = openJournal();
    storeZ(f, 1, { ...base, periodStartMs: 1, periodEndMs: 2, zNumber: 1 });
    const tenders = [{ currency: 'HKD', tenders: [{ payType: '800201', paidCount: 2, grossMinor: 8000, refundCount: 1, refundMinor: 700 }, { payType: 'cash', paidCount: 1, grossMinor: 1000, refundCount: 0, refundMinor: 0 }] }];
    storeZ(f, 2, { ...base, periodStartMs: 2, periodEndMs: 3, zNumber: 2, tenders, drawer: [] });
    const reports = new TillReports(f.db, SCOPE);
    for (const n of [1, 2]) {
      const { report, intact } = reports.z(n)!;
      expect(intact).toBe(true);
      const html = reportHtml(report, { layout: 'a4', language: 'en', intact });
      expect(html).toContain('Checked: unchanged since it was taken');
      // One black bar at 09:00 summing both stored entries, no legend.
      expect(/<g data-hour="9">(.*?)<\/g>/.exec(html)![1]).toMatch(/^<title>09:00 — 3 sales, 90.00 HKD<\/title><rect [^>]*fill="#000"\/>$/);
      expect(html).not.toContain('class="legend"');
      expect(reportLines(report).at(-1)).toBe(`Z ${n}  sha256 ${report.sha256}`);
    }
    const z2 = reports.z(2)!.report as TillReport;
    expect(reportHtml(z2, { layout: 'receipt', language: 'en' })).toContain('<span>WeChat Pay QR (1)</span>'.replace('(1)', '(2)'));
    expect(reportLines(z2)).toContain('HKD  Total (net): paid 3  gross 90.00  refunds 1  refunded 7.00  net 83.00');
  });

  it('a new Z after them is numbered on and carries the hours by tender in its hashed content', () => {
    const f = mixedDay();
    storeZ(f, 1, { ...base, periodStartMs: 1, periodEndMs: hk(2026, 11, 26, 4), zNumber: 1 });
    const reports = new TillReports(f.db, SCOPE);
    const z = reports.takeZ();
    if (!z.ok) throw new Error('Z refused');
    expect(z.report.zNumber).toBe(2);
    const stored = reports.z(2)!;
    expect(stored.intact).toBe(true);
    expect(stored.report.tenders![0]!.tenders.find((t) => t.payType === '800201')!.hourly).toEqual([{ hour: 9, paidCount: 2, grossMinor: 8000 }]);
    expect(reports.z(1)!.intact).toBe(true);
  });
});
