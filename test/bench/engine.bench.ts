import { NOT_YET_SETTLED } from '../../electron/journal/journal';
import { closeSync, fdatasyncSync, mkdtempSync, openSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase } from '../../electron/journal/database';
import { Journal, type SaleRecord } from '../../electron/journal/journal';
import { seededRandom } from '../../electron/simulator/random';
import { TRAINING_CREDENTIALS, startSimulator } from '../../electron/simulator/server';
import { tillBudgetPerMinute } from '../../electron/till/budget';
import { openTill, type Till } from '../../electron/till/core';
import { DEFAULT_TIMING } from '../../electron/till/timing';
import { percentile, round, type Bench, type Figure } from './harness';
import { scanToPaid } from './scan-to-paid';

// Issue 3: (a) durable sale lifecycles per second through the journal, and
// (b) payment-detection latency — the simulator marks an order paid, how
// long until the engine emits `paid` — at the default budget and timing.
// Issue 13: (c) scan → paid shown for a customer's code (scan-to-paid.ts).

const LIFECYCLE_MS = 2_000;

function baseSale(outTradeNo: string, now: number): SaleRecord {
  return {
    outTradeNo,
    udid: 'bench-till',
    training: false,
    amountMinor: 1230,
    currency: 'HKD',
    payType: '800201',
    goodsName: null,
    state: 'requesting',
    txdtm: '2026-11-26 12:00:00',
    expiredMinutes: 30,
    createdAtMs: now,
    expiresAtMs: now + 30 * 60_000,
    ...NOT_YET_SETTLED,
    orderNo: outTradeNo,
    updatedAtMs: now,
  };
}

/**
 * (a) insertSale (requesting) → updateSale awaiting_scan → updateSale paid,
 * each one committed transaction with its event, on a real file opened by
 * openDatabase (WAL, synchronous=FULL, read back). With `exchanges`, the two
 * API exchanges the engine logs for such a sale (payment, the paid query)
 * are appended too, each its own commit, as the engine does.
 */
function lifecycles(dir: string, name: string, exchanges: boolean, durable = true): { perSecond: number; commitsPerSecond: number; pragmas: string } {
  const db = openDatabase(join(dir, `${name}.sqlite`));
  // Only for the reference figure: the journal code's own ceiling, with the disk taken out.
  if (!durable) db.pragma('synchronous = OFF');
  const journal = new Journal(db, 'bench-till', false);
  const pragmas = `journal_mode=${String(db.pragma('journal_mode', { simple: true }))}, synchronous=${String(db.pragma('synchronous', { simple: true }))}`;
  let n = 0;
  const one = () => {
    const now = Date.now();
    const id = `bench-till-S${name}${String(n++).padStart(8, '0')}`;
    journal.insertSale(baseSale(id, now), { reason: 'charge', amountMinor: 1230, currency: 'HKD' });
    if (exchanges) journal.appendEvent('exchange', id, now, { endpoint: 'payment', request: { out_trade_no: id, txamt: '1230' }, outcome: 'answered', respcd: '0000' });
    journal.updateSale(
      id,
      ['requesting'],
      { state: 'awaiting_scan', syssn: `2026112600${String(n).padStart(16, '0')}`, qrcode: 'weixin://wxpay/bizpayurl?pr=AbCdEfG', sysdtm: '2026-11-26 12:00:00', lastRespcd: '0000', updatedAtMs: now },
      { reason: 'order created' },
    );
    if (exchanges) journal.appendEvent('exchange', id, now, { endpoint: 'query', request: { out_trade_no: id }, outcome: 'answered', respcd: '0000' });
    journal.updateSale(id, ['awaiting_scan'], { state: 'paid', paidAtMs: now, paydtm: '2026-11-26 12:00:05', chnlsn: '4200000000', lastRespcd: '0000', finalAtMs: now, updatedAtMs: now }, { reason: 'customer paid' });
  };
  try {
    for (let i = 0; i < 20; i++) one(); // warm-up
    const before = n;
    const start = performance.now();
    while (performance.now() - start < LIFECYCLE_MS) one();
    const seconds = (performance.now() - start) / 1000;
    const sales = n - before;
    return { perSecond: sales / seconds, commitsPerSecond: (sales * (exchanges ? 5 : 3)) / seconds, pragmas };
  } finally {
    journal.close();
  }
}

/** Raw durable-write rate of the disk the journal is on: the floor under any synchronous=FULL commit. */
function diskSyncsPerSecond(dir: string): number {
  const path = join(dir, 'fsync-probe.bin');
  const fd = openSync(path, 'w');
  const block = Buffer.alloc(4096, 1);
  try {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < 1_000) {
      writeSync(fd, block);
      fdatasyncSync(fd);
      n += 1;
    }
    return n / ((performance.now() - start) / 1000);
  } finally {
    closeSync(fd);
  }
}

const TILLS = 4;
const SALES_PER_TILL = 8;
/** The customer scans and pays at a random moment this long after the QR is shown (inside the engine's fast-poll minute). */
const PAY_WITHIN_MS = [300, 8_000] as const;

interface TillRun {
  latencies: number[];
  requests: number;
  wallMs: number;
}

