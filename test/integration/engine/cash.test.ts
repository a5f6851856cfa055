import { afterEach, describe, expect, it } from 'vitest';
import { attachConfirmed, reconcile } from '../../../electron/reports/reconcile';
import { salesCsv } from '../../../electron/reports/export';
import { reportHtml } from '../../../electron/reports/report-html';
import { reportLines } from '../../../electron/reports/report-text';
import { TillReports, canonicalJson, sha256Hex } from '../../../electron/reports/till-reports';
import { chargeShown, closeAll, clockAt, finalWithin, hk, openTestTill, setFaults, paidSale, totalRequests, transitions, type TestTill } from './support';

// Cash at the counter (issue 13): a cash sale is journaled like any other
// (udid, numbering, audit trail) but never asks QFPay anything; its refunds
// come out of the drawer; the drawer's float, paid in and paid out make up
// the expected cash that X and Z show, and Z compares it with the count.

afterEach(closeAll);

const HKD = 'HKD';

async function readyTill(options: Parameters<typeof openTestTill>[0] = {}): Promise<TestTill> {
  const till = await openTestTill(options);
  await till.engine.recover();
  return till;
}

function cashSale(till: TestTill, amountMinor: number, tenderedMinor: number, openingFloatMinor?: number) {
  const result = till.engine.chargeCash({ amountMinor, currency: HKD, tenderedMinor, openingFloatMinor });
  if (!result.ok) throw new Error(`cash charge refused: ${JSON.stringify(result.error)}`);
  return result.value;
}

const reportsOf = (till: TestTill) => new TillReports(till.journal.db, { udid: 'till-01', training: till.training, timeZone: 'Asia/Hong_Kong', cutoffHour: 4, now: () => till.clock.now() });

describe('a cash sale', () => {
  it('is written straight to paid with the change, numbered and audited like any sale, and sends nothing to QFPay', async () => {
    const till = await readyTill();
    const before = totalRequests(till.sim);

    const sale = cashSale(till, 1230, 2000, 50000);

    expect(sale).toMatchObject({ state: 'paid', amountMinor: 1230, currency: HKD, cash: { tenderedMinor: 2000, changeMinor: 770 }, qrcode: null, training: true });
    expect(sale.outTradeNo).toMatch(/^till-01-S\d{12}[0-9A-Z]{6}$/);
    const row = till.journal.db.prepare('SELECT udid, pay_type, state, tendered_minor, change_minor, paid_at_ms FROM sales WHERE out_trade_no = ?').get(sale.outTradeNo);
    expect(row).toEqual({ udid: 'till-01', pay_type: 'cash', state: 'paid', tendered_minor: 2000, change_minor: 770, paid_at_ms: sale.createdAtMs });
    expect(sale.paidAtMs).toBe(sale.createdAtMs);
    expect(transitions(till, sale.outTradeNo)).toEqual([{ to: 'paid', reason: 'cash_charge' }]);
    expect(till.journal.events(sale.outTradeNo).filter((e) => e.kind === 'exchange')).toEqual([]);
    // No request of any kind reached QFPay, and QFPay has no such order.
    expect(totalRequests(till.sim)).toBe(before);
    expect(till.sim.orders()).toEqual([]);
    // Listeners were told, after the commit (support.ts checks that for every view).
    expect(till.views.map((v) => [v.outTradeNo, v.state])).toEqual([[sale.outTradeNo, 'paid']]);
    expect(till.engine.hasOpenWork()).toBe(false);
  });

  it('needs no recovery: before the till has checked unfinished sales with QFPay, cash sales and their refunds go through', async () => {
    const till = await openTestTill();
    expect(till.engine.isReady).toBe(false);
    expect(await till.engine.charge({ amountMinor: 500, currency: HKD })).toMatchObject({ ok: false, error: { code: 'not_ready' } });
    const sale = cashSale(till, 500, 1000, 0);
    expect(await till.engine.refund({ saleOutTradeNo: sale.outTradeNo, amountMinor: 200 })).toMatchObject({ ok: true, value: { state: 'refunded', amountMinor: 200 } });
    expect(till.sim.orders()).toEqual([]);
  });

  it('needs no network: with every QFPay answer dropped it is paid at once', async () => {
    const till = await readyTill();
    setFaults(till.sim, { payment: { dropResponse: true, count: 100 }, query: { dropResponse: true, count: 100 } });
    expect(cashSale(till, 500, 500, 0)).toMatchObject({ state: 'paid', cash: { tenderedMinor: 500, changeMinor: 0 } });
  });

  it('refuses less than the amount handed over, a missing float and a second float, and writes nothing', async () => {
    const till = await readyTill();
    const count = () => (till.journal.db.prepare('SELECT (SELECT count(*) FROM sales) + (SELECT count(*) FROM cash_movements) AS n').get() as { n: number }).n;

    expect(till.engine.chargeCash({ amountMinor: 1230, currency: HKD, tenderedMinor: 1229, openingFloatMinor: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'tendered' } });
    expect(till.engine.chargeCash({ amountMinor: 1230, currency: HKD, tenderedMinor: 2000 })).toMatchObject({ ok: false, error: { code: 'float_required' } });
    expect(till.engine.chargeCash({ amountMinor: 1230, currency: HKD, tenderedMinor: 2000, openingFloatMinor: -1 })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'float' } });
    expect(till.engine.chargeCash({ amountMinor: 0, currency: HKD, tenderedMinor: 2000, openingFloatMinor: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(till.engine.chargeCash({ amountMinor: 100, currency: 'XXX', tenderedMinor: 2000, openingFloatMinor: 0 })).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(count()).toBe(0);

    cashSale(till, 100, 100, 10000);
    expect(till.engine.chargeCash({ amountMinor: 100, currency: HKD, tenderedMinor: 100, openingFloatMinor: 5 })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'float' } });
    expect(count()).toBe(2);
  });

  it('waits while a QFPay sale is open (one sale at a time)', async () => {
    const till = await readyTill();
    const open = await chargeShown(till, 800);
    expect(till.engine.chargeCash({ amountMinor: 100, currency: HKD, tenderedMinor: 100, openingFloatMinor: 0 })).toMatchObject({ ok: false, error: { code: 'sale_open', outTradeNo: open.outTradeNo } });
    await till.engine.cancel();
    await finalWithin(till, open.outTradeNo);
    expect(cashSale(till, 100, 100, 0).state).toBe('paid');
  });
});

