import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../../electron/cli';
import { EXIT } from '../../../../electron/cli/io';
import { parseInstant } from '../../../../electron/cli/report-commands';
import { openDatabase } from '../../../../electron/journal/database';
import { Journal } from '../../../../electron/journal/journal';
import { QfpayClient } from '../../../../electron/qfpay/client';
import { TRAINING_CREDENTIALS, startSimulator, type QfpaySimulator } from '../../../../electron/simulator/server';
import { capture } from '../cli/support';
import { HK, addRefund, addSale, cleanup, hk, tempDir, trainingDataDir } from './fixtures';

// `till report`, `till reconcile` and `till export` called in-process through
// main() with a capturing io: exactly what a support engineer sees.

const sims: QfpaySimulator[] = [];
afterEach(async () => {
  while (sims.length > 0) await sims.pop()!.close();
  cleanup();
});

async function run(argv: string[], env: NodeJS.ProcessEnv = {}, confirm?: (question: string) => Promise<boolean>) {
  const c = capture();
  const code = await main(argv, { env, io: c.io, stopSignal: new Promise<void>(() => undefined), ...(confirm ? { confirm } : {}) });
  return { code, out: c.out, err: c.err, json: () => JSON.parse(c.out.join('\n')) as Record<string, unknown> };
}

const UDID = 'till-cli';
const NOW = Date.now();
const H = 3_600_000;

const dataDirWith = (write: (journal: Journal) => void, baseUrl?: string) => trainingDataDir(UDID, write, baseUrl);

const base = (dir: string) => ['--data-dir', dir, '--udid', UDID, '--time-zone', HK];

function someSales(journal: Journal): void {
  addSale(journal, 'S-1', { amountMinor: 1230, createdAtMs: NOW - 3 * H, settledAtMs: NOW - 3 * H + 30_000, state: 'paid', goodsName: '咖啡, "大"' });
  addSale(journal, 'S-2', { amountMinor: 500, currency: 'JPY', createdAtMs: NOW - 2 * H, settledAtMs: NOW - 2 * H + 20_000, state: 'paid' });
  addSale(journal, 'S-3', { amountMinor: 900, createdAtMs: NOW - 2 * H + 60_000, settledAtMs: NOW - 2 * H + 120_000, state: 'expired', cancelReason: 'expiry' });
  addRefund(journal, 'R-1', 'S-1', { amountMinor: 230, createdAtMs: NOW - H, settledAtMs: NOW - H + 5_000 });
}