async function detectionRun(till: Till, pay: (outTradeNo: string) => void, random: () => number): Promise<TillRun> {
  const engine = till.engine;
  await engine.recover();
  const latencies: number[] = [];
  const started = performance.now();
  const takenBefore = engine.bucket.taken;
  for (let i = 0; i < SALES_PER_TILL; i++) {
    const charged = await engine.charge({ amountMinor: 1230 + i, currency: 'HKD' });
    if (!charged.ok) throw new Error(`bench: charge refused: ${charged.error.code} ${charged.error.message}`);
    const id = charged.value.outTradeNo;
    await new Promise<void>((resolve, reject) => {
      const off = engine.onSale((view) => {
        if (view.outTradeNo !== id) return;
        if (view.state === 'awaiting_scan') {
          off();
          resolve();
        } else if (view.state !== 'requesting') {
          off();
          reject(new Error(`bench: sale went ${view.state} before its QR was shown`));
        }
      });
    });
    const [lo, hi] = PAY_WITHIN_MS;
    await new Promise((resolve) => setTimeout(resolve, lo + random() * (hi - lo)));
    let paidAt = 0;
    const paid = new Promise<void>((resolve) => {
      const off = engine.onSale((view) => {
        if (view.outTradeNo === id && view.state === 'paid') {
          paidAt = performance.now();
          off();
          resolve();
        }
      });
    });
    const markedAt = performance.now();
    pay(id);
    await paid;
    latencies.push(paidAt - markedAt);
  }
  return { latencies, requests: engine.bucket.taken - takenBefore, wallMs: performance.now() - started };
}

export const engineBench: Bench = {
  title: 'Checkout engine and journal',
  async run() {
    const dir = mkdtempSync(join(tmpdir(), 'till-bench-'));
    const figures: Figure[] = [];
    try {
      // ---- (a) durable lifecycles ----
      const plain = lifecycles(dir, 'plain', false);
      const logged = lifecycles(dir, 'logged', true);
      const ceiling = lifecycles(dir, 'ceiling', false, false);
      const fsyncs = diskSyncsPerSecond(dir);
      figures.push(
        {
          name: 'journal_sale_lifecycles',
          value: Math.round(plain.perSecond),
          unit: 'sales/s',
          target: 1000,
          better: 'higher',
          note: `requesting → awaiting_scan → paid, 3 committed transactions with events; ${plain.pragmas}; file in ${tmpdir()}`,
        },
        { name: 'journal_commits', value: Math.round(plain.commitsPerSecond), unit: 'transactions/s', better: 'higher', note: 'durable commits (fsync) per second' },
        {
          name: 'disk_syncs',
          value: Math.round(fsyncs),
          unit: 'fdatasync/s',
          better: 'higher',
          note: 'reference: 4 KiB write + fdatasync on the same file system; a durable commit needs at least one',
        },
        {
          name: 'journal_sale_lifecycles_not_durable',
          value: Math.round(ceiling.perSecond),
          unit: 'sales/s',
          better: 'higher',
          note: 'reference only, synchronous=OFF: what the journal code does with the disk taken out (never how the till runs)',
        },
        {
          name: 'journal_sale_lifecycles_with_exchanges',
          value: Math.round(logged.perSecond),
          unit: 'sales/s',
          better: 'higher',
          note: 'as the engine writes it: + payment and query exchange events, 5 commits',
        },
      );

      // ---- (b) payment-detection latency ----
      const budget = tillBudgetPerMinute(TILLS);
      // QFPay's real limits stay on: 4 tills at 80/min is inside the merchant's 400/min.
      const sim = await startSimulator({ seed: 3 });
      const tills: Till[] = [];
      try {
        for (let t = 0; t < TILLS; t++) {
          tills.push(
            await openTill({
              dataDir: join(dir, `till-${t}`),
              credentials: { baseUrl: sim.baseUrl, ...TRAINING_CREDENTIALS },
              udid: `bench-till-${t}`,
              tillsPerMerchant: TILLS,
              random: seededRandom(100 + t),
            }),
          );
        }
        const pay = (outTradeNo: string) => {
          const result = sim.pay({ out_trade_no: outTradeNo });
          if (!result.ok) throw new Error(`bench: simulator could not mark ${outTradeNo} paid: ${result.error}`);
        };
        const started = performance.now();
        const runs = await Promise.all(tills.map((till, t) => detectionRun(till, pay, seededRandom(7 + t))));
        const wallMinutes = (performance.now() - started) / 60_000;
        const latencies = runs.flatMap((r) => r.latencies);
        const perTill = runs.map((r) => r.requests / (r.wallMs / 60_000));
        const simTotal = sim.requestCounts.payment + sim.requestCounts.query + sim.requestCounts.close + sim.requestCounts.refund + sim.requestCounts.reversal;
        const setup = `${TILLS} tills × ${SALES_PER_TILL} sales in parallel, budget ${budget}/min each (tillBudgetPerMinute(${TILLS})), default timing (fast poll ${DEFAULT_TIMING.fastPollMs} ms), paid ${PAY_WITHIN_MS[0] / 1000}–${PAY_WITHIN_MS[1] / 1000} s after the QR`;
        figures.push(
          { name: 'detection_latency_p50', value: round(percentile(latencies, 50), 0), unit: 'ms', better: 'lower', note: setup },
          { name: 'detection_latency_p95', value: round(percentile(latencies, 95), 0), unit: 'ms', target: 1000, better: 'lower', note: `${latencies.length} sales` },
          { name: 'detection_latency_max', value: round(Math.max(...latencies), 0), unit: 'ms', better: 'lower' },
          {
            name: 'till_requests_per_minute',
            value: round(Math.max(...perTill), 1),
            unit: 'requests/min',
            target: 100,
            better: 'lower',
            note: `busiest till (tokens taken over its run); mean ${round(perTill.reduce((a, b) => a + b, 0) / perTill.length, 1)}; simulator saw ${round(simTotal / TILLS / wallMinutes, 1)}/min per till, ${sim.requestCounts.rate_limited} answered 429`,
          },
        );
      } finally {
        for (const till of tills) await till.close();
        await sim.close();
      }

      // ---- (c) scan → paid shown ----
      figures.push(...(await scanToPaid(dir)));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    return figures;
  },
};
