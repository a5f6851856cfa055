import { useTranslation } from 'react-i18next';
import type { ConnectionState } from '../../shared/contract';

// Whether QFPay answers (issue 12): a small light in the header, and while
// it cannot be reached a banner saying so with the last transport error, so
// the cashier is not left watching a "checking" spinner.

export function ConnectionIndicator({ connection }: { connection: ConnectionState }) {
  const { t } = useTranslation();
  const label = t(`counter.connection.${connection.state}`);
  return (
    <div className={`conn conn-${connection.state}`} role="status" title={connection.detail ?? label} data-testid="connection">
      <span className="conn-dot" aria-hidden="true" />
      <span className="conn-label">{label}</span>
    </div>
  );
}

export function ConnectionBanner({ connection }: { connection: ConnectionState }) {
  const { t } = useTranslation();
  if (connection.state !== 'offline') return null;
  return (
    <div className="error-banner conn-banner" role="alert" data-testid="connection-banner">
      <div>{t('counter.connection.unreachable')}</div>
      {connection.detail ? (
        <details>
          <summary>{t('counter.connection.details')}</summary>
          <span className="mono">{t('counter.connection.lastError', { detail: connection.detail })}</span>
        </details>
      ) : null}
    </div>
  );
}
