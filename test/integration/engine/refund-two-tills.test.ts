import { afterEach, describe, expect, it } from 'vitest';
import { clockAt, closeAll, mustSimOrder, NOON, openTestTill, paidSale, refundFinalWithin, setFaults, startExternalSimulator, tempDir } from './support';

// Issue 9 §3: two refunds of one sale from two processes on one journal (the
// app and the command line) cannot both be sent. Each till here has its own
// SQLite connection to the same file, as two processes would; the second
// till's refund is slipped in between the first till's own checks and its
// write, which is where two processes can interleave.

afterEach(closeAll);

describe('one journal, two tills', () => {
  it("a refund written by another process between this till's check and its write: this one is refused, one refund sent", async () => {
    const clock = clockAt(NOON);
    const sim = await startExternalSimulator(clock);
    const dataDir = tempDir();
    const app = await openTestTill({ clock, external: sim, dataDir });
    await app.engine.recover();
    const sale = await paidSale(app, 1000);
    const cli = await openTestTill({ clock, external: sim, dataDir });
    await cli.engine.recover();
    // Both refunds stay open at QFPay for a moment, so neither is final when the other is checked.
    setFaults(sim, { refundSettleMs: 300 });

    let cliRefund: Promise<Awaited<ReturnType<typeof cli.engine.refund>>> | undefined;
    const reserved = app.journal.reservedRefundMinor.bind(app.journal);
    app.journal.reservedRefundMinor = (saleOutTradeNo: string) => {
      const seen = reserved(saleOutTradeNo);
      // Right after this till looked, the other process writes its refund (synchronously, before its first await).
      cliRefund ??= cli.engine.refund({ saleOutTradeNo, amountMinor: 600 });
      return seen;
    };
    const appRefund = await app.engine.refund({ saleOutTradeNo: sale.outTradeNo, amountMinor: 600 });
    const other = await cliRefund!;

    expect(other.ok).toBe(true);
    const cliId = other.ok ? other.value.outTradeNo : '';
    expect(appRefund).toEqual({ ok: false, error: expect.objectContaining({ code: 'refund_open', outTradeNo: cliId }) });
    expect(app.journal.refundsOfSale(sale.outTradeNo).map((r) => r.outTradeNo)).toEqual([cliId]);
    expect((await refundFinalWithin(cli, cliId)).state).toBe('refunded');
    expect(sim.requestCounts.refund).toBe(1);
    expect(mustSimOrder(sim, sale.outTradeNo).refundedMinor).toBe(600);
  });
});
