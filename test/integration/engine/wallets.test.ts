import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SaleView } from '../../../shared/sale';
import type { PaymentSettings } from '../../../electron/till/charge-input';
import { NOON, clockAt, closeAll, exchanges, startExternalSimulator, tempDir, finalWithin, footprint, mustSimOrder, openTestTill, statePath, waitFor, type TestTill, type TestTillOptions } from './support';

// Issue 13 §2 and §5 in the engine: the merchant-presented wallets the
// merchant enabled, each cancelled the way its pay type is (close or
// reversal, from the pay-type table); FPS never refunded; the real-name
// check sent once as extend_info and kept nowhere unmasked.

afterEach(closeAll);

const ALL_MPM: PaymentSettings = { mpmPayTypes: ['800201', '801501', '800101', '802001', '805801'], realNamePayTypes: ['801501'], unifiedCpm: false, cpmWindowSeconds: 60 };

async function readyTill(payments: PaymentSettings = ALL_MPM, options: TestTillOptions = {}): Promise<TestTill> {
  const till = await openTestTill({ payments: () => payments, ...options });
  await till.engine.recover();
  return till;
}

async function shown(till: TestTill, payType: string, extra: { realName?: { idCardNumber: string; name: string } } = {}): Promise<SaleView> {
  const result = await till.engine.charge({ amountMinor: 1230, currency: 'HKD', payType, ...extra });
  if (!result.ok) throw new Error(`charge refused: ${JSON.stringify(result.error)}`);
  const id = result.value.outTradeNo;
  return waitFor(() => {
    const view = till.engine.saleViewOf(id);
    return view?.state === 'awaiting_scan' ? view : undefined;
  }, 2_500, `sale ${id} awaiting_scan`);
}

describe('merchant-presented wallets', () => {
  it('an Alipay HK sale is created with its pay type and shows the Alipay QR', async () => {
    const till = await readyTill();
    const sale = await shown(till, '801501');
    expect(sale.payType).toBe('801501');
    expect(sale.qrcode).toMatch(/^https:\/\/qr\.alipay\.com\//);
    expect(mustSimOrder(till.sim, sale.outTradeNo)).toMatchObject({ pay_type: '801501', paymentRequests: 1 });
    expect(till.journal.sale(sale.outTradeNo)!.payType).toBe('801501');
  });

  it('no pay type: the first wallet the merchant enabled', async () => {
    const till = await readyTill({ ...ALL_MPM, mpmPayTypes: ['805801', '800201'] });
    const result = await till.engine.charge({ amountMinor: 500, currency: 'HKD' });
    expect(result.ok && result.value.payType).toBe('805801');
  });

  it('a wallet not enabled in Settings is refused (pay_type_disabled) and nothing is written or sent', async () => {
    const till = await readyTill({ ...ALL_MPM, mpmPayTypes: ['800201'] });
    const before = footprint(till);
    const result = await till.engine.charge({ amountMinor: 500, currency: 'HKD', payType: '801501' });
    expect(result).toMatchObject({ ok: false, error: { code: 'pay_type_disabled', field: 'pay_type' } });
    const cpm = await till.engine.charge({ amountMinor: 500, currency: 'HKD', payType: '800208' });
    expect(cpm).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'pay_type' } });
    expect(footprint(till)).toEqual(before);
  });
});

describe('cancel by the pay type\'s method', () => {
  it('WeChat MPM: the cashier\'s cancel closes the order (no reversal)', async () => {
    const till = await readyTill();
    const sale = await shown(till, '800201');
    await till.engine.cancel();
    expect(await finalWithin(till, sale.outTradeNo)).toMatchObject({ state: 'cancelled' });
    expect(mustSimOrder(till.sim, sale.outTradeNo)).toMatchObject({ state: 'closed', reversalRequests: 0 });
    expect(mustSimOrder(till.sim, sale.outTradeNo).closeRequests).toBeGreaterThanOrEqual(1);
  });

  it('Alipay MPM: the cashier\'s cancel reverses the order, confirmed by query', async () => {
    const till = await readyTill();
    const sale = await shown(till, '801501');
    await till.engine.cancel();
    const final = await finalWithin(till, sale.outTradeNo);
    expect(final).toMatchObject({ state: 'cancelled', cancelReason: 'cashier', paidAfterCancel: false });
    const order = mustSimOrder(till.sim, sale.outTradeNo);
    expect(order).toMatchObject({ state: 'reversed', closeRequests: 0, paymentRequests: 1 });
    expect(order.reversalRequests).toBeGreaterThanOrEqual(1);
    expect(exchanges(till, sale.outTradeNo, 'close')).toHaveLength(0);
    expect(statePath(till, sale.outTradeNo)).toEqual(['requesting', 'awaiting_scan', 'cancelling', 'cancelled']);
  });

  it('Alipay MPM paid just before the cancel: the reversal answers "paid" and the sale is paid, loudly', async () => {
    const till = await readyTill();
    const sale = await shown(till, '800101');
    expect(till.sim.pay({ out_trade_no: sale.outTradeNo }).ok).toBe(true);
    await till.engine.cancel(sale.outTradeNo);
    expect(await finalWithin(till, sale.outTradeNo)).toMatchObject({ state: 'paid', paidAfterCancel: true });
    expect(mustSimOrder(till.sim, sale.outTradeNo)).toMatchObject({ state: 'paid', closeRequests: 0 });
  });

  it('Alipay MPM at expiry: expired, and never a close', async () => {
    const till = await readyTill(ALL_MPM, { expiredMinutes: 5 });
    const sale = await shown(till, '801501');
    till.clock.advance(5 * 60_000 + 1);
    till.engine['wakeFor'](sale.outTradeNo).fire();
    const final = await finalWithin(till, sale.outTradeNo);
    expect(final.state).toBe('expired');
    // The simulator shares the till's clock: the order expired there too, so no cancel at all is needed.
    expect(mustSimOrder(till.sim, sale.outTradeNo)).toMatchObject({ closeRequests: 0 });
  });

  it('recovery of an Alipay MPM sale whose QR is too old to show again: reversed, never closed', async () => {
    const clock = clockAt(NOON);
    const sim = await startExternalSimulator(clock);
    const dataDir = tempDir();
    const first = await readyTill(ALL_MPM, { clock, external: sim, dataDir });
    const sale = await shown(first, '801501');
    await first.close();
    // Back 4 min 45 s later: 15 s of a 5-minute QR left, too little to show it again.
    clock.advance(4 * 60_000 + 45_000);
    const second = await openTestTill({ payments: () => ALL_MPM, clock, external: sim, dataDir, timing: { parkAfterMs: 2_000 } });
    await second.engine.recover();
    const final = await finalWithin(second, sale.outTradeNo);
    expect(final.state).not.toBe('paid');
    const order = mustSimOrder(sim, sale.outTradeNo);
    expect(order).toMatchObject({ state: 'reversed', closeRequests: 0, paymentRequests: 1 });
  });
});

