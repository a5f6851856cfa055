import { MAX_REISSUES } from '../../shared/sale';
import type { SaleRecord } from '../journal/journal';
import { goodsNameForWire } from '../qfpay/goods-name';
import type { QfpayOutcome } from '../qfpay/client';
import { isListedCode } from '../qfpay/codes';
import type { PaymentAnswer } from '../qfpay/responses';
import { BucketStoppedError, backoffMs } from './budget';
import { isConsumerPresented, recordCodeAnswer } from './sale-code';
import type { Progress, SaleFlow } from './sale-flow';

// The payment request of a sale's order: sent once and only once per order,
// its answer checked against what was asked and written before anything
// else happens. And the re-issue: when an order's QR was lost and QFPay
// confirmed the order closed (or never created), the sale gets a fresh order
// with a new out_trade_no — never the old request sent again.

/**
 * An answer is for this request only if it names this order, amount and
 * currency where it names them at all: another order's answer (a gateway
 * mixing up connections, another till's paid HK$1.00) is not ours to show.
 */
export function answerMatches(sale: SaleRecord, a: PaymentAnswer): boolean {
  if (a.out_trade_no !== undefined && a.out_trade_no !== sale.orderNo) return false;
  if (a.txamt !== undefined && a.txamt !== sale.amountMinor) return false;
  if (a.txcurrcd !== undefined && a.txcurrcd.toUpperCase() !== sale.currency) return false;
  return true;
}

export async function sendPayment(flow: SaleFlow, id: string): Promise<void> {
  const { ctx } = flow;
  const sale = ctx.journal.sale(id);
  if (!sale || sale.state !== 'requesting') return;
  try {
    await ctx.bucket.take();
  } catch (error) {
    if (!(error instanceof BucketStoppedError)) throw error;
    // The till stopped before the request left: nothing was sent, so the
    // sale fails now instead of being resolved by query at the next start.
    flow.transition(id, ['requesting'], { state: 'failed', lastMessage: 'the till stopped before the order was sent' }, { reason: 'not sent: the till stopped' });
    return;
  }
  // Timed from before the request leaves, so the till hides the QR no later than QFPay stops honouring it.
  const p = flow.progressOf(id);
  p.sentAtMono = flow.mono();
  p.expiresAtMono = p.sentAtMono + (sale.expiresAtMs - flow.now());
  // A scanned code: the customer's code goes instead of a QR lifetime, taken from memory for this one request.
  const code = isConsumerPresented(sale);
  const authCode = code ? flow.takeAuthCode(id) : undefined;
  if (code && authCode === undefined) {
    // This process never had the code (it cannot happen from charge): nothing can be sent; find out by query.
    flow.transition(id, ['requesting'], { state: 'unknown' }, { reason: 'no payment code in memory' });
    return;
  }
  const outcome = await ctx.client.payment({
    txamt: sale.amountMinor,
    txcurrcd: sale.currency,
    pay_type: sale.payType,
    out_trade_no: sale.orderNo,
    txdtm: sale.txdtm,
    ...(code ? { auth_code: authCode } : { expired_time: sale.expiredMinutes }),
    // QFPay's rule (≤ 20 letters or digits); the cashier's whole note stays in the journal.
    goods_name: goodsNameForWire(sale.goodsName),
    udid: sale.udid,
    // Plain only here, in the request; the client masks it in the exchange it journals.
    real_name: flow.realNameOf(id),
  });
  ctx.crash(code ? 'code.after_payment_answer' : 'payment.after_response');
  // QFPay has answered a request that can never be sent again: the answer waits for the journal, however long.
  await flow.persist(id, () => (code ? recordCodeAnswer(flow, sale, outcome) : recordAnswer(flow, sale, outcome)));
  ctx.crash('payment.after_record');
}

/**
 * A payment request QFPay did not answer with a body: refused before
 * sending (failed, field named), 429 (failed: the request did not run), or
 * unknown (found by query). True when it was one of these.
 */
export function recordNotAnswered(flow: SaleFlow, id: string, outcome: QfpayOutcome<PaymentAnswer>, busyMessage: string): boolean {
  const { ctx } = flow;
  switch (outcome.kind) {
    case 'invalid':
      // Nothing left the till: the sale fails with the field named.
      flow.transition(id, ['requesting'], { state: 'failed', lastRespcd: null, lastMessage: outcome.error.message }, { reason: 'invalid input', field: outcome.error.field });
      return true;
    case 'rate_limited':
      // API.md: a 429 means the request did not run. The sale fails and the cashier charges again after the pause.
      ctx.bucket.pause(outcome.retryAfterMs ?? backoffMs(0, ctx.random, ctx.timing.backoffBaseMs, ctx.timing.backoffMaxMs));
      flow.transition(id, ['requesting'], { state: 'failed', lastRespcd: 'HTTP_429', lastMessage: busyMessage }, { reason: 'rate limited' });
      return true;
    case 'unknown':
      flow.transition(id, ['requesting'], { state: 'unknown', lastMessage: outcome.detail }, { reason: `payment ${outcome.reason}` });
      return true;
    case 'answered':
      return false;
  }
}

