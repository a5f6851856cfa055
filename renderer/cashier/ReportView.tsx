import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { IpcError } from '../../shared/contract';
import { isCurrencyCode } from '../../shared/currency';
import { formatDay } from '../../shared/dates';
import { reportedCurrencies, tendersOf, type ConfirmedTotals, type CurrencyTotals, type TillReport } from '../../shared/reports';
import type { SettingsView } from '../../shared/settings';
import { TillError, till, unwrap } from '../lib/api';
import { dateTime, money } from '../lib/format';
import { DrawerSection } from './DrawerSection';
import { HourlyChart } from './HourlyChart';
import { ReportReceiptButton } from './ReceiptButtons';

// One X or Z report on screen: the period and till, then per currency the
// totals a shop owner checks at closing (with QFPay's confirmed figures
// beside them when a check of exactly this period ran) and the hourly
// chart; print and PDF buttons for both layouts underneath.

/** A screen's message for a failed call: the translated code. */
export function errorText(e: unknown, t: (key: string) => string): string {
  return e instanceof TillError ? t(`errors.${e.error.code}`) : t('errors.internal');
}

export const isIpcError = (e: unknown): e is TillError & { error: IpcError } => e instanceof TillError;

const amountOf = (minor: number, currency: string, language: SettingsView['language']) => (isCurrencyCode(currency) ? money(minor, currency, language) : `${minor} ${currency}`);

function CurrencyCard({ totals, confirmed, report, settings }: { totals: CurrencyTotals; confirmed: ConfirmedTotals | undefined; report: TillReport; settings: SettingsView }) {
  const { t } = useTranslation();
  const language = settings.language;
  const m = (minor: number) => amountOf(minor, totals.currency, language);
  const pair = (n: number, minor: number) => t('reports.countAmount', { n, amount: m(minor) });
  // Refunds: a count of refunds (never "− 1") and the money that went back, as a negative amount.
  const refundPair = (n: number, minor: number) => t('reports.countAmount', { n, amount: m(-minor) });
  const differs = (a: string, b: string | undefined) => (b !== undefined && a !== b ? ' totals-differ' : '');
  const paidText = pair(totals.paidCount, totals.grossMinor);
  const refundText = refundPair(totals.refundCount, totals.refundMinor);
  const confirmedPaid = confirmed ? pair(confirmed.paidCount, confirmed.grossMinor) : undefined;
  const confirmedRefund = confirmed ? refundPair(confirmed.refundCount, confirmed.refundMinor) : undefined;
  const time = (ms: number | null) => (ms === null ? t('reports.none') : dateTime(ms, language, report.timeZone));
  return (
    <section className="currency-card" data-currency={totals.currency}>
      <div className="currency-head">
        <h3>{totals.currency}</h3>
        <div className="net">
          <span>{t('reports.net')}</span>
          <strong className="net-amount">{m(totals.netMinor)}</strong>
        </div>
      </div>
      <div className="currency-body">
      <table className="totals-table">
        {report.confirmed ? (
          <thead>
            <tr>
              <th />
              <th className="num">{t('reports.journal')}</th>
              <th className="num">{t('reports.confirmed')}</th>
            </tr>
          </thead>
        ) : null}
        <tbody>
          <tr>
            <th>{t('reports.paid')}</th>
            <td className="num">{paidText}</td>
            {report.confirmed ? <td className={`num confirmed${differs(paidText, confirmedPaid ?? pair(0, 0))}`}>{confirmedPaid ?? pair(0, 0)}</td> : null}
          </tr>
          <tr>
            <th>{t('reports.refunds')}</th>
            <td className="num">{refundText}</td>
            {report.confirmed ? <td className={`num confirmed${differs(refundText, confirmedRefund ?? refundPair(0, 0))}`}>{confirmedRefund ?? refundPair(0, 0)}</td> : null}
          </tr>
          <tr>
            <th>{t('reports.average')}</th>
            <td className="num">{m(totals.averageTicketMinor)}</td>
          </tr>
          <tr className="minor-row">
            <th>{`${t('reports.cancelled')} / ${t('reports.expired')} / ${t('reports.failed')}`}</th>
            <td className="num">{`${totals.cancelledCount} / ${totals.expiredCount} / ${totals.failedCount}`}</td>
          </tr>
          <tr className="minor-row">
            <th>{t('reports.firstSale')}</th>
            <td className="num">{time(totals.firstSaleAtMs)}</td>
          </tr>
          <tr className="minor-row">
            <th>{t('reports.lastSale')}</th>
            <td className="num">{time(totals.lastSaleAtMs)}</td>
          </tr>
        </tbody>
      </table>
      <div className="chart-box">
        <h4 className="chart-title">{t('reports.byHour')}</h4>
        <HourlyChart hourly={totals.hourly} cutoffHour={report.businessDayCutoffHour} currency={totals.currency} language={language} tenders={tendersOf(report, totals.currency)} />
      </div>
      </div>
    </section>
  );
}

