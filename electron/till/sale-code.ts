import { OPEN_SALE_STATES } from '../../shared/sale';
import { payTypeInfo } from '../../shared/pay-types';
import type { SaleRecord } from '../journal/journal';
import type { QfpayOutcome } from '../qfpay/client';
import { codeInfo, isListedCode } from '../qfpay/codes';
import { recordStatus, type PaymentAnswer, type QueryRecord } from '../qfpay/responses';
import { cancelIfDue, requestCancel } from './sale-cancel';
import type { SaleFlow } from './sale-flow';
import { answerMatches, recordNotAnswered } from './sale-payment';

// A consumer-presented sale (the cashier scanned the customer's payment
// code, issue 13 §1) after its one payment request. The code is single-use:
// the request is never sent again, not even as a fresh order. So every
// uncertainty ends by query, and giving up means reversing the order and
// confirming the reversal by query:
//
//   requesting ─ 0000 ──────────────────────────────▶ paid
//       │      ─ 1143/1145 ─▶ awaiting_scan (customer confirms on the phone, no QR)
//       │      ─ listed failure (1201, 2005, …) ────▶ failed (nothing charged)
//       │      ─ anything unclear ─▶ unknown ─ query ─▶ paid | awaiting_scan | failed | cancelling
//   awaiting_scan ─ query paid ─▶ paid;  window over ─▶ cancelling (reversal)
//   cancelling ─ reversal, then query: paid (it raced) | reversed ─▶ cancelled | failed code ─▶ failed
//
// The window (settings.cpmWindowSeconds) is the sale's expiresAtMs, timed on
// the monotonic clock from before the request left (sale-payment.ts).

export const isConsumerPresented = (sale: Pick<SaleRecord, 'payType'>): boolean => payTypeInfo(sale.payType)?.presented === 'consumer';

/**
 * A definitive refusal of a scanned code: a code API.md lists as failed
 * (balance, wrong code, …): nothing was charged. Not a system or bank error
 * (1100, 1147, 1205, 1252, 1254, 1297): the code was handed to the wallet,
 * and whether it charged is for the query to say.
 */
const definitiveFailure = (respcd: string, treatment: string): boolean =>
  isListedCode(respcd) && codeInfo(respcd).category !== 'system' && (treatment === 'failed' || treatment === 'closed' || treatment === 'expired');

/** Journals the answer to a scanned code's payment request (the request itself is in sale-payment.ts). */
export function recordCodeAnswer(flow: SaleFlow, sale: SaleRecord, outcome: QfpayOutcome<PaymentAnswer>): void {
  const { ctx } = flow;
  const id = sale.outTradeNo;
  if (recordNotAnswered(flow, id, outcome, 'QFPay is busy: nothing was charged')) return;
  if (outcome.kind !== 'answered') return;
  const a = outcome.answer;
  const ours = answerMatches(sale, a);
  if (a.treatment === 'success' && a.syssn && ours) {
    flow.transition(
      id,
      ['requesting'],
      (s) => ({
        state: 'paid',
        syssn: a.syssn ?? null,
        sysdtm: a.sysdtm ?? null,
        paidAtMs: flow.now(),
        paydtm: a.paydtm ?? null,
        chnlsn: a.chnlsn ?? null,
        lastRespcd: a.respcd,
        lastMessage: null,
        paidAfterCancel: s.cancelReason === 'cashier',
      }),
      { reason: 'paid at once', syssn: a.syssn },
    );
  } else if (a.treatment === 'in_progress' && ours) {
    // The customer confirms on the phone: wait within the window (no QR: the display asks for nothing more).
    flow.transition(
      id,
      ['requesting'],
      (s) => ({ state: s.cancelReason !== null ? 'cancelling' : 'awaiting_scan', syssn: a.syssn ?? null, sysdtm: a.sysdtm ?? null, lastRespcd: a.respcd, lastMessage: null }),
      { reason: 'customer confirming', respcd: a.respcd, syssn: a.syssn ?? null },
    );
    ctx.setActivity(id, 'customer_paying');
  } else if (ours && definitiveFailure(a.respcd, a.treatment)) {
    flow.transition(id, ['requesting'], { state: 'failed', lastRespcd: a.respcd, lastMessage: a.resperr || a.respmsg || null }, { reason: 'payment refused', respcd: a.respcd });
  } else {
    // 1102/1295/…, 0000 without syssn, another order's answer, a code API.md does not list: find out by query.
    flow.transition(id, ['requesting'], { state: 'unknown', lastRespcd: a.respcd, lastMessage: a.resperr || null }, { reason: ours ? 'payment answer unclear' : 'payment answer for another order', respcd: a.respcd });
  }
}

