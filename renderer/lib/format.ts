import { formatMinor, type CurrencyCode } from '../../shared/currency';
import { formatDateTime } from '../../shared/dates';
import type { Language } from '../../shared/settings';
import { INTL_LOCALE } from '../i18n';

export function money(amountMinor: number, currency: CurrencyCode, language: Language): string {
  return formatMinor(amountMinor, currency, INTL_LOCALE[language]);
}

export function clockTime(ms: number, language: Language, timeZone?: string): string {
  return new Intl.DateTimeFormat(INTL_LOCALE[language], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone }).format(ms);
}

/** The one date format of the language (shared/dates.ts), as the printed reports use it. */
export function dateTime(ms: number, language: Language, timeZone?: string): string {
  return formatDateTime(ms, language, timeZone, true);
}

/** "4:59" for a countdown; never negative. */
export function minutesSeconds(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  return `${Math.floor(total / 60)}:${String(total % 60).padStart(2, '0')}`;
}
