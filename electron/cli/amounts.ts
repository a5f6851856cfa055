import { MAX_TXAMT, decimalsOf, formatMinor, formatMinorPlain, parseMajorAmount, type CurrencyCode, type ParseAmountError } from '../../shared/currency';
import { UsageError } from './io';

// Amounts typed on the command line, as a cashier types them (12.30), and
// the one sentence each kind of bad amount gets — "-5", "abc" and "1.234"
// alike — with limits in major units and the currency.

const REASONS: Record<ParseAmountError, (currency: CurrencyCode) => string> = {
  empty: () => 'is empty',
  not_a_number: (currency) => `is not an amount in ${currency}: write a positive amount like ${formatMinorPlain(1230, currency)}`,
  too_many_decimals: (currency) =>
    decimalsOf(currency) === 0 ? `has decimals, but ${currency} has none` : `has more than ${decimalsOf(currency)} decimals, more than ${currency} has`,
  zero: () => 'must be more than zero',
  too_large: (currency) => `is more than QFPay accepts (at most ${formatMinor(MAX_TXAMT, currency)})`,
};

/** Minor units of `text` in `currency`, or a UsageError whose message says what is wrong in a sentence. */
export function parseAmountArg(text: string, currency: CurrencyCode, what = 'the amount'): number {
  const parsed = parseMajorAmount(text, currency);
  if (!parsed.ok) throw new UsageError(`${what} "${text}" ${REASONS[parsed.error](currency)}`, 'amount');
  return parsed.amountMinor;
}
