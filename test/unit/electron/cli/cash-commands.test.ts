import Database from 'better-sqlite3';
import { readdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createServer, type Server } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../../electron/cli';
import { EXIT } from '../../../../electron/cli/io';
import { HK, cleanup, tempDir } from '../reports/fixtures';
import { capture, within } from './support';

// `till charge <amount> --cash <tendered>` and `till drawer` against a QFPay
// that takes connections and never answers: cash needs none of it, so
// nothing reaches it and every command answers at once.

const servers: Server[] = [];
afterEach(async () => {
  while (servers.length > 0) {
    const s = servers.pop()!;
    s.closeAllConnections();
    await new Promise<void>((resolve) => s.close(() => resolve()));
  }
  cleanup();
});

const never = new Promise<void>(() => undefined);
const UDID = 'till-cash';

async function run(argv: string[]) {
  const c = capture();
  const code = await main(argv, { env: {}, io: { ...c.io, isTTY: false }, stopSignal: never });
  return { code, out: c.out.join('\n'), err: c.err.join('\n') };
}

async function blackHole(): Promise<{ baseUrl: string; requests: () => number }> {
  let requests = 0;
  const server = createServer(() => {
    requests += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  servers.push(server);
  return { baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, requests: () => requests };
}

describe('cash from the command line', () => {
  it('charge --cash prints the change, asks for --float first, refuses too little; drawer in/out/status; QFPay sees nothing', async () => {
    const qfpay = await blackHole();
    const dir = tempDir();
    const base = ['--data-dir', dir, '--base-url', qfpay.baseUrl, '--udid', UDID, '--time-zone', HK];

    const noFloat = await within(run(['charge', '12.30', '--cash', '20', ...base]), 10_000, 'till charge --cash');
    expect(noFloat.code).toBe(EXIT.failed);
    expect(noFloat.err).toContain('add --float <amount>');

    const short = await within(run(['charge', '12.30', '--cash', '12', '--float', '0', ...base]), 10_000, 'till charge --cash short');
    expect(short.code).toBe(EXIT.usage);
    expect(short.err).toContain('less than HK$12.30');

    const paid = await within(run(['charge', '12.30', '--cash', '20', '--float', '500', ...base]), 10_000, 'till charge --cash');
    expect(paid.code).toBe(EXIT.ok);
    expect(paid.out).toMatch(/till-cash-S\d{12}[0-9A-Z]{6} {2}HK\$12\.30 {2}PAID/);
    expect(paid.out).toContain('cash received HK$20.00  CHANGE HK$7.70');

    expect((await run(['drawer', 'out', '15', ...base])).code).toBe(EXIT.usage);
    const out = await within(run(['drawer', 'out', '15', '--reason', 'milk', ...base]), 10_000, 'till drawer out');
    expect(out.code).toBe(EXIT.ok);
    expect(out.out).toBe('HKD  expected in drawer HK$497.30');
    const status = await within(run(['drawer', '--json', ...base]), 10_000, 'till drawer');
    expect(JSON.parse(status.out)).toEqual({ currency: 'HKD', needsFloat: false, expectedMinor: 49730 });

    // The Z (it settles unfinished QFPay work first: there is none, so QFPay is still not asked) with the count.
    expect((await run(['report', 'z', '--counted', 'HKD=4x', ...base])).code).toBe(EXIT.usage);
    const z = await within(run(['report', 'z', '--yes', '--json', '--counted', 'HKD=497', ...base]), 10_000, 'till report z --counted');
    expect(z.code).toBe(EXIT.ok);
    expect(JSON.parse(z.out).report.drawer).toEqual([expect.objectContaining({ expectedMinor: 49730, countedMinor: 49700, differenceMinor: -30 })]);

    expect(qfpay.requests()).toBe(0);
    const journals = readdirSync(dir).filter((f) => /\.(db|sqlite3?)$/.test(f));
    expect(journals).toHaveLength(1);
    const db = new Database(join(dir, journals[0]!), { readonly: true });
    expect(db.prepare("SELECT pay_type, tendered_minor, change_minor FROM sales").all()).toEqual([{ pay_type: 'cash', tendered_minor: 2000, change_minor: 770 }]);
    expect(db.prepare('SELECT kind, amount_minor, reason FROM cash_movements ORDER BY id').all()).toEqual([
      { kind: 'float', amount_minor: 50000, reason: null },
      { kind: 'paid_out', amount_minor: 1500, reason: 'milk' },
    ]);
    db.close();
  });
});
