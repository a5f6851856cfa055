import { OPEN_SALE_STATES, type CancelReason, type SaleState } from '../../shared/sale';
import type { SalePatch, SaleRecord } from '../journal/journal';
import { goodsNameForWire } from '../qfpay/goods-name';
import type { QueryRecord } from '../qfpay/responses';
import { BucketStoppedError, backoffMs } from './budget';
import type { EngineContext } from './engine';
import { findByOutTradeNo, findBySyssn, type Lookup } from './lookup';

// One sale's life after the write-ahead: the payment request (sent exactly
// once, from charge), then a loop that reads the journal row and takes one
// step for its state until the sale is final. The row is the only state that
// matters: a crash anywhere leaves a row from which recovery takes the same
// steps.

type CloseAnswer = 'accepted' | 'paid' | 'closed' | 'expired' | 'not_found' | 'refused' | 'pending';

interface Progress {
  /** Consecutive unanswered queries or 429s: drives the backoff. */
  failures: number;
  qrShownAtMs?: number;
  close?: CloseAnswer;
  lastCloseAtMs?: number;
}

const CLOSED_CODES = new Set(['1142', '1263', '1264']);

export class SaleDriver {
  private readonly progress = new Map<string, Progress>();

  constructor(private readonly ctx: EngineContext) {}

  private progressOf(id: string): Progress {
    let p = this.progress.get(id);
    if (!p) {
      p = { failures: 0 };
      this.progress.set(id, p);
    }
    return p;
  }

  private now(): number {
    return this.ctx.clock.now();
  }

  /** Commits a transition and tells listeners; undefined when the row had moved on. */
  private transition(id: string, from: readonly SaleState[], patch: SalePatch | ((s: SaleRecord) => SalePatch), event: Record<string, unknown>) {
    const now = this.now();
    const withTime = (s: SaleRecord): SalePatch => {
      const p = typeof patch === 'function' ? patch(s) : patch;
      const finalState = p.state && !OPEN_SALE_STATES.includes(p.state);
      return { ...p, updatedAtMs: now, ...(finalState ? { finalAtMs: now } : {}) };
    };
    const updated = this.ctx.journal.updateSale(id, from, withTime, event);
    if (updated) this.ctx.emitSale(id);
    return updated;
  }

  // ---- the payment request: once per sale ------------------------------------

  async sendPaymentThenRun(id: string): Promise<void> {
    await this.sendPayment(id);
    await this.run(id);
  }

