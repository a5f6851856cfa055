import { describe, expect, it } from 'vitest';
import {
  buildExtendInfo,
  checkRealName,
  maskAuthCode,
  maskExtendInfo,
  maskIdCardNumber,
  maskRealName,
  maskTrueName,
} from '../../../../electron/qfpay/real-name';
import { validateWire } from '../../../../electron/qfpay/params';

// The real-name check: what is accepted, and the only forms that may be logged.

const ID = '11010519491231002X'; // GB 11643's own example number
const ID2 = '110101199003071233';

describe('checkRealName', () => {
  it('accepts valid numbers (check character X or a digit) with a name', () => {
    expect(checkRealName({ idCardNumber: ID, name: '张三丰' })).toBeUndefined();
    expect(checkRealName({ idCardNumber: ID2, name: '王小明' })).toBeUndefined();
    expect(checkRealName({ idCardNumber: ID, name: '阿依古丽·买买提' })).toBeUndefined();
  });

  it.each([
    [{ idCardNumber: '11010519491231002', name: '张三' }, 'id_format'],
    [{ idCardNumber: '11010519491231002x', name: '张三' }, 'id_format'],
    [{ idCardNumber: '110105194912310021', name: '张三' }, 'id_checksum'],
    [{ idCardNumber: '110101199003071234', name: '张三' }, 'id_checksum'],
    [{ idCardNumber: ID, name: '' }, 'name_format'],
    [{ idCardNumber: ID, name: '张三1' }, 'name_format'],
  ])('%j is refused as %s', (realName, problem) => {
    expect(checkRealName(realName)).toBe(problem);
  });

  it('a mistyped ID number is refused before sending, and the refusal does not repeat the number', () => {
    const checked = validateWire('payment', {
      txamt: '100',
      txcurrcd: 'CNY',
      pay_type: '800201',
      out_trade_no: 'RN-1',
      txdtm: '2026-11-26 12:00:00',
      extend_info: buildExtendInfo({ idCardNumber: '110105194912310021', name: '张三' }),
    });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    expect(checked.error.field).toBe('extend_info.user_creid');
    expect(checked.error.message).not.toContain('110105194912310021');
    expect(checked.error.message).not.toContain('张三');
  });
});

describe('masking', () => {
  it('keeps 2 + 2 characters of the ID number, the first of the name, the last 4 of a payment code', () => {
    expect(maskIdCardNumber(ID)).toBe('11**************2X');
    expect(maskTrueName('张三丰')).toBe('张**');
    expect(maskTrueName('李')).toBe('*');
    expect(maskAuthCode('134567890123456789')).toBe('**************6789');
    expect(maskRealName({ idCardNumber: ID2, name: '王小明' })).toEqual({ idCardNumber: '11**************33', name: '王**' });
  });

  it('masks a sent extend_info; anything else than the expected object is hidden whole', () => {
    expect(JSON.parse(maskExtendInfo(buildExtendInfo({ idCardNumber: ID, name: '张三丰' })))).toEqual({ user_creid: '11**************2X', user_truename: '张**' });
    expect(maskExtendInfo(`{"user_creid":"${ID}"`)).toBe('***');
    expect(maskExtendInfo('null')).toBe('***');
    expect(maskExtendInfo(`["${ID}"]`)).toBe('***');
    const odd = maskExtendInfo(JSON.stringify({ user_creid: 11010519491231002, user_truename: '张三丰', other: ID }));
    expect(odd).not.toContain('1101051949');
    expect(odd).not.toContain(ID);
  });

  it('counts characters, not UTF-16 units, for a name outside the BMP', () => {
    expect(maskTrueName('𠮷野家')).toBe('𠮷**');
  });
});
