import { useCallback, useEffect, useRef, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { isCurrencyCode, type CurrencyCode } from '../../shared/currency';
import { isFinalSale, type SaleView } from '../../shared/sale';
import { counterCurrencies, type SettingsView } from '../../shared/settings';
import { TillError, till, unwrap } from '../lib/api';
import { money } from '../lib/format';
import { EMPTY_ENTRY, adaptEntry, entryAmountMinor, keyFromKeyboard, pressKey, type Key, type KeyResult } from '../lib/keypad';
import { largeChargeReasons, typicalSales, type LargeReason } from '../lib/large-charge';
import { ScanBurstRecogniser } from '../lib/scan-burst';
import { ConfirmStep } from './ConfirmStep';
import { CashTender } from './CashTender';
import { Keypad } from './Keypad';
import { PaidReceiptActions, usePaidReceipt } from './ReceiptButtons';
import { RealNameEntry } from './RealNameEntry';
import { SalePanel } from './SalePanel';
import { ScanPanel } from './ScanPanel';
import { WalletPicker } from './WalletPicker';
import { useCounterPayment } from './use-counter-payment';

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
  /** A sale was created: the entry and the note go (the payer's ID too: the hook drops it). */
  const clearEntry = useCallback(() => {
    setKeys(EMPTY_ENTRY);
    setGoodsName('');
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

  const pay = useCounterPayment({
    settings,
    currency,
    ready,
    busy,
    setBusy,
    amountNow: () => entryAmountMinor(keysRef.current.entry, currency),
    goodsName,
    setError,
    describe,
    onCreated: clearEntry,
  });
  const { scanMode, leaveScan } = pay;

  /** Runs `next` now, or after the large-charge step when the amount asks for one. */
  const go = (next: Next) => {
    if (next.kind === 'charge') void pay.charge();
    else if (next.kind === 'scan') pay.enterScan();
    else void pay.chargeCode(next.code);
  };
  const proceed = (next: Next) => {
    const amount = entryAmountMinor(keysRef.current.entry, currency);
    if (amount === null || busy || !ready) return;
    const reasons = largeChargeReasons(amount, currency, settings, medians);
    if (reasons.length > 0) setConfirming({ reasons, next });
    else go(next);
  };
  const confirmed = () => {
    const next = confirmingRef.current?.next;
    setConfirming(null);
    if (next) go(next);
  };
  const charge = () => proceed({ kind: 'charge' });

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
  const dismiss = () => {
    pay.forgetSent();
    onDismiss();
  };

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
          return;
        }
        // A scan while the cashier's last tap left the focus elsewhere: the field takes it (focus moved in keydown gets the character).
        const into = event.target as HTMLElement | null;
        if (/^\d$/.test(event.key) && into?.tagName !== 'INPUT') document.querySelector<HTMLInputElement>('.scan-input')?.focus();
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
  });

  if (sale) {
    return (
      <div className="charge charge-with-sale">
        <SalePanel
          sale={sale}
          language={language}
          training={training}
          busy={busy}
          onCancel={() => void cancel()}
          realNameShown={pay.sentRealName}
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
        {scanMode ? null : <WalletPicker wallets={pay.wallets} value={pay.wallet} onChange={pay.setWallet} />}
        <input className="goods-input" value={goodsName} maxLength={64} placeholder={t('keypad.goodsName')} aria-label={t('keypad.goodsName')} onChange={(e) => setGoodsName(e.target.value)} />
        {pay.realNameOffered ? <RealNameEntry value={pay.realName} onChange={pay.setRealName} /> : null}
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
            pay.created();
          }}
        />
      ) : scanMode && amountMinor !== null ? (
        <ScanPanel busy={busy} error={pay.scanError} onCode={(code) => void pay.chargeCode(code)} onBack={leaveScan} />
      ) : (
        <Keypad currency={currency} onKey={press} onScan={amountMinor !== null && ready && !busy ? () => proceed({ kind: 'scan' }) : undefined} />
      )}
    </div>
  );
}
