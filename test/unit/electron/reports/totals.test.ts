import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { CurrencyTotals } from '../../../../shared/reports';
import { openDatabase } from '../../../../electron/journal/database';
import { Journal } from '../../../../electron/journal/journal';
import { MIGRATIONS } from '../../../../electron/journal/migrations';
import { localParts } from '../../../../electron/qfpay/time';
import { SLOT_MS, TotalsQuery, businessDayOf, type PeriodQuery } from '../../../../electron/reports/totals';
import { DAY_END, DAY_START, DAY_TOTALS, writeDay, writeEarlierDay, writeTrainingRow } from './day-fixture';
import { HK, addRefund, addSale, cleanup, hk, openJournal, tempDir } from './fixtures';

// Till totals over fixture journals, against totals worked out by hand:
// several currencies, partial refunds, a refund of an earlier period's sale,
// sales across midnight and across the business-day cut-off, training rows,
// periods whose edges cut half hours, and a v1 journal upgraded to v2.

afterEach(cleanup);

const summary = (totals: CurrencyTotals[]) =>
  Object.fromEntries(
    totals.map(({ currency, paidCount, grossMinor, refundCount, refundMinor, netMinor, averageTicketMinor, cancelledCount, expiredCount, failedCount }) => [
      currency,
      { paidCount, grossMinor, refundCount, refundMinor, netMinor, averageTicketMinor, cancelledCount, expiredCount, failedCount },
    ]),
  );

const day = (training = false): PeriodQuery => ({ udid: 'till-01', training, fromMs: DAY_START, toMs: DAY_END, timeZone: HK });

describe('TotalsQuery over one business day', () => {
  it('gives the hand-computed totals per currency (partial refunds, an earlier sale refunded, midnight, cut-off)', () => {
    const { db, journal } = openJournal();
    writeEarlierDay(journal);
    writeDay(journal);
    const totals = new TotalsQuery(db).totals(day());
    expect(totals.map((t) => t.currency)).toEqual(['CNY', 'HKD', 'JPY']);
    expect(summary(totals)).toEqual(DAY_TOTALS);
    const hkd = totals.find((t) => t.currency === 'HKD')!;
    expect(hkd.firstSaleAtMs).toBe(hk(2026, 11, 26, 9, 0, 30));
    expect(hkd.lastSaleAtMs).toBe(hk(2026, 11, 27, 0, 5));
    // Hours of the day, in hour order (00:05 after midnight is hour 0 of the same business day).
    expect(hkd.hourly).toEqual([
      { hour: 0, paidCount: 1, grossMinor: 775 },
      { hour: 9, paidCount: 1, grossMinor: 1230 },
      { hour: 12, paidCount: 1, grossMinor: 5000 },
    ]);
    expect(totals.find((t) => t.currency === 'JPY')!.hourly).toEqual([
      { hour: 10, paidCount: 1, grossMinor: 500 },
      { hour: 18, paidCount: 1, grossMinor: 1200 },
    ]);
  });

  it('the next business day has the sale made before the cut-off and paid after it', () => {
    const { db, journal } = openJournal();
    writeEarlierDay(journal);
    writeDay(journal);
    const next = new TotalsQuery(db).totals({ ...day(), fromMs: DAY_END, toMs: DAY_END + 86_400_000 });
    expect(summary(next)).toEqual({
      HKD: { paidCount: 1, grossMinor: 2000, refundCount: 0, refundMinor: 0, netMinor: 2000, averageTicketMinor: 2000, cancelledCount: 0, expiredCount: 0, failedCount: 0 },
    });
  });

  it('the earlier day holds the refunded sale, never its refund', () => {
    const { db, journal } = openJournal();
    writeEarlierDay(journal);
    writeDay(journal);
    const earlier = new TotalsQuery(db).totals({ ...day(), fromMs: DAY_START - 86_400_000, toMs: DAY_START });
    expect(summary(earlier).HKD).toMatchObject({ paidCount: 1, grossMinor: 3000, refundCount: 0, refundMinor: 0 });
  });

  it('training rows never appear in a real report, and a training file reports its own', () => {
    const real = openJournal();
    writeEarlierDay(real.journal);
    writeDay(real.journal);
    writeTrainingRow(real.journal);
    expect(summary(new TotalsQuery(real.db).totals(day()))).toEqual(DAY_TOTALS);
    // The planted row is the only training sale in the real file.
    expect(summary(new TotalsQuery(real.db).totals(day(true)))).toEqual({
      HKD: { paidCount: 1, grossMinor: 77_700, refundCount: 0, refundMinor: 0, netMinor: 77_700, averageTicketMinor: 77_700, cancelledCount: 0, expiredCount: 0, failedCount: 0 },
    });

    const training = openJournal({ training: true });
    writeEarlierDay(training.journal);
    writeDay(training.journal);
    expect(summary(new TotalsQuery(training.db).totals(day(true)))).toEqual(DAY_TOTALS);
    expect(new TotalsQuery(training.db).totals(day(false))).toEqual([]);
  });

  it('another till in the same file is not counted', () => {
    const { db, journal } = openJournal();
    writeDay(journal);
    addSale(journal, 'S-OTHER', { amountMinor: 4200, createdAtMs: hk(2026, 11, 26, 9), state: 'paid', udid: 'till-02' });
    expect(summary(new TotalsQuery(db).totals(day())).HKD!.grossMinor).toBe(7005);
  });

  it('an empty period has no currencies', () => {
    const { db } = openJournal();
    expect(new TotalsQuery(db).totals(day())).toEqual([]);
  });
});

