import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { chargeShown, closeAll, openTestTill } from './engine/support';

// The app's in-process training simulator (issue 10): its control API would
// let any local caller "pay" a training sale. It needs this run's random
// token, which only main holds; the app itself drives it in-process.

afterEach(closeAll);

const get = (url: string, headers: Record<string, string> = {}) => fetch(url, { headers });

describe('the training simulator opened with the till', () => {
  it('refuses /__sim/* without this run\'s token and answers with it', async () => {
    const till = await openTestTill();
    const sim = till.simulator!;
    expect(sim.controlToken).toMatch(/^[A-Za-z0-9_-]{43}$/);

    expect((await get(`${sim.baseUrl}/__sim/orders`)).status).toBe(403);
    expect((await get(`${sim.baseUrl}/__sim/orders`, { 'X-Sim-Token': 'guess' })).status).toBe(403);
    expect((await get(`${sim.baseUrl}/__sim/orders`, { 'X-Sim-Token': sim.controlToken! })).status).toBe(200);
  });

  it('a local caller without the token cannot pay a training sale; the till, in-process, can', async () => {
    const till = await openTestTill();
    await till.engine.recover();
    const sim = till.simulator!;
    const shown = await chargeShown(till, 1230);

    const forged = await fetch(`${sim.baseUrl}/__sim/pay`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ out_trade_no: shown.outTradeNo }).toString(),
    });
    expect(forged.status).toBe(403);
    expect(sim.orders().find((o) => o.out_trade_no === shown.outTradeNo)?.state).toBe('unpaid');

    expect(sim.pay({ out_trade_no: shown.outTradeNo }).ok).toBe(true);
    expect((await till.engine.whenFinal(shown.outTradeNo)).state).toBe('paid');
  });

  it('draws a new token every run and never writes it to the journal', async () => {
    const first = await openTestTill();
    const second = await openTestTill();
    const a = first.simulator!.controlToken!;
    const b = second.simulator!.controlToken!;
    expect(a).not.toBe(b);
    await first.engine.recover();
    await chargeShown(first, 500);
    // The journal, its WAL and anything else in the data folder.
    const files = readdirSync(first.dataDir);
    expect(files.length).toBeGreaterThan(0);
    for (const file of files) expect(readFileSync(join(first.dataDir, file)).includes(Buffer.from(a)), file).toBe(false);
  });
});
