import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SaleDetail } from '../../shared/contract';
import { decimalsOf, parseMajorAmount } from '../../shared/currency';
import { isRefundablePayType } from '../../shared/pay-types';
import { cashierText } from '../../shared/qfpay-codes';
import { isFinalRefund } from '../../shared/sale';
import type { SettingsView } from '../../shared/settings';
import { TillError, till, unwrap } from '../lib/api';
import { dateTime, money } from '../lib/format';
import { walletName } from '../lib/wallets';
import { ConfirmStep } from './ConfirmStep';
import { ReprintButtons } from './ReceiptButtons';
import { SaleTrail } from './SaleTrail';
import { StateBadge, saleStatus } from './StateBadge';

// One sale from History: its facts, what was refunded of it, a refund (the
// whole sale asks first; the PIN when one is set) and its trail. A pay type
// QFPay does not refund (FPS) says so and offers no refund at all.

export function SaleDetailView({ outTradeNo, settings, onBack }: { outTradeNo: string; settings: SettingsView; onBack: () => void }) {
  const { t } = useTranslation();
  const language = settings.language;
  const [detail, setDetail] = useState<SaleDetail | null>(null);
  const [amountText, setAmountText] = useState('');
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error' | 'info'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Refunding the whole sale cannot be taken back: it asks first.
  const [confirmAll, setConfirmAll] = useState(false);

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
  const qfpayPayType = sale.payType !== undefined && !sale.cash ? sale.payType : undefined;
  const refundable = qfpayPayType === undefined || isRefundablePayType(qfpayPayType);

  const refund = async (full: boolean) => {
    setConfirmAll(false);
    setBusy(true);
    setMessage(null);
    try {
      let amountMinor: number | undefined;
      if (!full) {
        const parsed = parseMajorAmount(amountText, sale.currency);
        // The same reasons the keypad gives ("12.5" on a yen sale is not ¥125), and nothing is sent.
        if (!parsed.ok) {
          const reason =
            parsed.error === 'too_many_decimals'
              ? t(decimalsOf(sale.currency) === 0 ? 'keypad.noDecimals' : 'keypad.tooManyDecimals', { currency: sale.currency })
              : parsed.error === 'too_large'
                ? t('errors.exceeds_refundable')
                : t('errors.invalid_input');
          setMessage({ kind: 'error', text: reason });
          return;
        }
        if (parsed.amountMinor > detail.refundableMinor) {
          setMessage({ kind: 'error', text: t('errors.exceeds_refundable') });
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
      <div className="detail-main">
      <dl className="detail-facts">
        <dt>{t('sale.orderNumber', { id: '' }).trim()}</dt>
        <dd className="mono">{sale.outTradeNo}</dd>
        {sale.syssn ? (
          <>
            <dt>QFPay</dt>
            <dd className="mono">{sale.syssn}</dd>
          </>
        ) : null}
        {qfpayPayType ? (
          <>
            <dt>{t('pay.payType')}</dt>
            <dd data-testid="detail-pay-type">
              {t(`pay.types.${qfpayPayType}`, { defaultValue: t(`pay.wallets.${walletName(qfpayPayType)}`) })}
            </dd>
          </>
        ) : null}
        {sale.authCodeMasked ? (
          <>
            <dt>{t('pay.code')}</dt>
            <dd className="mono" data-testid="detail-code">{sale.authCodeMasked}</dd>
          </>
        ) : null}
        {sale.realNameChecked ? (
          <>
            <dt>{t('pay.realName.open')}</dt>
            <dd>{t('pay.realNameChecked')}</dd>
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

      <ReprintButtons sale={sale} refundIds={detail.refunds.filter((r) => r.state === 'refunded').map((r) => r.outTradeNo)} />
      {sale.refundedMinor > 0 ? (
        <div className={`refund-summary refund-summary-${saleStatus(sale)}`} data-testid="refund-summary">
          {sale.refundedMinor >= sale.amountMinor
            ? t('history2.fullyRefunded', { amount: money(sale.refundedMinor, sale.currency, language), n: detail.refunds.filter((r) => r.state === 'refunded').length })
            : t('history2.partlyRefunded', { amount: money(sale.refundedMinor, sale.currency, language), total: money(sale.amountMinor, sale.currency, language) })}
        </div>
      ) : null}
      {sale.state === 'paid' && !refundable ? (
        <div className="warn-banner" role="note" data-testid="no-refund">
          {t('pay.noRefundFps')}
        </div>
      ) : sale.state === 'paid' && detail.refundableMinor > 0 && confirmAll ? (
        <ConfirmStep
          title={t('counter.refundAllTitle')}
          confirmLabel={t('counter.refundAllConfirm', { amount: money(detail.refundableMinor, sale.currency, language) })}
          backLabel={t('counter.goBack')}
          busy={busy}
          onConfirm={() => void refund(true)}
          onBack={() => setConfirmAll(false)}
        >
          <p className="confirm-body">{t('counter.refundAllBody', { amount: money(detail.refundableMinor, sale.currency, language) })}</p>
        </ConfirmStep>
      ) : sale.state === 'paid' && detail.refundableMinor > 0 ? (
        <section className="refund-box">
          <h3>{t('history.refund')}</h3>
          <p>{t('history.refundable', { amount: money(detail.refundableMinor, sale.currency, language) })}</p>
          <p className="field-hint" id="refund-amount-hint">
            {t('history2.refundHint', { amount: money(detail.refundableMinor, sale.currency, language) })}
          </p>
          <div className="refund-row">
            <label className="field-inline">
              {t('history.refundAmount')}
              <input inputMode="decimal" value={amountText} onChange={(e) => setAmountText(e.target.value)} aria-describedby="refund-amount-hint" />
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
            <button type="button" className="btn" disabled={busy} onClick={() => setConfirmAll(true)}>
              {t('history.refundFull')}
            </button>
          </div>
        </section>
      ) : null}
      {message ? <div className={`${message.kind}-banner`} role={message.kind === 'error' ? 'alert' : 'status'}>{message.text}</div> : null}
      </div>
      <div className="detail-side">

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
        <SaleTrail events={detail.events} language={language} />
      </section>
      </div>
    </div>
  );
}
