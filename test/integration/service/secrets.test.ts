import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AppStatus, ConnectionTest, OfficeStatus, SaleDetail } from '../../../shared/contract';
import type { RefundView, SaleView } from '../../../shared/sale';
import type { SettingsView } from '../../../shared/settings';
import { startSimulator, type QfpaySimulator } from '../../../electron/simulator/server';
import { JOURNAL_FILES, openTill, type TillOptions } from '../../../electron/till/core';
import { CLIENT_KEY, fakeBox } from '../../unit/electron/service/support';
import { clockAtNoon, closeAll, startService, type ServiceHarness } from './support';

// The client key, set through the contract, used for a whole real-mode flow
// (charge, pay, refund, test connection) against a local QFPay simulator
// that knows it, must then appear nowhere it should not: not in any IPC
// result, any event, the settings store, the log file, or the journal's
// SQLite files. The same for head office's database password (issue 15),
// set in the same flow and used by the background sender meanwhile.

const APP_CODE = 'ITESTAPPCODE00000000000000000001';
const MCHID = 'MCH01';
/** Going live needs a supervisor PIN (issue 10). */
const PIN = '2468';
/** Head office's password: the sender tries it against a server that is not there, so it is really used (and logged about). */
const OFFICE_PASSWORD = 'Office-Pa55word-Zq9';
const SECRETS = [CLIENT_KEY, OFFICE_PASSWORD];

const sims: QfpaySimulator[] = [];
afterEach(async () => {
  await closeAll();
  for (const sim of sims.splice(0)) await sim.close();
});

/** Starts a service whose real-mode till talks to a local simulator holding CLIENT_KEY (the test base URL is unreachable here). */
async function realModeService(level: 'os' | 'basic_text' = 'os'): Promise<{ h: ServiceHarness; sim: QfpaySimulator }> {
  const clock = clockAtNoon();
  const sim = await startSimulator({ appCode: APP_CODE, clientKey: CLIENT_KEY, mchid: MCHID, seed: 1, refundCutoffWindow: false, timeZone: 'Asia/Hong_Kong', now: () => clock.now() });
  sims.push(sim);
  const h = await startService(
    {
      openTill: (options: TillOptions) => openTill({ ...options, credentials: options.credentials && { ...options.credentials, baseUrl: sim.baseUrl } }),
    },
    { clock, box: fakeBox(level), pin: PIN },
  );
  return { h, sim };
}

async function customerPays(sim: QfpaySimulator, outTradeNo: string): Promise<void> {
  const response = await fetch(`${sim.baseUrl}/__sim/pay`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ out_trade_no: outTradeNo }).toString(),
  });
  expect(response.status).toBe(200);
}

async function fullFlow(h: ServiceHarness, sim: QfpaySimulator): Promise<{ sale: SaleView; refund: RefundView }> {
  const view = await h.value<SettingsView>('setCredentials', { environment: 'test', appCode: APP_CODE, clientKey: CLIENT_KEY, mchid: MCHID, pin: PIN });
  expect(view).toMatchObject({ environment: 'test', hasClientKey: true });
  expect(await h.value<AppStatus>('status')).toMatchObject({ mode: 'test', ready: true });
  const office = await h.value<SettingsView>('setHeadOffice', { enabled: true, url: 'postgres://till_itest@127.0.0.1:1/office', password: OFFICE_PASSWORD, pin: PIN });
  expect(office).toMatchObject({ headOfficeEnabled: true, headOfficePasswordSet: true });

  const connection = await h.value<ConnectionTest>('testConnection');
  expect(connection).toMatchObject({ ok: true, respcd: '0000' });

  const charged = await h.value<SaleView>('charge', { amountMinor: 4200, currency: 'HKD' });
  expect(charged.training).toBe(false);
  await h.waitFor(() => h.sales().find((s) => s.outTradeNo === charged.outTradeNo && s.state === 'awaiting_scan'), 'the QR');
  await customerPays(sim, charged.outTradeNo);
  const sale = await h.waitFor(() => h.sales().find((s) => s.outTradeNo === charged.outTradeNo && s.state === 'paid'), 'the payment');

  const refund = await h.value<RefundView>('refund', { saleOutTradeNo: sale.outTradeNo, amountMinor: 1200, pin: PIN });
  const refunded = await h.waitFor(
    () => h.broadcasts.map((b) => b.payload as RefundView).find((r) => r.outTradeNo === refund.outTradeNo && r.state === 'refunded'),
    'the refund',
  );
  expect(refunded.amountMinor).toBe(1200);
  const detail = await h.value<SaleDetail>('saleDetail', { outTradeNo: sale.outTradeNo });
  expect(detail.refundableMinor).toBe(3000);
  await h.value('settings');
  await h.value('history', {});
  await h.value('displayState');
  expect(sim.requestCounts.payment).toBe(1);
  expect(sim.requestCounts.refund).toBe(1);
  // The sender has tried head office with the password (and the screen learns only a code).
  expect(h.settings.headOfficeUrl()).toContain(OFFICE_PASSWORD);
  let sender = await h.value<OfficeStatus>('officeStatus');
  for (let i = 0; i < 400 && sender.state === 'starting'; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 10));
    sender = await h.value<OfficeStatus>('officeStatus');
  }
  expect(sender).toMatchObject({ state: 'failing', failure: 'unreachable' });
  return { sale, refund };
}