describe('refunds of cash sales', () => {
  it('are cash refunds: refunded at once, no QFPay request, never more than the remainder, even at 23:40', async () => {
    const till = await readyTill({ clock: clockAt(hk(2026, 11, 26, 23, 40)) });
    const sale = cashSale(till, 1000, 1000, 0);
    const before = totalRequests(till.sim);

    const part = await till.engine.refund({ saleOutTradeNo: sale.outTradeNo, amountMinor: 300 });
    expect(part).toMatchObject({ ok: true, value: { state: 'refunded', amountMinor: 300, saleOutTradeNo: sale.outTradeNo, syssn: null } });
    if (!part.ok) return;
    expect(part.value.outTradeNo).toMatch(/^till-01-R\d{12}[0-9A-Z]{6}$/);
    expect(till.journal.events(part.value.outTradeNo).filter((e) => e.kind === 'transition').map((e) => e.data.to)).toEqual(['requesting', 'refunded']);
    expect(till.journal.sale(sale.outTradeNo)!.refundedMinor).toBe(300);

    expect(await till.engine.refund({ saleOutTradeNo: sale.outTradeNo, amountMinor: 701 })).toMatchObject({ ok: false, error: { code: 'exceeds_refundable' } });
    expect(await till.engine.refund({ saleOutTradeNo: sale.outTradeNo })).toMatchObject({ ok: true, value: { state: 'refunded', amountMinor: 700 } });
    expect(await till.engine.refund({ saleOutTradeNo: sale.outTradeNo })).toMatchObject({ ok: false, error: { code: 'nothing_to_refund' } });
    expect(await till.engine.refund({ saleOutTradeNo: sale.outTradeNo, amountMinor: 1 })).toMatchObject({ ok: false, error: { code: 'nothing_to_refund' } });

    expect(till.journal.sale(sale.outTradeNo)!.refundedMinor).toBe(1000);
    expect(till.journal.openRefunds()).toEqual([]);
    expect(totalRequests(till.sim)).toBe(before);
    expect(till.views.at(-1)).toMatchObject({ outTradeNo: sale.outTradeNo, refundedMinor: 1000 });
  });
});

