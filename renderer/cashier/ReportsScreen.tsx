import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ReportStatus } from '../../shared/contract';
import type { CurrencyCode } from '../../shared/currency';
import type { TillReport } from '../../shared/reports';
import type { SettingsView } from '../../shared/settings';
import { TabStrip } from '../components/TabStrip';
import { TillError, till, unwrap } from '../lib/api';
import { dateTime } from '../lib/format';
import { ConfirmStep } from './ConfirmStep';
import { typedMinor } from './CashTender';
import { DrawerMove } from './DrawerMove';
import { ExportPanel } from './ExportPanel';
import { ReconcilePanel } from './ReconcilePanel';
import { ReportView, errorText } from './ReportView';
import { ZHistoryPanel } from './ZHistoryPanel';

// End of day for the shop owner: the X report (changes nothing), closing
// the day with a Z (PIN, refused while a sale or refund is unresolved), the
// stored Zs and their reprints, the check against QFPay, and the CSV export.

export const REPORT_SECTIONS = ['x', 'z', 'history', 'reconcile', 'export'] as const;
export type ReportSection = (typeof REPORT_SECTIONS)[number];

export interface ReportsScreenProps {
  settings: SettingsView;
  /** Takes the cashier to another tab (to resolve an open sale before a Z). */
  onGo: (tab: 'charge' | 'history') => void;
  initialSection?: ReportSection;
}

export function ReportsScreen({ settings, onGo, initialSection = 'x' }: ReportsScreenProps) {
  const { t } = useTranslation();
  const [section, setSection] = useState<ReportSection>(initialSection);
  return (
    <div className="reports">
      <TabStrip
        tabs={REPORT_SECTIONS}
        current={section}
        onSelect={setSection}
        label={t('app.nav.reports')}
        className="report-sections"
        tabClassName={(_, on) => `segment${on ? ' segment-active' : ''}`}
        idPrefix="report-section"
        tabProps={(name) => ({ 'data-section': name })}
      >
        {(name) => t(`reports.sections.${name}`)}
      </TabStrip>
      {section === 'x' ? (
        <XPanel settings={settings} />
      ) : section === 'z' ? (
        <ZPanel settings={settings} onGo={onGo} />
      ) : section === 'history' ? (
        <ZHistoryPanel settings={settings} />
      ) : section === 'reconcile' ? (
        <ReconcilePanel settings={settings} />
      ) : (
        <ExportPanel />
      )}
    </div>
  );
}

