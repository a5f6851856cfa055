import { OPEN_SALE_STATES, type SaleState } from '../../shared/sale';
import type { SalePatch, SaleRecord } from '../journal/journal';
import type { RealName } from '../../shared/real-name';
import { recordStatus, type QueryRecord } from '../qfpay/responses';
import { BucketStoppedError, backoffMs } from './budget';
import type { EngineContext } from './engine';
import { findByOutTradeNo, findBySyssn, type Lookup } from './lookup';

// What every flow of a sale shares (the payment request, polling, closing,
// re-issuing): the journal transition, the per-sale progress kept in memory,
// waits and backoff, and the lookup of the sale's current order. Durations
// are measured on the monotonic clock only (a stepped wall clock must not
// stretch or cut a grace period); the wall clock is for the journal's times.

export type CloseAnswer = 'accepted' | 'paid' | 'closed' | 'expired' | 'not_found' | 'refused' | 'pending';

/** What this process knows about a sale beyond its row; lost at a crash, rebuilt conservatively. */
export interface Progress {
  /** Consecutive unanswered queries or 429s: drives the backoff. */
  failures: number;
  /** When the current order's payment request left, or when this process first met the order (monotonic). */
  sentAtMono?: number;
  /** When QFPay stops honouring the current order's QR (monotonic). */
  expiresAtMono?: number;
  qrShownAtMono?: number;
  close?: CloseAnswer;
  lastCloseAtMono?: number;
  /** Met at start-up (recovery settles what it finds; it never issues a fresh QR for a customer long gone). */
  recovered?: boolean;
}

/** A write the journal refused (disk full, I/O error, locked): better-sqlite3 codes start with SQLITE_. */
export function isJournalError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === 'string' && code.startsWith('SQLITE_');
}

export class SaleFlow {
  private readonly progress = new Map<string, Progress>();
  /**
   * Real-name checks of open sales, plain, for their payment requests only
   * (a re-issued order sends it again). Never journaled; dropped as soon as
   * the sale ends (run() forgets it) — the journal has only the masked form.
   */
  private readonly realNames = new Map<string, RealName>();

  holdRealName(id: string, realName: RealName): void {
    this.realNames.set(id, { idCardNumber: realName.idCardNumber, name: realName.name });
  }

  realNameOf(id: string): RealName | undefined {
    return this.realNames.get(id);
  }

  /** A scanned payment code, plain, until its one payment request takes it. */
  private readonly authCodes = new Map<string, string>();

  holdAuthCode(id: string, code: string): void {
    this.authCodes.set(id, code);
  }

  /** The code for the payment request, once: it is single-use, and never sent again. */
  takeAuthCode(id: string): string | undefined {
    const code = this.authCodes.get(id);
    this.authCodes.delete(id);
    return code;
  }

  /** The sale ended (or this process lets it go): its personal data goes. */
  dropPersonal(id: string): void {
    this.realNames.delete(id);
    this.authCodes.delete(id);
  }

  /** The engine stopped: nothing will send these again (a sale left open is recovered by query, never re-sent). */
  dropAllPersonal(): void {
    this.realNames.clear();
    this.authCodes.clear();
  }

  /** How many sales hold personal data in memory now (tests: none once every sale ended). */
  get personalHeld(): number {
    return this.realNames.size + this.authCodes.size;
  }

  constructor(readonly ctx: EngineContext) {}

  progressOf(id: string): Progress {
    let p = this.progress.get(id);
    if (!p) {
      p = { failures: 0 };
      this.progress.set(id, p);
    }
    return p;
  }

  forget(id: string): void {
    this.progress.delete(id);
  }

  /** Wall clock: journal times and what QFPay sees. */
  now(): number {
    return this.ctx.clock.now();
  }

  /** For durations. */
  mono(): number {
    return this.ctx.clock.monotonic();
  }

  /**
   * The monotonic anchors of a sale's order. One this process did not send
   * (recovery) is timed from the moment it is first met, which only ever
   * lengthens a grace period; its expiry is carried over from the row.
   */
  anchors(sale: SaleRecord): Progress {
    const p = this.progressOf(sale.outTradeNo);
    const mono = this.mono();
    p.sentAtMono ??= mono;
    p.expiresAtMono ??= mono + (sale.expiresAtMs - this.now());
    return p;
  }

  /** The order's QR has certainly expired at QFPay: past its expiry by the margin. */
  expiredForSure(sale: SaleRecord): boolean {
    const p = this.anchors(sale);
    return this.mono() >= p.expiresAtMono! + this.ctx.timing.expiryMarginMs;
  }

