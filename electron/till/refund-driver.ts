import type { RefundState } from '../../shared/sale';
import type { RefundPatch, RefundRecord } from '../journal/journal';
import { BucketStoppedError, backoffMs } from './budget';
import type { EngineContext } from './engine';
import { findByOutTradeNo } from './lookup';

// A refund is a sale in reverse (DESIGN.md rule 8): written ahead, sent once,
// and when the answer is unclear, found by query under its own out_trade_no.

export class RefundDriver {
  private readonly failures = new Map<string, number>();

  constructor(private readonly ctx: EngineContext) {}

  private transition(id: string, from: readonly RefundState[], patch: RefundPatch, event: Record<string, unknown>): RefundRecord | undefined {
    const now = this.ctx.clock.now();
    const final = patch.state === 'refunded' || patch.state === 'failed';
    const updated = this.ctx.journal.updateRefund(id, from, { ...patch, updatedAtMs: now, ...(final ? { finalAtMs: now } : {}) }, event);
    if (updated) {
      this.ctx.emitRefund(id);
      // The sale's refunded total changed with it.
      if (updated.state === 'refunded') this.ctx.emitSale(updated.saleOutTradeNo);
    }
    return updated;
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
    const outcome = await this.ctx.client.refund({ syssn: sale.syssn, out_trade_no: refund.outTradeNo, txamt: refund.amountMinor, txdtm: refund.txdtm, udid: refund.udid });
    this.ctx.crash('refund.after_response');
    switch (outcome.kind) {
      case 'invalid':
        this.transition(id, ['requesting'], { state: 'failed', lastMessage: outcome.error.message }, { reason: 'invalid input', field: outcome.error.field });
        break;
      case 'rate_limited':
        // The request did not run (API.md): nothing was refunded.
        this.ctx.bucket.pause(outcome.retryAfterMs ?? backoffMs(0, this.ctx.random, this.ctx.timing.backoffBaseMs, this.ctx.timing.backoffMaxMs));
        this.transition(id, ['requesting'], { state: 'failed', lastRespcd: 'HTTP_429', lastMessage: 'QFPay is busy: nothing was refunded' }, { reason: 'rate limited' });
        break;
      case 'unknown':
        this.transition(id, ['requesting'], { state: 'unknown', lastMessage: outcome.detail }, { reason: `refund ${outcome.reason}` });
        break;
      case 'answered': {
        const a = outcome.answer;
        if (a.treatment === 'success') {
          this.transition(id, ['requesting'], { state: 'refunded', syssn: a.syssn ?? null, sysdtm: a.sysdtm ?? null, lastRespcd: a.respcd }, { reason: 'refunded', syssn: a.syssn });
        } else if (a.treatment === 'failed' || a.treatment === 'closed' || a.treatment === 'expired' || a.treatment === 'refunded') {
          this.transition(id, ['requesting'], { state: 'failed', lastRespcd: a.respcd, lastMessage: a.resperr || a.respmsg || null }, { reason: 'refund refused', respcd: a.respcd });
        } else {
          this.transition(id, ['requesting'], { state: 'unknown', syssn: a.syssn ?? null, lastRespcd: a.respcd }, { reason: 'refund answer unclear', respcd: a.respcd });
        }
        break;
      }
    }
    this.ctx.crash('refund.after_record');
  }

  prepareRecovery(refund: RefundRecord): void {
    if (refund.state === 'requesting') {
      this.transition(refund.outTradeNo, ['requesting'], { state: 'unknown' }, { reason: 'recovery: refund request may have been sent' });
    }
  }

  /** Resolves an unclear refund by query until it is refunded or known never to have happened. */
  async run(id: string): Promise<void> {
    for (;;) {
      if (this.ctx.stopping()) return;
      const refund = this.ctx.journal.refund(id);
      if (!refund || refund.state === 'refunded' || refund.state === 'failed') {
        this.failures.delete(id);
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

  private async step(refund: RefundRecord): Promise<void> {
    const id = refund.outTradeNo;
    if (refund.state === 'requesting') {
      this.prepareRecovery(refund);
      return;
    }
    const lookup = await findByOutTradeNo(this.ctx.client, () => this.ctx.bucket.take(), id, refund.txdtm, 'refund');
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
    if (lookup.kind === 'found') {
      const r = lookup.record;
      if (r.treatment === 'success') {
        this.transition(id, ['unknown'], { state: 'refunded', syssn: r.syssn, sysdtm: r.sysdtm ?? null, lastRespcd: r.respcd }, { reason: 'query found the refund done' });
        return;
      }
      if (r.treatment === 'failed' || r.treatment === 'closed' || r.treatment === 'expired') {
        this.transition(id, ['unknown'], { state: 'failed', syssn: r.syssn, lastRespcd: r.respcd, lastMessage: r.errmsg ?? null }, { reason: 'query found the refund failed' });
        return;
      }
    } else if (lookup.kind === 'absent' && this.ctx.clock.now() - refund.createdAtMs >= this.ctx.timing.notCreatedGraceMs) {
      // Long past any request timeout and QFPay has no such refund: it never happened.
      this.transition(id, ['unknown'], { state: 'failed', lastMessage: 'QFPay has no such refund: nothing was refunded' }, { reason: 'refund never created' });
      return;
    }
    await this.sleep(this.ctx.timing.refundPollMs, wake);
  }

  /** A stopping till does not wait out an interval: stop() may have fired the wake before this sleep began. */
  private async sleep(ms: number, wake: ReturnType<EngineContext['wakeFor']>): Promise<void> {
    if (this.ctx.stopping()) return;
    await this.ctx.clock.sleep(ms, wake);
  }
}