export function ReportView({ report, settings, intact }: { report: TillReport; settings: SettingsView; intact?: boolean }) {
  const { t } = useTranslation();
  const language = settings.language;
  const at = (ms: number) => dateTime(ms, language, report.timeZone);
  const confirmedOf = (currency: string) => report.confirmed?.find((c) => c.currency === currency);
  return (
    <article className={`report report-${report.kind}`} data-kind={report.kind} data-z={report.zNumber ?? ''}>
      <header className="report-head">
        <h2>{report.kind === 'z' ? t('reports.title.z', { n: report.zNumber }) : t('reports.title.x')}</h2>
        {report.training ? <span className="badge badge-mode-training">{t('reports.training')}</span> : null}
      </header>
      <PrintButtons kind={report.kind} zNumber={report.zNumber} />
      {intact === false ? (
        <div className="error-banner tamper-warning" role="alert">
          {t('reports.notIntact')}
        </div>
      ) : null}
      <dl className="report-facts">
        <div className="fact fact-period">
          <dt>{t('reports.period')}</dt>
          <dd>
            {at(report.periodStartMs)} – {at(report.periodEndMs)}
          </dd>
        </div>
        <div className="fact">
          <dt>{t('reports.businessDay')}</dt>
          <dd>
            {formatDay(report.businessDay, language)} <span className="muted">({t('reports.cutoff', { hour: `${String(report.businessDayCutoffHour).padStart(2, '0')}:00` })})</span>
          </dd>
        </div>
        <div className="fact">
          <dt>{t('reports.till')}</dt>
          <dd className="mono">{report.udid}</dd>
        </div>
        <div className="fact">
          <dt>{t('reports.generated')}</dt>
          <dd>{at(report.generatedAtMs)}</dd>
        </div>
        {report.sha256 ? (
          <div className="fact fact-hash">
            <dt>{t('reports.hash')}</dt>
            <dd className="mono hash">{report.sha256}</dd>
          </div>
        ) : null}
      </dl>
      {intact === true ? <p className="ok-text">{t('reports.intact')}</p> : null}
      {report.confirmed ? <p className="info-banner">{t('reports.confirmedNote')}</p> : null}
      {reportedCurrencies(report).length === 0 ? (
        <p className="empty">{t('reports.noSales')}</p>
      ) : (
        <div className="currency-cards">
          {reportedCurrencies(report).map((c) => (
            <CurrencyCard key={c.currency} totals={c} confirmed={confirmedOf(c.currency)} report={report} settings={settings} />
          ))}
        </div>
      )}
      <DrawerSection report={report} language={settings.language} />
    </article>
  );
}

/** Print or save as PDF, receipt (80 mm) and A4. */
export function PrintButtons({ kind, zNumber }: { kind: 'x' | 'z'; zNumber?: number | undefined }) {
  const { t } = useTranslation();
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Saving a PDF is an export: behind the supervisor PIN when one is set (main says pin_required otherwise).
  const [pin, setPin] = useState('');
  const run = async (layout: 'receipt' | 'a4', output: 'print' | 'pdf') => {
    setBusy(true);
    setMessage(null);
    try {
      const result = await unwrap(till().printReport({ kind, layout, output, ...(kind === 'z' && zNumber !== undefined ? { zNumber } : {}), ...(output === 'pdf' && pin ? { pin } : {}) }));
      if (result.done) setMessage({ kind: 'ok', text: result.path ? t('reports.pdfSaved', { path: result.path }) : t('reports.printed') });
      else setMessage({ kind: 'ok', text: t('reports.notSaved') });
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e, t) });
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="print-box">
      <h3>{t('reports.printTitle')}</h3>
      <div className="print-row">
        <button type="button" className="btn" disabled={busy} onClick={() => void run('receipt', 'print')}>
          {t('reports.print.receipt')}
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => void run('receipt', 'pdf')}>
          {t('reports.print.receiptPdf')}
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => void run('a4', 'print')}>
          {t('reports.print.a4')}
        </button>
        <button type="button" className="btn" disabled={busy} onClick={() => void run('a4', 'pdf')}>
          {t('reports.print.a4Pdf')}
        </button>
        <label className="field-inline">
          {t('reports.pin')}
          <input type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />
        </label>
        <ReportReceiptButton kind={kind} zNumber={zNumber} />
      </div>
      {message ? (
        <div className={`${message.kind}-banner`} role={message.kind === 'error' ? 'alert' : 'status'}>
          {message.text}
        </div>
      ) : null}
    </section>
  );
}