describe('periods whose edges cut half hours', () => {
  it('counts a sale settled inside a partial half hour and leaves out one just outside', () => {
    const { db, journal } = openJournal();
    writeEarlierDay(journal);
    writeDay(journal);
    // 09:00:15 → 12:10:45: S-HKD-1 (paid 09:00:30) in, S-HKD-2 (paid 12:11:00) out; S-HKD-5 expired 10:30, S-HKD-6 cancelled 11:02 in.
    const q = new TotalsQuery(db);
    const part = q.totals({ ...day(), fromMs: hk(2026, 11, 26, 9, 0, 15), toMs: hk(2026, 11, 26, 12, 10, 45) });
    expect(summary(part).HKD).toEqual({ paidCount: 1, grossMinor: 1230, refundCount: 0, refundMinor: 0, netMinor: 1230, averageTicketMinor: 1230, cancelledCount: 1, expiredCount: 1, failedCount: 0 });
    expect(summary(part).JPY).toMatchObject({ paidCount: 1, grossMinor: 500 });
    // The start is exclusive of what settled a millisecond before it, the end of what settled at it.
    expect(summary(q.totals({ ...day(), fromMs: hk(2026, 11, 26, 9, 0, 30) + 1, toMs: hk(2026, 11, 26, 12, 11) })).HKD).toMatchObject({ paidCount: 0, grossMinor: 0, expiredCount: 1 });
    expect(summary(q.totals({ ...day(), fromMs: hk(2026, 11, 26, 9, 0, 30), toMs: hk(2026, 11, 26, 12, 11) })).HKD).toMatchObject({ paidCount: 1, grossMinor: 1230 });
    expect(summary(q.totals({ ...day(), fromMs: hk(2026, 11, 26, 9, 0, 30), toMs: hk(2026, 11, 26, 12, 11) + 1 })).HKD).toMatchObject({ paidCount: 2, grossMinor: 6230 });
  });

  it('a period inside one half hour reads rows only', () => {
    const { db, journal } = openJournal();
    writeDay(journal);
    const t = new TotalsQuery(db).totals({ ...day(), fromMs: hk(2026, 11, 26, 9, 0, 10), toMs: hk(2026, 11, 26, 9, 0, 40) });
    expect(summary(t)).toEqual({ HKD: expect.objectContaining({ paidCount: 1, grossMinor: 1230 }) });
    expect(t[0]!.firstSaleAtMs).toBe(hk(2026, 11, 26, 9, 0, 30));
  });

  it('matches a row-by-row count for many random periods over random sales', () => {
    const { db, journal } = openJournal();
    let seed = 42;
    const random = () => {
      seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
      return seed / 2 ** 31;
    };
    const base = hk(2026, 11, 26, 0);
    const states = ['paid', 'paid', 'paid', 'expired', 'cancelled', 'failed'] as const;
    const currencies = ['HKD', 'JPY', 'CNY'] as const;
    for (let i = 0; i < 400; i++) {
      const created = base + Math.floor(random() * 2 * 86_400_000);
      const settled = created + Math.floor(random() * 3_600_000);
      addSale(journal, `S-${i}`, { amountMinor: 1 + Math.floor(random() * 10_000), currency: currencies[i % 3], createdAtMs: created, settledAtMs: settled, state: states[Math.floor(random() * states.length)]! });
      if (i % 7 === 0 && journal.sale(`S-${i}`)!.state === 'paid') {
        addRefund(journal, `R-${i}`, `S-${i}`, { amountMinor: 1, createdAtMs: settled + 1000, settledAtMs: settled + 1000 + Math.floor(random() * 3_600_000) });
      }
    }
    const q = new TotalsQuery(db);
    const naive = (fromMs: number, toMs: number) => {
      const rows = db
        .prepare(
          `SELECT currency, state AS kind, COUNT(*) AS count, SUM(amount_minor) AS amount FROM sales WHERE settled_at_ms >= ? AND settled_at_ms < ? GROUP BY 1, 2
           UNION ALL SELECT currency, 'refunded', COUNT(*), SUM(amount_minor) FROM refunds WHERE settled_at_ms >= ? AND settled_at_ms < ? GROUP BY 1`,
        )
        .all(fromMs, toMs, fromMs, toMs) as { currency: string; kind: string; count: number; amount: number }[];
      const out: Record<string, Record<string, number>> = {};
      for (const r of rows) {
        const c = (out[r.currency] ??= { paidCount: 0, grossMinor: 0, refundCount: 0, refundMinor: 0, cancelledCount: 0, expiredCount: 0, failedCount: 0 });
        if (r.kind === 'paid') [c.paidCount, c.grossMinor] = [c.paidCount! + r.count, c.grossMinor! + r.amount];
        if (r.kind === 'refunded') [c.refundCount, c.refundMinor] = [c.refundCount! + r.count, c.refundMinor! + r.amount];
        if (r.kind === 'cancelled') c.cancelledCount! += r.count;
        if (r.kind === 'expired') c.expiredCount! += r.count;
        if (r.kind === 'failed') c.failedCount! += r.count;
      }
      return out;
    };
    for (let k = 0; k < 60; k++) {
      const a = base - 3_600_000 + Math.floor(random() * 2.2 * 86_400_000);
      // Every fourth period lies exactly on half-hour boundaries.
      const from = k % 4 === 0 ? Math.floor(a / SLOT_MS) * SLOT_MS : a;
      const to = from + (k % 4 === 0 ? SLOT_MS * (1 + Math.floor(random() * 40)) : Math.floor(random() * 86_400_000));
      const got = Object.fromEntries(
        q.totals({ udid: 'till-01', training: false, fromMs: from, toMs: to, timeZone: HK }).map((t) => [
          t.currency,
          { paidCount: t.paidCount, grossMinor: t.grossMinor, refundCount: t.refundCount, refundMinor: t.refundMinor, cancelledCount: t.cancelledCount, expiredCount: t.expiredCount, failedCount: t.failedCount },
        ]),
      );
      expect(got, `period ${from}–${to}`).toEqual(naive(from, to));
    }
  });
});

