import { FAST_TIMING, HK, hk } from '../engine/support';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CurrencyCode } from '../../../shared/currency';
import type { SaleState } from '../../../shared/sale';
import { QfpayClient } from '../../../electron/qfpay/client';
import { TRAINING_CREDENTIALS, type QfpaySimulator } from '../../../electron/simulator/server';
import { OffsetClock } from '../../../electron/till/clock';
import { openTill, type Till } from '../../../electron/till/core';

// A training till (real journal file, real engine, in-process simulator over
// HTTP on 127.0.0.1) on an injected clock that the simulator shares, plus
// helpers to plant orders at "QFPay" and rows in the journal directly.

export const UDID = 'till-01';


export { HK, hk };

export interface ReportTill extends Till {
  clock: OffsetClock;
  sim: QfpaySimulator;
  /** A QFPay client like the till's but with its own udid (or none): another device of the merchant. */
  device(udid: string | undefined): QfpayClient;
}

const cleanups: Array<() => Promise<void> | void> = [];

export async function closeAll(): Promise<void> {
  while (cleanups.length > 0) await cleanups.pop()!();
}

export async function openReportTill(startAt: number): Promise<ReportTill> {
  const clock = new OffsetClock();
  clock.advance(startAt - clock.now());
  const dataDir = mkdtempSync(join(tmpdir(), 'till-reports-it-'));
  const till = await openTill({
    dataDir,
    udid: UDID,
    timeZone: HK,
    clock,
    budgetPerMinute: 60_000,
    expiredMinutes: 30,
    timing: FAST_TIMING,
    // Rate limits off: these tests measure paging and matching, not QFPay's quota (the fetch's 429 path has its own test).
    simulator: { seed: 11, refundCutoffWindow: false, refundNeedsCover: false, ratePerMinute: 1e9, ratePerSecond: 1e9 },
  });
  const sim = till.simulator!;
  await till.engine.recover();
  cleanups.push(async () => {
    await till.close();
    rmSync(dataDir, { recursive: true, force: true });
  });
  return Object.assign(till, {
    clock,
    sim,
    device: (udid: string | undefined) => new QfpayClient({ baseUrl: sim.baseUrl, ...TRAINING_CREDENTIALS, udid, timeZone: HK, now: () => clock.now() }),
  });
}

async function waitFor<T>(probe: () => T | undefined, what: string, timeoutMs = 3_000): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`${what}: not within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A sale through the engine that the customer pays. */
export async function paidSale(till: ReportTill, amountMinor: number, currency: CurrencyCode = 'HKD'): Promise<string> {
  const id = await shownSale(till, amountMinor, currency);
  const paid = till.sim.pay({ out_trade_no: id });
  if (!paid.ok) throw new Error(paid.error);
  const final = await till.engine.whenFinal(id);
  if (final.state !== 'paid') throw new Error(`${id} ended ${final.state}`);
  return id;
}

export async function shownSale(till: ReportTill, amountMinor: number, currency: CurrencyCode = 'HKD'): Promise<string> {
  const result = await till.engine.charge({ amountMinor, currency });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  const id = result.value.outTradeNo;
  await waitFor(() => (till.engine.saleViewOf(id)?.state === 'awaiting_scan' ? true : undefined), `${id} awaiting_scan`);
  return id;
}

export async function cancelledSale(till: ReportTill, amountMinor: number): Promise<string> {
  const id = await shownSale(till, amountMinor);
  const result = await till.engine.cancel(id);
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  const final = await till.engine.whenFinal(id);
  if (final.state !== 'cancelled') throw new Error(`${id} ended ${final.state}`);
  return id;
}

export async function refunded(till: ReportTill, saleId: string, amountMinor: number): Promise<string> {
  const result = await till.engine.refund({ saleOutTradeNo: saleId, amountMinor });
  if (!result.ok) throw new Error(JSON.stringify(result.error));
  const final = await till.engine.whenRefundFinal(result.value.outTradeNo);
  if (final.state !== 'refunded') throw new Error(`refund ended ${final.state}`);
  return final.outTradeNo;
}

/** An order made at QFPay by `client` (paid unless told otherwise); returns its syssn. */
export async function orderAtQfpay(till: ReportTill, client: QfpayClient, outTradeNo: string, amountMinor: number, then: 'pay' | 'leave' | 'close' = 'pay', currency = 'HKD'): Promise<string> {
  const created = await client.payment({ txamt: amountMinor, txcurrcd: currency, out_trade_no: outTradeNo });
  if (created.kind !== 'answered' || created.answer.respcd !== '0000' || !created.answer.syssn) throw new Error(`planting ${outTradeNo}: ${JSON.stringify(created)}`);
  if (then === 'pay') {
    const paid = till.sim.pay({ out_trade_no: outTradeNo });
    if (!paid.ok) throw new Error(paid.error);
  }
  if (then === 'close') {
    const closed = await client.close({ out_trade_no: outTradeNo, txamt: amountMinor });
    if (closed.kind !== 'answered' || closed.answer.respcd !== '0000') throw new Error(`closing ${outTradeNo}: ${JSON.stringify(closed)}`);
  }
  return created.answer.syssn;
}

/** A row written straight into the journal (as if the till had recorded it so). */
export function journalSale(till: Till, outTradeNo: string, spec: { amountMinor: number; state: SaleState; syssn: string | null; currency?: CurrencyCode; atMs?: number; payType?: string }): void {
  const now = spec.atMs ?? (till as ReportTill).clock.now();
  const open = ['requesting', 'awaiting_scan', 'unknown', 'cancelling'].includes(spec.state);
  till.journal.insertSale(
    {
      outTradeNo,
      udid: till.journal.udid,
      training: till.training,
      amountMinor: spec.amountMinor,
      currency: spec.currency ?? 'HKD',
      payType: spec.payType ?? '800201',
      goodsName: null,
      state: spec.state,
      txdtm: '2026-11-26 12:00:00',
      expiredMinutes: 30,
      createdAtMs: now,
      expiresAtMs: now + 30 * 60_000,
      syssn: spec.syssn,
      qrcode: null,
      sysdtm: null,
      paidAtMs: spec.state === 'paid' ? now : null,
      paydtm: null,
      chnlsn: null,
      lastRespcd: null,
      lastMessage: null,
      cancelReason: null,
      cancelRequestedAtMs: null,
      paidAfterCancel: false,
      refundedMinor: 0,
      finalAtMs: open ? null : now,
      updatedAtMs: now,
    },
    { reason: 'planted by the test' },
  );
}
