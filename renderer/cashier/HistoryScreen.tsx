import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { isCurrencyCode, parseMajorAmount } from '../../shared/currency';
import type { SaleView } from '../../shared/sale';
import type { SettingsView } from '../../shared/settings';
import { TillError, till, unwrap } from '../lib/api';
import { clockTime, money } from '../lib/format';
import { SaleDetailView } from './SaleDetailView';
import { StateBadge } from './StateBadge';

// Today's sales (or another day's) with the day's net total; search by
// amount, order number or note; one sale's detail in SaleDetailView.

function localDay(value: string): { fromMs: number; toMs: number } {
  const [y, m, d] = value.split('-').map(Number) as [number, number, number];
  const from = new Date(y, m - 1, d).getTime();
  return { fromMs: from, toMs: new Date(y, m - 1, d + 1).getTime() };
}

function todayValue(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

export { trailText } from './SaleTrail';
export { StateBadge, saleStatus } from './StateBadge';

/** The day's takings of the sales listed, per currency: paid sales less what was refunded of them. */
export function dayTotals(sales: readonly SaleView[]): { currency: SaleView['currency']; count: number; netMinor: number; refundedMinor: number }[] {
  const by = new Map<string, { currency: SaleView['currency']; count: number; netMinor: number; refundedMinor: number }>();
  for (const sale of sales) {
    if (sale.state !== 'paid') continue;
    const row = by.get(sale.currency) ?? { currency: sale.currency, count: 0, netMinor: 0, refundedMinor: 0 };
    row.count += 1;
    row.netMinor += sale.amountMinor - sale.refundedMinor;
    row.refundedMinor += sale.refundedMinor;
    by.set(sale.currency, row);
  }
  return [...by.values()];
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
        <input className="search-input" type="search" placeholder={t('history2.search')} aria-label={t('history2.search')} value={search} onChange={(e) => setSearch(e.target.value)} />
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
              <th>{t('history2.goods')}</th>
              <th>{t('history.status')}</th>
              <th>{t('sale.orderNumber', { id: '' }).trim()}</th>
            </tr>
          </thead>
          <tbody>
            {sales.map((sale) => (
              <tr key={sale.outTradeNo} tabIndex={0} onClick={() => setSelected(sale.outTradeNo)} onKeyDown={(e) => e.key === 'Enter' && setSelected(sale.outTradeNo)}>
                <td>{clockTime(sale.createdAtMs, language)}</td>
                <td className="num">{money(sale.amountMinor, sale.currency, language)}</td>
                <td className="goods-cell">
                  {sale.goodsName ?? ''}
                  {sale.authCodeMasked ? <span className="mono history-code">{t('pay.codeShown', { code: sale.authCodeMasked })}</span> : null}
                </td>
                <td>
                  <StateBadge sale={sale} />
                  {sale.refundedMinor > 0 ? <span className="refunded-amount">{t('history2.refundedAmount', { amount: money(sale.refundedMinor, sale.currency, language) })}</span> : null}
                </td>
                <td className="mono">{sale.outTradeNo}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            {dayTotals(sales).map((d) => (
              <tr key={d.currency} className="day-total">
                <th colSpan={5}>
                  {t(hasMore ? 'history2.totalShown' : 'history2.total', { amount: money(d.netMinor, d.currency, language), n: d.count })}
                  {d.refundedMinor > 0 ? ` ${t('history2.totalRefunded', { amount: money(d.refundedMinor, d.currency, language) })}` : ''}
                </th>
              </tr>
            ))}
          </tfoot>
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
