import QRCode from 'qrcode';
import { isCurrencyCode } from '../../shared/currency';
import { isFinalSale, type SaleView } from '../../shared/sale';
import { parseAmountArg } from './amounts';
import { chargeCashCommand } from './cash-commands';
import { EXIT, UsageError, integerOption, parseCommandArgs, type Command, type Output } from './io';
import { chargeCodeCommand } from './code-command';
import { engineErrorExit, saleExit, saleLines, waitCancellable, waitForSale } from './present';
import { describeHolder } from '../journal/leases';
import { isTrainingCredentials, type Till } from '../till/core';
import { STOP_GRACE_MS, TILL_OPTIONS, TILL_OPTIONS_USAGE, credentialsFrom, timeZoneOf, withRecoveredTill } from './till-options';

// `till charge 12.30`: one WeChat Pay sale from the command line, through the
// same engine and journal as the app. Exit 0 only when the customer paid.
// With --json, one JSON line per event: `created` (with the QR text, so a
// script can show it), then `final`.

/** --auto-pay: the training "customer" pays this long after the QR is shown. */
export const AUTO_PAY_AFTER_MS = 3_000;

export const chargeCommand: Command = {
  name: 'charge',
  summary:
    'charge an amount and wait until it is paid, fails, expires or is cancelled (Ctrl+C cancels): a QR the customer scans (WeChat Pay, or --pay-type 801501 Alipay HK, 800101, 805801, 800701, 802001), the customer\'s payment code (--auth-code, reversed when the customer does not confirm in time), or cash',
  usage: `till charge <amount> [--pay-type P] [--auth-code DIGITS] [--cash <tendered> [--float <amount>]] [--currency HKD] [--goods-name X] [--expires MIN] [--no-wait] [--auto-pay] [--json] ${TILL_OPTIONS_USAGE}`,
  async run({ argv, env, io, stopSignal, secondStop }) {
    const { values, positionals } = parseCommandArgs(argv, {
      ...TILL_OPTIONS,
      currency: { type: 'string' },
      'goods-name': { type: 'string' },
      expires: { type: 'string' },
      'no-wait': { type: 'boolean' },
      'auto-pay': { type: 'boolean' },
      cash: { type: 'string' },
      float: { type: 'string' },
      'auth-code': { type: 'string' },
      'pay-type': { type: 'string' },
    });
    if (positionals.length !== 1) throw new UsageError('give exactly one amount, e.g. till charge 12.30');
    const currency = (values.currency ?? env.TILL_CURRENCY ?? 'HKD').toUpperCase();
    if (!isCurrencyCode(currency)) throw new UsageError(`--currency ${currency} is not a QFPay currency`, 'currency');
    const amountMinor = parseAmountArg(positionals[0]!, currency);
    // Cash: no QFPay at all, so none of the waiting below (cash-commands.ts).
    if (values.cash !== undefined) return chargeCashCommand({ argv, env, io, stopSignal }, values, { amountMinor, currency, tendered: values.cash, float: values.float });
    if (values.float !== undefined) throw new UsageError('--float is the opening float of a cash sale: use it with --cash', 'float');
    const payType = values['pay-type'];
    if (values['auth-code'] !== undefined) {
      // The customer's code: no QR, no QR lifetime, no training customer to play (the code's last digit plays it).
      if (values.expires !== undefined || values['auto-pay']) throw new UsageError('--expires and --auto-pay are for a QR: not with --auth-code', 'auth-code');
      return chargeCodeCommand({ argv, env, io, stopSignal, secondStop }, values, { amountMinor, currency, authCode: values['auth-code'], payType });
    }
    const expiredMinutes = integerOption(values.expires, 'expires', 5, 120);
    if (values['auto-pay'] && values['no-wait']) throw new UsageError('--auto-pay waits for the payment: not with --no-wait', 'auto-pay');
    const zone = timeZoneOf(values, env);
    const json = values.json;

    if (values['auto-pay'] && !isTrainingCredentials(credentialsFrom(values, env))) throw new UsageError('--auto-pay is for training only: a real customer pays with WeChat', 'auto-pay');

    return withRecoveredTill({ env, io, stopSignal }, values, async (till) => {
      const result = await till.engine.charge({ amountMinor, currency, goodsName: values['goods-name'], expiredMinutes, payType });
      if (!result.ok) {
        // The open sale in the way may be another process's (the app's): say which, so the cashier looks there.
        const holder = result.error.code === 'sale_open' && result.error.outTradeNo ? till.leases.heldElsewhere(result.error.outTradeNo) : undefined;
        const error = holder ? { ...result.error, message: `another till process (${describeHolder(holder)}) has a sale open: finish it there first` } : result.error;
        return engineErrorExit(error, io, json);
      }
      const id = result.value.outTradeNo;
      if (!json) io.out(`out_trade_no ${id}`);
      // A second Ctrl+C quits at once: say which sale is left open and who settles it.
      void secondStop?.then(() => io.err(`quitting: sale ${id} was left open; till recover (or the app) will settle it with QFPay.`));

      // Every QR the sale shows (a re-issued order brings a new one) is printed once, as it appears.
      let shownQr: string | null = null;
      let showing: Promise<void> = Promise.resolve();
      const show = (sale: SaleView) => {
        if (sale.state !== 'awaiting_scan' || !sale.qrcode || sale.qrcode === shownQr) return;
        const first = shownQr === null;
        shownQr = sale.qrcode;
        showing = showing.then(() => showQr(sale, { json, noWait: values['no-wait'] === true, io }));
        if (first && till.training && !values['no-wait']) trainingCustomer(till, id, values['auto-pay'] === true, io);
      };
      const off = till.engine.onSale((sale) => {
        if (sale.outTradeNo === id) show(sale);
      });
      try {
        const answered = await waitForSale(till.engine, id, (s) => s.state !== 'requesting', stopSignal);
        if (answered === 'stopped') {
          io.err(`stopped before QFPay answered: sale ${id} was left open; till recover will settle it.`);
          return EXIT.unknown;
        }
        show(answered);
        await showing;
        if (values['no-wait'] && !isFinalSale(answered.state)) {
          if (!json) for (const line of saleLines(answered, zone)) io.out(line);
          else if (shownQr === null) io.out(JSON.stringify({ event: 'pending', sale: answered }));
          return EXIT.unknown;
        }
        if (isFinalSale(answered.state)) return saleExit(till, id, json, io, zone);

        // First Ctrl+C cancels (close-then-confirm) and keeps waiting for the answer; a second one quits.
        const ended = await waitCancellable(till, id, { stopSignal, secondStop }, io, { doing: 'cancelling the sale' });
        if (ended === 'stopped') {
          await till.close(STOP_GRACE_MS);
          return EXIT.unknown;
        }
        await showing;
        if (ended.cancelled && ended.final.paidAfterCancel) io.err('THE CUSTOMER PAID BEFORE THE CANCEL TOOK EFFECT: hand over the goods or refund.');
        return saleExit(till, id, json, io, zone);
      } finally {
        off();
      }
    });
  },
};