function recordAnswer(flow: SaleFlow, sale: SaleRecord, outcome: QfpayOutcome<PaymentAnswer>): void {
  const id = sale.outTradeNo;
  if (recordNotAnswered(flow, id, outcome, 'QFPay is busy: the order was not created')) return;
  if (outcome.kind !== 'answered') return;
  const a = outcome.answer;
  if (a.treatment === 'success' && a.qrcode && a.syssn && answerMatches(sale, a)) {
    flow.progressOf(id).qrShownAtMono = flow.mono();
    flow.transition(
      id,
      ['requesting'],
      (s) => ({
        state: s.cancelReason !== null ? 'cancelling' : 'awaiting_scan',
        syssn: a.syssn ?? null,
        qrcode: a.qrcode ?? null,
        sysdtm: a.sysdtm ?? null,
        lastRespcd: a.respcd,
        lastMessage: null,
      }),
      { reason: 'order created', syssn: a.syssn },
    );
  } else if (a.treatment === 'success' && !answerMatches(sale, a)) {
    // Never show another order's QR: find our own order by query.
    flow.transition(
      id,
      ['requesting'],
      { state: 'unknown', lastRespcd: a.respcd, lastMessage: 'the answer named another order' },
      { reason: 'payment answer for another order', answered: { out_trade_no: a.out_trade_no ?? null, txamt: a.txamt ?? null, txcurrcd: a.txcurrcd ?? null } },
    );
  } else if (isListedCode(a.respcd) && (a.treatment === 'failed' || a.treatment === 'closed' || a.treatment === 'expired' || a.treatment === 'refunded')) {
    // A listed refusal and no QR was issued, so nobody can pay this order: failing it is safe.
    flow.transition(id, ['requesting'], { state: 'failed', lastRespcd: a.respcd, lastMessage: a.resperr || a.respmsg || null }, { reason: 'payment refused', respcd: a.respcd });
  } else {
    // 1102/1295/…/2011, 1143/1145, 0000 without a QR, or a code API.md does not list: find out by query.
    flow.transition(id, ['requesting'], { state: 'unknown', lastRespcd: a.respcd, lastMessage: a.resperr || null }, { reason: 'payment answer unclear', respcd: a.respcd });
  }
}

/**
 * Whether a sale whose QR was lost gets a fresh order rather than failing:
 * only while the cashier is there waiting (not parked, not found at start-up),
 * and at most MAX_REISSUES times.
 */
export const mayReissue = (sale: SaleRecord, p: Progress): boolean =>
  sale.cancelReason === 'no_qr' && sale.parkedAtMs === null && !p.recovered && sale.reissues < MAX_REISSUES;

/**
 * Replaces the sale's order, confirmed closed (or never created), by a fresh
 * one: written ahead in one transaction with the replaced order kept under
 * the sale, then its payment request sent.
 */
export async function reissue(flow: SaleFlow, sale: SaleRecord, outcome: 'closed' | 'absent'): Promise<void> {
  const { ctx } = flow;
  const id = sale.outTradeNo;
  const now = flow.now();
  const orderNo = ctx.newOrderNo(now);
  const updated = ctx.journal.replaceOrder(
    id,
    ['cancelling'],
    { orderNo: sale.orderNo, saleOutTradeNo: id, udid: sale.udid, syssn: sale.syssn, txdtm: sale.txdtm, outcome, lastRespcd: sale.lastRespcd, replacedAtMs: now },
    {
      orderNo,
      txdtm: ctx.client.txdtm(),
      state: 'requesting',
      reissues: sale.reissues + 1,
      syssn: null,
      qrcode: null,
      sysdtm: null,
      lastRespcd: null,
      lastMessage: null,
      cancelReason: null,
      cancelRequestedAtMs: null,
      expiresAtMs: now + sale.expiredMinutes * 60_000,
      updatedAtMs: now,
    },
    { reason: `re-issued: the QR was lost and the order is ${outcome === 'closed' ? 'closed' : 'not at QFPay'}` },
  );
  ctx.journalWritten();
  if (!updated) return;
  flow.forget(id);
  ctx.emitSale(id);
  ctx.crash('reissue.after_write_ahead');
  await sendPayment(flow, id);
}
