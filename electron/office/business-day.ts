import { epochOfLocal } from '../qfpay/time';
import { businessDayOf } from '../reports/totals';

// A business day at head office, as each till counts it: from the cut-off
// hour of day D to the cut-off hour of D+1 in the merchant's zone.

export interface DayScope {
  timeZone: string;
  cutoffHour: number;
}

export function dayWindow(day: string, scope: DayScope): { fromMs: number; toMs: number } {
  const [year, month, date] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(year, month - 1, date + 1));
  const at = (y: number, m: number, d: number) => epochOfLocal({ year: y, month: m, day: d, hour: scope.cutoffHour, minute: 0, second: 0 }, scope.timeZone);
  return { fromMs: at(year, month, date), toMs: at(next.getUTCFullYear(), next.getUTCMonth() + 1, next.getUTCDate()) };
}

export function today(scope: DayScope, nowMs: number): string {
  return businessDayOf(nowMs, scope.cutoffHour, scope.timeZone);
}

/** YYYY-MM-DD and a real date. */
export function isDay(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}