/** Every file in a directory tree, with its bytes. */
function filesUnder(dir: string): Array<{ path: string; bytes: Buffer }> {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => {
      const path = join(entry.parentPath, entry.name);
      return { path, bytes: readFileSync(path) };
    });
}

/** The key or head office's password in UTF-8, UTF-16 or base64, anywhere in these bytes. */
function containsKey(bytes: Buffer): boolean {
  return SECRETS.some((secret) => [Buffer.from(secret, 'utf8'), Buffer.from(secret, 'utf16le'), Buffer.from(Buffer.from(secret).toString('base64'))].some((needle) => bytes.includes(needle)));
}

describe('the client key after a full real-mode flow', () => {
  it('is in no IPC result and no event', async () => {
    const { h, sim } = await realModeService();
    await fullFlow(h, sim);
    expect(h.results.length).toBeGreaterThan(8);
    for (const secret of SECRETS) {
      for (const { name, result } of h.results) expect(JSON.stringify(result), name).not.toContain(secret);
      for (const { event, payload } of h.broadcasts) expect(JSON.stringify(payload), event).not.toContain(secret);
    }
    for (const cipher of h.box.encrypted) expect(JSON.stringify(h.results)).not.toContain(cipher);
  });

  it('is not in the settings store, except encrypted', async () => {
    const { h, sim } = await realModeService();
    await fullFlow(h, sim);
    for (const secret of SECRETS) expect(JSON.stringify([h.backend.data, h.backend.writes])).not.toContain(secret);
    // Sealed in turn: the PIN record, the key, then head office's password.
    expect(h.backend.data).toMatchObject({ clientKeyEncrypted: h.box.encrypted.at(-2), headOfficePasswordEncrypted: h.box.encrypted.at(-1) });
    expect(h.box.decrypt(h.box.encrypted.at(-1)!)).toBe(OFFICE_PASSWORD);
  });

  it('is not in the log file, which did record the flow', async () => {
    const { h, sim } = await realModeService();
    const { sale, refund } = await fullFlow(h, sim);
    // Even a careless caller that logs the key itself gets it masked.
    h.log.log('error', `careless: key=${CLIENT_KEY}`, { clientKey: CLIENT_KEY });
    h.log.log('error', `careless: ${h.settings.headOfficeUrl()!}`, { password: OFFICE_PASSWORD });
    await h.service.stop();
    const logs = filesUnder(join(h.dir, 'logs'));
    expect(logs.map((f) => f.path.split(/[\\/]/).pop())).toContain('till.log');
    const text = logs.map((f) => f.bytes.toString('utf8')).join('\n');
    expect(text).toContain('till opened in test mode');
    expect(text).toContain(`sale ${sale.outTradeNo} paid`);
    expect(text).toContain(`refund ${refund.outTradeNo} refunded`);
    expect(text).toContain('careless: key=***');
    expect(text).toContain('head office on');
    expect(text).toContain('head office could not be reached');
    for (const file of logs) expect(containsKey(file.bytes), file.path).toBe(false);
  });

  it('is not in the journal: the SQLite file and its WAL, while open and after closing', async () => {
    const { h, sim } = await realModeService();
    const { sale } = await fullFlow(h, sim);
    const journal = join(h.dataDir, JOURNAL_FILES.real);
    const whileOpen = filesUnder(h.dataDir);
    expect(whileOpen.map((f) => f.path)).toEqual(expect.arrayContaining([journal, `${journal}-wal`]));
    // The grep can see text: the sale's id is in those bytes.
    expect(Buffer.concat(whileOpen.map((f) => f.bytes)).includes(Buffer.from(sale.outTradeNo))).toBe(true);
    for (const file of whileOpen) expect(containsKey(file.bytes), file.path).toBe(false);

    await h.service.stop();
    const closed = filesUnder(h.dataDir);
    expect(Buffer.concat(closed.map((f) => f.bytes)).includes(Buffer.from(sale.outTradeNo))).toBe(true);
    for (const file of closed) expect(containsKey(file.bytes), file.path).toBe(false);
  });

  it('with no OS protection (basic_text) the flow works for the session and the key reaches no file at all', async () => {
    const { h, sim } = await realModeService('basic_text');
    await fullFlow(h, sim);
    expect(await h.value<AppStatus>('status')).toMatchObject({ keyStorage: 'memory' });
    expect(await h.value('settings')).toMatchObject({ headOfficePasswordSet: true });
    // Only the PIN record was sealed; the key and the password never were.
    expect(h.box.encrypted).toHaveLength(1);
    for (const secret of SECRETS) {
      expect(h.box.decrypt(h.box.encrypted[0]!)).not.toContain(secret);
      expect(JSON.stringify([h.backend.data, h.backend.writes, h.results, h.broadcasts])).not.toContain(secret);
    }
    await h.service.stop();
    for (const file of filesUnder(h.dir)) expect(containsKey(file.bytes), file.path).toBe(false);
  });
});
