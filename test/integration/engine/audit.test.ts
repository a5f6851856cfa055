import { existsSync, readFileSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { JOURNAL_FILES, openTill } from '../../../electron/till/core';
import {
  chargeShown,
  clockAt,
  closeAll,
  finalWithin,
  NOON,
  openTestTill,
  paidSale,
  refundFinalWithin,
  setFaults,
  startExternalSimulator,
  type TestTill,
} from './support';

// Rule 9 and the journal's "every row carries udid": after a realistic day
// (paid, cancelled, lost answers, refunds) the journal holds every exchange,
// masked, and neither the client key nor the app code anywhere in its bytes.

afterEach(closeAll);

const APP_CODE = 'AUDITAPPCODE00000000000000000XY42';
const CLIENT_KEY = 'auditClientKeyDoNotLog0000000Q7';

/** Paid, cancelled, lost-answer and refunded sales on one till. */
async function busyDay(till: TestTill): Promise<void> {
  await till.engine.recover();
  const paid = await paidSale(till, 1000);
  const refund = await till.engine.refund({ saleOutTradeNo: paid.outTradeNo, amountMinor: 400 });
  if (refund.ok) await refundFinalWithin(till, refund.value.outTradeNo);

  const cancelled = await chargeShown(till, 500);
  await till.engine.cancel();
  await finalWithin(till, cancelled.outTradeNo);

  setFaults(till.sim, { payment: { dropResponse: true, count: 1 }, refund: { dropResponse: true, count: 1 }, autoPayAfterMs: 0 });
  const lost = await till.engine.charge({ amountMinor: 800, currency: 'HKD' });
  if (!lost.ok) throw new Error('charge refused');
  await finalWithin(till, lost.value.outTradeNo);
  const lostRefund = await till.engine.refund({ saleOutTradeNo: lost.value.outTradeNo });
  if (lostRefund.ok) await refundFinalWithin(till, lostRefund.value.outTradeNo);
  setFaults(till.sim, {});

  // Cash: a sale with its opening float, a cash refund and a paid out (rows in sales, refunds, cash_movements).
  const cash = till.engine.chargeCash({ amountMinor: 1230, currency: 'HKD', tenderedMinor: 2000, openingFloatMinor: 50000 });
  if (!cash.ok) throw new Error('cash charge refused');
  await till.engine.refund({ saleOutTradeNo: cash.value.outTradeNo, amountMinor: 230 });
  till.engine.moveCash({ kind: 'paid_out', currency: 'HKD', amountMinor: 1000, reason: 'milk' });
}

describe('secrets and personal data never reach the journal', () => {
  it('after a full day, the journal file and its WAL hold neither the client key nor the app code', async () => {
    const clock = clockAt(NOON);
    const sim = await startExternalSimulator(clock, { appCode: APP_CODE, clientKey: CLIENT_KEY });
    const till = await openTestTill({ clock, external: sim, credentials: { baseUrl: sim.baseUrl, appCode: APP_CODE, clientKey: CLIENT_KEY } });
    expect(till.training).toBe(false);
    await busyDay(till);

    const files = [till.journalPath, `${till.journalPath}-wal`].filter((f) => existsSync(f));
    expect(files.length).toBe(2);
    const scan = () => {
      for (const file of files.filter((f) => existsSync(f))) {
        const bytes = readFileSync(file);
        expect(bytes.includes(Buffer.from(CLIENT_KEY)), `${file} holds the client key`).toBe(false);
        expect(bytes.includes(Buffer.from(APP_CODE)), `${file} holds the app code`).toBe(false);
        expect(bytes.includes(Buffer.from(CLIENT_KEY.toUpperCase())), `${file} holds the client key`).toBe(false);
      }
    };
    scan();

    const exchangeRows = till.journal.db.prepare("SELECT data FROM events WHERE kind = 'exchange'").all() as { data: string }[];
    expect(exchangeRows.length).toBeGreaterThan(10);
    const endpoints = new Set<string>();
    for (const row of exchangeRows) {
      const data = JSON.parse(row.data) as Record<string, unknown>;
      endpoints.add(data.endpoint as string);
      expect(data.request).toEqual(expect.any(Object));
      expect('response' in data).toBe(true);
      expect(row.data).not.toContain(CLIENT_KEY);
      expect(row.data).not.toContain(APP_CODE);
      expect(Object.keys(data.request as object)).not.toEqual(expect.arrayContaining(['client_key', 'sign', 'app_code']));
    }
    expect([...endpoints].sort()).toEqual(['close', 'payment', 'query', 'refund']);

    await till.close();
    files.length = 0;
    files.push(till.journalPath);
    scan();
  });

  it('a real-credentials till and a training till never share a journal file', async () => {
    const clock = clockAt(NOON);
    const sim = await startExternalSimulator(clock, { appCode: APP_CODE, clientKey: CLIENT_KEY });
    const real = await openTestTill({ clock, external: sim, credentials: { baseUrl: sim.baseUrl, appCode: APP_CODE, clientKey: CLIENT_KEY } });
    const training = await openTestTill({ clock, dataDir: real.dataDir });
    expect(real.journalPath).not.toBe(training.journalPath);
    expect(real.journal.meta('training')).toBe('0');
    expect(training.journal.meta('training')).toBe('1');
  });
});

describe('a journal of the other mode', () => {
  it('a training journal put where the real one belongs is refused, left unchanged, and released', async () => {
    const clock = clockAt(NOON);
    const training = await openTestTill({ clock });
    await training.engine.recover();
    await paidSale(training, 1000);
    const dataDir = training.dataDir;
    await training.close();
    renameSync(join(dataDir, JOURNAL_FILES.training), join(dataDir, JOURNAL_FILES.real));
    const before = readFileSync(join(dataDir, JOURNAL_FILES.real));

    const sim = await startExternalSimulator(clock, { appCode: APP_CODE, clientKey: CLIENT_KEY });
    await expect(
      openTill({ dataDir, udid: 'till-01', clock, credentials: { baseUrl: sim.baseUrl, appCode: APP_CODE, clientKey: CLIENT_KEY } }),
    ).rejects.toMatchObject({ name: 'JournalOpenError', code: 'mode' });
    // The connection was closed (a WAL file would stay while it is open) and the file is as it was.
    expect(existsSync(join(dataDir, `${JOURNAL_FILES.real}-wal`))).toBe(false);
    expect(readFileSync(join(dataDir, JOURNAL_FILES.real)).equals(before)).toBe(true);
  });
});

describe('every row carries the udid', () => {
  it('sales, refunds, events and meta: every row has this till udid', async () => {
    const till = await openTestTill();
    await busyDay(till);
    const db = till.journal.db;
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'").all() as { name: string }[]).map((t) => t.name);
    expect(tables.sort()).toEqual(['cash_movements', 'events', 'lease_owners', 'leases', 'meta', 'refunds', 'sale_orders', 'sale_slots', 'sales', 'tender_buckets', 'tender_slots', 'z_reports']);
    for (const table of tables) {
      const columns = (db.prepare(`PRAGMA table_info(${table})`).all() as { name: string; notnull: number }[]).find((c) => c.name === 'udid');
      expect(columns, `${table} has a udid column`).toMatchObject({ notnull: 1 });
      const { total, mine } = db.prepare(`SELECT count(*) AS total, COALESCE(sum(udid = 'till-01'), 0) AS mine FROM ${table}`).get() as { total: number; mine: number };
      // No Z report is taken and no QR re-issued in this flow, and leases end with their sales; the rest all have rows.
      if (table !== 'z_reports' && table !== 'leases' && table !== 'sale_orders') expect(total, `${table} has rows`).toBeGreaterThan(0);
      expect(mine, `every ${table} row is till-01's`).toBe(total);
    }
  });
});
