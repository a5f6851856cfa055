import { useCallback, useEffect, useRef, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { isCurrencyCode, type CurrencyCode } from '../../shared/currency';
import { isFinalSale, type SaleView } from '../../shared/sale';
import { CPM_PAY_TYPES, WECHAT_MPM, payTypeForAuthCode, type PayType } from '../../shared/pay-types';
import { maskRealName, type RealName } from '../../shared/real-name';
import { counterCurrencies, type SettingsView } from '../../shared/settings';
import { TillError, till, unwrap } from '../lib/api';
import { money } from '../lib/format';
import { EMPTY_ENTRY, adaptEntry, entryAmountMinor, keyFromKeyboard, pressKey, type Key, type KeyResult } from '../lib/keypad';
import { largeChargeReasons, typicalSales, type LargeReason } from '../lib/large-charge';
import { ScanBurstRecogniser, paymentCodeOf } from '../lib/scan-burst';
import { counterWallets, defaultWallet, rememberWallet } from '../lib/wallets';
import { ConfirmStep } from './ConfirmStep';
import { CashTender } from './CashTender';
import { Keypad } from './Keypad';
import { PaidReceiptActions, usePaidReceipt } from './ReceiptButtons';
import { RealNameEntry, realNameProblem, realNameToSend } from './RealNameEntry';
import { SalePanel } from './SalePanel';
import { ScanPanel } from './ScanPanel';
import { WalletPicker } from './WalletPicker';

// The counter: type an amount, press Charge, watch the sale through. The
// physical keyboard does what the keypad does; Enter charges, Esc clears (or
// cancels an open sale), and Enter starts a new sale from a final screen.
// A barcode scanner's burst is never typed (see scan-burst.ts): after an
// amount it is the customer's payment code and takes the payment (issue 13),
// as the Scan button's field does. A charge far above the owner's limit or
// the till's usual sale is confirmed on a second step.

interface Props {
  settings: SettingsView;
  sale: SaleView | null;
  ready: boolean;
  training: boolean;
  onDismiss: () => void;
}

/** What a burst's first key found, restored when the burst turns out to be a scan. */
interface Snapshot {
  keys: KeyResult;
  goodsName: string;
}

/** What the large-charge step confirms: a QR charge, opening scan mode, or a code the scanner already sent. */
type Next = { kind: 'charge' } | { kind: 'scan' } | { kind: 'code'; code: string };

export function ChargeScreen({ settings, sale, ready, training, onDismiss }: Props) {
  const { t } = useTranslation();
  const currencies = counterCurrencies(settings);
  const [keys, setKeysState] = useState<KeyResult>(EMPTY_ENTRY);
  const [currency, setCurrency] = useState<CurrencyCode>(isCurrencyCode(settings.defaultCurrency) ? settings.defaultCurrency : 'HKD');
  const [goodsName, setGoodsNameState] = useState('');
  const [scanned, setScanned] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [confirming, setConfirmingState] = useState<{ reasons: LargeReason[]; next: Next } | null>(null);
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
  const [medians, setMedians] = useState<Partial<Record<CurrencyCode, number>>>({});
  // The keyboard handler reads these refs: a scanner's keys arrive faster than React re-renders.
  const keysRef = useRef(keys);
  const goodsRef = useRef(goodsName);
  const snapshot = useRef<Snapshot>({ keys: EMPTY_ENTRY, goodsName: '' });
  const recogniser = useRef(new ScanBurstRecogniser());
  /** The Cash tender is open: it has the keyboard (Enter takes the cash, Esc goes back). */
  const [cashOpen, setCashOpen] = useState(false);
  const language = settings.language;
  const entry = keys.entry;
  const amountMinor = entryAmountMinor(entry, currency);
  const receipt = usePaidReceipt(sale, settings, training);

  const setKeys = useCallback((next: KeyResult) => {
    keysRef.current = next;
    setKeysState(next);
  }, []);
  const setGoodsName = useCallback((next: string) => {
    goodsRef.current = next;
    setGoodsNameState(next);
  }, []);
  const confirmingRef = useRef(confirming);
  const setConfirming = useCallback((next: { reasons: LargeReason[]; next: Next } | null) => {
    confirmingRef.current = next;
    setConfirmingState(next);
  }, []);
  /** A sale was created: the entry, the note and the payer's ID go (the ID must not outlive the sale). */
  const clearAfterSale = useCallback((sent?: RealName) => {
    setSentRealName(sent ? maskRealName(sent) : null);
    setKeys(EMPTY_ENTRY);
    setGoodsName('');
    setRealName(null);
    setScanMode(false);
    setScanError(null);
  }, [setGoodsName, setKeys]);

  const press = useCallback(
    (key: Key) => {
      setError(null);
      setScanned(false);
      setKeys(pressKey(keysRef.current, key, currency));
    },
    [currency, setKeys],
  );

  // The till's typical sale, from the recent history, refreshed after each sale ends.
  const saleEnded = sale !== null && isFinalSale(sale.state);
  useEffect(() => {
    let live = true;
    void till()
      .history({ limit: 200 })
      .then((r) => live && r.ok && setMedians(typicalSales(r.value.sales)));
    return () => {
      live = false;
    };
  }, [saleEnded]);

  const describe = useCallback(
    (e: unknown) => {
      if (e instanceof TillError) {
        // The engine's word that a code is neither wallet's says what the cashier can do about it.
        if (e.error.code === 'invalid_input' && e.error.field === 'auth_code') return t('pay.unknownCode');
        return t(`errors.${e.error.code}`, { defaultValue: e.error.message });
      }
      return t('errors.internal');
    },
    [t],
  );

  // The real-name check is offered for the picked QR wallet, or in scan mode for any scanned wallet the merchant enabled it for.
  const realNameFor = (payType: string) => settings.realNamePayTypes.includes(payType as PayType);
  const realNameOffered = scanMode ? CPM_PAY_TYPES.some(realNameFor) : realNameFor(wallet);
  /** The entry's problem as a message, or null: a half-typed ID stops the charge instead of being dropped. */
  const realNameRefusal = (): string | null => {
    const problem = realNameOffered && realName ? realNameProblem(realName) : undefined;
    return problem ? t(`pay.realName.${problem}`) : null;
  };
  const goods = () => (goodsName.trim() ? { goodsName: goodsName.trim() } : {});

  const submit = useCallback(async () => {
    if (amountMinor === null || busy || !ready) return;
    setConfirming(null);
    const refusal = realNameRefusal();
    if (refusal) return setError(refusal);
    setBusy(true);
    setError(null);
    try {
      // One wallet, WeChat: the contract's default, sent as before.
      const payType = wallets.length > 1 || wallet !== WECHAT_MPM ? { payType: wallet } : {};
      const named = realNameOffered ? realNameToSend(realName) : undefined;
      await unwrap(till().charge({ amountMinor, currency, ...goods(), ...payType, ...(named ? { realName: named } : {}) }));
      if (wallets.length > 1) rememberWallet(wallet);
      clearAfterSale(named);
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  }, [amountMinor, busy, currency, describe, goodsName, ready, realName, realNameOffered, wallet, wallets.length]);

  /** The customer's scanned code: checked here first (a code of no wallet is never sent), then charged. */
  const submitCode = useCallback(
    async (code: string) => {
      const amount = entryAmountMinor(keysRef.current.entry, currency);
      if (amount === null || busy || !ready) return;
      setConfirming(null);
      setScanError(null);
      const authCode = paymentCodeOf(code);
      const payType = authCode ? payTypeForAuthCode(authCode, settings.unifiedCpm) : undefined;
      if (!authCode || !payType) {
        setScanMode(true);
        return setScanError(t('pay.unknownCode'));
      }
      // The payer's ID goes with the code only when this wallet has the check, and only whole and valid.
      const named = realNameFor(payType) ? realNameToSend(realName) : undefined;
      const problem = named ? realNameProblem(named) : undefined;
      if (problem) {
        setScanMode(true);
        return setScanError(t(`pay.realName.${problem}`));
      }
      setBusy(true);
      try {
        await unwrap(till().chargeCode({ amountMinor: amount, currency, ...goods(), authCode, ...(named ? { realName: named } : {}) }));
        clearAfterSale(named);
      } catch (e) {
        setScanMode(true);
        setScanError(describe(e));
      } finally {
        setBusy(false);
      }
    },
    [busy, currency, describe, goodsName, ready, realName, settings.unifiedCpm],
  );

  /** Runs `next` now, or after the large-charge step when the amount asks for one. */
  const proceed = useCallback(
    (next: Next) => {
      const amount = entryAmountMinor(keysRef.current.entry, currency);
      if (amount === null || busy || !ready) return;
      const reasons = largeChargeReasons(amount, currency, settings, medians);
      if (reasons.length > 0) return setConfirming({ reasons, next });
      if (next.kind === 'charge') void submit();
      else if (next.kind === 'scan') setScanMode(true);
      else void submitCode(next.code);
    },
    [busy, currency, medians, ready, settings, setConfirming, submit, submitCode],
  );
  const confirmed = () => {
    const next = confirmingRef.current?.next;
    setConfirming(null);
    if (next?.kind === 'charge') void submit();
    else if (next?.kind === 'scan') setScanMode(true);
    else if (next?.kind === 'code') void submitCode(next.code);
  };
  const charge = useCallback(() => proceed({ kind: 'charge' }), [proceed]);
  const leaveScan = useCallback(() => {
    setScanMode(false);
    setScanError(null);
  }, []);

  const cancel = useCallback(async () => {
    if (!sale) return;
    setBusy(true);
    try {
      await unwrap(till().cancel({ outTradeNo: sale.outTradeNo }));
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  }, [describe, sale]);

  const simulatePay = useCallback(async () => {
    if (!sale) return;
    try {
      await unwrap(till().simulateCustomerPayment({ outTradeNo: sale.outTradeNo }));
    } catch (e) {
      setError(describe(e));
    }
  }, [describe, sale]);

  /** Back to the keypad: the masked real-name line of the sale goes with it. */
  const dismiss = useCallback(() => {
    setSentRealName(null);
    onDismiss();
  }, [onDismiss]);

  const saleOpen = sale !== null && !isFinalSale(sale.state);
  const saleFinal = sale !== null && isFinalSale(sale.state);

  // The customer display follows the keypad: the amount due while it is typed, and
  // coming back to the keypad takes the last sale's ending off the customer's screen.
  // In scan mode it asks the customer for their payment code; leaving scan mode says so (scanning: false).
  const typedAmount = sale === null ? amountMinor : undefined;
  const shownScanning = useRef(false);
  useEffect(() => {
    if (typedAmount === undefined) return;
    const scanning = scanMode && typedAmount !== null;
    const flag = scanning || shownScanning.current ? { scanning } : {};
    shownScanning.current = scanning;
    void till().showAmount({ amountMinor: typedAmount, currency, ...flag });
  }, [currency, scanMode, typedAmount]);
  // Leaving the Charge screen drops the payer's ID with everything else typed (the state goes with the component).
  useEffect(() => () => void till().showAmount({ amountMinor: null, currency: 'HKD' }), []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (cashOpen) return;
      if (scanMode) {
        // The scan panel's field takes the code and its Enter; Esc anywhere leaves scan mode.
        if (event.key === 'Escape') {
          event.preventDefault();
          leaveScan();
        }
        return;
      }
      // A key held down repeats every 25–35 ms, as fast as a scanner: the browser marks those repeats, a scanner never does.
      const verdict = event.repeat ? ({ kind: 'key', startsRun: false } as const) : recogniser.current.feed(event.key, event.timeStamp);
      if (verdict.kind !== 'key') {
        // A scanner, not a person: nothing it sent is typed, and its Enter charges nothing.
        event.preventDefault();
        if (verdict.kind === 'burst') {
          setKeys(snapshot.current.keys);
          setGoodsName(snapshot.current.goodsName);
          // Without an amount a code has nothing to pay: say so (with an amount, its Enter takes the payment).
          if (entryAmountMinor(snapshot.current.keys.entry, currency) === null) setScanned(true);
        }
        if (verdict.kind === 'scanned' && !saleOpen && !saleFinal && !confirmingRef.current) {
          if (entryAmountMinor(keysRef.current.entry, currency) === null) setScanned(true);
          else proceed({ kind: 'code', code: verdict.code });
        }
        return;
      }
      if (verdict.startsRun) snapshot.current = { keys: keysRef.current, goodsName: goodsRef.current };
      const target = event.target as HTMLElement | null;
      const typing = target && (target.tagName === 'INPUT' || target.tagName === 'SELECT' || target.tagName === 'TEXTAREA');
      if (saleOpen) {
        if (event.key === 'Escape') {
          event.preventDefault();
          void cancel();
        }
        return;
      }
      if (saleFinal) {
        // Receipts on request: the first Enter on the paid screen prints, the next starts a new sale.
        if (event.key === 'Enter' && receipt.pending) {
          event.preventDefault();
          void receipt.print();
          return;
        }
        if (event.key === 'Enter' || event.key === 'Escape') {
          event.preventDefault();
          dismiss();
        }
        return;
      }
      if (confirming) {
        // Only the confirm button confirms; Esc goes back to the amount.
        if (event.key === 'Escape') setConfirming(null);
        if (event.key === 'Escape' || event.key === 'Enter') event.preventDefault();
        return;
      }
      if (event.key === 'Enter') {
        event.preventDefault();
        charge();
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        press('clear');
        return;
      }
      if (typing) {
        setScanned(false);
        return;
      }
      const key = keyFromKeyboard(event.key, event.code);
      if (key) {
        event.preventDefault();
        press(key);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [cancel, cashOpen, charge, confirming, currency, dismiss, leaveScan, press, proceed, receipt, saleFinal, saleOpen, scanMode, setGoodsName, setKeys]);

  if (sale) {
    return (
      <div className="charge charge-with-sale">
        <SalePanel
          sale={sale}
          language={language}
          training={training}
          busy={busy}
          onCancel={() => void cancel()}
          realNameShown={sentRealName}
          onSimulatePay={() => void simulatePay()}
          onNewSale={dismiss}
          paidExtra={<PaidReceiptActions receipt={receipt} settings={settings} training={training} />}
        />
        {error ? <div className="error-banner" role="alert">{error}</div> : null}
      </div>
    );
  }

  if (confirming && amountMinor !== null) {
    const shown = money(amountMinor, currency, language);
    return (
      <div className="charge charge-confirm">
        <ConfirmStep
          title={t('counter.confirmTitle')}
          confirmLabel={t('counter.confirmCharge', { amount: shown })}
          backLabel={t('counter.back')}
          tone="charge"
          busy={busy}
          onConfirm={confirmed}
          onBack={() => setConfirming(null)}
        >
          <output className="confirm-amount" data-testid="confirm-amount">
            {shown}
          </output>
          <ul className="confirm-reasons">
            {confirming.reasons.map((r) => (
              <li key={r.kind}>
                {r.kind === 'limit'
                  ? t('counter.confirmAbove', { limit: money(r.limitMinor, currency, language) })
                  : t('counter.confirmTypical', { median: money(r.medianMinor, currency, language) })}
              </li>
            ))}
          </ul>
        </ConfirmStep>
      </div>
    );
  }

  const refusal = 'refused' in keys ? keys.refused : null;
  const hint = scanned
    ? t('pay.amountFirst')
    : refusal === 'too_large'
      ? t('keypad.tooLarge')
      : refusal === 'too_many_decimals'
        ? t('keypad.tooManyDecimals', { currency })
        : refusal === 'no_decimals'
          ? t('keypad.noDecimals', { currency })
          : null;

  return (
    <div className="charge">
      <section className="amount-panel">
        {currencies.length > 1 ? (
          <div className="currency-row">
            <select
              aria-label={t('counter.currency')}
              className="currency-select"
              value={currency}
              onChange={(e) => {
                const next = e.target.value as CurrencyCode;
                setCurrency(next);
                setKeys({ entry: adaptEntry(keysRef.current.entry, next) });
              }}
            >
              {currencies.map((c) => (
                <option key={c} value={c}>
                  {c}
                </option>
              ))}
            </select>
          </div>
        ) : null}
        <output
          className={`amount-display${amountMinor === null ? ' amount-empty' : ''}`}
          data-testid="amount"
          aria-live="polite"
          style={amountMinor === null ? undefined : ({ '--chars': money(amountMinor, currency, language).length } as CSSProperties)}
        >
          {amountMinor === null ? t('keypad.enterAmount') : money(amountMinor, currency, language)}
        </output>
        <div className={`key-hint${hint ? ' key-hint-warn' : ''}${scanned ? ' key-hint-scan' : ''}`} role={hint ? 'alert' : undefined}>
          {hint ?? t('keypad.keyboardHint')}
        </div>
        {/* The QR wallets are no choice for a scanned code: its digits say whose it is. */}
        {scanMode ? null : <WalletPicker wallets={wallets} value={wallet} onChange={setWallet} />}
        <input className="goods-input" value={goodsName} maxLength={64} placeholder={t('keypad.goodsName')} aria-label={t('keypad.goodsName')} onChange={(e) => setGoodsName(e.target.value)} />
        {realNameOffered ? <RealNameEntry value={realName} onChange={setRealName} /> : null}
        <button type="button" className="btn btn-charge" disabled={amountMinor === null || busy || !ready || cashOpen || scanMode} onClick={charge}>
          {t('keypad.charge')} {amountMinor !== null ? money(amountMinor, currency, language) : ''} <kbd>Enter</kbd>
        </button>
        {/* Cash needs no QFPay: open even while unfinished sales are still being checked. */}
        <button type="button" className="btn btn-cash" disabled={amountMinor === null || busy || scanMode} onClick={() => setCashOpen(true)}>
          {t('cash.tender')}
        </button>
        {!ready ? <div className="info-banner">{t('app.starting')}</div> : null}
        {error ? <div className="error-banner" role="alert">{error}</div> : null}
      </section>
      {cashOpen && amountMinor !== null ? (
        <CashTender
          amountMinor={amountMinor}
          currency={currency}
          goodsName={goodsName}
          language={language}
          onBack={() => setCashOpen(false)}
          onPaid={() => {
            setCashOpen(false);
            setKeys(EMPTY_ENTRY);
            setGoodsName('');
          }}
        />
      ) : scanMode && amountMinor !== null ? (
        <ScanPanel busy={busy} error={scanError} onCode={(code) => void submitCode(code)} onBack={leaveScan} />
      ) : (
        <Keypad currency={currency} onKey={press} onScan={amountMinor !== null && ready && !busy ? () => proceed({ kind: 'scan' }) : undefined} />
      )}
    </div>
  );
}
