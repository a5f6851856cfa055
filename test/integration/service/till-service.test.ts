import { afterEach, describe, expect, it } from 'vitest';
import type { AppStatus, HistoryPage, SaleDetail } from '../../../shared/contract';
import type { RefundView, SaleView } from '../../../shared/sale';
import type { SettingsView } from '../../../shared/settings';
import { CLIENT_KEY } from '../../unit/electron/service/support';
import { closeAll, qrShownOutsideAwaitingScan, startService, type ServiceHarness } from './support';

// TillService in training mode, end to end: the real engine, the journal in
// a real SQLite file and the in-process QFPay simulator on 127.0.0.1, every
// call made through ipc.ts's handler. What the cashier and the customer
// display are told along the way is checked as well as the outcomes.

afterEach(closeAll);

async function chargeShown(h: ServiceHarness, amountMinor = 1230): Promise<SaleView> {
  const sale = await h.value<SaleView>('charge', { amountMinor, currency: 'HKD', goodsName: 'Milk tea' });
  return h.waitFor(() => h.sales().find((s) => s.outTradeNo === sale.outTradeNo && s.state === 'awaiting_scan' && s.qrcode), `the QR of ${sale.outTradeNo}`);
}

const finalSale = (h: ServiceHarness, id: string) =>
  h.waitFor(() => h.sales().find((s) => s.outTradeNo === id && ['paid', 'failed', 'expired', 'cancelled'].includes(s.state)), `${id} to end`);

const finalRefund = (h: ServiceHarness, id: string) =>
  h.waitFor(
    () => h.broadcasts.find((b) => b.event === 'onRefund' && (b.payload as RefundView).outTradeNo === id && ['refunded', 'failed'].includes((b.payload as RefundView).state))?.payload as RefundView | undefined,
    `refund ${id} to end`,
  );