function XPanel({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation();
  const [report, setReport] = useState<TillReport | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = useCallback(async () => {
    setBusy(true);
    try {
      setReport(await unwrap(till().xReport()));
      setError(null);
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  }, [t]);
  useEffect(() => {
    void run();
  }, [run]);
  return (
    <div className="report-panel" data-panel="x">
      <div className="panel-bar">
        <p className="hint">{t('reports.xHint')}</p>
        <button type="button" className="btn btn-primary" disabled={busy} onClick={() => void run()}>
          {report ? t('reports.refresh') : t('reports.runX')}
        </button>
      </div>
      {error ? (
        <div className="error-banner" role="alert">
          {error}
        </div>
      ) : null}
      {report ? <ReportView report={report} settings={settings} /> : null}
      <DrawerMove settings={settings} onMoved={() => void run()} />
    </div>
  );
}

function ZPanel({ settings, onGo }: { settings: SettingsView; onGo: (tab: 'charge' | 'history') => void }) {
  const { t } = useTranslation();
  const language = settings.language;
  const [status, setStatus] = useState<ReportStatus | null>(null);
  const [pin, setPin] = useState('');
  const [taken, setTaken] = useState<TillReport | null>(null);
  /** The drawers of the period (from an X), each with the cash the cashier counted: the Z records both. */
  const [drawers, setDrawers] = useState<CurrencyCode[]>([]);
  const [counted, setCounted] = useState<Record<string, string>>({});
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // A Z cannot be taken back: the button asks first, the second step takes it.
  const [confirming, setConfirming] = useState(false);

  const load = useCallback(async () => {
    try {
      setStatus(await unwrap(till().reportStatus()));
    } catch (e) {
      setError(errorText(e, t));
    }
  }, [t]);

  // Which drawers to count: those of the period so far (an X changes nothing). Without it, the Z is taken without a count.
  const loadDrawers = useCallback(async () => {
    const x = await till().xReport();
    setDrawers(x.ok ? (x.value?.drawer ?? []).map((d) => d.currency) : []);
  }, []);

  useEffect(() => {
    void load();
    void loadDrawers();
    const offs = [till().onSale(() => void load()), till().onRefund(() => void load())];
    return () => offs.forEach((off) => off());
  }, [load]);

  const take = async () => {
    setConfirming(false);
    setBusy(true);
    setError(null);
    try {
      const countedCash = drawers.flatMap((currency) => {
        const minor = typedMinor(counted[currency] ?? '', currency, true);
        return minor === null ? [] : [{ currency, countedMinor: minor }];
      });
      const report = await unwrap(till().zReport({ ...(settings.pinSet ? { pin } : {}), ...(countedCash.length ? { counted: countedCash } : {}) }));
      setTaken(report);
      setPin('');
      await load();
    } catch (e) {
      if (e instanceof TillError && e.error.code === 'open_work') {
        setStatus((s) => (s ? { ...s, openSales: e.error.openSales ?? [], openRefunds: e.error.openRefunds ?? [] } : s));
      }
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  const open = status ? [...status.openSales.map((id) => ({ id, kind: 'sale' as const })), ...status.openRefunds.map((id) => ({ id, kind: 'refund' as const }))] : [];
  const at = (ms: number) => dateTime(ms, language, settings.timeZone);

  if (taken) {
    return (
      <div className="report-panel" data-panel="z">
        <div className="ok-banner z-taken" role="status">
          {t('reports.zTaken', { n: taken.zNumber })}
        </div>
        <ReportView report={taken} settings={settings} />
      </div>
    );
  }

  if (confirming) {
    return (
      <div className="report-panel" data-panel="z">
        <ConfirmStep title={t('counter.zTitle')} confirmLabel={t('counter.zConfirm')} backLabel={t('counter.goBack')} busy={busy} onConfirm={() => void take()} onBack={() => setConfirming(false)}>
          <p className="confirm-body">{t('counter.zBody')}</p>
          {status ? <p className="confirm-body">{t('reports.since', { time: at(status.periodStartMs) })}</p> : null}
        </ConfirmStep>
      </div>
    );
  }

  const ask = () => {
    if (!busy && open.length === 0 && !(settings.pinSet && pin === '')) setConfirming(true);
  };

  return (
    <div className="report-panel" data-panel="z">
      <section className="z-box">
        <p className="hint">{t('reports.zHint')}</p>
        {status ? (
          <ul className="z-status">
            <li>{t('reports.since', { time: at(status.periodStartMs) })}</li>
            <li>{status.lastZ ? t('reports.lastZ', { n: status.lastZ.zNumber, time: at(status.lastZ.createdAtMs) }) : t('reports.noZ')}</li>
          </ul>
        ) : null}
        {open.length > 0 ? (
          <div className="warn-banner open-work" role="alert">
            <p>{t('reports.openWork')}</p>
            <ul className="open-list">
              {open.map((o) => (
                <li key={o.id} className="mono">
                  {o.kind === 'sale' ? t('reports.openSale', { id: o.id }) : t('reports.openRefund', { id: o.id })}
                </li>
              ))}
            </ul>
            <p className="open-hint">{t('reports.openWorkHint')}</p>
            <div className="print-row">
              {status && status.openSales.length > 0 ? (
                <button type="button" className="btn btn-primary" onClick={() => onGo('charge')}>
                  {t('reports.goCharge')}
                </button>
              ) : null}
              <button type="button" className="btn" onClick={() => onGo('history')}>
                {t('reports.goHistory')}
              </button>
              <button type="button" className="btn" onClick={() => void load()}>
                {t('reports.checkAgain')}
              </button>
            </div>
          </div>
        ) : null}
        {drawers.map((currency) => (
          <label key={currency} className="field-inline z-count">
            {t('cash.countPrompt', { currency })}
            <input inputMode="decimal" autoComplete="off" value={counted[currency] ?? ''} onChange={(e) => setCounted((c) => ({ ...c, [currency]: e.target.value }))} />
          </label>
        ))}
        <div className="z-row">
          {settings.pinSet ? (
            <label className="field-inline">
              {t('reports.pin')}
              <input type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} onKeyDown={(e) => e.key === 'Enter' && ask()} />
            </label>
          ) : null}
          <button type="button" className="btn btn-danger btn-large" disabled={busy || open.length > 0 || (settings.pinSet && pin === '')} onClick={ask}>
            {t('reports.takeZ')}
          </button>
        </div>
        {error ? (
          <div className="error-banner" role="alert">
            {error}
          </div>
        ) : null}
      </section>
    </div>
  );
}
