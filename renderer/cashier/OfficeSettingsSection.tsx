import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { OfficeStatus } from '../../shared/contract';
import { formatDateTime } from '../../shared/dates';
import { officePasswordSchema, officeUrlProblem, type SettingsView } from '../../shared/settings';
import { till, unwrap } from '../lib/api';
import { Field, SecretInput } from './Field';

// Settings → Head office (issue 15): whether this till sends its journal to
// head office's PostgreSQL, the database URL (never with its password) and
// the password, write-only like the client key: the screen only learns
// whether one is kept. Saved by the screen's one Save through setHeadOffice
// (PIN-gated in main). The sender's status comes from its last rounds.

/** What this section would add to the screen's one Save. */
export interface PendingOffice {
  invalid: boolean;
  /** Null when nothing here changed. */
  save: (() => Promise<void>) | null;
}

export function OfficeSettingsSection({ settings, pin, onPending }: { settings: SettingsView; pin: string; onPending: (pending: PendingOffice) => void }) {
  const { t } = useTranslation();
  const [enabled, setEnabled] = useState(settings.headOfficeEnabled);
  const [url, setUrl] = useState(settings.headOfficeUrl ?? '');
  const [password, setPassword] = useState('');
  const [forget, setForget] = useState(false);
  const [status, setStatus] = useState<OfficeStatus | null>(null);

  useEffect(() => {
    setEnabled(settings.headOfficeEnabled);
    setUrl(settings.headOfficeUrl ?? '');
    setForget(false);
  }, [settings]);

  const refresh = useCallback(async () => {
    try {
      setStatus(await unwrap(till().officeStatus()));
    } catch {
      setStatus(null);
    }
  }, []);
  useEffect(() => {
    void refresh();
  }, [refresh, settings]);

  const urlProblem = url === '' ? (enabled ? 'officeUrl' : null) : officeUrlProblem(url);
  const passwordInvalid = password !== '' && !officePasswordSchema.safeParse(password).success;
  // Main refuses a kept password, or sending, without a supervisor PIN (as it does QFPay's key).
  const pinMissing = settings.pinState !== 'set' && (enabled || password !== '');
  const invalid = urlProblem !== null || passwordInvalid || pinMissing;
  const changed = enabled !== settings.headOfficeEnabled || url !== (settings.headOfficeUrl ?? '') || password !== '' || forget;

  useEffect(() => {
    const save = async () => {
      await unwrap(
        till().setHeadOffice({
          enabled,
          url: url === '' ? null : url,
          ...(password !== '' ? { password } : forget ? { password: null } : {}),
          ...(settings.pinSet && pin ? { pin } : {}),
        }),
      );
      setPassword('');
      setForget(false);
    };
    onPending({ invalid, save: changed ? save : null });
  }, [changed, enabled, forget, invalid, onPending, password, pin, settings.pinSet, url]);

  return (
    <section className="settings-section office-settings" data-testid="office-settings">
      <h3>{t('office.title')}</h3>
      <p className="info-text">{t('office.intro')}</p>
      <label className="check">
        <input type="checkbox" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} /> {t('office.enabled')}
      </label>
      <div className="settings-grid">
        <Field label={t('office.url')} error={urlProblem ? t(`office.invalid.${urlProblem}`) : undefined} hint={t('office.urlHint')}>
          <input value={url} autoComplete="off" spellCheck={false} placeholder="postgres://till_shop1@office.example:5432/office" onChange={(e) => setUrl(e.target.value.trim())} />
        </Field>
        <Field label={t('office.password')} error={passwordInvalid ? t('office.invalid.officePassword') : undefined}>
          <SecretInput value={password} placeholder={settings.headOfficePasswordSet ? t('office.passwordSet') : t('office.passwordNotSet')} onChange={setPassword} />
        </Field>
      </div>
      {settings.headOfficePasswordSet ? (
        <label className="check">
          <input type="checkbox" checked={forget} disabled={password !== ''} onChange={(e) => setForget(e.target.checked)} /> {t('office.forgetPassword')}
        </label>
      ) : null}
      {settings.keyStorage === 'memory' && settings.headOfficePasswordSet ? <div className="info-banner">{t('office.passwordInMemory')}</div> : null}
      {pinMissing ? (
        <div className="warn-banner" role="alert">
          {t('office.pinRequired')}
        </div>
      ) : null}
      <div className="settings-actions">
        <span aria-live="polite" data-testid="office-status">
          <OfficeStatusText status={status} language={settings.language} timeZone={settings.timeZone} />
        </span>
        <button type="button" className="btn" onClick={() => void refresh()}>
          {t('office.refresh')}
        </button>
      </div>
    </section>
  );
}

function OfficeStatusText({ status, language, timeZone }: { status: OfficeStatus | null; language: SettingsView['language']; timeZone: string }) {
  const { t } = useTranslation();
  if (!status) return null;
  const when = (ms: number | null) => (ms === null ? t('office.never') : formatDateTime(ms, language, timeZone, true));
  const parts = [t(`office.state.${status.state}`)];
  if (status.failure && status.state === 'failing') parts.push(t(`office.failure.${status.failure}`));
  if (status.state === 'ok' || status.state === 'failing') {
    parts.push(t('office.lastContact', { when: when(status.lastContactMs) }));
    parts.push(t('office.lastSent', { when: when(status.lastSentMs) }));
    if (status.lagEvents !== null) parts.push(t('office.lag', { count: status.lagEvents }));
  }
  return <span className={status.state === 'failing' ? 'error-text' : undefined}>{parts.join(' · ')}</span>;
}
