import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OfficeStatus } from '../../../shared/contract';
import type { SaleView } from '../../../shared/sale';
import type { SettingsView } from '../../../shared/settings';
import { connectOffice } from '../../../electron/office/connection';
import type { LocalPostgres } from '../../../electron/office/local-postgres';
import { startSimulator, type QfpaySimulator } from '../../../electron/simulator/server';
import { openTill, type TillOptions } from '../../../electron/till/core';
import { CLIENT_KEY } from '../../unit/electron/service/support';
import { clockAtNoon, closeAll, startService, type ServiceHarness } from '../service/support';
import { PG_BIN, startPg } from './support';

// The app's service and head office (issue 15): the Settings screen's
// contract methods turn the background sender on and off; the password is
// kept like the client key and joined into the URL only in main; a training
// till never replicates, whatever the settings say.

const PIN = '2468';
const APP_CODE = 'ITESTAPPCODE00000000000000000001';

describe('service and head office', () => {
  afterEach(async () => {
    await closeAll();
  });

  it('never replicates a training till', async () => {
    const headOfficeUrl = vi.fn(() => 'postgres://till_x:pw@127.0.0.1:1/office');
    const h = await startService({ headOfficeUrl });
    expect(h.service.current?.training).toBe(true);
    expect(headOfficeUrl).not.toHaveBeenCalled();
  });

  it('a training till set to send says "training" and sends nothing', async () => {
    const h = await startService({}, { pin: PIN });
    const view = await h.value<SettingsView>('setHeadOffice', { enabled: true, url: 'postgres://till_x@127.0.0.1:1/office', password: 'pw-secret', pin: PIN });
    expect(view).toMatchObject({ headOfficeEnabled: true, headOfficePasswordSet: true });
    expect(h.service.current?.training).toBe(true);
    expect(await h.value<OfficeStatus>('officeStatus')).toEqual({ state: 'training', lastContactMs: null, lastSentMs: null, lagEvents: null, failure: null });
  });

  it('is behind the supervisor PIN: a wrong PIN, or no PIN at all, keeps nothing (turning off is allowed)', async () => {
    const h = await startService({}, { pin: PIN });
    expect(await h.call('setHeadOffice', { enabled: true, url: 'postgres://till_x@127.0.0.1:1/office', password: 'pw-secret' })).toMatchObject({ ok: false, error: { code: 'pin_required' } });
    expect(await h.call('setHeadOffice', { enabled: true, url: 'postgres://till_x@127.0.0.1:1/office', password: 'pw-secret', pin: '1357' })).toMatchObject({ ok: false, error: { code: 'pin_wrong' } });
    expect(h.settings.current).toMatchObject({ headOfficeEnabled: false, headOfficeUrl: null, headOfficePasswordEncrypted: null });
    const fresh = await startService();
    expect(await fresh.call('setHeadOffice', { enabled: true, url: 'postgres://till_x@127.0.0.1:1/office', password: 'pw-secret' })).toMatchObject({ ok: false, error: { code: 'pin_not_set' } });
    expect(fresh.settings.officePassword()).toBeUndefined();
    expect(await fresh.call('setHeadOffice', { enabled: false, url: 'postgres://till_x@127.0.0.1:1/office' })).toMatchObject({ ok: true });
  });
});

