import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import type { FetchLike } from '../../../electron/qfpay/client';
import { chargeShown, closeAll, exchanges, finalWithin, footprint, mustSimOrder, openTestTill, statePath, transitions, waitFor } from './support';

// A sale's ordinary life (DESIGN.md rules 1 and 2): written ahead, one payment
// request, a QR on screen, paid; and the one-open-sale rule.

afterEach(closeAll);

describe('charge → awaiting_scan → paid', () => {
  it('writes the sale ahead, shows the QR, and records the payment with one request', async () => {
    // Every request and every emitted view is checked against a second,
    // read-only connection: it sees only what was committed.
    const connection: { reader?: Database.Database } = {};
    const stateAtSend: string[] = [];
    const fetchChecking: FetchLike = async (url, init) => {
      if (url.endsWith('/trade/v1/payment')) {
        const id = new URLSearchParams(init.body).get('out_trade_no');
        const row = connection.reader?.prepare('SELECT state FROM sales WHERE out_trade_no = ?').get(id) as { state: string } | undefined;
        stateAtSend.push(row?.state ?? 'missing');
      }
      return (await globalThis.fetch(url, init)) as unknown as Awaited<ReturnType<FetchLike>>;
    };
    const till = await openTestTill({ fetch: fetchChecking });
    const reader = new Database(till.journalPath, { readonly: true });
    connection.reader = reader;
    const mismatches: string[] = [];
    till.engine.onSale((view) => {
      const row = reader.prepare('SELECT state FROM sales WHERE out_trade_no = ?').get(view.outTradeNo) as { state: string } | undefined;
      if (row?.state !== view.state) mismatches.push(`${view.state} told while the journal had ${row?.state ?? 'nothing'}`);
    });
    try {
      await till.engine.recover();
      const charged = await till.engine.charge({ amountMinor: 1230, currency: 'HKD', goodsName: 'Coffee' });
      expect(charged.ok).toBe(true);
      if (!charged.ok) return;
      const id = charged.value.outTradeNo;
      expect(charged.value.state).toBe('requesting');
      expect(id).toMatch(/^till-01-S\d{12}[0-9A-Z]{6}$/);

      const awaiting = await waitFor(() => till.views.find((v) => v.outTradeNo === id && v.state === 'awaiting_scan'));
      expect(awaiting.qrcode).toMatch(/^weixin:\/\/wxpay\/bizpayurl\?pr=/);
      expect(awaiting.qrcode).toBe(mustSimOrder(till.sim, id).qrcode);
      expect(awaiting.expiresAtMs).toBe(till.journal.sale(id)!.createdAtMs + 5 * 60_000);

      expect(till.sim.pay({ out_trade_no: id }).ok).toBe(true);
      const final = await finalWithin(till, id);
      expect(final).toMatchObject({ state: 'paid', qrcode: null, paidAfterCancel: false, respcd: '0000', amountMinor: 1230 });

      // Write-ahead: the row said "requesting" when the payment request left.
      expect(stateAtSend).toEqual(['requesting']);
      expect(mismatches).toEqual([]);

      const sale = till.journal.sale(id)!;
      const order = mustSimOrder(till.sim, id);
      expect(sale).toMatchObject({ state: 'paid', syssn: order.syssn, amountMinor: 1230, currency: 'HKD', goodsName: 'Coffee', udid: 'till-01', training: true });
      expect(sale.paidAtMs).not.toBeNull();
      expect(sale.finalAtMs).not.toBeNull();
      expect(order).toMatchObject({ state: 'paid', txamt: 1230, paymentRequests: 1, closeRequests: 0, udid: 'till-01' });

      expect(statePath(till, id)).toEqual(['requesting', 'awaiting_scan', 'paid']);
      // The event log, in order: the write-ahead transition, then the payment exchange, then its outcome.
      const events = till.journal.events(id);
      const requesting = events.findIndex((e) => e.kind === 'transition' && e.data.to === 'requesting');
      const payment = events.findIndex((e) => e.kind === 'exchange' && e.data.endpoint === 'payment');
      const created = events.findIndex((e) => e.kind === 'transition' && e.data.to === 'awaiting_scan');
      expect([requesting, payment, created]).toEqual([0, 1, 2]);
      expect(exchanges(till, id, 'payment')).toHaveLength(1);
      expect(till.sim.requestCounts.payment).toBe(1);
    } finally {
      reader.close();
    }
  });

  it('emits creating → waiting → paid, and hides the QR once paid', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const shown = await chargeShown(till, 500);
    till.sim.pay({ out_trade_no: shown.outTradeNo });
    await finalWithin(till, shown.outTradeNo);
    const mine = till.views.filter((v) => v.outTradeNo === shown.outTradeNo);
    expect(mine[0]).toMatchObject({ state: 'requesting', activity: 'creating', qrcode: null });
    expect(mine.at(-1)).toMatchObject({ state: 'paid', activity: 'none', qrcode: null, expiresAtMs: null });
    for (const view of mine) if (view.state !== 'awaiting_scan') expect(view.qrcode).toBeNull();
    expect(till.engine.currentSale()?.outTradeNo).toBe(shown.outTradeNo);
    // Display-safe: exactly the SaleView fields, nothing of the journal's internals (txdtm, udid, messages…).
    for (const view of mine) {
      expect(Object.keys(view).sort()).toEqual(
        ['activity', 'amountMinor', 'cancelReason', 'createdAtMs', 'currency', 'expiresAtMs', 'goodsName', 'outTradeNo', 'paidAfterCancel', 'paidAtMs', 'parked', 'payType', 'qrcode', 'refundedMinor', 'reissues', 'respcd', 'state', 'syssn', 'training'],
      );
    }
  });
});

