import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Language } from '../../shared/settings';
import { isFinalSale, type SaleView } from '../../shared/sale';
import { till } from '../lib/api';
import { money } from '../lib/format';

// Parked sales (DESIGN.md rule 2): a cancelled sale QFPay has not confirmed
// within a few seconds leaves the screen so the next customer can be served,
// and is settled in the background. The cashier sees them listed here; one
// that QFPay then reports paid is announced loudly until acknowledged (hand
// over the goods, or refund it), whatever sale is on the screen by then.

export interface ParkedSales {
  parked: SaleView[];
  /** Parked sales that ended paid: the customer paid although the sale was cancelled. */
  paidLate: SaleView[];
  /** True when this sale update is about a parked sale (it must not take over the screen). */
  absorbs(sale: SaleView): boolean;
  acknowledge(outTradeNo: string): void;
}

export function useParkedSales(): ParkedSales {
  const [parked, setParked] = useState<SaleView[]>([]);
  const [paidLate, setPaidLate] = useState<SaleView[]>([]);
  // Read synchronously by absorbs(): React state would lag one render behind the event.
  const parkedIds = useRef(new Set<string>());

  useEffect(() => {
    void till()
      .parkedSales()
      .then((r) => {
        if (!r.ok || !r.value) return;
        for (const s of r.value) parkedIds.current.add(s.outTradeNo);
        setParked(r.value);
      });
  }, []);

  const absorbs = useCallback((sale: SaleView): boolean => {
    const id = sale.outTradeNo;
    if (sale.parked && !isFinalSale(sale.state)) {
      parkedIds.current.add(id);
      setParked((list) => [...list.filter((p) => p.outTradeNo !== id), sale]);
      return true;
    }
    if (!parkedIds.current.has(id)) return false;
    parkedIds.current.delete(id);
    setParked((list) => list.filter((p) => p.outTradeNo !== id));
    if (sale.state === 'paid') setPaidLate((list) => [...list.filter((p) => p.outTradeNo !== id), sale]);
    return true;
  }, []);

  const acknowledge = useCallback((outTradeNo: string) => setPaidLate((list) => list.filter((p) => p.outTradeNo !== outTradeNo)), []);
  return { parked, paidLate, absorbs, acknowledge };
}

export function ParkedSalesPanel({ state, language }: { state: ParkedSales; language: Language }) {
  const { t } = useTranslation();
  if (state.parked.length === 0 && state.paidLate.length === 0) return null;
  return (
    <div className="parked-area">
      {state.paidLate.map((s) => (
        <div key={s.outTradeNo} className="alarm-banner" role="alert" data-testid="paid-after-cancel">
          <div>
            <strong>{t('sale.paidAfterCancel')}</strong> {t('sale.parkedPaid', { amount: money(s.amountMinor, s.currency, language), id: s.outTradeNo })}
            <div>{t('sale.paidAfterCancelHint')}</div>
          </div>
          <button type="button" className="btn" onClick={() => state.acknowledge(s.outTradeNo)}>
            {t('sale.parkedAcknowledge')}
          </button>
        </div>
      ))}
      {state.parked.length > 0 ? (
        <section className="warn-banner parked-list" aria-label={t('sale.parkedList')} data-testid="parked-sales">
          <span className="parked-title">
            {t('sale.parkedList')} ({state.parked.length})
          </span>
          <ul>
            {state.parked.map((s) => (
              <li key={s.outTradeNo}>
                {money(s.amountMinor, s.currency, language)} <span className="mono">{s.outTradeNo}</span>
              </li>
            ))}
          </ul>
          <span className="parked-hint">{t('sale.parkedHint')}</span>
        </section>
      ) : null}
    </div>
  );
}