describe('till report', () => {
  it('x --json: the current period, changing nothing; the cut-off from --cutoff-hour or TILL_CUTOFF_HOUR', async () => {
    const dir = dataDirWith(someSales);
    const { code, json, err } = await run(['report', 'x', '--json', ...base(dir)], { TILL_CUTOFF_HOUR: '6' });
    expect(code).toBe(EXIT.ok);
    expect(err.join('\n')).toMatch(/training mode/);
    const report = json().report as Record<string, unknown>;
    expect(report).toMatchObject({ kind: 'x', udid: UDID, training: true, timeZone: HK, businessDayCutoffHour: 6, periodStartMs: NOW - 3 * H });
    expect(report.currencies).toEqual([
      expect.objectContaining({ currency: 'HKD', paidCount: 1, grossMinor: 1230, refundCount: 1, refundMinor: 230, netMinor: 1000, expiredCount: 1 }),
      expect.objectContaining({ currency: 'JPY', paidCount: 1, grossMinor: 500 }),
    ]);
    expect((await run(['report', 'x', '--json', '--cutoff-hour', '0', ...base(dir)])).json()).toMatchObject({ report: { businessDayCutoffHour: 0 } });
    expect((await run(['report', 'z', '--list', '--json', ...base(dir)])).json()).toEqual({ zReports: [] });
  });

  it('x as text', async () => {
    const dir = dataDirWith(someSales);
    const { code, out } = await run(['report', 'x', ...base(dir)]);
    expect(code).toBe(EXIT.ok);
    expect(out[0]).toBe(`X report  till ${UDID}  TRAINING (not real money)`);
    expect(out.join('\n')).toMatch(/HKD {2}paid 1 {2}gross 12\.30 {2}refunds 1 {2}refunded 2\.30 {2}net 10\.00/);
    expect(out.join('\n')).toMatch(/JPY {2}paid 1 {2}gross 500 /);
  });

  it('z takes and prints the number and hash; --list and --number reprint it; a missing number exits 2', async () => {
    const dir = dataDirWith(someSales);
    const taken = await run(['report', 'z', '--yes', ...base(dir)]);
    expect(taken.code).toBe(EXIT.ok);
    const hashLine = taken.out.find((l) => l.startsWith('Z 1  sha256 '));
    expect(hashLine).toMatch(/^Z 1 {2}sha256 [0-9a-f]{64}$/);
    const sha = hashLine!.slice(-64);
    expect(taken.err.join('\n')).toContain(`Z 1 taken and stored (sha256 ${sha})`);

    const list = await run(['report', 'z', '--list', '--json', ...base(dir)]);
    expect(list.json()).toEqual({ zReports: [expect.objectContaining({ zNumber: 1, sha256: sha })] });
    expect((await run(['report', 'z', '--list', ...base(dir)])).out).toEqual([expect.stringMatching(new RegExp(`^Z 1 .*sha256 ${sha}$`))]);

    const again = await run(['report', 'z', '--number', '1', '--json', ...base(dir)]);
    expect(again.code).toBe(EXIT.ok);
    expect(again.json()).toMatchObject({ intact: true, report: { kind: 'z', zNumber: 1, sha256: sha } });

    const file = join(dir, 'z1.html');
    const html = await run(['report', 'z', '--number', '1', '--html', 'a4', '--out', file, '--language', 'zh-Hant', ...base(dir)]);
    expect(html.code).toBe(EXIT.ok);
    const page = readFileSync(file, 'utf8');
    expect(page).toContain('Z 報表（日結） #1');
    expect(page).toContain(sha);
    expect(page).toContain('已核對：產生後未被更改（指紋相符）');
    expect(page).not.toContain('<script');

    const receipt = await run(['report', 'z', '--number', '1', '--html', 'receipt', ...base(dir)]);
    expect(receipt.out.join('\n')).toMatch(/^<!DOCTYPE html>[\s\S]*size: 80mm auto[\s\S]*<\/html>$/);

    const missing = await run(['report', 'z', '--number', '2', '--json', ...base(dir)]);
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.json()).toEqual({ error: { code: 'not_found', message: `no Z report 2 for till ${UDID}`, field: 'number', outTradeNo: null } });

    // The next Z starts where Z 1 ended and is empty.
    const z2 = await run(['report', 'z', '--yes', '--json', ...base(dir)]);
    expect(z2.json()).toMatchObject({ report: { zNumber: 2, currencies: [] } });
  });

  it('z is refused with exit 1 while a sale is open, listing it', async () => {
    const dir = dataDirWith((journal) => {
      someSales(journal);
      // A QR still on screen for 25 minutes: recovery resumes it, it stays open.
      addSale(journal, 'S-OPEN', { amountMinor: 100, createdAtMs: Date.now() - 5 * 60_000, state: 'awaiting_scan' });
    });
    const text = await run(['report', 'z', '--yes', ...base(dir)]);
    expect(text.code).toBe(EXIT.failed);
    expect(text.err).toContain('  open sale S-OPEN');
    expect(text.err.join('\n')).toMatch(/cannot take a Z: 1 sale\(s\) and 0 refund\(s\) are still open/);
    const json = await run(['report', 'z', '--yes', '--json', ...base(dir)]);
    expect(json.code).toBe(EXIT.failed);
    expect(json.json()).toMatchObject({ error: { code: 'open_work', openSales: ['S-OPEN'], openRefunds: [] } });
    expect((await run(['report', 'z', '--list', '--json', ...base(dir)])).json()).toEqual({ zReports: [] });
  });

  it('a reprint says so (exit 1) when the stored content no longer matches its hash', async () => {
    const dir = dataDirWith(someSales);
    expect((await run(['report', 'z', '--yes', ...base(dir)])).code).toBe(EXIT.ok);
    // Tamper with a copy: the triggers refuse changes, so drop them there first.
    const copyDir = join(tempDir(), 'copy');
    mkdirSync(copyDir);
    const original = openDatabase(join(dir, 'training-journal.sqlite'));
    original.exec(`VACUUM INTO '${join(copyDir, 'training-journal.sqlite')}'`);
    original.close();
    const copy = openDatabase(join(copyDir, 'training-journal.sqlite'));
    copy.exec('DROP TRIGGER z_reports_immutable_update');
    copy.exec(`UPDATE z_reports SET content = replace(content, '"grossMinor":1230', '"grossMinor":1')`);
    copy.close();

    const reprint = await run(['report', 'z', '--number', '1', ...base(copyDir)]);
    expect(reprint.code).toBe(EXIT.failed);
    expect(reprint.err.join('\n')).toMatch(/THE STORED CONTENT NO LONGER MATCHES ITS SHA-256/);
    const html = await run(['report', 'z', '--number', '1', '--html', 'receipt', ...base(copyDir)]);
    expect(html.out.join('\n')).toContain('CHANGED AFTER IT WAS TAKEN — the fingerprint no longer matches');
    expect((await run(['report', 'z', '--number', '1', ...base(dir)])).code).toBe(EXIT.ok);
  });

  it.each([
    [['report'], /give x or z/],
    [['report', 'y'], /give x or z/],
    [['report', 'x', '--list'], /--list and --number are for Z reports/],
    [['report', 'z', '--list', '--number', '1'], /not both/],
    [['report', 'z', '--number', 'one'], /--number must be a whole number/],
    [['report', 'x', '--html', 'letter'], /--html must be receipt or a4/],
    [['report', 'x', '--out', 'x.html'], /give --html receipt or a4 too/],
    [['report', 'x', '--language', 'fr'], /--language must be en, zh-Hant or zh-Hans/],
    [['report', 'x', '--cutoff-hour', '24'], /--cutoff-hour must be from 0 to 23/],
    [['reconcile', '--from', 'yesterday'], /--from "yesterday" is not an ISO date/],
    [['reconcile', '--to', '2026-02-30'], /--to "2026-02-30" is not an ISO date/],
    [['reconcile', '--time-zone', 'Mars/Olympus'], /Mars\/Olympus is not a time zone/],
    [['export', 'xlsx'], /till export csv/],
    [['export', 'csv', '--json'], /give --out FILE too/],
  ])('%j exits 2 and names the problem', async (argv, problem) => {
    const dir = tempDir();
    const { code, err } = await run([...argv, '--data-dir', dir]);
    expect(code).toBe(EXIT.usage);
    expect(err.join('\n')).toMatch(problem);
  });
});

