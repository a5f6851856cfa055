import { useCallback, useEffect, useState } from 'react';
import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { EventView, SaleDetail } from '../../shared/contract';
import { isCurrencyCode, parseMajorAmount } from '../../shared/currency';
import { cashierText } from '../../shared/qfpay-codes';
import { isFinalRefund, type SaleView } from '../../shared/sale';
import type { SettingsView } from '../../shared/settings';
import { TillError, till, unwrap } from '../lib/api';
import { clockTime, dateTime, money } from '../lib/format';

// Today's sales (or another day's), search by amount or order number, the
// detail of one sale with its trail, and refunds with the PIN when one is set.

function localDay(value: string): { fromMs: number; toMs: number } {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const from = new Date(y, m - 1, d).getTime();
  return { fromMs: from, toMs: new Date(y, m - 1, d + 1).getTime() };
}

function todayValue(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

const KNOWN_STATES = new Set(['requesting', 'awaiting_scan', 'unknown', 'cancelling', 'paid', 'failed', 'expired', 'cancelled', 'refunded']);
const KNOWN_ENDPOINTS = new Set(['payment', 'query', 'close', 'reversal', 'refund']);

/** One line of a sale's trail in the cashier's language; the English technical line stays as the tooltip. */
export function trailText(e: EventView, t: TFunction): string {
  const state = (s: string | null | undefined) => (s && KNOWN_STATES.has(s) ? t(`state.${s}`) : (s ?? ''));
  if (e.kind === 'transition' && e.to) {
    if (!e.from) return t('history.created', { state: state(e.to) });
    return e.from === e.to ? state(e.to) : `${state(e.from)} → ${state(e.to)}`;
  }
  if (e.kind === 'exchange' && e.endpoint && KNOWN_ENDPOINTS.has(e.endpoint)) {
    const answer = e.respcd ? t('history.answered', { respcd: e.respcd }) : t('history.noAnswer');
    return `${t(`history.endpoint.${e.endpoint}`)} — ${answer}${typeof e.durationMs === 'number' ? ` (${e.durationMs} ms)` : ''}`;
  }
  return e.summary;
}

export function StateBadge({ sale }: { sale: SaleView }) {
  const { t } = useTranslation();
  const label =
    sale.state === 'paid' && sale.refundedMinor >= sale.amountMinor
      ? t('state.refunded')
      : sale.state === 'paid' && sale.refundedMinor > 0
        ? t('state.partlyRefunded')
        : t(`state.${sale.state}`);
  return <span className={`badge badge-${sale.state}${sale.paidAfterCancel ? ' badge-alarm' : ''}`}>{label}</span>;
}

export function HistoryScreen({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation();
  const language = settings.language;
  const [day, setDay] = useState(todayValue());
  const [search, setSearch] = useState('');
  const [sales, setSales] = useState<SaleView[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (offset: number) => {
      const query: Parameters<ReturnType<typeof till>['history']>[0] = { ...localDay(day), limit: 50, offset };
      const text = search.trim();
      if (text) {
        const currency = isCurrencyCode(settings.defaultCurrency) ? settings.defaultCurrency : 'HKD';
        const amount = /^[\d.,]{1,15}$/.test(text) ? parseMajorAmount(text, currency) : undefined;
        if (amount?.ok) query.amountMinor = amount.amountMinor;
        else query.text = text.slice(0, 64);
        // An order number is searched over every day.
        if (!amount?.ok) {
          delete query.fromMs;
          delete query.toMs;
        }
      }
      try {
        const page = await unwrap(till().history(query));
        setSales((current) => (offset === 0 ? page.sales : [...current, ...page.sales]));
        setHasMore(page.hasMore);
        setError(null);
      } catch (e) {
        setError(e instanceof TillError ? t(`errors.${e.error.code}`) : t('errors.internal'));
      }
    },
    [day, search, settings.defaultCurrency, t],
  );

  useEffect(() => {
    void load(0);
  }, [load]);

  useEffect(() => till().onSale(() => void load(0)), [load]);

  if (selected) return <SaleDetailView outTradeNo={selected} settings={settings} onBack={() => setSelected(null)} />;

  return (
    <div className="history">
      <div className="history-toolbar">
        <label className="field-inline">
          {t('history.date')}
          <input type="date" value={day} onChange={(e) => setDay(e.target.value || todayValue())} />
        </label>
        <input className="search-input" type="search" placeholder={t('history.search')} aria-label={t('history.search')} value={search} onChange={(e) => setSearch(e.target.value)} />
      </div>
      {error ? <div className="error-banner" role="alert">{error}</div> : null}
      {sales.length === 0 ? (
        <p className="empty">{t('history.empty')}</p>
      ) : (
        <table className="history-table">
          <thead>
            <tr>
              <th>{t('history.time')}</th>
              <th className="num">{t('history.amount')}</th>
              <th>{t('history.status')}</th>
              <th>{t('sale.orderNumber', { id: '' }).trim()}</th>
            </tr>
          </thead>
          <tbody>
            {sales.map((sale) => (
              <tr key={sale.outTradeNo} tabIndex={0} onClick={() => setSelected(sale.outTradeNo)} onKeyDown={(e) => e.key === 'Enter' && setSelected(sale.outTradeNo)}>
                <td>{clockTime(sale.createdAtMs, language)}</td>
                <td className="num">{money(sale.amountMinor, sale.currency, language)}</td>
                <td>
                  <StateBadge sale={sale} />
                </td>
                <td className="mono">{sale.outTradeNo}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasMore ? (
        <button type="button" className="btn" onClick={() => void load(sales.length)}>
          {t('history.more')}
        </button>
      ) : null}
    </div>
  );
}

function SaleDetailView({ outTradeNo, settings, onBack }: { outTradeNo: string; settings: SettingsView; onBack: () => void }) {
  const { t } = useTranslation();
  const language = settings.language;
  const [detail, setDetail] = useState<SaleDetail | null>(null);
  const [amountText, setAmountText] = useState('');
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error' | 'info'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);

  const reload = useCallback(async () => {
    try {
      setDetail(await unwrap(till().saleDetail({ outTradeNo })));
    } catch (e) {
      setMessage({ kind: 'error', text: e instanceof TillError ? t(`errors.${e.error.code}`) : t('errors.internal') });
    }
  }, [outTradeNo, t]);

  useEffect(() => {
    void reload();
    const offSale = till().onSale((s) => s.outTradeNo === outTradeNo && void reload());
    const offRefund = till().onRefund((r) => {
      if (r.saleOutTradeNo !== outTradeNo) return;
      void reload();
      if (r.state === 'refunded') setMessage({ kind: 'ok', text: t('history.refundDone', { amount: money(r.amountMinor, r.currency, language) }) });
      if (r.state === 'failed') {
        const text = r.respcd ? cashierText(r.respcd, language) : null;
        setMessage({ kind: 'error', text: `${t('history.refundFailed')}${text ? `: ${text.message} ${text.hint}` : ''}` });
      }
    });
    return () => {
      offSale();
      offRefund();
    };
  }, [language, outTradeNo, reload, t]);

  if (!detail) return <div className="detail">{message ? <div className="error-banner">{message.text}</div> : null}</div>;
  const { sale } = detail;

  const refund = async (full: boolean) => {
    setBusy(true);
    setMessage(null);
    try {
      let amountMinor: number | undefined;
      if (!full) {
        const parsed = parseMajorAmount(amountText, sale.currency);
        if (!parsed.ok) {
          setMessage({ kind: 'error', text: t('errors.invalid_input') });
          return;
        }
        amountMinor = parsed.amountMinor;
      }
      const result = await unwrap(till().refund({ saleOutTradeNo: sale.outTradeNo, ...(amountMinor !== undefined ? { amountMinor } : {}), ...(settings.pinSet && pin ? { pin } : {}) }));
      if (result.state === 'refunded') setMessage({ kind: 'ok', text: t('history.refundDone', { amount: money(result.amountMinor, result.currency, language) }) });
      else if (result.state === 'failed') {
        const text = result.respcd ? cashierText(result.respcd, language) : null;
        setMessage({ kind: 'error', text: `${t('history.refundFailed')}${text ? `: ${text.message} ${text.hint}` : ''}` });
      } else setMessage({ kind: 'info', text: `${t('history.refundConfirming')}: ${t('history.refundConfirmingHint')}` });
      setAmountText('');
      setPin('');
      await reload();
    } catch (e) {
      setMessage({ kind: 'error', text: e instanceof TillError ? t(`errors.${e.error.code}`) : t('errors.internal') });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="detail">
      <button type="button" className="btn btn-link" onClick={onBack}>
        ← {t('history.back')}
      </button>
      <div className="detail-head">
        <div className="detail-amount">{money(sale.amountMinor, sale.currency, language)}</div>
        <StateBadge sale={sale} />
        {sale.paidAfterCancel ? <div className="alarm-inline">{t('sale.paidAfterCancel')}</div> : null}
      </div>
      <dl className="detail-facts">
        <dt>{t('sale.orderNumber', { id: '' }).trim()}</dt>
        <dd className="mono">{sale.outTradeNo}</dd>
        {sale.syssn ? (
          <>
            <dt>QFPay</dt>
            <dd className="mono">{sale.syssn}</dd>
          </>
        ) : null}
        {sale.cash ? (
          <>
            <dt>{t('cash.tender')}</dt>
            <dd data-testid="detail-cash">
              {t('cash.receivedAmount', { amount: money(sale.cash.tenderedMinor, sale.currency, language) })} · {t('cash.changeAmount', { amount: money(sale.cash.changeMinor, sale.currency, language) })}
            </dd>
          </>
        ) : null}
        <dt>{t('history.time')}</dt>
        <dd>{dateTime(sale.createdAtMs, language)}</dd>
        {sale.goodsName ? (
          <>
            <dt>{t('keypad.goodsName')}</dt>
            <dd>{sale.goodsName}</dd>
          </>
        ) : null}
      </dl>

      {sale.state === 'paid' && detail.refundableMinor > 0 ? (
        <section className="refund-box">
          <h3>{t('history.refund')}</h3>
          <p>{t('history.refundable', { amount: money(detail.refundableMinor, sale.currency, language) })}</p>
          <div className="refund-row">
            <label className="field-inline">
              {t('history.refundAmount')}
              <input inputMode="decimal" value={amountText} onChange={(e) => setAmountText(e.target.value)} placeholder={money(detail.refundableMinor, sale.currency, language)} />
            </label>
            {settings.pinSet ? (
              <label className="field-inline">
                {t('history.pin')}
                <input type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />
              </label>
            ) : null}
          </div>
          <div className="refund-row">
            <button type="button" className="btn btn-danger" disabled={busy || amountText.trim() === ''} onClick={() => void refund(false)}>
              {t('history.refundConfirm', { amount: amountText.trim() || '…' })}
            </button>
            <button type="button" className="btn" disabled={busy} onClick={() => void refund(true)}>
              {t('history.refundFull')}
            </button>
          </div>
        </section>
      ) : null}
      {message ? <div className={`${message.kind}-banner`} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</div> : null}

      {detail.refunds.length ? (
        <section>
          <h3>{t('history.refunds')}</h3>
          <ul className="refund-list">
            {detail.refunds.map((r) => (
              <li key={r.outTradeNo}>
                {money(r.amountMinor, r.currency, language)} —{' '}
                <span className={`badge badge-${r.state}`} title={isFinalRefund(r.state) ? undefined : t('history.refundConfirmingHint')}>
                  {r.state === 'refunded' ? t('state.refunded') : r.state === 'failed' ? t('state.failed') : t('history.refundConfirming')}
                </span>{' '}
                <span className="mono">{r.outTradeNo}</span>
              </li>
            ))}
          </ul>
        </section>
      ) : null}
      <section>
        <h3>{t('history.trail')}</h3>
        <ol className="trail">
          {detail.events.map((e, i) => (
            <li key={i} className={`trail-${e.kind}`} title={e.summary}>
              <time>{clockTime(e.atMs, language)}</time> {trailText(e, t)}
            </li>
          ))}
        </ol>
      </section>
    </div>
  );
}