describe('one open sale per till', () => {
  it('a second charge while one is open is refused (sale_open) and writes nothing', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const first = await chargeShown(till);
    const before = footprint(till);
    const second = await till.engine.charge({ amountMinor: 200, currency: 'HKD' });
    expect(second).toEqual({ ok: false, error: expect.objectContaining({ code: 'sale_open', outTradeNo: first.outTradeNo }) });
    expect(footprint(till)).toEqual(before);
    expect(till.sim.orders()).toHaveLength(1);
  });

  it('two charges at the same instant: one sale, the other refused', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const [a, b] = await Promise.all([
      till.engine.charge({ amountMinor: 100, currency: 'HKD' }),
      till.engine.charge({ amountMinor: 200, currency: 'HKD' }),
    ]);
    expect([a.ok, b.ok]).toEqual([true, false]);
    if (!b.ok) expect(b.error.code).toBe('sale_open');
    expect((till.journal.db.prepare('SELECT count(*) AS n FROM sales').get() as { n: number }).n).toBe(1);
    await waitFor(() => till.sim.orders().length === 1);
    expect(till.sim.requestCounts.payment).toBe(1);
  });

  it('a new charge is accepted once the open sale is final', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const first = await chargeShown(till);
    till.sim.pay({ out_trade_no: first.outTradeNo });
    await finalWithin(till, first.outTradeNo);
    const next = await till.engine.charge({ amountMinor: 300, currency: 'HKD' });
    expect(next.ok).toBe(true);
  });

  it('charge before recover() is refused (not_ready) and writes nothing', async () => {
    const till = await openTestTill();
    const before = footprint(till);
    const result = await till.engine.charge({ amountMinor: 100, currency: 'HKD' });
    expect(result).toEqual({ ok: false, error: expect.objectContaining({ code: 'not_ready' }) });
    expect(footprint(till)).toEqual(before);
    expect(till.engine.isReady).toBe(false);
    await till.engine.recover();
    expect(till.engine.isReady).toBe(true);
  });

  it('charge after stop() is refused (stopped)', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    await till.engine.stop();
    const result = await till.engine.charge({ amountMinor: 100, currency: 'HKD' });
    expect(result.ok === false && result.error.code).toBe('stopped');
    expect(transitions(till, 'none')).toEqual([]);
  });
});
