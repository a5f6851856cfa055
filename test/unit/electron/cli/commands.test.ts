import { emptyFaultPlan } from '../../../../electron/simulator/faults';
import { existsSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../../electron/cli';
import { EXIT } from '../../../../electron/cli/io';
import { openDatabase } from '../../../../electron/journal/database';
import { Journal } from '../../../../electron/journal/journal';
import { TRAINING_CREDENTIALS, startSimulator, type QfpaySimulator } from '../../../../electron/simulator/server';
import { JOURNAL_FILES, journalFileFor } from '../../../../electron/till/core';
import { HK, addRefund, addSale, cleanup, hk, tempDir, trainingDataDir } from '../reports/fixtures';
import { capture, stopper, within } from './support';

// The `till` commands as a support engineer meets them (issue 12, "The till
// command line"; issue 9, part 5): main() in-process with a capturing io.

const servers: Array<{ close(): Promise<void> | void }> = [];
afterEach(async () => {
  while (servers.length > 0) await servers.pop()!.close();
  cleanup();
});

const never = new Promise<void>(() => undefined);

async function run(argv: string[], env: NodeJS.ProcessEnv = {}, extra: { isTTY?: boolean; stop?: Promise<void>; second?: Promise<void> } = {}) {
  const c = capture();
  const io = { ...c.io, isTTY: extra.isTTY ?? false };
  const code = await main(argv, { env, io, stopSignal: extra.stop ?? never, secondStop: extra.second });
  return { code, out: c.out, err: c.err, all: [...c.out, ...c.err].join('\n') };
}

const UDID = 'till-cli';

const dataDirWith = (write: (journal: Journal) => void, baseUrl?: string) => trainingDataDir(UDID, write, baseUrl);

/** QFPay unreachable in the worst way: it takes the connection and never answers. Counts what reached it. */
async function blackHole(): Promise<{ baseUrl: string; requests: () => number }> {
  let requests = 0;
  const server: Server = createServer(() => {
    requests += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push({ close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))) });
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

async function simulator(): Promise<QfpaySimulator> {
  const sim = await startSimulator({ seed: 5, timeZone: HK, refundCutoffWindow: false, refundNeedsCover: false });
  servers.push(sim);
  return sim;
}

const NOW = Date.now();
/** The escape that starts every ANSI sequence. */
const ESC = String.fromCharCode(27);

describe('commands that only read answer from the journal at once when QFPay cannot be reached', () => {
  async function openSaleBehindBlackHole() {
    const qfpay = await blackHole();
    const dir = dataDirWith((journal) => {
      addSale(journal, 'S-PAID', { amountMinor: 1230, createdAtMs: NOW - 120_000, state: 'paid' });
      addSale(journal, 'S-OPEN', { amountMinor: 990, createdAtMs: NOW - 60_000, state: 'awaiting_scan' });
    }, qfpay.baseUrl);
    return { qfpay, base: ['--data-dir', dir, '--base-url', qfpay.baseUrl, '--udid', UDID, '--time-zone', HK] };
  }

  it('status: lists the sales, names the one still being settled, and sends QFPay nothing', async () => {
    const { qfpay, base } = await openSaleBehindBlackHole();
    const result = await within(run(['status', ...base]), 10_000, 'till status');
    expect(result.code).toBe(EXIT.ok);
    expect(result.out.join('\n')).toMatch(/S-OPEN {2}HK\$9\.90 {2}AWAITING_SCAN/);
    expect(result.err.join('\n')).toMatch(/still being settled.*: 1\n {2}sale S-OPEN {2}AWAITING_SCAN {2}settled by nobody right now: till recover settles it/);
    expect(qfpay.requests()).toBe(0);

    const json = await within(run(['status', '--json', ...base]), 10_000, 'till status --json');
    expect(JSON.parse(json.out.join('\n'))).toMatchObject({ settling: [{ outTradeNo: 'S-OPEN', kind: 'sale', state: 'awaiting_scan' }] });
    expect(qfpay.requests()).toBe(0);
  });

  it('report x and export csv answer too, without a request', async () => {
    const { qfpay, base } = await openSaleBehindBlackHole();
    const x = await within(run(['report', 'x', ...base]), 10_000, 'till report x');
    expect(x.code).toBe(EXIT.ok);
    expect(x.out.join('\n')).toMatch(/HKD {2}paid 1/);
    expect(x.err.join('\n')).toMatch(/sale S-OPEN/);
    const csv = await within(run(['export', 'csv', ...base]), 10_000, 'till export csv');
    expect(csv.code).toBe(EXIT.ok);
    expect(csv.out.join('\n')).toMatch(/sale,S-PAID,/);
    expect(qfpay.requests()).toBe(0);
  });
});

describe('exit codes and messages', () => {
  it('an http:// production URL is a configuration error: exit 4, one JSON error shape', async () => {
    const dir = tempDir('till-cli-');
    const env = { QFPAY_APP_CODE: 'A'.repeat(32), QFPAY_CLIENT_KEY: 'K'.repeat(32) };
    const result = await run(['status', '--json', '--data-dir', dir, '--base-url', 'http://openapi-hk.qfapi.com'], env);
    expect(result.code).toBe(EXIT.config);
    expect(JSON.parse(result.out.join('\n'))).toEqual({ error: { code: 'config', field: 'baseUrl', outTradeNo: null, message: expect.stringMatching(/https/) } });
  });

  it('a file that cannot be written: exit 1 and one line, no stack trace', async () => {
    const dir = dataDirWith((journal) => addSale(journal, 'S-1', { amountMinor: 100, createdAtMs: NOW - 60_000, state: 'paid' }));
    const result = await run(['export', 'csv', '--out', join(dir, 'no-such-folder', 'x.csv'), '--data-dir', dir, '--udid', UDID]);
    expect(result.code).toBe(EXIT.failed);
    const problems = result.err.filter((line) => !line.startsWith('training mode'));
    expect(problems).toEqual([`till export: cannot write ${join(dir, 'no-such-folder', 'x.csv')}: no such folder`]);
  });

  it('unknown commands and options get a "did you mean"', async () => {
    const command = await run(['chrage', '1.00']);
    expect(command.code).toBe(EXIT.usage);
    expect(command.err.join('\n')).toMatch(/unknown command "chrage" \(did you mean "charge"\?\)/);
    const option = await run(['status', '--limt', '3']);
    expect(option.code).toBe(EXIT.usage);
    expect(option.err.join('\n')).toMatch(/unknown option --limt \(did you mean --limit\?\)/);
  });

  it('a --database-url that is not postgres:// is a usage error before the journal opens (a password in it is never echoed)', async () => {
    const dir = dataDirWith(() => undefined);
    const result = await run(['status', '--data-dir', dir, '--udid', UDID, '--database-url', 'mysql://till:Hunter2secret@office/x']);
    expect(result.code).toBe(EXIT.usage);
    expect(result.err.join('\n')).toMatch(/--database-url must be a postgres:\/\/ URL/);
    expect(result.all).not.toContain('Hunter2secret');
    // The usage line names the flag on every till command.
    const help = await run(['status', '--help']);
    expect(help.all).toContain('[--database-url URL]');
  });

  it('-5 gets the same sentence as any other bad amount; no reason codes', async () => {
    const minus = await run(['charge', '-5']);
    const letters = await run(['charge', 'abc']);
    expect(minus.code).toBe(EXIT.usage);
    expect(letters.code).toBe(EXIT.usage);
    expect(minus.err[0]).toBe('till charge: the amount "-5" is not an amount in HKD: write a positive amount like 12.30');
    expect(letters.err[0]).toBe('till charge: the amount "abc" is not an amount in HKD: write a positive amount like 12.30');
    const decimals = await run(['charge', '1.234']);
    expect(decimals.err[0]).toBe('till charge: the amount "1.234" has more than 2 decimals, more than HKD has');
    expect([minus, letters, decimals].map((r) => r.all).join('\n')).not.toMatch(/not_a_number|too_many_decimals|Unknown option/);
  });

  it('a refund above what is left says how much is left, in major units with the currency', async () => {
    const dir = dataDirWith((journal) => {
      addSale(journal, 'S-1', { amountMinor: 2000, createdAtMs: NOW - 120_000, state: 'paid' });
      addRefund(journal, 'R-1', 'S-1', { amountMinor: 1000, createdAtMs: NOW - 60_000 });
    });
    const result = await run(['refund', 'S-1', '10.01', '--json', '--data-dir', dir, '--udid', UDID, '--time-zone', HK]);
    expect(result.code).toBe(EXIT.usage);
    expect(result.err.join('\n')).toMatch(/at most HK\$10\.00 can still be refunded/);
    expect(JSON.parse(result.out.join('\n'))).toMatchObject({ error: { code: 'exceeds_refundable', field: 'txamt' } });
  });
});

describe('till status', () => {
  it('says REFUNDED after a full refund (PARTLY REFUNDED before)', async () => {
    const dir = dataDirWith((journal) => {
      addSale(journal, 'S-FULL', { amountMinor: 2000, createdAtMs: NOW - 120_000, state: 'paid' });
      addRefund(journal, 'R-1', 'S-FULL', { amountMinor: 500, createdAtMs: NOW - 90_000 });
    });
    const base = ['--data-dir', dir, '--udid', UDID, '--time-zone', HK];
    expect((await run(['status', 'S-FULL', ...base])).out[0]).toBe('S-FULL  HK$20.00  PARTLY REFUNDED');
    const db = openDatabase(join(dir, JOURNAL_FILES.training));
    const journal = new Journal(db, UDID, true);
    addRefund(journal, 'R-2', 'S-FULL', { amountMinor: 1500, createdAtMs: NOW - 30_000 });
    journal.close();
    const full = await run(['status', 'S-FULL', ...base]);
    expect(full.out[0]).toBe('S-FULL  HK$20.00  REFUNDED');
    expect(full.out).toContain('  refunded HK$20.00');
  });

  it('shows times in --time-zone', async () => {
    const created = hk(2026, 11, 26, 15, 4, 5);
    const dir = dataDirWith((journal) => addSale(journal, 'S-TZ', { amountMinor: 100, createdAtMs: created, state: 'paid', settledAtMs: created + 1_000 }));
    const inHk = await run(['status', 'S-TZ', '--data-dir', dir, '--udid', UDID, '--time-zone', HK]);
    expect(inHk.out[1]).toMatch(/^ {2}created 2026-11-26 15:04:05 {2}paid 2026-11-26 15:04:06/);
    const inLondon = await run(['status', 'S-TZ', '--data-dir', dir, '--udid', UDID, '--time-zone', 'Europe/London']);
    expect(inLondon.out[1]).toMatch(/^ {2}created 2026-11-26 07:04:05/);
  });
});

describe('till charge', () => {
  it('--json prints one line per event: created with the QR text, then final; --auto-pay pays in training', async () => {
    const dir = tempDir('till-cli-');
    const result = await within(run(['charge', '12.30', '--json', '--auto-pay', '--data-dir', dir, '--udid', UDID]), 20_000, 'till charge --auto-pay');
    expect(result.code).toBe(EXIT.ok);
    const events = result.out.map((line) => JSON.parse(line) as { event: string; sale: { state: string; qrcode: string | null; amountMinor: number } });
    expect(events.map((e) => [e.event, e.sale.state])).toEqual([
      ['created', 'awaiting_scan'],
      ['final', 'paid'],
    ]);
    expect(events[0]!.sale.qrcode).toMatch(/^weixin:\/\/wxpay\//);
    expect(result.err.join('\n')).toMatch(/training: the customer pays in 3 seconds/);
  });

  it('without --auto-pay, training says how the customer can pay; into a pipe no ANSI escapes; to a terminal the QR is drawn', async () => {
    const sim = await simulator();
    const dir = tempDir('till-cli-');
    const base = ['--data-dir', dir, '--base-url', sim.baseUrl, '--udid', UDID];
    const piped = await run(['charge', '1.00', '--no-wait', ...base]);
    expect(piped.code).toBe(EXIT.unknown);
    expect(piped.all.includes(ESC)).toBe(false);
    const id = piped.out[0]!.replace('out_trade_no ', '');
    expect(piped.out).toContain(`qrcode ${sim.orders().find((o) => o.out_trade_no === id)!.qrcode}`);
    sim.pay({ out_trade_no: id });
    expect((await run(['recover', ...base])).code).toBe(EXIT.ok);

    const c = capture();
    let told = '';
    const io = {
      ...c.io,
      isTTY: true,
      err: (line: string) => {
        c.io.err(line);
        told += `${line}\n`;
        if (line.startsWith('training: play the customer')) sim.pay({ out_trade_no: /out_trade_no=(\S+)/.exec(line)![1]! });
      },
    };
    const code = await within(main(['charge', '2.00', ...base], { env: {}, io, stopSignal: never }), 20_000, 'till charge in a terminal');
    expect(code).toBe(EXIT.ok);
    expect(told).toMatch(new RegExp(`curl -d out_trade_no=\\S+ ${sim.baseUrl}/__sim/pay`));
    expect(c.out.join('\n').includes(`${ESC}[`)).toBe(true);

    // --auto-pay against an outside simulator pays through its control endpoint.
    const auto = await within(run(['charge', '3.00', '--auto-pay', ...base]), 20_000, 'till charge --auto-pay');
    expect(auto.code).toBe(EXIT.ok);
    expect(auto.out.at(-2)).toMatch(/HK\$3\.00 {2}PAID$/);
  });

  it('--auto-pay is refused with real credentials, before anything is opened', async () => {
    const dir = tempDir('till-cli-');
    const env = { QFPAY_BASE_URL: 'https://openapi-hk.qfapi.com', QFPAY_APP_CODE: 'A'.repeat(32), QFPAY_CLIENT_KEY: 'K'.repeat(32) };
    const result = await run(['charge', '1.00', '--auto-pay', '--data-dir', dir], env);
    expect(result.code).toBe(EXIT.usage);
    expect(result.err[0]).toMatch(/--auto-pay is for training only/);
    expect(existsSync(join(dir, JOURNAL_FILES.real))).toBe(false);
  });

  it('a second Ctrl+C names the sale left open and says till recover settles it', async () => {
    const sim = await simulator();
    // The close hangs: the first Ctrl+C cannot finish the cancel.
    sim.setFaults({ ...emptyFaultPlan(), endpoints: { close: { delayMs: 60_000 } } });
    const dir = tempDir('till-cli-');
    const first = stopper();
    const second = stopper();
    const c = capture();
    const io = {
      ...c.io,
      err: (line: string) => {
        c.io.err(line);
        if (line.startsWith('waiting for the customer')) first.stop();
        if (line.startsWith('cancelling the sale')) second.stop();
      },
    };
    const code = await within(
      main(['charge', '3.00', '--data-dir', dir, '--base-url', sim.baseUrl, '--udid', UDID], { env: {}, io, stopSignal: first.signal, secondStop: second.signal }),
      20_000,
      'till charge after two Ctrl+C',
    );
    expect(code).toBe(EXIT.unknown);
    const id = c.out[0]!.replace('out_trade_no ', '');
    expect(c.err.join('\n')).toMatch(new RegExp(`sale ${id} was left open; till recover \\(or the app\\) will settle it`));
  });
});

describe('till cancel', () => {
  it('prints the cancel of an open sale as a success', async () => {
    const sim = await simulator();
    const dir = tempDir('till-cli-');
    const base = ['--data-dir', dir, '--base-url', sim.baseUrl, '--udid', UDID, '--time-zone', HK];
    const charged = await run(['charge', '4.00', '--no-wait', ...base]);
    const id = charged.out[0]!.replace('out_trade_no ', '');
    const cancelled = await within(run(['cancel', id, ...base]), 20_000, 'till cancel');
    expect(cancelled.code).toBe(EXIT.ok);
    expect(cancelled.out[0]).toBe(`${id}  HK$4.00  CANCELLED`);
    expect(cancelled.out.slice(2)).toEqual(['  cancelled: nothing was charged']);
    expect(cancelled.err.join('\n')).toMatch(/cancelled: nothing was charged/);
    expect(cancelled.all).not.toMatch(/\b1\d{3}:/);
  });
});

describe('each simulator keeps its own training journal', () => {
  it('a command without a base URL never sees, or recovers, a sale made against `till simulator`', async () => {
    const sim = await simulator();
    const dir = tempDir('till-cli-');
    const charged = await run(['charge', '5.00', '--no-wait', '--data-dir', dir, '--base-url', sim.baseUrl, '--udid', UDID]);
    const id = charged.out[0]!.replace('out_trade_no ', '');
    expect(charged.err.join('\n')).toMatch(new RegExp(`journal .*${journalFileFor({ baseUrl: sim.baseUrl, ...TRAINING_CREDENTIALS }).replace(/\./g, '\\.')}`));

    const elsewhere = await run(['recover', '--json', '--data-dir', dir, '--udid', UDID]);
    expect(elsewhere.code).toBe(EXIT.ok);
    expect(JSON.parse(elsewhere.out.join('\n'))).toMatchObject({ sales: [], refunds: [] });
    expect(sim.orders().find((o) => o.out_trade_no === id)?.state).toBe('unpaid');

    sim.pay({ out_trade_no: id });
    const back = await run(['recover', '--json', '--data-dir', dir, '--base-url', sim.baseUrl, '--udid', UDID]);
    expect(JSON.parse(back.out.join('\n'))).toMatchObject({ sales: [{ outTradeNo: id, to: 'paid' }] });
  });
});
