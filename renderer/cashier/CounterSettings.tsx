import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CURRENCIES, formatMinorPlain, isCurrencyCode, parseMajorAmount, type CurrencyCode } from '../../shared/currency';
import { largeChargeThreshold, type SettingsPatch, type SettingsView } from '../../shared/settings';
import { Field } from './Field';

// The counter's part of Settings (issue 10): above which amount a charge is
// confirmed on a second step (for the default currency), and which other
// currencies the keypad offers. Saved by the screen's one Save.

/** The counter's own settings (issue 10): the large-charge limit of the default currency and the extra currencies. */
export function useCounterDraft(settings: SettingsView) {
  const currencyOf = (c: string): CurrencyCode => (isCurrencyCode(c) ? c : 'HKD');
  const limitText = (c: string) => formatMinorPlain(largeChargeThreshold(settings, currencyOf(c)), currencyOf(c));
  const [limit, setLimit] = useState(() => limitText(settings.defaultCurrency));
  const [extras, setExtras] = useState<string[]>(settings.extraCurrencies);
  useEffect(() => {
    setLimit(limitText(settings.defaultCurrency));
    setExtras(settings.extraCurrencies);
  }, [settings]);
  const parsedFor = (c: string) => parseMajorAmount(limit, currencyOf(c));
  return {
    limit,
    setLimit,
    extras,
    setExtras,
    problem: parsedFor(settings.defaultCurrency).ok ? null : 'settings2.invalidLimit',
    patch(defaultCurrency: string): SettingsPatch {
      const currency = currencyOf(defaultCurrency);
      const parsed = parsedFor(currency);
      const patch: SettingsPatch = {};
      if (parsed.ok && parsed.amountMinor !== largeChargeThreshold(settings, currency)) patch.largeChargeMinor = { ...settings.largeChargeMinor, [currency]: parsed.amountMinor };
      const sorted = CURRENCIES.filter((c) => extras.includes(c) && c !== currency);
      if (JSON.stringify(sorted) !== JSON.stringify(settings.extraCurrencies)) patch.extraCurrencies = sorted;
      return patch;
    },
  };
}

export function CounterSection({ draft, defaultCurrency }: { draft: ReturnType<typeof useCounterDraft>; defaultCurrency: string }) {
  const { t } = useTranslation();
  return (
    <section className="settings-section">
      <h3>{t('settings2.counter')}</h3>
      <div className="settings-grid">
        <Field label={t('settings2.largeCharge', { currency: defaultCurrency })} hint={t('settings2.largeChargeHint')} error={draft.problem ? t(draft.problem) : undefined}>
          <input inputMode="decimal" value={draft.limit} onChange={(e) => draft.setLimit(e.target.value)} />
        </Field>
      </div>
      <fieldset className="currency-checks">
        <legend>{t('settings2.extraCurrencies')}</legend>
        {CURRENCIES.filter((c) => c !== defaultCurrency).map((c) => (
          <label key={c} className="check">
            <input type="checkbox" checked={draft.extras.includes(c)} onChange={(e) => draft.setExtras(e.target.checked ? [...draft.extras, c] : draft.extras.filter((x) => x !== c))} /> {c}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
