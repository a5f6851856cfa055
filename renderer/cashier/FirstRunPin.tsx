import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { pinSchema, type SettingsView } from '../../shared/settings';
import { till, unwrap } from '../lib/api';
import { errorText } from './ReportView';

// The supervisor PIN before anything else (issue 10). A fresh till, or one
// whose PIN record is missing, is walked through setting a PIN (typed twice);
// one whose record was edited outside the app asks for the PIN to restore it.
// Until then the till is training only: "Later" keeps it that way.

export function NewPinFields({ onSet, submitLabel }: { onSet: (pin: string) => Promise<void>; submitLabel: string }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [again, setAgain] = useState('');
  const invalid = pin !== '' && !pinSchema.safeParse(pin).success;
  const mismatch = again !== '' && again !== pin;
  return (
    <div className="first-run-fields">
      <label className={`field${invalid ? ' field-invalid' : ''}`}>
        <span className="field-label">{t('settings.newPin')}</span>
        <input type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />
        {invalid ? (
          <span className="field-error" role="alert">
            {t('invalid.pin')}
          </span>
        ) : null}
      </label>
      <label className={`field${mismatch ? ' field-invalid' : ''}`}>
        <span className="field-label">{t('settings.confirmPin')}</span>
        <input type="password" inputMode="numeric" autoComplete="off" value={again} onChange={(e) => setAgain(e.target.value)} />
        {mismatch ? (
          <span className="field-error" role="alert">
            {t('settings.pinMismatch')}
          </span>
        ) : null}
      </label>
      <button type="button" className="btn btn-primary" disabled={pin === '' || invalid || again !== pin} onClick={() => void onSet(pin)}>
        {submitLabel}
      </button>
    </div>
  );
}

export function FirstRunPin({ settings, onLater }: { settings: SettingsView; onLater: () => void }) {
  const { t } = useTranslation();
  const [pin, setPin] = useState('');
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const setNew = async (newPin: string) => {
    try {
      await unwrap(till().setPin({ newPin }));
      setMessage({ kind: 'ok', text: t('settings.firstRunDone') });
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e, t) });
    }
  };
  const restore = async () => {
    try {
      const result = await unwrap(till().checkPin({ pin }));
      setMessage(result.valid ? { kind: 'ok', text: t('settings.saved') } : { kind: 'error', text: t('errors.pin_wrong') });
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e, t) });
    }
  };

  return (
    <div className="first-run" role="dialog" aria-modal="true" aria-labelledby="first-run-title">
      <section className="first-run-card">
        <h2 id="first-run-title">{settings.pinState === 'tampered' ? t('settings.pinTitle') : t('settings.firstRunTitle')}</h2>
        {settings.pinState === 'tampered' ? (
          <>
            <p className="warn-banner">{t('settings.pinTampered')}</p>
            <label className="field">
              <span>{t('history.pin')}</span>
              <input type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />
            </label>
            <button type="button" className="btn btn-primary" disabled={!pinSchema.safeParse(pin).success} onClick={() => void restore()}>
              {t('settings.restorePin')}
            </button>
          </>
        ) : (
          <>
            <p>{settings.pinState === 'missing' ? t('settings.pinMissing') : t('settings.firstRunText')}</p>
            <NewPinFields onSet={setNew} submitLabel={t('settings.setPin')} />
          </>
        )}
        {message ? (
          <div className={`${message.kind === 'ok' ? 'ok' : 'error'}-banner`} role={message.kind === 'error' ? 'alert' : 'status'}>
            {message.text}
          </div>
        ) : null}
        <button type="button" className="btn first-run-later" onClick={onLater}>
          {t('settings.firstRunLater')}
        </button>
      </section>
    </div>
  );
}
