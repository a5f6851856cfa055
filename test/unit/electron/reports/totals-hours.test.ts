import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CurrencyCode } from '../../../../shared/currency';
import type { CurrencyTotals, HourTotals } from '../../../../shared/reports';
import type { Db } from '../../../../electron/journal/database';
import { localParts, wallClockMs } from '../../../../electron/qfpay/time';
import {
  PAID_SLOTS_BY_INDEX_SQL,
  PAID_SLOTS_BY_KEY_SQL,
  SLOT_MS,
  TotalsQuery,
  WHOLE_SLOTS_BY_INDEX_SQL,
  WHOLE_SLOTS_BY_KEY_SQL,
  ZoneOffsets,
  utcOffsetMs,
  type PeriodQuery,
} from '../../../../electron/reports/totals';
import { addRefund, addSale, cleanup, openJournal } from './fixtures';

// The SQL path of the totals (whole half hours summed in SQLite per half hour
// of the UTC day, the period cut where the zone's offset changes) against a
// slow reference that reads every sale and refund row and puts it in the
// local hour Intl gives its own settled time. A few thousand random sales
// around both of London's 2026 DST switches, reported in London, Hong Kong
// and Yangon (+06:30), through the index path, the primary-key path and the
// default mix of the two.

afterAll(cleanup);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const LONDON = 'Europe/London';
/** Around the spring switch (2026-03-29 01:00 UTC) and the autumn one (2026-10-25 01:00 UTC). */
const WINDOWS = [
  [Date.UTC(2026, 2, 20), Date.UTC(2026, 3, 5)],
  [Date.UTC(2026, 9, 17), Date.UTC(2026, 10, 2)],
] as const;

function randomSource(seed: number) {
  return () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
}

function writeRandomJournal() {
  const f = openJournal();
  const random = randomSource(7);
  const states = ['paid', 'paid', 'paid', 'paid', 'paid', 'expired', 'cancelled', 'failed'] as const;
  const currencies: CurrencyCode[] = ['HKD', 'HKD', 'JPY', 'CNY'];
  let i = 0;
  const sale = (settled: number, extra: { training?: boolean; udid?: string } = {}) => {
    const id = `S-${i++}`;
    const state = states[Math.floor(random() * states.length)]!;
    addSale(f.journal, id, {
      amountMinor: 1 + Math.floor(random() * 20_000),
      currency: currencies[Math.floor(random() * currencies.length)],
      createdAtMs: settled - Math.floor(random() * 600_000) - 1,
      settledAtMs: settled,
      state,
      ...(state === 'cancelled' ? { cancelReason: 'cashier' as const } : state === 'expired' ? { cancelReason: 'expiry' as const } : {}),
      ...extra,
    });
    if (state === 'paid' && !extra.training && !extra.udid && random() < 0.12) {
      const at = settled + 1000 + Math.floor(random() * 3 * HOUR);
      addRefund(f.journal, `R-${i}`, id, { amountMinor: 1, createdAtMs: at - 500, settledAtMs: at });
    }
  };
  f.db.transaction(() => {
    for (const [from, to] of WINDOWS) {
      for (let k = 0; k < 1800; k++) sale(from + Math.floor(random() * (to - from)));
      // On half-hour boundaries and a millisecond either side, the switches included.
      for (let k = 0; k < 60; k++) {
        const boundary = Math.floor((from + random() * (to - from)) / SLOT_MS) * SLOT_MS;
        sale(boundary + (k % 3) - 1);
      }
      for (let k = 0; k < 20; k++) sale(from + Math.floor(random() * (to - from)), k % 2 === 0 ? { training: true } : { udid: 'till-02' });
    }
    for (const switchAt of [Date.UTC(2026, 2, 29, 1), Date.UTC(2026, 9, 25, 1)]) for (const d of [-1, 0, 1]) sale(switchAt + d);
  })();
  return f;
}

interface RawRow {
  currency: string;
  kind: string;
  amount: number;
  at: number;
}

