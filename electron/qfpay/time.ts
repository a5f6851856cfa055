import { localParts, type LocalParts } from '../../shared/dates';

// QFPay timestamps (`txdtm`, `sysdtm`, `start_time`, …) are merchant local
// time as `YYYY-MM-DD hh:mm:ss`, with no zone. The zone is configuration.

const TXDTM = /^(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})$/;

// The zone's wall clock at an instant: one implementation for both processes (shared/dates.ts).
export { localParts, type LocalParts };

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Epoch milliseconds → `YYYY-MM-DD hh:mm:ss` in the merchant's zone. */
export function formatTxdtm(epochMs: number, timeZone?: string): string {
  const p = localParts(epochMs, timeZone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}`;
}

/** Parses `YYYY-MM-DD hh:mm:ss` into its parts, rejecting impossible dates (2026-02-30, 24:00:00). */
export function parseTxdtm(text: string): LocalParts | undefined {
  const m = TXDTM.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  if (year < 2000 || month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) return undefined;
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (day < 1 || day > daysInMonth) return undefined;
  return { year, month, day, hour, minute, second };
}

/**
 * Local wall-clock parts → a comparable number (not epoch: no zone applied).
 * Enough to order and subtract timestamps that share one zone.
 */
export function wallClockMs(p: LocalParts): number {
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
}

/** Epoch ms of a local wall-clock time in `timeZone` (handles DST by one correction step). */
export function epochOfLocal(p: LocalParts, timeZone?: string): number {
  const guess = wallClockMs(p);
  const offset = wallClockMs(localParts(guess, timeZone)) - guess;
  const first = guess - offset;
  const offset2 = wallClockMs(localParts(first, timeZone)) - first;
  return guess - offset2;
}
