import type { RefundState } from '../../shared/sale';
import type { RefundPatch, RefundRecord } from '../journal/journal';
import { BucketStoppedError, backoffMs } from './budget';
import type { Clock } from './clock';
import type { EngineContext } from './engine';
import { findByOutTradeNo, type Lookup } from './lookup';
import { judgeRefundAnswer, judgeRefundRecord } from './refund-verdicts';

// A refund is a sale in reverse (DESIGN.md rule 8): written ahead, sent once,
// and when the answer is unclear, found by query under its own out_trade_no.
// A refund whose outcome is not known stays `unknown` — its amount reserved,
// another refund of the sale refused — until QFPay says it is done, says it
// failed for good, or still has no trace of it a whole processing window
// after it could last have received the request (issue 9 §3: a request held
// up in the network was run 6 s and 75 s after the till had called it failed,
// and the retry refunded the customer twice).

const DEFAULT_REQUEST_TIMEOUT_MS = 15_000;

/** Time for durations: wall-clock steps must not stretch or cut the window (issue 9: a clock stepped forward declared a refund absent at once). */
function monotonicNow(clock: Clock): number {
  return clock.monotonic();
}

export class RefundDriver {
  private readonly failures = new Map<string, number>();
  /** Per refund this process follows: the monotonic time from which its absence at QFPay proves it never ran. */
  private readonly absentAfter = new Map<string, number>();

  constructor(private readonly ctx: EngineContext) {}

  private get requestTimeoutMs(): number {
    return this.ctx.config.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  }

  private transition(id: string, from: readonly RefundState[], patch: RefundPatch, event: Record<string, unknown>): RefundRecord | undefined {
    const now = this.ctx.clock.now();
    const final = patch.state === 'refunded' || patch.state === 'failed';
    const updated = this.ctx.journal.updateRefund(id, from, { ...patch, updatedAtMs: now, ...(final ? { finalAtMs: now } : {}) }, event);
    if (updated) this.told(updated);
    return updated;
  }

  private told(updated: RefundRecord): void {
    this.ctx.emitRefund(updated.outTradeNo);
    // The sale's refunded total changed with it.
    if (updated.state === 'refunded') this.ctx.emitSale(updated.saleOutTradeNo);
  }

  /** Unknown until a query settles it; absent is proof only from `lastReceiptMs` plus QFPay's window. */
  private unknownFrom(id: string, lastReceiptMs: number, patch: RefundPatch, event: Record<string, unknown>): void {
    this.absentAfter.set(id, lastReceiptMs + this.ctx.timing.refundProcessingWindowMs);
    this.transition(id, ['requesting'], { ...patch, state: 'unknown' }, event);
  }

