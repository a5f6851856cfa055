import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { tenderName } from '../../shared/cash';
import { isCurrencyCode } from '../../shared/currency';
import { RECONCILE_LISTS, type ReconcileItem, type Reconciliation } from '../../shared/reconcile';
import type { TillReport, ZSummary } from '../../shared/reports';
import type { SettingsView } from '../../shared/settings';
import { till, unwrap } from '../lib/api';
import { dateTime, money } from '../lib/format';
import { errorText } from './ReportView';

// The check against QFPay's records for the open period (or a closed Z's):
// how many sales and refunds landed in each list, every disagreement with
// its reason, and the till's totals next to QFPay's. An incomplete check
// (QFPay's records not all fetched) says so above everything else. Each
// item names its tender; a reversed order reads "Reversed" on both sides.

const SALE_STATE_KEYS = new Set(['requesting', 'awaiting_scan', 'unknown', 'cancelling', 'paid', 'failed', 'expired', 'cancelled', 'refunded']);

export function ReconcilePanel({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation();
  const language = settings.language;
  const [zs, setZs] = useState<ZSummary[]>([]);
  const [period, setPeriod] = useState<string>('current');
  const [result, setResult] = useState<Reconciliation | null>(null);
  const [report, setReport] = useState<TillReport | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [showMatched, setShowMatched] = useState(false);

  useEffect(() => {
    void unwrap(till().zHistory({ limit: 10, offset: 0 })).then(setZs, () => setZs([]));
  }, []);

  const at = (ms: number) => dateTime(ms, language, settings.timeZone);
  const amount = (minor: number | null, currency: string | null) =>
    minor === null ? t('reports.none') : currency && isCurrencyCode(currency) ? money(minor, currency, language) : `${minor} ${currency ?? ''}`.trim();
  // Reversed (a scanned code, an Alipay order cancelled by reversal) is said as such, not as "unknown".
  const stateText = (state: string) => (state === 'reversed' ? t('reports2.reversed') : t(`state.${state === 'in_progress' ? 'unknown' : SALE_STATE_KEYS.has(state) ? state : 'unknown'}`));

  const run = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    setReport(null);
    try {
      const z = period === 'current' ? undefined : zs.find((s) => String(s.zNumber) === period);
      const checked = await unwrap(till().reconcile(z ? { fromMs: z.periodStartMs, toMs: z.periodEndMs } : {}));
      setResult(checked);
      // The report of the same period now carries QFPay's confirmed totals beside the till's.
      setReport(z ? (await unwrap(till().zReprint({ zNumber: z.zNumber }))).report : await unwrap(till().xReport()));
    } catch (e) {
      setError(errorText(e, t));
    } finally {
      setBusy(false);
    }
  };

  const differences = result ? result.stateDiffers.length + result.amountDiffers.length + result.onlyInJournal.length + result.onlyAtQfpay.length : 0;

  return (
    <div className="report-panel" data-panel="reconcile">
      <section className="z-box">
        <p className="hint">{t('reports.reconcileHint')}</p>
        <div className="z-row">
          <label className="field-inline">
            {t('reports.reconcilePeriod')}
            <select className="currency-select" value={period} onChange={(e) => setPeriod(e.target.value)}>
              <option value="current">{t('reports.currentPeriod')}</option>
              {zs.map((z) => (
                <option key={z.zNumber} value={String(z.zNumber)}>
                  {`${t('reports.title.z', { n: z.zNumber })} — ${at(z.periodStartMs)} – ${at(z.periodEndMs)}`}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn btn-primary btn-large" disabled={busy} onClick={() => void run()}>
            {t('reports.runReconcile')}
          </button>
        </div>
        {busy ? <p className="info-banner">{t('reports.reconciling')}</p> : null}
        {error ? (
          <div className="error-banner" role="alert">
            {error}
          </div>
        ) : null}
      </section>

      {result ? (
        <section className="reconcile-result" data-complete={result.complete}>
          {!result.complete ? (
            <div className="error-banner incomplete" role="alert">
              <p>{t('reports.incomplete')}</p>
              <ul>
                {result.problems.map((p, i) => (
                  <li key={i}>{p}</li>
                ))}
              </ul>
            </div>
          ) : differences === 0 ? (
            <div className="ok-banner all-matched">{t('reports.allMatched', { n: result.matched.length })}</div>
          ) : (
            <div className="warn-banner">{t('reports.differences', { n: differences })}</div>
          )}
          <p className="muted">
            {t('reports.period')}: {at(result.period.fromMs)} – {at(result.period.toMs)}
          </p>
          <ul className="reconcile-counts">
            {RECONCILE_LISTS.map((list) => (
              <li key={list} className={`count-chip${result[list].length > 0 && list !== 'matched' ? ' count-chip-alert' : ''}`} data-list={list}>
                <span>{t(`reports.lists.${list}`)}</span>
                <strong>{result[list].length}</strong>
              </li>
            ))}
          </ul>
          {report ? <TotalsCompare report={report} amount={amount} /> : null}
          {RECONCILE_LISTS.filter((list) => list !== 'matched' && result[list].length > 0).map((list) => (
            <ItemList key={list} title={t(`reports.lists.${list}`)} items={result[list]} list={list} amount={amount} stateText={stateText} language={language} />
          ))}
          {result.matched.length > 0 ? (
            <>
              <button type="button" className="btn" onClick={() => setShowMatched((v) => !v)}>
                {showMatched ? t('reports.hideMatched') : t('reports.showMatched', { n: result.matched.length })}
              </button>
              {showMatched ? <ItemList title={t('reports.lists.matched')} items={result.matched} list="matched" amount={amount} stateText={stateText} language={language} /> : null}
            </>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}

type Amount = (minor: number | null, currency: string | null) => string;

function TotalsCompare({ report, amount }: { report: TillReport; amount: Amount }) {
  const { t } = useTranslation();
  if (!report.confirmed) return null;
  const currencies = [...new Set([...report.currencies.map((c) => c.currency as string), ...report.confirmed.map((c) => c.currency)])].sort();
  return (
    <table className="history-table totals-compare">
      <caption>{t('reports.totalsCompare')}</caption>
      <thead>
        <tr>
          <th />
          <th className="num">{`${t('reports.paid')} — ${t('reports.journal')}`}</th>
          <th className="num">{`${t('reports.paid')} — ${t('reports.confirmed')}`}</th>
          <th className="num">{`${t('reports.refunds')} — ${t('reports.journal')}`}</th>
          <th className="num">{`${t('reports.refunds')} — ${t('reports.confirmed')}`}</th>
        </tr>
      </thead>
      <tbody>
        {currencies.map((currency) => {
          const j = report.currencies.find((c) => c.currency === currency);
          const q = report.confirmed?.find((c) => c.currency === currency);
          const pair = (n: number, minor: number) => t('reports.countAmount', { n, amount: amount(minor, currency) });
          const jp = pair(j?.paidCount ?? 0, j?.grossMinor ?? 0);
          const qp = pair(q?.paidCount ?? 0, q?.grossMinor ?? 0);
          const jr = pair(j?.refundCount ?? 0, j?.refundMinor ?? 0);
          const qr = pair(q?.refundCount ?? 0, q?.refundMinor ?? 0);
          return (
            <tr key={currency} data-currency={currency}>
              <th>{currency}</th>
              <td className="num">{jp}</td>
              <td className={`num${jp !== qp ? ' totals-differ' : ''}`}>{qp}</td>
              <td className="num">{jr}</td>
              <td className={`num${jr !== qr ? ' totals-differ' : ''}`}>{qr}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** The journal's side in words: a sale it cancelled by reversal reads "Reversed", as QFPay's side does. */
const journalState = (item: ReconcileItem) => (item.journal?.reversed && item.journal.state === 'cancelled' ? 'reversed' : (item.journal?.state ?? ''));

function ItemList({ title, items, list, amount, stateText, language }: { title: string; items: ReconcileItem[]; list: string; amount: Amount; stateText: (s: string) => string; language: SettingsView['language'] }) {
  const { t } = useTranslation();
  return (
    <section className={`reconcile-list reconcile-${list}`} data-list={list}>
      <h3>
        {title} <span className="muted">({items.length})</span>
      </h3>
      <ul>
        {items.map((item) => (
          <li key={`${item.order_type}:${item.out_trade_no}:${item.syssn ?? ''}`} className="reconcile-item">
            <div className="item-head">
              <span className="badge">{t(`reports.orderType.${item.order_type}`)}</span>
              <span className="mono">{item.out_trade_no || t('reports.none')}</span>
              {item.syssn ? <span className="mono muted">QFPay {item.syssn}</span> : null}
              {item.payType ? (
                <span className="badge badge-tender" data-tender={item.payType} title={t('reports2.tender', { name: tenderName(item.payType, language) })}>
                  {tenderName(item.payType, language)}
                </span>
              ) : null}
            </div>
            <div className="item-sides">
              <span>{item.journal ? t('reports.tillSide', { state: stateText(journalState(item)), amount: amount(item.journal.amountMinor, item.journal.currency) }) : t('reports.tillSide', { state: t('reports.none'), amount: '' })}</span>
              <span>{item.qfpay ? t('reports.qfpaySide', { state: stateText(item.qfpay.state), amount: amount(item.qfpay.amountMinor, item.qfpay.currency) }) : t('reports.qfpaySide', { state: t('reports.none'), amount: '' })}</span>
            </div>
            <p className="item-reason" title={item.reason}>
              {item.reasonCode
                ? t(`reports2.reasons.${item.reasonCode}`, {
                    journal: item.journal ? stateText(journalState(item)) : '',
                    qfpay: item.qfpay ? stateText(item.qfpay.state) : '',
                  })
                : item.reason}
            </p>
          </li>
        ))}
      </ul>
    </section>
  );
}
