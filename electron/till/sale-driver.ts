import { OPEN_SALE_STATES, type CancelReason } from '../../shared/sale';
import type { RealName } from '../../shared/real-name';
import type { SaleRecord } from '../journal/journal';
import { recordStatus } from '../qfpay/responses';
import { BucketStoppedError } from './budget';
import type { EngineContext } from './engine';
import { cancelStep, requestCancel } from './sale-cancel';
import { codeStep, isConsumerPresented } from './sale-code';
import { SaleFlow, isJournalError } from './sale-flow';
import { sendPayment } from './sale-payment';

// One sale's life after the write-ahead: the payment request (sent exactly
// once per order, from charge), then a loop that reads the journal row and
// takes one step for its state until the sale is final. The row is the only
// state that matters: a crash anywhere leaves a row from which recovery takes
// the same steps. The flows live beside this file: the payment request and
// re-issue (sale-payment.ts), closing (sale-cancel.ts), what they share
// (sale-flow.ts).

export class SaleDriver {
  private readonly flow: SaleFlow;

  constructor(private readonly ctx: EngineContext) {
    this.flow = new SaleFlow(ctx);
  }

  async sendPaymentThenRun(id: string): Promise<void> {
    await sendPayment(this.flow, id);
    await this.run(id);
  }

  holdRealName(id: string, realName: RealName): void {
    this.flow.holdRealName(id, realName);
  }

  holdAuthCode(id: string, code: string): void {
    this.flow.holdAuthCode(id, code);
  }

  /** On stop: every plain code and real name goes. */
  dropAllPersonal(): void {
    this.flow.dropAllPersonal();
  }

  /** Sales whose real-name check is still held in memory (open sales only). */
  get personalHeld(): number {
    return this.flow.personalHeld;
  }

  requestCancel(id: string, reason: CancelReason): SaleRecord | undefined {
    return requestCancel(this.flow, id, reason);
  }

  /**
   * Parks an open sale (DESIGN.md rule 2): it stays open and is settled in
   * the background, but no longer blocks a charge and never shows its QR
   * again (a sale still awaiting scan is closed first).
   */
  park(id: string, why: string): SaleRecord | undefined {
    const sale = this.ctx.journal.sale(id);
    if (!sale || !OPEN_SALE_STATES.includes(sale.state) || sale.parkedAtMs !== null) return undefined;
    if (sale.state === 'awaiting_scan') this.requestCancel(id, 'recovery');
    return this.flow.transition(id, OPEN_SALE_STATES, (s) => (s.parkedAtMs === null ? { parkedAtMs: this.flow.now() } : {}), { reason: `parked: ${why}` });
  }

  // ---- the loop ----------------------------------------------------------------

  async run(id: string): Promise<void> {
    for (;;) {
      if (this.ctx.stopping()) return;
      const sale = this.ctx.journal.sale(id);
      if (!sale || !OPEN_SALE_STATES.includes(sale.state)) {
        this.flow.forget(id);
        this.flow.dropPersonal(id);
        return;
      }
      try {
        await this.step(sale);
      } catch (error) {
        if (error instanceof BucketStoppedError) throw error;
        // The journal refused a write (disk full): say so, wait, and take the step again from the row.
        // Anything else is a bug: it must not strand a sale either.
        if (isJournalError(error)) this.ctx.journalFailed(error);
        else this.ctx.reportError(`sale ${id}`, error);
        await this.flow.backoff(id);
      }
    }
  }

  private async step(sale: SaleRecord): Promise<void> {
    const id = sale.outTradeNo;
    // A scanned code has its own flow: no QR, no re-issue, reversal instead of close (sale-code.ts).
    if (isConsumerPresented(sale)) {
      await codeStep(this.flow, sale);
      return;
    }
    switch (sale.state) {
      case 'requesting':
        // Only reachable if the request's fate is unknown (recovery): never resend it.
        this.flow.transition(id, ['requesting'], { state: 'unknown' }, { reason: 'payment request may have been sent' });
        break;
      case 'unknown':
        await this.resolveUnknown(sale);
        break;
      case 'awaiting_scan': {
        const wait = await this.pollOnce(sale);
        if (wait !== undefined) await this.flow.sleep(id, wait);
        break;
      }
      case 'cancelling':
        await cancelStep(this.flow, sale);
        break;
      default:
        break;
    }
  }

  // ---- awaiting_scan: poll inside the budget --------------------------------------

