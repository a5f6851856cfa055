import type { Language } from './settings';

// One way to write a date per language, on the screen and on every printed
// or saved report alike: Chinese 2026-11-30 (as receipts in Hong Kong and
// the mainland print it), English 30/11/2026 (day first, as in Hong Kong).
// Times are 24-hour. Pure Intl, so both processes use it.

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string | undefined): Intl.DateTimeFormat {
  const key = timeZone ?? '';
  let formatter = formatters.get(key);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' });
    formatters.set(key, formatter);
  }
  return formatter;
}

/** The wall clock of `timeZone` (this machine's when absent) at an instant. */
export function localParts(epochMs: number, timeZone?: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(epochMs))) parts[part.type] = part.value;
  return { year: Number(parts.year), month: Number(parts.month), day: Number(parts.day), hour: Number(parts.hour), minute: Number(parts.minute), second: Number(parts.second) };
}

const two = (n: number) => String(n).padStart(2, '0');

function partsOf(ms: number, timeZone?: string) {
  const p = localParts(ms, timeZone);
  return { year: String(p.year).padStart(4, '0'), month: two(p.month), day: two(p.day), hour: two(p.hour), minute: two(p.minute), second: two(p.second) };
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
