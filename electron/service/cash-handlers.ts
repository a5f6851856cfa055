import type { SaleView } from '../../shared/sale';
import type { IpcResult, MethodName, ParsedInputOf, ResultOf } from '../../shared/contract';
import type { Settings } from '../../shared/settings';
import type { EngineResult } from '../till/engine';
import type { Till } from '../till/core';

// The cash methods of the contract (issue 13): a cash sale, the drawer's
// float / paid in / paid out, and the drawer's status for the charge screen.
// Paid in and paid out move money without a sale: behind the supervisor PIN.
// The opening float is the cashier's own count at the first sale: no PIN.

export interface CashDeps {
  till: () => Till;
  settings: () => Settings;
  requirePin: (pin: string | undefined) => Promise<IpcResult<null>>;
  /** A cash sale was written (paid): the drawer opens. */
  onCashSale?: (sale: SaleView) => void;
}

type CashMethod = 'chargeCash' | 'drawerMove' | 'drawerStatus';
export type CashHandlers = { [K in CashMethod & MethodName]: (input: ParsedInputOf<K>) => Promise<IpcResult<ResultOf<K>>> };

const fromEngine = <T>(result: EngineResult<T>): IpcResult<T> => (result.ok ? { ok: true, value: result.value } : { ok: false, error: result.error });

export function cashHandlers(deps: CashDeps): CashHandlers {
  return {
    chargeCash: async (input) => {
      const result = await deps.till().engine.chargeCash({
        amountMinor: input.amountMinor,
        currency: input.currency,
        goodsName: input.goodsName,
        expiredMinutes: deps.settings().qrExpiryMinutes,
        tenderedMinor: input.tenderedMinor,
        openingFloatMinor: input.openingFloatMinor,
      });
      if (result.ok) deps.onCashSale?.(result.value);
      return fromEngine(result);
    },
    drawerMove: async (input) => {
      if (input.kind !== 'float') {
        const pin = await deps.requirePin(input.pin);
        if (!pin.ok) return pin;
      }
      return fromEngine(deps.till().engine.moveCash({ kind: input.kind, currency: input.currency, amountMinor: input.amountMinor, reason: input.reason }));
    },
    drawerStatus: async (input) => fromEngine(deps.till().engine.drawerStatus(input.currency)),
  };
}