  /** Commits a transition and tells listeners; undefined when the row had moved on. */
  transition(id: string, from: readonly SaleState[], patch: SalePatch | ((s: SaleRecord) => SalePatch), event: Record<string, unknown>): SaleRecord | undefined {
    const now = this.now();
    const withTime = (s: SaleRecord): SalePatch => {
      const p = typeof patch === 'function' ? patch(s) : patch;
      const finalState = p.state && !OPEN_SALE_STATES.includes(p.state);
      return { ...p, updatedAtMs: now, ...(finalState ? { finalAtMs: now } : {}) };
    };
    const updated = this.ctx.journal.updateSale(id, from, withTime, event);
    this.ctx.journalWritten();
    if (updated) this.ctx.emitSale(id);
    return updated;
  }

  /**
   * A write that must not be lost (QFPay's answer to a request that cannot be
   * sent again): retried until the journal takes it. The engine refuses new
   * charges meanwhile and says why.
   */
  async persist<T>(id: string, write: () => T): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return write();
      } catch (error) {
        if (!isJournalError(error)) throw error;
        this.ctx.journalFailed(error);
        // Stopping with the answer unwritten is safe: recovery finds the order by query.
        if (this.ctx.stopping()) throw new BucketStoppedError();
        await this.sleep(id, backoffMs(attempt, this.ctx.random, this.ctx.timing.backoffBaseMs, this.ctx.timing.backoffMaxMs));
      }
    }
  }

  async sleep(id: string, ms: number): Promise<void> {
    if (this.ctx.stopping()) return;
    await this.ctx.clock.sleep(ms, this.ctx.wakeFor(id));
  }

  async backoff(id: string): Promise<void> {
    const p = this.progressOf(id);
    const ms = backoffMs(p.failures, this.ctx.random, this.ctx.timing.backoffBaseMs, this.ctx.timing.backoffMaxMs);
    p.failures += 1;
    await this.sleep(id, ms);
  }

  /** A lookup got no answer: 429 pauses the whole till (the cashier sees "busy"), anything else backs this sale off. */
  async unanswered(id: string, lookup: Extract<Lookup, { kind: 'unanswered' }>): Promise<void> {
    if (lookup.outcome.kind === 'rate_limited') {
      const p = this.progressOf(id);
      // The bucket caps a server-supplied wait (Retry-After) at maxServerWaitMs.
      this.ctx.bucket.pause(lookup.outcome.retryAfterMs ?? backoffMs(p.failures, this.ctx.random, this.ctx.timing.backoffBaseMs, this.ctx.timing.backoffMaxMs));
      p.failures += 1;
      this.ctx.setActivity(id, 'busy');
      return;
    }
    await this.backoff(id);
  }

  /** QFPay answered a lookup: the backoff starts over, and a "busy" notice is over. */
  answered(id: string): void {
    this.progressOf(id).failures = 0;
    this.ctx.clearBusy(id);
  }

  /**
   * Looks the sale's order up; when QFPay did not answer, backs off (or
   * pauses the till on a 429) and returns undefined: the caller's step ends.
   */
  async ask(sale: SaleRecord): Promise<Exclude<Lookup, { kind: 'unanswered' }> | undefined> {
    const lookup = await this.lookup(sale);
    if (lookup.kind === 'unanswered') {
      await this.unanswered(sale.outTradeNo, lookup);
      return undefined;
    }
    this.answered(sale.outTradeNo);
    return lookup;
  }

  /** The sale's current order at QFPay: by syssn once known, else by its order's out_trade_no. */
  lookup(sale: SaleRecord): Promise<Lookup> {
    const take = () => this.ctx.bucket.take();
    return sale.syssn ? findBySyssn(this.ctx.client, take, sale.syssn) : findByOutTradeNo(this.ctx.client, take, sale.orderNo, sale.txdtm, 'payment');
  }

  /** A paid record wins over whatever the till was doing (rule 4: a late payment is still a payment). */
  markPaid(id: string, record: QueryRecord, how: string): void {
    if (recordStatus(record) !== 'paid') throw new Error(`markPaid with a ${recordStatus(record)} record`);
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
        // Loud when the cashier asked to cancel or the sale was parked (the cashier has moved on):
        // after an expiry or a lost QR the sale is simply paid.
        paidAfterCancel: s.cancelReason === 'cashier' || s.parkedAtMs !== null,
      }),
      { reason: how, syssn: record.syssn },
    );
  }
}
