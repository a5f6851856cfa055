import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppStatus } from '../../shared/contract';
import { isFinalSale, type SaleView } from '../../shared/sale';
import type { SettingsView } from '../../shared/settings';
import { initI18n } from '../i18n';
import { RestartedBanner } from '../components/RestartedBanner';
import { till } from '../lib/api';
import { ChargeScreen } from './ChargeScreen';
import { HistoryScreen } from './HistoryScreen';
import { ReportsScreen } from './ReportsScreen';
import { SettingsScreen } from './SettingsScreen';

// The cashier window: Charge, History, Reports, Settings; the training banner on every
// screen; the sale kept in step with main through the sale events.

type Tab = 'charge' | 'history' | 'reports' | 'settings';

export function App() {
  const { t } = useTranslation();
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [sale, setSale] = useState<SaleView | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('charge');

  useEffect(() => {
    const api = till();
    const offs = [
      api.onSettings((s) => {
        setSettings(s);
        initI18n(s.language);
      }),
      api.onStatus(setStatus),
      api.onSale((s) => setSale((current) => (current === null || current.outTradeNo === s.outTradeNo || !isFinalSale(s.state) ? s : current))),
    ];
    void api.settings().then((r) => {
      if (r.ok) {
        initI18n(r.value.language);
        setSettings(r.value);
      }
    });
    void api.status().then((r) => r.ok && setStatus(r.value));
    void api.currentSale().then((r) => {
      if (!r.ok || !r.value) return;
      setSale(r.value);
      // A sale that ended before this window opened is history, not the screen.
      if (isFinalSale(r.value.state)) setDismissed(r.value.outTradeNo);
    });
    return () => offs.forEach((off) => off());
  }, []);

  const dismiss = useCallback(() => {
    if (sale && isFinalSale(sale.state)) setDismissed(sale.outTradeNo);
  }, [sale]);

  if (!settings || !status) return <div className="loading">…</div>;
  const training = status.mode === 'training';
  const shownSale = sale && sale.outTradeNo !== dismissed ? sale : null;
  const saleOpen = shownSale !== null && !isFinalSale(shownSale.state);

  return (
    <div className={`app${training ? ' app-training' : ''}`} lang={settings.language}>
      {training ? (
        <div className="training-banner" role="note">
          {t('app.training')}
        </div>
      ) : null}
      <RestartedBanner />
      {training && settings.environment !== 'training' ? (
        <div className="error-banner key-missing" role="alert">
          {t('app.keyMissing')}
        </div>
      ) : null}
      <header className="topbar">
        <div className="brand">
          <span className="brand-mark" aria-hidden="true">微</span>
          <span>{settings.merchantName || t('app.title')}</span>
        </div>
        <nav className="tabs" role="tablist">
          {(['charge', 'history', 'reports', 'settings'] as const).map((name) => (
            <button key={name} type="button" role="tab" aria-selected={tab === name} className={`tab${tab === name ? ' tab-active' : ''}`} onClick={() => setTab(name)}>
              {t(`app.nav.${name}`)}
              {name === 'charge' && saleOpen && tab !== 'charge' ? <span className="dot" aria-hidden="true" /> : null}
            </button>
          ))}
        </nav>
        <div className="till-id">{settings.udid}</div>
      </header>
      <main className="content">
        {tab === 'charge' ? (
          <ChargeScreen settings={settings} sale={shownSale} ready={status.ready} training={training} onDismiss={dismiss} />
        ) : tab === 'history' ? (
          <HistoryScreen settings={settings} />
        ) : tab === 'reports' ? (
          <ReportsScreen settings={settings} onGo={setTab} />
        ) : (
          <SettingsScreen settings={settings} mode={status.mode} />
        )}
        {tab !== 'charge' && saleOpen ? <div className="info-banner floating">{t('sale.blocked')}</div> : null}
      </main>
    </div>
  );
}
