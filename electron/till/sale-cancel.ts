import type { CancelReason, SaleState } from '../../shared/sale';
import type { SaleRecord } from '../journal/journal';
import { cancelEndpoint } from '../qfpay/order-state';
import { recordStatus, type QueryRecord } from '../qfpay/responses';
import { backoffMs } from './budget';
import type { CloseAnswer, Progress, SaleFlow } from './sale-flow';
import { mayReissue, reissue } from './sale-payment';

// Cancel = close the order (or reverse it, for the pay types QFPay cancels
// that way), then confirm by query (DESIGN.md rules 4 and 5).
// Only QFPay ends a cancelled sale: the order seen closed, seen expired, seen
// paid (the payment raced the close: paid, loudly), or — for an order QFPay
// never numbered and no QR ever showed — absent past the grace period. An
// order that exists (it has a syssn, its QR was shown, or a close reached it)
// is never called "nothing was charged" on absence: only on expiry.

/**
 * Commits the wish to cancel before anything is sent (the QR disappears at
 * once). A sale still requesting keeps its state: the payment answer, when
 * it comes, leads straight to cancelling. A cashier's cancel of a sale being
 * reconnected (its QR lost) takes over: no fresh QR is issued after it.
 */
export function requestCancel(flow: SaleFlow, id: string, reason: CancelReason): SaleRecord | undefined {
  const now = flow.now();
  const sale = flow.ctx.journal.sale(id);
  if (!sale) return undefined;
  let updated: SaleRecord | undefined;
  if (sale.state === 'cancelling') {
    if (reason !== 'cashier' || sale.cancelReason === 'cashier') return sale;
    updated = flow.transition(id, ['cancelling'], { cancelReason: 'cashier', cancelRequestedAtMs: now }, { reason: 'cancel (cashier) while closing' });
  } else if (sale.state === 'requesting') {
    updated = flow.transition(id, ['requesting'], { cancelReason: reason, cancelRequestedAtMs: now }, { reason: `cancel requested (${reason}) while the order is being created` });
  } else {
    updated = flow.transition(id, ['awaiting_scan', 'unknown'], { state: 'cancelling', cancelReason: reason, cancelRequestedAtMs: now }, { reason: `cancel (${reason})` });
    if (updated?.state === 'cancelling') flow.ctx.crash(cancelEndpoint(sale.payType) === 'reversal' ? 'reversal.after_write_ahead' : 'cancel.after_write_ahead');
  }
  flow.ctx.wakeFor(id).fire();
  return updated;
}

function finalForClosed(sale: SaleRecord): SaleState {
  if (sale.cancelReason === 'expiry') return 'expired';
  if (sale.cancelReason === 'no_qr' || sale.cancelReason === null) return 'failed';
  return 'cancelled';
}

function closeAnswerOf(treatment: string, respcd: string): CloseAnswer {
  switch (treatment) {
    case 'success':
      return 'accepted';
    case 'paid_confirm':
      return 'paid';
    case 'closed':
      return 'closed';
    case 'expired':
      return 'expired';
    case 'failed':
      return respcd === '1136' ? 'not_found' : 'refused';
    default:
      return 'pending';
  }
}

/** Sends the close (or reversal) when it is due: the first time, or again after a while. Returns the sale's progress. */
export async function cancelIfDue(flow: SaleFlow, sale: SaleRecord): Promise<Progress> {
  const p = flow.anchors(sale);
  if (cancelDue(flow, p)) await sendCancel(flow, sale, p);
  return p;
}

function cancelDue(flow: SaleFlow, p: Progress): boolean {
  const t = flow.ctx.timing;
  // 'not_found' is retried too: a payment request still on its way (the
  // sale was unknown) can create the order after the close found nothing,
  // and that order must be closed, not left open until its QR expires.
  const retryable = p.close === 'refused' || p.close === 'pending' || p.close === 'not_found';
  const since = flow.mono() - (p.lastCloseAtMono ?? -Infinity);
  // An accepted close that QFPay still does not reflect after a while is sent again (it is idempotent: 1142).
  return p.close === undefined || (retryable && since >= t.closeRetryMs) || (p.close === 'accepted' && since >= 3 * t.closeRetryMs);
}

/** Sends the close (or reversal) once and notes its answer in the sale's progress. */
async function sendCancel(flow: SaleFlow, sale: SaleRecord, p: Progress): Promise<void> {
  const { ctx } = flow;
  await ctx.bucket.take();
  // The pay type's own way (API.md): close for WeChat MPM and its kind, reversal for Alipay and every scanned code.
  const reversal = cancelEndpoint(sale.payType) === 'reversal';
  const cancel = reversal ? ctx.client.reversal.bind(ctx.client) : ctx.client.close.bind(ctx.client);
  const outcome = await cancel({ out_trade_no: sale.orderNo, txamt: sale.amountMinor, txdtm: sale.txdtm, udid: sale.udid });
  ctx.crash(reversal ? 'reversal.after_answer' : 'cancel.after_close_answer');
  p.lastCloseAtMono = flow.mono();
  if (outcome.kind === 'answered') {
    const a = outcome.answer;
    // A close answered for another order says nothing about ours.
    const ours = a.out_trade_no === undefined || a.out_trade_no === sale.orderNo;
    p.close = ours ? closeAnswerOf(a.treatment, a.respcd) : 'pending';
    flow.transition(sale.outTradeNo, ['cancelling'], { lastRespcd: a.respcd }, { reason: `${reversal ? 'reversal' : 'close'} answered ${a.respcd}`, close: p.close });
    return;
  }
  if (outcome.kind === 'rate_limited') {
    ctx.bucket.pause(outcome.retryAfterMs ?? backoffMs(p.failures, ctx.random, ctx.timing.backoffBaseMs, ctx.timing.backoffMaxMs));
    ctx.setActivity(sale.outTradeNo, 'busy');
  }
  p.close = 'pending';
}

