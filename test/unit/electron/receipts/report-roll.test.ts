import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { receiptDocument } from '../../../../electron/receipts/document';
import { renderSvg, svgPlainText } from '../../../../electron/receipts/render';
import { layoutOf, reportSlip } from '../../../../electron/receipts/jobs';
import { headerFrom } from '../../../../electron/receipts/receipt';
import type { TillReport } from '../../../../shared/reports';
import type { Language, ReceiptCodePage } from '../../../../shared/settings';
import { SHA, Z, at } from './report-fixture';
import { receiptSettings } from './support';

// X and Z on the receipt roll follow the sale receipt's language rule: the
// settings language, English on an English-only (ascii) printer. Every line
// — totals, the split by tender, the drawer, the Z number and its hash — is
// in that language, and encodes in the printer's code page as it is.

const X: TillReport = { ...Z, kind: 'x', zNumber: undefined, sha256: undefined, confirmed: undefined, drawer: [{ ...Z.drawer![0]!, countedMinor: undefined, differenceMinor: undefined }] } as TillReport;

function roll(language: Language, codePage: ReceiptCodePage, report: TillReport = Z, options: Parameters<typeof reportSlip>[4] = {}) {
  const settings = receiptSettings({ language, receiptCodePage: codePage, paperWidth: 58, merchantName: 'Shop', receiptAddress: '', receiptFooter: '' });
  const slip = reportSlip(headerFrom(settings, 'T01', false), settings, report, at(10, 5), options);
  // ReceiptLine's escapes ("\\-7.00") taken out: the tests read the words as printed.
  return receiptDocument(slip, layoutOf(settings)).replace(/\\(.)/g, '$1');
}

/** The document's words without ReceiptLine's column widths, with the QFPay and wallet names and ids taken out. */
const words = (doc: string) =>
  doc
    .replace(/^\{width:[^}]*\}$/gm, '')
    .replace(/QFPay|SHA-256|HKD|PayMe|QR|\bZ\b|\bX\b|T01|Shop|coins|milk|REPRINT|Asia\/Hong_Kong/g, '')
    .replace(/[0-9a-f]{16,}/g, '');

describe('the X and Z on the receipt roll', () => {
  it('zh-Hant: every heading, the split by tender and the drawer are Traditional Chinese, amounts as money', () => {
    const doc = roll('zh-Hant', 'big5');
    for (const text of ['Z 報表（日結）', 'Z 編號 | 12', '已付款交易 | 3', '總額 | 160.00', '淨額 | 153.00', '按付款方式', '微信支付 QR (2) | 120.00', '退款 (1) | -7.00', '現金 (1) | 40.00', '合計（淨額） (3) | 153.00', '錢箱', '開業備用金 | 500.00', '存入 — coins 10.00 | 10.00', '支出 — milk 25.50 | -25.50', '錢箱應有現金 | 524.50', '點算現金 | 524.00', '差額 | -0.50', '指紋（SHA-256）', 'QFPay 確認']) {
      expect(doc).toContain(text);
    }
    expect(doc).toContain(SHA.slice(0, 32));
    expect(doc).toContain(SHA.slice(32));
    // No English words are left over (names like QFPay, the ids and the codes aside).
    expect(words(doc)).not.toMatch(/[A-Za-z]{2,}/);
  });

  it('zh-Hans: Simplified Chinese throughout', () => {
    const doc = roll('zh-Hans', 'gb18030');
    for (const text of ['Z 报表（日结）', 'Z 编号 | 12', '微信支付二维码 (2) | 120.00', '现金 (1) | 40.00', '合计（净额） (3) | 153.00', '钱箱', '备用金 | 500.00', '钱箱应有现金 | 524.50', '清点现金 | 524.00', '差额 | -0.50', '指纹（SHA-256）']) {
      expect(doc).toContain(text);
    }
    expect(doc).not.toContain('錢箱');
    expect(words(doc)).not.toMatch(/[A-Za-z]{2,}/);
  });

  it('en, and English on an ascii printer whatever the language', () => {
    for (const doc of [roll('en', 'big5'), roll('zh-Hant', 'ascii')]) {
      for (const text of ['Z report', 'Z number | 12', 'Paid sales | 3', 'By tender', 'WeChat Pay QR (2) | 120.00', 'Cash (1) | 40.00', 'Total (net) (3) | 153.00', 'Opening float | 500.00', 'Expected in drawer | 524.50', 'Counted | 524.00', 'Difference | -0.50', 'Fingerprint (SHA-256)']) {
        expect(doc).toContain(text);
      }
      expect(doc).not.toMatch(/[\u3400-\u9fff]/);
    }
  });

  it('the drawer openings are the till’s, printed with the period (not under a currency or QFPay’s totals)', () => {
    const doc = roll('en', 'ascii');
    expect(doc.indexOf('Cash drawer openings | 4')).toBeGreaterThan(doc.indexOf('Time zone'));
    expect(doc.indexOf('Cash drawer openings | 4')).toBeLessThan(doc.indexOf('"HKD"'));
  });

  it('an X has no Z number, hash or counted cash', () => {
    const doc = roll('zh-Hant', 'big5', X);
    expect(doc).toContain('X 報表');
    expect(doc).toContain('錢箱應有現金 | 524.50');
    for (const text of ['Z 編號', '指紋', '點算現金', '差額']) expect(doc).not.toContain(text);
  });

  it('a period without sales says so in the language', () => {
    expect(roll('zh-Hans', 'gb18030', { ...X, currencies: [], tenders: [], drawer: [], drawerOpenings: undefined })).toContain('此期间没有交易');
  });

  it('a reprinted Z is marked, and one whose hash no longer matches says so', () => {
    const doc = roll('zh-Hant', 'big5', Z, { reprint: true, intact: false });
    expect(doc).toContain('重印');
    expect(doc).toContain('報表在產生後被更改');
    expect(roll('zh-Hant', 'big5')).not.toContain('重印');
    expect(roll('en', 'ascii', Z, { intact: false })).toContain('CHANGED AFTER IT WAS TAKEN');
  });

  it('on a 58 mm roll a long label stays on its value’s line (the value gets its width, the label the rest)', () => {
    const settings = receiptSettings({ language: 'zh-Hant', receiptCodePage: 'big5', paperWidth: 58 });
    const slip = reportSlip(headerFrom(settings, 'T01', false), settings, Z, at(10, 5));
    // receiptline draws each printed line as a group of its own.
    const printed = renderSvg(slip, layoutOf(settings))
      .split('<g transform="translate(0,')
      .map((g) => svgPlainText(`<${g}`).replace(/\s+/g, ''));
    for (const line of ['微信支付QR(2)120.00', '合計（淨額）(3)153.00', '支出—milk25.50-25.50', '首筆交易2026-11-3009:05']) expect(printed).toContain(line);
    expect(printed).toContain(SHA.slice(0, 32));
  });

  it.each([
    ['zh-Hant', 'big5'],
    ['zh-Hans', 'gb18030'],
    ['en', 'ascii'],
  ] as const)('%s encodes in %s without a replacement character', (language, codePage) => {
    const doc = roll(language, codePage, Z, { reprint: true, intact: false });
    const encoding = codePage === 'ascii' ? 'cp437' : codePage;
    for (const ch of doc) {
      if (ch === '—' && codePage === 'ascii') continue; // printed as "-" (render.ts's substitutes)
      expect(iconv.decode(iconv.encode(ch, encoding), encoding), `U+${ch.codePointAt(0)!.toString(16)} in ${codePage}`).toBe(ch);
    }
  });
});
