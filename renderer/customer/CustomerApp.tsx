import { useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import { COUNTDOWN_FROM_MS, qrTimeLeft, type AcceptedWallet, type DisplayState } from '../../shared/display';
import { PAY_TYPES, WECHAT_CPM, WECHAT_MPM, payTypeInfo } from '../../shared/pay-types';
import { QrImage } from '../components/QrImage';
import { useNow } from '../components/use-now';
import { en } from '../i18n/en';
import { zhHans } from '../i18n/zh-Hans';
import { zhHant } from '../i18n/zh-Hant';
import { customerApi } from '../lib/api';
import { minutesSeconds } from '../lib/format';
import { WALLET_COLOURS, walletName } from '../lib/wallets';
import { formatMinor, type CurrencyCode } from '../../shared/currency';

// The customer display: nothing but what a customer needs, in Chinese and
// English together, readable across a counter, in landscape or portrait. It
// shows a QR only while the order can be paid; a final screen returns to
// idle by itself (and main takes it down as soon as the cashier moves on).

const RETURN_TO_IDLE_MS = 8_000;

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

/** The page's one heading: the shop's name, or (without one) a title only a screen reader reads. */
function Heading({ name, zhTitle, className }: { name: string; zhTitle: string; className?: string }) {
  if (name) return <h1 className={`c-merchant${className ? ` ${className}` : ''}`}>{name}</h1>;
  return <h1 className="sr-only">{`${zhTitle} / ${en.counter.customer.display}`}</h1>;
}

function Screen({ kind, className, banner, children }: { kind: DisplayState['kind']; className?: string; banner: ReactNode; children: ReactNode }) {
  return (
    <main className={`c-screen c-${kind}${className ? ` ${className}` : ''}`} data-state={kind}>
      {banner}
      <div className="c-body">{children}</div>
    </main>
  );
}

/** The wallet's name in both languages on its brand colour (text and colour only, no trademark image). */
function WalletMark({ payType, zhName }: { payType: string | undefined; zhName: (wallet: keyof typeof en.pay.wallets) => string }) {
  const wallet = walletName(payType);
  const colours = WALLET_COLOURS[wallet];
  return (
    <div className="c-wallet-mark" aria-hidden="true" data-wallet={wallet} style={{ background: colours.bg, color: colours.fg }}>
      {en.pay.wallets[wallet]} · {zhName(wallet)}
    </div>
  );
}

/**
 * The wallets the shop takes, each on its brand colour, Chinese above
 * English: real text, so a screen reader reads the list too. Nothing when
 * the list is not known yet (before main's first answer).
 */
function AcceptedWallets({ wallets, lang, zhName, compact }: { wallets: readonly AcceptedWallet[]; lang: string; zhName: (wallet: keyof typeof en.pay.wallets) => string; compact?: boolean }) {
  if (wallets.length === 0) return null;
  return (
    <ul className={`c-wallets${compact ? ' c-wallets-compact' : ''}`} data-testid="customer-wallets">
      {wallets.map((wallet) => {
        const colours = WALLET_COLOURS[wallet];
        return (
          <li key={wallet} className="c-wallet" data-wallet={wallet} style={{ background: colours.bg, color: colours.fg }}>
            <span lang={lang} className="c-wallet-zh">{zhName(wallet)}</span>
            <span lang="en" className="c-wallet-en">{en.pay.wallets[wallet]}</span>
          </li>
        );
      })}
    </ul>
  );
}

/** `elapsedMs`: how long ago the display received `state` (the QR's countdown runs from there). */
export function CustomerScreen({ state, elapsedMs = 0 }: { state: DisplayState; elapsedMs?: number }) {
  // Traditional Chinese beside English, or Simplified when the till is set to it.
  const zhAll = state.chinese === 'zh-Hans' ? zhHans : zhHant;
  const zh = zhAll.customer;
  const eng = en.customer;
  const lang = state.chinese ?? 'zh-Hant';
  const banner = state.training ? <BothLanguages lang={lang} className="c-training" zhText={zh.training} enText={eng.training} /> : null;
  const heading = (className?: string) => <Heading name={state.merchantName} zhTitle={zhAll.counter.customer.display} className={className} />;
  const zhWallet = (wallet: keyof typeof en.pay.wallets) => zhAll.pay.wallets[wallet];
  switch (state.kind) {
    case 'qr': {
      const leftMs = qrTimeLeft(state, elapsedMs);
      const left = minutesSeconds(leftMs);
      const showCountdown = leftMs <= COUNTDOWN_FROM_MS;
      // The wallet's own prompt ("Scan with Alipay"); a state without one is WeChat's, as before issue 13.
      const prompt = (payTypeInfo(state.payType ?? WECHAT_MPM) ?? PAY_TYPES[WECHAT_MPM]).prompt;
      const zhPrompt = prompt[lang];
      return (
        <Screen kind="qr" banner={banner}>
          <div className="c-qr-layout">
            <div className="c-qr-cell">
              <QrImage className="c-qr-image" text={state.qrcode} label={`${zhPrompt} / ${prompt.en}`} />
            </div>
            <div className="c-qr-side">
              {heading()}
              <Amount className="c-amount c-amount-fit" amountMinor={state.amountMinor} currency={state.currency} testId="customer-amount" />
              <BothLanguages lang={lang} className="c-scan" zhText={zhPrompt} enText={prompt.en} />
              <WalletMark payType={state.payType} zhName={zhWallet} />
              {/* Its place is kept while hidden, so the QR never changes size under the customer's phone. */}
              <div className={`c-countdown${showCountdown ? '' : ' c-hidden'}`} aria-hidden={showCountdown ? undefined : true} data-testid="customer-countdown">
                <BothLanguages lang={lang} zhText={zh.expiresIn.replace('{{time}}', left)} enText={eng.expiresIn.replace('{{time}}', left)} />
              </div>
            </div>
          </div>
        </Screen>
      );
    }
    case 'show_code': {
      // The cashier is about to scan (or has scanned) the customer's code: the amount, and what the customer does now.
      const prompt = PAY_TYPES[WECHAT_CPM].prompt;
      return (
        <Screen kind="show_code" className={state.waiting ? 'c-show-code-waiting' : undefined} banner={banner}>
          {heading()}
          <Amount className="c-amount c-amount-due" amountMinor={state.amountMinor} currency={state.currency} testId="customer-code-amount" />
          {state.waiting ? (
            <>
              <div className="c-spinner" aria-hidden="true" />
              <BothLanguages lang={lang} className="c-message" zhText={zhAll.pay.customer.showCodeWait} enText={en.pay.customer.showCodeWait} />
            </>
          ) : (
            <>
              <div className="c-code-icon" aria-hidden="true">
                <svg viewBox="0 0 64 40" width="100%" height="100%" fill="currentColor">
                  {[0, 4, 7, 12, 15, 18, 23, 26, 30, 35, 38, 42, 45, 50, 53, 57, 60].map((x, i) => (
                    <rect key={x} x={x} y="0" width={i % 3 === 0 ? 3 : 1.6} height="40" />
                  ))}
                </svg>
              </div>
              <BothLanguages lang={lang} className="c-message c-show-code" zhText={prompt[lang]} enText={prompt.en} />
            </>
          )}
          {state.payType ? <WalletMark payType={state.payType} zhName={zhWallet} /> : null}
        </Screen>
      );
    }
    case 'due':
      return (
        <Screen kind="due" banner={banner}>
          {heading('c-merchant-large')}
          <BothLanguages lang={lang} className="c-due-label" zhText={zhAll.counter.customer.due} enText={en.counter.customer.due} />
          <Amount className="c-amount c-amount-due" amountMinor={state.amountMinor} currency={state.currency} testId="customer-due" />
          <AcceptedWallets wallets={state.wallets} lang={lang} zhName={zhWallet} compact />
        </Screen>
      );
    case 'paid':
      return (
        <Screen kind="paid" banner={banner}>
          {heading()}
          <div className="c-tick" aria-hidden="true">✓</div>
          <Amount className="c-amount" amountMinor={state.amountMinor} currency={state.currency} />
          <BothLanguages lang={lang} className="c-message" zhText={zh.paid} enText={eng.paid} />
          {state.changeMinor !== undefined ? (
            <div className="c-change" data-testid="customer-change">
              <BothLanguages lang={lang} zhText={zhAll.cash.change} enText={en.cash.change} />
              <Amount className="c-amount" amountMinor={state.changeMinor} currency={state.currency} />
            </div>
          ) : null}
        </Screen>
      );
    case 'closed': {
      const next = `${state.reason}Next` as const;
      return (
        <Screen kind="closed" className={`c-closed-${state.reason}`} banner={banner}>
          {heading()}
          <BothLanguages lang={lang} className="c-message" zhText={zh[state.reason]} enText={eng[state.reason]} />
          <BothLanguages lang={lang} className="c-next" zhText={zhAll.counter.customer[next]} enText={en.counter.customer[next]} />
        </Screen>
      );
    }
    default:
      return (
        <Screen kind="idle" banner={banner}>
          {heading('c-merchant-large')}
          {state.wallets.length > 0 ? <BothLanguages lang={lang} className="c-message" zhText={zh.accepted} enText={eng.accepted} /> : null}
          <AcceptedWallets wallets={state.wallets} lang={lang} zhName={zhWallet} />
        </Screen>
      );
  }
}

export function CustomerApp() {
  const [state, setState] = useState<DisplayState>({ kind: 'idle', merchantName: '', training: false, wallets: [] });
  const [receivedAt, setReceivedAt] = useState(() => Date.now());
  // What the shop takes, from the last idle or due state: the idle screen this app returns to by itself names them too.
  const [wallets, setWallets] = useState<readonly AcceptedWallet[]>([]);
  const now = useNow(500);

  useEffect(() => {
    const api = customerApi();
    let pushed = false;
    const take = (next: DisplayState) => {
      setState(next);
      setReceivedAt(Date.now());
      if (next.kind === 'idle' || next.kind === 'due') setWallets(next.wallets);
    };
    const off = api.onDisplay((next) => {
      pushed = true;
      take(next);
    });
    void api.displayState().then((r) => {
      // A push that arrived meanwhile is newer than this answer.
      if (r.ok && !pushed) take(r.value);
    });
    return off;
  }, []);

  const elapsedMs = now - receivedAt;
  // A QR past its expiry is never left up, even before main says so.
  let shown: DisplayState = state;
  if (state.kind === 'qr' && qrTimeLeft(state, elapsedMs) <= 0) shown = { kind: 'closed', merchantName: state.merchantName, training: state.training, reason: 'expired', ...(state.chinese ? { chinese: state.chinese } : {}) };
  if ((shown.kind === 'paid' || shown.kind === 'closed') && elapsedMs > RETURN_TO_IDLE_MS) {
    shown = { kind: 'idle', merchantName: state.merchantName, training: state.training, wallets, ...(state.chinese ? { chinese: state.chinese } : {}) };
  }
  return <CustomerScreen state={shown} elapsedMs={elapsedMs} />;
}
