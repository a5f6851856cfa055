import { describe, expect, it } from 'vitest';
import { checkGoodsNote, checkOutgoingGoodsName, goodsNameForWire } from '../../../../electron/qfpay/goods-name';
import { validateWire } from '../../../../electron/qfpay/params';

// goods_name as QFPay's page words it: no more than 20 letters or digits, no
// special characters, Chinese allowed. The cashier's note is cut down to that.

const utf8 = (text: string) => new TextEncoder().encode(text).length;

describe('goodsNameForWire', () => {
  it.each([
    ['Latte, large & to go!', 'Lattelargetogo'],
    ['Milk tea', 'Milktea'],
    ['珍珠奶茶 大杯', '珍珠奶茶大杯'],
    ['咖啡 Latte-2', '咖啡Latte2'],
    ['<script>alert(1)</script>', 'scriptalert1script'],
    ['Tea=Cake&x="y"', 'TeaCakexy'],
    ['Ｌａｔｔｅ２', 'Latte2'],
    ['  Café  ', 'Café'],
    ['Tea\u202eaet', 'Teaaet'],
    ['Lat\u200bte\n', 'Latte'],
  ])('%j → %j', (note, name) => {
    expect(goodsNameForWire(note)).toBe(name);
  });

  it('keeps an accent written as a combining mark with its letter (NFKC composes it)', () => {
    expect(goodsNameForWire('Cafe\u0301 au lait')).toBe('Caféaulait');
  });

  it('drops a combining mark that follows nothing it was kept with', () => {
    expect(goodsNameForWire('\u0301Tea - \u0301x')).toBe('Teax');
  });

  it('keeps Thai vowel signs (combining marks) with their letters', () => {
    expect(goodsNameForWire('ชาเย็น ใหญ่')).toBe('ชาเย็นใหญ่');
  });

  it('cuts to 20 letters or digits', () => {
    expect(goodsNameForWire('Large iced caramel macchiato with oat milk')).toBe('Largeicedcaramelmacc');
    expect(Array.from(goodsNameForWire('咖'.repeat(30))!)).toHaveLength(20);
  });

  it('stays within the field\'s 64 bytes even for characters outside the BMP', () => {
    const name = goodsNameForWire('𠀀'.repeat(30))!;
    expect(utf8(name)).toBeLessThanOrEqual(64);
    expect(name).toBe('𠀀'.repeat(16));
  });

  it.each([undefined, null, '', '   ', '!!! ---', '\u0301'])('%j leaves the field out', (note) => {
    expect(goodsNameForWire(note)).toBeUndefined();
  });

  it('always produces a name the wire rules and the till\'s own rule accept', () => {
    for (const note of ['Latte, large & to go!', '珍珠奶茶 大杯', '𠀀'.repeat(30), 'Ｌａｔｔｅ２', 'ชาเย็น ใหญ่']) {
      const name = goodsNameForWire(note)!;
      expect(checkOutgoingGoodsName(name)).toBeUndefined();
      const wire = { txamt: '100', txcurrcd: 'HKD', pay_type: '800201', out_trade_no: 'G1', txdtm: '2026-03-01 10:15:00', goods_name: name };
      expect(validateWire('payment', wire).ok).toBe(true);
    }
  });
});

describe('checkOutgoingGoodsName: what the till itself may send', () => {
  it.each([
    ['Milk tea', 'format'],
    ['Tea&Cake', 'format'],
    ['a'.repeat(21), 'range'],
    ['咖'.repeat(21), 'range'],
  ] as const)('%j is refused (%s)', (name, reason) => {
    expect(checkOutgoingGoodsName(name)).toMatchObject({ field: 'goods_name', reason });
  });

  it.each(['Milktea', '珍珠奶茶大杯', 'a'.repeat(20), 'Latte2'])('%j is sent as it is', (name) => {
    expect(checkOutgoingGoodsName(name)).toBeUndefined();
  });
});

describe('checkGoodsNote: what a cashier may write', () => {
  it.each(['Latte, large & to go!', '咖'.repeat(22), '珍珠奶茶 (大杯) 少冰', 'x'.repeat(64), "O'Brien's \"special\""])('%j is accepted', (note) => {
    expect(checkGoodsNote(note)).toBeUndefined();
  });

  it.each([
    ['Tea\nCake', 'format'],
    ['Latte\u0000', 'format'],
    ['Latte\u202eetaL', 'format'],
    ['Lat\u200bte', 'format'],
    ['x'.repeat(65), 'range'],
  ] as const)('%j is refused (%s)', (note, reason) => {
    expect(checkGoodsNote(note)).toMatchObject({ field: 'goods_name', reason });
  });
});
