import { useCallback, useEffect, useState, type CSSProperties } from 'react';
import { useTranslation } from 'react-i18next';
import { CURRENCIES, isCurrencyCode, type CurrencyCode } from '../../shared/currency';
import { isFinalSale, type SaleView } from '../../shared/sale';
import type { SettingsView } from '../../shared/settings';
import { TillError, till, unwrap } from '../lib/api';
import { money } from '../lib/format';
import { adaptEntry, entryAmountMinor, keyFromKeyboard, pressKey, type Key, type KeyRefusal } from '../lib/keypad';
import { CashTender } from './CashTender';
import { Keypad } from './Keypad';
import { SalePanel } from './SalePanel';

// The counter: type an amount, press Charge, watch the sale through. The
// physical keyboard does what the keypad does; Enter charges, Esc clears (or
// cancels an open sale), and Enter starts a new sale from a final screen.

interface Props {
  settings: SettingsView;
  sale: SaleView | null;
  ready: boolean;
  training: boolean;
  onDismiss: () => void;
}

export function ChargeScreen({ settings, sale, ready, training, onDismiss }: Props) {
  const { t } = useTranslation();
  const [entry, setEntry] = useState('');
  const [currency, setCurrency] = useState<CurrencyCode>(isCurrencyCode(settings.defaultCurrency) ? settings.defaultCurrency : 'HKD');
  const [goodsName, setGoodsName] = useState('');
  const [refusal, setRefusal] = useState<KeyRefusal | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  /** The Cash tender is open: it has the keyboard (Enter takes the cash, Esc goes back). */
  const [cashOpen, setCashOpen] = useState(false);
  const language = settings.language;
  const amountMinor = entryAmountMinor(entry, currency);

  const press = useCallback(
    (key: Key) => {
      setError(null);
      const result = pressKey(entry, key, currency);
      setRefusal('refused' in result ? result.refused : null);
      setEntry(result.entry);
    },
    [currency, entry],
  );

  const describe = useCallback(
    (e: unknown) => {
      if (e instanceof TillError) return t(`errors.${e.error.code}`, { defaultValue: e.error.message });
      return t('errors.internal');
    },
    [t],
  );

  const charge = useCallback(async () => {
    if (amountMinor === null || busy || !ready) return;
    setBusy(true);
    setError(null);
    try {
      await unwrap(till().charge({ amountMinor, currency, ...(goodsName.trim() ? { goodsName: goodsName.trim() } : {}) }));
      setEntry('');
      setGoodsName('');
    } catch (e) {
      setError(describe(e));
    } finally {
      setBusy(false);
    }
  }, [amountMinor, busy, currency, describe, goodsName, ready]);

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

  const saleOpen = sale !== null && !isFinalSale(sale.state);
  const saleFinal = sale !== null && isFinalSale(sale.state);

  // The customer display follows the keypad: the amount due while it is typed, and
  // coming back to the keypad takes the last sale's ending off the customer's screen.
  const typedAmount = sale === null ? amountMinor : undefined;
  useEffect(() => {
    if (typedAmount === undefined) return;
    void till().showAmount({ amountMinor: typedAmount, currency });
  }, [currency, typedAmount]);
  useEffect(() => () => void till().showAmount({ amountMinor: null, currency: 'HKD' }), []);

  useEffect(() => {
    const onKeyDown = (event: KeyboardEvent) => {
      if (cashOpen) return;
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
        if (event.key === 'Enter' || event.key === 'Escape') {
          event.preventDefault();
          onDismiss();
        }
        return;
      }
      if (event.key === 'Enter') {
        event.preventDefault();
        void charge();
        return;
      }
      if (event.key === 'Escape') {
        event.preventDefault();
        press('clear');
        return;
      }
      if (typing) return;
      const key = keyFromKeyboard(event.key, event.code);
      if (key) {
        event.preventDefault();
        press(key);
      }
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [cancel, cashOpen, charge, onDismiss, press, saleFinal, saleOpen]);

  if (sale) {
    return (
      <div className="charge charge-with-sale">
        <SalePanel sale={sale} language={language} training={training} busy={busy} onCancel={() => void cancel()} onSimulatePay={() => void simulatePay()} onNewSale={onDismiss} />
        {error ? <div className="error-banner" role="alert">{error}</div> : null}
      </div>
    );
  }

  const hint =
    refusal === 'too_large'
      ? t('keypad.tooLarge')
      : refusal === 'too_many_decimals'
        ? t('keypad.tooManyDecimals', { currency })
        : refusal === 'no_decimals'
          ? t('keypad.noDecimals', { currency })
          : null;

  return (
    <div className="charge">
      <section className="amount-panel">
        <div className="currency-row">
          <select
            aria-label={t('counter.currency')}
            className="currency-select"
            value={currency}
            onChange={(e) => {
              const next = e.target.value as CurrencyCode;
              setCurrency(next);
              setEntry((current) => adaptEntry(current, next));
            }}
          >
            {CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </div>
        <output
          className={`amount-display${amountMinor === null ? ' amount-empty' : ''}`}
          data-testid="amount"
          aria-live="polite"
          style={amountMinor === null ? undefined : ({ '--chars': money(amountMinor, currency, language).length } as CSSProperties)}
        >
          {amountMinor === null ? t('keypad.enterAmount') : money(amountMinor, currency, language)}
        </output>
        <div className="amount-minor">{amountMinor === null ? '\u00a0' : t('keypad.minorUnits', { minor: amountMinor, currency })}</div>
        <div className={`key-hint${hint ? ' key-hint-warn' : ''}`} role={hint ? 'alert' : undefined}>
          {hint ?? t('keypad.keyboardHint')}
        </div>
        <input className="goods-input" value={goodsName} maxLength={21} placeholder={t('keypad.goodsName')} aria-label={t('keypad.goodsName')} onChange={(e) => setGoodsName(e.target.value)} />
        <button type="button" className="btn btn-charge" disabled={amountMinor === null || busy || !ready || cashOpen} onClick={() => void charge()}>
          {t('keypad.charge')} {amountMinor !== null ? money(amountMinor, currency, language) : ''} <kbd>Enter</kbd>
        </button>
        {/* Cash needs no QFPay: open even while unfinished sales are still being checked. */}
        <button type="button" className="btn btn-cash" disabled={amountMinor === null || busy} onClick={() => setCashOpen(true)}>
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
            setEntry('');
            setGoodsName('');
          }}
        />
      ) : (
        <Keypad currency={currency} onKey={press} />
      )}
    </div>
  );
}