/** Every final sale and refund of the till, as rows. */
function rawRows(db: Db): RawRow[] {
  return db
    .prepare(
      `SELECT currency, state AS kind, amount_minor AS amount, settled_at_ms AS at FROM sales WHERE udid = 'till-01' AND training = 0 AND settled_at_ms IS NOT NULL
       UNION ALL SELECT currency, 'refunded', amount_minor, settled_at_ms FROM refunds WHERE udid = 'till-01' AND training = 0 AND settled_at_ms IS NOT NULL`,
    )
    .all() as RawRow[];
}

/** The slow reference: row by row, each in the local hour of its own settled time. */
function reference(rows: readonly RawRow[], q: PeriodQuery, hourOf: (ms: number) => number): CurrencyTotals[] {
  const by = new Map<string, CurrencyTotals>();
  for (const r of rows) {
    if (r.at < q.fromMs || r.at >= q.toMs) continue;
    let t = by.get(r.currency);
    if (!t) {
      t = { currency: r.currency as CurrencyCode, paidCount: 0, grossMinor: 0, refundCount: 0, refundMinor: 0, netMinor: 0, averageTicketMinor: 0, cancelledCount: 0, expiredCount: 0, failedCount: 0, firstSaleAtMs: null, lastSaleAtMs: null, hourly: [] };
      by.set(r.currency, t);
    }
    if (r.kind === 'paid') {
      t.paidCount++;
      t.grossMinor += r.amount;
      t.firstSaleAtMs = Math.min(t.firstSaleAtMs ?? Infinity, r.at);
      t.lastSaleAtMs = Math.max(t.lastSaleAtMs ?? -Infinity, r.at);
      const hour = hourOf(r.at);
      const h = t.hourly.find((e) => e.hour === hour) ?? (t.hourly.push({ hour, paidCount: 0, grossMinor: 0 }), t.hourly[t.hourly.length - 1]!);
      h.paidCount++;
      h.grossMinor += r.amount;
    }
    if (r.kind === 'refunded') [t.refundCount, t.refundMinor] = [t.refundCount + 1, t.refundMinor + r.amount];
    if (r.kind === 'cancelled') t.cancelledCount++;
    if (r.kind === 'expired') t.expiredCount++;
    if (r.kind === 'failed') t.failedCount++;
  }
  return [...by.values()]
    .sort((a, b) => (a.currency < b.currency ? -1 : 1))
    .map((t) => ({
      ...t,
      netMinor: t.grossMinor - t.refundMinor,
      averageTicketMinor: t.paidCount === 0 ? 0 : Math.floor((2 * t.grossMinor + t.paidCount) / (2 * t.paidCount)),
      hourly: t.hourly.sort((a: HourTotals, b: HourTotals) => a.hour - b.hour),
    }));
}

