import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Sessions, checkPassword, hashPassword, loginAtStart } from '../../../../electron/office/web/login';
import { dashboardPage } from '../../../../electron/office/web/page';
import { PAGE_TEXTS } from '../../../../electron/office/web/texts';
import type { OfficeReport } from '../../../../electron/office/report';

// The owner's login: a salted scrypt hash set at first start, sessions that
// expire; and the page escapes what the database holds.

describe('owner login', () => {
  it('checks the password against its hash, never storing it', async () => {
    const stored = await hashPassword('correct horse battery');
    expect(JSON.stringify(stored)).not.toContain('correct horse');
    expect(await checkPassword('correct horse battery', stored)).toBe(true);
    expect(await checkPassword('correct horse batterY', stored)).toBe(false);
    expect(await checkPassword('', stored)).toBe(false);
  });

  it('sets the password at first start only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'office-login-'));
    try {
      const file = join(dir, 'login.json');
      expect(await loginAtStart(file, undefined)).toBeUndefined();
      const first = await loginAtStart(file, 'first password 1');
      const again = await loginAtStart(file, 'another password 2');
      expect(again).toEqual(first);
      expect(await checkPassword('first password 1', again!)).toBe(true);
      expect(readFileSync(file, 'utf8')).not.toContain('first password');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('ends sessions at their expiry and on logout', () => {
    let now = 0;
    const sessions = new Sessions(1000, () => now);
    const a = sessions.create();
    const b = sessions.create();
    expect(sessions.valid(a)).toBe(true);
    expect(sessions.valid('guess')).toBe(false);
    sessions.end(b);
    expect(sessions.valid(b)).toBe(false);
    now = 1001;
    expect(sessions.valid(a)).toBe(false);
  });
});

describe('owner page', () => {
  it('escapes store and till names from the database', () => {
    const report: OfficeReport = {
      kind: 'x',
      businessDay: '2026-11-26',
      timeZone: 'Asia/Hong_Kong',
      cutoffHour: 4,
      generatedAtMs: 0,
      currencies: [],
      stores: [{ store: '<script>alert(1)</script>', currencies: [] }],
      tills: [{ udid: 'a', store: '<img src=x onerror=alert(1)>', fromMs: 0, toMs: 1, currencies: [] }],
      tenders: [],
      drawers: [],
      zReports: [],
    };
    const html = dashboardPage({ report, hourly: [], status: [], reconciliation: null, canReconcile: false, nowMs: 0, t: PAGE_TEXTS.en });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<img');
    expect(html).toContain('&#60;script&#62;');
  });
});