/** One step of an open consumer-presented sale, by its state (the loop is SaleDriver.run). */
export async function codeStep(flow: SaleFlow, sale: SaleRecord): Promise<void> {
  switch (sale.state) {
    case 'requesting':
      // Only reachable when the request's fate is unknown (recovery): never resend it.
      flow.transition(sale.outTradeNo, ['requesting'], { state: 'unknown' }, { reason: 'payment request may have been sent' });
      return;
    case 'unknown':
      await resolveUnknown(flow, sale);
      return;
    case 'awaiting_scan':
      await pollConfirming(flow, sale);
      return;
    case 'cancelling':
      await reverseStep(flow, sale);
      return;
    default:
      return;
  }
}

/** The window is over (monotonic, from before the request left). */
function windowOver(flow: SaleFlow, sale: SaleRecord): boolean {
  return flow.mono() >= flow.anchors(sale).expiresAtMono!;
}

/**
 * The customer is confirming on the phone: query until final or the window
 * ends, then reverse. Each query waits its turn (codeFirstPollMs after the
 * answer, then codePollMs, never under the budget's gap): QFPay has just said
 * "in progress", so asking again at once tells nothing and spends the
 * merchant's shared budget. A wake (the cashier cancels) ends the wait early.
 */
async function pollConfirming(flow: SaleFlow, sale: SaleRecord): Promise<void> {
  const { ctx } = flow;
  const id = sale.outTradeNo;
  if (windowOver(flow, sale)) {
    requestCancel(flow, id, 'expiry');
    return;
  }
  const t = ctx.timing;
  const budgetGap = Math.ceil(60_000 / ctx.bucket.perMinute);
  const p = flow.anchors(sale);
  p.nextCodeQueryMono ??= flow.mono() + Math.max(t.codeFirstPollMs, budgetGap);
  const wait = p.nextCodeQueryMono - flow.mono();
  if (wait > 0) {
    await flow.sleep(id, Math.min(wait, Math.max(0, p.expiresAtMono! - flow.mono())));
    return;
  }
  p.nextCodeQueryMono = flow.mono() + Math.max(t.codePollMs, budgetGap);
  const lookup = await flow.ask(sale);
  if (!lookup) return;
  if (lookup.kind === 'found' && settleFromRecord(flow, sale, lookup.record, ['awaiting_scan'])) return;
  if (lookup.kind === 'found' && recordStatus(lookup.record) === 'open') ctx.setActivity(id, 'customer_paying');
}

/**
 * A final record ends the sale: paid, reversed or closed (nothing charged),
 * a listed failure (nothing charged), expired. True when the sale ended.
 */
function settleFromRecord(flow: SaleFlow, sale: SaleRecord, record: QueryRecord, from: Parameters<SaleFlow['transition']>[1]): boolean {
  const id = sale.outTradeNo;
  switch (recordStatus(record)) {
    case 'paid':
      flow.markPaid(id, record, 'query found the order paid');
      return true;
    case 'closed':
      flow.transition(id, from, (s) => ({ state: 'cancelled', cancelReason: s.cancelReason ?? 'expiry', syssn: s.syssn ?? record.syssn, lastRespcd: record.respcd }), { reason: 'QFPay reports the order reversed' });
      return true;
    case 'expired':
      flow.transition(id, from, (s) => ({ state: 'expired', syssn: s.syssn ?? record.syssn, lastRespcd: record.respcd }), { reason: 'QFPay reports the order expired' });
      return true;
    case 'declined':
      // For a scanned code a failure on the record is final (order-state.ts), but only a definitive one says "nothing charged".
      if (!definitiveFailure(record.respcd, 'failed')) return false;
      flow.transition(id, from, (s) => ({ state: 'failed', syssn: s.syssn ?? record.syssn, lastRespcd: record.respcd, lastMessage: record.errmsg ?? null }), { reason: 'payment failed', respcd: record.respcd });
      return true;
    default:
      return false;
  }
}

