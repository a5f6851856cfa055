import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { SaleView } from '../../shared/sale';
import type { Language } from '../../shared/settings';
import { payTypeInfo } from '../../shared/pay-types';
import type { RealName } from '../../shared/real-name';
import { cashierText } from '../../shared/qfpay-codes';
import { QrImage } from '../components/QrImage';
import { useNow } from '../components/use-now';
import { clockTime, minutesSeconds, money } from '../lib/format';
import { WALLET_COLOURS, walletName } from '../lib/wallets';

// One sale on the cashier screen, from "creating the order" to its final
// screen. The QR appears only while the customer may pay it. A scanned code
// (consumer-presented, issue 13) has no QR: the panel says what the customer
// and QFPay are doing, and shows the code only masked.

interface Props {
  sale: SaleView;
  language: Language;
  training: boolean;
  busy: boolean;
  onCancel: () => void;
  onSimulatePay: () => void;
  onNewSale: () => void;
  /** Shown on the paid screen above "New sale" (the receipt's Print button, issue 14). */
  paidExtra?: ReactNode;
  /** The real-name check sent with this sale, already masked (issue 13 §5); the cashier never sees it whole again. */
  realNameShown?: RealName | null;
}

// An SVG, not the ⌛ character: without an emoji font (a Linux till) that is an empty box.
function HourglassIcon() {
  return (
    <svg className="icon-svg" viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth="2.2" strokeLinecap="round" strokeLinejoin="round">
      <path d="M6 2.5h12M6 21.5h12M7.5 2.5v3.5l4.5 6-4.5 6v3.5M16.5 2.5v3.5l-4.5 6 4.5 6v3.5" />
    </svg>
  );
}

/** Which wallet's QR is up, in its brand colour: the cashier can tell a customer holding the wrong app. */
function WalletChip({ payType }: { payType: string }) {
  const { t } = useTranslation();
  const wallet = walletName(payType);
  const { bg, fg } = WALLET_COLOURS[wallet];
  return (
    <div className="sale-wallet" data-testid="sale-wallet" style={{ background: bg, color: fg }}>
      {t(`pay.wallets.${wallet}`)}
    </div>
  );
}

