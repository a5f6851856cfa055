import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { changeOf } from '../../shared/cash';
import { parseMajorAmount, type CurrencyCode } from '../../shared/currency';
import type { Language } from '../../shared/settings';
import { TillError, till, unwrap } from '../lib/api';
import { money } from '../lib/format';

// The Cash tender: the cashier types what the customer handed over and the
// till shows the change; less than the amount due is refused here and again
// in the engine. At the first cash sale since a Z the drawer's opening float
// is asked for in the same step. No network: the sale is paid when this returns.

interface Props {
  amountMinor: number;
  currency: CurrencyCode;
  goodsName: string;
  language: Language;
  onPaid: () => void;
  onBack: () => void;
}

/** A typed major amount in minor units; `allowZero` for the float (an empty drawer). */
export function typedMinor(text: string, currency: CurrencyCode, allowZero = false): number | null {
  if (allowZero && /^\s*0*(\.0*)?\s*$/.test(text) && /\d/.test(text)) return 0;
  const parsed = parseMajorAmount(text, currency);
  return parsed.ok ? parsed.amountMinor : null;
}

export function CashTender({ amountMinor, currency, goodsName, language, onPaid, onBack }: Props) {
  const { t } = useTranslation();
  const [received, setReceived] = useState('');
  const [floatText, setFloatText] = useState('');
  const [needsFloat, setNeedsFloat] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void till()
      .drawerStatus({ currency })
      .then((r) => live && r.ok && setNeedsFloat(r.value.needsFloat));
    return () => {
      live = false;
    };
  }, [currency]);

  const tendered = typedMinor(received, currency);
  const floatMinor = typedMinor(floatText, currency, true);
  const short = tendered !== null && tendered < amountMinor;
  const canTake = tendered !== null && !short && (!needsFloat || floatMinor !== null) && !busy;

  const take = async () => {
    if (!canTake || tendered === null) return;
    setBusy(true);
    setError(null);
    try {
      await unwrap(
        till().chargeCash({
          amountMinor,
          currency,
          tenderedMinor: tendered,
          ...(goodsName.trim() ? { goodsName: goodsName.trim() } : {}),
          ...(needsFloat && floatMinor !== null ? { openingFloatMinor: floatMinor } : {}),
        }),
      );
      onPaid();
    } catch (e) {
      if (e instanceof TillError && e.error.code === 'float_required') setNeedsFloat(true);
      setError(e instanceof TillError ? t(`errors.${e.error.code}`, { defaultValue: e.error.message }) : t('errors.internal'));
    } finally {
      setBusy(false);
    }
  };

  const onKeyDown = (event: React.KeyboardEvent) => {
    if (event.key === 'Enter') {
      event.preventDefault();
      void take();
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onBack();
    }
  };

  return (
    <section className="cash-tender" role="dialog" aria-label={t('cash.title')} onKeyDown={onKeyDown}>
      <h2>{t('cash.title')}</h2>
      <div className="cash-row">
        <span>{t('cash.due')}</span>
        <strong data-testid="cash-due">{money(amountMinor, currency, language)}</strong>
      </div>
      {needsFloat ? (
        <label className="cash-field">
          {t('cash.float')}
          <input inputMode="decimal" autoComplete="off" value={floatText} onChange={(e) => setFloatText(e.target.value)} />
          <small className="hint">{t('cash.floatHint')}</small>
        </label>
      ) : null}
      <label className="cash-field">
        {t('cash.received')}
        <input inputMode="decimal" autoComplete="off" autoFocus={!needsFloat} value={received} onChange={(e) => setReceived(e.target.value)} />
      </label>
      {received.trim() !== '' && tendered === null ? <div className="key-hint key-hint-warn">{t('cash.invalidAmount')}</div> : null}
      {short ? (
        <div className="warn-banner" role="alert">
          {t('cash.short', { amount: money(amountMinor - tendered, currency, language) })}
        </div>
      ) : null}
      <div className="cash-row cash-change">
        <span>{t('cash.change')}</span>
        <strong data-testid="cash-change">{tendered !== null && !short ? money(changeOf(amountMinor, tendered), currency, language) : '—'}</strong>
      </div>
      <div className="print-row">
        <button type="button" className="btn" onClick={onBack}>
          {t('cash.cancel')} <kbd>Esc</kbd>
        </button>
        <button type="button" className="btn btn-charge" disabled={!canTake} onClick={() => void take()}>
          {t('cash.confirm')} <kbd>Enter</kbd>
        </button>
      </div>
      {error ? (
        <div className="error-banner" role="alert">
          {error}
        </div>
      ) : null}
    </section>
  );
}
