import { describe, expect, it } from 'vitest';
import { DRAWER_KICK, escapeText, receiptDocument } from '../../../../electron/receipts/document';
import { noSaleWho, type NoSaleBy } from '../../../../electron/receipts/drawer';
import { layoutOf, noSaleSlip, renderJob, reportSlip } from '../../../../electron/receipts/jobs';
import { TRAINING_LINE } from '../../../../electron/receipts/labels';
import { describeSale, headerFrom, opensDrawer, type ReceiptDescription } from '../../../../electron/receipts/receipt';
import { renderEscPos, renderSvg, svgPlainText } from '../../../../electron/receipts/render';
import { PAID_AT, paidSale, receiptSettings, refundOf } from './support';
import type { TillReport } from '../../../../shared/reports';
import { PAY_TYPES } from '../../../../shared/pay-types';

// One description, two outputs: what the receipt says (the description and
// its ReceiptLine document), the drawer rule on the bytes, and the SVG.

const settings = receiptSettings({ language: 'en' });
const header = headerFrom(settings, 'T01', false);

function describe_(patch: Parameters<typeof paidSale>[0] = {}, options: Parameters<typeof describeSale>[3] = {}, h = header): ReceiptDescription {
  const sale = paidSale(patch);
  const result = describeSale(sale, [], h, options);
  if (!result.ok) throw new Error(result.error.message);
  return result.receipt;
}

const WHITE_8X8_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAgAAAAICAYAAADED76LAAAAIUlEQVR4AYXBAQEAMAiAME7/zt4Esr1ZHCRIkCBBggQJHxtuBAxSsWhBAAAAAElFTkSuQmCC';
const KICK = Buffer.from(DRAWER_KICK, 'binary');

describe('the receipt description', () => {
  it('refuses a sale that was never paid', () => {
    const result = describeSale(paidSale({ state: 'expired' }), [], header);
    expect(result).toMatchObject({ ok: false, error: { code: 'not_paid' } });
  });

  it('names the wallet, the syssn and only the last 4 of the wallet reference', () => {
    const r = describe_();
    expect(r.kind === 'sale' && r.tender).toEqual({ kind: 'qfpay', wallet: 'wechat', syssn: '20261130154100020012345678', referenceLast4: '9876' });
    expect(describe_({ payType: '800101' })).toMatchObject({ tender: { wallet: 'alipay' } });
    expect(receiptDocument(r, layoutOf(settings))).not.toContain('4200002345678901239876');
  });

  it('names the wallet of every pay type in the table on the receipt, in the receipt language (never "QFPay" for a wallet it knows)', () => {
    const walletOn = (payType: string) => {
      const r = describe_({ payType });
      return r.kind === 'sale' && r.tender.kind === 'qfpay' ? r.tender.wallet : undefined;
    };
    const wallets = Object.fromEntries(Object.keys(PAY_TYPES).map((p) => [p, walletOn(p)]));
    expect(wallets).toEqual({
      '800201': 'wechat', '800208': 'wechat', '800101': 'alipay', '801501': 'alipay', '800108': 'alipay',
      '805801': 'payme', '800701': 'unionpay', '802001': 'fps', '800008': 'qfpay',
    });
    for (const [payType, language, name] of [['805801', 'en', 'PayMe'], ['802001', 'zh-Hant', '轉數快'], ['802001', 'zh-Hans', '转数快'], ['801501', 'zh-Hant', '支付寶']] as const) {
      const s = receiptSettings({ language });
      expect(receiptDocument(describe_({ payType }), layoutOf(s)), `${payType} ${language}`).toContain(name);
    }
  });

  it('a cash sale carries tendered and change', () => {
    const r = describe_({ payType: 'cash', syssn: null, chnlsn: null }, { cashTenderedMinor: 2000 });
    expect(r).toMatchObject({ tender: { kind: 'cash', tenderedMinor: 2000, changeMinor: 750 } });
    const doc = receiptDocument(r, layoutOf(settings));
    expect(doc).toContain('Tendered | HKD 20.00');
    expect(doc).toContain('Change | HKD 7.50');
  });

  it('a cash sale from the journal carries the tender it was written with', () => {
    const r = describe_({ payType: 'cash', syssn: null, chnlsn: null, tenderedMinor: 5000, changeMinor: 3750 });
    expect(r).toMatchObject({ tender: { kind: 'cash', tenderedMinor: 5000, changeMinor: 3750 } });
  });
});

