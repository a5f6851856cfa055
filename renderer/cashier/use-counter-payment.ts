import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { CurrencyCode } from '../../shared/currency';
import { CPM_PAY_TYPES, WECHAT_MPM, payTypeForAuthCode, type PayType } from '../../shared/pay-types';
import { maskRealName, type RealName } from '../../shared/real-name';
import type { SettingsView } from '../../shared/settings';
import { till, unwrap } from '../lib/api';
import { paymentCodeOf } from '../lib/scan-burst';
import { counterWallets, defaultWallet, rememberWallet } from '../lib/wallets';
import { realNameProblem, realNameToSend } from './RealNameEntry';

// How the Charge screen takes a payment (issue 13): the QR wallet picked with
// one tap (the last used remembered on this machine), scan mode for the
// customer's payment code, and the payer's real-name entry, which lives only
// here until the sale exists (then only its masked form, for the sale panel).

interface Options {
  settings: SettingsView;
  currency: CurrencyCode;
  ready: boolean;
  busy: boolean;
  setBusy: (busy: boolean) => void;
  /** The typed amount now (read from the screen's ref: a scanner's keys come faster than renders). */
  amountNow: () => number | null;
  goodsName: string;
  setError: (text: string | null) => void;
  describe: (e: unknown) => string;
  /** The sale exists: the screen drops what was typed for it. */
  onCreated: () => void;
}

export function useCounterPayment({ settings, currency, ready, busy, setBusy, amountNow, goodsName, setError, describe, onCreated }: Options) {
  const { t } = useTranslation();
  const wallets = counterWallets(settings.mpmPayTypes);
  const [walletPick, setWallet] = useState<PayType>(() => defaultWallet(wallets));
  // Settings may have taken the picked wallet away: then the first enabled one.
  const wallet = wallets.includes(walletPick) ? walletPick : (wallets[0] ?? WECHAT_MPM);
  /** Scan mode: the customer's code is scanned into the panel in place of the keypad. */
  const [scanMode, setScanMode] = useState(false);
  const [scanError, setScanError] = useState<string | null>(null);
  /** The payer's real-name entry (null: none). Never leaves this screen except in the charge itself. */
  const [realName, setRealName] = useState<RealName | null>(null);
  /** What went with the sale on screen, masked (the entry itself is gone): shown back on its sale panel. */
  const [sentRealName, setSentRealName] = useState<RealName | null>(null);

  // The real-name check is offered for the picked QR wallet, or in scan mode for any scanned wallet the merchant enabled it for.
  const realNameFor = (payType: string) => settings.realNamePayTypes.includes(payType as PayType);
  const realNameOffered = scanMode ? CPM_PAY_TYPES.some(realNameFor) : realNameFor(wallet);
  const goods = goodsName.trim() ? { goodsName: goodsName.trim() } : {};

  /** A sale was created (or paid in cash): the payer's ID goes with everything typed for it. */
  const created = useCallback(
    (sent?: RealName) => {
      setSentRealName(sent ? maskRealName(sent) : null);
      setRealName(null);
      setScanMode(false);
      setScanError(null);
      onCreated();
    },
    [onCreated],
  );

  /** Charge by the picked wallet's QR. */
  const charge = async () => {
    const amountMinor = amountNow();
    if (amountMinor === null || busy || !ready) return;
    // A half-typed ID stops the charge instead of being dropped.
    const problem = realNameOffered && realName ? realNameProblem(realName) : undefined;
    if (problem) return setError(t(`pay.realName.${problem}`));
    setBusy(true);
    setError(null);
    try {
      // One wallet, WeChat: the contract's default, sent as before.
      const payType = wallets.length > 1 || wallet !== WECHAT_MPM ? { payType: wallet } : {};
      const named = realNameOffered ? realNameToSend(realName) : undefined;
      await unwrap(till().charge({ amountMinor, currency, ...goods, ...payType, ...(named ? { realName: named } : {}) }));
      if (wallets.length > 1) rememberWallet(wallet);
      created(named);
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  };

  /** The customer's scanned code: checked here first (a code of no wallet is never sent), then charged. */
  const chargeCode = async (code: string) => {
    const amountMinor = amountNow();
    if (amountMinor === null || busy || !ready) return;
    setScanError(null);
    setScanMode(true);
    const authCode = paymentCodeOf(code);
    const payType = authCode ? payTypeForAuthCode(authCode, settings.unifiedCpm) : undefined;
    if (!authCode || !payType) return setScanError(t('pay.unknownCode'));
    // The payer's ID goes with the code only when this wallet has the check, and only whole and valid.
    const named = realNameFor(payType) ? realNameToSend(realName) : undefined;
    const problem = named ? realNameProblem(named) : undefined;
    if (problem) return setScanError(t(`pay.realName.${problem}`));
    setBusy(true);
    try {
      await unwrap(till().chargeCode({ amountMinor, currency, ...goods, authCode, ...(named ? { realName: named } : {}) }));
      created(named);
    } catch (e) {
      setScanError(describe(e));
    } finally {
      setBusy(false);
    }
  };

  return {
    wallets,
    wallet,
    setWallet,
    scanMode,
    scanError,
    enterScan: () => setScanMode(true),
    leaveScan: useCallback(() => {
      setScanMode(false);
      setScanError(null);
    }, []),
    realName,
    setRealName,
    realNameOffered,
    /** The masked real-name line of the current sale; forget() when the cashier moves on. */
    sentRealName,
    forgetSent: () => setSentRealName(null),
    created,
    charge,
    chargeCode,
  };
}
