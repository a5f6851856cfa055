import { afterEach, describe, expect, it } from 'vitest';
import type { AppStatus } from '../../../shared/contract';
import type { SaleView } from '../../../shared/sale';
import type { FetchLike } from '../../../electron/qfpay/client';
import { emptyFaultPlan } from '../../../electron/simulator/faults';
import { closeAll, FAST_TIMING, startService, type ServiceHarness } from './support';

// Issue 12, the customer display and the connection, through the service:
// the amount due while the cashier types, a final screen that does not
// linger into the next sale, a countdown that never exceeds the QR's life,
// and "cannot reach QFPay" told to the cashier within seconds.

afterEach(closeAll);

async function chargeShown(h: ServiceHarness, amountMinor = 1230): Promise<SaleView> {
  const sale = await h.value<SaleView>('charge', { amountMinor, currency: 'HKD' });
  return h.waitFor(() => h.sales().find((s) => s.outTradeNo === sale.outTradeNo && s.state === 'awaiting_scan' && s.qrcode), `the QR of ${sale.outTradeNo}`);
}

describe('the customer display follows the cashier', () => {
  it('while the cashier types, the amount due with the shop name; Charge replaces it with the QR; clearing goes idle', async () => {
    const h = await startService();
    await h.value('updateSettings', { patch: { merchantName: 'Lucky Tea' } });
    await h.value('showAmount', { amountMinor: 1230, currency: 'HKD' });
    expect(h.displays().at(-1)).toEqual({ kind: 'due', merchantName: 'Lucky Tea', training: true, amountMinor: 1230, currency: 'HKD', wallets: ['wechat', 'alipay'] });
    expect(await h.call('displayState', undefined, 'customer')).toMatchObject({ ok: true, value: { kind: 'due', amountMinor: 1230 } });
    await h.value('showAmount', { amountMinor: null, currency: 'HKD' });
    expect(h.displays().at(-1)).toMatchObject({ kind: 'idle', merchantName: 'Lucky Tea' });

    await h.value('showAmount', { amountMinor: 800, currency: 'HKD' });
    const sale = await chargeShown(h, 800);
    const qr = await h.waitFor(() => h.displays().find((d) => d.kind === 'qr'), 'the QR');
    expect(qr).toMatchObject({ kind: 'qr', qrcode: sale.qrcode, merchantName: 'Lucky Tea' });
    // The QR's countdown data never exceeds its lifetime (the screen once showed 30:01).
    if (qr.kind !== 'qr') throw new Error('not a QR');
    expect(qr.lifetimeMs).toBe(sale.expiresAtMs! - sale.createdAtMs);
    expect(qr.remainingMs).toBeLessThanOrEqual(qr.lifetimeMs);
    // While a sale is open, the keypad's amount never replaces its QR.
    await h.value('showAmount', { amountMinor: 5, currency: 'HKD' });
    expect(h.displays().at(-1)).toMatchObject({ kind: 'qr' });
    await h.value('cancel', {});
  });

  it('a failed sale\'s screen comes down as soon as the cashier types the next amount (not 8 s later)', async () => {
    const h = await startService();
    // QFPay refuses to create the order (a definitive failure; a customer's declined attempt leaves an MPM order payable).
    h.service.current!.simulator!.setFaults({ ...emptyFaultPlan(), endpoints: { payment: { respcd: '1205', count: 1 } } });
    await h.value<SaleView>('charge', { amountMinor: 1230, currency: 'HKD' });
    await h.waitFor(() => h.displays().find((d) => d.kind === 'closed' && d.reason === 'failed'), 'failed on the customer display');
    const before = h.displays().length;
    await h.value('showAmount', { amountMinor: 450, currency: 'HKD' });
    expect(h.displays().at(-1)).toMatchObject({ kind: 'due', amountMinor: 450 });
    expect(await h.call('displayState', undefined, 'customer')).toMatchObject({ ok: true, value: { kind: 'due' } });
    // Back at an empty keypad (a new sale without typing yet): idle, not the old failure.
    await h.value('showAmount', { amountMinor: null, currency: 'HKD' });
    expect(h.displays().slice(before).map((d) => d.kind)).toEqual(['due', 'idle']);
  });
});

describe('what the shop takes, on the idle screen', () => {
  it('follows Settings: enabling QR wallets names them at once (WeChat first, AlipayHK as Alipay, no pay types)', async () => {
    const h = await startService();
    expect(await h.call('displayState', undefined, 'customer')).toMatchObject({ ok: true, value: { kind: 'idle', wallets: ['wechat', 'alipay'] } });
    await h.value('updateSettings', { patch: { mpmPayTypes: ['800201', '801501', '805801', '802001'] } });
    expect(h.displays().at(-1)).toMatchObject({ kind: 'idle', wallets: ['wechat', 'alipay', 'payme', 'fps'] });
    expect(await h.call('displayState', undefined, 'customer')).toMatchObject({ ok: true, value: { kind: 'idle', wallets: ['wechat', 'alipay', 'payme', 'fps'] } });
    expect(JSON.stringify(h.displays().at(-1))).not.toMatch(/80\d{4}/);
  });
});

describe('connection to QFPay', () => {
  it('a transport failure is "offline" on the status at once, with the error; an answer brings it back online', async () => {
    let reachable = true;
    const fetch: FetchLike = (url, init) =>
      reachable ? (globalThis.fetch as unknown as FetchLike)(url, init) : Promise.reject(Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } }));
    const h = await startService({ tillOptions: { timing: FAST_TIMING, budgetPerMinute: 6000, simulator: { seed: 1, refundCutoffWindow: false }, fetch } });
    const statuses = () => h.broadcasts.filter((b) => b.event === 'onStatus').map((b) => b.payload as AppStatus);
    expect((await h.value<AppStatus>('status')).connection.state).not.toBe('offline');

    reachable = false;
    const started = Date.now();
    await h.value<SaleView>('charge', { amountMinor: 1230, currency: 'HKD' });
    const offline = await h.waitFor(() => statuses().find((s) => s.connection.state === 'offline'), 'offline on the status');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(offline.connection.detail).toBe('fetch failed (ECONNREFUSED)');
    expect((await h.value<AppStatus>('status')).connection).toMatchObject({ state: 'offline', detail: 'fetch failed (ECONNREFUSED)' });

    reachable = true;
    await h.waitFor(() => statuses().at(-1)?.connection.state === 'online', 'online again');
    await h.value('cancel', {}).catch(() => undefined);
  });
});