describe('the drawer in X and Z', () => {
  it('float, cash sales, cash refunds, paid in and out make the expected cash; Z adds the count and the difference', async () => {
    const till = await readyTill();
    const qfpay = await paidSale(till, 5000);
    cashSale(till, 1230, 2000, 50000);
    const second = cashSale(till, 870, 1000);
    await till.engine.refund({ saleOutTradeNo: second.outTradeNo, amountMinor: 70 });

    expect(till.engine.moveCash({ kind: 'paid_in', currency: HKD, amountMinor: 2000, reason: ' change from the bank ' })).toMatchObject({ ok: true, value: { expectedMinor: 50000 + 2100 - 70 + 2000 } });
    expect(till.engine.moveCash({ kind: 'paid_out', currency: HKD, amountMinor: 1500, reason: '' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'reason' } });
    expect(till.engine.moveCash({ kind: 'paid_out', currency: HKD, amountMinor: 10_000_000, reason: 'too much' })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'amount' } });
    expect(till.engine.moveCash({ kind: 'paid_out', currency: HKD, amountMinor: 1500, reason: 'milk' })).toMatchObject({ ok: true, value: { expectedMinor: 52530, needsFloat: false } });
    till.clock.advance(1000);

    const expected = {
      currency: HKD,
      floatMinor: 50000,
      cashSalesCount: 2,
      cashSalesMinor: 2100,
      cashRefundCount: 1,
      cashRefundMinor: 70,
      paidInMinor: 2000,
      paidOutMinor: 1500,
      expectedMinor: 52530,
    };
    const x = reportsOf(till).x();
    expect(x.drawer).toEqual([expect.objectContaining(expected)]);
    expect(x.drawer![0]!.movements.map((m) => [m.kind, m.amountMinor, m.reason])).toEqual([
      ['float', 50000, null],
      ['paid_in', 2000, 'change from the bank'],
      ['paid_out', 1500, 'milk'],
    ]);
    // Split by tender, with one total: the parts add up to the currency's figures.
    const hkd = x.currencies.find((c) => c.currency === HKD)!;
    const tenders = x.tenders!.find((t) => t.currency === HKD)!.tenders;
    expect(tenders.map((t) => t.payType)).toEqual([till.journal.sale(qfpay.outTradeNo)!.payType, 'cash']);
    expect(tenders.at(-1)).toEqual({ payType: 'cash', paidCount: 2, grossMinor: 2100, refundCount: 1, refundMinor: 70, hourly: [{ hour: 12, paidCount: 2, grossMinor: 2100 }] });
    expect(tenders.reduce((a, t) => a + t.grossMinor, 0)).toBe(hkd.grossMinor);
    expect(tenders.reduce((a, t) => a + t.paidCount, 0)).toBe(hkd.paidCount);
    expect(tenders.reduce((a, t) => a + t.refundMinor, 0)).toBe(hkd.refundMinor);

    const z = reportsOf(till).takeZ([{ currency: HKD, countedMinor: 52500 }]);
    expect(z.ok).toBe(true);
    if (!z.ok) return;
    expect(z.report.drawer).toEqual([expect.objectContaining({ ...expected, countedMinor: 52500, differenceMinor: -30 })]);

    // After the Z the drawer starts again: the next cash sale asks for a float.
    till.clock.advance(1000);
    expect(till.engine.drawerStatus(HKD)).toEqual({ ok: true, value: { currency: HKD, needsFloat: true, expectedMinor: 0 } });
    expect(till.engine.chargeCash({ amountMinor: 100, currency: HKD, tenderedMinor: 100 })).toMatchObject({ ok: false, error: { code: 'float_required' } });
    cashSale(till, 100, 200, 30000);
    till.clock.advance(1000);
    const z2 = reportsOf(till).takeZ([{ currency: HKD, countedMinor: 30100 }]);
    expect(z2.ok && z2.report.drawer).toEqual([expect.objectContaining({ floatMinor: 30000, cashSalesMinor: 100, expectedMinor: 30100, countedMinor: 30100, differenceMinor: 0 })]);

    // Zs stay immutable and still verify: the first reprints with its own drawer and count.
    const reprint = reportsOf(till).z(1)!;
    expect(reprint.intact).toBe(true);
    expect(reprint.report.drawer![0]).toMatchObject({ countedMinor: 52500, differenceMinor: -30 });
    expect(() => till.journal.db.prepare('DELETE FROM cash_movements').run()).toThrow(/append-only/);
  });

  it('a float entered before the first sale opens the first period', async () => {
    const till = await readyTill();
    expect(till.engine.moveCash({ kind: 'float', currency: HKD, amountMinor: 20000 })).toMatchObject({ ok: true, value: { needsFloat: false, expectedMinor: 20000 } });
    till.clock.advance(60_000);
    cashSale(till, 500, 500);
    till.clock.advance(1000);
    expect(reportsOf(till).x().drawer).toEqual([expect.objectContaining({ floatMinor: 20000, cashSalesMinor: 500, expectedMinor: 20500 })]);
  });
});

