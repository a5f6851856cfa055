import { describe, it, expect } from 'vitest';
import { epochOfLocal, formatTxdtm, parseTxdtm } from '../../../../electron/qfpay/time';

// 2026-03-01T02:15:05Z, worked out by hand: 20513 days × 86400 s + 8105 s.
const EPOCH = 1_772_331_305_000;

describe('formatTxdtm', () => {
  it('the fixed epoch is the instant the tests assume', () => {
    expect(EPOCH).toBe(Date.UTC(2026, 2, 1, 2, 15, 5));
  });

  it('formats a fixed epoch in Asia/Hong_Kong (UTC+8, no DST)', () => {
    expect(formatTxdtm(EPOCH, 'Asia/Hong_Kong')).toBe('2026-03-01 10:15:05');
  });

  it('formats the same epoch in UTC', () => {
    expect(formatTxdtm(EPOCH, 'UTC')).toBe('2026-03-01 02:15:05');
  });

  it('moves to the next day and month when the zone is already past midnight', () => {
    const t = Date.UTC(2026, 1, 28, 16, 30, 5);
    expect(formatTxdtm(t, 'Asia/Hong_Kong')).toBe('2026-03-01 00:30:05');
    expect(formatTxdtm(t, 'UTC')).toBe('2026-02-28 16:30:05');
  });

  it('writes midnight as 00, never 24, and pads every part', () => {
    expect(formatTxdtm(Date.UTC(2025, 11, 31, 16, 0, 0), 'Asia/Hong_Kong')).toBe('2026-01-01 00:00:00');
    expect(formatTxdtm(Date.UTC(2026, 0, 2, 3, 4, 5), 'UTC')).toBe('2026-01-02 03:04:05');
  });

  it('applies summer time in Europe/London', () => {
    expect(formatTxdtm(Date.UTC(2026, 6, 1, 11, 0, 0), 'Europe/London')).toBe('2026-07-01 12:00:00');
    expect(formatTxdtm(Date.UTC(2026, 0, 15, 11, 0, 0), 'Europe/London')).toBe('2026-01-15 11:00:00');
  });

  it('drops milliseconds rather than rounding up to the next second', () => {
    expect(formatTxdtm(EPOCH + 999, 'UTC')).toBe('2026-03-01 02:15:05');
  });
});

describe('parseTxdtm', () => {
  it('reads a valid time into its parts', () => {
    expect(parseTxdtm('2026-03-01 10:15:05')).toEqual({ year: 2026, month: 3, day: 1, hour: 10, minute: 15, second: 5 });
  });

  it('accepts the edges of the clock and the calendar', () => {
    expect(parseTxdtm('2026-12-31 23:59:59')).toEqual({ year: 2026, month: 12, day: 31, hour: 23, minute: 59, second: 59 });
    expect(parseTxdtm('2026-01-01 00:00:00')).toEqual({ year: 2026, month: 1, day: 1, hour: 0, minute: 0, second: 0 });
    expect(parseTxdtm('2026-04-30 12:00:00')?.day).toBe(30);
  });

  it('accepts 29 February in leap years (2028, and 2000 as a 400-year leap)', () => {
    expect(parseTxdtm('2028-02-29 12:00:00')).toEqual({ year: 2028, month: 2, day: 29, hour: 12, minute: 0, second: 0 });
    expect(parseTxdtm('2000-02-29 12:00:00')?.day).toBe(29);
  });

  it.each([
    ['29 February of a common year', '2026-02-29 12:00:00'],
    ['29 February of a century that is not a leap year', '2100-02-29 12:00:00'],
    ['30 February', '2026-02-30 12:00:00'],
    ['31 April', '2026-04-31 12:00:00'],
    ['day 0', '2026-03-00 12:00:00'],
    ['month 13', '2026-13-01 12:00:00'],
    ['month 0', '2026-00-10 12:00:00'],
    ['24:00:00', '2026-03-01 24:00:00'],
    ['minute 60', '2026-03-01 12:60:00'],
    ['second 60 (no leap seconds)', '2026-03-01 12:00:60'],
    ['one-digit month', '2026-3-01 12:00:00'],
    ['ISO "T" separator', '2026-03-01T12:00:00'],
    ['a zone suffix', '2026-03-01 12:00:00Z'],
    ['milliseconds', '2026-03-01 12:00:00.000'],
    ['leading space', ' 2026-03-01 12:00:00'],
    ['trailing newline', '2026-03-01 12:00:00\n'],
    ['full-width digits', '２０２６-03-01 12:00:00'],
    ['empty', ''],
  ])('rejects %s', (_name, text) => {
    expect(parseTxdtm(text)).toBeUndefined();
  });
});