  private async sendPayment(id: string): Promise<void> {
    const sale = this.ctx.journal.sale(id);
    if (!sale || sale.state !== 'requesting') return;
    try {
      await this.ctx.bucket.take();
    } catch (error) {
      if (!(error instanceof BucketStoppedError)) throw error;
      // The till stopped before the request left: nothing was sent, so the
      // sale fails now instead of being resolved by query at the next start.
      this.transition(id, ['requesting'], { state: 'failed', lastMessage: 'the till stopped before the order was sent' }, { reason: 'not sent: the till stopped' });
      return;
    }
    const outcome = await this.ctx.client.payment({
      txamt: sale.amountMinor,
      txcurrcd: sale.currency,
      pay_type: sale.payType,
      out_trade_no: sale.outTradeNo,
      txdtm: sale.txdtm,
      expired_time: sale.expiredMinutes,
      goods_name: goodsNameForWire(sale.goodsName),
      udid: sale.udid,
    });
    this.ctx.crash('payment.after_response');

    const cancelWanted = (s: SaleRecord) => s.cancelReason !== null;
    switch (outcome.kind) {
      case 'invalid':
        // Nothing left the till: the sale fails with the field named.
        this.transition(id, ['requesting'], { state: 'failed', lastRespcd: null, lastMessage: outcome.error.message }, { reason: 'invalid input', field: outcome.error.field });
        break;
      case 'rate_limited':
        // API.md: a 429 means the request did not run. The sale fails and the cashier charges again after the pause.
        this.ctx.bucket.pause(backoffMs(0, this.ctx.random, this.ctx.timing.backoffBaseMs, this.ctx.timing.backoffMaxMs));
        this.transition(id, ['requesting'], { state: 'failed', lastRespcd: 'HTTP_429', lastMessage: 'QFPay is busy: the order was not created' }, { reason: 'rate limited' });
        break;
      case 'unknown':
        this.transition(id, ['requesting'], { state: 'unknown', lastMessage: outcome.detail }, { reason: `payment ${outcome.reason}` });
        break;
      case 'answered': {
        const a = outcome.answer;
        if (a.treatment === 'success' && a.qrcode && a.syssn) {
          this.progressOf(id).qrShownAtMs = this.now();
          this.transition(
            id,
            ['requesting'],
            (s) => ({
              state: cancelWanted(s) ? 'cancelling' : 'awaiting_scan',
              syssn: a.syssn ?? null,
              qrcode: a.qrcode ?? null,
              sysdtm: a.sysdtm ?? null,
              lastRespcd: a.respcd,
              lastMessage: null,
            }),
            { reason: 'order created', syssn: a.syssn },
          );
        } else if (a.treatment === 'failed' || a.treatment === 'closed' || a.treatment === 'expired' || a.treatment === 'refunded') {
          // No QR was issued, so nobody can pay this order: failing it is safe.
          this.transition(id, ['requesting'], { state: 'failed', lastRespcd: a.respcd, lastMessage: a.resperr || a.respmsg || null }, { reason: 'payment refused', respcd: a.respcd });
        } else {
          // 1102/1295/…/2011, 1143/1145, or 0000 without a QR: find out by query.
          this.transition(id, ['requesting'], { state: 'unknown', lastRespcd: a.respcd, lastMessage: a.resperr || null }, { reason: 'payment answer unclear', respcd: a.respcd });
        }
        break;
      }
    }
    this.ctx.crash('payment.after_record');
  }

  // ---- the loop ----------------------------------------------------------------

  async run(id: string): Promise<void> {
    for (;;) {
      if (this.ctx.stopping()) return;
      const sale = this.ctx.journal.sale(id);
      if (!sale || !OPEN_SALE_STATES.includes(sale.state)) {
        this.progress.delete(id);
        return;
      }
      try {
        await this.step(sale);
      } catch (error) {
        if (error instanceof BucketStoppedError) throw error;
        // A bug must not strand a sale: report it, back off, and look at the row again.
        this.ctx.reportError(`sale ${id}`, error);
        await this.backoff(id);
      }
    }
  }

  private async step(sale: SaleRecord): Promise<void> {
    const id = sale.outTradeNo;
    switch (sale.state) {
      case 'requesting':
        // Only reachable if the request's fate is unknown (recovery): never resend it.
        this.transition(id, ['requesting'], { state: 'unknown' }, { reason: 'payment request may have been sent' });
        break;
      case 'unknown':
        await this.resolveUnknown(sale);
        break;
      case 'awaiting_scan': {
        const wait = await this.pollOnce(sale);
        if (wait !== undefined) await this.sleep(id, wait);
        break;
      }
      case 'cancelling':
        await this.cancelStep(sale);
        break;
      default:
        break;
    }
  }

  private async sleep(id: string, ms: number): Promise<void> {
    if (this.ctx.stopping()) return;
    await this.ctx.clock.sleep(ms, this.ctx.wakeFor(id));
  }

  private async backoff(id: string): Promise<void> {
    const p = this.progressOf(id);
    const ms = backoffMs(p.failures, this.ctx.random, this.ctx.timing.backoffBaseMs, this.ctx.timing.backoffMaxMs);
    p.failures += 1;
    await this.sleep(id, ms);
  }

  /** Handles a lookup that got no answer: 429 pauses the whole till, anything else backs this sale off. */
  private async unanswered(id: string, lookup: Extract<Lookup, { kind: 'unanswered' }>): Promise<void> {
    if (lookup.outcome.kind === 'rate_limited') {
      const p = this.progressOf(id);
      this.ctx.bucket.pause(lookup.outcome.retryAfterMs ?? backoffMs(p.failures, this.ctx.random, this.ctx.timing.backoffBaseMs, this.ctx.timing.backoffMaxMs));
      p.failures += 1;
      return;
    }
    await this.backoff(id);
  }

