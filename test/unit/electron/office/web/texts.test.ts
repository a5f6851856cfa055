import { describe, expect, it } from 'vitest';
import type { OfficeReport } from '../../../../../electron/office/report';
import { dashboardPage, loginPage, notice } from '../../../../../electron/office/web/page';
import { PAGE_TEXTS, pickLanguage } from '../../../../../electron/office/web/texts';

// The owner's page reads in the browser's language (the till's three), and
// an empty head office says so in words rather than showing bare headings.

const empty: OfficeReport = {
  kind: 'x',
  businessDay: '2026-11-26',
  timeZone: 'Asia/Hong_Kong',
  cutoffHour: 4,
  generatedAtMs: 0,
  currencies: [],
  stores: [],
  tills: [],
  tenders: [],
  drawers: [],
  zReports: [],
};

describe('the owner page language', () => {
  it.each([
    ['zh-HK,zh;q=0.9,en;q=0.8', 'zh-Hant'],
    ['zh-TW', 'zh-Hant'],
    ['zh-Hant-HK', 'zh-Hant'],
    ['zh-CN,zh;q=0.9', 'zh-Hans'],
    ['zh', 'zh-Hans'],
    ['en-GB,en;q=0.9', 'en'],
    ['fr-FR, zh-HK;q=0.5', 'zh-Hant'],
    ['en;q=0.2, zh-CN;q=0.8', 'zh-Hans'],
    ['zh-HK;q=0', 'en'],
    ['', 'en'],
  ] as const)('Accept-Language %j reads %s', (header, language) => {
    expect(pickLanguage(header)).toBe(language);
  });

  it('every language has every text, and they differ from English', () => {
    const keys = Object.keys(PAGE_TEXTS.en).sort();
    for (const lang of ['zh-Hant', 'zh-Hans'] as const) {
      expect(Object.keys(PAGE_TEXTS[lang]).sort()).toEqual(keys);
      expect(PAGE_TEXTS[lang].headOffice).not.toBe(PAGE_TEXTS.en.headOffice);
    }
    expect(PAGE_TEXTS['zh-Hant'].headOffice).not.toBe(PAGE_TEXTS['zh-Hans'].headOffice);
  });

  it('the login and the dashboard carry the language and its texts', () => {
    const t = PAGE_TEXTS['zh-Hant'];
    const login = loginPage(t, t.wrongPassword);
    expect(login).toContain('<html lang="zh-Hant">');
    expect(login).toContain('店主密碼');
    expect(login).toContain('密碼錯誤。');
    const page = dashboardPage({ report: empty, hourly: [], status: [], reconciliation: null, canReconcile: false, nowMs: 0, t });
    expect(page).toContain('營業日 2026-11-26');
    expect(page).not.toMatch(/Takings|Per till|Sign out/);
  });
});

describe('a notice page', () => {
  it('says the database is down in the reader\'s language, with the error escaped', () => {
    const t = PAGE_TEXTS['zh-Hans'];
    const html = notice(t, t.unavailable, 'connect ECONNREFUSED <127.0.0.1>');
    expect(html).toContain('<html lang="zh-Hans">');
    expect(html).toContain('总部的数据库未能响应：');
    expect(html).toContain('&#60;127.0.0.1&#62;');
    expect(html).not.toContain('<127.0.0.1>');
  });
});

describe('an empty head office', () => {
  it('says there are no sales, no Z and no till yet instead of empty tables', () => {
    const html = dashboardPage({ report: empty, hourly: [], status: [], reconciliation: null, canReconcile: false, nowMs: 0, t: PAGE_TEXTS.en });
    expect(html).not.toContain('<table>');
    expect(html).toContain(PAGE_TEXTS.en.noSales);
    expect(html).toContain(PAGE_TEXTS.en.noZ);
    expect(html).toContain(PAGE_TEXTS.en.noTills);
  });
});

describe('the tenders and the cash drawers', () => {
  const day: OfficeReport = {
    ...empty,
    currencies: [{ currency: 'HKD', paidCount: 3, grossMinor: 6230, refundCount: 1, refundMinor: 230, netMinor: 6000 }],
    tenders: [
      { payType: '800201', currency: 'HKD', paidCount: 2, grossMinor: 5000, refundCount: 0, refundMinor: 0 },
      { payType: 'cash', currency: 'HKD', paidCount: 1, grossMinor: 1230, refundCount: 1, refundMinor: 230 },
    ],
    drawers: [
      { udid: 'till-a', store: 'Mong Kok', currency: 'HKD', floatMinor: 50000, cashSalesCount: 1, cashSalesMinor: 1230, cashRefundCount: 1, cashRefundMinor: 230, paidInMinor: 1000, paidOutMinor: 300, expectedMinor: 51700 },
    ],
  };
  const page = (lang: 'en' | 'zh-Hant' | 'zh-Hans') => dashboardPage({ report: day, hourly: [], status: [], reconciliation: null, canReconcile: false, nowMs: 0, t: PAGE_TEXTS[lang] });

  it.each([
    ['en', ['By tender', 'WeChat Pay QR', 'Cash', 'Cash drawer', 'Opening float', 'Expected in drawer']],
    ['zh-Hant', ['按付款方式', '微信支付 QR', '現金', '錢箱', '開業備用金', '錢箱應有現金']],
    ['zh-Hans', ['按付款方式', '微信支付二维码', '现金', '钱箱', '备用金', '钱箱应有现金']],
  ] as const)('%s names each tender and the drawer in the page language', (lang, words) => {
    const html = page(lang);
    for (const w of words) expect(html).toContain(w);
  });

  it('shows each tender with its refunds and net, wallets before cash, and the expected cash', () => {
    const html = page('en');
    // Cash: 12.30 paid, 2.30 refunded, 10.00 net.
    expect(html).toMatch(/Cash<\/td><td class="num">1<\/td><td class="num">HKD 12.30<\/td><td class="num">HKD 2.30<\/td><td class="num">HKD 10.00<\/td>/);
    expect(html.indexOf('WeChat Pay QR')).toBeLessThan(html.indexOf('>Cash<'));
    // 500.00 + 12.30 − 2.30 + 10.00 − 3.00
    expect(html).toContain('<strong>HKD 517.00</strong>');
  });

  it('a day without cash says so in words', () => {
    const html = dashboardPage({ report: { ...day, drawers: [] }, hourly: [], status: [], reconciliation: null, canReconcile: false, nowMs: 0, t: PAGE_TEXTS['zh-Hant'] });
    expect(html).toContain(PAGE_TEXTS['zh-Hant'].noCash);
  });
});
