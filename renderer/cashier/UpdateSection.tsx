import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { SettingsView } from '../../shared/settings';
import type { UpdateStatus } from '../../shared/update';
import { TillError, till, unwrap } from '../lib/api';

// Settings → Updates: where the app's update stands, and "Restart to
// update" once one is downloaded. Main refuses it while a sale or refund is
// open (and asks for the PIN when one is set); otherwise it installs at quit.

export function UpdateSection({ settings, pin }: { settings: SettingsView; pin: string }) {
  const { t } = useTranslation();
  const [status, setStatus] = useState<UpdateStatus | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void unwrap(till().updateStatus()).then(
      (s) => live && setStatus(s),
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [settings.updateFeedUrl]);

  const restart = async () => {
    try {
      await unwrap(till().restartToUpdate({ ...(settings.pinSet && pin ? { pin } : {}) }));
    } catch (e) {
      setError(e instanceof TillError ? `errors.${e.error.code}` : 'errors.internal');
    }
  };

  if (!status) return null;
  return (
    <section className="settings-section" data-testid="updates">
      <h3>{t('settings.updatesTitle')}</h3>
      <p data-testid="update-state">{t(`settings.update.${status.state}`, 'version' in status ? { version: status.version } : {})}</p>
      {status.state === 'ready' ? (
        <div className="settings-actions">
          <button type="button" className="btn btn-primary" onClick={() => void restart()}>
            {t('settings.restartToUpdate')}
          </button>
          {error ? <span className="error-text" role="alert">{t(error)}</span> : null}
        </div>
      ) : null}
    </section>
  );
}
