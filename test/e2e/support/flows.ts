import { execFile } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { Page } from 'playwright-core';
import type { QfpaySimulator } from '../../../electron/simulator/server';
import type { InputOf, IpcResult, MethodName, ResultOf } from '../../../shared/contract';
import type { SaleState, SaleView } from '../../../shared/sale';
import { ARTIFACTS, startHarness, type Harness } from './bridge';

// Steps the end-to-end flows share: screenshots of both windows at the
// display sizes, the customer QR decoded from its screenshot, waits on what
// the screens show, and a check that a flow leaves no open sale behind.

const run = promisify(execFile);

/** The display sizes every state is captured at (landscape, a portrait pole or tablet, a small laptop); the last is the harness default. */
export const SIZES = [
  [1920, 1080],
  [1080, 1920],
  [1280, 800],
] as const;

export type Size = (typeof SIZES)[number];
export const sizeName = ([w, h]: readonly [number, number]) => `${w}x${h}`;
export const artifact = (window: 'cashier' | 'customer', state: string, size: readonly [number, number]) => join(ARTIFACTS, `${window}-${state}-${sizeName(size)}.png`);

/** The few browser globals the page functions below use (this project type-checks without the DOM library). */
export interface PageGlobals {
  document: { images: ArrayLike<{ decode(): Promise<void> }> };
  requestAnimationFrame(callback: (t: number) => void): number;
  till: Record<string, (input?: unknown) => Promise<unknown>>;
}

/** Waits until every image is decoded and two frames have been painted. */
export async function settle(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const g = globalThis as unknown as PageGlobals;
    await Promise.all(Array.from(g.document.images).map((img) => img.decode().catch(() => undefined)));
    await new Promise((ok) => g.requestAnimationFrame(() => g.requestAnimationFrame(ok)));
  });
}

/** Calls window.till in the page, exactly as the screens do. */
export async function callTill<K extends MethodName>(page: Page, method: K, ...input: InputOf<K> extends undefined ? [] : [InputOf<K>]): Promise<IpcResult<ResultOf<K>>> {
  const result = await page.evaluate(([name, arg]) => (globalThis as unknown as PageGlobals).till[name]!(arg), [method, input[0]] as const);
  return result as IpcResult<ResultOf<K>>;
}

/** Like callTill, for a call that must succeed. */
export async function tillValue<K extends MethodName>(page: Page, method: K, ...input: InputOf<K> extends undefined ? [] : [InputOf<K>]): Promise<ResultOf<K>> {
  const result = await callTill(page, method, ...input);
  if (!result.ok) throw new Error(`window.till.${method} failed: ${JSON.stringify(result.error)}`);
  return result.value;
}

export interface Shots {
  cashier: Record<string, string>;
  customer: Record<string, string>;
}

/**
 * Screenshots of the cashier window and the customer display at each size,
 * named `<window>-<state>-<w>x<h>.png`. `check` runs at each size before the
 * shot (e.g. measuring the QR), and the viewport is left at 1280×800.
 */
export async function shoot(h: Harness, states: { cashier: string; customer: string }, check?: (size: Size) => Promise<void>): Promise<Shots> {
  mkdirSync(ARTIFACTS, { recursive: true });
  const shots: Shots = { cashier: {}, customer: {} };
  for (const size of SIZES) {
    await h.resize(size[0], size[1]);
    await Promise.all([settle(h.cashier), settle(h.customer)]);
    await check?.(size);
    for (const window of ['cashier', 'customer'] as const) {
      const path = artifact(window, states[window], size);
      await h[window].screenshot({ path });
      shots[window][sizeName(size)] = path;
    }
  }
  return shots;
}

/** Every QR code zbarimg finds in a PNG, one text per code. */
export async function decodeQr(path: string): Promise<string[]> {
  try {
    const { stdout } = await run('zbarimg', ['--raw', '-q', '--nodbus', '-Sdisable', '-Sqrcode.enable', path]);
    return stdout.split('\n').filter((line) => line !== '');
  } catch (error) {
    // zbarimg exits 4 when it finds nothing.
    if ((error as { code?: number }).code === 4) return [];
    throw error;
  }
}

export function simulator(h: Harness): QfpaySimulator {
  const sim = h.service.current?.simulator;
  if (!sim) throw new Error('the harness till has no simulator (not in training mode?)');
  return sim;
}

export function currentSale(h: Harness): SaleView | null {
  return h.service.current?.engine.currentSale() ?? null;
}

/** Polls the engine until the current sale is in one of `states`. */
export async function waitForSale(h: Harness, states: readonly SaleState[], timeoutMs = 20_000): Promise<SaleView> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const sale = currentSale(h);
    if (sale && states.includes(sale.state)) return sale;
    if (Date.now() > end) throw new Error(`sale never reached ${states.join('/')}: ${JSON.stringify(sale)}`);
    await new Promise((ok) => setTimeout(ok, 20));
  }
}

