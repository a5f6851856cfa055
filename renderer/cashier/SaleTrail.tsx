import type { TFunction } from 'i18next';
import { useTranslation } from 'react-i18next';
import type { EventView } from '../../shared/contract';
import type { Language } from '../../shared/settings';
import { clockTime } from '../lib/format';

// A sale's trail in the cashier's language. While the customer takes their
// time the engine asks QFPay every few seconds; those polls, all answered
// alike, fold into one line with a count so the trail stays readable.

const KNOWN_STATES = new Set(['requesting', 'awaiting_scan', 'unknown', 'cancelling', 'paid', 'failed', 'expired', 'cancelled', 'refunded']);
const KNOWN_ENDPOINTS = new Set(['payment', 'query', 'close', 'reversal', 'refund']);

/** One line of a sale's trail in the cashier's language; the English technical line stays as the tooltip. */
export function trailText(e: EventView, t: TFunction, withDuration = true): string {
  const state = (s: string | null | undefined) => (s && KNOWN_STATES.has(s) ? t(`state.${s}`) : (s ?? ''));
  if (e.kind === 'transition' && e.to) {
    if (!e.from) return t('history.created', { state: state(e.to) });
    return e.from === e.to ? state(e.to) : `${state(e.from)} → ${state(e.to)}`;
  }
  if (e.kind === 'exchange' && e.endpoint && KNOWN_ENDPOINTS.has(e.endpoint)) {
    const answer = e.respcd ? t('history.answered', { respcd: e.respcd }) : t('history.noAnswer');
    return `${t(`history.endpoint.${e.endpoint}`)} — ${answer}${withDuration && typeof e.durationMs === 'number' ? ` (${e.durationMs} ms)` : ''}`;
  }
  return e.summary;
}

export interface TrailLine {
  event: EventView;
  /** How many events the line stands for (1, or a run of the same status poll). */
  count: number;
  lastAtMs: number;
}

/** Folds runs of the same QFPay call with the same answer (the status polls) into one line each. */
export function foldTrail(events: readonly EventView[]): TrailLine[] {
  const lines: TrailLine[] = [];
  for (const event of events) {
    const last = lines.at(-1);
    const same = last && event.kind === 'exchange' && last.event.kind === 'exchange' && event.endpoint === last.event.endpoint && (event.respcd ?? null) === (last.event.respcd ?? null);
    if (same) {
      last.count += 1;
      last.lastAtMs = event.atMs;
    } else lines.push({ event, count: 1, lastAtMs: event.atMs });
  }
  return lines;
}

export function SaleTrail({ events, language }: { events: readonly EventView[]; language: Language }) {
  const { t } = useTranslation();
  return (
    <ol className="trail">
      {foldTrail(events).map(({ event, count, lastAtMs }, i) => (
        <li key={i} className={`trail-${event.kind}`} title={event.summary}>
          <time>{clockTime(event.atMs, language)}</time>
          {count > 1 ? (
            <>
              {trailText(event, t, false)} <span className="trail-count">{t('history2.times', { n: count, last: clockTime(lastAtMs, language) })}</span>
            </>
          ) : (
            trailText(event, t)
          )}
        </li>
      ))}
    </ol>
  );
}