  private lookup(sale: SaleRecord): Promise<Lookup> {
    const take = () => this.ctx.bucket.take();
    return sale.syssn
      ? findBySyssn(this.ctx.client, take, sale.syssn)
      : findByOutTradeNo(this.ctx.client, take, sale.outTradeNo, sale.txdtm, 'payment');
  }

  /** A paid record wins over whatever the till was doing (rule 4: a late payment is still a payment). */
  private markPaid(id: string, record: QueryRecord, how: string): void {
    this.ctx.crash('poll.after_paid_answer');
    this.transition(
      id,
      OPEN_SALE_STATES,
      (s) => ({
        state: 'paid',
        syssn: s.syssn ?? record.syssn,
        paidAtMs: this.now(),
        paydtm: record.paydtm ?? null,
        chnlsn: record.chnlsn ?? null,
        lastRespcd: '0000',
        lastMessage: null,
        // Loud only when the cashier asked to cancel: after an expiry or a lost QR the sale is simply paid.
        paidAfterCancel: s.cancelReason === 'cashier',
      }),
      { reason: how, syssn: record.syssn },
    );
  }

  // ---- awaiting_scan: poll inside the budget --------------------------------------

  /** One status query of a shown QR; returns how long to wait before the next, or undefined to go on at once. */
  async pollOnce(sale: SaleRecord): Promise<number | undefined> {
    const id = sale.outTradeNo;
    const p = this.progressOf(id);
    p.qrShownAtMs ??= this.now();
    if (this.now() >= sale.expiresAtMs) {
      // Rule 5: hide the QR first (committed), then close and confirm.
      this.requestCancel(id, 'expiry');
      return undefined;
    }
    const lookup = await this.lookup(sale);
    if (lookup.kind === 'unanswered') {
      this.ctx.setActivity(id, 'checking');
      await this.unanswered(id, lookup);
      return undefined;
    }
    p.failures = 0;
    if (lookup.kind === 'absent') {
      this.ctx.setActivity(id, 'checking');
    } else {
      const record = lookup.record;
      switch (record.treatment) {
        case 'success':
          this.markPaid(id, record, 'customer paid');
          return undefined;
        case 'in_progress':
          this.ctx.setActivity(id, record.respcd === '1145' ? 'customer_paying' : 'waiting');
          break;
        case 'expired':
          this.transition(id, ['awaiting_scan'], { state: 'expired', lastRespcd: record.respcd }, { reason: 'QFPay reports the order expired' });
          return undefined;
        case 'closed':
          this.transition(id, ['awaiting_scan'], { state: 'cancelled', lastRespcd: record.respcd }, { reason: 'order closed outside this till' });
          return undefined;
        case 'failed':
        case 'refunded':
          this.transition(id, ['awaiting_scan'], { state: 'failed', lastRespcd: record.respcd, lastMessage: record.errmsg ?? null }, { reason: 'payment failed', respcd: record.respcd });
          return undefined;
        default:
          this.ctx.setActivity(id, 'checking');
      }
    }
    const t = this.ctx.timing;
    const fast = this.now() - (p.qrShownAtMs ?? 0) < t.fastWindowMs;
    const budgetGap = Math.ceil(60_000 / this.ctx.bucket.perMinute);
    const interval = fast ? Math.max(t.fastPollMs, budgetGap) : Math.max(t.slowPollMs, budgetGap);
    return Math.min(interval, Math.max(0, sale.expiresAtMs - this.now()));
  }

  // ---- unknown: did QFPay create the order? -----------------------------------

