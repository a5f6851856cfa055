import { request } from 'node:http';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../electron/cli';
import type { LocalPostgres } from '../../electron/office/local-postgres';
import { DAY_START, HK, PG_BIN, cashDeskOf, ok, openTestTill, startPg, till, type TestTill } from '../integration/office/support';
import { ARTIFACTS, CHROMIUM } from './support/bridge';

// The owner's page (`till office serve`) in Chromium: a login with the
// password set at first start, then today's takings per store and till, the
// hourly chart, the Z list and replication lag — over a real PostgreSQL fed
// by `till sync` from three tills. Screenshots in test/e2e/artifacts.

const PASSWORD = 'correct horse battery';

describe.skipIf(!PG_BIN)('head office owner page', () => {
  let pg: LocalPostgres;
  let browser: Browser;
  let base = '';
  let stop: () => void = () => undefined;
  let served: Promise<number>;
  let loginDir = '';
  const tills: TestTill[] = [];

  beforeAll(async () => {
    pg = await startPg();
    // "Today" for the page is the tills' business day: sales at 10:00–11:00 Hong Kong.
    const a = openTestTill('central-1');
    const b = openTestTill('central-2');
    const c = openTestTill('tsimshatsui-1');
    tills.push(a, b, c);
    a.sell(30, DAY_START, (i) => 2500 + i * 10);
    a.takeZ(DAY_START + 2 * 3_600_000);
    b.sell(12, DAY_START + 3_600_000, () => 4800);
    // central-2 also takes cash: a float of 300.00, a 45.00 sale paid with 50.00, 20.00 paid out.
    let cashAt = DAY_START + 90 * 60_000;
    const desk = cashDeskOf(b, () => cashAt);
    ok(desk.charge({ amountMinor: 4500, currency: 'HKD', goodsName: null, expiredMinutes: 30, tenderedMinor: 5000, openingFloatMinor: 30000 }));
    cashAt += 60_000;
    ok(desk.move({ kind: 'paid_out', currency: 'HKD', amountMinor: 2000, reason: 'window cleaner' }));
    c.sell(20, DAY_START + 2 * 3_600_000, () => 990);
    c.refund('tsimshatsui-1-3', 990, DAY_START + 3 * 3_600_000);
    for (const [t, store] of [[a, 'Central'], [b, 'Central'], [c, 'Tsim Sha Tsui']] as const) {
      expect((await till(['sync', '--data-dir', dirname(t.path), '--store', store, '--database-url', pg.url])).code).toBe(0);
    }
    c.sell(2, DAY_START + 4 * 3_600_000); // not yet synced: c shows as behind once it reports
    loginDir = mkdtempSync(join(tmpdir(), 'till-office-login-'));
    const out: string[] = [];
    let firstLine: (line: string) => void = () => undefined;
    const started = new Promise<string>((resolve) => (firstLine = resolve));
    const stopSignal = new Promise<void>((resolve) => (stop = resolve));
    const env = { TILL_OFFICE_URL: pg.url, TILL_OFFICE_PASSWORD: PASSWORD, TILL_TIME_ZONE: HK };
    served = main(['office', 'serve', '--port', '0', '--login-file', join(loginDir, 'login.json')], {
      env,
      io: { out: (l) => (out.push(l), firstLine(l)), err: (l) => out.push(l) },
      stopSignal,
    });
    const line = await Promise.race([started, served.then((code) => `exited ${code}: ${out.join(' ')}`)]);
    const m = /(http:\/\/127\.0\.0\.1:\d+)\//.exec(line);
    if (!m) throw new Error(line);
    base = m[1]!;
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu'], headless: true });
    mkdirSync(ARTIFACTS, { recursive: true });
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    stop();
    await served;
    for (const t of tills) t.close();
    rmSync(loginDir, { recursive: true, force: true });
    await pg?.destroy();
  });

  it('keeps only a hash of the password', () => {
    const stored = readFileSync(join(loginDir, 'login.json'), 'utf8');
    expect(stored).not.toContain(PASSWORD);
    expect(JSON.parse(stored)).toMatchObject({ algorithm: 'scrypt' });
  });

  it('shows nothing before login, refuses a wrong password, then shows the day', async () => {
    const page = await browser.newPage({ viewport: { width: 1280, height: 1000 } });
    await page.goto(`${base}/`);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.content()).not.toContain('central-1');
    await page.fill('#password', 'wrong password!');
    await page.click('button[type=submit]');
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toContain('Wrong password');
    await page.screenshot({ path: join(ARTIFACTS, 'office-login.png') });
    await page.fill('#password', PASSWORD);
    await page.click('button[type=submit]');
    await page.getByRole('heading', { name: /Head office · business day/ }).waitFor();
    // The tills sold on 2026-11-26: the page shows any business day asked for.
    await page.goto(`${base}/?day=2026-11-26`);
    await page.getByRole('heading', { name: 'Head office · business day 2026-11-26' }).waitFor();
    const text = (await page.textContent('main')) ?? '';
    // 30 sales of 25.10–28.00 + 12 × 48.00 + 20 × 9.90 − one 9.90 refund + 45.00 in cash.
    expect(text).toContain('HKD 1605.60');
    // Per tender: the wallet, then cash; the drawer: 300.00 + 45.00 − 20.00.
    expect(text).toMatch(/WeChat Pay QR\s*62\s*HKD 1570\.50\s*HKD 9\.90\s*HKD 1560\.60/);
    expect(text).toMatch(/Cash\s*1\s*HKD 45\.00\s*HKD 0\.00\s*HKD 45\.00/);
    expect(text).toMatch(/Central\s*central-2\s*HKD 300\.00\s*HKD 45\.00\s*HKD 0\.00\s*HKD 0\.00\s*HKD 20\.00\s*HKD 325\.00/);
    expect(text).toMatch(/Central\s*central-1\s*30\s*HKD 796\.50/);
    expect(text).toMatch(/central-1\s*1\s*12:00/);
    expect(text).toMatch(/Tsim Sha Tsui\s*tsimshatsui-1\s*20/);
    expect(text).toContain('Replication');
    await page.screenshot({ path: join(ARTIFACTS, 'office-dashboard.png'), fullPage: true });
    // A day nothing was sold: words, not empty tables.
    await page.goto(`${base}/?day=2026-11-20`);
    await page.getByRole('heading', { name: 'Head office · business day 2026-11-20' }).waitFor();
    const empty = (await page.textContent('main')) ?? '';
    expect(empty).toContain('No sale has reached head office for this business day yet.');
    expect(empty).toContain('No Z report yet for this business day.');
    await page.screenshot({ path: join(ARTIFACTS, 'office-dashboard-empty-day.png'), fullPage: true });
    await page.close();
  });

  it('reads in Traditional Chinese for a Hong Kong browser', async () => {
    const context = await browser.newContext({ locale: 'zh-HK', viewport: { width: 1280, height: 1000 } });
    const page = await context.newPage();
    await page.goto(`${base}/login`);
    expect(await page.getAttribute('html', 'lang')).toBe('zh-Hant');
    await page.getByLabel('店主密碼').fill(PASSWORD);
    await page.getByRole('button', { name: '登入' }).click();
    await page.getByRole('heading', { name: /^總部 · 營業日/ }).waitFor();
    await page.goto(`${base}/?day=2026-11-26`);
    await page.getByRole('heading', { name: '總部 · 營業日 2026-11-26' }).waitFor();
    const text = (await page.textContent('main')) ?? '';
    for (const heading of ['收入，所有收銀機（淨額）', '各收銀機', '按付款方式', '錢箱', '每小時', 'Z 報表', '對賬', '傳送狀態']) expect(text).toContain(heading);
    for (const words of ['微信支付 QR', '現金', '開業備用金', '錢箱應有現金']) expect(text).toContain(words);
    expect(text).toContain('雜湊相符');
    expect(text).not.toMatch(/Per till|By tender|Cash drawer|Replication|hash ok|up to date/);
    await page.screenshot({ path: join(ARTIFACTS, 'office-dashboard-zh-Hant.png'), fullPage: true });
    await context.close();
  });

  it('refuses a form posted from another origin, and an unknown Host', async () => {
    const posted = await fetch(`${base}/login`, { method: 'POST', headers: { Origin: 'http://evil.example', 'Content-Type': 'application/x-www-form-urlencoded' }, body: `password=${encodeURIComponent(PASSWORD)}`, redirect: 'manual' });
    expect(posted.status).toBe(403);
    expect(posted.headers.get('set-cookie')).toBeNull();
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/login`, { headers: { Host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(rebound).toBe(421);
  });
});
