import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { layoutOf, renderJob, reportSlip } from '../../electron/receipts/jobs';
import type { TillReport } from '../../shared/reports';
import { describeSale, headerFrom, type ReceiptDescription } from '../../electron/receipts/receipt';
import type { Language } from '../../shared/settings';
import { Z } from '../unit/electron/receipts/report-fixture';
import { paidSale, receiptSettings, refundOf } from '../unit/electron/receipts/support';
import { CHROMIUM } from './support/bridge';

// Screenshots of the rendered receipts (issue 14's acceptance): WeChat,
// Alipay, cash with change, a refund receipt, a reprint and a training
// receipt, on 80 and 58 mm, in zh-Hant, zh-Hans and en — drawn by Chromium
// from the same SVG the app shows and the OS printer prints. Saved under
// test/e2e/artifacts/receipts/ for people to look at; the test checks each
// image is the roll's width and shows the whole receipt.

const OUT = join(__dirname, 'artifacts', 'receipts');
const SHOP: Record<Language, { name: string; address: string; footer: string }> = {
  'zh-Hant': { name: '陳記茶餐廳', address: '香港中環德輔道中 1 號地舖', footer: '多謝惠顧，歡迎再來！' },
  'zh-Hans': { name: '陈记茶餐厅', address: '香港中环德辅道中 1 号地铺', footer: '谢谢惠顾，欢迎再来！' },
  en: { name: 'Chan Kee Cafe', address: '1 Des Voeux Rd Central, HK', footer: 'Thank you, see you again!' },
};

function receipts(language: Language, paperWidth: 80 | 58) {
  const s = SHOP[language];
  const settings = receiptSettings({ language, paperWidth, merchantName: s.name, receiptAddress: s.address, receiptFooter: s.footer, receiptCodePage: language === 'zh-Hans' ? 'gb18030' : language === 'en' ? 'ascii' : 'big5' });
  const header = headerFrom(settings, 'T01', false);
  const goodsName = language === 'en' ? 'Milk tea x2, toast' : '奶茶 x2、多士';
  const sale = paidSale({ goodsName });
  const one = (name: string, s2 = sale, refunds: ReturnType<typeof refundOf>[] = [], options: Parameters<typeof describeSale>[3] = {}, h = header): [string, ReceiptDescription] => {
    const r = describeSale(s2, refunds, h, options);
    if (!r.ok) throw new Error(r.error.message);
    return [name, r.receipt];
  };
  const refunds = [refundOf(sale, 'T01-20261130-0007-R1', 450)];
  return {
    settings,
    list: [
      one('wechat'),
      one('alipay', paidSale({ goodsName, payType: '800101', chnlsn: '2026113022001400001234' })),
      one('cash-change', paidSale({ goodsName, payType: 'cash', syssn: null, chnlsn: null, amountMinor: 3780 }), [], { cashTenderedMinor: 5000 }),
      one('refund', sale, refunds, { refundOutTradeNo: 'T01-20261130-0007-R1' }),
      one('reprint', sale, refunds, { reprint: true }),
      one('training', paidSale({ goodsName, training: true }), [], {}, headerFrom(settings, 'T01', true)),
      ['x-report', reportSlip(header, settings, X_REPORT, X_REPORT.periodEndMs)] as [string, ReceiptDescription],
      ['z-report-reprint', reportSlip(header, settings, Z, Z.periodEndMs, { reprint: true })] as [string, ReceiptDescription],
    ],
  };
}

const X_REPORT: TillReport = {
  kind: 'x',
  udid: 'T01',
  training: false,
  periodStartMs: Date.UTC(2026, 10, 30, 0, 0),
  periodEndMs: Date.UTC(2026, 10, 30, 9, 30),
  generatedAtMs: Date.UTC(2026, 10, 30, 9, 30),
  businessDay: '2026-11-30',
  businessDayCutoffHour: 4,
  timeZone: 'Asia/Hong_Kong',
  currencies: [
    { currency: 'HKD', paidCount: 42, grossMinor: 1_234_550, refundCount: 2, refundMinor: 4_500, netMinor: 1_230_050, averageTicketMinor: 29_394, cancelledCount: 3, expiredCount: 1, failedCount: 0, firstSaleAtMs: Date.UTC(2026, 10, 30, 0, 5), lastSaleAtMs: Date.UTC(2026, 10, 30, 9, 20), hourly: [] },
  ],
  drawerOpenings: 2,
};

let browser: Browser;
beforeAll(async () => {
  mkdirSync(OUT, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'], headless: true });
});
afterAll(async () => browser?.close());

describe.each([80, 58] as const)('%s mm receipts', (paperWidth) => {
  it.each(['zh-Hant', 'zh-Hans', 'en'] as const)('%s: every kind renders whole, at the roll width', async (language) => {
    const { settings, list } = receipts(language, paperWidth);
    const page = await browser.newPage({ viewport: { width: 640, height: 400 } });
    try {
      for (const [name, receipt] of list) {
        const job = await renderJob(name, receipt, layoutOf(settings));
        await page.setContent(`<!doctype html><html><body style="margin:0;background:#ddd;padding:16px;display:inline-block"><div style="background:#fff;display:inline-block">${job.svg}</div></body></html>`);
        const svg = await page.$('svg');
        const box = (await svg!.boundingBox())!;
        expect(box.width).toBe(paperWidth === 80 ? 576 : 384);
        const size = /height="(\d+)px"/.exec(job.svg)!;
        expect(box.height).toBe(Number(size[1]));
        await (await page.$('body'))!.screenshot({ path: join(OUT, `${name}-${paperWidth}mm-${language}.png`) });
      }
    } finally {
      await page.close();
    }
  });
});

