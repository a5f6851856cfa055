import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SaleView } from '../../../shared/sale';
import { FAST_TIMING, closeAll, startService } from './support';

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

describe('scanned codes through the service', () => {
  it('the customer is asked for the code while the cashier scans; chargeCode pays with one request; the display says paid', async () => {
    const h = await startService({ tillOptions: { timing: FAST_TIMING, budgetPerMinute: 6000, simulator: { seed: 1, refundCutoffWindow: false, cpmPasswordMs: 300 } } });
    await h.value('showAmount', { amountMinor: 1230, currency: 'HKD', scanning: true });
    expect(h.displays().at(-1)).toMatchObject({ kind: 'show_code', amountMinor: 1230, waiting: false });
    const sale = await h.value<SaleView>('chargeCode', { amountMinor: 1230, currency: 'HKD', authCode: '134567890123456781' });
    expect(sale).toMatchObject({ payType: '800208', authCodeMasked: '**************6781' });
    // The simulator's customer confirms a password (code ending 1): meanwhile the display still asks for nothing new.
    await h.waitFor(() => h.displays().find((d) => d.kind === 'show_code' && d.waiting), 'show_code while the customer confirms');
    await h.waitFor(() => h.sales().find((s) => s.outTradeNo === sale.outTradeNo && s.state === 'paid'), 'paid');
    await h.waitFor(() => h.displays().find((d) => d.kind === 'paid'), 'the paid screen');
    expect(JSON.stringify(h.broadcasts)).not.toContain('134567890123456781');
  });

  it('a code that is neither wallet\'s is refused with field auth_code; the code is not echoed', async () => {
    const h = await startService();
    const refused = await h.call('chargeCode', { amountMinor: 1230, currency: 'HKD', authCode: '991234567890123456' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'auth_code' } });
    expect(JSON.stringify(refused)).not.toContain('991234567890123456');
  });
});
