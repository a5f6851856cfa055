import { afterEach, describe, expect, it } from 'vitest';
import type { DisplayState } from '../../../shared/display';
import { DISPLAY_FINAL_MS } from '../../../electron/service/till-service';
import type { DrawerStatus } from '../../../shared/cash';
import type { TillReport } from '../../../shared/reports';
import type { SaleView } from '../../../shared/sale';
import { closeAll, startService } from './support';

// Cash through the cashier window's IPC: a cash sale and its float need no
// PIN (the cashier's own work), paid in and paid out do (money moves
// without a sale), and the Z takes the counted cash.

afterEach(closeAll);

const PIN = '2468';

describe('cash through IPC', { timeout: 60_000 }, () => {
  it('a cash sale without PIN; paid out refused without or with a wrong PIN and written with the right one; the Z takes the count', async () => {
    const h = await startService({}, { pin: PIN });
    const sale = await h.call<SaleView>('chargeCash', { amountMinor: 1230, currency: 'HKD', tenderedMinor: 2000, openingFloatMinor: 10000 });
    expect(sale).toMatchObject({ ok: true, value: { state: 'paid', cash: { tenderedMinor: 2000, changeMinor: 770 } } });
    expect(await h.call('chargeCash', { amountMinor: 1230, currency: 'HKD', tenderedMinor: 1000 })).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'tendered' } });

    const out = { kind: 'paid_out', currency: 'HKD', amountMinor: 500, reason: 'milk' };
    expect(await h.call('drawerMove', out)).toMatchObject({ ok: false, error: { code: 'pin_required' } });
    expect(await h.call('drawerMove', { ...out, pin: '1111' })).toMatchObject({ ok: false, error: { code: 'pin_wrong' } });
    expect(await h.call<DrawerStatus>('drawerStatus', { currency: 'HKD' })).toEqual({ ok: true, value: { currency: 'HKD', needsFloat: false, expectedMinor: 11230 } });
    expect(await h.call('drawerMove', { ...out, pin: PIN })).toEqual({ ok: true, value: { currency: 'HKD', needsFloat: false, expectedMinor: 10730 } });

    h.clock.advance(1000);
    const z = await h.call<TillReport>('zReport', { pin: PIN, counted: [{ currency: 'HKD', countedMinor: 10800 }] });
    expect(z.ok && z.value.drawer).toEqual([expect.objectContaining({ currency: 'HKD', expectedMinor: 10730, countedMinor: 10800, differenceMinor: 70 })]);
    expect(await h.call<DrawerStatus>('drawerStatus', { currency: 'HKD' })).toMatchObject({ ok: true, value: { needsFloat: true, expectedMinor: 0 } });
  });

  it('the customer display shows a cash sale paid with the change, once: its refund later does not show it again', async () => {
    const h = await startService();
    const sale = await h.call<SaleView>('chargeCash', { amountMinor: 1230, currency: 'HKD', tenderedMinor: 2000, openingFloatMinor: 0 });
    expect(await h.call<DisplayState>('displayState')).toMatchObject({ ok: true, value: { kind: 'paid', amountMinor: 1230, changeMinor: 770 } });
    h.clock.advance(DISPLAY_FINAL_MS + 1);
    await expect.poll(async () => ((await h.call<DisplayState>('displayState')) as { value: DisplayState }).value.kind).toBe('idle');
    expect(await h.call('refund', { saleOutTradeNo: sale.ok ? sale.value.outTradeNo : '', amountMinor: 230 })).toMatchObject({ ok: true, value: { state: 'refunded' } });
    expect(await h.call<DisplayState>('displayState')).toMatchObject({ ok: true, value: { kind: 'idle' } });
  });
});