describe('till report z asks before closing the period', () => {
  it('without --yes and no terminal to ask: refused with exit 2, nothing taken', async () => {
    const dir = dataDirWith(someSales);
    const refused = await run(['report', 'z', ...base(dir)]);
    expect(refused.code).toBe(EXIT.usage);
    expect(refused.err[0]).toBe('till report: taking a Z closes the period and cannot be undone: add --yes to confirm (stdin is not a terminal, so the command cannot ask)');
    const json = await run(['report', 'z', '--json', ...base(dir)]);
    expect(json.code).toBe(EXIT.usage);
    expect(json.json()).toMatchObject({ error: { code: 'usage', field: 'yes' } });
    expect((await run(['report', 'z', '--list', '--json', ...base(dir)])).json()).toEqual({ zReports: [] });
  });

  it('at a terminal it asks: "no" takes nothing (exit 1), "yes" takes the Z', async () => {
    const dir = dataDirWith(someSales);
    const questions: string[] = [];
    const declined = await run(['report', 'z', ...base(dir)], {}, async (q) => (questions.push(q), false));
    expect(declined.code).toBe(EXIT.failed);
    expect(declined.err).toContain('no Z taken');
    expect(questions).toEqual([`Take a Z report for ${UDID}? It closes the period since the last Z and cannot be undone.`]);
    expect((await run(['report', 'z', '--list', '--json', ...base(dir)])).json()).toEqual({ zReports: [] });
    const accepted = await run(['report', 'z', '--json', ...base(dir)], {}, async () => true);
    expect(accepted.code).toBe(EXIT.ok);
    expect(accepted.json()).toMatchObject({ report: { kind: 'z', zNumber: 1 } });
  });

  it('--yes is only for taking a Z', async () => {
    const dir = dataDirWith(someSales);
    for (const argv of [['report', 'x', '--yes'], ['report', 'z', '--list', '--yes'], ['report', 'z', '--number', '1', '--yes']]) {
      const r = await run([...argv, ...base(dir)]);
      expect(r.code, argv.join(' ')).toBe(EXIT.usage);
      expect(r.err[0]).toMatch(/--yes confirms taking a Z/);
    }
  });
});

