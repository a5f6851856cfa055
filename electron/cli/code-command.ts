import type { CurrencyCode } from '../../shared/currency';
import { isFinalSale } from '../../shared/sale';
import { describeHolder } from '../journal/leases';
import { EXIT, type CommandContext, type ExitCode } from './io';
import { engineErrorExit, saleExit, saleLines, waitCancellable, waitForSale } from './present';
import { STOP_GRACE_MS, timeZoneOf, withRecoveredTill } from './till-options';

// `till charge 12.30 --auth-code 134567890123456789`: the cashier scanned
// the customer's payment code (issue 13 §1). One payment request with the
// code; paid at once, or after the customer confirms on the phone, or
// reversed when the wallet's window ends. Exit 0 only when paid; reversed
// or failed 1; unknown (left open, settled by till recover) 3. The code is
// never printed: only its last 4 digits.

type Values = Parameters<typeof withRecoveredTill>[1] & { json?: boolean | undefined; 'goods-name'?: string | undefined; 'no-wait'?: boolean | undefined };

export function chargeCodeCommand(
  ctx: CommandContext,
  values: Values,
  sale: { amountMinor: number; currency: CurrencyCode; authCode: string; payType: string | undefined },
): Promise<ExitCode> {
  const { io, stopSignal, secondStop } = ctx;
  const json = values.json;
  const zone = timeZoneOf(values, ctx.env);
  return withRecoveredTill(ctx, values, async (till) => {
    const result = await till.engine.chargeCode({ amountMinor: sale.amountMinor, currency: sale.currency, goodsName: values['goods-name'], authCode: sale.authCode, payType: sale.payType });
    if (!result.ok) {
      const holder = result.error.code === 'sale_open' && result.error.outTradeNo ? till.leases.heldElsewhere(result.error.outTradeNo) : undefined;
      const error = holder ? { ...result.error, message: `another till process (${describeHolder(holder)}) has a sale open: finish it there first` } : result.error;
      return engineErrorExit(error, io, json);
    }
    const id = result.value.outTradeNo;
    if (json) io.out(JSON.stringify({ event: 'created', sale: result.value }));
    else io.out(`out_trade_no ${id}  pay type ${result.value.payType}  code ${result.value.authCodeMasked}`);
    void secondStop?.then(() => io.err(`quitting: sale ${id} was left open; till recover (or the app) will settle it with QFPay.`));

    const answered = await waitForSale(till.engine, id, (s) => s.state !== 'requesting', stopSignal);
    if (answered === 'stopped') {
      io.err(`stopped before QFPay answered: sale ${id} was left open; till recover will settle it (never by paying the code again).`);
      return EXIT.unknown;
    }
    if (!isFinalSale(answered.state)) {
      if (values['no-wait']) {
        if (json) io.out(JSON.stringify({ event: 'pending', sale: answered }));
        else for (const line of saleLines(answered, zone)) io.out(line);
        return EXIT.unknown;
      }
      io.err('waiting for the customer to confirm on the phone… (Ctrl+C reverses the payment)');
    }
    // First Ctrl+C reverses (then confirms by query) and keeps waiting for the answer; a second one quits.
    const ended = await waitCancellable(till, id, { stopSignal, secondStop }, io, { doing: 'reversing the payment' });
    if (ended === 'stopped') {
      await till.close(STOP_GRACE_MS);
      return EXIT.unknown;
    }
    if (ended.cancelled && ended.final.paidAfterCancel) io.err('THE CUSTOMER PAID BEFORE THE REVERSAL TOOK EFFECT: hand over the goods or refund.');
    return saleExit(till, id, json, io, zone);
  });
}
