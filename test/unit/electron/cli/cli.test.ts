import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { main } from '../../../../electron/cli';
import { EXIT } from '../../../../electron/cli/io';
import { QfpayClient } from '../../../../electron/qfpay/client';
import { TRAINING_CREDENTIALS, startSimulator } from '../../../../electron/simulator/server';
import { capture, stopper, within } from './support';

// `till` called in-process: main(argv, { env, io, stopSignal }) with a
// capturing io, so the tests see exactly what a support engineer sees.

async function run(argv: string[], env: NodeJS.ProcessEnv = {}) {
  const c = capture();
  const code = await main(argv, { env, io: c.io, stopSignal: new Promise<void>(() => undefined) });
  return { code, out: c.out, err: c.err };
}

// API.md's example: txamt=100, mchid=ZaMVg12345, txcurrcd=HKD, key abcd1234.
const EXAMPLE = ['txamt=100', 'mchid=ZaMVg12345', 'txcurrcd=HKD'];
const EXAMPLE_STRING = 'mchid=ZaMVg12345&txamt=100&txcurrcd=HKD';
const hash = (algorithm: string, text: string) => createHash(algorithm).update(text, 'utf8').digest('hex').toUpperCase();

describe('till sign', () => {
  it("prints API.md's example: the signed string with <client_key>, then the MD5 signature", async () => {
    const { code, out, err } = await run(['sign', '--client-key', 'abcd1234', ...EXAMPLE]);
    expect(code).toBe(EXIT.ok);
    expect(out).toEqual([`${EXAMPLE_STRING}<client_key>`, '3CB3AA9C21D818AB4CAFAA8FA3FEACF4']);
    expect(out[1]).toBe(hash('md5', `${EXAMPLE_STRING}abcd1234`));
    expect(err).toEqual([]);
    expect(out.join('\n')).not.toContain('abcd1234');
  });

  it('takes the key from QFPAY_CLIENT_KEY', async () => {
    const { code, out } = await run(['sign', ...EXAMPLE], { QFPAY_CLIENT_KEY: 'abcd1234' });
    expect(code).toBe(EXIT.ok);
    expect(out[1]).toBe('3CB3AA9C21D818AB4CAFAA8FA3FEACF4');
  });

  it('--json prints one JSON document', async () => {
    const { code, out } = await run(['sign', '--client-key', 'abcd1234', '--json', ...EXAMPLE]);
    expect(code).toBe(EXIT.ok);
    expect(JSON.parse(out.join('\n'))).toEqual({
      algorithm: 'MD5',
      signedString: `${EXAMPLE_STRING}<client_key>`,
      signature: '3CB3AA9C21D818AB4CAFAA8FA3FEACF4',
      skipped: [],
    });
  });

  it('--algorithm SHA256 (any case) signs with SHA-256', async () => {
    const { code, out } = await run(['sign', '--algorithm', 'sha256', '--client-key', 'abcd1234', ...EXAMPLE]);
    expect(code).toBe(EXIT.ok);
    expect(out).toEqual([`${EXAMPLE_STRING}<client_key>`, hash('sha256', `${EXAMPLE_STRING}abcd1234`)]);
    expect(out[1]).toBe('99D9F7174823928B74C74B1C7A7E1538DF733774DD21C9606A202CB8BB3D74E8');
  });

  it('leaves empty parameters out of the signed string and says so on stderr', async () => {
    const { code, out, err } = await run(['sign', '--client-key', 'abcd1234', ...EXAMPLE, 'udid=']);
    expect(code).toBe(EXIT.ok);
    expect(out[0]).toBe(`${EXAMPLE_STRING}<client_key>`);
    expect(err.join('\n')).toMatch(/udid is empty/);
  });

  it.each([
    [['sign', ...EXAMPLE], /client-key|QFPAY_CLIENT_KEY/],
    [['sign', '--client-key', 'k', '--algorithm', 'SHA1', ...EXAMPLE], /--algorithm must be MD5 or SHA256/],
    [['sign', '--client-key', 'k'], /at least one name=value/],
    [['sign', '--client-key', 'k', 'txamt'], /"txamt" is not name=value/],
    [['sign', '--client-key', 'k', '=100'], /"=100" is not name=value/],
    [['sign', '--client-key', 'k', 'txamt=1', 'txamt=2'], /txamt is given twice/],
    [['sign', '--client-key', 'k', 'txamt='], /every parameter is empty/],
    [['sign', '--client-key', 'k', '--colour', 'txamt=1'], /colour/],
  ])('%j exits 2 and names the problem', async (argv, problem) => {
    const { code, out, err } = await run(argv);
    expect(code).toBe(EXIT.usage);
    expect(err.join('\n')).toMatch(problem);
    expect(err.join('\n')).toMatch(/usage: till sign/);
    expect(out).toEqual([]);
  });

  it('a usage error with --json also prints a JSON error naming the field', async () => {
    const { code, out } = await run(['sign', '--json', '--algorithm', 'SHA1', '--client-key', 'k', 'a=1']);
    expect(code).toBe(EXIT.usage);
    expect(JSON.parse(out.join('\n'))).toEqual({ error: { code: 'usage', field: 'algorithm', outTradeNo: null, message: '--algorithm must be MD5 or SHA256' } });
  });
});