describe('the SQL path against a row-by-row reference by local hour', () => {
  let db: Db;
  let rows: RawRow[];
  beforeAll(() => {
    db = writeRandomJournal().db;
    rows = rawRows(db);
  });

  it.each([LONDON, 'Asia/Hong_Kong', 'Asia/Yangon'])('%s: random sales around both DST switches, random and whole periods', (timeZone) => {
    expect(rows.length).toBeGreaterThan(3500);
    const hours = new Map<number, number>();
    const hourOf = (ms: number) => {
      let h = hours.get(ms);
      if (h === undefined) hours.set(ms, (h = localParts(ms, timeZone).hour));
      return h;
    };
    const random = randomSource(11);
    const [first, last] = [WINDOWS[0][0], WINDOWS[1][1]];
    const periods: [number, number][] = [
      [first - HOUR + 17_000, last + 5 * 60_000 + 3], // the whole year's worth: both switches, index path by default
      [WINDOWS[0][0] + 1234, WINDOWS[0][1] - 999], // across the spring switch
      [WINDOWS[1][0] - 1, WINDOWS[1][1] + 1], // across the autumn switch
      [Date.UTC(2026, 2, 29), Date.UTC(2026, 2, 30)], // the day of the spring switch
      [Date.UTC(2026, 9, 24, 23, 59, 59, 999), Date.UTC(2026, 9, 25, 2, 0, 0, 1)], // the repeated hour and a millisecond either side
    ];
    for (let k = 0; k < 18; k++) {
      const from = first + Math.floor(random() * (last - first));
      const length = k % 3 === 0 ? Math.floor(random() * 2 * HOUR) : Math.floor(random() * 20 * DAY);
      // Every fourth period lies on half-hour boundaries.
      periods.push(k % 4 === 0 ? [Math.floor(from / SLOT_MS) * SLOT_MS, Math.ceil((from + length) / SLOT_MS) * SLOT_MS] : [from, from + length]);
    }
    const queries = [new TotalsQuery(db), new TotalsQuery(db, { indexPathMinSlots: 0 }), new TotalsQuery(db, { indexPathMinSlots: Infinity })];
    for (const [fromMs, toMs] of periods) {
      const q: PeriodQuery = { udid: 'till-01', training: false, fromMs, toMs, timeZone };
      const expected = reference(rows, q, hourOf);
      for (const [n, totals] of queries.entries()) expect(totals.totals(q), `query ${n}, period ${new Date(fromMs).toISOString()} → ${new Date(toMs).toISOString()}`).toEqual(expected);
    }
  });

  it('a journal without the index (a development build of version 2) gives the same totals', () => {
    const q: PeriodQuery = { udid: 'till-01', training: false, fromMs: WINDOWS[0][0], toMs: WINDOWS[1][1], timeZone: LONDON };
    const withIndex = new TotalsQuery(db, { indexPathMinSlots: 0 }).totals(q);
    db.exec('SAVEPOINT no_index; DROP INDEX sale_slots_by_half_hour');
    try {
      expect(new TotalsQuery(db, { indexPathMinSlots: 0 }).totals(q)).toEqual(withIndex);
    } finally {
      db.exec('ROLLBACK TO no_index; RELEASE no_index');
    }
    expect(db.prepare("SELECT name FROM sqlite_master WHERE name = 'sale_slots_by_half_hour'").get()).toBeDefined();
  });
});

describe('query plans', () => {
  const plan = (db: Db, sql: string) =>
    (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all({ udid: 'till-01', training: 0, from: 1, to: 2, currency: 'HKD' }) as { detail: string }[]).map((r) => r.detail);

  it('the whole half hours are summed from the covering index, seek by seek, with no sort and no table access', () => {
    const { db } = openJournal();
    const whole = plan(db, WHOLE_SLOTS_BY_INDEX_SQL);
    expect(whole[0]).toBe('SEARCH sale_slots USING COVERING INDEX sale_slots_by_half_hour (udid=? AND training=? AND currency=? AND kind=? AND <expr>=? AND slot>? AND slot<?)');
    expect(whole.join(' | ')).not.toMatch(/TEMP B-TREE|SCAN sale_slots|PRIMARY KEY/);
    const paid = plan(db, PAID_SLOTS_BY_INDEX_SQL).filter((d) => d.includes('sale_slots'));
    expect(paid).toHaveLength(2);
    for (const d of paid) expect(d).toBe('SEARCH sale_slots USING COVERING INDEX sale_slots_by_half_hour (udid=? AND training=? AND currency=? AND kind=? AND <expr>=? AND slot>? AND slot<?)');
  });

  it('a short period is one range of the primary key', () => {
    const { db } = openJournal();
    expect(plan(db, WHOLE_SLOTS_BY_KEY_SQL)[0]).toBe('SEARCH sale_slots USING PRIMARY KEY (udid=? AND training=? AND slot>? AND slot<?)');
    expect(plan(db, PAID_SLOTS_BY_KEY_SQL)).toEqual(['SEARCH sale_slots USING PRIMARY KEY (udid=? AND training=? AND slot>? AND slot<?)']);
  });
});