/** Polls a contract method until its value passes (the sender's rounds are its own: there is no event to wait on). */
async function until<T>(h: ServiceHarness, read: () => Promise<T>, pass: (value: T) => boolean, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (pass(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe.skipIf(!PG_BIN)('a live till and head office from Settings (real PostgreSQL)', () => {
  let pg: LocalPostgres;
  let sim: QfpaySimulator;
  let urlWithout: string;
  let password: string;

  beforeAll(async () => {
    pg = await startPg();
    const parsed = new URL(pg.url);
    password = decodeURIComponent(parsed.password);
    parsed.password = '';
    urlWithout = parsed.toString();
  }, 90_000);

  afterAll(async () => {
    await closeAll();
    await sim?.close();
    await pg?.destroy();
  });

  async function liveService(): Promise<ServiceHarness> {
    const clock = clockAtNoon();
    sim = await startSimulator({ appCode: APP_CODE, clientKey: CLIENT_KEY, seed: 1, refundCutoffWindow: false, timeZone: 'Asia/Hong_Kong', now: () => clock.now() });
    const h = await startService(
      { openTill: (options: TillOptions) => openTill({ ...options, credentials: options.credentials && { ...options.credentials, baseUrl: sim.baseUrl } }) },
      { clock, pin: PIN },
    );
    await h.value('setCredentials', { environment: 'test', appCode: APP_CODE, clientKey: CLIENT_KEY, pin: PIN });
    expect(h.service.current?.training).toBe(false);
    return h;
  }

  async function eventsAtOffice(udid: string): Promise<number> {
    const owner = await connectOffice(pg.url);
    try {
      const held = await owner.query<{ n: string }>(`SELECT count(*) AS n FROM office.events WHERE udid = $1`, [udid]);
      return Number(held.rows[0]!.n);
    } catch {
      return 0;
    } finally {
      await owner.end();
    }
  }

  it('sends the journal once turned on, says it is caught up, and a wrong password is "refused" without the password anywhere', async () => {
    const h = await liveService();
    const udid = h.settings.current.udid;
    expect(await h.value<OfficeStatus>('officeStatus')).toMatchObject({ state: 'off' });
    const charged = await h.value<SaleView>('charge', { amountMinor: 1500, currency: 'HKD' });
    await h.waitFor(() => h.sales().find((s) => s.outTradeNo === charged.outTradeNo && s.state === 'awaiting_scan'), 'the QR');

    // A wrong password first: head office refuses, the screen gets a code, nothing more.
    const wrong = 'Wr0ng-Passw0rd-Xyz';
    await h.value('setHeadOffice', { enabled: true, url: urlWithout, password: wrong, pin: PIN });
    const refused = await until(h, () => h.value<OfficeStatus>('officeStatus'), (s) => s.state === 'failing', 'a refusal');
    expect(refused).toMatchObject({ state: 'failing', failure: 'refused', lastContactMs: null });

    // The right one: the till's events arrive, and the status says caught up.
    const view = await h.value<SettingsView>('setHeadOffice', { enabled: true, url: urlWithout, password, pin: PIN });
    expect(view).toMatchObject({ headOfficeEnabled: true, headOfficeUrl: urlWithout, headOfficePasswordSet: true });
    const caughtUp = await until(h, () => h.value<OfficeStatus>('officeStatus'), (s) => s.state === 'ok' && s.lagEvents === 0, 'caught up');
    expect(caughtUp.lastContactMs).toEqual(expect.any(Number));
    expect(caughtUp.lastSentMs).toEqual(expect.any(Number));
    // The open sale's polls keep adding events: what the journal held then reaches head office by the next round.
    const local = (h.service.current!.journal.db.prepare('SELECT COUNT(*) AS n FROM events').get() as { n: number }).n;
    expect(await until(h, () => eventsAtOffice(udid), (n) => n >= local, 'the journal at head office')).toBeGreaterThanOrEqual(local);

    // Off: the sender stops; the status says so.
    await h.value('setHeadOffice', { enabled: false, url: urlWithout, pin: PIN });
    expect(await h.value<OfficeStatus>('officeStatus')).toMatchObject({ state: 'off' });

    // Neither password in any IPC result or event, the settings store (except sealed), or the log.
    await h.service.stop();
    for (const secret of [wrong, password]) {
      expect(JSON.stringify([h.results, h.broadcasts, h.backend.data, h.backend.writes])).not.toContain(secret);
      const logs = readdirSync(join(h.dir, 'logs')).map((f) => readFileSync(join(h.dir, 'logs', f), 'utf8')).join('\n');
      expect(logs).toContain('head office');
      expect(logs).not.toContain(secret);
    }
  }, 60_000);
});