describe('refunds by pay type', () => {
  it('FPS: refused as not refundable, nothing written, nothing sent', async () => {
    const till = await readyTill();
    const sale = await shown(till, '802001');
    till.sim.pay({ out_trade_no: sale.outTradeNo });
    expect(await finalWithin(till, sale.outTradeNo)).toMatchObject({ state: 'paid', payType: '802001' });
    const before = footprint(till);
    const refund = await till.engine.refund({ saleOutTradeNo: sale.outTradeNo });
    expect(refund).toMatchObject({ ok: false, error: { code: 'not_refundable' } });
    expect(footprint(till)).toEqual(before);
  });

  it('Alipay MPM is refunded as WeChat is', async () => {
    const till = await readyTill();
    const sale = await shown(till, '801501');
    till.sim.pay({ out_trade_no: sale.outTradeNo });
    await finalWithin(till, sale.outTradeNo);
    const refund = await till.engine.refund({ saleOutTradeNo: sale.outTradeNo });
    expect(refund.ok).toBe(true);
  });
});

describe('the real-name check', () => {
  const realName = { idCardNumber: '110101199003071233', name: '欧阳小明' };
  const secrets = [realName.idCardNumber, realName.name, '小明', '1990030712'];

  it('not enabled for the pay type: pay_type_disabled on field realName, nothing written', async () => {
    const till = await readyTill();
    const before = footprint(till);
    const result = await till.engine.charge({ amountMinor: 500, currency: 'HKD', payType: '800201', realName });
    expect(result).toMatchObject({ ok: false, error: { code: 'pay_type_disabled', field: 'realName' } });
    expect(footprint(till)).toEqual(before);
  });

  it('a wrong ID number or name: invalid_input on field realName, the value never echoed, nothing written', async () => {
    const till = await readyTill();
    const before = footprint(till);
    const badId = { idCardNumber: '110101199003071234', name: '欧阳小明' };
    const checksum = await till.engine.charge({ amountMinor: 500, currency: 'HKD', payType: '801501', realName: badId });
    expect(checksum).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'realName', problem: 'id_checksum' } });
    expect(JSON.stringify(checksum)).not.toContain(badId.idCardNumber);
    const badName = await till.engine.charge({ amountMinor: 500, currency: 'HKD', payType: '801501', realName: { idCardNumber: realName.idCardNumber, name: 'x<script>' } });
    expect(badName).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'realName', problem: 'name_format' } });
    expect(JSON.stringify(badName)).not.toContain('script');
    expect(footprint(till)).toEqual(before);
  });

  it('sent once as extend_info; the journal file, events, views and log keep only the masked form; memory drops it at the end', async () => {
    const logged: string[] = [];
    const till = await readyTill(ALL_MPM, { onError: (where, error) => logged.push(`${where} ${String(error)}`) });
    const sale = await shown(till, '801501', { realName });
    expect(sale.realNameChecked).toBe(true);
    expect(till.engine['saleDriver'].personalHeld).toBe(1);
    const sent = exchanges(till, sale.outTradeNo, 'payment');
    expect(sent).toHaveLength(1);
    const request = (sent[0]!.data as { request: Record<string, string> }).request;
    expect(JSON.parse(request.extend_info!)).toEqual({ user_creid: '11**************33', user_truename: '欧***' });
    expect(till.journal.sale(sale.outTradeNo)!.realNameMasked).toBe(JSON.stringify({ idCardNumber: '11**************33', name: '欧***' }));
    till.sim.pay({ out_trade_no: sale.outTradeNo });
    const final = await finalWithin(till, sale.outTradeNo);
    expect(final).toMatchObject({ state: 'paid', realNameChecked: true });
    await waitFor(() => till.engine['saleDriver'].personalHeld === 0, 1_000, 'the plain real name dropped');

    const views = JSON.stringify(till.views);
    till.journal.db.pragma('wal_checkpoint(TRUNCATE)');
    const files = readdirSync(till.dataDir).map((name) => readFileSync(join(till.dataDir, name)));
    const text = [views, JSON.stringify(till.journal.events(sale.outTradeNo)), ...logged, ...files.map((b) => b.toString('utf8')), ...files.map((b) => b.toString('latin1'))].join('\n');
    for (const secret of secrets) expect(text).not.toContain(secret);
    // The ID number's digits as bytes anywhere in the file (any text encoding SQLite might use).
    for (const file of files) expect(file.includes(Buffer.from(realName.idCardNumber, 'utf16le'))).toBe(false);
  });
});