/** Whether QFPay's order certainly exists: numbered, its QR shown, or a close reached it. */
function orderExists(sale: SaleRecord, p: Progress): boolean {
  return sale.syssn !== null || sale.qrcode !== null || p.close === 'accepted' || p.close === 'paid' || p.close === 'closed';
}

/** The order is closed (seen by query) or was never created: the sale ends, or its QR is re-issued. */
async function concluded(flow: SaleFlow, sale: SaleRecord, how: 'closed' | 'absent', record?: QueryRecord): Promise<void> {
  const id = sale.outTradeNo;
  if (mayReissue(sale, flow.progressOf(id))) {
    await reissue(flow, { ...sale, syssn: sale.syssn ?? record?.syssn ?? null, lastRespcd: record?.respcd ?? sale.lastRespcd }, how);
    return;
  }
  // A lost QR not re-issued (tries used up, or found at start-up): the cashier is told plainly.
  const lost = sale.cancelReason === 'no_qr';
  const message = lost
    ? 'cannot reach QFPay: the QR could not be shown, nothing was charged'
    : how === 'absent'
      ? 'QFPay has no such order: nothing was charged'
      : null;
  flow.transition(
    id,
    ['cancelling'],
    (s) => ({
      state: finalForClosed(s),
      syssn: s.syssn ?? record?.syssn ?? null,
      ...(record ? { lastRespcd: record.respcd } : {}),
      ...(message ? { lastMessage: message } : {}),
    }),
    { reason: how === 'closed' ? 'close confirmed' : 'order never created' },
  );
}

export async function cancelStep(flow: SaleFlow, sale: SaleRecord): Promise<void> {
  const { ctx } = flow;
  const id = sale.outTradeNo;
  const t = ctx.timing;
  const p = await cancelIfDue(flow, sale);
  if (ctx.stopping()) return;
  if (p.close === 'expired') {
    // 1181 from close: QFPay itself says the order can no longer be paid.
    flow.transition(id, ['cancelling'], { state: 'expired' }, { reason: 'QFPay says the order expired' });
    return;
  }

  // Confirm by query whatever close said: "closed" must be seen, and a payment that raced the close must win.
  const lookup = await flow.ask(sale);
  if (!lookup) return;
  const current = ctx.journal.sale(id) ?? sale;
  if (lookup.kind === 'found') {
    const record = lookup.record;
    switch (recordStatus(record)) {
      case 'paid':
        flow.markPaid(id, record, 'paid although a cancel was asked for');
        return;
      case 'closed':
        await concluded(flow, current, 'closed', record);
        return;
      case 'expired':
        flow.transition(id, ['cancelling'], (s) => ({ state: 'expired', syssn: s.syssn ?? record.syssn, lastRespcd: record.respcd }), { reason: 'QFPay reports the order expired' });
        return;
      default:
        // Still open at QFPay (a declined attempt leaves it payable, an undecided record proves nothing):
        // the close has not shown yet, or was refused. Only a declined order past its expiry is over:
        // one QFPay still reports in progress (1143/1145), or whose close said "already paid", or whose
        // record the till cannot place, may still be money — keep asking.
        if (recordStatus(record) === 'declined' && p.close !== 'paid' && flow.expiredForSure(current)) {
          flow.transition(id, ['cancelling'], (s) => ({ state: finalForClosed(s) === 'cancelled' ? 'cancelled' : 'expired', syssn: s.syssn ?? record.syssn, lastRespcd: record.respcd }), {
            reason: 'the order expired unpaid while its close was not confirmed',
          });
          return;
        }
        await flow.sleep(id, p.close === 'accepted' || p.close === 'closed' || p.close === 'paid' ? t.fastPollMs : Math.min(t.slowPollMs, t.closeRetryMs));
        return;
    }
  }
  if (lookup.kind === 'unreadable') {
    // An answer the till cannot read never ends a cancel: ask again.
    await flow.sleep(id, t.slowPollMs);
    return;
  }
  // Absent. An order that exists and is not listed means QFPay's query has not
  // caught up (a close answered "already paid" proves a payment): never
  // "nothing was charged" before the order has expired for certain.
  if (p.close === 'paid') {
    await flow.sleep(id, t.slowPollMs);
    return;
  }
  if (orderExists(current, p)) {
    if (flow.expiredForSure(current)) {
      flow.transition(id, ['cancelling'], (s) => ({ state: finalForClosed(s) === 'cancelled' ? 'cancelled' : 'expired', lastMessage: 'QFPay no longer lists the order and its QR has expired' }), {
        reason: 'order not listed and expired',
      });
      return;
    }
    await flow.sleep(id, t.slowPollMs);
    return;
  }
  // Wait out the grace period even after a 1136: a delayed payment request could still create it.
  if (flow.mono() - p.sentAtMono! >= t.notCreatedGraceMs) {
    await concluded(flow, current, 'absent');
    return;
  }
  await flow.sleep(id, t.slowPollMs);
}
