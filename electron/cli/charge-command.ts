import QRCode from 'qrcode';
import { isCurrencyCode, parseMajorAmount } from '../../shared/currency';
import { isFinalSale } from '../../shared/sale';
import type { Till } from '../till/core';
import { EXIT, UsageError, integerOption, parseCommandArgs, type Command, type ExitCode } from './io';
import { engineErrorExit, reportRecovery, saleLines, waitForSale } from './present';
import { TILL_OPTIONS, TILL_OPTIONS_USAGE, exitForOpenError, openTillFrom } from './till-options';

// `till charge 12.30`: one WeChat Pay sale from the command line, through the
// same engine and journal as the app. Exit 0 only when the customer paid.

const AMOUNT_ERRORS: Record<string, string> = {
  empty: 'give an amount',
  not_a_number: 'is not an amount (write it as 12.30)',
  too_many_decimals: 'has more decimals than the currency allows',
  zero: 'must be more than zero',
  too_large: 'is more than QFPay accepts (99,999,999,999 minor units)',
};

export const chargeCommand: Command = {
  name: 'charge',
  summary: 'charge an amount with WeChat Pay and wait until it is paid, fails, expires or is cancelled (Ctrl+C cancels)',
  usage: `till charge <amount> [--currency HKD] [--goods-name X] [--expires MIN] [--no-wait] [--json] ${TILL_OPTIONS_USAGE}`,
  async run({ argv, env, io, stopSignal }) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...TILL_OPTIONS,
      currency: { type: 'string' },
      'goods-name': { type: 'string' },
      expires: { type: 'string' },
      'no-wait': { type: 'boolean' },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one amount, e.g. till charge 12.30');
    const currency = (values.currency ?? env.TILL_CURRENCY ?? 'HKD').toUpperCase();
    if (!isCurrencyCode(currency)) throw new UsageError(`--currency ${currency} is not a QFPay currency`, 'currency');
    const parsed = parseMajorAmount(positionals[0]!, currency);
    if (!parsed.ok) throw new UsageError(`amount "${positionals[0]}" ${AMOUNT_ERRORS[parsed.error]}`, 'amount');
    const expiredMinutes = integerOption(values.expires, 'expires', 5, 120);

    let till: Till;
    try {
      till = await openTillFrom(values, env, io);
    } catch (error) {
      if (error instanceof UsageError) throw error;
      return exitForOpenError(error, io);
    }
    try {
      reportRecovery(await till.engine.recover(), io);
      const result = await till.engine.charge({ amountMinor: parsed.amountMinor, currency, goodsName: values['goods-name'], expiredMinutes });
      if (!result.ok) return engineErrorExit(result.error, io, values.json);
      const id = result.value.outTradeNo;
      if (!values.json) io.out(`out_trade_no ${id}`);

      const shown = await waitForSale(till.engine, id, (s) => s.state !== 'requesting', stopSignal);
      if (shown === 'stopped') return EXIT.unknown;
      if (shown.qrcode) {
        if (!values.json) {
          io.out(`qrcode ${shown.qrcode}`);
          io.out(await QRCode.toString(shown.qrcode, { type: 'terminal', small: true, errorCorrectionLevel: 'M' }));
          io.err(values['no-wait'] ? 'not waiting: see it later with till status' : 'waiting for the customer… (Ctrl+C cancels the sale)');
        }
      }
      if (values['no-wait'] || isFinalSale(shown.state)) return finish(till, id, values.json, io);

      // First Ctrl+C cancels (close-then-confirm) and keeps waiting for the answer; a second one quits.
      let cancelled = false;
      const cancelOnStop = stopSignal.then(async () => {
        cancelled = true;
        io.err('cancelling the sale…');
        await till.engine.cancel(id);
      });
      const final = await waitForSale(till.engine, id, (s) => isFinalSale(s.state), new Promise<void>(() => undefined));
      void cancelOnStop;
      if (cancelled && final !== 'stopped' && final.paidAfterCancel) io.err('THE CUSTOMER PAID BEFORE THE CANCEL TOOK EFFECT: hand over the goods or refund.');
      return finish(till, id, values.json, io);
    } finally {
      await till.close();
    }
  },
};

function finish(till: Till, id: string, json: boolean | undefined, io: { out(line: string): void }): ExitCode {
  const sale = till.engine.saleViewOf(id)!;
  if (json) io.out(JSON.stringify({ sale }, null, 2));
  else for (const line of saleLines(sale)) io.out(line);
  if (sale.state === 'paid') return EXIT.ok;
  return isFinalSale(sale.state) ? EXIT.failed : EXIT.unknown;
}