/** The payment's answer was lost or unclear: find the order; reverse what is not final (never resend). */
async function resolveUnknown(flow: SaleFlow, sale: SaleRecord): Promise<void> {
  const id = sale.outTradeNo;
  const p = flow.anchors(sale);
  const lookup = await flow.ask(sale);
  if (!lookup) return;
  if (lookup.kind === 'unreadable') {
    await flow.sleep(id, flow.ctx.timing.slowPollMs);
    return;
  }
  if (lookup.kind === 'absent') {
    // A request still on its way could create the order (and charge the code): wait out the grace, then reverse.
    if (flow.mono() - p.sentAtMono! >= flow.ctx.timing.notCreatedGraceMs) requestCancel(flow, id, sale.cancelReason ?? 'no_qr');
    else await flow.sleep(id, flow.ctx.timing.slowPollMs);
    return;
  }
  const record = lookup.record;
  if (settleFromRecord(flow, sale, record, ['unknown'])) return;
  if (recordStatus(record) === 'open' && !p.recovered && sale.cancelReason === null && !windowOver(flow, sale)) {
    // The customer is still confirming: wait as if the answer had said 1145.
    flow.transition(id, ['unknown'], { state: 'awaiting_scan', syssn: record.syssn, lastRespcd: record.respcd }, { reason: 'query: customer confirming', respcd: record.respcd });
    flow.ctx.setActivity(id, 'customer_paying');
    return;
  }
  // In progress at start-up, past the window, or a record the till cannot place: reverse it and confirm.
  flow.transition(id, ['unknown'], { syssn: record.syssn, lastRespcd: record.respcd }, { reason: 'order not final: reversing' });
  requestCancel(flow, id, sale.cancelReason ?? (p.recovered ? 'recovery' : 'expiry'));
}

/**
 * Reverse, then confirm by query. Ends paid (the customer confirmed before
 * the reversal: QFPay answers 1260), cancelled (reversed), failed (a listed
 * failure; or no order at QFPay past the grace, and the reversal found none),
 * or expired.
 */
async function reverseStep(flow: SaleFlow, sale: SaleRecord): Promise<void> {
  const { ctx } = flow;
  const id = sale.outTradeNo;
  const t = ctx.timing;
  const p = await cancelIfDue(flow, sale);
  if (ctx.stopping()) return;
  const lookup = await flow.ask(sale);
  if (!lookup) return;
  const current = ctx.journal.sale(id) ?? sale;
  if (lookup.kind === 'found') {
    if (settleFromRecord(flow, current, lookup.record, ['cancelling'])) return;
    await flow.sleep(id, p.close === 'accepted' || p.close === 'paid' ? t.fastPollMs : Math.min(t.slowPollMs, t.closeRetryMs));
    return;
  }
  if (lookup.kind === 'absent' && p.close === 'not_found' && current.syssn === null && flow.mono() - p.sentAtMono! >= t.notCreatedGraceMs) {
    // QFPay never created the order (nor can it now: the request's time is long past): the code was not charged.
    flow.transition(id, ['cancelling'], { state: 'failed', lastMessage: 'QFPay has no such order: nothing was charged' }, { reason: 'order never created' });
    return;
  }
  // An order that existed and is not listed, or a reversal still unconfirmed: ask again.
  await flow.sleep(id, t.slowPollMs);
}

/** Whether a sale is open and consumer-presented (for the engine's routing). */
export const isOpenCodeSale = (sale: SaleRecord): boolean => OPEN_SALE_STATES.includes(sale.state) && isConsumerPresented(sale);