  private async resolveUnknown(sale: SaleRecord): Promise<void> {
    const id = sale.outTradeNo;
    const lookup = await findByOutTradeNo(this.ctx.client, () => this.ctx.bucket.take(), id, sale.txdtm, 'payment');
    if (lookup.kind === 'unanswered') {
      await this.unanswered(id, lookup);
      return;
    }
    this.progressOf(id).failures = 0;
    if (lookup.kind === 'absent') {
      if (this.now() - sale.createdAtMs >= this.ctx.timing.notCreatedGraceMs) {
        // Give up the close-then-confirm way, so a late-arriving order cannot linger.
        this.requestCancel(id, sale.cancelReason ?? 'no_qr');
        return;
      }
      await this.sleep(id, this.ctx.timing.slowPollMs);
      return;
    }
    const record = lookup.record;
    switch (record.treatment) {
      case 'success':
        this.markPaid(id, record, 'query found the order paid');
        return;
      case 'in_progress':
      case 'unknown':
      case 'not_paid_confirm':
        // The order exists but the till never got its QR: nobody can pay it here, so close it.
        this.transition(id, ['unknown'], { syssn: record.syssn, lastRespcd: record.respcd }, { reason: 'order exists without a QR on screen' });
        this.requestCancel(id, sale.cancelReason ?? 'no_qr');
        return;
      case 'expired':
        this.transition(id, ['unknown'], { state: 'expired', syssn: record.syssn, lastRespcd: record.respcd }, { reason: 'query found the order expired' });
        return;
      case 'closed':
        this.transition(id, ['unknown'], { state: 'cancelled', syssn: record.syssn, lastRespcd: record.respcd }, { reason: 'query found the order closed' });
        return;
      default:
        this.transition(id, ['unknown'], { state: 'failed', syssn: record.syssn, lastRespcd: record.respcd, lastMessage: record.errmsg ?? null }, { reason: 'query found the order failed' });
    }
  }

  // ---- cancelling: close, then confirm -------------------------------------------

  /**
   * Commits the wish to cancel before anything is sent (the QR disappears at
   * once). A sale still requesting keeps its state: the payment answer, when
   * it comes, leads straight to cancelling.
   */
  requestCancel(id: string, reason: CancelReason): SaleRecord | undefined {
    const now = this.now();
    const sale = this.ctx.journal.sale(id);
    if (!sale) return undefined;
    if (sale.state === 'cancelling') return sale;
    const updated =
      sale.state === 'requesting'
        ? this.transition(id, ['requesting'], { cancelReason: reason, cancelRequestedAtMs: now }, { reason: `cancel requested (${reason}) while the order is being created` })
        : this.transition(id, ['awaiting_scan', 'unknown'], { state: 'cancelling', cancelReason: reason, cancelRequestedAtMs: now }, { reason: `cancel (${reason})` });
    if (updated?.state === 'cancelling') this.ctx.crash('cancel.after_write_ahead');
    this.ctx.wakeFor(id).fire();
    return updated;
  }

  private finalForClosed(sale: SaleRecord): SaleState {
    if (sale.cancelReason === 'expiry') return 'expired';
    if (sale.cancelReason === 'no_qr') return 'failed';
    return 'cancelled';
  }

  private async sendClose(sale: SaleRecord, p: Progress): Promise<void> {
    await this.ctx.bucket.take();
    const outcome = await this.ctx.client.close({ out_trade_no: sale.outTradeNo, txamt: sale.amountMinor, udid: sale.udid });
    this.ctx.crash('cancel.after_close_answer');
    p.lastCloseAtMs = this.now();
    if (outcome.kind === 'answered') {
      const a = outcome.answer;
      p.close =
        a.treatment === 'success'
          ? 'accepted'
          : a.treatment === 'paid_confirm'
            ? 'paid'
            : a.treatment === 'closed'
              ? 'closed'
              : a.treatment === 'expired'
                ? 'expired'
                : a.respcd === '1136'
                  ? 'not_found'
                  : a.treatment === 'failed'
                    ? 'refused'
                    : 'pending';
      this.transition(sale.outTradeNo, ['cancelling'], { lastRespcd: a.respcd }, { reason: `close answered ${a.respcd}`, close: p.close });
    } else {
      if (outcome.kind === 'rate_limited') {
        this.ctx.bucket.pause(outcome.retryAfterMs ?? backoffMs(p.failures, this.ctx.random, this.ctx.timing.backoffBaseMs, this.ctx.timing.backoffMaxMs));
      }
      p.close = 'pending';
    }
  }

