import type { CurrencyCode } from '../../shared/currency';
import { maskAuthCode, maskRealName, type RealName } from '../../shared/real-name';
import { NOT_YET_SETTLED, type Journal } from '../journal/journal';
import type { Clock } from './clock';
import type { QfpayPort } from './ports';

// Rule 1, write ahead: the sale's row is committed before its payment
// request leaves. Of the customer's payment code and the payer's real-name
// check only the masked forms are written (row and event alike); the plain
// values stay in memory for the one request (sale-flow.ts).

/** A sale as checked, about to be written ahead. */
export interface NewSaleInput {
  amountMinor: number;
  currency: CurrencyCode;
  goodsName: string | null;
  expiredMinutes: number;
  payType: string;
  realName: RealName | undefined;
  /** From the write-ahead to when the till gives up: the QR's lifetime, or a scanned code's window. */
  windowMs: number;
  authCode?: string | undefined;
}

export interface WriteAheadDeps {
  journal: Journal;
  clock: Clock;
  client: Pick<QfpayPort, 'txdtm'>;
  udid: string;
  training: boolean;
}

export function writeAheadSale(deps: WriteAheadDeps, outTradeNo: string, sale: NewSaleInput): void {
  const now = deps.clock.now();
  const { amountMinor, currency, expiredMinutes, payType } = sale;
  const realName = sale.realName ? maskRealName(sale.realName) : undefined;
  const authCodeMasked = sale.authCode !== undefined ? maskAuthCode(sale.authCode) : undefined;
  deps.journal.insertSale(
    {
      outTradeNo,
      udid: deps.udid,
      training: deps.training,
      amountMinor,
      currency,
      payType,
      goodsName: sale.goodsName,
      state: 'requesting',
      txdtm: deps.client.txdtm(),
      expiredMinutes,
      createdAtMs: now,
      // Counted from before the request left, so the till gives up no later than QFPay stops honouring it.
      expiresAtMs: now + sale.windowMs,
      ...NOT_YET_SETTLED,
      updatedAtMs: now,
      ...(realName ? { realNameMasked: JSON.stringify(realName) } : {}),
      ...(authCodeMasked ? { authCodeMasked } : {}),
    },
    { reason: 'charge', amountMinor, currency, payType, ...(realName ? { realName } : {}), ...(authCodeMasked ? { authCode: authCodeMasked } : {}) },
  );
}
