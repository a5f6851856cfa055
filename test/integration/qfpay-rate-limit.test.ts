import { afterEach, describe, expect, it } from 'vitest';
import { answered, findRecord, orderId, startHarness, type Harness } from './support/harness';

// QFPay allows 400 requests a minute (and 100 a second) per merchant; above
// that it answers HTTP 429 and the request did not run. The clock is injected,
// so a minute passes in no time.

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

describe('rate limit', () => {
  it('the 401st request in a minute is refused with 429 and does not run; past the minute requests pass again', async () => {
    h = await startHarness();
    const client = h.client();
    const start = h.clock.t;
    for (let i = 0; i < 400; i++) {
      // 10 a second: under the per-second limit, 400 within 40 s.
      h.clock.t = start + i * 100;
      const outcome = await client.query({ out_trade_no: 'ANY-1' });
      if (outcome.kind !== 'answered') throw new Error(`request ${i + 1} was ${outcome.kind}`);
    }

    h.clock.t = start + 45_000;
    const id = orderId();
    const refused = await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id });
    expect(refused).toEqual({ kind: 'rate_limited', retryAfterMs: 1_000, httpStatus: 429 });
    expect(await h.order(id)).toBeUndefined();
    expect(h.sim.requestCounts.rate_limited).toBe(1);
    expect(h.sim.requestCounts.payment).toBe(0);

    // The first request (at start) leaves the one-minute window just after start + 60 s.
    h.clock.t = start + 60_000;
    const passed = answered(await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: id }));
    expect(passed.respcd).toBe('0000');
    const order = await h.order(id);
    expect(order?.paymentRequests).toBe(1);
  });

  it('with ratePerMinute 5: the 6th request is refused until the minute has passed', async () => {
    h = await startHarness({ ratePerMinute: 5 });
    const client = h.client();
    const start = h.clock.t;
    const kinds: string[] = [];
    for (let i = 0; i < 6; i++) {
      h.clock.t = start + i * 1_000;
      kinds.push((await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: `RL-${i}` })).kind);
    }
    expect(kinds).toEqual(['answered', 'answered', 'answered', 'answered', 'answered', 'rate_limited']);
    expect((await h.orders()).map((o) => o.out_trade_no)).toEqual(['RL-0', 'RL-1', 'RL-2', 'RL-3', 'RL-4']);

    h.clock.t = start + 59_999;
    expect((await client.query({ out_trade_no: 'RL-5' })).kind).toBe('rate_limited');
    h.clock.t = start + 60_000;
    expect(await findRecord(client, { out_trade_no: 'RL-5' })).toBeUndefined();
  });

  it('with ratePerSecond 3: the 4th request in one second is refused, the next second passes', async () => {
    h = await startHarness({ ratePerSecond: 3 });
    const client = h.client();
    const kinds: string[] = [];
    for (let i = 0; i < 4; i++) kinds.push((await client.query({ out_trade_no: 'ANY-1' })).kind);
    expect(kinds).toEqual(['answered', 'answered', 'answered', 'rate_limited']);
    h.advance(1_000);
    expect((await client.query({ out_trade_no: 'ANY-1' })).kind).toBe('answered');
  });

  it('is counted per app code: another app code is not held back by this one', async () => {
    h = await startHarness({ ratePerMinute: 2 });
    const client = h.client();
    for (let i = 0; i < 2; i++) expect((await client.query({ out_trade_no: 'ANY-1' })).kind).toBe('answered');
    expect((await client.query({ out_trade_no: 'ANY-1' })).kind).toBe('rate_limited');
    // Not this merchant's app code: it gets through the limiter and is refused as unknown (1106).
    const other = await h.client({ appCode: 'ANOTHERMERCHANTAPPCODE' }).query({ out_trade_no: 'ANY-1' });
    expect(other.kind === 'answered' && other.answer.respcd).toBe('1106');
  });

  it('the control API is never rate limited', async () => {
    h = await startHarness({ ratePerMinute: 1 });
    expect((await h.client().query({})).kind).toBe('answered');
    for (let i = 0; i < 5; i++) expect((await h.control('GET', '/__sim/orders')).status).toBe(200);
  });
});
