import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MAX_REASON_LENGTH } from '../../shared/cash';
import { CURRENCIES, isCurrencyCode, type CurrencyCode } from '../../shared/currency';
import type { SettingsView } from '../../shared/settings';
import { till, unwrap } from '../lib/api';
import { money } from '../lib/format';
import { typedMinor } from './CashTender';
import { errorText } from './ReportView';

// Paid in / paid out: cash into or out of the drawer without a sale (change
// from the bank, milk for the shop), always with a reason, behind the
// supervisor PIN. The X report shows them in the drawer section.

export function DrawerMove({ settings, onMoved }: { settings: SettingsView; onMoved: () => void }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<'paid_in' | 'paid_out'>('paid_in');
  const [currency, setCurrency] = useState<CurrencyCode>(isCurrencyCode(settings.defaultCurrency) ? settings.defaultCurrency : 'HKD');
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const [pin, setPin] = useState('');
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const amountMinor = typedMinor(amount, currency);
  const ready = amountMinor !== null && reason.trim() !== '' && (!settings.pinSet || pin !== '') && !busy;

  const save = async () => {
    if (!ready || amountMinor === null) return;
    setBusy(true);
    setMessage(null);
    try {
      const status = await unwrap(till().drawerMove({ kind, currency, amountMinor, reason: reason.trim(), ...(settings.pinSet ? { pin } : {}) }));
      setMessage({ kind: 'ok', text: t('cash.moved', { amount: money(status.expectedMinor, currency, settings.language) }) });
      setAmount('');
      setReason('');
      setPin('');
      onMoved();
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e, t) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="print-box drawer-move-box" aria-label={t('cash.move')}>
      <h3>{t('cash.move')}</h3>
      <div className="drawer-move">
        <div className="print-row" role="radiogroup" aria-label={t('cash.move')}>
          {(['paid_in', 'paid_out'] as const).map((k) => (
            <button key={k} type="button" role="radio" aria-checked={kind === k} className={`btn${kind === k ? ' btn-primary' : ''}`} onClick={() => setKind(k)}>
              {k === 'paid_in' ? t('cash.moveIn') : t('cash.moveOut')}
            </button>
          ))}
        </div>
        <label className="field-inline">
          {t('counter.currency')}
          <select value={currency} onChange={(e) => setCurrency(e.target.value as CurrencyCode)}>
            {CURRENCIES.map((c) => (
              <option key={c} value={c}>
                {c}
              </option>
            ))}
          </select>
        </label>
        <label className="field-inline">
          {t('cash.amount')}
          <input inputMode="decimal" autoComplete="off" value={amount} onChange={(e) => setAmount(e.target.value)} />
        </label>
        <label className="field-inline">
          {t('cash.reason')}
          <input maxLength={MAX_REASON_LENGTH} value={reason} onChange={(e) => setReason(e.target.value)} />
        </label>
        {settings.pinSet ? (
          <label className="field-inline">
            {t('cash.pin')}
            <input type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />
          </label>
        ) : null}
        <button type="button" className="btn btn-primary" disabled={!ready} onClick={() => void save()}>
          {t('cash.save')}
        </button>
      </div>
      {message ? (
        <div className={`${message.kind}-banner`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </div>
      ) : null}
    </section>
  );
}
