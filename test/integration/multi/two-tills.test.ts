import { afterEach, beforeEach, expect, it } from 'vitest';
import type { QfpaySimulator } from '../../../electron/simulator/server';
import type { OffsetClock } from '../../../electron/till/clock';
import { NOON, chargeShown, clockAt, closeAll, openTestTill, setFaults, startExternalSimulator, statePath, tempDir, waitFor } from '../engine/support';

// Two till processes on one journal (issue 9, part 4): the app and a `till`
// command, here two cores with their own lease owner in one test process.
// The one that charged drives its sale; the other only reads it, until the
// first is gone.

let clock: OffsetClock;
let sim: QfpaySimulator;
let dataDir: string;

beforeEach(async () => {
  clock = clockAt(NOON);
  sim = await startExternalSimulator(clock);
  dataDir = tempDir();
});
afterEach(closeAll);

const open = () => openTestTill({ clock, external: sim, dataDir });

it("a second process's recovery leaves a payment in flight to the process that sent it, which then shows its QR", async () => {
  const first = await open();
  await first.engine.recover();
  // The payment answer takes a while: the sale is "requesting" when the second process starts.
  setFaults(sim, { payment: { delayMs: 400, count: 1 } });
  const charged = await first.engine.charge({ amountMinor: 1230, currency: 'HKD' });
  if (!charged.ok) throw new Error(charged.error.message);
  const id = charged.value.outTradeNo;

  const second = await open();
  const summary = await second.engine.recover();
  expect(summary.sales).toEqual([]);
  expect(summary.elsewhere).toEqual([{ outTradeNo: id, kind: 'sale', state: 'requesting', holder: `pid ${process.pid}` }]);
  expect(second.views).toEqual([]);
  // Nor may it cancel a sale another process is showing.
  const cancel = await second.engine.cancel(id);
  expect(cancel).toMatchObject({ ok: false, error: { code: 'not_cancellable', message: expect.stringMatching(/another till process/) } });
  expect(second.engine.saleViewOf(id)?.state).toBe('requesting');

  const shown = await waitFor(() => first.engine.saleViewOf(id)?.state === 'awaiting_scan' && first.engine.saleViewOf(id), 5_000, 'the QR in the first process');
  expect(shown.qrcode).toMatch(/^weixin:/);
  sim.pay({ out_trade_no: id });
  await first.engine.whenFinal(id);
  expect(statePath(first, id)).toEqual(['requesting', 'awaiting_scan', 'paid']);
  // The reader saw the final state through the journal without ever driving it.
  expect(second.engine.saleViewOf(id)?.state).toBe('paid');
});

it('recovery takes over a sale only once its owner is gone', async () => {
  const first = await open();
  await first.engine.recover();
  const id = (await chargeShown(first, 800)).outTradeNo;

  const second = await open();
  expect((await second.engine.recover()).elsewhere?.map((e) => e.outTradeNo)).toEqual([id]);
  expect((await second.engine.charge({ amountMinor: 100, currency: 'HKD' })).ok).toBe(false);

  await first.close();
  const again = await second.engine.recover();
  expect(again.elsewhere ?? []).toEqual([]);
  expect(again.sales.map((s) => s.outTradeNo)).toEqual([id]);
  sim.pay({ out_trade_no: id });
  expect((await second.engine.whenFinal(id)).state).toBe('paid');
});

it('a running till takes over, within a heartbeat, a sale whose process ended; a till that only reads never does', async () => {
  const first = await open();
  await first.engine.recover();
  const id = (await chargeShown(first, 700)).outTradeNo;

  const fast = { heartbeatMs: 20, expiryMs: 200 };
  const app = await openTestTill({ clock, external: sim, dataDir, leaseTiming: fast });
  expect((await app.engine.recover()).elsewhere?.map((e) => e.outTradeNo)).toEqual([id]);
  // A reader (status: opened, never recovered) beats too, but must not drive anything.
  const reader = await openTestTill({ clock, external: sim, dataDir, leaseTiming: fast });

  await first.close();
  await waitFor(() => app.leases.holds(id), 5_000, 'the app to take the sale over');
  expect(reader.leases.holds(id)).toBe(false);
  sim.pay({ out_trade_no: id });
  expect((await app.engine.whenFinal(id)).state).toBe('paid');
  expect(reader.views).toEqual([]);
});