export async function cashierState(page: Page, state: SaleState): Promise<void> {
  await page.waitForSelector(`section.sale[data-state="${state}"]`, { timeout: 20_000 });
}

export async function customerState(page: Page, kind: 'idle' | 'due' | 'show_code' | 'qr' | 'paid' | 'closed'): Promise<void> {
  await page.waitForSelector(`main.c-screen[data-state="${kind}"]`, { timeout: 20_000 });
}

/** The cashier back on the keypad: a final screen is dismissed with Enter, as a cashier would. */
export async function backToKeypad(page: Page): Promise<void> {
  // The engine may be final before the window has drawn its final screen: wait for one or the other.
  await page.waitForSelector('section.sale-final, .amount-panel', { timeout: 20_000 });
  if (await page.$('section.sale-final')) {
    await page.keyboard.press('Enter');
    // Receipts on request (issue 14): the first Enter on a paid screen prints, the next is the new sale.
    await page.waitForSelector('.amount-panel, .receipt-actions [role="status"], .receipt-actions [role="alert"]', { timeout: 20_000 });
    if (await page.$('section.sale-final')) await page.keyboard.press('Enter');
  }
  await page.waitForSelector('.amount-panel', { timeout: 20_000 });
}

/** Types an amount on the physical keyboard and presses Enter; returns once both screens show the QR. */
export async function chargeByKeyboard(h: Harness, amount: string): Promise<SaleView> {
  await backToKeypad(h.cashier);
  // A person's pace: keys a few ms apart are a barcode scanner's burst, which the keypad refuses.
  await h.cashier.keyboard.type(amount, { delay: 90 });
  await h.cashier.keyboard.press('Enter');
  const sale = await waitForSale(h, ['awaiting_scan']);
  await h.cashier.waitForSelector(`img.sale-qr-image[data-qr="${sale.qrcode}"]`, { timeout: 20_000 });
  await h.customer.waitForSelector(`img.c-qr-image[data-qr="${sale.qrcode}"]`, { timeout: 20_000 });
  return sale;
}

/** A flow must not leave a sale open for the next one: cancel it if it did, and say so. */
export async function assertNoOpenSale(h: Harness): Promise<void> {
  const sale = currentSale(h);
  if (sale && !['paid', 'failed', 'expired', 'cancelled'].includes(sale.state)) {
    await h.service.call('cancel', { outTradeNo: sale.outTradeNo });
    await waitForSale(h, ['paid', 'failed', 'expired', 'cancelled']);
    throw new Error(`the flow left sale ${sale.outTradeNo} ${sale.state}`);
  }
  if ((h.service.current?.journal.openRefunds().length ?? 0) > 0) throw new Error('the flow left a refund open');
}

/** Collects page errors and console errors (a CSP violation, a React warning) from both windows. */
export function watchErrors(h: Harness): string[] {
  const errors: string[] = [];
  for (const window of ['cashier', 'customer'] as const) {
    h[window].on('pageerror', (e) => errors.push(`[${window}] ${e.message}`));
    h[window].on('console', (m) => {
      if (m.type() === 'error') errors.push(`[${window}] console: ${m.text()}`);
    });
  }
  return errors;
}

/** The visible text of an element, trimmed. */
export const textOf = async (page: Page, selector: string) => ((await page.textContent(selector, { timeout: 20_000 })) ?? '').trim();

/**
 * One harness for a test file: both windows loaded and idle, page errors
 * watched, waits generous for a loaded machine, and the till's clock moved
 * out of QFPay's 23:30–00:30 refund window if the run falls in it.
 */
export async function openWindows(): Promise<{ h: Harness; errors: string[] }> {
  const h = await startHarness();
  const errors = watchErrors(h);
  for (const page of [h.cashier, h.customer]) page.setDefaultTimeout(20_000);
  await h.cashier.waitForSelector('.amount-panel');
  // A fresh till walks the owner through the supervisor PIN first (issue 10): these tests stay in training, so "Later".
  // (Drawn in the same render as the keypad: absent now means absent.)
  const later = h.cashier.locator('.first-run-later');
  if ((await later.count()) > 0) await later.click();
  await customerState(h.customer, 'idle');
  const hk = new Intl.DateTimeFormat('en-GB', { timeZone: 'Asia/Hong_Kong', hour: '2-digit', minute: '2-digit', hour12: false }).format(h.clock.now());
  const [hour, minute] = hk.split(':').map(Number) as [number, number];
  const minutes = hour * 60 + minute;
  if (minutes >= 23 * 60 + 30 || minutes < 30) h.clock.advance(((30 - minutes + 24 * 60) % (24 * 60)) * 60_000 + 5 * 60_000);
  return { h, errors };
}
