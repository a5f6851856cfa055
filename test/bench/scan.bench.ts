import os from 'node:os';
import { startHarness, type Harness } from '../e2e/support/bridge';
import { percentile, round, type Bench, type Figure } from './harness';
import { cashierProbes, withTimeout } from './ui.bench';

// Issue 13: how long from the cashier's Enter in the scan field (the
// scanner's Enter) to "Paid" painted on the cashier's screen, for a code the
// in-process zero-latency simulator pays at once: what is measured is the
// app's own overhead. Built renderer in Chromium against the real service, as
// ui.bench.ts does for the QR; needs `npm run build` first.

const WARM_UP = 5;
const SCANS = 50;

interface PageGlobals {
  __enterAt?: number;
  __codeCalledAt?: number;
  __paidEventAt?: number;
  __paidPainted?: Promise<number>;
}

// Source text, not functions (see ui.bench.ts: tsx's __name helper does not exist in the page).
/** Cashier: Enter and the chargeCode call (as ui.bench.ts probes charge), and when the paid sale event arrives. */
const PROBES = cashierProbes('chargeCode', '__codeCalledAt');
const PAID_EVENT_PROBE = `void (() => {
  const emit = window.__tillEmit;
  window.__tillEmit = (channel, payload) => {
    if (payload && payload.state === 'paid' && payload.authCodeMasked && window.__paidEventAt === undefined) window.__paidEventAt = performance.timeOrigin + performance.now();
    return emit(channel, payload);
  };
})()`;

/** Cashier: resolves in the frame that first finds the paid screen drawn, with that moment's wall-clock time. */
const PAID_POLLER = `void (window.__paidEventAt = undefined, window.__paidPainted = new Promise((resolve) => {
  const tick = () => {
    if (document.querySelector('section.sale-final[data-state="paid"]')) resolve(performance.timeOrigin + performance.now());
    else requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
}))`;

interface Sample {
  /** Enter in the scan field → "Paid" painted: the figure. */
  total: number;
  /** Cashier page: Enter → the screen calls window.till.chargeCode (the code checked on the way). */
  cashier: number;
  /** Test bridge, in (Electron IPC in the app). */
  bridgeIn: number;
  /** Main: chargeCode received → the paid sale broadcast (engine, write-ahead journal, payment to the simulator). */
  main: number;
  /** Test bridge, out. */
  bridgeOut: number;
  /** Cashier page: paid event → React render → frame. */
  paint: number;
}

/** A WeChat code (13…) that the simulator pays at once: its last digit is never 1, 2 or 3. */
const codeFor = (i: number) => `13${String(i).padStart(15, '0')}0`;

async function scanToPaid(h: Harness): Promise<Sample[]> {
  const { cashier } = h;
  await cashier.evaluate(PROBES);
  await cashier.evaluate(PAID_EVENT_PROBE);
  const samples: Sample[] = [];
  for (let i = 0; i < WARM_UP + SCANS; i++) {
    if (i > 0) {
      await cashier.waitForSelector('section.sale-final');
      await cashier.keyboard.press('Enter');
    }
    await cashier.waitForSelector('.amount-panel');
    await cashier.keyboard.type(`${12 + i}.3`, { delay: 40 });
    await cashier.getByRole('button', { name: '掃碼', exact: true }).click();
    const field = cashier.getByLabel('付款碼', { exact: true });
    await field.fill(codeFor(i));
    await cashier.evaluate(PAID_POLLER);
    await field.press('Enter');
    const paintedAt = await withTimeout('the paid screen', cashier.evaluate(() => (globalThis as unknown as PageGlobals).__paidPainted!));
    const page = await cashier.evaluate(() => {
      const g = globalThis as unknown as PageGlobals;
      return { enterAt: g.__enterAt!, codeCalledAt: g.__codeCalledAt!, paidEventAt: g.__paidEventAt! };
    });
    const sale = h.service.current!.engine.currentSale()!;
    const received = h.calls.findLast((c) => c.window === 'cashier' && c.name === 'chargeCode')!;
    const paidBroadcast = h.broadcasts.find((b) => b.event === 'onSale' && (b.payload as { outTradeNo?: string; state?: string }).outTradeNo === sale.outTradeNo && (b.payload as { state?: string }).state === 'paid')!;
    if (i >= WARM_UP) {
      samples.push({
        total: paintedAt - page.enterAt,
        cashier: page.codeCalledAt - page.enterAt,
        bridgeIn: received.atMs - page.codeCalledAt,
        main: paidBroadcast.atMs - received.atMs,
        bridgeOut: page.paidEventAt - paidBroadcast.atMs,
        paint: paintedAt - page.paidEventAt,
      });
    }
  }
  return samples;
}

export const scanBench: Bench = {
  title: 'UI: scanned payment code to paid (built renderer in Chromium)',
  async run() {
    // Receipts are never printed here: the paid screen's first Enter would print instead of starting the next sale.
    const h = await startHarness({ settings: { receiptPrint: 'never' } });
    let samples: Sample[];
    try {
      await h.cashier.waitForSelector('.amount-panel');
      const later = h.cashier.locator('.first-run-later');
      if ((await later.count()) > 0) await later.click();
      samples = await scanToPaid(h);
    } finally {
      await h.close();
    }
    const ms = (values: number[], p: number) => round(percentile(values, p), 1);
    const part = (key: keyof Sample) => samples.map((s) => s[key]);
    const appOnly = samples.map((s) => s.total - s.bridgeIn - s.bridgeOut);
    const split = (key: keyof Sample) => `p50 ${ms(part(key), 50)} / p95 ${ms(part(key), 95)} ms`;
    const figures: Figure[] = [
      {
        name: 'ui_scan_to_paid_p50',
        value: ms(part('total'), 50),
        unit: 'ms',
        better: 'lower',
        note: `Enter in the scan field → "Paid" drawn in a cashier frame; ${samples.length} scans after ${WARM_UP} warm-up; in-process zero-latency simulator; load average ${os.loadavg()[0]!.toFixed(1)} on ${os.cpus().length} CPUs`,
      },
      { name: 'ui_scan_to_paid_p95', value: ms(part('total'), 95), unit: 'ms', better: 'lower', note: `max ${ms(part('total'), 100)} ms; includes the test bridge both ways and up to one frame of requestAnimationFrame granularity` },
      {
        name: 'ui_scan_app_overhead_p95',
        value: ms(appOnly, 95),
        unit: 'ms',
        target: 150,
        better: 'lower',
        note: `the same, less the Playwright bridge that stands in for Electron IPC; p50 ${ms(appOnly, 50)} ms`,
      },
      { name: 'ui_scan_part_cashier_enter_to_call_p50', value: ms(part('cashier'), 50), unit: 'ms', better: 'lower', note: `${split('cashier')}: keydown → ScanPanel → code checked → window.till.chargeCode` },
      { name: 'ui_scan_part_main_p50', value: ms(part('main'), 50), unit: 'ms', better: 'lower', note: `${split('main')}: contract check → engine → write-ahead journal → payment over loopback HTTP → paid broadcast` },
      { name: 'ui_scan_part_paint_p50', value: ms(part('paint'), 50), unit: 'ms', better: 'lower', note: `${split('paint')}: paid event → React render → frame` },
    ];
    return figures;
  },
};
