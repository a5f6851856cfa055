import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SaleView } from '../../../shared/sale';
import { closeAll, startService } from './support';

// Issue 13 through the contract: the wallets the merchant enabled in
// Settings, and the real-name check kept out of the log and the journal.

afterEach(closeAll);

function filesUnder(dir: string): Buffer[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [readFileSync(path)];
  });
}

describe('wallets through the service', () => {
  it('a wallet is refused until Settings enables it, then charged with its pay type', async () => {
    const h = await startService();
    expect(await h.call('charge', { amountMinor: 1230, currency: 'HKD', payType: '801501' })).toMatchObject({ ok: false, error: { code: 'pay_type_disabled', field: 'pay_type' } });
    await h.value('updateSettings', { patch: { mpmPayTypes: ['800201', '801501'] } });
    const sale = await h.value<SaleView>('charge', { amountMinor: 1230, currency: 'HKD', payType: '801501' });
    expect(sale.payType).toBe('801501');
    const shown = await h.waitFor(() => h.sales().find((s) => s.outTradeNo === sale.outTradeNo && s.qrcode), 'the Alipay QR');
    expect(shown.qrcode).toMatch(/^https:\/\/qr\.alipay\.com\//);
  });

  it('the real-name check: refused unless enabled; sent masked everywhere but the request; the log and the journal files never hold it', async () => {
    const h = await startService();
    const realName = { idCardNumber: '110101199003071233', name: '欧阳小明' };
    expect(await h.call('charge', { amountMinor: 1230, currency: 'HKD', realName })).toMatchObject({ ok: false, error: { code: 'pay_type_disabled', field: 'realName' } });
    await h.value('updateSettings', { patch: { realNamePayTypes: ['800201'] } });
    const bad = await h.call('charge', { amountMinor: 1230, currency: 'HKD', realName: { ...realName, idCardNumber: '110101199003071234' } });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'realName' } });
    expect(JSON.stringify(bad)).not.toContain('110101199003071234');
    const sale = await h.value<SaleView>('charge', { amountMinor: 1230, currency: 'HKD', realName });
    expect(sale.realNameChecked).toBe(true);
    await h.waitFor(() => h.sales().find((s) => s.outTradeNo === sale.outTradeNo && s.qrcode), 'the QR');
    await h.value('simulateCustomerPayment', { outTradeNo: sale.outTradeNo });
    await h.waitFor(() => h.sales().find((s) => s.outTradeNo === sale.outTradeNo && s.state === 'paid'), 'paid');
    // The journal's WAL and the log as they are on disk now: every write so far is in one or the other.
    const text = [JSON.stringify(h.broadcasts), JSON.stringify(h.results), ...filesUnder(h.dir).map((b) => b.toString('utf8'))].join('\n');
    for (const secret of [realName.idCardNumber, realName.name, '小明', '1990030712']) expect(text).not.toContain(secret);
  });
});
