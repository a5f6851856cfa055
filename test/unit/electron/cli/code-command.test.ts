import { afterEach, describe, expect, it } from 'vitest';
import { main } from '../../../../electron/cli';
import { EXIT } from '../../../../electron/cli/io';
import { QfpayClient } from '../../../../electron/qfpay/client';
import { TRAINING_CREDENTIALS, startSimulator, type QfpaySimulator } from '../../../../electron/simulator/server';
import { HK, cleanup, tempDir } from '../reports/fixtures';
import { capture, stopper, within } from './support';

// `till charge <amount> --auth-code <digits>` against a simulator on
// 127.0.0.1 (as `till simulator` runs it): exit 0 only when paid, exactly
// one payment request per code, a code the customer never confirms reversed
// (exit 1) and QFPay shows it reversed; --pay-type picks an MPM wallet too.

const sims: QfpaySimulator[] = [];
afterEach(async () => {
  while (sims.length > 0) await sims.pop()!.close();
  cleanup();
});

const never = new Promise<void>(() => undefined);

async function setup(): Promise<{ sim: QfpaySimulator; run: (argv: string[]) => Promise<{ code: number; out: string; err: string }> }> {
  const sim = await startSimulator({ seed: 3, timeZone: HK, cpmPasswordMs: 200, refundCutoffWindow: false, refundNeedsCover: false });
  sims.push(sim);
  const dataDir = tempDir();
  // The engine's intervals (and a scanned code's 60 s window) shrunk, as the crash tests run them.
  const env = { TILL_TIMING_SCALE: '0.02' };
  const run = async (argv: string[]) => {
    const c = capture();
    const code = await main([...argv, '--data-dir', dataDir, '--base-url', sim.baseUrl, '--udid', 'till-cli', '--time-zone', HK], { env, io: { ...c.io, isTTY: false }, stopSignal: never });
    return { code, out: c.out.join('\n'), err: c.err.join('\n') };
  };
  return { sim, run };
}

describe('till charge --auth-code', () => {
  it('a code that pays at once: exit 0, one payment request, the code printed only masked', async () => {
    const { sim, run } = await setup();
    const result = await run(['charge', '12.30', '--auth-code', '134567890123456789']);
    expect(result.code).toBe(EXIT.ok);
    expect(result.out).toMatch(/PAID/);
    expect(result.out).toContain('**************6789');
    expect(result.out + result.err).not.toContain('134567890123456789');
    expect(sim.requestCounts.payment).toBe(1);
    expect(sim.orders()).toMatchObject([{ pay_type: '800208', state: 'paid', paymentRequests: 1 }]);
  });

  it('a code the customer never confirms (last digit 2): reversed, exit 1, QFPay shows it reversed', async () => {
    const { sim, run } = await setup();
    const result = await run(['charge', '12.30', '--auth-code', '134567890123456782', '--json']);
    expect(result.code).toBe(EXIT.failed);
    const final = JSON.parse(result.out.split('\n').at(-1)!) as { event: string; sale: { state: string; cancelReason: string } };
    expect(final).toMatchObject({ event: 'final', sale: { state: 'cancelled', cancelReason: 'expiry' } });
    const [order] = sim.orders();
    expect(order).toMatchObject({ state: 'reversed', paymentRequests: 1 });
    expect(order!.reversalRequests).toBeGreaterThanOrEqual(1);
    expect(sim.requestCounts.payment).toBe(1);
    // As QFPay's own query reports it: 0000 with cancel 1.
    const client = new QfpayClient({ baseUrl: sim.baseUrl, ...TRAINING_CREDENTIALS, timeoutMs: 5_000 });
    const queried = await client.query({ out_trade_no: order!.out_trade_no });
    expect(queried.kind === 'answered' && queried.answer.records).toMatchObject([{ respcd: '0000', cancel: 1 }]);
  });

  it('a password, then paid; insufficient balance failed (exit 1); --pay-type must fit the code', async () => {
    const { sim, run } = await setup();
    expect((await run(['charge', '1.00', '--auth-code', '284567890123456781'])).code).toBe(EXIT.ok);
    const poor = await run(['charge', '1.00', '--auth-code', '134567890123456783']);
    expect(poor.code).toBe(EXIT.failed);
    expect(poor.out).toContain('1201');
    const wrong = await run(['charge', '1.00', '--auth-code', '134567890123456789', '--pay-type', '800108']);
    expect(wrong.code).toBe(EXIT.usage);
    expect(sim.requestCounts.payment).toBe(2);
  });

  it('--pay-type picks a merchant-presented wallet: an Alipay QR', async () => {
    const { sim, run } = await setup();
    const result = await run(['charge', '3.00', '--pay-type', '801501', '--no-wait', '--json']);
    expect(result.code).toBe(EXIT.unknown);
    expect(result.out).toContain('https://qr.alipay.com/');
    expect(sim.orders()).toMatchObject([{ pay_type: '801501' }]);
  });

  it('Ctrl+C while the customer is confirming reverses the payment: REVERSED, exit 1', async () => {
    const { sim } = await setup();
    const dataDir = tempDir();
    const c = capture();
    const stop = stopper();
    const done = main(['charge', '5.00', '--auth-code', '284567890123456782', '--data-dir', dataDir, '--base-url', sim.baseUrl, '--udid', 'till-cli', '--time-zone', HK], {
      env: {},
      io: { ...c.io, isTTY: false },
      stopSignal: stop.signal,
    });
    await within(
      (async () => {
        while (!c.err.some((l) => l.includes('waiting for the customer'))) await new Promise((r) => setTimeout(r, 10));
      })(),
      10_000,
      'the customer confirming',
    );
    stop.stop();
    expect(await within(done, 10_000, 'the charge to end')).toBe(EXIT.failed);
    expect(c.out.join('\n')).toContain('REVERSED');
    expect(sim.orders()).toMatchObject([{ pay_type: '800108', state: 'reversed', paymentRequests: 1 }]);
  });

  it('an FPS sale cannot be refunded: till refund says so (exit 1), nothing sent to QFPay', async () => {
    const { sim, run } = await setup();
    const shown = await run(['charge', '3.00', '--pay-type', '802001', '--no-wait', '--json']);
    const id = (JSON.parse(shown.out.split('\n')[0]!) as { sale: { outTradeNo: string } }).sale.outTradeNo;
    expect(sim.pay({ out_trade_no: id }).ok).toBe(true);
    const refund = await run(['refund', id, '--json']);
    expect(refund.code).toBe(EXIT.failed);
    expect(refund.out).toContain('not_refundable');
    expect(sim.requestCounts.refund).toBe(0);
    expect(sim.orders().filter((o) => o.order_type === 'refund')).toHaveLength(0);
  });
});