describe('a v1 journal upgraded to v2', () => {
  it('gives the same totals as a fresh one, and keeps counting after the upgrade', () => {
    const dir = tempDir();
    const oldPath = join(dir, 'v1.sqlite');
    const v1 = openDatabase(oldPath, { migrations: MIGRATIONS.slice(0, 1) });
    const oldJournal = new Journal(v1, 'till-01', false);
    writeEarlierDay(oldJournal);
    writeDay(oldJournal);
    writeTrainingRow(oldJournal);
    // An open sale at upgrade time settles afterwards, through the v2 trigger.
    addSale(oldJournal, 'S-OPEN', { amountMinor: 4321, createdAtMs: hk(2026, 11, 26, 20), state: 'awaiting_scan' });
    expect(Number(v1.pragma('user_version', { simple: true }))).toBe(1);
    oldJournal.close();

    const upgraded = openDatabase(oldPath);
    const upgradedJournal = new Journal(upgraded, 'till-01', false);
    expect(Number(upgraded.pragma('user_version', { simple: true }))).toBe(MIGRATIONS.length);
    upgradedJournal.updateSale('S-OPEN', ['awaiting_scan'], { state: 'paid', paidAtMs: hk(2026, 11, 26, 20, 2), finalAtMs: hk(2026, 11, 26, 20, 2), updatedAtMs: hk(2026, 11, 26, 20, 2) }, {});

    const fresh = openJournal();
    writeEarlierDay(fresh.journal);
    writeDay(fresh.journal);
    writeTrainingRow(fresh.journal);
    addSale(fresh.journal, 'S-OPEN', { amountMinor: 4321, createdAtMs: hk(2026, 11, 26, 20), settledAtMs: hk(2026, 11, 26, 20, 2), state: 'paid' });

    for (const training of [false, true]) {
      for (const [fromMs, toMs] of [
        [DAY_START, DAY_END],
        [hk(2026, 11, 26, 9, 0, 15), hk(2026, 11, 26, 20, 1, 59)],
        [DAY_START - 86_400_000, DAY_END + 86_400_000],
      ] as const) {
        const q = { udid: 'till-01', training, fromMs, toMs, timeZone: HK };
        expect(new TotalsQuery(upgraded).totals(q)).toEqual(new TotalsQuery(fresh.db).totals(q));
      }
    }
    expect(summary(new TotalsQuery(upgraded).totals(day())).HKD).toMatchObject({ paidCount: 4, grossMinor: 7005 + 4321 });
    const rollup = (db: typeof upgraded) => db.prepare('SELECT * FROM sale_slots ORDER BY udid, training, slot, currency, kind').all();
    expect(rollup(upgraded)).toEqual(rollup(fresh.db));
    upgradedJournal.close();
  });
});

