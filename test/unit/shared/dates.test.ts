import { describe, expect, it } from 'vitest';
import { formatDate, formatDateTime, formatDay } from '../../../shared/dates';

// One date format per language, the same on screen and on paper.

const AT = Date.UTC(2026, 10, 30, 6, 5, 9); // 14:05:09 in Hong Kong

describe('dates', () => {
  it('Chinese writes 2026-11-30, English 30/11/2026, in the till\'s zone', () => {
    expect(formatDate(AT, 'zh-Hant', 'Asia/Hong_Kong')).toBe('2026-11-30');
    expect(formatDate(AT, 'zh-Hans', 'Asia/Hong_Kong')).toBe('2026-11-30');
    expect(formatDate(AT, 'en', 'Asia/Hong_Kong')).toBe('30/11/2026');
    expect(formatDate(Date.UTC(2026, 10, 30, 20), 'en', 'Asia/Hong_Kong')).toBe('01/12/2026');
  });

  it('times are 24-hour, to the minute or the second', () => {
    expect(formatDateTime(AT, 'zh-Hant', 'Asia/Hong_Kong')).toBe('2026-11-30 14:05');
    expect(formatDateTime(AT, 'en', 'Asia/Hong_Kong', true)).toBe('30/11/2026 14:05:09');
    expect(formatDateTime(Date.UTC(2026, 10, 29, 16, 0, 0), 'en', 'Asia/Hong_Kong')).toBe('30/11/2026 00:00');
  });
});

describe('formatDay', () => {
  it('a stored business day in the language\'s format', () => {
    expect(formatDay('2026-11-30', 'en')).toBe('30/11/2026');
    expect(formatDay('2026-11-30', 'zh-Hant')).toBe('2026-11-30');
  });
});
