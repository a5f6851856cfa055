import { decimalsOf, isCurrencyCode } from '../../shared/currency';
import { payTypeInfo } from '../qfpay/pay-types';
import { randomCode, randomDigits, type Random } from './random';

// The QR text /payment answers for each merchant-presented pay type. WeChat's
// and Alipay's are the wallets' real forms; PayMe's, UnionPay's and FPS's are
// plausible forms made up for the simulator (README: "simulator-only"), each
// beginning with the prefix pay-types.ts records, so the display can brand it.

const LOWER = 'abcdefghijklmnopqrstuvwxyz0123456789';

function lowerCode(random: Random, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += LOWER[Math.floor(random() * LOWER.length)];
  return out;
}

export function qrTextFor(payType: string, txamt: number, currency: string, random: Random): string {
  switch (payTypeInfo(payType)?.wallet) {
    case 'alipay':
      // Alipay's own order QR: https://qr.alipay.com/bax0… (lower-case letters and digits).
      return `https://qr.alipay.com/bax0${lowerCode(random, 20)}`;
    case 'payme':
      return `https://qr.payme.hsbc.com.hk/2/${randomCode(random, 22)}`;
    case 'unionpay':
      return `https://qr.95516.com/00010000/${randomDigits(random, 20)}`;
    case 'fps':
      return fpsPayload(txamt, currency, randomDigits(random, 9));
    default:
      return `weixin://wxpay/bizpayurl?pr=${randomCode(random, 7)}`;
  }
}

const tlv = (id: string, value: string) => `${id}${String(value.length).padStart(2, '0')}${value}`;
const NUMERIC_CURRENCY: Readonly<Record<string, string>> = { HKD: '344', CNY: '156', USD: '840' };

/** An EMVCo merchant-presented payload with HKICL's FPS identifier and a valid CRC (simulator-only merchant data). */
function fpsPayload(txamt: number, currency: string, proxy: string): string {
  const decimals = isCurrencyCode(currency) ? decimalsOf(currency) : 2;
  const digits = String(txamt).padStart(decimals + 1, '0');
  const amount = decimals === 0 ? digits : `${digits.slice(0, -decimals)}.${digits.slice(-decimals)}`;
  const body =
    tlv('00', '01') +
    tlv('01', '12') +
    tlv('26', tlv('00', 'hk.com.hkicl') + tlv('02', proxy)) +
    tlv('52', '0000') +
    tlv('53', NUMERIC_CURRENCY[currency] ?? '344') +
    tlv('54', amount) +
    tlv('58', 'HK') +
    tlv('59', 'SIMULATOR') +
    tlv('60', 'HONG KONG') +
    '6304';
  return body + crc16(body);
}

/** CRC-16/CCITT-FALSE over the payload's bytes, as EMVCo specifies for tag 63. */
export function crc16(text: string): string {
  let crc = 0xffff;
  for (const byte of new TextEncoder().encode(text)) {
    crc ^= byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? ((crc << 1) ^ 0x1021) & 0xffff : (crc << 1) & 0xffff;
  }
  return crc.toString(16).toUpperCase().padStart(4, '0');
}
