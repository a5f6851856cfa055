import { MPM_PAY_TYPES, WECHAT_MPM, payTypeInfo, type PayType } from '../../shared/pay-types';

// Each wallet as the screens show it: its translated name and brand colour
// (text and colour only, no trademark images), and the wallet the cashier
// last charged with on this machine, offered first next time.

export type WalletName = 'wechat' | 'alipay' | 'alipayhk' | 'payme' | 'unionpay' | 'fps' | 'unified';

/**
 * Brand colours, each with the text colour that reads on it at 4.5:1 or
 * better (axe on the customer display): WeChat's green with near-black, the
 * others darkened where white on the brand's own shade would fall short.
 */
export const WALLET_COLOURS: Readonly<Record<WalletName, { bg: string; fg: string }>> = {
  wechat: { bg: '#07c160', fg: '#0b1f14' },
  alipay: { bg: '#1162d4', fg: '#ffffff' },
  alipayhk: { bg: '#1162d4', fg: '#ffffff' },
  payme: { bg: '#c8000f', fg: '#ffffff' },
  unionpay: { bg: '#00508e', fg: '#ffffff' },
  fps: { bg: '#1d3c6e', fg: '#ffffff' },
  unified: { bg: '#333333', fg: '#ffffff' },
};

/** The wallet's name key (pay.wallets.*): AlipayHK apart from Alipay, as the customer knows them; unknown pay types as WeChat. */
export function walletName(payType: string | undefined): WalletName {
  if (payType === '801501') return 'alipayhk';
  return payTypeInfo(payType ?? WECHAT_MPM)?.wallet ?? 'wechat';
}

const LAST_WALLET_KEY = 'till.lastWallet';

/** localStorage when the window has one (a test may run without it, or it may be full): never throws. */
function storage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** The wallet to offer: the last one used on this machine if it is still enabled, else the first enabled (WeChat first). */
export function defaultWallet(enabled: readonly PayType[]): PayType {
  let last: string | null = null;
  try {
    last = storage()?.getItem(LAST_WALLET_KEY) ?? null;
  } catch {
    last = null;
  }
  const choice = enabled.find((p) => p === last);
  return choice ?? enabled[0] ?? WECHAT_MPM;
}

export function rememberWallet(payType: PayType): void {
  try {
    storage()?.setItem(LAST_WALLET_KEY, payType);
  } catch {
    // A full or refused store only costs the next sale's default.
  }
}

/**
 * The QR pay types in the order the counter and Settings offer them: WeChat
 * first, the two Alipays together, then PayMe, UnionPay, FPS. MPM_PAY_TYPES
 * only moves WeChat first: pay types are integer-like keys, which JavaScript
 * lists in numeric order (AlipayHK's 801501 after UnionPay's 800701).
 */
const RANK: readonly PayType[] = ['800201', '800101', '801501', '805801', '800701', '802001'];
export const QR_WALLETS: readonly PayType[] = [...MPM_PAY_TYPES].sort((a, b) => rank(a) - rank(b));
function rank(payType: PayType): number {
  const at = RANK.indexOf(payType);
  return at < 0 ? RANK.length : at;
}

/** The enabled QR wallets, WeChat first (whatever order the settings file holds them in). */
export function counterWallets(enabled: readonly string[]): PayType[] {
  return QR_WALLETS.filter((p) => enabled.includes(p));
}