export function SalePanel({ sale, language, training, busy, onCancel, onSimulatePay, onNewSale, paidExtra, realNameShown }: Props) {
  const { t } = useTranslation();
  const now = useNow(500);
  const amount = money(sale.amountMinor, sale.currency, language);
  const open = sale.state === 'requesting' || sale.state === 'awaiting_scan' || sale.state === 'unknown' || sale.state === 'cancelling';
  const scanned = sale.payType !== undefined && payTypeInfo(sale.payType)?.presented === 'consumer';
  const codeLine = sale.authCodeMasked ? <div className="sale-code mono" data-testid="sale-code">{t('pay.codeShown', { code: sale.authCodeMasked })}</div> : null;
  const realNameLine =
    realNameShown && sale.realNameChecked ? (
      <div className="sale-code" data-testid="sale-realname">
        {t('pay.realName.sent', { id: realNameShown.idCardNumber, name: realNameShown.name, interpolation: { escapeValue: false } })}
      </div>
    ) : null;
  const code = (
    <>
      {codeLine}
      {realNameLine}
    </>
  );

  if (open) {
    const status =
      sale.state === 'requesting'
        ? t(scanned ? 'pay.sending' : 'sale.creating')
        : sale.state === 'cancelling'
          ? t(scanned ? 'pay.reversing' : 'sale.cancelling')
          : sale.state === 'unknown' || sale.activity === 'checking'
            ? t('sale.checking')
            : scanned
              ? t('pay.confirmOnPhone')
              : sale.activity === 'customer_paying'
                ? t('sale.customerPaying')
                : t('sale.waiting');
    return (
      <section className="sale sale-open" data-state={sale.state} aria-live="polite">
        <div className="sale-amount">{amount}</div>
        {sale.goodsName ? <div className="sale-goods">{sale.goodsName}</div> : null}
        <div className="sale-body">
          {sale.qrcode ? (
            <div className="sale-qr">
              <QrImage className="sale-qr-image" text={sale.qrcode} label={t('sale.customerDisplay')} />
              <div className="sale-qr-note">{t('sale.customerDisplay')}</div>
              {sale.payType ? <WalletChip payType={sale.payType} /> : null}
            </div>
          ) : (
            <div className="sale-spinner" aria-hidden="true" />
          )}
          <div className="sale-status">
            <div className={`status-line status-${sale.activity}`} role="status">{status}</div>
            {sale.expiresAtMs !== null ? (
              <div className="countdown">{t(scanned ? 'pay.reverseIn' : 'sale.expiresIn', { time: minutesSeconds(sale.expiresAtMs - now) })}</div>
            ) : null}
            {code}
            <div className="sale-id">{t('sale.orderNumber', { id: sale.outTradeNo })}</div>
          </div>
        </div>
        <div className="sale-actions">
          {sale.state !== 'cancelling' ? (
            <button type="button" className="btn btn-danger btn-large" onClick={onCancel} disabled={busy}>
              {t('sale.cancel')} <kbd>Esc</kbd>
            </button>
          ) : null}
          {training && sale.state === 'awaiting_scan' && sale.qrcode ? (
            <button type="button" className="btn btn-training" onClick={onSimulatePay} disabled={busy}>
              {t('sale.simulatePay')}
            </button>
          ) : null}
        </div>
      </section>
    );
  }

  const failedText = sale.respcd && sale.respcd !== '0000' ? cashierText(sale.respcd, language) : null;
  return (
    <section className={`sale sale-final sale-${sale.state}${sale.paidAfterCancel ? ' sale-paid-after-cancel' : ''}`} data-state={sale.state} aria-live="assertive">
      {sale.state === 'paid' ? (
        <>
          {sale.paidAfterCancel ? (
            <div className="alarm" role="alert">
              <strong>{t('sale.paidAfterCancel')}</strong>
              <span>{t('sale.paidAfterCancelHint')}</span>
            </div>
          ) : null}
          <div className="final-icon" aria-hidden="true">✓</div>
          <h2 className="final-title">{t('sale.paid')}</h2>
          <div className="final-amount">{amount}</div>
          {sale.paidAtMs !== null ? <div className="final-detail">{t('sale.paidAt', { time: clockTime(sale.paidAtMs, language) })}</div> : null}
          {/* One line for QFPay's number and the code: the paid screen must keep "New sale" in view on a small till. */}
          {sale.syssn || sale.authCodeMasked ? (
            <div className="final-detail">
              {sale.syssn ? t('sale.qfpayNumber', { syssn: sale.syssn }) : null}
              {sale.syssn && sale.authCodeMasked ? ' · ' : null}
              {sale.authCodeMasked ? <span data-testid="sale-code">{t('pay.codeShown', { code: sale.authCodeMasked })}</span> : null}
            </div>
          ) : null}
          {realNameLine}
          {sale.cash ? (
            <div className="final-cash" data-testid="final-cash">
              <div className="final-detail">{t('cash.paidCash')} · {t('cash.receivedAmount', { amount: money(sale.cash.tenderedMinor, sale.currency, language) })}</div>
              <div className="final-change">{t('cash.changeAmount', { amount: money(sale.cash.changeMinor, sale.currency, language) })}</div>
            </div>
          ) : null}
          {paidExtra}
        </>
      ) : sale.state === 'failed' ? (
        <>
          <div className="final-icon" aria-hidden="true">✕</div>
          <h2 className="final-title">{t('sale.failed')}</h2>
          <div className="final-amount">{amount}</div>
          {sale.cancelReason === 'no_qr' ? (
            <p className="final-message">{t('sale.noQr')}</p>
          ) : failedText ? (
            <p className="final-message" data-respcd={sale.respcd}>
              <strong>{failedText.message}</strong> {failedText.hint}
            </p>
          ) : null}
          {code}
        </>
      ) : (
        <>
          <div className="final-icon" aria-hidden="true">{sale.state === 'expired' ? <HourglassIcon /> : '⊘'}</div>
          <h2 className="final-title">{sale.state === 'expired' ? t('sale.expired') : scanned ? t('pay.reversed') : t('sale.cancelled')}</h2>
          <div className="final-amount">{amount}</div>
          {code}
        </>
      )}
      <button type="button" className="btn btn-primary btn-large" onClick={onNewSale} autoFocus>
        {t('sale.newSale')} <kbd>Enter</kbd>
      </button>
    </section>
  );
}
