import { formatMinor, isCurrencyCode, type CurrencyCode } from '../../shared/currency';
import { parseAmountArg } from './amounts';
import { EXIT, UsageError, emit, parseCommandArgs, type Command, type CommandContext, type ExitCode } from './io';
import { engineErrorExit, saleLines } from './present';
import { drawerCommand as openDrawerCommand } from './receipt-commands';
import { TILL_OPTIONS, TILL_OPTIONS_USAGE, timeZoneOf, withJournalTill } from './till-options';

// Cash from the command line (issue 13): `till charge 12.30 --cash 20`
// records a cash sale and prints the change; `till drawer` shows the drawer,
// `till drawer in|out <amount> --reason …` records paid in / paid out and
// `till drawer float <amount>` the opening float. None of them waits for
// QFPay: the journal is all they need (unfinished QFPay work is named, left
// to `till recover`).

/** A float typed as "0" is an empty drawer, not a bad amount. */
function floatArg(text: string, currency: CurrencyCode): number {
  return /^0+(\.0*)?$/.test(text.trim()) ? 0 : parseAmountArg(text, currency, 'the float');
}

type Values = Parameters<typeof withJournalTill>[1];

/** `till report z --counted HKD=497.00,CNY=20`: the cash counted in each drawer, for the Z. */
export function parseCounted(text: string | undefined): { currency: CurrencyCode; countedMinor: number }[] {
  if (text === undefined) return [];
  return text.split(',').map((part) => {
    const match = /^\s*([A-Za-z]{3})\s*=\s*(\S+)\s*$/.exec(part);
    if (!match) throw new UsageError(`--counted "${part}" is not CURRENCY=AMOUNT, e.g. --counted HKD=497.00`, 'counted');
    const currency = match[1]!.toUpperCase();
    if (!isCurrencyCode(currency)) throw new UsageError(`--counted ${currency} is not a QFPay currency`, 'counted');
    return { currency, countedMinor: floatArg(match[2]!, currency) };
  });
}

/** `till charge <amount> --cash <tendered> [--float <amount>]`: called by the charge command. */
export function chargeCashCommand(
  ctx: CommandContext,
  values: Values & { json?: boolean | undefined; 'goods-name'?: string | undefined },
  sale: { amountMinor: number; currency: CurrencyCode; tendered: string; float: string | undefined },
): Promise<ExitCode> {
  const tenderedMinor = parseAmountArg(sale.tendered, sale.currency, 'the cash handed over (--cash)');
  const openingFloatMinor = sale.float === undefined ? undefined : floatArg(sale.float, sale.currency);
  const zone = timeZoneOf(values, ctx.env);
  return withJournalTill(ctx, values, async (till) => {
    const result = till.engine.chargeCash({ amountMinor: sale.amountMinor, currency: sale.currency, goodsName: values['goods-name'], tenderedMinor, openingFloatMinor });
    if (!result.ok) {
      const error = result.error.code === 'float_required' ? { ...result.error, message: `${result.error.message}: add --float <amount> (the cash the drawer starts with)` } : result.error;
      return engineErrorExit(error, ctx.io, values.json);
    }
    const paid = result.value;
    emit(ctx.io, values.json, { event: 'final', sale: paid }, () => [
      ...saleLines(paid, zone),
      `  cash received ${formatMinor(paid.cash!.tenderedMinor, paid.currency)}  CHANGE ${formatMinor(paid.cash!.changeMinor, paid.currency)}`,
    ]);
    return EXIT.ok;
  });
}

const KINDS = { in: 'paid_in', out: 'paid_out', float: 'float' } as const;

/** `till drawer open …` (receipts: "No sale" through the printer) is the same word: its own options, its own command. */
function opensDrawer(argv: readonly string[]): boolean {
  return argv.some((arg, i) => arg === 'open' && argv[i - 1] !== '--reason' && argv[i - 1] !== '--currency');
}

export const drawerCommand: Command = {
  name: 'drawer',
  summary: `the cash drawer since the last Z; record paid in / paid out (with a reason) or the opening float; or ${openDrawerCommand.summary}`,
  usage: `till drawer [in|out|float <amount>] [--reason TEXT] [--currency HKD] [--json] ${TILL_OPTIONS_USAGE}\n  ${openDrawerCommand.usage}`,
  async run(ctx) {
    if (opensDrawer(ctx.argv)) return openDrawerCommand.run(ctx);
    const { values, positionals } = parseCommandArgs(ctx.argv, { ...TILL_OPTIONS, currency: { type: 'string' }, reason: { type: 'string' } });
    const currency = (values.currency ?? ctx.env.TILL_CURRENCY ?? 'HKD').toUpperCase();
    if (!isCurrencyCode(currency)) throw new UsageError(`--currency ${currency} is not a QFPay currency`, 'currency');
    const [action, amountText, ...rest] = positionals;
    if (rest.length > 0 || (action !== undefined && amountText === undefined)) throw new UsageError('give in, out or float and one amount, e.g. till drawer out 15 --reason milk');
    const kind = action === undefined ? undefined : KINDS[action as keyof typeof KINDS];
    if (action !== undefined && kind === undefined) throw new UsageError(`"${action}" is not in, out or float`);
    if (kind !== undefined && kind !== 'float' && !values.reason?.trim()) throw new UsageError('paid in and paid out need --reason', 'reason');
    const amountMinor = kind === undefined ? undefined : kind === 'float' ? floatArg(amountText!, currency) : parseAmountArg(amountText!, currency);
    return withJournalTill(ctx, values, async (till) => {
      const result = kind === undefined ? till.engine.drawerStatus(currency) : till.engine.moveCash({ kind, currency, amountMinor, reason: values.reason });
      if (!result.ok) return engineErrorExit(result.error, ctx.io, values.json);
      const s = result.value;
      emit(ctx.io, values.json, s, () => [`${currency}  expected in drawer ${formatMinor(s.expectedMinor, currency)}${s.needsFloat ? '  (no opening float since the last Z)' : ''}`]);
      return EXIT.ok;
    });
  },
};