async function showQr(sale: SaleView, how: { json: boolean | undefined; noWait: boolean; io: Output }): Promise<void> {
  const { io } = how;
  if (how.json) {
    io.out(JSON.stringify({ event: 'created', sale }));
    return;
  }
  io.out(`qrcode ${sale.qrcode}`);
  // The drawn QR is ANSI art: for a terminal only, never into a pipe or a file.
  if (io.isTTY) io.out(await QRCode.toString(sale.qrcode!, { type: 'terminal', small: true, errorCorrectionLevel: 'M' }));
  io.err(how.noWait ? 'not waiting: see it later with till status' : 'waiting for the customer… (Ctrl+C cancels the sale)');
}

/**
 * Training has no customer with WeChat: say how to play one, or (--auto-pay)
 * be one, paying the order a few seconds after the QR is shown.
 */
function trainingCustomer(till: Till, id: string, autoPay: boolean, io: Output): void {
  if (!autoPay) {
    io.err(`training: play the customer with  curl -d out_trade_no=${id} ${till.baseUrl}/__sim/pay  (or run with --auto-pay)`);
    return;
  }
  io.err(`training: the customer pays in ${AUTO_PAY_AFTER_MS / 1000} seconds…`);
  const timer = setTimeout(() => {
    trainingPay(till, id).catch((error: unknown) => io.err(`training: the customer could not pay: ${error instanceof Error ? error.message : String(error)}`));
  }, AUTO_PAY_AFTER_MS);
  timer.unref();
  const stop = () => clearTimeout(timer);
  void till.engine.whenFinal(id).then(stop, stop);
}

/** The training customer pays: in-process, or through the outside simulator's control endpoint. */
async function trainingPay(till: Till, id: string): Promise<void> {
  if (till.simulator) {
    till.simulator.pay({ out_trade_no: id });
    return;
  }
  await fetch(`${till.baseUrl}/__sim/pay`, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ out_trade_no: id }) });
}