describe('UTC offsets and pieces of constant offset', () => {
  const ZONES = [LONDON, 'Asia/Hong_Kong', 'Asia/Yangon', 'America/St_Johns', 'America/New_York', 'Australia/Adelaide', 'Australia/Lord_Howe', 'Asia/Kathmandu', 'Pacific/Chatham', 'UTC'];

  it.each(ZONES)('%s: the quick offset is the wall-clock one, every 5 hours of 2026 and a second either side of each switch', (timeZone) => {
    const slow = (ms: number) => wallClockMs(localParts(ms, timeZone)) - Math.floor(ms / 1000) * 1000;
    for (let at = Date.UTC(2026, 0, 1); at < Date.UTC(2027, 0, 1); at += 5 * HOUR + 1) {
      expect(utcOffsetMs(at, timeZone)).toBe(slow(at));
    }
    for (const segment of new ZoneOffsets(timeZone).segments(Date.UTC(2026, 0, 1) / SLOT_MS, Date.UTC(2027, 0, 1) / SLOT_MS)) {
      for (const at of [segment.from * SLOT_MS - 1000, segment.from * SLOT_MS, segment.from * SLOT_MS + 1000]) expect(utcOffsetMs(at, timeZone)).toBe(slow(at));
    }
  });

  it('London 2026 is three pieces, cut at 01:00 UTC on the last Sundays of March and October', () => {
    const from = Date.UTC(2026, 0, 1, 9, 30) / SLOT_MS;
    const to = Date.UTC(2026, 11, 31, 17) / SLOT_MS;
    expect(new ZoneOffsets(LONDON).segments(from, to)).toEqual([
      { from, to: Date.UTC(2026, 2, 29, 1) / SLOT_MS, offsetMs: 0 },
      { from: Date.UTC(2026, 2, 29, 1) / SLOT_MS, to: Date.UTC(2026, 9, 25, 1) / SLOT_MS, offsetMs: HOUR },
      { from: Date.UTC(2026, 9, 25, 1) / SLOT_MS, to, offsetMs: 0 },
    ]);
    expect(new ZoneOffsets('Asia/Hong_Kong').segments(from, to)).toEqual([{ from, to, offsetMs: 8 * HOUR }]);
    expect(new ZoneOffsets(LONDON).segments(from, from)).toEqual([]);
    expect(new ZoneOffsets(LONDON).segments(from, from + 1)).toEqual([{ from, to: from + 1, offsetMs: 0 }]);
  });

  it.each(ZONES)('%s: pieces cover the period, each keeps one offset, neighbours differ', (timeZone) => {
    const offsets = new ZoneOffsets(timeZone);
    // From and to in the middle of days, a period just over two years long.
    const from = Math.floor(Date.UTC(2025, 5, 3, 13, 30) / SLOT_MS);
    const to = Math.floor(Date.UTC(2027, 6, 9, 7) / SLOT_MS);
    const segments = offsets.segments(from, to);
    expect(segments[0]!.from).toBe(from);
    expect(segments[segments.length - 1]!.to).toBe(to);
    for (const [i, s] of segments.entries()) {
      expect(s.to).toBeGreaterThan(s.from);
      if (i > 0) expect(s.from).toBe(segments[i - 1]!.to);
      if (i > 0) expect(s.offsetMs).not.toBe(segments[i - 1]!.offsetMs);
      // Sampled: the first and last half hour, and one every day in between.
      for (let slot = s.from; slot < s.to; slot += 48) expect(offsets.offsetAt(slot * SLOT_MS)).toBe(s.offsetMs);
      expect(offsets.offsetAt((s.to - 1) * SLOT_MS)).toBe(s.offsetMs);
    }
    // Two switches a year where there is DST.
    expect(segments.length).toBe(['America/St_Johns', 'America/New_York', 'Australia/Adelaide', 'Australia/Lord_Howe', 'Pacific/Chatham', LONDON].includes(timeZone) ? 5 : 1);
  });
});
