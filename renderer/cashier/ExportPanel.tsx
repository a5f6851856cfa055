import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { till, unwrap } from '../lib/api';
import { errorText } from './ReportView';

// The sales and refunds of a date range as CSV, saved where the owner picks.

function todayValue(): string {
  const now = new Date();
  return `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
}

/** [start of `from`, start of the day after `to`) in this computer's zone, the zone the date pickers show. */
export function dayRange(from: string, to: string): { fromMs: number; toMs: number } | null {
  const parse = (value: string) => {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
    return m ? ([Number(m[1]), Number(m[2]), Number(m[3])] as const) : null;
  };
  const a = parse(from);
  const b = parse(to);
  if (!a || !b) return null;
  const fromMs = new Date(a[0], a[1] - 1, a[2]).getTime();
  const toMs = new Date(b[0], b[1] - 1, b[2] + 1).getTime();
  return toMs > fromMs ? { fromMs, toMs } : null;
}

export function ExportPanel() {
  const { t } = useTranslation();
  const [from, setFrom] = useState(todayValue());
  const [to, setTo] = useState(todayValue());
  const [message, setMessage] = useState<{ kind: 'ok' | 'error' | 'info'; text: string } | null>(null);
  const [busy, setBusy] = useState(false);
  // Exports are behind the supervisor PIN when one is set (issue 10); main answers pin_required without it.
  const [pin, setPin] = useState('');
  const range = dayRange(from, to);

  const save = async () => {
    if (!range) return;
    setBusy(true);
    setMessage(null);
    try {
      const result = await unwrap(till().exportCsv({ ...range, ...(pin ? { pin } : {}) }));
      setMessage(result.saved ? { kind: 'ok', text: t('reports.exported', { rows: result.rows, path: result.path }) } : { kind: 'info', text: t('reports.notSaved') });
    } catch (e) {
      setMessage({ kind: 'error', text: errorText(e, t) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="report-panel" data-panel="export">
      <section className="z-box">
        <h3>{t('reports.exportTitle')}</h3>
        <p className="hint">{t('reports.exportHint')}</p>
        <div className="z-row">
          <label className="field-inline">
            {t('reports.from')}
            <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
          </label>
          <label className="field-inline">
            {t('reports.to')}
            <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
          </label>
          <label className="field-inline">
            {t('reports.pin')}
            <input type="password" inputMode="numeric" autoComplete="off" value={pin} onChange={(e) => setPin(e.target.value)} />
          </label>
          <button type="button" className="btn btn-primary btn-large" disabled={busy || !range} onClick={() => void save()}>
            {t('reports.exportCsv')}
          </button>
        </div>
        {!range ? <p className="error-text">{t('errors.invalid_input')}</p> : null}
        {message ? (
          <div className={`${message.kind}-banner`} role={message.kind === 'error' ? 'alert' : 'status'}>
            {message.text}
          </div>
        ) : null}
      </section>
    </div>
  );
}