  /** The refund request: sent once, from TillEngine.refund, right after the write-ahead. */
  async sendRefund(id: string): Promise<void> {
    const refund = this.ctx.journal.refund(id);
    const sale = refund ? this.ctx.journal.sale(refund.saleOutTradeNo) : undefined;
    if (!refund || refund.state !== 'requesting' || !sale?.syssn) return;
    try {
      await this.ctx.bucket.take();
    } catch (error) {
      if (!(error instanceof BucketStoppedError)) throw error;
      // The till stopped before the request left: nothing was refunded.
      this.transition(id, ['requesting'], { state: 'failed', lastMessage: 'the till stopped before the refund was sent' }, { reason: 'not sent: the till stopped' });
      return;
    }
    // Noted before it leaves, after the budget's wait: QFPay may have it from now on, not from the write-ahead.
    const sentAt = monotonicNow(this.ctx.clock);
    if (!this.ctx.journal.noteRefundSent(id, this.ctx.clock.now())) return;
    const outcome = await this.ctx.client.refund({ syssn: sale.syssn, out_trade_no: refund.outTradeNo, txamt: refund.amountMinor, txdtm: refund.txdtm, udid: refund.udid });
    const answeredAt = monotonicNow(this.ctx.clock);
    this.ctx.crash('refund.after_response');
    switch (outcome.kind) {
      case 'invalid':
        // Refused by the client before anything was sent.
        this.transition(id, ['requesting'], { state: 'failed', lastMessage: outcome.error.message }, { reason: 'invalid input', field: outcome.error.field });
        break;
      case 'rate_limited':
        // The request did not run (API.md): nothing was refunded.
        this.ctx.bucket.pause(outcome.retryAfterMs ?? backoffMs(0, this.ctx.random, this.ctx.timing.backoffBaseMs, this.ctx.timing.backoffMaxMs));
        this.transition(id, ['requesting'], { state: 'failed', lastRespcd: 'HTTP_429', lastMessage: 'QFPay is busy: nothing was refunded' }, { reason: 'rate limited' });
        break;
      case 'unknown':
        // Until the client gave up, the request could still reach QFPay.
        this.unknownFrom(id, Math.max(answeredAt, sentAt + this.requestTimeoutMs), { lastMessage: outcome.detail }, { reason: `refund ${outcome.reason}` });
        break;
      case 'answered': {
        const a = outcome.answer;
        const verdict = judgeRefundAnswer(a, { outTradeNo: refund.outTradeNo, amountMinor: refund.amountMinor });
        const message = a.resperr || a.respmsg || null;
        switch (verdict.kind) {
          case 'refunded':
            this.transition(id, ['requesting'], { state: 'refunded', syssn: a.syssn ?? null, sysdtm: a.sysdtm ?? null, lastRespcd: a.respcd }, { reason: 'refunded', syssn: a.syssn });
            break;
          case 'failed':
            this.transition(id, ['requesting'], { state: 'failed', lastRespcd: a.respcd, lastMessage: message }, { reason: 'refund refused before it ran', respcd: a.respcd });
            break;
          case 'pending':
            // QFPay numbered it: its syssn finds it whatever the time range.
            this.unknownFrom(id, answeredAt, { syssn: a.syssn ?? null, lastRespcd: a.respcd, lastMessage: message }, { reason: 'refund in progress', respcd: a.respcd, syssn: a.syssn });
            break;
          case 'unclear':
            this.unknownFrom(id, answeredAt, { lastRespcd: a.respcd, lastMessage: message }, { reason: 'refund answer unclear: confirming by query', respcd: a.respcd, why: verdict.why, syssn: a.syssn });
            break;
        }
        break;
      }
    }
    this.ctx.crash('refund.after_record');
  }

  prepareRecovery(refund: RefundRecord): void {
    if (refund.state !== 'requesting') return;
    const now = this.ctx.clock.now();
    const failed = this.ctx.journal.failUnsentRefund(
      refund.outTradeNo,
      { updatedAtMs: now, finalAtMs: now, lastMessage: 'the refund request never left the till: nothing was refunded' },
      { reason: 'recovery: refund request never sent' },
    );
    if (failed) this.told(failed);
    else this.transition(refund.outTradeNo, ['requesting'], { state: 'unknown' }, { reason: 'recovery: refund request may have been sent' });
  }

  /** Resolves an unclear refund by query until it is refunded or known never to have happened. */
  async run(id: string): Promise<void> {
    for (;;) {
      if (this.ctx.stopping()) return;
      const refund = this.ctx.journal.refund(id);
      if (!refund || refund.state === 'refunded' || refund.state === 'failed') {
        this.failures.delete(id);
        this.absentAfter.delete(id);
        return;
      }
      try {
        await this.step(refund);
      } catch (error) {
        if (error instanceof BucketStoppedError) throw error;
        // A bug must not strand a refund: report it, back off, and look at the row again.
        this.ctx.reportError(`refund ${id}`, error);
        const n = this.failures.get(id) ?? 0;
        this.failures.set(id, n + 1);
        await this.sleep(backoffMs(n, this.ctx.random, this.ctx.timing.backoffBaseMs, this.ctx.timing.backoffMaxMs), this.ctx.wakeFor(id));
      }
    }
  }