describe('till (no command, help, unknown command)', () => {
  it('an unknown command exits 2 and names it', async () => {
    const { code, err } = await run(['pay']);
    expect(code).toBe(EXIT.usage);
    expect(err.join('\n')).toMatch(/unknown command "pay"/);
  });

  it('no command prints help and exits 2; help exits 0', async () => {
    const none = await run([]);
    expect(none.code).toBe(EXIT.usage);
    expect(none.out.join('\n')).toMatch(/till simulator/);
    const help = await run(['help']);
    expect(help.code).toBe(EXIT.ok);
    expect(help.out.join('\n')).toMatch(/till sign/);
  });

  it('<command> --help prints that command\'s usage and exits 0', async () => {
    const { code, out } = await run(['sign', '--help']);
    expect(code).toBe(EXIT.ok);
    expect(out).toEqual([expect.stringMatching(/^usage: till sign /)]);
  });
});

describe('till simulator', () => {
  it('prints its base URL first, serves signed payments, and stops when asked', async () => {
    const c = capture();
    const { signal, stop } = stopper();
    const running = main(['simulator', '--port', '0', '--seed', '5'], { env: {}, io: c.io, stopSignal: signal });

    const url = await within(c.firstLine, 5_000, 'the first line');
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(c.out.join('\n')).toContain(TRAINING_CREDENTIALS.appCode);

    const client = new QfpayClient({ baseUrl: url, appCode: TRAINING_CREDENTIALS.appCode, clientKey: TRAINING_CREDENTIALS.clientKey });
    const outcome = await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: 'CLI-1' });
    expect(outcome.kind === 'answered' && outcome.answer.respcd).toBe('0000');
    const orders = (await (await fetch(`${url}/__sim/orders`)).json()) as { orders: Array<{ out_trade_no: string }> };
    expect(orders.orders.map((o) => o.out_trade_no)).toEqual(['CLI-1']);

    stop();
    expect(await within(running, 5_000, 'the simulator to stop')).toBe(EXIT.ok);
    await expect(fetch(`${url}/__sim/orders`)).rejects.toThrow();
  });

  it('--json prints the base URL, then one JSON line; custom credentials are used and the key is not echoed', async () => {
    const c = capture();
    const { signal, stop } = stopper();
    const running = main(['simulator', '--json', '--app-code', 'MYAPPCODE1', '--client-key', 'mySecretKey9', '--mchid', 'Zb8MxQ2rT5vW9yA1cE4gJ7kN0p'], {
      env: {},
      io: c.io,
      stopSignal: signal,
    });
    const url = await within(c.firstLine, 5_000, 'the first line');
    const info = JSON.parse(c.out[1]!) as Record<string, unknown>;
    expect(info).toMatchObject({ baseUrl: url, appCode: 'MYAPPCODE1', clientKey: '(as given)', mchid: 'Zb8MxQ2rT5vW9yA1cE4gJ7kN0p' });
    expect(c.out.join('\n')).not.toContain('mySecretKey9');

    const client = new QfpayClient({ baseUrl: url, appCode: 'MYAPPCODE1', clientKey: 'mySecretKey9', mchid: 'Zb8MxQ2rT5vW9yA1cE4gJ7kN0p' });
    const outcome = await client.payment({ txamt: 500, txcurrcd: 'HKD', out_trade_no: 'CLI-2' });
    expect(outcome.kind === 'answered' && outcome.answer.respcd).toBe('0000');
    stop();
    expect(await within(running, 5_000, 'the simulator to stop')).toBe(EXIT.ok);
  });

  it.each([
    [['simulator', '--port', 'abc'], /--port must be a whole number/],
    [['simulator', '--port', '70000'], /--port must be from 0 to 65535/],
    [['simulator', '--seed', '-1'], /seed/],
    [['simulator', '--time-zone', 'Mars/Olympus_Mons'], /--time-zone Mars\/Olympus_Mons is not a time zone/],
    [['simulator', '--mchid', 'bad mchid!'], /--mchid must be 1–32 letters or digits/],
    [['simulator', '--app-code', 'ONLYAPP'], /give both --app-code and --client-key/],
    [['simulator', 'extra'], /extra/],
  ])('%j exits 2 and names the problem without listening', async (argv, problem) => {
    const { code, out, err } = await run(argv);
    expect(code).toBe(EXIT.usage);
    expect(err.join('\n')).toMatch(problem);
    expect(out).toEqual([]);
  });

  it('a port already in use exits 4 (configuration)', async () => {
    const busy = await startSimulator();
    try {
      const port = new URL(busy.baseUrl).port;
      const { code, err } = await run(['simulator', '--port', port]);
      expect(code).toBe(EXIT.config);
      expect(err.join('\n')).toContain(`cannot listen on 127.0.0.1:${port}`);
    } finally {
      await busy.close();
    }
  });
});
