import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { RESTARTED_QUERY } from '../../shared/restarted';

// After its page crashed, main loads the window again with ?restarted=1
// (electron/service/crash-guard.ts): tell the cashier, once, that the sale is
// safe — it lives in the engine and the journal, not in the page.

export function wasRestarted(search: string): boolean {
  return new URLSearchParams(search).get(RESTARTED_QUERY) === '1';
}

export function RestartedBanner({ search = window.location.search }: { search?: string }) {
  const { t } = useTranslation();
  const [shown, setShown] = useState(() => wasRestarted(search));
  if (!shown) return null;
  return (
    <div className="warn-banner restarted-banner" role="status">
      {t('app.restarted')}
      <button type="button" className="restarted-dismiss" onClick={() => setShown(false)}>
        {t('app.restartedOk')}
      </button>
    </div>
  );
}