describe('businessDayOf', () => {
  it('puts the hours before the cut-off in the previous day', () => {
    expect(businessDayOf(hk(2026, 11, 27, 3, 59, 59), 4, HK)).toBe('2026-11-26');
    expect(businessDayOf(hk(2026, 11, 27, 4), 4, HK)).toBe('2026-11-27');
    expect(businessDayOf(hk(2026, 12, 1, 0, 30), 4, HK)).toBe('2026-11-30');
    expect(businessDayOf(hk(2027, 1, 1, 1), 4, HK)).toBe('2026-12-31');
    expect(businessDayOf(hk(2026, 11, 27, 0, 30), 0, HK)).toBe('2026-11-27');
  });
});

describe('hourly breakdown across daylight-saving changes', () => {
  it.each([
    ['America/New_York', Date.UTC(2026, 2, 7), Date.UTC(2026, 2, 10)],
    ['America/New_York', Date.UTC(2026, 9, 31), Date.UTC(2026, 10, 3)],
    ['Australia/Adelaide', Date.UTC(2026, 3, 4), Date.UTC(2026, 3, 6)],
    ['Australia/Adelaide', Date.UTC(2026, 9, 3), Date.UTC(2026, 9, 5)],
    ['Asia/Yangon', Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2)],
    ['Asia/Hong_Kong', Date.UTC(2026, 11, 31), Date.UTC(2027, 0, 2)],
    ['Asia/Kathmandu', Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 2)],
  ])('%s: each half hour lands in the local hour Intl gives its start', (timeZone, fromMs, toMs) => {
    const { db, journal } = openJournal();
    const expected = new Map<number, { hour: number; paidCount: number; grossMinor: number }>();
    let i = 0;
    for (let at = fromMs + 7 * 60_000; at < toMs; at += 20 * 60_000, i++) {
      addSale(journal, `S-${i}`, { amountMinor: 100 + i, createdAtMs: at - 1000, settledAtMs: at, state: 'paid' });
      // Kathmandu (+05:45) splits half hours between two local hours: a half hour counts in the hour it starts in.
      const { hour } = localParts(Math.floor(at / SLOT_MS) * SLOT_MS, timeZone);
      const entry = expected.get(hour) ?? { hour, paidCount: 0, grossMinor: 0 };
      entry.paidCount += 1;
      entry.grossMinor += 100 + i;
      expected.set(hour, entry);
    }
    const byHour = [...expected.values()].sort((a, b) => a.hour - b.hour);
    for (const indexPathMinSlots of [0, Infinity]) {
      const [hkd] = new TotalsQuery(db, { indexPathMinSlots }).totals({ udid: 'till-01', training: false, fromMs, toMs, timeZone });
      expect(hkd!.hourly).toEqual(byHour);
    }
  });
});
