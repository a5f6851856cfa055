import { useTranslation } from 'react-i18next';
import type { SaleView } from '../../shared/sale';

/** A paid sale refunded in whole or in part reads (and is coloured) as such, not as paid. */
export function saleStatus(sale: SaleView): 'refunded' | 'partly-refunded' | SaleView['state'] {
  if (sale.state !== 'paid' || sale.refundedMinor <= 0) return sale.state;
  return sale.refundedMinor >= sale.amountMinor ? 'refunded' : 'partly-refunded';
}

export function StateBadge({ sale }: { sale: SaleView }) {
  const { t } = useTranslation();
  const status = saleStatus(sale);
  const label = status === 'partly-refunded' ? t('state.partlyRefunded') : t(`state.${status}`);
  return <span className={`badge badge-${status}${sale.paidAfterCancel ? ' badge-alarm' : ''}`}>{label}</span>;
}
