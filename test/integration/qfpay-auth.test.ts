import { afterEach, describe, expect, it } from 'vitest';
import type { FetchLike, QfpayExchange } from '../../electron/qfpay/client';
import { answered, mustFind, orderId, startHarness, type Harness } from './support/harness';

// What QFPay checks before it looks at an order: app code, signature, mchid;
// and the opt-in check of the signature on QFPay's answers.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const realFetch = globalThis.fetch as unknown as FetchLike;

describe('authentication', () => {
  it('a wrong app code answers 1106 and creates nothing', async () => {
    h = await startHarness();
    const answer = answered(await h.client({ appCode: 'SOMEOTHERAPPCODE' }).payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() }));
    expect(answer.respcd).toBe('1106');
    expect(answer.treatment).toBe('failed');
    expect(await h.orders()).toEqual([]);
  });

  it('a wrong client key answers 1108 and creates nothing', async () => {
    h = await startHarness();
    const answer = answered(await h.client({ clientKey: 'notTheKey123' }).payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() }));
    expect(answer.respcd).toBe('1108');
    expect(answer.treatment).toBe('failed');
    expect(await h.orders()).toEqual([]);
  });

  it('SHA256 signing (X-QF-SIGNTYPE: SHA256) is accepted', async () => {
    h = await startHarness();
    const client = h.client({ signType: 'SHA256' });
    const id = orderId();
    expect(answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id })).respcd).toBe('0000');
    expect((await mustFind(client, { out_trade_no: id })).respcd).toBe('1143');
  });

  it('a tampered signature header answers 1108 and creates nothing', async () => {
    h = await startHarness();
    const tamper: FetchLike = (url, init) => {
      const signature = init.headers['X-QF-SIGN']!;
      const flipped = (signature[0] === 'A' ? 'B' : 'A') + signature.slice(1);
      return realFetch(url, { ...init, headers: { ...init.headers, 'X-QF-SIGN': flipped } });
    };
    const answer = answered(await h.client({ fetch: tamper }).payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() }));
    expect(answer.respcd).toBe('1108');
    expect(await h.orders()).toEqual([]);
  });

  it('a body altered after signing (txamt 500 → 5) answers 1108 and creates nothing', async () => {
    h = await startHarness();
    const tamper: FetchLike = (url, init) => realFetch(url, { ...init, body: init.body.replace('txamt=500', 'txamt=5') });
    const answer = answered(await h.client({ fetch: tamper }).payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() }));
    expect(answer.respcd).toBe('1108');
    expect(await h.orders()).toEqual([]);
  });

  describe('a merchant that was issued a mchid', () => {
    it('refuses a client that does not send it (1103: mchid required)', async () => {
      h = await startHarness({ mchid: 'ZaMVg12345' });
      const answer = answered(await h.client({ mchid: undefined }).payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() }));
      expect(['1103', '1104']).toContain(answer.respcd);
      expect(answer.resperr).toMatch(/mchid/);
      expect(await h.orders()).toEqual([]);
    });

    it.each([
      ['10 characters', 'ZaMVg12345'],
      ['26 characters, like QFPay\'s published test ids', 'Zb8MxQ2rT5vW9yA1cE4gJ7kN0p'],
      ['32 characters', 'Z'.repeat(32)],
    ])('works for a client that sends it (%s), on every endpoint', async (_what, mchid) => {
      h = await startHarness({ mchid });
      const client = h.client({ mchid });
      const id = orderId();
      expect(answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id })).respcd).toBe('0000');
      expect((await mustFind(client, { out_trade_no: id })).respcd).toBe('1143');
      expect(answered(await client.close({ out_trade_no: id, txamt: 500 })).respcd).toBe('0000');
    });

    it("refuses another merchant's mchid (1104)", async () => {
      h = await startHarness({ mchid: 'ZaMVg12345' });
      const answer = answered(await h.client({ mchid: 'Other99' }).payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() }));
      expect(answer.respcd).toBe('1104');
      expect(await h.orders()).toEqual([]);
    });
  });

  it('a merchant without a mchid refuses a client that sends one', async () => {
    h = await startHarness();
    const answer = answered(await h.client({ mchid: 'ZaMVg12345' }).payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() }));
    expect(answer.respcd).toBe('1104');
    expect(answer.resperr).toMatch(/mchid/);
    expect(await h.orders()).toEqual([]);
  });
});

describe('response signature', () => {
  it('is verified when the client asks for it (MD5 and SHA256)', async () => {
    h = await startHarness();
    for (const signType of ['MD5', 'SHA256'] as const) {
      const outcome = await h.client({ verifyResponseSignature: true, signType }).payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() });
      expect(outcome.kind).toBe('answered');
      expect(outcome.kind === 'answered' && outcome.signature).toBe('verified');
    }
  });

  it('is not checked by default', async () => {
    h = await startHarness();
    const outcome = await h.client().query({ out_trade_no: orderId() });
    expect(outcome.kind === 'answered' && outcome.signature).toBe('not_checked');
  });

  it('an answer altered on the way is not acted on: unknown / bad_signature', async () => {
    h = await startHarness();
    const alter: FetchLike = async (url, init) => {
      const response = await realFetch(url, init);
      const text = await response.text();
      return { status: response.status, headers: response.headers, text: async () => text.replace('"respcd":"0000"', '"respcd":"1143"') };
    };
    const id = orderId();
    const outcome = await h.client({ verifyResponseSignature: true, fetch: alter }).payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id });
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'bad_signature', httpStatus: 200 });
    // The order exists: the engine must resolve it by query, never resend.
    expect((await h.order(id))?.state).toBe('unpaid');
  });

  it('an answer without X-QF-SIGN is a mismatch: unknown / bad_signature, logged, the order resolved by query', async () => {
    h = await startHarness();
    const strip: FetchLike = async (url, init) => {
      const response = await realFetch(url, init);
      return {
        status: response.status,
        headers: { get: (name: string) => (name.toLowerCase() === 'x-qf-sign' ? null : response.headers.get(name)) },
        text: () => response.text(),
      };
    };
    const exchanges: QfpayExchange[] = [];
    const id = orderId();
    const outcome = await h.client({ verifyResponseSignature: true, fetch: strip, onExchange: (e) => exchanges.push(e) }).payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id });
    expect(outcome).toMatchObject({ kind: 'unknown', reason: 'bad_signature', httpStatus: 200 });
    expect(exchanges.map((e) => [e.outcome, e.signature, e.respcd])).toEqual([['unknown', 'absent', '0000']]);
    expect((await h.order(id))?.state).toBe('unpaid');
  });

  it('without verification, an answer without X-QF-SIGN is taken as it is', async () => {
    h = await startHarness();
    const strip: FetchLike = async (url, init) => {
      const response = await realFetch(url, init);
      return { status: response.status, headers: { get: () => null }, text: () => response.text() };
    };
    const outcome = await h.client({ fetch: strip }).payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: orderId() });
    expect(outcome).toMatchObject({ kind: 'answered', signature: 'not_checked', answer: { respcd: '0000' } });
  });
});
