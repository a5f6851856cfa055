import { useTranslation } from 'react-i18next';
import { Fragment } from 'react';
import { tenderName, type DrawerTotals } from '../../shared/cash';
import { isCurrencyCode } from '../../shared/currency';
import type { TillReport } from '../../shared/reports';
import type { Language } from '../../shared/settings';
import { money } from '../lib/format';

// The cash side of an X or Z report: each currency's split by tender (one
// line per pay type by its name in the cashier's language, its refunds under
// it, cash last, one net total) and the drawer — float, cash sales and
// refunds, paid in and out with their reasons, the expected cash and, on a
// Z, the counted cash and the difference (Square's and Loyverse's shift
// reports are the model).

const amountOf = (minor: number, currency: string, language: Language) => (isCurrencyCode(currency) ? money(minor, currency, language) : `${minor} ${currency}`);

function Drawer({ d, language }: { d: DrawerTotals; language: Language }) {
  const { t } = useTranslation();
  const m = (minor: number) => amountOf(minor, d.currency, language);
  const reasons = (kind: 'paid_in' | 'paid_out') =>
    d.movements
      .filter((mv) => mv.kind === kind)
      .map((mv) => `${mv.reason ?? ''} ${m(mv.amountMinor)}`)
      .join(' · ');
  return (
    <table className="drawer-table" data-currency={d.currency}>
      <caption className="sr-only">{`${t('cash.drawer')} ${d.currency}`}</caption>
      <tbody>
        <tr>
          <th>{t('cash.openingFloat')}</th>
          <td className="num">{m(d.floatMinor)}</td>
        </tr>
        <tr>
          <th>{t('cash.cashSales')}</th>
          <td className="num">{t('reports.countAmount', { n: d.cashSalesCount, amount: m(d.cashSalesMinor) })}</td>
        </tr>
        <tr>
          <th>{t('cash.cashRefunds')}</th>
          <td className="num">{t('reports.countAmount', { n: d.cashRefundCount, amount: d.cashRefundMinor > 0 ? `−${m(d.cashRefundMinor)}` : m(0) })}</td>
        </tr>
        <tr>
          <th>
            {t('cash.paidIn')} {reasons('paid_in') ? <div className="drawer-reason">{reasons('paid_in')}</div> : null}
          </th>
          <td className="num">{m(d.paidInMinor)}</td>
        </tr>
        <tr>
          <th>
            {t('cash.paidOut')} {reasons('paid_out') ? <div className="drawer-reason">{reasons('paid_out')}</div> : null}
          </th>
          <td className="num">{d.paidOutMinor > 0 ? '−' : ''}{m(d.paidOutMinor)}</td>
        </tr>
        <tr className="drawer-expected">
          <th>{t('cash.expected')}</th>
          <td className="num" data-testid={`drawer-expected-${d.currency}`}>
            {m(d.expectedMinor)}
          </td>
        </tr>
        {d.countedMinor !== undefined ? (
          <tr>
            <th>{t('cash.counted')}</th>
            <td className="num">{m(d.countedMinor)}</td>
          </tr>
        ) : null}
        {d.differenceMinor !== undefined ? (
          <tr className={d.differenceMinor < 0 ? 'drawer-short' : undefined}>
            <th>{t('cash.difference')}</th>
            <td className="num" data-testid={`drawer-difference-${d.currency}`}>
              {d.differenceMinor > 0 ? '+' : d.differenceMinor < 0 ? '−' : ''}
              {m(Math.abs(d.differenceMinor))}
            </td>
          </tr>
        ) : null}
      </tbody>
    </table>
  );
}

export function DrawerSection({ report, language }: { report: TillReport; language: Language }) {
  const { t } = useTranslation();
  // Every currency with a tender: the split names how the money came in even when there was one way only.
  const tenders = (report.tenders ?? []).filter((c) => c.tenders.length > 0);
  if (tenders.length === 0 && !report.drawer?.length && !report.drawerOpenings) return null;
  return (
    <section className="drawer-section" data-testid="drawer-section">
      {tenders.length > 0 ? (
        <>
          <h3>{t('cash.tenders')}</h3>
          {tenders.map((c) => {
            const m = (minor: number) => amountOf(minor, c.currency, language);
            const paid = c.tenders.reduce((a, x) => a + x.paidCount, 0);
            const net = c.tenders.reduce((a, x) => a + x.grossMinor - x.refundMinor, 0);
            return (
              <table key={c.currency} className="drawer-table tender-table" data-currency={c.currency}>
                <caption className="sr-only">{`${t('cash.tenders')} ${c.currency}`}</caption>
                <tbody>
                  {c.tenders.map((x) => (
                    <Fragment key={x.payType}>
                      <tr data-tender={x.payType}>
                        <th>{tenderName(x.payType, language)}</th>
                        <td className="num">{t('reports.countAmount', { n: x.paidCount, amount: m(x.grossMinor) })}</td>
                      </tr>
                      {x.refundCount > 0 ? (
                        <tr className="tender-refund" data-tender-refunds={x.payType}>
                          <th>{t('reports2.tenderRefunds')}</th>
                          <td className="num">{t('reports.countAmount', { n: x.refundCount, amount: `−${m(x.refundMinor)}` })}</td>
                        </tr>
                      ) : null}
                    </Fragment>
                  ))}
                  <tr className="tender-total">
                    <th>{t('reports2.tenderTotal')}</th>
                    <td className="num" data-testid={`tender-total-${c.currency}`}>
                      {t('reports.countAmount', { n: paid, amount: m(net) })}
                    </td>
                  </tr>
                </tbody>
              </table>
            );
          })}
        </>
      ) : null}
      {report.drawer?.length ? (
        <>
          <h3>{t('cash.drawer')}</h3>
          {report.drawer.map((d) => (
            <Drawer key={d.currency} d={d} language={language} />
          ))}
        </>
      ) : null}
      {report.drawerOpenings ? (
        <p className="drawer-openings" data-testid="drawer-openings">
          {t('cash.drawerOpenings', { n: report.drawerOpenings })}
        </p>
      ) : null}
    </section>
  );
}
