import { isFinalRefund, isFinalSale } from '../../shared/sale';
import { parseAmountArg } from './amounts';
import { EXIT, UsageError, emit, parseCommandArgs, printError, type Command } from './io';
import { engineErrorExit, refundLines, saleLines, settlingWork, waitForSale } from './present';
import { TILL_OPTIONS, TILL_OPTIONS_USAGE, timeZoneOf, withJournalTill, withRecoveredTill } from './till-options';

// `till status`, `till cancel`, `till refund`, `till recover`. Status only
// reads the journal (it answers at once, QFPay reachable or not); the others
// first resolve anything left unfinished (DESIGN.md rule 6), then do their
// one thing.

export const statusCommand: Command = {
  name: 'status',
  summary: 'show one sale (with its refunds) or the latest sales, from the journal at once (never waits for QFPay); names what is still being settled',
  usage: `till status [out_trade_no] [--limit N] [--json] ${TILL_OPTIONS_USAGE}`,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, { ...TILL_OPTIONS, limit: { type: 'string' } });
    if (positionals.length > 1) throw new UsageError('give at most one out_trade_no');
    const limit = values.limit === undefined ? 10 : Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw new UsageError('--limit must be from 1 to 500', 'limit');
    const zone = timeZoneOf(values, ctx.env);
    return withJournalTill(ctx, values, async (till) => {
      const settling = settlingWork(till);
      const id = positionals[0];
      if (id !== undefined) {
        const sale = till.engine.saleViewOf(id);
        if (!sale) {
          printError(ctx.io, values.json, { code: 'not_found', message: `no sale ${id} in ${till.journalPath}`, outTradeNo: id });
          return EXIT.usage;
        }
        const refunds = till.journal.refundsOfSale(id).map((r) => till.engine.refundViewOf(r.outTradeNo)!);
        emit(ctx.io, values.json, { sale, refunds, settling: settling.filter((w) => w.outTradeNo === id || refunds.some((r) => r.outTradeNo === w.outTradeNo)) }, () => [
          ...saleLines(sale, zone),
          ...refunds.flatMap(refundLines),
        ]);
        return EXIT.ok;
      }
      const sales = till.journal.searchSales({ limit }).map((s) => till.engine.saleViewOf(s.outTradeNo)!);
      emit(ctx.io, values.json, { udid: till.journal.udid, training: till.training, timeZone: zone, sales, settling }, () =>
        sales.length === 0 ? ['no sales yet'] : sales.flatMap((s) => saleLines(s, zone)),
      );
      return EXIT.ok;
    });
  },
};

export const cancelCommand: Command = {
  name: 'cancel',
  summary: 'cancel an open sale (close the order, then confirm); exit 1 if the customer had already paid',
  usage: `till cancel <out_trade_no> [--json] ${TILL_OPTIONS_USAGE}`,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, TILL_OPTIONS);
    if (positionals.length !== 1) throw new UsageError('give the out_trade_no of the sale to cancel');
    const id = positionals[0]!;
    const zone = timeZoneOf(values, ctx.env);
    return withRecoveredTill(ctx, values, async (till) => {
      const before = till.engine.saleViewOf(id);
      if (!before) return engineErrorExit({ code: 'not_found', message: `no sale ${id}` }, ctx.io, values.json);
      if (!isFinalSale(before.state)) {
        const result = await till.engine.cancel(id);
        if (!result.ok) return engineErrorExit(result.error, ctx.io, values.json);
        ctx.io.err('cancelling: closing the order with QFPay…');
      }
      const final = await waitForSale(till.engine, id, (s) => isFinalSale(s.state), ctx.stopSignal);
      if (final === 'stopped') {
        ctx.io.err(`stopped before QFPay confirmed: sale ${id} is still being cancelled; till recover settles it.`);
        return EXIT.unknown;
      }
      emit(ctx.io, values.json, { sale: final }, () => saleLines(final, zone));
      if (final.state === 'paid') {
        ctx.io.err(final.paidAfterCancel ? 'THE CUSTOMER PAID BEFORE THE CANCEL TOOK EFFECT: hand over the goods or refund.' : 'the sale was already paid: refund it instead');
        return EXIT.failed;
      }
      if (final.state !== 'cancelled' && final.state !== 'expired') return EXIT.failed;
      ctx.io.err(isFinalSale(before.state) ? `the sale was already ${final.state}: nothing was charged` : 'cancelled: nothing was charged');
      return EXIT.ok;
    });
  },
};

export const refundCommand: Command = {
  name: 'refund',
  summary: 'refund a paid sale, fully or partly (amount in major units, e.g. 5.00); exit 0 when refunded',
  usage: `till refund <out_trade_no> [amount] [--json] ${TILL_OPTIONS_USAGE}`,
  async run(ctx) {
    const { values, positionals } = parseCommandArgs(ctx.argv, TILL_OPTIONS);
    if (positionals.length < 1 || positionals.length > 2) throw new UsageError("give the sale's out_trade_no and optionally an amount");
    const [id, amountText] = positionals as [string, string | undefined];
    return withRecoveredTill(ctx, values, async (till) => {
      const sale = till.engine.saleViewOf(id);
      if (!sale) return engineErrorExit({ code: 'not_found', message: `no sale ${id}` }, ctx.io, values.json);
      const amountMinor = amountText === undefined ? undefined : parseAmountArg(amountText, sale.currency, 'the refund amount');
      const result = await till.engine.refund({ saleOutTradeNo: id, amountMinor });
      if (!result.ok) return engineErrorExit(result.error, ctx.io, values.json);
      let refund = result.value;
      if (!isFinalRefund(refund.state)) {
        ctx.io.err('QFPay has not confirmed the refund yet: checking…');
        refund = await Promise.race([till.engine.whenRefundFinal(refund.outTradeNo), ctx.stopSignal.then(() => till.engine.refundViewOf(refund.outTradeNo)!)]);
      }
      emit(ctx.io, values.json, { refund }, () => refundLines(refund));
      return refund.state === 'refunded' ? EXIT.ok : refund.state === 'failed' ? EXIT.failed : EXIT.unknown;
    });
  },
};

export const recoverCommand: Command = {
  name: 'recover',
  summary: 'resolve every unfinished sale and refund against QFPay (what the app does at start); Ctrl+C stops at once, leaving the journal as it was',
  usage: `till recover [--json] ${TILL_OPTIONS_USAGE}`,
  async run(ctx) {
    const { values } = parseCommandArgs(ctx.argv, TILL_OPTIONS, false);
    return withRecoveredTill(
      ctx,
      values,
      async (_till, summary) => {
        if (!summary) return EXIT.unknown;
        const elsewhere = summary.elsewhere ?? [];
        emit(ctx.io, values.json, { ...summary, elsewhere }, () => {
          const lines = [
            ...summary.sales.map((s) => `sale ${s.outTradeNo}: ${s.from} → ${s.to}`),
            ...summary.refunds.map((r) => `refund ${r.outTradeNo}: ${r.from} → ${r.to}`),
            ...elsewhere.map((e) => `${e.kind} ${e.outTradeNo}: ${e.state}, being settled by another till process (${e.holder})`),
          ];
          return lines.length ? lines : ['nothing to recover'];
        });
        return EXIT.ok;
      },
      // `till recover` settles everything it can before it exits, parked sales included.
      { reportRecovery: false, settleAll: true },
    );
  },
};
