import type { Language } from './settings';

// One way to write a date per language, on the screen and on every printed
// or saved report alike: Chinese 2026-11-30 (as receipts in Hong Kong and
// the mainland print it), English 30/11/2026 (day first, as in Hong Kong).
// Times are 24-hour. Pure Intl, so both processes use it.

interface Parts {
  year: string;
  month: string;
  day: string;
  hour: string;
  minute: string;
  second: string;
}

function partsOf(ms: number, timeZone?: string): Parts {
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
    hourCycle: 'h23',
  }).formatToParts(ms);
  const get = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return { year: get('year'), month: get('month'), day: get('day'), hour: get('hour'), minute: get('minute'), second: get('second') };
}

export function formatDate(ms: number, language: Language, timeZone?: string): string {
  const p = partsOf(ms, timeZone);
  return language === 'en' ? `${p.day}/${p.month}/${p.year}` : `${p.year}-${p.month}-${p.day}`;
}

/** The date and the time to the minute (or the second). */
export function formatDateTime(ms: number, language: Language, timeZone?: string, seconds = false): string {
  const p = partsOf(ms, timeZone);
  return `${formatDate(ms, language, timeZone)} ${p.hour}:${p.minute}${seconds ? `:${p.second}` : ''}`;
}

/** A calendar day kept as "2026-11-30" (a report's business day) in the language's format. */
export function formatDay(isoDay: string, language: Language): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(isoDay);
  return m && language === 'en' ? `${m[3]}/${m[2]}/${m[1]}` : isoDay;
}
