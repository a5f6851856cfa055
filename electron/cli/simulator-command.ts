import { MCHID } from '../qfpay/params';
import { TRAINING_CREDENTIALS, startSimulator } from '../simulator/server';
import { EXIT, UsageError, integerOption, parseCommandArgs, printError, type Command } from './io';

// `till simulator`: a QFPay simulator for training, demos and scripts. The
// first line printed is the base URL, so a script can read it and go.

export const simulatorCommand: Command = {
  name: 'simulator',
  summary: 'run the QFPay simulator on 127.0.0.1 until stopped',
  usage: 'till simulator [--port N] [--app-code A] [--client-key K] [--mchid M] [--seed N] [--time-zone TZ] [--json]',
  async run({ argv, io, stopSignal }) {
    const { values } = parseCommandArgs(
      argv,
      {
        port: { type: 'string' },
        'app-code': { type: 'string' },
        'client-key': { type: 'string' },
        mchid: { type: 'string' },
        seed: { type: 'string' },
        'time-zone': { type: 'string' },
      },
      false,
    );
    const port = integerOption(values.port, 'port', 0, 65535) ?? 0;
    const seed = integerOption(values.seed, 'seed', 0, 2 ** 32 - 1);
    const timeZone = values['time-zone'];
    if (timeZone !== undefined) {
      try {
        new Intl.DateTimeFormat('en', { timeZone });
      } catch {
        throw new UsageError(`--time-zone ${timeZone} is not a time zone`, 'time-zone');
      }
    }
    const mchid = values.mchid;
    if (mchid !== undefined && !MCHID.test(mchid)) throw new UsageError('--mchid must be 1–32 letters or digits', 'mchid');
    const custom = values['app-code'] !== undefined || values['client-key'] !== undefined;
    if (custom && (values['app-code'] === undefined || values['client-key'] === undefined)) {
      throw new UsageError('give both --app-code and --client-key, or neither for the training credentials');
    }
    const appCode = values['app-code'] ?? TRAINING_CREDENTIALS.appCode;
    const clientKey = values['client-key'] ?? TRAINING_CREDENTIALS.clientKey;

    let simulator;
    try {
      simulator = await startSimulator({ port, appCode, clientKey, mchid, seed, timeZone });
    } catch (error) {
      printError(io, values.json, { code: 'config', field: 'port', message: `cannot listen on 127.0.0.1:${port}: ${error instanceof Error ? error.message : String(error)}` });
      return EXIT.config;
    }
    io.out(simulator.baseUrl);
    const info = {
      baseUrl: simulator.baseUrl,
      appCode,
      // The training key is public; a key given on the command line is not repeated.
      clientKey: custom ? '(as given)' : clientKey,
      mchid: mchid ?? null,
      control: ['POST /__sim/pay', 'POST /__sim/fail', 'GET|POST|DELETE /__sim/faults', 'GET /__sim/orders', 'POST /__sim/advance', 'POST /__sim/reset'],
    };
    if (values.json) io.out(JSON.stringify(info));
    else {
      io.out(`app code:   ${info.appCode}`);
      io.out(`client key: ${info.clientKey}`);
      io.out(`mchid:      ${info.mchid ?? '(none: must not be sent)'}`);
      io.out(`control:    ${info.control.join(', ')}`);
      io.out('Press Ctrl+C to stop.');
    }
    await stopSignal;
    await simulator.close();
    return EXIT.ok;
  },
};