describe('till reconcile', () => {
  async function plantedSetup(disagree: boolean) {
    const sim = await startSimulator({ seed: 3, timeZone: HK, refundNeedsCover: false, refundCutoffWindow: false });
    sims.push(sim);
    const device = new QfpayClient({ baseUrl: sim.baseUrl, ...TRAINING_CREDENTIALS, udid: UDID, timeZone: HK });
    const order = async (id: string, txamt: number) => {
      const created = await device.payment({ txamt, txcurrcd: 'HKD', out_trade_no: id });
      if (created.kind !== 'answered' || !created.answer.syssn) throw new Error('planting failed');
      sim.pay({ out_trade_no: id });
      return created.answer.syssn;
    };
    const ok = await order('till-cli-S-OK', 1230);
    const differs = disagree ? await order('till-cli-S-AMOUNT', 1000) : undefined;
    if (disagree) await new QfpayClient({ baseUrl: sim.baseUrl, ...TRAINING_CREDENTIALS, timeZone: HK }).payment({ txamt: 50, txcurrcd: 'HKD', out_trade_no: 'NO-UDID-1' });
    const dir = dataDirWith((journal) => {
      const at = Date.now() - 60_000;
      addSale(journal, 'till-cli-S-OK', { amountMinor: 1230, createdAtMs: at, state: 'paid', syssn: ok });
      if (differs) addSale(journal, 'till-cli-S-AMOUNT', { amountMinor: 1200, createdAtMs: at + 1, state: 'paid', syssn: differs });
    }, sim.baseUrl);
    return { dir, env: { QFPAY_BASE_URL: sim.baseUrl } };
  }

  it('--json prints exactly one object with the five arrays; disagreements exit 1', async () => {
    const { dir, env } = await plantedSetup(true);
    const { code, out, json } = await run(['reconcile', '--json', ...base(dir)], env);
    expect(code).toBe(EXIT.failed);
    expect(out.join('\n').trim().startsWith('{')).toBe(true);
    const result = json();
    expect(Object.keys(result)).toEqual(['period', 'complete', 'matched', 'onlyInJournal', 'onlyAtQfpay', 'stateDiffers', 'amountDiffers', 'totals', 'problems']);
    expect(result.complete).toBe(true);
    expect(result.matched).toEqual([expect.objectContaining({ out_trade_no: 'till-cli-S-OK', order_type: 'payment', syssn: expect.stringMatching(/^\d{26}$/) })]);
    expect(result.amountDiffers).toEqual([
      expect.objectContaining({ out_trade_no: 'till-cli-S-AMOUNT', journal: { amountMinor: 1200, currency: 'HKD', state: 'paid', payType: '800201' }, qfpay: expect.objectContaining({ amountMinor: 1000, respcd: '0000', state: 'paid', payType: '800201' }), payType: '800201', reason: expect.any(String) }),
    ]);
    expect(result.onlyAtQfpay).toEqual([expect.objectContaining({ out_trade_no: 'NO-UDID-1', journal: null, reason: expect.stringMatching(/udid is unknown/) })]);
    expect(result.onlyInJournal).toEqual([]);
    expect(result.stateDiffers).toEqual([]);
  });

  it('as text, and exit 0 when everything agrees', async () => {
    const { dir, env } = await plantedSetup(false);
    const { code, out } = await run(['reconcile', ...base(dir)], env);
    expect(code).toBe(EXIT.ok);
    expect(out[0]).toMatch(/^reconciliation .* \(Asia\/Hong_Kong\): complete$/);
    expect(out[1]).toBe('matched 1, state differs 0, amount differs 0, only in the journal 0, only at QFPay 0');
    expect(out).toContain('HKD  QFPay confirms: paid 1  gross 12.30  refunds 0  refunded 0.00');
  });

  it('--from/--to choose the period (ISO, with or without an offset)', async () => {
    const { dir, env } = await plantedSetup(true);
    const { json } = await run(['reconcile', '--json', '--from', '2020-01-01', '--to', '2020-01-01T06:00:00+08:00', ...base(dir)], env);
    expect(json()).toMatchObject({ period: { fromMs: hk(2020, 1, 1, 0), toMs: hk(2020, 1, 1, 6) }, complete: true, matched: [], onlyAtQfpay: [] });
  });
});