describe('a training-mode day through the contract', () => {
  it('start, charge, the customer pays, history, detail, refund', async () => {
    const h = await startService();

    const status = await h.value<AppStatus>('status');
    expect(status).toEqual({ mode: 'training', ready: true, keyStorage: 'none', openWork: 0, connection: { state: 'unknown', detail: null, sinceMs: expect.any(Number) } });
    expect(h.broadcasts.filter((b) => b.event === 'onStatus').at(-1)?.payload).toMatchObject({ ready: true });
    expect(h.displays().at(-1)).toMatchObject({ kind: 'idle', training: true });

    const shown = await chargeShown(h);
    expect(shown).toMatchObject({ amountMinor: 1230, currency: 'HKD', goodsName: 'Milk tea', training: true });
    expect(shown.qrcode).toMatch(/^weixin:\/\//);
    await h.waitFor(() => h.displays().find((d) => d.kind === 'qr'), 'the QR on the customer display');
    expect(h.displays().filter((d) => d.kind === 'qr').at(-1)).toEqual({
      kind: 'qr',
      merchantName: '',
      training: true,
      amountMinor: 1230,
      currency: 'HKD',
      qrcode: shown.qrcode,
      expiresAtMs: shown.expiresAtMs,
      remainingMs: expect.any(Number),
      lifetimeMs: shown.expiresAtMs! - shown.createdAtMs,
      // The wallet's branding on the customer display (issue 13): WeChat by default.
      payType: '800201',
    });
    expect(await h.value('currentSale')).toMatchObject({ outTradeNo: shown.outTradeNo, state: 'awaiting_scan' });
    expect(await h.call('displayState', undefined, 'customer')).toMatchObject({ ok: true, value: { kind: 'qr', qrcode: shown.qrcode } });
    expect(await h.call('charge', { amountMinor: 5, currency: 'HKD' })).toMatchObject({ ok: false, error: { code: 'sale_open', outTradeNo: shown.outTradeNo } });

    await h.value('simulateCustomerPayment', { outTradeNo: shown.outTradeNo });
    const paid = await finalSale(h, shown.outTradeNo);
    expect(paid).toMatchObject({ state: 'paid', qrcode: null });
    expect(await h.waitFor(() => h.displays().find((d) => d.kind === 'paid'), 'paid on the customer display')).toEqual({
      kind: 'paid',
      merchantName: '',
      training: true,
      amountMinor: 1230,
      currency: 'HKD',
    });

    const page = await h.value<HistoryPage>('history', {});
    expect(page.hasMore).toBe(false);
    expect(page.sales.map((s) => [s.outTradeNo, s.state])).toEqual([[shown.outTradeNo, 'paid']]);
    expect((await h.value<HistoryPage>('history', { amountMinor: 999 })).sales).toEqual([]);

    const detail = await h.value<SaleDetail>('saleDetail', { outTradeNo: shown.outTradeNo });
    expect(detail.sale.state).toBe('paid');
    expect(detail.refundableMinor).toBe(1230);
    expect(detail.events.length).toBeGreaterThan(2);
    expect(detail.events.some((e) => e.kind === 'exchange' && e.summary.startsWith('QFPay payment'))).toBe(true);
    expect(detail.events.some((e) => e.kind === 'transition' && e.summary.includes('paid'))).toBe(true);
    // Structured too, for the screen to translate.
    expect(detail.events.some((e) => e.kind === 'transition' && e.to === 'paid' && e.from !== undefined)).toBe(true);
    expect(detail.events.some((e) => e.kind === 'exchange' && e.endpoint === 'payment' && e.respcd === '0000' && typeof e.durationMs === 'number')).toBe(true);

    const refund = await h.value<RefundView>('refund', { saleOutTradeNo: shown.outTradeNo, amountMinor: 230 });
    expect(refund).toMatchObject({ saleOutTradeNo: shown.outTradeNo, amountMinor: 230 });
    expect(await finalRefund(h, refund.outTradeNo)).toMatchObject({ state: 'refunded' });
    const after = await h.value<SaleDetail>('saleDetail', { outTradeNo: shown.outTradeNo });
    expect(after.refundableMinor).toBe(1000);
    expect(after.refunds.map((r) => [r.outTradeNo, r.state])).toEqual([[refund.outTradeNo, 'refunded']]);
    expect(await h.call('refund', { saleOutTradeNo: shown.outTradeNo, amountMinor: 1001 })).toMatchObject({ ok: false, error: { code: 'exceeds_refundable' } });

    expect(qrShownOutsideAwaitingScan(h.broadcasts)).toEqual([]);
  });

  it('a cancelled sale and an expired one: the QR leaves the customer display and never comes back', async () => {
    const h = await startService();
    expect(await h.value<SettingsView>('updateSettings', { patch: { qrExpiryMinutes: 5, merchantName: 'Lucky Tea' } })).toMatchObject({ qrExpiryMinutes: 5, merchantName: 'Lucky Tea' });

    const first = await chargeShown(h);
    expect(await h.value<SaleView>('cancel', {})).toMatchObject({ outTradeNo: first.outTradeNo, state: 'cancelling', qrcode: null });
    expect(await finalSale(h, first.outTradeNo)).toMatchObject({ state: 'cancelled' });
    expect(await h.waitFor(() => h.displays().find((d) => d.kind === 'closed'), 'closed on the customer display')).toMatchObject({ reason: 'cancelled', merchantName: 'Lucky Tea' });

    const second = await chargeShown(h, 500);
    h.clock.advance(5 * 60_000 + 1_000);
    expect(await finalSale(h, second.outTradeNo)).toMatchObject({ state: 'expired', qrcode: null });
    await h.waitFor(() => h.displays().find((d) => d.kind === 'closed' && d.reason === 'expired'), 'expired on the customer display');

    const problems = qrShownOutsideAwaitingScan(h.broadcasts);
    expect(problems).toEqual([]);
    // Once a sale ended, no later display carries its QR.
    for (const sale of [first, second]) {
      const ended = h.broadcasts.findIndex((b) => b.event === 'onSale' && (b.payload as SaleView).outTradeNo === sale.outTradeNo && (b.payload as SaleView).state !== 'awaiting_scan' && (b.payload as SaleView).state !== 'requesting');
      expect(ended).toBeGreaterThan(0);
      expect(JSON.stringify(h.broadcasts.slice(ended).filter((b) => b.event === 'onDisplay'))).not.toContain(sale.qrcode!);
    }
    expect(await h.call('displayState', undefined, 'customer')).toMatchObject({ ok: true, value: { kind: 'closed' } });
  });

  it('a refund of an earlier sale while the next customer is scanning keeps their QR up', async () => {
    const h = await startService();
    const first = await chargeShown(h);
    await h.value('simulateCustomerPayment', { outTradeNo: first.outTradeNo });
    await finalSale(h, first.outTradeNo);
    const second = await chargeShown(h, 800);
    const refund = await h.value<RefundView>('refund', { saleOutTradeNo: first.outTradeNo });
    await finalRefund(h, refund.outTradeNo);
    // The engine re-emitted the first sale with its refund: the display must still be the second sale's QR.
    await h.waitFor(() => h.sales().find((s) => s.outTradeNo === first.outTradeNo && s.refundedMinor === 1230), 'the refunded sale view');
    expect(h.displays().at(-1)).toMatchObject({ kind: 'qr', qrcode: second.qrcode, amountMinor: 800 });
    expect(await h.call('displayState', undefined, 'customer')).toMatchObject({ ok: true, value: { kind: 'qr', qrcode: second.qrcode } });
    expect(qrShownOutsideAwaitingScan(h.broadcasts)).toEqual([]);
  });

  it('the customer display window can read its display state and nothing else', async () => {
    const h = await startService();
    expect((await h.call('displayState', undefined, 'customer')).ok).toBe(true);
    for (const [name, input] of [
      ['charge', { amountMinor: 100, currency: 'HKD' }],
      ['settings', undefined],
      ['history', {}],
      ['status', undefined],
      ['simulateCustomerPayment', { outTradeNo: 'S-X' }],
    ] as const) {
      expect(await h.call(name, input, 'customer')).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    }
    expect(await h.value('currentSale')).toBeNull();
  });
});

describe('switching mode', () => {
  it('is refused (busy) while a sale is open, and allowed once it has ended', async () => {
    // Going live needs a supervisor PIN (issue 10).
    const h = await startService({}, { pin: '2468' });
    const sale = await chargeShown(h);
    const change = { environment: 'test', appCode: 'ITESTAPPCODE0001', clientKey: CLIENT_KEY, mchid: 'MCH01', pin: '2468' };

    expect(await h.call('setCredentials', change)).toMatchObject({ ok: false, error: { code: 'busy' } });
    expect(h.settings.current.environment).toBe('training');
    expect(h.settings.clientKey()).toBeUndefined();
    expect(await h.value<AppStatus>('status')).toMatchObject({ mode: 'training', openWork: 1 });

    await h.value('cancel', { outTradeNo: sale.outTradeNo });
    await finalSale(h, sale.outTradeNo);
    const view = await h.value<SettingsView>('setCredentials', change);
    expect(view).toMatchObject({ environment: 'test', appCode: 'ITESTAPPCODE0001', mchid: 'MCH01', hasClientKey: true, keyStorage: 'encrypted' });
    expect(view).not.toHaveProperty('clientKeyEncrypted');
    // The test environment's journal is a different file: nothing from training shows there.
    expect(await h.value<AppStatus>('status')).toMatchObject({ mode: 'test', ready: true, keyStorage: 'encrypted', openWork: 0 });
    expect((await h.value<HistoryPage>('history', {})).sales).toEqual([]);
    expect(await h.call('simulateCustomerPayment', { outTradeNo: sale.outTradeNo })).toMatchObject({ ok: false, error: { code: 'training_only' } });

    // And back to training: the training journal still has the cancelled sale.
    expect(await h.value<SettingsView>('setCredentials', { environment: 'training', pin: '2468' })).toMatchObject({ environment: 'training', hasClientKey: true });
    expect(await h.value<AppStatus>('status')).toMatchObject({ mode: 'training', ready: true });
    expect((await h.value<HistoryPage>('history', {})).sales.map((s) => s.outTradeNo)).toEqual([sale.outTradeNo]);

    const everything = JSON.stringify([h.results, h.broadcasts]);
    expect(everything).not.toContain(CLIENT_KEY);
    expect(everything).not.toContain(h.box.encrypted[0]!);
    expect(everything).not.toContain('clientKeyEncrypted');
    expect(everything).not.toContain('pinHash');
  });
});
