import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineResult } from '../../../electron/till/engine';
import { chargeShown, closeAll, finalWithin, footprint, openTestTill, paidSale, setFaults, type TestTill } from './support';

// Hostile inputs to the engine's entry points: each gets a typed error that
// names the problem, and none writes a journal row or sends a request.
// (The IPC layer validates with zod first; the engine must not rely on it:
// the command line and tests call it directly.)

let till: TestTill;
let paidId: string;
let failedId: string;

beforeAll(async () => {
  till = await openTestTill();
  await till.engine.recover();
  paidId = (await paidSale(till, 1000)).outTradeNo;
  setFaults(till.sim, { payment: { respcd: '1205', count: 1 } });
  const failed = await till.engine.charge({ amountMinor: 500, currency: 'HKD' });
  if (!failed.ok) throw new Error('charge refused');
  failedId = failed.value.outTradeNo;
  if ((await finalWithin(till, failedId)).state !== 'failed') throw new Error('setup: the sale did not fail');
});
afterAll(closeAll);

type Case = [name: string, call: () => Promise<EngineResult<unknown>>, code: string, field?: string];

// Values a typed caller cannot write but a JavaScript one can.
const loose = <T>(value: unknown) => value as T;

const charge = (input: Record<string, unknown>) => () => till.engine.charge(loose({ amountMinor: 1000, currency: 'HKD', ...input }));
const refund = (input: Record<string, unknown>) => () => till.engine.refund(loose({ saleOutTradeNo: paidId, ...input }));

const cases: Case[] = [
  ['charge amountMinor 0', charge({ amountMinor: 0 }), 'invalid_input', 'txamt'],
  ['charge amountMinor -5', charge({ amountMinor: -5 }), 'invalid_input', 'txamt'],
  ['charge amountMinor 1.5', charge({ amountMinor: 1.5 }), 'invalid_input', 'txamt'],
  ['charge amountMinor NaN', charge({ amountMinor: NaN }), 'invalid_input', 'txamt'],
  ['charge amountMinor Infinity', charge({ amountMinor: Infinity }), 'invalid_input', 'txamt'],
  ['charge amountMinor 1e12', charge({ amountMinor: 1e12 }), 'invalid_input', 'txamt'],
  ["charge amountMinor '100' (a string)", charge({ amountMinor: '100' }), 'invalid_input', 'txamt'],
  ['charge amountMinor missing', charge({ amountMinor: undefined }), 'invalid_input', 'txamt'],
  ["charge currency 'XXX'", charge({ currency: 'XXX' }), 'invalid_input', 'txcurrcd'],
  ["charge currency 'hkd'", charge({ currency: 'hkd' }), 'invalid_input', 'txcurrcd'],
  ["charge currency ''", charge({ currency: '' }), 'invalid_input', 'txcurrcd'],
  ["charge currency 'constructor'", charge({ currency: 'constructor' }), 'invalid_input', 'txcurrcd'],
  ['charge goodsName with a newline', charge({ goodsName: 'Tea\nCake' }), 'invalid_input', 'goods_name'],
  ['charge goodsName with a bidi override', charge({ goodsName: 'Tea\u202eekaC' }), 'invalid_input', 'goods_name'],
  ['charge goodsName of 70 characters', charge({ goodsName: 'x'.repeat(70) }), 'invalid_input', 'goods_name'],
  ['charge goodsName a number', charge({ goodsName: 123 }), 'invalid_input', 'goods_name'],
  ['charge expiredMinutes 4', charge({ expiredMinutes: 4 }), 'invalid_input', 'expired_time'],
  ['charge expiredMinutes 121', charge({ expiredMinutes: 121 }), 'invalid_input', 'expired_time'],
  ['charge expiredMinutes 30.5', charge({ expiredMinutes: 30.5 }), 'invalid_input', 'expired_time'],
  ["charge expiredMinutes '30' (a string)", charge({ expiredMinutes: '30' }), 'invalid_input', 'expired_time'],
  ['charge with no input object', () => till.engine.charge(loose(null)), 'invalid_input'],
  ['cancel of an unknown id', () => till.engine.cancel('till-01-S000000000000NOPE00'), 'not_found'],
  ['cancel of a final sale', () => till.engine.cancel(failedId), 'not_cancellable'],
  ['cancel of a paid sale', () => till.engine.cancel(paidId), 'not_cancellable'],
  ['cancel with a number for an id', () => till.engine.cancel(loose(42)), 'not_found'],
  ['refund of an unknown id', () => till.engine.refund({ saleOutTradeNo: 'till-01-S000000000000NOPE00' }), 'not_found'],
  ['refund with no sale id', refund({ saleOutTradeNo: undefined }), 'not_found'],
  ['refund amount 0', refund({ amountMinor: 0 }), 'invalid_input', 'txamt'],
  ['refund amount -1', refund({ amountMinor: -1 }), 'invalid_input', 'txamt'],
  ['refund amount 2.5', refund({ amountMinor: 2.5 }), 'invalid_input', 'txamt'],
  ['refund amount NaN', refund({ amountMinor: NaN }), 'invalid_input', 'txamt'],
  ["refund amount '100' (a string)", refund({ amountMinor: '100' }), 'invalid_input', 'txamt'],
  ['refund amount null (not "everything")', refund({ amountMinor: null }), 'invalid_input', 'txamt'],
  ['refund more than was paid', refund({ amountMinor: 1001 }), 'exceeds_refundable', 'txamt'],
  ['refund amount 1e12', refund({ amountMinor: 1e12 }), 'exceeds_refundable', 'txamt'],
  ['refund of a failed sale', () => till.engine.refund({ saleOutTradeNo: failedId }), 'not_paid'],
  ['refund with no input object', () => till.engine.refund(loose(undefined)), 'invalid_input'],
];

describe('hostile inputs to charge, cancel and refund', () => {
  it('covers at least 20 cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(20);
  });

  it.each(cases)('%s → refused, nothing written or sent', async (_name, call, code, field) => {
    const before = footprint(till);
    const result = await call();
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.error.code).toBe(code);
    if (field) expect(result.error.field).toBe(field);
    expect(result.error.message.length).toBeGreaterThan(0);
    expect(footprint(till)).toEqual(before);
  });

  it('cancel with an empty id does not cancel the open sale', async () => {
    const open = await chargeShown(till, 300);
    const before = footprint(till);
    const result = await till.engine.cancel('');
    expect(result.ok === false && result.error.code).toBe('not_found');
    expect(footprint(till)).toEqual(before);
    expect(till.journal.sale(open.outTradeNo)!.state).toBe('awaiting_scan');
    till.sim.pay({ out_trade_no: open.outTradeNo });
    expect((await finalWithin(till, open.outTradeNo)).state).toBe('paid');
  });
});
