import { afterEach, describe, expect, it } from 'vitest';
import type { JournalHealth } from '../../../electron/till/engine';
import { closeAll, finalWithin, mustSimOrder, openTestTill, simOrder, waitFor, type TestTill } from './support';

// Issue 9: a journal write that fails after QFPay answered (disk full) must
// not escape as an unhandled rejection or leave the sale with nothing
// driving it. The engine refuses new charges, says so, and drives the sale
// on as soon as the journal takes writes again.

afterEach(closeAll);

class DiskFull extends Error {
  readonly code = 'SQLITE_FULL';
  constructor() {
    super('database or disk is full');
  }
}

/** Makes the till's journal refuse sale writes while `full.on` is true (the engine holds the same object). */
function fillDisk(till: TestTill): { on: boolean } {
  const full = { on: false };
  const journal = till.journal;
  for (const name of ['updateSale', 'insertSale', 'insertFinalSale', 'replaceOrder', 'appendEvent'] as const) {
    const original = journal[name].bind(journal) as (...args: unknown[]) => unknown;
    (journal as unknown as Record<string, unknown>)[name] = (...args: unknown[]) => {
      if (full.on) throw new DiskFull();
      return original(...args);
    };
  }
  return full;
}

describe('the journal refuses writes', () => {
  it('after QFPay answered the payment: charges refused (journal_unavailable), the sale resumes when the journal is back', async () => {
    const errors: string[] = [];
    const till = await openTestTill({ onError: (where) => errors.push(where) });
    await till.engine.recover();
    const health: JournalHealth[] = [];
    till.engine.onJournal((h) => health.push(h));
    const full = fillDisk(till);
    const charged = await till.engine.charge({ amountMinor: 1200, currency: 'HKD' });
    expect(charged.ok).toBe(true);
    const id = charged.ok ? charged.value.outTradeNo : '';
    full.on = true;

    await waitFor(() => simOrder(till.sim, id) && !till.engine.journalHealth().writable, 1_500, 'the answer waiting for the journal');
    expect(health[0]).toMatchObject({ writable: false, detail: expect.stringMatching(/disk is full/) });
    expect(errors).toContain('journal');
    const refused = await till.engine.charge({ amountMinor: 500, currency: 'HKD' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'journal_unavailable' } });
    expect(till.journal.sale(id)!.state).toBe('requesting');

    full.on = false;
    await waitFor(() => till.journal.sale(id)?.state === 'awaiting_scan', 1_500, 'the QR shown once the journal is back');
    expect(till.engine.journalHealth()).toEqual({ writable: true });
    expect(health.at(-1)).toEqual({ writable: true });
    till.sim.pay({ out_trade_no: id });
    expect((await finalWithin(till, id)).state).toBe('paid');
    // The payment was sent once: the answer waited, the request was never repeated.
    expect(mustSimOrder(till.sim, id).paymentRequests).toBe(1);
  });

  it('at the write-ahead: the charge is refused with journal_unavailable and nothing is sent', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const full = fillDisk(till);
    full.on = true;
    const refused = await till.engine.charge({ amountMinor: 500, currency: 'HKD' });
    expect(refused).toMatchObject({ ok: false, error: { code: 'journal_unavailable' } });
    expect(till.sim.requestCounts.payment).toBe(0);
    full.on = false;
    expect((await till.engine.charge({ amountMinor: 500, currency: 'HKD' })).ok).toBe(true);
  });

  it('a cash sale: refused with journal_unavailable, nothing recorded (not even the float); taken once the journal is back', async () => {
    const errors: string[] = [];
    const till = await openTestTill({ onError: (where) => errors.push(where) });
    const full = fillDisk(till);
    full.on = true;
    const cash = () => till.engine.chargeCash({ amountMinor: 500, currency: 'HKD', tenderedMinor: 1000, openingFloatMinor: 0 });
    expect(cash()).toMatchObject({ ok: false, error: { code: 'journal_unavailable' } });
    expect(errors).toContain('journal');
    expect(till.journal.searchSales({ limit: 10 })).toEqual([]);
    expect(till.engine.drawerStatus('HKD')).toMatchObject({ ok: true, value: { needsFloat: true, expectedMinor: 0 } });
    full.on = false;
    expect(cash()).toMatchObject({ ok: true, value: { state: 'paid', cash: { tenderedMinor: 1000, changeMinor: 500 } } });
  });
});