describe('reconciliation', () => {
  it('treats cash as journal-only: never a difference', async () => {
    const till = await readyTill();
    const paid = await paidSale(till, 5000);
    const cash = cashSale(till, 1230, 2000, 0);
    await till.engine.refund({ saleOutTradeNo: cash.outTradeNo, amountMinor: 230 });
    till.clock.advance(1000);
    const result = await reconcile(till, { udid: 'till-01', training: till.training, fromMs: till.clock.now() - 3_600_000, toMs: till.clock.now(), timeZone: 'Asia/Hong_Kong' });
    expect(result.complete).toBe(true);
    expect({ onlyInJournal: result.onlyInJournal, onlyAtQfpay: result.onlyAtQfpay, stateDiffers: result.stateDiffers, amountDiffers: result.amountDiffers }).toEqual({
      onlyInJournal: [],
      onlyAtQfpay: [],
      stateDiffers: [],
      amountDiffers: [],
    });
    expect(JSON.stringify(result)).not.toContain(cash.outTradeNo);
    expect(result.matched.map((m) => m.out_trade_no)).toEqual([paid.outTradeNo]);
    // Beside the journal's figures, QFPay's confirmed ones count the cash in: no false difference on X or Z.
    const x = reportsOf(till).x({ fromMs: result.period.fromMs, toMs: result.period.toMs });
    const journal = x.currencies.find((c) => c.currency === HKD)!;
    expect(attachConfirmed(x, result).confirmed).toEqual([
      { currency: HKD, paidCount: journal.paidCount, grossMinor: journal.grossMinor, refundCount: journal.refundCount, refundMinor: journal.refundMinor },
    ]);
    expect(journal).toMatchObject({ paidCount: 2, grossMinor: 6230, refundCount: 1, refundMinor: 230 });
  });
});

describe('printouts, CSV and Zs from before cash', () => {
  it('the Z printout, the terminal lines and the CSV carry the tender split and the drawer', async () => {
    const till = await readyTill();
    await paidSale(till, 5000);
    const cash = cashSale(till, 1230, 2000, 50000);
    till.engine.moveCash({ kind: 'paid_out', currency: HKD, amountMinor: 1500, reason: 'milk' });
    till.clock.advance(1000);
    const z = reportsOf(till).takeZ([{ currency: HKD, countedMinor: 49700 }]);
    if (!z.ok) throw new Error('Z refused');

    const html = reportHtml(z.report, { layout: 'receipt', language: 'en' });
    expect(html).toContain('<h2>Cash drawer HKD</h2>');
    expect(html).toContain('<span>Expected in drawer</span><span>497.30</span>');
    expect(html).toContain('<span>Difference</span><span>-0.30</span>');
    expect(html).toContain('<span>Paid out — milk 15.00</span><span>-15.00</span>');
    expect(html).toContain('<span>WeChat Pay QR (1)</span><span>50.00</span>');
    expect(html).toContain('<span>Cash (1)</span><span>12.30</span>');
    expect(reportHtml(z.report, { layout: 'a4', language: 'zh-Hant' })).toContain('<span>錢箱應有現金</span><span>497.30</span>');

    const lines = reportLines(z.report);
    expect(lines).toContain('HKD  Cash: paid 1  gross 12.30  refunds 0  refunded 0.00');
    expect(lines).toContain('     Counted: 497.00');
    expect(lines).toContain('     Difference: -0.30');

    const csv = salesCsv(till.journal.db, { udid: 'till-01', training: till.training, fromMs: 0, toMs: till.clock.now() + 1, timeZone: 'Asia/Hong_Kong' });
    const cashLine = csv.split('\r\n').find((l) => l.includes(cash.outTradeNo))!;
    expect(cashLine.split(',').slice(-2)).toEqual(['cash', 'Cash']);
    expect(csv.split('\r\n')[0]!.endsWith(',training,shop,tender,tender_name')).toBe(true);
  });

  it('a Z stored before cash existed (no tenders, no drawer) still reprints, verifies and prints', async () => {
    const till = await readyTill();
    const old = { kind: 'z', udid: 'till-01', training: true, periodStartMs: 1, periodEndMs: 2, generatedAtMs: 2, businessDay: '2026-11-25', businessDayCutoffHour: 4, timeZone: 'Asia/Hong_Kong', currencies: [], zNumber: 1 };
    const content = canonicalJson(old);
    till.journal.db
      .prepare('INSERT INTO z_reports (udid, z_number, training, period_start_ms, period_end_ms, created_at_ms, content, sha256) VALUES (?, 1, 1, 1, 2, 2, ?, ?)')
      .run('till-01', content, sha256Hex(content));
    cashSale(till, 100, 100, 0);
    till.clock.advance(1000);
    const z2 = reportsOf(till).takeZ();
    expect(z2.ok && z2.report.zNumber).toBe(2);
    const reprint = reportsOf(till).z(1)!;
    expect(reprint.intact).toBe(true);
    expect(reprint.report.drawer).toBeUndefined();
    expect(reportHtml(reprint.report, { layout: 'a4', language: 'en' })).not.toContain('Cash drawer');
    expect(reportsOf(till).z(2)!.intact).toBe(true);
  });
});
