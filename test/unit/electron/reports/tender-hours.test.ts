import { afterEach, describe, expect, it } from 'vitest';
import { NOT_YET_SETTLED } from '../../../../electron/journal/journal';
import { tenderTotals } from '../../../../electron/journal/drawer';
import { tenderRank } from '../../../../shared/cash';
import { tenderSplit, type TenderPeriod } from '../../../../electron/reports/tender-hours';
import { TotalsQuery, ZoneOffsets } from '../../../../electron/reports/totals';
import type { HourTotals } from '../../../../shared/reports';
import type { Db } from '../../../../electron/journal/database';
import { HK, addRefund, addSale, addTenderDays, cleanup, hk, openJournal } from './fixtures';

// The split by tender in one pass: each tender's paid sales and refunds (the
// figures of journal/drawer.ts tenderTotals) and its paid sales per local
// hour of the day for the chart stacked by tender, whole half hours from the
// tender_slots rollup and the edges row by row. Checked against a plain walk
// over the rows, against tenderTotals, and against the currency's own hourly
// figures (the stacks add up to the bars of before).

afterEach(cleanup);

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const PAY_TYPES = ['800201', '800208', '800101', '801501', '800108', '805801', '800701', '802001', '800008', 'cash'];

function mixedJournal(timeZone = HK, start = hk(2026, 11, 26, 7, 10)) {
  const f = openJournal();
  for (let i = 0; i < 150; i++) {
    const at = start + i * 11 * MINUTE + (i % 7) * 1000;
    const currency = i % 3 === 0 ? 'CNY' : 'HKD';
    const payType = PAY_TYPES[i % PAY_TYPES.length]!;
    if (payType === 'cash') {
      f.journal.insertFinalSale(
        { outTradeNo: `S-${i}`, udid: 'till-01', training: false, amountMinor: 100 + i, currency, payType, goodsName: null, state: 'paid', txdtm: '2026-11-26 12:00:00', expiredMinutes: 5, createdAtMs: at, expiresAtMs: at, ...NOT_YET_SETTLED, paidAtMs: at, finalAtMs: at, updatedAtMs: at, tenderedMinor: 100 + i, changeMinor: 0 },
        { reason: 'cash_charge' },
      );
    } else addSale(f.journal, `S-${i}`, { amountMinor: 1000 + i, currency, createdAtMs: at, payType, state: i % 13 === 0 ? 'cancelled' : 'paid' });
    if (i % 4 === 1 && i % 13 !== 0) addRefund(f.journal, `R-${i}`, `S-${i}`, { amountMinor: 50, createdAtMs: at + 17 * MINUTE });
  }
  return { ...f, start, end: start + 150 * 11 * MINUTE + 10 * MINUTE, timeZone };
}

function brute(f: { db: Db; timeZone: string }, fromMs: number, toMs: number) {
  const offsets = new ZoneOffsets(f.timeZone);
  const rows = f.db
    .prepare("SELECT currency, pay_type, settled_at_ms AS at, amount_minor FROM sales WHERE udid = 'till-01' AND training = 0 AND state = 'paid' AND settled_at_ms >= ? AND settled_at_ms < ?")
    .all(fromMs, toMs) as {
    currency: string;
    pay_type: string;
    at: number;
    amount_minor: number;
  }[];
  const out = new Map<string, HourTotals[]>();
  for (const r of rows) {
    const key = `${r.currency}/${r.pay_type}`;
    const list = out.get(key) ?? out.set(key, []).get(key)!;
    const hour = offsets.hourOf(r.at);
    const h = list.find((x) => x.hour === hour) ?? (list.push({ hour, paidCount: 0, grossMinor: 0 }), list[list.length - 1]!);
    h.paidCount += 1;
    h.grossMinor += r.amount_minor;
  }
  for (const list of out.values()) list.sort((a, b) => a.hour - b.hour);
  return out;
}

/** currency → pay type → hours, for tenders that sold (a tender with refunds only has no hours). */
const tenderHours = (db: Parameters<typeof tenderSplit>[0], period: TenderPeriod) =>
  new Map([...tenderSplit(db, period)].map(([currency, list]) => [currency, new Map(list.filter((t) => t.paidCount > 0).map((t) => [t.payType, t.hourly!]))]));
const flat = (got: ReturnType<typeof tenderHours>) => new Map([...got].flatMap(([currency, m]) => [...m].map(([payType, hourly]) => [`${currency}/${payType}`, hourly] as const)));

