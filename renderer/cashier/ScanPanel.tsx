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
