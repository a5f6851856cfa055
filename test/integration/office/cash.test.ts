import { describe, expect, it } from 'vitest';
import { connectOffice } from '../../../electron/office/connection';
import { initOffice } from '../../../electron/office/roles';
import { officeX, officeZ, type OfficeReport } from '../../../electron/office/report';
import { migrateOffice } from '../../../electron/office/schema';
import { sendPending } from '../../../electron/office/sender';
import { DAY_START, HK, PG_BIN, cashDeskOf, officeForBlock, ok, till, type TestTill } from './support';

// Issue 13 meets issue 15: cash at the counter reaches head office. A cash
// sale's tendered and change ride with the sale, and the drawer's float,
// paid in and paid out (journaled as events) become rows head office can sum
// per till and day — written, like everything else, once, through the till's
// own role.

describe.skipIf(!PG_BIN)('cash at head office (real PostgreSQL)', () => {
  const office = officeForBlock();

  /** Float 500.00, a cash sale of 12.30 from 20.00, 2.30 of it refunded, paid out 3.00, paid in 10.00, and a WeChat sale. */
  function trade(udid: string): { shop: TestTill; saleNo: string } {
    const shop = office.open(udid);
    let at = DAY_START;
    const desk = cashDeskOf(shop, () => at);
    const sale = ok(desk.charge({ amountMinor: 1230, currency: 'HKD', goodsName: null, expiredMinutes: 30, tenderedMinor: 2000, openingFloatMinor: 50000 }));
    at += 60_000;
    ok(desk.refund(sale, 230));
    at += 60_000;
    ok(desk.move({ kind: 'paid_out', currency: 'HKD', amountMinor: 300, reason: 'milk' }));
    at += 60_000;
    ok(desk.move({ kind: 'paid_in', currency: 'HKD', amountMinor: 1000, reason: 'coins from the bank' }));
    shop.sell(1, at + 60_000);
    return { shop, saleNo: sale.outTradeNo };
  }

  const movementsIn = (shop: TestTill) =>
    shop.journal.db.prepare('SELECT kind, currency, amount_minor, reason, at_ms FROM cash_movements ORDER BY at_ms, id').all() as Array<Record<string, unknown>>;

  async function movementsAtOffice(udid: string): Promise<Array<Record<string, unknown>>> {
    const { rows } = await office.owner().query<{ kind: string; currency: string; amount_minor: string; reason: string | null; at_ms: string }>(
      'SELECT kind, currency, amount_minor, reason, at_ms FROM office.cash_movements WHERE udid = $1 ORDER BY at_ms, seq',
      [udid],
    );
    return rows.map((r) => ({ ...r, amount_minor: Number(r.amount_minor), at_ms: Number(r.at_ms) }));
  }

  it("sends a cash sale's tendered and change, and the drawer's movements, once", async () => {
    const { shop, saleNo } = trade('cash-1');
    const source = shop.source();
    await sendPending(office.owner(), source, { batchSize: 2 });
    // A second round finds nothing new: nothing twice.
    await sendPending(office.owner(), source, {});
    const sale = await office.owner().query<{ pay_type: string; tendered_minor: string; change_minor: string; refunded_minor: string; state: string }>(
      'SELECT pay_type, tendered_minor, change_minor, refunded_minor, state FROM office.sales WHERE udid = $1 AND out_trade_no = $2',
      ['cash-1', saleNo],
    );
    expect(sale.rows.map((r) => ({ ...r, tendered_minor: Number(r.tendered_minor), change_minor: Number(r.change_minor), refunded_minor: Number(r.refunded_minor) }))).toEqual([
      { pay_type: 'cash', tendered_minor: 2000, change_minor: 770, refunded_minor: 230, state: 'paid' },
    ]);
    const wallet = await office.owner().query<{ pay_type: string; tendered_minor: string | null }>(`SELECT pay_type, tendered_minor FROM office.sales WHERE udid = 'cash-1' AND pay_type <> 'cash'`);
    expect(wallet.rows).toEqual([{ pay_type: '800201', tendered_minor: null }]);
    const local = movementsIn(shop);
    expect(local.map((m) => m.kind)).toEqual(['float', 'paid_out', 'paid_in']);
    expect(await movementsAtOffice('cash-1')).toEqual(local);
  });

  it('a till role writes its own cash movements, also when the schema grew after `till office init`', async () => {
    // Head office set up before cash existed: roles made on schema 1 (then without the cash table), then the owner's next command migrates.
    const roles = await initOffice(office.owner(), ['cash-2'], []);
    await office.owner().query('DROP TABLE office.cash_movements, office.sale_orders');
    await office.owner().query('ALTER TABLE office.sales DROP COLUMN tendered_minor, DROP COLUMN change_minor, DROP COLUMN order_no');
    await office.owner().query('DELETE FROM office.schema_versions WHERE version > 1');
    await migrateOffice(office.owner());
    // The step also brought in the movements already replicated as events.
    expect((await movementsAtOffice('cash-1')).length).toBe(3);
    const { shop } = trade('cash-2');
    const tillRole = await connectOffice(office.pg().urlFor('till_cash-2', roles[0]!.password!));
    try {
      await sendPending(tillRole, shop.source(), {});
      // Its own rows only: another till's movements stay out of its sight.
      const seen = await tillRole.query<{ udid: string }>('SELECT DISTINCT udid FROM office.cash_movements');
      expect(seen.rows).toEqual([{ udid: 'cash-2' }]);
      await expect(
        tillRole.query(`INSERT INTO office.cash_movements (udid, seq, kind, currency, amount_minor, reason, at_ms) VALUES ('cash-1', 999, 'paid_out', 'HKD', 1, 'x', 0)`),
      ).rejects.toThrow(/row-level security/);
    } finally {
      await tillRole.end();
    }
    expect(await movementsAtOffice('cash-2')).toEqual(movementsIn(shop));
  });

  it("head office's X and Z sum each till's drawer as the till does: float + cash sales − cash refunds + paid in − paid out", async () => {
    const { shop } = trade('cash-3');
    await sendPending(office.owner(), shop.source(), {});
    const scope = { timeZone: HK, cutoffHour: 4, udid: 'cash-3', now: () => DAY_START + 3_600_000 };
    const drawer = { udid: 'cash-3', store: '', currency: 'HKD', floatMinor: 50000, cashSalesCount: 1, cashSalesMinor: 1230, cashRefundCount: 1, cashRefundMinor: 230, paidInMinor: 1000, paidOutMinor: 300, expectedMinor: 51700 };
    const day = await officeX(office.owner(), { ...scope, day: '2026-11-26' });
    expect(day.drawers).toEqual([drawer]);
    // The tenders split cash from the wallet, the refund under its sale's tender.
    expect(day.tenders.map((t) => [t.payType, t.paidCount, t.grossMinor, t.refundCount, t.refundMinor])).toEqual([
      ['800201', 1, expect.any(Number), 0, 0],
      ['cash', 1, 1230, 1, 230],
    ]);
    // Since the last Z (none yet): the same drawer; the day before: none.
    expect((await officeX(office.owner(), scope)).drawers).toEqual([drawer]);
    expect((await officeX(office.owner(), { ...scope, day: '2026-11-25' })).drawers).toEqual([]);
    // No Z taken: the consolidated Z has no drawer to show.
    expect((await officeZ(office.owner(), { ...scope, day: '2026-11-26' })).drawers).toEqual([]);
  });

  it('`till office report x` prints each drawer and gives it under "drawers" in --json', async () => {
    const { shop } = trade('cash-4');
    await sendPending(office.owner(), shop.source(), {});
    const env = { TILL_OFFICE_URL: office.pg().url, TILL_TIME_ZONE: HK };
    const args = ['office', 'report', 'x', '--day', '2026-11-26', '--till', 'cash-4'];
    const text = await till(args, env);
    expect(text.code, text.err.join('\n')).toBe(0);
    expect(text.out.join('\n')).toContain(
      'cash-4 HKD: float 500.00 + 1 cash sale(s) 12.30 − 1 cash refund(s) 2.30 + paid in 10.00 − paid out 3.00 = expected 517.00',
    );
    const json = await till([...args, '--json'], env);
    const { report } = JSON.parse(json.out.join('\n')) as { report: OfficeReport };
    expect(report.drawers.map((d) => [d.udid, d.currency, d.expectedMinor])).toEqual([['cash-4', 'HKD', 51700]]);
    // Additive: the existing fields are still there.
    expect(report.currencies.map((c) => c.currency)).toEqual(['HKD']);
  });

  it("the consolidated Z carries each till's drawer as the till's own Z computed it, and the X since that Z starts empty", async () => {
    const { shop } = trade('cash-5');
    const z = shop.takeZ(DAY_START + 10 * 60_000);
    await sendPending(office.owner(), shop.source(), {});
    const scope = { timeZone: HK, cutoffHour: 4, udid: 'cash-5', now: () => DAY_START + 3_600_000 };
    const consolidated = await officeZ(office.owner(), { ...scope, day: '2026-11-26' });
    const figures = (d: { currency: string; floatMinor: number; cashSalesCount: number; cashSalesMinor: number; cashRefundCount: number; cashRefundMinor: number; paidInMinor: number; paidOutMinor: number; expectedMinor: number }) => [
      d.currency, d.floatMinor, d.cashSalesCount, d.cashSalesMinor, d.cashRefundCount, d.cashRefundMinor, d.paidInMinor, d.paidOutMinor, d.expectedMinor,
    ];
    expect(z.drawer.map(figures)).toEqual([['HKD', 50000, 1, 1230, 1, 230, 1000, 300, 51700]]);
    expect(consolidated.drawers.map(figures)).toEqual(z.drawer.map(figures));
    expect(consolidated.drawers.map((d) => d.udid)).toEqual(['cash-5']);
    expect((await officeX(office.owner(), scope)).drawers).toEqual([]);
  });
});
