import { mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Db } from '../../electron/journal/database';
import { Journal } from '../../electron/journal/journal';
import { exchangeRecorder } from '../../electron/till/exchange-log';
import { answered, orderId, startHarness, type Harness } from './support/harness';

// The real-name check and the customer's payment code go to QFPay as sent,
// and nowhere else unmasked: not the exchange record, not the journal file,
// not the simulator's log. Checked over real HTTP with a real journal.

const realName = { idCardNumber: '110101199003071233', name: '欧阳小明' };
const authCode = '134567890123456789';
const secrets = [realName.idCardNumber, realName.name, authCode, '小明', '1990030712', '1345678901234'];

let h: Harness | undefined;
let db: Db | undefined;
let dir: string | undefined;
afterEach(async () => {
  await h?.close();
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  h = db = dir = undefined;
});

function journalAt(): { journal: Journal; files: () => Buffer[] } {
  dir = mkdtempSync(join(tmpdir(), 'qfpay-real-name-'));
  db = openDatabase(join(dir, 'journal.sqlite'));
  const journal = new Journal(db, 'till-01', true);
  return { journal, files: () => readdirSync(dir!).map((name) => readFileSync(join(dir!, name))) };
}

describe('extend_info and auth_code stay masked outside the request', () => {
  it('a CPM payment with a real-name check: QFPay gets both, the journal and the log only the masked forms', async () => {
    const log: string[] = [];
    h = await startHarness({ log: (line) => log.push(line) });
    const { journal, files } = journalAt();
    const client = h.client({ onExchange: exchangeRecorder(journal) });
    const id = orderId('RN');

    const answer = answered(await client.payment({ txamt: 1230, txcurrcd: 'CNY', out_trade_no: id, pay_type: '800208', auth_code: authCode, real_name: realName }));
    expect(answer.respcd).toBe('0000');
    await client.query({ out_trade_no: id });
    await client.reversal({ out_trade_no: id, txamt: 1230 });
    // The code is the simulator's (it pays once), so the wire carried it unmasked.
    expect(answered(await client.payment({ txamt: 1230, txcurrcd: 'CNY', out_trade_no: orderId('RN'), pay_type: '800208', auth_code: authCode })).respcd).toBe('2005');

    const events = journal.events(id).filter((e) => e.kind === 'exchange');
    expect(events.map((e) => (e.data as { endpoint: string }).endpoint)).toEqual(['payment', 'query', 'reversal']);
    const request = (events[0]!.data as { request: Record<string, string> }).request;
    expect(JSON.parse(request.extend_info!)).toEqual({ user_creid: '11**************33', user_truename: '欧***' });
    expect(request.auth_code).toBe('**************6789');

    db!.pragma('wal_checkpoint(TRUNCATE)');
    const text = [JSON.stringify(journal.events(id)), ...files().map((b) => b.toString('utf8')), ...log].join('\n');
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('a refused signature (the simulator names what was signed) reaches the journal masked', async () => {
    h = await startHarness();
    const { journal } = journalAt();
    const client = h.client({ clientKey: 'notTheMerchantsKey99', onExchange: exchangeRecorder(journal) });
    const id = orderId('RN');
    const answer = answered(await client.payment({ txamt: 1230, txcurrcd: 'CNY', out_trade_no: id, pay_type: '800208', auth_code: authCode, real_name: realName }));
    expect(answer.respcd).toBe('1108');
    const recorded = JSON.stringify(journal.events(id));
    expect(recorded).toContain('1108');
    for (const secret of secrets) expect(recorded).not.toContain(secret);
  });

  it('a mistyped ID number is refused before sending: no request, and the refusal names no value', async () => {
    h = await startHarness();
    const { journal } = journalAt();
    const client = h.client({ onExchange: exchangeRecorder(journal) });
    const id = orderId('RN');
    const outcome = await client.payment({ txamt: 1230, txcurrcd: 'CNY', out_trade_no: id, real_name: { idCardNumber: '110101199003071234', name: realName.name } });
    expect(outcome.kind).toBe('invalid');
    if (outcome.kind !== 'invalid') return;
    expect(outcome.error.field).toBe('extend_info.user_creid');
    expect(outcome.error.message).not.toContain('110101199003071234');
    expect(h.sim.requestCounts.payment).toBe(0);
    expect(journal.events(id)).toEqual([]);
  });
});
