import type { RefundView, SaleActivity, SaleView } from '../../shared/sale';
import type { RefundRecord, SaleRecord } from '../journal/journal';

// Display-safe views: what the engine emits to the UI. No credentials, no
// journal internals, and never a QR code once the customer must not pay it.

export function saleView(sale: SaleRecord, activity: SaleActivity): SaleView {
  return {
    outTradeNo: sale.outTradeNo,
    amountMinor: sale.amountMinor,
    currency: sale.currency,
    goodsName: sale.goodsName,
    state: sale.state,
    activity,
    qrcode: showsQr(sale) ? sale.qrcode : null,
    expiresAtMs: showsQr(sale) ? sale.expiresAtMs : null,
    createdAtMs: sale.createdAtMs,
    paidAtMs: sale.paidAtMs,
    syssn: sale.syssn,
    respcd: sale.lastRespcd,
    paidAfterCancel: sale.paidAfterCancel,
    cancelReason: sale.cancelReason,
    refundedMinor: sale.refundedMinor,
    training: sale.training,
    parked: sale.parkedAtMs !== null,
    reissues: sale.reissues,
    payType: sale.payType,
    ...(sale.authCodeMasked ? { authCodeMasked: sale.authCodeMasked } : {}),
    ...(sale.realNameMasked ? { realNameChecked: true } : {}),
    ...(typeof sale.tenderedMinor === 'number' && typeof sale.changeMinor === 'number' ? { cash: { tenderedMinor: sale.tenderedMinor, changeMinor: sale.changeMinor } } : {}),
  };
}

/** A QR is shown only while the customer may pay it: awaiting_scan, never once parked. */
const showsQr = (sale: SaleRecord) => sale.state === 'awaiting_scan' && sale.parkedAtMs === null;

export function refundView(refund: RefundRecord): RefundView {
  return {
    outTradeNo: refund.outTradeNo,
    saleOutTradeNo: refund.saleOutTradeNo,
    amountMinor: refund.amountMinor,
    currency: refund.currency,
    state: refund.state,
    createdAtMs: refund.createdAtMs,
    syssn: refund.syssn,
    respcd: refund.lastRespcd,
    training: refund.training,
  };
}