  /**
   * From when an absent refund is proof of nothing. For a refund this process
   * did not send (a restart, another process) only the journal's wall-clock
   * send time is left — a monotonic clock does not survive a restart — so the
   * window is counted from it, capped at a whole window from now.
   */
  private absentDeadline(refund: RefundRecord): number {
    const known = this.absentAfter.get(refund.outTradeNo);
    if (known !== undefined) return known;
    const sentAt = this.ctx.journal.refundSentAtMs(refund.outTradeNo) ?? refund.createdAtMs;
    const span = this.requestTimeoutMs + this.ctx.timing.refundProcessingWindowMs;
    const remaining = Math.min(span, Math.max(0, sentAt + span - this.ctx.clock.now()));
    const deadline = monotonicNow(this.ctx.clock) + remaining;
    this.absentAfter.set(refund.outTradeNo, deadline);
    return deadline;
  }

  private async step(refund: RefundRecord): Promise<void> {
    const id = refund.outTradeNo;
    if (refund.state === 'requesting') {
      this.prepareRecovery(refund);
      return;
    }
    const deadline = this.absentDeadline(refund);
    const askedAt = monotonicNow(this.ctx.clock);
    const lookup = await this.find(refund);
    const wake = this.ctx.wakeFor(id);
    if (lookup.kind === 'unanswered') {
      const n = this.failures.get(id) ?? 0;
      this.failures.set(id, n + 1);
      const wait = backoffMs(n, this.ctx.random, this.ctx.timing.backoffBaseMs, this.ctx.timing.backoffMaxMs);
      if (lookup.outcome.kind === 'rate_limited') this.ctx.bucket.pause(lookup.outcome.retryAfterMs ?? wait);
      else await this.sleep(wait, wake);
      return;
    }
    this.failures.set(id, 0);
    const windowOver = askedAt >= deadline;
    if (lookup.kind === 'found') {
      const r = lookup.record;
      const verdict = judgeRefundRecord(r, refund.amountMinor, windowOver);
      if (verdict.kind === 'refunded') {
        this.transition(id, ['unknown'], { state: 'refunded', syssn: r.syssn, sysdtm: r.sysdtm ?? null, lastRespcd: r.respcd }, { reason: 'query found the refund done' });
        return;
      }
      if (verdict.kind === 'failed') {
        this.transition(id, ['unknown'], { state: 'failed', syssn: r.syssn, lastRespcd: r.respcd, lastMessage: r.errmsg ?? null }, { reason: 'query found the refund failed', respcd: r.respcd });
        return;
      }
    } else if (lookup.kind === 'absent' && refund.syssn === null && windowOver) {
      // Absent (an unreadable answer proves nothing), and QFPay's whole processing window has passed since it could last have
      // received the request, and it has no such refund: it never ran. (A
      // refund QFPay numbered exists: its absence is a lag, never proof.)
      this.transition(id, ['unknown'], { state: 'failed', lastMessage: 'QFPay has no such refund: nothing was refunded' }, { reason: 'refund absent after the processing window' });
      return;
    }
    await this.sleep(this.ctx.timing.refundPollMs, wake);
  }

  /** By the refund's own syssn when QFPay gave one (any time range), else by its out_trade_no. */
  private async find(refund: RefundRecord): Promise<Lookup> {
    const take = () => this.ctx.bucket.take();
    if (refund.syssn === null) return findByOutTradeNo(this.ctx.client, take, refund.outTradeNo, refund.txdtm, 'refund');
    await take();
    const outcome = await this.ctx.client.query({ syssn: refund.syssn });
    if (outcome.kind !== 'answered' || outcome.answer.respcd !== '0000') return { kind: 'unanswered', outcome };
    const record = outcome.answer.records.find((r) => r.syssn === refund.syssn && r.order_type === 'refund');
    return record ? { kind: 'found', record } : { kind: 'absent' };
  }

  /** A stopping till does not wait out an interval: stop() may have fired the wake before this sleep began. */
  private async sleep(ms: number, wake: ReturnType<EngineContext['wakeFor']>): Promise<void> {
    if (this.ctx.stopping()) return;
    await this.ctx.clock.sleep(ms, wake);
  }
}