describe('tenderHours', () => {
  it('equals a walk over the paid rows for every tender, for periods cut inside half hours, on slot edges, short and empty', () => {
    const f = mixedJournal();
    const periods: [number, number][] = [
      [f.start, f.end],
      [f.start + 13 * MINUTE + 7, f.end - 17 * MINUTE - 3],
      [hk(2026, 11, 26, 9), hk(2026, 11, 26, 13)],
      [hk(2026, 11, 26, 9, 29), hk(2026, 11, 26, 9, 31)],
      [f.end, f.end],
    ];
    for (const [fromMs, toMs] of periods) {
      const got = flat(tenderHours(f.db, { udid: 'till-01', training: false, fromMs, toMs, timeZone: HK }));
      expect(got, `period ${fromMs}–${toMs}`).toEqual(brute(f, fromMs, toMs));
    }
  });

  it('gives the same sales and refunds per tender as tenderTotals, in the same order, for periods cut anywhere', () => {
    const f = mixedJournal();
    for (const [fromMs, toMs] of [
      [f.start, f.end],
      [f.start + 13 * MINUTE + 7, f.end - 17 * MINUTE - 3],
      [hk(2026, 11, 26, 9, 29), hk(2026, 11, 26, 9, 31)],
    ] as const) {
      const period = { udid: 'till-01', training: false, fromMs, toMs };
      if (fromMs === f.start) expect(tenderTotals(f.db, period).get('HKD')!.some((t) => t.refundCount > 0)).toBe(true);
      const split = tenderSplit(f.db, { ...period, timeZone: HK });
      const strip = (m: typeof split) => new Map([...m].map(([c, list]) => [c, list.map(({ hourly: _, ...t }) => t)]));
      expect(strip(split), `period ${fromMs}–${toMs}`).toEqual(tenderTotals(f.db, period));
    }
  });

  it('stacks up to each currency\'s own hourly figures, every pay type of the table and cash among the stacks', () => {
    const f = mixedJournal();
    const q = { udid: 'till-01', training: false, fromMs: f.start - 7 * MINUTE, toMs: f.end + 3 * MINUTE, timeZone: HK };
    const totals = new TotalsQuery(f.db).totals(q);
    const hours = tenderHours(f.db, q);
    expect([...hours.get('HKD')!.keys()].sort()).toEqual([...PAY_TYPES].sort());
    for (const c of totals) {
      const summed = new Map<number, HourTotals>();
      for (const list of hours.get(c.currency)!.values()) {
        for (const h of list) {
          const s = summed.get(h.hour) ?? summed.set(h.hour, { hour: h.hour, paidCount: 0, grossMinor: 0 }).get(h.hour)!;
          s.paidCount += h.paidCount;
          s.grossMinor += h.grossMinor;
        }
      }
      expect([...summed.values()].sort((a, b) => a.hour - b.hour)).toEqual(c.hourly);
    }
  });

  it('maps half hours to local hours across a DST change', () => {
    // 2026-10-25 01:00 UTC London goes from +01:00 to +00:00: the sales run from 20:10 UTC the evening before, for 27 hours.
    const f = mixedJournal('Europe/London', Date.UTC(2026, 9, 24, 20, 10));
    const got = flat(tenderHours(f.db, { udid: 'till-01', training: false, fromMs: f.start, toMs: f.end, timeZone: 'Europe/London' }));
    expect(got).toEqual(brute(f, f.start, f.end));
    const totals = new TotalsQuery(f.db).totals({ udid: 'till-01', training: false, fromMs: f.start, toMs: f.end, timeZone: 'Europe/London' });
    const count = (list: readonly HourTotals[]) => list.reduce((a, h) => a + h.paidCount, 0);
    expect([...got.values()].reduce((a, l) => a + count(l), 0)).toBe(totals.reduce((a, c) => a + count(c.hourly), 0));
  });
});

describe('the rollup through its primary key, its half-hour-of-day index or its 28-day rollup', () => {
  // London leaves summer time at 01:00 UTC on 2026-10-25, inside both journals.
  it.each([
    ['twelve days', Date.UTC(2026, 9, 18, 21, 10), 12, 37],
    ['ninety days', Date.UTC(2026, 8, 10, 21, 10), 90, 187],
  ] as const)('%s: the same split every way, a walk over the rows, across a DST change, without another till or training', (_, from, days, step) => {
    const f = openJournal();
    const { start, end } = addTenderDays(f.journal, from, days, step);
    const timeZone = 'Europe/London';
    const periods: [number, number][] = [
      [start, end],
      [start + 13 * MINUTE + 7, end - 17 * MINUTE - 3],
      [Date.UTC(2026, 9, 24, 0, 0), Date.UTC(2026, 9, 26)],
      [start + 3 * DAY + 5, start + 3 * DAY + 5 * HOUR],
      [start + 29 * DAY + 5, end - 31 * DAY],
    ];
    for (const [fromMs, toMs] of periods) {
      const q = { udid: 'till-01', training: false, fromMs, toMs, timeZone };
      const byKey = tenderSplit(f.db, q, { indexMinSlots: Infinity });
      const label = `period ${new Date(fromMs).toISOString()} → ${new Date(toMs).toISOString()}`;
      expect(tenderSplit(f.db, q, { indexMinSlots: 0, buckets: false }), label).toEqual(byKey);
      expect(tenderSplit(f.db, q, { indexMinSlots: 0 }), label).toEqual(byKey);
      expect(tenderSplit(f.db, q), label).toEqual(byKey);
      expect(flat(new Map([...byKey].map(([c, list]) => [c, new Map(list.filter((t) => t.paidCount > 0).map((t) => [t.payType, t.hourly!]))]))), label).toEqual(brute({ db: f.db, timeZone }, fromMs, toMs));
      expect(new Map([...byKey].map(([c, list]) => [c, list.map(({ hourly: _, ...t }) => t)])), label).toEqual(tenderTotals(f.db, q));
    }
    const all = tenderSplit(f.db, { udid: 'till-01', training: false, fromMs: start, toMs: end, timeZone });
    expect([...all.keys()]).toEqual(['CNY', 'HKD', 'USD']);
    expect(all.get('HKD')!.map((t) => t.payType)).toEqual(['800201', '800208', '800101', '801501', 'cash'].sort((a, b) => tenderRank(a) - tenderRank(b) || (a < b ? -1 : 1)));
    expect(all.get('HKD')!.some((t) => t.refundCount > 0)).toBe(true);
  });
});
