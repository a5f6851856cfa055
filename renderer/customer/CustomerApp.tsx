import { useEffect, useState, type CSSProperties } from 'react';
import type { DisplayState } from '../../shared/display';
import { QrImage } from '../components/QrImage';
import { useNow } from '../components/use-now';
import { en } from '../i18n/en';
import { zhHans } from '../i18n/zh-Hans';
import { zhHant } from '../i18n/zh-Hant';
import { customerApi } from '../lib/api';
import { minutesSeconds } from '../lib/format';
import { formatMinor, type CurrencyCode } from '../../shared/currency';

// The customer display: nothing but what a customer needs, in Chinese and
// English together, readable across a counter. It shows a QR only while the
// order can be paid; a final screen returns to idle by itself.

const RETURN_TO_IDLE_MS = 8_000;
const eng = en.customer;

function BothLanguages({ lang, zhText, enText, className }: { lang: string; zhText: string; enText: string; className?: string | undefined }) {
  return (
    <div className={className}>
      <div lang={lang} className="zh">{zhText}</div>
      <div lang="en" className="en">{enText}</div>
    </div>
  );
}

/**
 * The amount on one line, its size set by its length (--chars) in the CSS so
 * that even HK$999,999,999.99 fits beside the QR instead of running off the screen.
 */
function Amount({ amountMinor, currency, className, testId }: { amountMinor: number; currency: CurrencyCode; className: string; testId?: string }) {
  const text = formatMinor(amountMinor, currency, 'zh-HK');
  return (
    <div className={className} data-testid={testId} style={{ '--chars': text.length } as CSSProperties}>
      {text}
    </div>
  );
}

export function CustomerScreen({ state, now }: { state: DisplayState; now: number }) {
  // Traditional Chinese beside English, or Simplified when the till is set to it.
  const zh = state.chinese === 'zh-Hans' ? zhHans.customer : zhHant.customer;
  const lang = state.chinese ?? 'zh-Hant';
  const banner = state.training ? <BothLanguages lang={lang} className="c-training" zhText={zh.training} enText={eng.training} /> : null;
  switch (state.kind) {
    case 'qr': {
      const left = minutesSeconds(state.expiresAtMs - now);
      return (
        <main className="c-screen c-qr" data-state="qr">
          {banner}
          <div className="c-qr-layout">
            <QrImage className="c-qr-image" text={state.qrcode} label={`${zh.scan} / ${eng.scan}`} />
            <div className="c-qr-side">
              {state.merchantName ? <div className="c-merchant">{state.merchantName}</div> : null}
              <Amount className="c-amount c-amount-fit" amountMinor={state.amountMinor} currency={state.currency} testId="customer-amount" />
              <BothLanguages lang={lang} className="c-scan" zhText={zh.scan} enText={eng.scan} />
              <div className="c-wechat-mark" aria-hidden="true">WeChat Pay · 微信支付</div>
              <BothLanguages lang={lang} className="c-countdown" zhText={zh.expiresIn.replace('{{time}}', left)} enText={eng.expiresIn.replace('{{time}}', left)} />
            </div>
          </div>
        </main>
      );
    }
    case 'paid':
      return (
        <main className="c-screen c-paid" data-state="paid">
          {banner}
          <div className="c-tick" aria-hidden="true">✓</div>
          <Amount className="c-amount" amountMinor={state.amountMinor} currency={state.currency} />
          <BothLanguages lang={lang} className="c-message" zhText={zh.paid} enText={eng.paid} />
        </main>
      );
    case 'closed': {
      const key = state.reason;
      return (
        <main className="c-screen c-closed" data-state="closed">
          {banner}
          <BothLanguages lang={lang} className="c-message" zhText={zh[key]} enText={eng[key]} />
        </main>
      );
    }
    default:
      return (
        <main className="c-screen c-idle" data-state="idle">
          {banner}
          {state.merchantName ? <div className="c-merchant c-merchant-idle">{state.merchantName}</div> : null}
          <div className="c-wechat-badge" aria-hidden="true">微</div>
          <BothLanguages lang={lang} className="c-message" zhText={zh.accepted} enText={eng.accepted} />
        </main>
      );
  }
}

export function CustomerApp() {
  const [state, setState] = useState<DisplayState>({ kind: 'idle', merchantName: '', training: false });
  const [receivedAt, setReceivedAt] = useState(() => Date.now());
  const now = useNow(500);

  useEffect(() => {
    const api = customerApi();
    const off = api.onDisplay((next) => {
      setState(next);
      setReceivedAt(Date.now());
    });
    void api.displayState().then((r) => {
      if (r.ok) setState(r.value);
    });
    return off;
  }, []);

  // A QR past its expiry is never left up, even before main says so.
  let shown: DisplayState = state;
  if (state.kind === 'qr' && now >= state.expiresAtMs) shown = { kind: 'closed', merchantName: state.merchantName, training: state.training, reason: 'expired' };
  if ((shown.kind === 'paid' || shown.kind === 'closed') && now - receivedAt > RETURN_TO_IDLE_MS) {
    shown = { kind: 'idle', merchantName: state.merchantName, training: state.training };
  }
  return <CustomerScreen state={shown} now={now} />;
}
