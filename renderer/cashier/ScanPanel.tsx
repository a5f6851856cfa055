import { useState } from 'react';
import { useTranslation } from 'react-i18next';

// Scan mode (issue 13 §1), in place of the keypad: the field a keyboard-wedge
// scanner types the customer's payment code into (or the cashier types its
// digits), Enter takes the payment. The screen checks the code and charges;
// Esc (handled by the screen) or Back leaves scan mode.

interface Props {
  busy: boolean;
  error: string | null;
  onCode: (code: string) => void;
  onBack: () => void;
}

export function ScanPanel({ busy, error, onCode, onBack }: Props) {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const submit = () => {
    const digits = code.replace(/\s+/g, '');
    if (digits === '' || busy) return;
    // The field empties for the next scan whatever the answer: a code is never sent twice by a second Enter.
    setCode('');
    onCode(digits);
  };
  return (
    <section className="scan-panel" aria-labelledby="scan-title">
      <h2 id="scan-title">{t('pay.scanTitle')}</h2>
      <p className="scan-hint">{t('pay.scanHint')}</p>
      <input
        className="scan-input"
        aria-label={t('pay.scanField')}
        inputMode="numeric"
        autoComplete="off"
        autoFocus
        value={code}
        maxLength={40}
        onChange={(e) => setCode(e.target.value)}
        onKeyDown={(e) => {
          if (e.key !== 'Enter') return;
          e.preventDefault();
          submit();
        }}
      />
      <div className="scan-art" aria-hidden="true">
        {/* A phone showing its payment code: where the cashier points the scanner. */}
        <svg viewBox="0 0 120 160" fill="none" stroke="currentColor" strokeWidth="4">
          <rect x="22" y="4" width="76" height="152" rx="12" />
          <line x1="50" y1="16" x2="70" y2="16" strokeLinecap="round" />
          {[34, 40, 44, 52, 56, 60, 68, 72, 80, 84].map((x, i) => (
            <rect key={x} x={x} y="44" width={i % 3 === 0 ? 3 : 1.5} height="40" fill="currentColor" stroke="none" />
          ))}
          <rect x="40" y="96" width="40" height="40" strokeWidth="3" />
          <rect x="48" y="104" width="10" height="10" fill="currentColor" stroke="none" />
          <rect x="64" y="118" width="8" height="10" fill="currentColor" stroke="none" />
        </svg>
      </div>
      {error ? (
        <div className="error-banner" role="alert">
          {error}
        </div>
      ) : null}
      <div className="scan-actions">
        <button type="button" className="btn btn-large" onClick={onBack} disabled={busy}>
          {t('pay.scanBack')} <kbd>Esc</kbd>
        </button>
        <button type="button" className="btn btn-primary btn-large" onClick={submit} disabled={busy || code.trim() === ''}>
          {t('pay.scanSubmit')} <kbd>Enter</kbd>
        </button>
      </div>
    </section>
  );
}
