import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ZReprint } from '../../shared/contract';
import type { ZSummary } from '../../shared/reports';
import type { SettingsView } from '../../shared/settings';
import { till, unwrap } from '../lib/api';
import { dateTime } from '../lib/format';
import { ReportView, errorText } from './ReportView';

// The stored Z reports of this till, newest first, and a reprint view of one
// (with a loud warning if its content no longer matches its SHA-256).

const PAGE = 50;

export function ZHistoryPanel({ settings }: { settings: SettingsView }) {
  const { t } = useTranslation();
  const language = settings.language;
  const [list, setList] = useState<ZSummary[]>([]);
  const [hasMore, setHasMore] = useState(false);
  const [shown, setShown] = useState<ZReprint | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(
    async (offset: number) => {
      try {
        const page = await unwrap(till().zHistory({ limit: PAGE + 1, offset }));
        setList((current) => (offset === 0 ? page.slice(0, PAGE) : [...current, ...page.slice(0, PAGE)]));
        setHasMore(page.length > PAGE);
        setError(null);
      } catch (e) {
        setError(errorText(e, t));
      }
    },
    [t],
  );

  useEffect(() => {
    void load(0);
  }, [load]);

  const open = async (zNumber: number) => {
    try {
      setShown(await unwrap(till().zReprint({ zNumber })));
      setError(null);
    } catch (e) {
      setError(errorText(e, t));
    }
  };

  const at = (ms: number) => dateTime(ms, language, settings.timeZone);

  if (shown) {
    return (
      <div className="report-panel" data-panel="reprint">
        <button type="button" className="btn btn-link" onClick={() => setShown(null)}>
          ← {t('reports.back')}
        </button>
        <ReportView report={shown.report} settings={settings} intact={shown.intact} />
      </div>
    );
  }

  return (
    <div className="report-panel history" data-panel="history">
      {error ? (
        <div className="error-banner" role="alert">
          {error}
        </div>
      ) : null}
      {list.length === 0 ? (
        <p className="empty">{t('reports.historyEmpty')}</p>
      ) : (
        <table className="history-table z-table">
          <thead>
            <tr>
              <th>{t('reports.zNo')}</th>
              <th>{t('reports.period')}</th>
              <th>{t('reports.taken')}</th>
              <th>{t('reports.hash')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {list.map((z) => (
              <tr key={z.zNumber} tabIndex={0} data-z={z.zNumber} onClick={() => void open(z.zNumber)} onKeyDown={(e) => e.key === 'Enter' && void open(z.zNumber)}>
                <td className="z-number">{z.zNumber}</td>
                <td>
                  {at(z.periodStartMs)} – {at(z.periodEndMs)}
                </td>
                <td>{at(z.createdAtMs)}</td>
                <td className="mono">{z.sha256.slice(0, 16)}…</td>
                <td>
                  <button type="button" className="btn">
                    {t('reports.view')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {hasMore ? (
        <button type="button" className="btn" onClick={() => void load(list.length)}>
          {t('history.more')}
        </button>
      ) : null}
    </div>
  );
}