describe('the drawer rule', () => {
  it('cash opens the drawer; QFPay never; a reprint never', () => {
    const cash = describe_({ payType: 'cash' });
    expect(opensDrawer(cash)).toBe(true);
    expect(renderEscPos(cash, layoutOf(settings)).includes(KICK)).toBe(true);
    const wechat = describe_();
    expect(opensDrawer(wechat)).toBe(false);
    expect(renderEscPos(wechat, layoutOf(settings)).includes(KICK)).toBe(false);
    const cashReprint = describe_({ payType: 'cash' }, { reprint: true });
    expect(renderEscPos(cashReprint, layoutOf(settings)).includes(KICK)).toBe(false);
  });

  it('a cash refund’s receipt opens the drawer (money goes back); a QFPay refund’s does not', () => {
    const cash = paidSale({ payType: 'cash' });
    const cashRefund = describeSale(cash, [refundOf(cash, 'R1', 100)], header, { refundOutTradeNo: 'R1' });
    const wechat = paidSale();
    const wechatRefund = describeSale(wechat, [refundOf(wechat, 'R1', 100)], header, { refundOutTradeNo: 'R1' });
    if (!cashRefund.ok || !wechatRefund.ok) throw new Error();
    expect(renderEscPos(cashRefund.receipt, layoutOf(settings)).includes(KICK)).toBe(true);
    expect(renderEscPos(wechatRefund.receipt, layoutOf(settings)).includes(KICK)).toBe(false);
  });

  it('a "No sale" slip kicks the drawer', () => {
    const slip = noSaleSlip(header, settings, PAID_AT, { kind: 'supervisor' });
    expect(renderEscPos(slip, layoutOf(settings)).includes(KICK)).toBe(true);
  });

  it('a "No sale" slip says who opened the drawer in the receipt’s language (the journal keeps its English note)', () => {
    const zh = receiptSettings({ language: 'zh-Hant', receiptCodePage: 'big5' });
    const doc = (by: NoSaleBy, s = zh) => receiptDocument(noSaleSlip(header, s, PAID_AT, by), layoutOf(s));
    expect(doc({ kind: 'supervisor' })).toContain('主管（密碼）');
    expect(doc({ kind: 'cashier' })).toContain('收銀員（未設主管密碼）');
    expect(doc({ kind: 'command_line', user: 'kim' })).toContain('命令列 (kim)');
    for (const by of [{ kind: 'supervisor' }, { kind: 'cashier' }] as const) expect(doc(by)).not.toMatch(/supervisor|cashier/);
    expect(doc({ kind: 'supervisor' }, receiptSettings({ language: 'zh-Hant', receiptCodePage: 'ascii' }))).toContain('supervisor (PIN)');
    expect(noSaleWho({ kind: 'command_line', user: 'kim' })).toBe('command line (kim)');
  });
});

describe('the document', () => {
  it('prints text from the journal as typed: no columns, no printer commands from a goods name', () => {
    expect(escapeText('a | b {command:x} ~_^"`\\')).toBe('a \\| b \\{command:x\\} \\~\\_\\^\\"\\`\\\\');
    expect(escapeText('---')).toBe('\\---');
    expect(escapeText('tab\tnew\nline\x1bp')).toBe('tab new line p');
    const bytes = renderEscPos(describe_({ goodsName: '{command:\\x1bp\\x00}' }), layoutOf(settings));
    expect(bytes.includes(KICK)).toBe(false);
  });

  it('marks reprints and refund receipts, and lists refunds with the net', () => {
    const sale = paidSale();
    const refunds = [refundOf(sale, 'R1', 250), refundOf(sale, 'R2', 100, { state: 'failed' })];
    const result = describeSale(sale, refunds, header, { reprint: true, refundOutTradeNo: 'R1' });
    if (!result.ok) throw new Error();
    const doc = receiptDocument(result.receipt, layoutOf(settings));
    expect(doc).toContain('REPRINT');
    expect(doc).toContain('REFUND RECEIPT');
    expect(doc).toContain('HKD -2.50');
    expect(doc).toContain('"Net" | "HKD 10.00"');
  });

  it('every training receipt says TRAINING — NOT A REAL PAYMENT, on paper and on screen', () => {
    const training = headerFrom(settings, 'T01', true);
    const receipts = [describe_({}, {}, training), noSaleSlip(training, settings, PAID_AT, { kind: 'cashier' }), describe_({ training: true })];
    for (const r of receipts) {
      expect(svgPlainText(renderSvg(r, layoutOf(settings)))).toContain(TRAINING_LINE);
      // cp437 has no em dash: the printer gets a plain dash rather than "?".
      expect(renderEscPos(r, layoutOf({ ...settings, receiptCodePage: 'ascii' })).includes('TRAINING - NOT A REAL PAYMENT')).toBe(true);
      expect(receiptDocument(r, layoutOf(settings))).toContain(TRAINING_LINE);
    }
    expect(receiptDocument(describe_(), layoutOf(settings))).not.toContain('TRAINING');
  });

  it('an English-only printer gets English labels whatever the till language', () => {
    const doc = receiptDocument(describe_(), layoutOf({ ...settings, language: 'zh-Hant', receiptCodePage: 'ascii' }));
    expect(doc).toContain('TOTAL');
    expect(doc).not.toContain('合計');
  });

  it('58 mm paper is 384 dots wide, 80 mm 576', () => {
    expect(renderSvg(describe_(), layoutOf({ ...settings, paperWidth: 58 }))).toMatch(/^<svg width="384px"/);
    expect(renderSvg(describe_(), layoutOf(settings))).toMatch(/^<svg width="576px"/);
  });

  it('the image code page prints the shell’s raster, and refuses without one', async () => {
    const layout = layoutOf({ ...settings, receiptCodePage: 'image' });
    await expect(renderJob('r', describe_(), layout)).rejects.toThrow(/image/);
    const job = await renderJob('r', describe_({ payType: 'cash' }), layout, async () => Buffer.from(WHITE_8X8_PNG, 'base64'));
    expect(job.bytes.subarray(0, 2)).toEqual(Buffer.from([0x1b, 0x40]));
    expect(job.bytes.includes(KICK)).toBe(true);
    expect(job.bytes.includes(Buffer.from('HKD'))).toBe(false);
  });

  it('X and Z reports print as slips with the report’s lines', () => {
    const report = { kind: 'x', udid: 'T01', training: true, timeZone: 'Asia/Hong_Kong', periodStartMs: PAID_AT - 3_600_000, periodEndMs: PAID_AT, businessDay: '2026-11-30', businessDayCutoffHour: 4, currencies: [], zNumber: null } as unknown as TillReport;
    const doc = receiptDocument(reportSlip(header, settings, report, PAID_AT), layoutOf(settings));
    expect(doc).toContain('X report');
    expect(doc).toContain('No sales in this period');
    expect(doc).toContain(TRAINING_LINE);
  });
});