  private async cancelStep(sale: SaleRecord): Promise<void> {
    const id = sale.outTradeNo;
    const p = this.progressOf(id);
    const t = this.ctx.timing;
    // 'not_found' is retried too: a payment request still on its way (the
    // sale was unknown) can create the order after the close found nothing,
    // and that order must be closed, not left open until its QR expires.
    const retryable = p.close === 'refused' || p.close === 'pending' || p.close === 'not_found';
    const sinceClose = this.now() - (p.lastCloseAtMs ?? 0);
    // An accepted close that QFPay still does not reflect after a while is sent again (it is idempotent: 1142).
    const retryDue = p.close === undefined || (retryable && sinceClose >= t.closeRetryMs) || (p.close === 'accepted' && sinceClose >= 3 * t.closeRetryMs);
    if (retryDue) await this.sendClose(sale, p);
    if (this.ctx.stopping()) return;

    if (p.close === 'expired') {
      this.transition(id, ['cancelling'], { state: 'expired' }, { reason: 'QFPay says the order expired' });
      return;
    }
    // Confirm by query whatever close said: "closed" must be seen, and a payment that raced the close must win.
    const lookup = await this.lookup(sale);
    if (lookup.kind === 'unanswered') {
      await this.unanswered(id, lookup);
      return;
    }
    p.failures = 0;
    if (lookup.kind === 'found') {
      const record = lookup.record;
      if (record.treatment === 'success') {
        this.markPaid(id, record, 'paid although a cancel was asked for');
        return;
      }
      if (record.treatment === 'closed' || CLOSED_CODES.has(record.respcd) || record.cancel === 2) {
        this.transition(id, ['cancelling'], (s) => ({ state: this.finalForClosed(s), syssn: s.syssn ?? record.syssn, lastRespcd: record.respcd }), { reason: 'close confirmed' });
        return;
      }
      if (record.treatment === 'expired') {
        this.transition(id, ['cancelling'], { state: 'expired', lastRespcd: record.respcd }, { reason: 'QFPay reports the order expired' });
        return;
      }
      if (record.treatment === 'failed' || record.treatment === 'refunded') {
        this.transition(id, ['cancelling'], { state: 'failed', lastRespcd: record.respcd, lastMessage: record.errmsg ?? null }, { reason: 'order failed' });
        return;
      }
      // Still open at QFPay: the close has not shown yet, or was refused. Keep querying; retry the close when due.
      await this.sleep(id, p.close === 'accepted' || p.close === 'closed' || p.close === 'paid' ? t.fastPollMs : Math.min(t.slowPollMs, t.closeRetryMs));
      return;
    }
    // Absent: the order was never created (or is not visible yet).
    // Wait out the grace period even after a 1136: a delayed payment request could still create it.
    // A close answered "already paid" (1260) proves the order exists and was
    // paid: absence from /query then means QFPay's query has not caught up,
    // never "nothing was charged". Keep asking until the payment shows.
    if (p.close !== 'paid' && this.now() - sale.createdAtMs >= t.notCreatedGraceMs) {
      this.transition(
        id,
        ['cancelling'],
        (s) => ({ state: this.finalForClosed(s), lastMessage: 'QFPay has no such order: nothing was charged' }),
        { reason: 'order never created' },
      );
      return;
    }
    await this.sleep(id, t.slowPollMs);
  }

  // ---- recovery -------------------------------------------------------------------

  /** Prepares an open sale found at start; true when its QR is fresh enough to show again. */
  prepareRecovery(sale: SaleRecord): boolean {
    const id = sale.outTradeNo;
    if (sale.state === 'requesting') {
      // The request may or may not have left before the crash: never resend it, query.
      this.transition(id, ['requesting'], { state: 'unknown' }, { reason: 'recovery: payment request may have been sent' });
      return false;
    }
    if (sale.state === 'awaiting_scan') {
      if (sale.expiresAtMs - this.now() >= this.ctx.timing.resumeMinRemainingMs) return true;
      this.requestCancel(id, 'recovery');
    }
    return false;
  }
}
