import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PAY_TYPES, UNIFIED_CPM, WECHAT_CPM, ALIPAY_CPM, type PayType } from '../../shared/pay-types';
import { settingsSchema, type SettingsPatch, type SettingsView } from '../../shared/settings';
import { QR_WALLETS, counterWallets } from '../lib/wallets';
import { Field } from './Field';

// Settings → Payments (issue 13): the QR wallets the counter offers, the
// unified payment code, how long a scanned code may wait for the customer,
// and the pay types offering the real-name check. Checked with the shared
// schema as it is typed; saved by the screen's one Save.

/** The Payments section's draft: what it would save, and its problems as message keys. */
export function usePaymentsDraft(settings: SettingsView) {
  const [wallets, setWallets] = useState<PayType[]>(settings.mpmPayTypes);
  const [unifiedCpm, setUnifiedCpm] = useState(settings.unifiedCpm);
  const [windowText, setWindowText] = useState(String(settings.cpmWindowSeconds));
  const [realName, setRealName] = useState<PayType[]>(settings.realNamePayTypes);
  useEffect(() => {
    setWallets(settings.mpmPayTypes);
    setUnifiedCpm(settings.unifiedCpm);
    setWindowText(String(settings.cpmWindowSeconds));
    setRealName(settings.realNamePayTypes);
  }, [settings]);

  // Saved in the counter's order (WeChat first), whatever order they were ticked in.
  const orderedWallets = counterWallets(wallets);
  const windowSeconds = /^\d{1,3}$/.test(windowText.trim()) ? Number(windowText.trim()) : Number.NaN;
  const problems = {
    wallets: settingsSchema.shape.mpmPayTypes.safeParse(orderedWallets).success ? null : 'pay.settings.atLeastOne',
    cpmWindow: settingsSchema.shape.cpmWindowSeconds.safeParse(windowSeconds).success ? null : 'pay.settings.invalidWindow',
  };
  const toggle = (list: PayType[], payType: PayType, on: boolean) => (on ? [...list.filter((p) => p !== payType), payType] : list.filter((p) => p !== payType));
  return {
    wallets,
    unifiedCpm,
    windowText,
    realName,
    problems,
    invalid: problems.wallets !== null || problems.cpmWindow !== null,
    toggleWallet: (payType: PayType, on: boolean) => setWallets((list) => toggle(list, payType, on)),
    toggleRealName: (payType: PayType, on: boolean) => setRealName((list) => toggle(list, payType, on)),
    setUnifiedCpm,
    setWindowText,
    patch(): SettingsPatch {
      const patch: SettingsPatch = {};
      if (JSON.stringify(orderedWallets) !== JSON.stringify(settings.mpmPayTypes)) patch.mpmPayTypes = orderedWallets;
      if (unifiedCpm !== settings.unifiedCpm) patch.unifiedCpm = unifiedCpm;
      if (!problems.cpmWindow && windowSeconds !== settings.cpmWindowSeconds) patch.cpmWindowSeconds = windowSeconds;
      const orderedRealName = [...QR_WALLETS, WECHAT_CPM, ALIPAY_CPM, UNIFIED_CPM].filter((p) => realName.includes(p));
      for (const p of Object.keys(PAY_TYPES) as PayType[]) if (realName.includes(p) && !orderedRealName.includes(p)) orderedRealName.push(p);
      if (JSON.stringify(orderedRealName) !== JSON.stringify(settings.realNamePayTypes)) patch.realNamePayTypes = orderedRealName;
      return patch;
    },
  };
}

export function PaymentSettingsSection({ draft }: { draft: ReturnType<typeof usePaymentsDraft> }) {
  const { t } = useTranslation();
  // The real-name check is offered for what the counter takes: the enabled QR wallets and the scanned codes.
  const realNameTypes = [...counterWallets(draft.wallets), ...(draft.unifiedCpm ? [UNIFIED_CPM] : [WECHAT_CPM, ALIPAY_CPM])];
  return (
    <section className="settings-section" data-testid="payments-settings">
      <h3>{t('pay.settings.title')}</h3>
      <fieldset className="currency-checks">
        <legend>{t('pay.settings.wallets')}</legend>
        {QR_WALLETS.map((p) => (
          <label key={p} className="check">
            <input type="checkbox" checked={draft.wallets.includes(p)} onChange={(e) => draft.toggleWallet(p, e.target.checked)} /> {t(`pay.types.${p}`)}
          </label>
        ))}
      </fieldset>
      {draft.problems.wallets ? (
        <span className="field-error" role="alert">
          {t(draft.problems.wallets)}
        </span>
      ) : null}
      <label className="check">
        <input type="checkbox" checked={draft.unifiedCpm} onChange={(e) => draft.setUnifiedCpm(e.target.checked)} /> {t('pay.settings.unifiedCpm')}
      </label>
      <div className="settings-grid">
        <Field label={t('pay.settings.cpmWindow')} hint={t('pay.settings.cpmWindowHint')} error={draft.problems.cpmWindow ? t(draft.problems.cpmWindow) : undefined}>
          <input inputMode="numeric" value={draft.windowText} onChange={(e) => draft.setWindowText(e.target.value)} />
        </Field>
      </div>
      <fieldset className="currency-checks">
        <legend>{t('pay.settings.realName')}</legend>
        {realNameTypes.map((p) => (
          <label key={p} className="check">
            <input type="checkbox" checked={draft.realName.includes(p)} onChange={(e) => draft.toggleRealName(p, e.target.checked)} /> {t(`pay.types.${p}`)}
          </label>
        ))}
      </fieldset>
    </section>
  );
}
