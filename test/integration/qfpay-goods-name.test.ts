import { afterEach, describe, expect, it } from 'vitest';
import { chargeShown, closeAll, exchanges, footprint, mustSimOrder, openTestTill, type TestTill } from './engine/support';

// goods_name end to end: the cashier's note as typed is kept in the journal,
// and QFPay receives only letters and digits, at most 20 (API.md).

afterEach(closeAll);

async function readyTill(): Promise<TestTill> {
  const till = await openTestTill();
  await till.engine.recover();
  return till;
}

describe('the cashier note and goods_name', () => {
  it('a note with spaces and punctuation is charged; the journal keeps it, QFPay gets the cut-down name', async () => {
    const till = await readyTill();
    const note = 'Latte, large & to go! (x2)';
    const shown = await chargeShown(till, 1230, { goodsName: note });

    expect(till.journal.sale(shown.outTradeNo)!.goodsName).toBe(note);
    expect(mustSimOrder(till.sim, shown.outTradeNo).goods_name).toBe('Lattelargetogox2');
    const sent = exchanges(till, shown.outTradeNo, 'payment').map((e) => JSON.stringify(e));
    expect(sent.join('\n')).toContain('"goods_name":"Lattelargetogox2"');
  });

  it('a Chinese note of 22 characters is charged; QFPay gets its first 20', async () => {
    const till = await readyTill();
    const note = '珍珠奶茶大杯少冰半糖加椰果和布丁外帶兩杯謝謝';
    const shown = await chargeShown(till, 1230, { goodsName: note });
    expect(till.journal.sale(shown.outTradeNo)!.goodsName).toBe(note);
    expect(mustSimOrder(till.sim, shown.outTradeNo).goods_name).toBe(Array.from(note).slice(0, 20).join(''));
  });

  it('a note of punctuation only is charged without goods_name', async () => {
    const till = await readyTill();
    const shown = await chargeShown(till, 1230, { goodsName: '-- !! --' });
    expect(till.journal.sale(shown.outTradeNo)!.goodsName).toBe('-- !! --');
    expect(mustSimOrder(till.sim, shown.outTradeNo).goods_name).toBeUndefined();
  });

  it.each([
    ['a bidi override', 'Latte\u202eetaL'],
    ['a newline', 'Tea\nCake'],
    ['65 characters', 'x'.repeat(65)],
  ])('a note with %s is refused and nothing is written or sent', async (_what, note) => {
    const till = await readyTill();
    const before = footprint(till);
    const result = await till.engine.charge({ amountMinor: 1230, currency: 'HKD', goodsName: note });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid_input', field: 'goods_name' } });
    expect(footprint(till)).toEqual(before);
  });
});