describe('epochOfLocal', () => {
  const local = (text: string) => {
    const parts = parseTxdtm(text);
    if (!parts) throw new Error(`not a time: ${text}`);
    return parts;
  };

  it('turns Hong Kong and UTC wall-clock times back into the fixed epoch', () => {
    expect(epochOfLocal(local('2026-03-01 10:15:05'), 'Asia/Hong_Kong')).toBe(EPOCH);
    expect(epochOfLocal(local('2026-03-01 02:15:05'), 'UTC')).toBe(EPOCH);
  });

  it('knows which side of a Europe/London change a wall-clock time is on', () => {
    // Spring 2026: 01:00 GMT jumps to 02:00 BST on 29 March (at 01:00 UTC).
    expect(epochOfLocal(local('2026-03-29 00:59:59'), 'Europe/London')).toBe(Date.UTC(2026, 2, 29, 0, 59, 59));
    expect(epochOfLocal(local('2026-03-29 02:00:00'), 'Europe/London')).toBe(Date.UTC(2026, 2, 29, 1, 0, 0));
    // Autumn 2026: 02:00 BST falls back to 01:00 GMT on 25 October (at 01:00 UTC).
    expect(epochOfLocal(local('2026-10-25 00:59:59'), 'Europe/London')).toBe(Date.UTC(2026, 9, 24, 23, 59, 59));
    expect(epochOfLocal(local('2026-10-25 02:00:00'), 'Europe/London')).toBe(Date.UTC(2026, 9, 25, 2, 0, 0));
  });

  it('maps a wall-clock time of the repeated autumn hour to one of its two instants', () => {
    const e = epochOfLocal(local('2026-10-25 01:30:00'), 'Europe/London');
    expect([Date.UTC(2026, 9, 25, 0, 30, 0), Date.UTC(2026, 9, 25, 1, 30, 0)]).toContain(e);
    expect(formatTxdtm(e, 'Europe/London')).toBe('2026-10-25 01:30:00');
  });

  // Every minute over six hours around each change: format then parse back.
  // The repeated autumn hour is the one place where a wall-clock time cannot
  // name its instant, so it is left out.
  it.each([
    ['Europe/London', 'spring', Date.UTC(2026, 2, 28, 22, 0, 0), ''],
    ['Europe/London', 'autumn', Date.UTC(2026, 9, 24, 22, 0, 0), '2026-10-25 01:'],
    ['America/New_York', 'spring', Date.UTC(2026, 2, 8, 4, 0, 0), ''],
    ['America/New_York', 'autumn', Date.UTC(2026, 10, 1, 3, 0, 0), '2026-11-01 01:'],
    ['Asia/Hong_Kong', 'any day', Date.UTC(2026, 2, 1, 0, 0, 0), ''],
  ])('round-trips %s around the %s change', (zone, _season, from, ambiguousPrefix) => {
    let checked = 0;
    for (let e = from; e < from + 6 * 3_600_000; e += 60_000) {
      const text = formatTxdtm(e, zone);
      if (ambiguousPrefix && text.startsWith(ambiguousPrefix)) continue;
      expect(epochOfLocal(local(text), zone), `${zone} ${text}`).toBe(e);
      checked += 1;
    }
    expect(checked).toBeGreaterThanOrEqual(ambiguousPrefix ? 6 * 60 - 120 : 6 * 60);
  });
});
