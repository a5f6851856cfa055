// Every pay type the till knows, in one table (API.md, "Other pay types"):
// who shows the code, which wallet, how an unpaid order is cancelled, and
// whether QFPay refunds it. params.ts, the simulator and the engine all read
// this table, so a wallet's rules cannot drift between them.

export type Wallet = 'wechat' | 'alipay' | 'payme' | 'unionpay' | 'fps' | 'unified';
/** `merchant`: the till shows a QR the customer scans (MPM); `consumer`: the cashier scans the customer's code (CPM). */
export type Presented = 'merchant' | 'consumer';
/** API.md "Cancel an unpaid order": close for WeChat MPM and other qualified wallets, reversal for Alipay and CPM. */
export type CancelMethod = 'close' | 'reversal';

export interface PayTypeInfo {
  name: string;
  wallet: Wallet;
  presented: Presented;
  cancel: CancelMethod;
  /** FPS (802001) has no refunds at QFPay. */
  refundable: boolean;
  /**
   * MPM: how the wallet's QR text begins, for the display's branding and a
   * sanity check. Only WeChat's and Alipay's are the wallets' real forms;
   * the others are what the simulator issues (see electron/simulator/README.md).
   */
  qrPrefix?: string;
  /** What the customer display says above the QR or while the cashier scans. */
  prompt: { en: string; 'zh-Hant': string; 'zh-Hans': string };
}

const SHOW_CODE = { en: 'Please show your payment code', 'zh-Hant': '請出示付款碼', 'zh-Hans': '请出示付款码' };

export const PAY_TYPES = {
  '800201': {
    name: 'WeChat Pay merchant-presented QR',
    wallet: 'wechat',
    presented: 'merchant',
    cancel: 'close',
    refundable: true,
    qrPrefix: 'weixin://wxpay/bizpayurl?pr=',
    prompt: { en: 'Scan with WeChat', 'zh-Hant': '請用微信掃一掃', 'zh-Hans': '请用微信扫一扫' },
  },
  '800208': { name: 'WeChat Pay consumer-presented', wallet: 'wechat', presented: 'consumer', cancel: 'reversal', refundable: true, prompt: SHOW_CODE },
  '800101': {
    name: 'Alipay merchant-presented QR (overseas)',
    wallet: 'alipay',
    presented: 'merchant',
    cancel: 'reversal',
    refundable: true,
    qrPrefix: 'https://qr.alipay.com/',
    prompt: { en: 'Scan with Alipay', 'zh-Hant': '請用支付寶掃一掃', 'zh-Hans': '请用支付宝扫一扫' },
  },
  '801501': {
    name: 'Alipay merchant-presented QR (Hong Kong)',
    wallet: 'alipay',
    presented: 'merchant',
    cancel: 'reversal',
    refundable: true,
    qrPrefix: 'https://qr.alipay.com/',
    prompt: { en: 'Scan with AlipayHK', 'zh-Hant': '請用支付寶香港掃一掃', 'zh-Hans': '请用支付宝香港扫一扫' },
  },
  '800108': { name: 'Alipay consumer-presented', wallet: 'alipay', presented: 'consumer', cancel: 'reversal', refundable: true, prompt: SHOW_CODE },
  '805801': {
    name: 'PayMe merchant-presented QR',
    wallet: 'payme',
    presented: 'merchant',
    cancel: 'close',
    refundable: true,
    qrPrefix: 'https://qr.payme.hsbc.com.hk/2/',
    prompt: { en: 'Scan with PayMe', 'zh-Hant': '請用 PayMe 掃描', 'zh-Hans': '请用 PayMe 扫描' },
  },
  '800701': {
    name: 'UnionPay QuickPass merchant-presented QR',
    wallet: 'unionpay',
    presented: 'merchant',
    cancel: 'close',
    refundable: true,
    qrPrefix: 'https://qr.95516.com/',
    prompt: { en: 'Scan with UnionPay', 'zh-Hant': '請用雲閃付掃描', 'zh-Hans': '请用云闪付扫描' },
  },
  '802001': {
    name: 'FPS merchant-presented QR',
    wallet: 'fps',
    presented: 'merchant',
    cancel: 'close',
    refundable: false,
    // EMVCo merchant-presented payload (payload format 01, dynamic 12).
    qrPrefix: '000201010212',
    prompt: { en: 'Scan with your bank app (FPS)', 'zh-Hant': '請用銀行應用程式掃描（轉數快）', 'zh-Hans': '请用银行应用程序扫描（转数快）' },
  },
  '800008': {
    name: 'one consumer-presented code for several wallets',
    wallet: 'unified',
    presented: 'consumer',
    cancel: 'reversal',
    refundable: true,
    prompt: SHOW_CODE,
  },
} as const satisfies Record<string, PayTypeInfo>;

