import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../../electron/cli';
import { EXIT } from '../../../../electron/cli/io';
import { openDatabase } from '../../../../electron/journal/database';
import { findChromium } from '../../../../electron/receipts/png';
import { svgPlainText } from '../../../../electron/receipts/render';
import { closedPort, fakePrinter, type FakePrinter } from '../receipts/support';
import { capture, stopper, within } from './support';

// `till receipt`, `till printer test`, `till drawer open` against a `till
// simulator` and a printer on 127.0.0.1 (issue 14's acceptance).

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const c = capture();
  const code = await main(argv, { env, io: c.io, stopSignal: new Promise<void>(() => undefined) });
  return { code, out: c.out, err: c.err };
}

async function simulator(): Promise<string> {
  const c = capture();
  const { signal, stop } = stopper();
  const running = main(['simulator', '--port', '0', '--seed', '7'], { env: {}, io: c.io, stopSignal: signal });
  cleanups.push(async () => {
    stop();
    await running;
  });
  return within(c.firstLine, 5_000, 'the simulator URL');
}

async function printer(mode?: Parameters<typeof fakePrinter>[0]): Promise<FakePrinter> {
  const p = await fakePrinter(mode);
  cleanups.push(() => p.close());
  return p;
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'till-receipt-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** A sale charged through `till charge`, paid by the simulator's customer, then settled by `till recover` (status only reads). */
async function paidSaleAt(url: string, dataDir: string): Promise<string> {
  const charged = await run(['charge', '12.50', '--goods-name', 'Milk tea', '--no-wait', '--json', '--base-url', url, '--data-dir', dataDir]);
  // --no-wait leaves the sale awaiting its scan: exit 3 (not final yet).
  expect(charged.code).toBe(EXIT.unknown);
  const id = (JSON.parse(charged.out.join('\n')) as { sale: { outTradeNo: string } }).sale.outTradeNo;
  const paid = await fetch(`${url}/__sim/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ out_trade_no: id }) });
  expect(paid.status).toBe(200);
  expect((await run(['recover', '--base-url', url, '--data-dir', dataDir])).code).toBe(EXIT.ok);
  const status = await run(['status', id, '--json', '--base-url', url, '--data-dir', dataDir]);
  expect((JSON.parse(status.out.join('\n')) as { sale: { state: string } }).sale.state).toBe('paid');
  return id;
}

describe('till receipt', () => {
  it("prints a `till simulator` sale's receipt to a TCP printer and renders it as an image", async () => {
    const url = await simulator();
    const dataDir = tempDir();
    const id = await paidSaleAt(url, dataDir);
    const p = await printer();
    const image = join(dataDir, 'receipt.svg');
    const [result, bytes] = await Promise.all([
      run(['receipt', id, '--printer', `tcp://127.0.0.1:${p.port}`, '--image', image, '--shop-name', '陳記', '--base-url', url, '--data-dir', dataDir]),
      p.nextJob(),
    ]);
    expect(result.err.join('\n')).toContain('image written');
    expect(result.code).toBe(EXIT.ok);
    expect(result.out.join('\n')).toMatch(new RegExp(`receipt of ${id} sent to tcp://127\\.0\\.0\\.1:${p.port}`));
    expect(bytes.includes(iconv.encode('陳記', 'big5'))).toBe(true);
    expect(bytes.includes('HKD 12.50')).toBe(true);
    const text = svgPlainText(readFileSync(image, 'utf8'));
    expect(text).toContain('HKD 12.50');
    expect(text).toContain('TRAINING — NOT A REAL PAYMENT');
  });

  it.skipIf(!findChromium(process.env))('renders a PNG the roll’s width with a Chromium', async () => {
    const url = await simulator();
    const dataDir = tempDir();
    const id = await paidSaleAt(url, dataDir);
    const image = join(dataDir, 'receipt.png');
    const result = await run(['receipt', id, '--image', image, '--paper', '58', '--base-url', url, '--data-dir', dataDir]);
    expect(result.code).toBe(EXIT.ok);
    const png = readFileSync(image);
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    expect(png.readUInt32BE(16)).toBe(384);
  }, 60_000);

  it('an unreachable printer: exit 1 with the message, and the sale is still paid', async () => {
    const url = await simulator();
    const dataDir = tempDir();
    const id = await paidSaleAt(url, dataDir);
    const port = await closedPort();
    const result = await run(['receipt', id, '--printer', `tcp://127.0.0.1:${port}`, '--base-url', url, '--data-dir', dataDir]);
    expect(result.code).toBe(EXIT.failed);
    expect(result.err.join('\n')).toMatch(/not printed: the printer at 127\.0\.0\.1:\d+ cannot be reached/);
    const status = await run(['status', id, '--json', '--base-url', url, '--data-dir', dataDir]);
    expect((JSON.parse(status.out.join('\n')) as { sale: { state: string } }).sale.state).toBe('paid');
  });

  it('refuses bad input before opening anything', async () => {
    expect((await run(['receipt', 'X', '--image', 'r.jpg'])).code).toBe(EXIT.usage);
    expect((await run(['receipt', 'X', '--printer', 'lpt1'])).code).toBe(EXIT.usage);
    expect((await run(['receipt', 'X'])).code).toBe(EXIT.usage);
    expect((await run(['receipt', 'X', '--printer', 'tcp://127.0.0.1:9100', '--paper', '76'])).code).toBe(EXIT.usage);
  });
});

describe('till printer test and till drawer open', () => {
  it('prints a test page', async () => {
    const p = await printer();
    const [result, bytes] = await Promise.all([run(['printer', 'test', '--printer', `tcp://127.0.0.1:${p.port}`, '--language', 'en']), p.nextJob()]);
    expect(result.code).toBe(EXIT.ok);
    expect(bytes.includes('Printer test page')).toBe(true);
    expect(bytes.includes(Buffer.from([0x1b, 0x70]))).toBe(false);
  });

  it('opens the drawer (ESC p) and journals who and when', async () => {
    const p = await printer();
    const dataDir = tempDir();
    const [result, bytes] = await Promise.all([run(['drawer', 'open', '--printer', `tcp://127.0.0.1:${p.port}`, '--data-dir', dataDir], { USER: 'kim' }), p.nextJob()]);
    expect(result.code).toBe(EXIT.ok);
    expect(bytes.includes(Buffer.from([0x1b, 0x70, 0x00]))).toBe(true);
    const db = openDatabase(join(dataDir, 'training-journal.sqlite'));
    try {
      const notes = db.prepare("SELECT at_ms, data FROM events WHERE kind = 'note'").all() as { at_ms: number; data: string }[];
      expect(notes.map((n) => JSON.parse(n.data))).toEqual([expect.objectContaining({ note: 'drawer_open', by: 'command line (kim)' })]);
      expect(notes[0]!.at_ms).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});
