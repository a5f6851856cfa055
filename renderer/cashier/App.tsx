import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { AppStatus } from '../../shared/contract';
import { isFinalSale, type SaleView } from '../../shared/sale';
import type { SettingsView } from '../../shared/settings';
import { usePaidChime } from '../components/chime';
import { TabStrip } from '../components/TabStrip';
import { initI18n } from '../i18n';
import { RestartedBanner } from '../components/RestartedBanner';
import { ParkedSalesPanel, useParkedSales } from './ParkedSales';
import { till } from '../lib/api';
import { ChargeScreen } from './ChargeScreen';
import { FirstRunPin } from './FirstRunPin';
import { HistoryScreen } from './HistoryScreen';
import { ReportsScreen } from './ReportsScreen';
import { SettingsScreen } from './SettingsScreen';
import { ConnectionBanner, ConnectionIndicator } from './ConnectionIndicator';

// The cashier window: Charge, History, Reports, Settings; the training banner on every
// screen; the sale kept in step with main through the sale events.

type Tab = 'charge' | 'history' | 'reports' | 'settings';
const TABS = ['charge', 'history', 'reports', 'settings'] as const;

export function App() {
  const { t } = useTranslation();
  const [settings, setSettings] = useState<SettingsView | null>(null);
  const [status, setStatus] = useState<AppStatus | null>(null);
  const [sale, setSale] = useState<SaleView | null>(null);
  const [dismissed, setDismissed] = useState<string | null>(null);
  const [tab, setTab] = useState<Tab>('charge');
  usePaidChime(settings?.paidChime === true);
  const parked = useParkedSales();
  const absorbs = parked.absorbs;
  // The PIN walkthrough, put off for this session ("Later": the till stays in training).
  const [pinLater, setPinLater] = useState(false);

  useEffect(() => {
    const api = till();
    const offs = [
      api.onSettings((s) => {
        setSettings(s);
        initI18n(s.language);
      }),
      api.onStatus(setStatus),
      api.onSale((s) => {
        // A parked sale leaves the screen (the next customer is served) and is listed instead.
        if (absorbs(s)) {
          setSale((current) => (current?.outTradeNo === s.outTradeNo ? null : current));
          return;
        }
        setSale((current) => (current === null || current.outTradeNo === s.outTradeNo || !isFinalSale(s.state) ? s : current));
      }),
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
  }, [absorbs]);

  const dismiss = useCallback(() => {
    if (sale && isFinalSale(sale.state)) setDismissed(sale.outTradeNo);
  }, [sale]);

  if (!settings || !status) return <div className="loading">…</div>;
  const training = status.mode === 'training';
  const shownSale = sale && sale.outTradeNo !== dismissed ? sale : null;
  const saleOpen = shownSale !== null && !isFinalSale(shownSale.state);

  return (
    <div className={`app${training ? ' app-training' : ''}`} lang={settings.language}>
      {/* The banners sit in the header landmark, so a screen reader finds them with the rest of the page. */}
      <header className="app-header">
        {training ? (
          <div className="training-banner" role="note">
            {t('app.training')}
          </div>
        ) : null}
        {training && settings.environment !== 'training' ? (
          <div className="error-banner key-missing" role="alert">
            {settings.pinState === 'tampered' ? t('settings.pinTampered') : settings.pinState !== 'set' ? t('settings.pinRequiredToGoLive') : t('app.keyMissing')}
          </div>
        ) : null}
        <div className="topbar">
          <h1 className="brand">
            <span className="brand-mark" aria-hidden="true">微</span>
            <span>{settings.merchantName || t('app.title')}</span>
          </h1>
          <TabStrip tabs={TABS} current={tab} onSelect={setTab} label={t('counter.screens')} className="tabs" tabClassName={(_, on) => `tab${on ? ' tab-active' : ''}`} idPrefix="tab" panelId="tab-panel">
            {(name) => (
              <>
                {t(`app.nav.${name}`)}
                {name === 'charge' && saleOpen && tab !== 'charge' ? <span className="dot" aria-hidden="true" /> : null}
              </>
            )}
          </TabStrip>
          <ConnectionIndicator connection={status.connection} />
          <div className="till-id">{settings.udid}</div>
        </div>
        <RestartedBanner />
        {/* Here, not in the page: the screen below shrinks instead of pushing its buttons out of sight. */}
        <ConnectionBanner connection={status.connection} />
        <ParkedSalesPanel state={parked} language={settings.language} />
      </header>
      <main className="content" id="tab-panel" role="tabpanel" aria-labelledby={`tab-${tab}`}>
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
      {settings.pinState !== 'set' && !pinLater ? <FirstRunPin settings={settings} onLater={() => setPinLater(true)} /> : null}
    </div>
  );
}
