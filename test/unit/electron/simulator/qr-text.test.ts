import { describe, expect, it } from 'vitest';
import { PAY_TYPES } from '../../../../electron/qfpay/pay-types';
import { crc16, qrTextFor } from '../../../../electron/simulator/qr-text';
import { seededRandom } from '../../../../electron/simulator/random';

// Each merchant-presented wallet's QR text as the simulator issues it.

describe('qrTextFor', () => {
  it('begins with the pay-type table\'s prefix for every merchant-presented type', () => {
    const random = seededRandom(3);
    for (const [code, info] of Object.entries(PAY_TYPES)) {
      if (info.presented !== 'merchant') continue;
      expect(qrTextFor(code, 1230, 'HKD', random).startsWith(info.qrPrefix)).toBe(true);
    }
  });

  it('is the same for the same seed (a failing test replays exactly)', () => {
    expect(qrTextFor('801501', 100, 'HKD', seededRandom(9))).toBe(qrTextFor('801501', 100, 'HKD', seededRandom(9)));
    expect(qrTextFor('801501', 100, 'HKD', seededRandom(9))).not.toBe(qrTextFor('801501', 100, 'HKD', seededRandom(10)));
  });

  it('writes FPS amounts in major units with the currency\'s decimals', () => {
    expect(qrTextFor('802001', 5, 'HKD', seededRandom(1))).toContain('54040.05');
    expect(qrTextFor('802001', 12345, 'HKD', seededRandom(1))).toContain('5406123.45');
    expect(qrTextFor('802001', 7, 'JPY', seededRandom(1))).toContain('54017');
  });
});

describe('crc16', () => {
  it('is CRC-16/CCITT-FALSE (check value of "123456789" is 29B1)', () => {
    expect(crc16('123456789')).toBe('29B1');
    expect(crc16('')).toBe('FFFF');
  });
});