describe('till export csv', () => {
  it('writes the CSV to stdout byte for byte, or to --out', async () => {
    const dir = dataDirWith(someSales);
    const { code, out, err } = await run(['export', 'csv', ...base(dir)], { TILL_SHOP_NAME: '陳記' });
    expect(code).toBe(EXIT.ok);
    expect(out).toHaveLength(1);
    expect(err.at(-1)).toMatch(/^4 rows \(/);
    const csv = `${out[0]}\n`;
    expect(csv.startsWith('\uFEFFtype,out_trade_no,syssn,state,amount,currency,created,settled,refund_of,goods_name,udid,training,shop,tender,tender_name\r\n')).toBe(true);
    expect(csv).toMatch(/,till-cli,true,陳記,800201,WeChat Pay QR\r\n/);
    expect(csv.split('\r\n')).toHaveLength(6);
    expect(csv).toContain(',"咖啡, ""大""",');
    expect(csv).toMatch(/\r\nsale,S-2,"=""\d+""",paid,500,JPY,/);

    const file = join(dir, 'sales.csv');
    const written = await run(['export', 'csv', '--out', file, '--json', '--shop-name', '陳記', ...base(dir)]);
    expect(written.code).toBe(EXIT.ok);
    expect(written.json()).toMatchObject({ out: file, rows: 4 });
    const bytes = readFileSync(file);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.toString('utf8')).toBe(csv);

    // An empty period: the header alone, and the command line says "0 rows".
    const none = await run(['export', 'csv', '--from', '2020-01-01', '--to', '2020-01-02', ...base(dir)]);
    expect(`${none.out[0]}\n`).toBe('\uFEFFtype,out_trade_no,syssn,state,amount,currency,created,settled,refund_of,goods_name,udid,training,shop,tender,tender_name\r\n');
    expect(none.err.at(-1)).toBe('0 rows (2020-01-01 00:00 → 2020-01-02 00:00 (Asia/Hong_Kong))');
    const noneToFile = await run(['export', 'csv', '--from', '2020-01-01', '--to', '2020-01-02', '--out', join(dir, 'none.csv'), ...base(dir)]);
    expect(noneToFile.err.at(-1)).toBe(`wrote 0 rows to ${join(dir, 'none.csv')}`);
  });

  it('a shop name with a control character is refused before anything is opened', async () => {
    const r = await run(['export', 'csv', '--shop-name', 'Chan\u202eKee', ...base(tempDir('till-report-cli-'))]);
    expect(r.code).toBe(EXIT.usage);
    expect(r.err[0]).toMatch(/--shop-name must be/);
  });
});

describe('parseInstant', () => {
  it('reads ISO with an offset exactly, and without one in the merchant zone', () => {
    expect(parseInstant('2026-11-26T04:00:00+08:00', 'UTC', 'from')).toBe(hk(2026, 11, 26, 4));
    expect(parseInstant('2026-11-26T04:00:00+0800', 'UTC', 'from')).toBe(hk(2026, 11, 26, 4));
    expect(parseInstant('2026-11-25T20:00:00Z', HK, 'from')).toBe(hk(2026, 11, 26, 4));
    expect(parseInstant('2026-11-26T04:00', HK, 'from')).toBe(hk(2026, 11, 26, 4));
    expect(parseInstant('2026-11-26 04:00:00.250', HK, 'from')).toBe(hk(2026, 11, 26, 4) + 250);
    expect(parseInstant('2026-11-26', HK, 'from')).toBe(hk(2026, 11, 26, 0));
    expect(() => parseInstant('26/11/2026', HK, 'from')).toThrow(/not an ISO date/);
    expect(() => parseInstant('2026-13-01', HK, 'to')).toThrow(/--to/);
  });
});