export type PayType = keyof typeof PAY_TYPES;
export const WECHAT_MPM: PayType = '800201';
export const WECHAT_CPM: PayType = '800208';
export const ALIPAY_CPM: PayType = '800108';
export const UNIFIED_CPM: PayType = '800008';

export function isPayType(value: string): value is PayType {
  return Object.prototype.hasOwnProperty.call(PAY_TYPES, value);
}

export function payTypeInfo(payType: string): PayTypeInfo | undefined {
  return isPayType(payType) ? PAY_TYPES[payType] : undefined;
}

/** Which wallet issued a customer's payment code, by its first two digits (WeChat 10–15, Alipay 25–30). */
export function walletOfAuthCode(code: string): 'wechat' | 'alipay' | undefined {
  if (!/^\d{2}/.test(code)) return undefined;
  const head = Number(code.slice(0, 2));
  if (head >= 10 && head <= 15) return 'wechat';
  if (head >= 25 && head <= 30) return 'alipay';
  return undefined;
}

/**
 * The CPM pay type for a scanned code: 800008 for any code when the merchant
 * uses QFPay's unified code (a Setting), else WeChat 800208 or Alipay 800108
 * by the code's first digits; undefined when the code is neither wallet's,
 * so the till can say so instead of sending it.
 */
export function payTypeForAuthCode(code: string, unifiedCpm: boolean): PayType | undefined {
  const wallet = walletOfAuthCode(code);
  if (!wallet) return undefined;
  if (unifiedCpm) return UNIFIED_CPM;
  return wallet === 'wechat' ? WECHAT_CPM : ALIPAY_CPM;
}

/** Whether a code may be paid with a CPM pay type (800008 takes either wallet's codes). */
export function authCodeFits(payType: string, code: string): boolean {
  const info = payTypeInfo(payType);
  if (!info || info.presented !== 'consumer') return false;
  const wallet = walletOfAuthCode(code);
  return wallet !== undefined && (info.wallet === 'unified' || info.wallet === wallet);
}

/**
 * Merchant-presented pay types (the till shows a QR), in the order the counter offers them: WeChat first.
 * (Object.keys lists numeric-looking keys in ascending order, which would put Alipay 800101 first.)
 */
export const MPM_PAY_TYPES = (Object.keys(PAY_TYPES) as PayType[]).filter((p) => PAY_TYPES[p].presented === 'merchant').sort((a, b) => Number(b === WECHAT_MPM) - Number(a === WECHAT_MPM));
/** Consumer-presented pay types (the cashier scans the customer's code). */
export const CPM_PAY_TYPES = (Object.keys(PAY_TYPES) as PayType[]).filter((p) => PAY_TYPES[p].presented === 'consumer');

/** Whether QFPay refunds sales of this pay type (FPS: no). Cash and unknown pay types: the till's own rules. */
export function isRefundablePayType(payType: string): boolean {
  return payTypeInfo(payType)?.refundable ?? true;
}
