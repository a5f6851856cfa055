import { describe, expect, it } from 'vitest';
import { NOT_YET_SETTLED } from '../../../electron/journal/journal';
import { reconcileRecords } from '../../../electron/office/reconcile';
import type { QueryRecord } from '../../../electron/qfpay/responses';
import { sendPending } from '../../../electron/office/sender';
import { DAY_START, PG_BIN, officeForBlock } from './support';

// A sale whose QR was lost is re-issued as a fresh QFPay order (issue 13's
// wallets, DESIGN.md's re-issue): QFPay then lists the sale under either
// order number. Head office gets, as the till keeps them, the order the sale
// has now and every order it had before, so the merchant's reconciliation
// can find QFPay's records of both.

describe.skipIf(!PG_BIN)('re-issued orders at head office (real PostgreSQL)', () => {
  const office = officeForBlock();

  it('sends the order a sale has now and the order it replaced, once, across syncs', async () => {
    const shop = office.open('re-1');
    const { journal } = shop;
    const id = 're-1-1';
    const at = DAY_START;
    journal.insertSale(
      { ...NOT_YET_SETTLED, outTradeNo: id, udid: 're-1', training: false, amountMinor: 4200, currency: 'HKD', payType: '800201', goodsName: null, state: 'requesting', txdtm: '2026-11-26 10:00:00', expiredMinutes: 30, createdAtMs: at, expiresAtMs: at + 1_800_000, updatedAtMs: at },
      {},
    );
    journal.updateSale(id, ['requesting'], { state: 'awaiting_scan', syssn: 'S-old', updatedAtMs: at + 1 }, {});
    journal.replaceOrder(
      id,
      ['awaiting_scan'],
      { orderNo: id, saleOutTradeNo: id, udid: 're-1', syssn: 'S-old', txdtm: '2026-11-26 10:00:00', outcome: 'closed', lastRespcd: null, replacedAtMs: at + 2 },
      { orderNo: 're-1-1b', txdtm: '2026-11-26 10:00:05', state: 'requesting', reissues: 1, syssn: null, updatedAtMs: at + 2 },
      {},
    );
    // Head office hears of the re-issue while the new order is still open…
    const source = shop.source();
    await sendPending(office.owner(), source, {});
    journal.updateSale(id, ['requesting'], { state: 'awaiting_scan', syssn: 'S-new', updatedAtMs: at + 3 }, {});
    journal.updateSale(id, ['awaiting_scan'], { state: 'paid', paidAtMs: at + 4, finalAtMs: at + 4, updatedAtMs: at + 4 }, {});
    // …then of its payment; a third round finds nothing new.
    await sendPending(office.owner(), source, {});
    await sendPending(office.owner(), source, {});

    const sale = await office.owner().query('SELECT state, order_no, syssn, txdtm FROM office.sales WHERE udid = $1 AND out_trade_no = $2', ['re-1', id]);
    expect(sale.rows).toEqual([{ state: 'paid', order_no: 're-1-1b', syssn: 'S-new', txdtm: '2026-11-26 10:00:05' }]);
    const orders = await office.owner().query('SELECT order_no, sale_out_trade_no, syssn, txdtm, outcome, replaced_at_ms FROM office.sale_orders WHERE udid = $1', ['re-1']);
    expect(orders.rows).toEqual([{ order_no: id, sale_out_trade_no: id, syssn: 'S-old', txdtm: '2026-11-26 10:00:00', outcome: 'closed', replaced_at_ms: String(at + 2) }]);
  });

  it("the merchant's reconciliation finds QFPay's records of both orders: the new one paid, the lost QR's closed — nothing only at QFPay", async () => {
    const record = (r: Partial<QueryRecord> & Pick<QueryRecord, 'syssn' | 'out_trade_no' | 'respcd' | 'cancel'>): QueryRecord => ({
      order_type: 'payment',
      pay_type: '800201',
      txamt: 4200,
      txcurrcd: 'HKD',
      treatment: r.respcd === '0000' ? 'success' : 'failed',
      sysdtm: '2026-11-26 10:00:06',
      udid: 're-1',
      ...r,
    });
    const records = [record({ syssn: 'S-old', out_trade_no: 're-1-1', respcd: '0000', cancel: 2 }), record({ syssn: 'S-new', out_trade_no: 're-1-1b', respcd: '0000', cancel: 0 })];
    const result = await reconcileRecords(office.owner(), records, { fromMs: DAY_START - 3_600_000, toMs: DAY_START + 86_400_000, timeZone: 'Asia/Hong_Kong' });
    expect(result.onlyAtQfpay).toEqual([]);
    expect(result.stateDiffers).toEqual([]);
    expect(result.matched.map((m) => m.out_trade_no).sort()).toEqual(['re-1-1', 're-1-1b']);
    expect(result.totals).toEqual([{ currency: 'HKD', paidCount: 1, grossMinor: 4200, refundCount: 0, refundMinor: 0 }]);
  });
});