  /** One status query of a shown QR; returns how long to wait before the next, or undefined to go on at once. */
  async pollOnce(sale: SaleRecord): Promise<number | undefined> {
    const id = sale.outTradeNo;
    const flow = this.flow;
    const p = flow.anchors(sale);
    p.qrShownAtMono ??= flow.mono();
    if (flow.mono() >= p.expiresAtMono!) {
      // Rule 5: hide the QR first (committed), then close and confirm.
      this.requestCancel(id, 'expiry');
      return undefined;
    }
    const lookup = await flow.lookup(sale);
    if (lookup.kind === 'unanswered') {
      if (lookup.outcome.kind !== 'rate_limited') this.ctx.setActivity(id, 'checking');
      await flow.unanswered(id, lookup);
      return undefined;
    }
    flow.answered(id);
    if (lookup.kind !== 'found') {
      this.ctx.setActivity(id, 'checking');
    } else {
      const record = lookup.record;
      switch (recordStatus(record)) {
        case 'paid':
          flow.markPaid(id, record, 'customer paid');
          return undefined;
        case 'open':
          this.ctx.setActivity(id, record.respcd === '1145' ? 'customer_paying' : 'waiting');
          break;
        case 'expired':
          flow.transition(id, ['awaiting_scan'], { state: 'expired', lastRespcd: record.respcd }, { reason: 'QFPay reports the order expired' });
          return undefined;
        case 'closed':
          flow.transition(id, ['awaiting_scan'], { state: 'cancelled', lastRespcd: record.respcd }, { reason: 'order closed outside this till' });
          return undefined;
        case 'declined':
          // The customer's attempt failed (balance, bank busy, …): the QR can still be paid. Say so, keep watching.
          if (sale.lastRespcd !== record.respcd) {
            flow.transition(id, ['awaiting_scan'], { lastRespcd: record.respcd, lastMessage: record.errmsg ?? null }, { reason: 'customer attempt declined, order still open', respcd: record.respcd });
          }
          this.ctx.setActivity(id, 'declined');
          break;
        default:
          this.ctx.setActivity(id, 'checking');
      }
    }
    const t = this.ctx.timing;
    const fast = flow.mono() - p.qrShownAtMono < t.fastWindowMs;
    const budgetGap = Math.ceil(60_000 / this.ctx.bucket.perMinute);
    const interval = fast ? Math.max(t.fastPollMs, budgetGap) : Math.max(t.slowPollMs, budgetGap);
    return Math.min(interval, Math.max(0, p.expiresAtMono! - flow.mono()));
  }

  // ---- unknown: did QFPay create the order? -----------------------------------

  private async resolveUnknown(sale: SaleRecord): Promise<void> {
    const id = sale.outTradeNo;
    const flow = this.flow;
    const p = flow.anchors(sale);
    const lookup = await flow.ask(sale);
    if (!lookup) return;
    if (lookup.kind === 'unreadable') {
      await flow.sleep(id, this.ctx.timing.slowPollMs);
      return;
    }
    if (lookup.kind === 'absent') {
      if (flow.mono() - p.sentAtMono! >= this.ctx.timing.notCreatedGraceMs) {
        // Give up the close-then-confirm way, so a late-arriving order cannot linger.
        this.requestCancel(id, sale.cancelReason ?? 'no_qr');
        return;
      }
      await flow.sleep(id, this.ctx.timing.slowPollMs);
      return;
    }
    const record = lookup.record;
    switch (recordStatus(record)) {
      case 'paid':
        flow.markPaid(id, record, 'query found the order paid');
        return;
      case 'expired':
        flow.transition(id, ['unknown'], { state: 'expired', syssn: record.syssn, lastRespcd: record.respcd }, { reason: 'query found the order expired' });
        return;
      default:
        // The order exists (open, a declined attempt, closed, unreadable as to payment) but the till never got
        // its QR: nobody can pay it here. Close it and confirm; once closed, its QR is re-issued.
        flow.transition(id, ['unknown'], { syssn: record.syssn, lastRespcd: record.respcd }, { reason: 'order exists without a QR on screen' });
        this.requestCancel(id, sale.cancelReason ?? 'no_qr');
    }
  }

  // ---- recovery -------------------------------------------------------------------

  /**
   * Recovery's first look at a QR it would show again: polls until QFPay has
   * answered once (or the sale moved on). The caller bounds the wait.
   */
  async firstCheck(id: string): Promise<void> {
    for (;;) {
      const sale = this.ctx.journal.sale(id);
      if (!sale || sale.state !== 'awaiting_scan' || this.ctx.stopping()) return;
      await this.pollOnce(sale);
      if (this.flow.progressOf(id).failures === 0) return;
    }
  }

  /** Prepares an open sale found at start; true when its QR is fresh enough to show again. */
  prepareRecovery(sale: SaleRecord): boolean {
    const id = sale.outTradeNo;
    this.flow.progressOf(id).recovered = true;
    if (sale.state === 'requesting') {
      // The request may or may not have left before the crash: never resend it, query.
      this.flow.transition(id, ['requesting'], { state: 'unknown' }, { reason: 'recovery: payment request may have been sent' });
      return false;
    }
    if (sale.state === 'awaiting_scan' && isConsumerPresented(sale)) {
      // A scanned code is never resumed as "waiting": the customer may be gone. Query first (QFPay: reversal is
      // a last resort); what is not final is reversed (sale-code.ts).
      this.flow.transition(id, ['awaiting_scan'], { state: 'unknown' }, { reason: 'recovery: the customer may have confirmed meanwhile' });
      return false;
    }
    if (sale.state === 'awaiting_scan') {
      if (sale.parkedAtMs === null && sale.expiresAtMs - this.flow.now() >= this.ctx.timing.resumeMinRemainingMs) return true;
      this.requestCancel(id, 'recovery');
    }
    return false;
  }
}
