import { formatMinor, isCurrencyCode } from '../../shared/currency';
import { isRefundablePayType, payTypeInfo } from '../../shared/pay-types';
import { isFinalRefund, isFinalSale, type RefundView, type SaleActivity, type SaleView } from '../../shared/sale';
import { REFUND_NOT_YET_SETTLED, type Journal, type SaleRecord } from '../journal/journal';
import { describeHolder, type LeasePort } from '../journal/leases';
import { CASH_PAY_TYPE, type DrawerStatus } from '../../shared/cash';
import { localParts } from '../qfpay/time';
import { BucketStoppedError, TokenBucket } from './budget';
import { CashDesk, type DrawerMoveInput } from './cash';
import { OPEN_PAYMENT_SETTINGS, checkAuthCode, checkChargeInput, checkMpmPayType, checkRealNameInput, type ChargeInput, type CodeChargeInput, type PaymentSettings } from './charge-input';
import { writeAheadSale, type NewSaleInput } from './write-ahead';
import type { Clock } from './clock';
import { Wake } from './clock';
import type { CrashHook, CrashPoint } from './crash';
import { makeOutTradeNo } from './ids';
import type { QfpayPort } from './ports';
import { RefundDriver } from './refund-driver';
import { SaleDriver } from './sale-driver';
import { isJournalError } from './sale-flow';
import { JournalHealthWatch, type JournalHealth } from './journal-health';
import { DEFAULT_TIMING, type Timing } from './timing';
import { refundView, saleView } from './views';

// The checkout engine (DESIGN.md, "The checkout engine"). It turns "charge
// HK$12.30" into a QFPay order and watches it until it is settled, under
// these rules: the sale is written before the request leaves; a payment
// request is sent once and only once per sale; an unclear answer is resolved
// by query; giving up means close-then-confirm; every call takes a token from
// the till's budget; every transition is committed before anyone is told.

export type EngineErrorCode =
  | 'not_ready'
  | 'stopped'
  | 'invalid_input'
  | 'sale_open'
  | 'not_found'
  | 'not_cancellable'
  | 'not_paid'
  | 'refund_open'
  | 'nothing_to_refund'
  | 'exceeds_refundable'
  | 'refund_window'
  /** The journal cannot be written (disk full, I/O error): no charge is taken until it can. */
  | 'journal_unavailable'
  | 'float_required'
  /** FPS and any pay type QFPay does not refund. */
  | 'not_refundable'
  /** A wallet, or the real-name check for it, the merchant has not enabled in Settings. */
  | 'pay_type_disabled';

export interface EngineError {
  code: EngineErrorCode;
  message: string;
  /** For invalid_input: the QFPay field at fault (txamt, txcurrcd, goods_name, expired_time). */
  field?: string;
  /** For sale_open and refund_open: the order in the way. */
  outTradeNo?: string;
  /** For invalid_input of field realName: which check failed (RealNameProblem), never the value. */
  problem?: string;
}

export type EngineResult<T> = { ok: true; value: T } | { ok: false; error: EngineError };

const fail = <T>(code: EngineErrorCode, message: string, extra: Partial<EngineError> = {}): EngineResult<T> => ({
  ok: false,
  error: { code, message, ...extra },
});

export type { ChargeInput, CodeChargeInput } from './charge-input';

export interface RefundInput {
  saleOutTradeNo: string;
  /** Defaults to everything still refundable. */
  amountMinor?: number | undefined;
}

export interface CashChargeInput extends ChargeInput {
  /** What the customer handed over. */
  tenderedMinor: number;
  /** The drawer's opening float, at the first cash sale of the currency after a Z. */
  openingFloatMinor?: number | undefined;
}

export interface EngineConfig {
  udid: string;
  training: boolean;
  /** The merchant's zone (IANA); the machine's when absent. */
  timeZone?: string | undefined;
  /** QR lifetime for new sales, 5–120 (settings). */
  expiredMinutes: number;
  /** This till's QFPay requests per minute (see tillBudgetPerMinute). */
  budgetPerMinute: number;
  timing?: Partial<Timing>;
  /** The client's request timeout: after it, QFPay can no longer receive a request the till sent (15 s when absent). */
  requestTimeoutMs?: number | undefined;
  /** The merchant's wallet settings, read at each charge; absent (the command line): OPEN_PAYMENT_SETTINGS. */
  payments?: (() => PaymentSettings) | undefined;
}

export interface EngineDeps {
  journal: Journal;
  client: QfpayPort;
  clock: Clock;
  random: () => number;
  crash?: CrashHook;
  /** Where unexpected loop errors go (the app's log); stderr when absent. */
  onError?: (where: string, error: unknown) => void;
  /** Several processes on one journal: drive only what this process holds (absent: it holds everything). */
  leases?: LeasePort;
}

export interface RecoverySummary {
  /** `to` is the state reached, or 'parked' for a sale QFPay could not settle in time (it is settled in the background). */
  sales: { outTradeNo: string; from: string; to: string }[];
  refunds: { outTradeNo: string; from: string; to: string }[];
  /** Open sales and refunds another live process is settling: left to it, only read here. */
  elsewhere?: { outTradeNo: string; kind: 'sale' | 'refund'; state: string; holder: string }[];
}

export type { JournalHealth } from './journal-health';

type Listener<T> = (value: T) => void;

/** Shared by the sale and refund drivers: the engine's services without its public API. */
export interface EngineContext {
  readonly journal: Journal;
  readonly client: QfpayPort;
  readonly clock: Clock;
  readonly random: () => number;
  readonly bucket: TokenBucket;
  readonly timing: Timing;
  readonly crash: CrashHook;
  readonly config: EngineConfig;
  stopping(): boolean;
  /** An unexpected error inside a sale or refund loop (a bug): the loop backs off and carries on. */
  reportError(where: string, error: unknown): void;
  wakeFor(outTradeNo: string): Wake;
  setActivity(outTradeNo: string, activity: SaleActivity): void;
  /** Ends a "busy" notice (QFPay answered again). */
  clearBusy(outTradeNo: string): void;
  emitSale(outTradeNo: string): void;
  emitRefund(outTradeNo: string): void;
  /** A fresh out_trade_no, unique among this journal's sales, their replaced orders and refunds. */
  newOrderNo(nowMs: number): string;
  /** The journal refused a write: stop taking charges and say so (once per outage). */
  journalFailed(error: unknown): void;
  /** A journal write went through: if it had failed, charges resume. */
  journalWritten(): void;
}

export class TillEngine {
  readonly bucket: TokenBucket;
  private readonly timing: Timing;
  private ready = false;
  private stopped = false;
  private charging = false;
  private readonly activity = new Map<string, SaleActivity>();
  private readonly wakes = new Map<string, Wake>();
  private readonly running = new Map<string, Promise<void>>();
  private readonly saleListeners = new Set<Listener<SaleView>>();
  private readonly refundListeners = new Set<Listener<RefundView>>();
  private readonly parkedListeners = new Set<Listener<SaleView[]>>();
  /** Sales shown as parked, to tell listeners when the list changes. */
  private readonly parked = new Set<string>();
  private readonly journalHealthWatch = new JournalHealthWatch((where, error) => this.reportError(where, error));
  /** Settles when every loop recovery started (except resumed QRs) has ended. */
  private recoveryDone: Promise<void> = Promise.resolve();
  private readonly stopWake = new Wake();
  private readonly saleDriver: SaleDriver;
  private readonly refundDriver: RefundDriver;

  constructor(
    private readonly config: EngineConfig,
    private readonly deps: EngineDeps,
  ) {
    this.timing = { ...DEFAULT_TIMING, ...config.timing };
    this.bucket = new TokenBucket(config.budgetPerMinute, deps.clock, undefined, this.timing.maxServerWaitMs);
    const context: EngineContext = {
      journal: deps.journal,
      client: deps.client,
      clock: deps.clock,
      random: deps.random,
      bucket: this.bucket,
      timing: this.timing,
      crash: deps.crash ?? (() => undefined),
      config,
      stopping: () => this.stopped,
      reportError: (where, error) => this.reportError(where, error),
      wakeFor: (id) => this.wakeFor(id),
      setActivity: (id, activity) => this.setActivity(id, activity),
      clearBusy: (id) => {
        if (this.activity.get(id) === 'busy') this.setActivity(id, 'checking');
      },
      emitSale: (id) => this.emitSale(id),
      emitRefund: (id) => this.emitRefund(id),
      newOrderNo: (now) => this.uniqueOutTradeNo('S', now),
      journalFailed: (error) => this.journalFailed(error),
      journalWritten: () => this.journalWritten(),
    };
    this.saleDriver = new SaleDriver(context);
    this.refundDriver = new RefundDriver(context);
  }

  get isReady(): boolean {
    return this.ready && !this.stopped;
  }

  // ---- events -------------------------------------------------------------

  onSale(listener: Listener<SaleView>): () => void {
    this.saleListeners.add(listener);
    return () => this.saleListeners.delete(listener);
  }

  onRefund(listener: Listener<RefundView>): () => void {
    this.refundListeners.add(listener);
    return () => this.refundListeners.delete(listener);
  }

  /** The parked sales (DESIGN.md rule 2) whenever that list changes, for the cashier screen. */
  onParked(listener: Listener<SaleView[]>): () => void {
    this.parkedListeners.add(listener);
    return () => this.parkedListeners.delete(listener);
  }

  /** Whether the journal takes writes, whenever that changes. */
  onJournal(listener: Listener<JournalHealth>): () => void {
    return this.journalHealthWatch.on(listener);
  }

  journalHealth(): JournalHealth {
    return this.journalHealthWatch.current();
  }

  private emitSale(outTradeNo: string): void {
    const view = this.saleViewOf(outTradeNo);
    if (!view) return;
    for (const listener of this.saleListeners) listener(view);
    const nowParked = view.parked === true && !isFinalSale(view.state);
    if (nowParked !== this.parked.has(outTradeNo)) {
      if (nowParked) this.parked.add(outTradeNo);
      else this.parked.delete(outTradeNo);
      const list = this.parkedSales();
      for (const listener of this.parkedListeners) listener(list);
    }
  }

  private journalFailed(error: unknown): void {
    this.journalHealthWatch.failed(error);
  }

  private journalWritten(): void {
    this.journalHealthWatch.written();
  }

  private reportError(where: string, error: unknown): void {
    (this.deps.onError ?? ((w, e) => console.error(`till engine: ${w}:`, e)))(where, error);
  }

  private emitRefund(outTradeNo: string): void {
    const refund = this.deps.journal.refund(outTradeNo);
    if (refund) for (const listener of this.refundListeners) listener(refundView(refund));
  }

  private setActivity(outTradeNo: string, activity: SaleActivity): void {
    if (this.activity.get(outTradeNo) === activity) return;
    this.activity.set(outTradeNo, activity);
    this.emitSale(outTradeNo);
  }

  private wakeFor(outTradeNo: string): Wake {
    let wake = this.wakes.get(outTradeNo);
    if (!wake) {
      wake = new Wake();
      this.wakes.set(outTradeNo, wake);
    }
    return wake;
  }

  // ---- reading --------------------------------------------------------------

  saleViewOf(outTradeNo: string): SaleView | undefined {
    const sale = this.deps.journal.sale(outTradeNo);
    return sale ? saleView(sale, this.activityOf(sale)) : undefined;
  }

  private activityOf(sale: SaleRecord): SaleActivity {
    if (isFinalSale(sale.state)) return 'none';
    if (sale.parkedAtMs !== null) return 'parked';
    const live = this.activity.get(sale.outTradeNo);
    // QFPay asked the till to wait (429): whatever the state, that is what the cashier is waiting on.
    if (live === 'busy') return 'busy';
    if (sale.state === 'requesting') return sale.reissues > 0 ? 'reconnecting' : 'creating';
    // A lost QR being closed before a fresh one is issued: to the cashier, a short reconnect.
    if (sale.state === 'cancelling') return sale.cancelReason === 'no_qr' ? 'reconnecting' : 'cancelling';
    if (sale.state === 'unknown') return sale.reissues > 0 ? 'reconnecting' : 'checking';
    return live ?? 'waiting';
  }

  /** The sale the cashier screen is about: the open one in the way of the next charge, else the latest not parked. */
  currentSale(): SaleView | undefined {
    const journal = this.deps.journal;
    let sale = journal.blockingSale() ?? journal.latestSale();
    // A parked sale is on the parked list, not the screen: show the latest sale that is not parked, if any.
    if (sale && sale.parkedAtMs !== null && !isFinalSale(sale.state)) sale = journal.searchSales({ limit: 20 }).find((s) => s.parkedAtMs === null || isFinalSale(s.state));
    return sale ? saleView(sale, this.activityOf(sale)) : undefined;
  }

  /** Sales parked (cancelled or recovered, QFPay not yet final), oldest first. */
  parkedSales(): SaleView[] {
    return this.deps.journal.parkedSales().map((s) => saleView(s, this.activityOf(s)));
  }

  refundViewOf(outTradeNo: string): RefundView | undefined {
    const refund = this.deps.journal.refund(outTradeNo);
    return refund ? refundView(refund) : undefined;
  }

  /** Resolves with the sale once it is final (or at once if it already is). */
  whenFinal(outTradeNo: string): Promise<SaleView> {
    return new Promise((resolve, reject) => {
      const check = (view: SaleView | undefined) => {
        if (!view) {
          off();
          reject(new Error(`no sale ${outTradeNo}`));
        } else if (isFinalSale(view.state)) {
          off();
          resolve(view);
        }
      };
      const off = this.onSale((view) => {
        if (view.outTradeNo === outTradeNo) check(view);
      });
      check(this.saleViewOf(outTradeNo));
    });
  }

  whenRefundFinal(outTradeNo: string): Promise<RefundView> {
    return new Promise((resolve, reject) => {
      const check = (view: RefundView | undefined) => {
        if (!view) {
          off();
          reject(new Error(`no refund ${outTradeNo}`));
        } else if (isFinalRefund(view.state)) {
          off();
          resolve(view);
        }
      };
      const off = this.onRefund((view) => {
        if (view.outTradeNo === outTradeNo) check(view);
      });
      check(this.refundViewOf(outTradeNo));
    });
  }

  // ---- recovery (DESIGN.md rule 6) -------------------------------------------

  /**
   * Resolves every non-final sale and refund against QFPay before the till
   * takes a new charge. A sale whose QR is still fresh resumes (the cashier
   * sees it again); everything else is settled by query, or close-then-confirm.
   * What QFPay cannot settle within the parking delay (it is unreachable, its
   * state lags) is parked and settled in the background: the till becomes
   * ready all the same, so a start with the network down never blocks the
   * cashier. whenSettled() waits for the background work too.
   */
  async recover(): Promise<RecoverySummary> {
    const summary: RecoverySummary = { sales: [], refunds: [] };
    const waits: Promise<void>[] = [];
    const settling: Promise<void>[] = [];
    const pending = new Map<string, string>();
    for (const sale of this.deps.journal.openSales()) {
      // Already driven here (a second recovery), or by another live process: not this recovery's to prepare.
      if (this.running.has(sale.outTradeNo) || this.leftToOtherProcess(summary, sale.outTradeNo, 'sale', sale.state)) continue;
      const from = sale.state;
      const resumed = this.saleDriver.prepareRecovery(sale);
      if (resumed) {
        // Ask once before showing the QR again: the customer may have paid while the till was down.
        // A QFPay that does not answer within the parking delay cannot vouch for the QR: it is parked (closed in the background).
        const asked = this.saleDriver.firstCheck(sale.outTradeNo).then(
          () => true,
          (error: unknown) => {
            if (!(error instanceof BucketStoppedError)) this.reportError(`sale ${sale.outTradeNo}`, error);
            return true;
          },
        );
        const answered = await Promise.race([asked, this.deps.clock.sleep(this.timing.parkAfterMs, this.stopWake).then(() => false)]);
        if (!answered && !this.stopped) this.saleDriver.park(sale.outTradeNo, 'QFPay could not confirm the QR at start-up');
        const now = this.deps.journal.sale(sale.outTradeNo);
        const parked = now !== undefined && now.parkedAtMs !== null && !isFinalSale(now.state);
        summary.sales.push({ outTradeNo: sale.outTradeNo, from, to: parked ? 'parked' : (now?.state ?? 'missing') });
        const driven = asked.then(() => this.drive(sale.outTradeNo, 'sale'));
        // A QR shown again waits for its customer; a parked one is recovery's to settle (recoverAll waits for it).
        if (parked) settling.push(driven);
      } else {
        pending.set(sale.outTradeNo, from);
        const done = this.drive(sale.outTradeNo, 'sale');
        waits.push(
          done.then(() => {
            if (!pending.delete(sale.outTradeNo)) return;
            summary.sales.push({ outTradeNo: sale.outTradeNo, from, to: this.deps.journal.sale(sale.outTradeNo)?.state ?? 'missing' });
          }),
        );
      }
    }
    for (const refund of this.deps.journal.openRefunds()) {
      if (this.running.has(refund.outTradeNo) || this.leftToOtherProcess(summary, refund.outTradeNo, 'refund', refund.state)) continue;
      const from = refund.state;
      this.refundDriver.prepareRecovery(refund);
      // A refund being confirmed may take QFPay's whole processing window: it is settled in the
      // background (it already holds its amount), never in the way of the next customer.
      settling.push(
        this.drive(refund.outTradeNo, 'refund').then(() => {
          summary.refunds.push({ outTradeNo: refund.outTradeNo, from, to: this.deps.journal.refund(refund.outTradeNo)?.state ?? 'missing' });
        }),
      );
    }
    const all = Promise.all(waits).then(() => 'settled' as const);
    this.recoveryDone = Promise.all([all, ...settling]).then(() => undefined);
    const outcome = pending.size === 0 ? await all : await Promise.race([all, this.deps.clock.sleep(this.timing.parkAfterMs, this.stopWake).then(() => 'late' as const)]);
    if (outcome === 'late' && !this.stopped) {
      for (const [outTradeNo, from] of pending) {
        this.saleDriver.park(outTradeNo, 'QFPay could not settle it at start-up');
        const sale = this.deps.journal.sale(outTradeNo);
        summary.sales.push({ outTradeNo, from, to: sale && !isFinalSale(sale.state) ? 'parked' : (sale?.state ?? 'missing') });
      }
      pending.clear();
    }
    if (!this.stopped) this.ready = true;
    return summary;
  }

  /** True (and noted in the summary) when another live process drives this row: recovery leaves it alone. */
  private leftToOtherProcess(summary: RecoverySummary, outTradeNo: string, kind: 'sale' | 'refund', state: string): boolean {
    if (this.deps.leases?.claim(outTradeNo) ?? true) return false;
    const holder = this.deps.leases?.heldElsewhere(outTradeNo);
    (summary.elsewhere ??= []).push({ outTradeNo, kind, state, holder: holder ? describeHolder(holder) : 'another process' });
    return true;
  }

  private adopting = false;

  /**
   * Open sales and refunds whose process ended (its lease lapsed) are taken
   * over as start-up recovery would, by a till that is running (not by a
   * command that only reads, which never recovered). Called on every lease
   * heartbeat; a no-op while nothing is orphaned.
   */
  adoptOrphans(): void {
    if (!this.isReady || this.adopting || !this.deps.leases) return;
    const leases = this.deps.leases;
    const orphaned = (id: string) => !this.running.has(id) && leases.heldElsewhere(id) === undefined;
    const any = this.deps.journal.openSales().some((s) => orphaned(s.outTradeNo)) || this.deps.journal.openRefunds().some((r) => orphaned(r.outTradeNo));
    if (!any) return;
    this.adopting = true;
    this.recover()
      .catch((error: unknown) => (this.deps.onError ?? ((w, e) => console.error(`till engine: ${w}:`, e)))('adopting orphaned sales', error))
      .finally(() => (this.adopting = false));
  }

  /**
   * Recovery to the end, for `till recover`: what recover() parked is waited
   * for too (a resumed fresh QR is not: it waits for its customer). The
   * summary then says how each parked sale ended.
   */
  async recoverAll(): Promise<RecoverySummary> {
    const summary = await this.recover();
    await this.recoveryDone;
    for (const entry of summary.sales) {
      if (entry.to === 'parked') entry.to = this.deps.journal.sale(entry.outTradeNo)?.state ?? 'missing';
    }
    return summary;
  }

  private drive(outTradeNo: string, kind: 'sale' | 'refund'): Promise<void> {
    const existing = this.running.get(outTradeNo);
    if (existing) return existing;
    // A row another live process holds is that process's to drive.
    if (!(this.deps.leases?.claim(outTradeNo) ?? true)) return Promise.resolve();
    return this.track(outTradeNo, kind === 'sale' ? this.saleDriver.run(outTradeNo) : this.refundDriver.run(outTradeNo), kind);
  }

  /** A cashier-cancelled sale QFPay has not confirmed after parkAfterMs is parked (DESIGN.md rule 2). */
  private parkIfUnconfirmed(outTradeNo: string): void {
    void this.deps.clock.sleep(this.timing.parkAfterMs, this.stopWake).then(() => {
      if (this.stopped) return;
      try {
        this.saleDriver.park(outTradeNo, 'QFPay has not confirmed the cancel yet');
      } catch (error) {
        this.reportError(`park ${outTradeNo}`, error);
      }
    });
  }

  // ---- charge -----------------------------------------------------------------

  async charge(input: ChargeInput): Promise<EngineResult<SaleView>> {
    const refusal = this.chargeRefusal();
    if (refusal) return refusal;
    const checked = checkChargeInput(input, this.config.expiredMinutes);
    if (!checked.ok) return checked;
    const settings = this.paymentSettings();
    const payType = checkMpmPayType(input.payType, settings);
    if (!payType.ok) return payType;
    const realName = checkRealNameInput(input.realName, payType.value, settings);
    if (!realName.ok) return realName;
    const { currency, expiredMinutes } = checked.value;
    return this.startSale(
      { amountMinor: input.amountMinor, currency, goodsName: input.goodsName || null, expiredMinutes, payType: payType.value, realName: realName.value, windowMs: expiredMinutes * 60_000 },
      'payment.after_write_ahead',
    );
  }

  /**
   * A consumer-presented payment (issue 13 §1): the cashier scanned the
   * customer's code. One payment request with the code, then paid, failed,
   * or — when the customer does not confirm within the wallet's window —
   * reversed (sale-code.ts). The journal keeps only the code's last 4 digits.
   */
  async chargeCode(input: CodeChargeInput): Promise<EngineResult<SaleView>> {
    const refusal = this.chargeRefusal();
    if (refusal) return refusal;
    const checked = checkChargeInput(input, this.config.expiredMinutes);
    if (!checked.ok) return checked;
    const settings = this.paymentSettings();
    const payType = checkAuthCode(input.authCode, input.payType, settings);
    if (!payType.ok) return payType;
    const realName = checkRealNameInput(input.realName, payType.value, settings);
    if (!realName.ok) return realName;
    const { currency, expiredMinutes } = checked.value;
    return this.startSale(
      { amountMinor: input.amountMinor, currency, goodsName: input.goodsName || null, expiredMinutes, payType: payType.value, realName: realName.value, windowMs: settings.cpmWindowSeconds * 1000, authCode: input.authCode },
      'code.after_write_ahead',
    );
  }

  /** Why no sale can start now (stopping, recovering, journal refused), if so. */
  private chargeRefusal(): EngineResult<never> | undefined {
    if (this.stopped) return fail('stopped', 'the till is shutting down');
    if (!this.ready) return fail('not_ready', 'the till is still checking unfinished sales with QFPay');
    return undefined;
  }

  /** Rules 1 and 2 for a checked charge: one open sale per till, written ahead, then the one payment request. */
  private startSale(sale: NewSaleInput, crashPoint: CrashPoint): EngineResult<SaleView> {
    // A sale whose answer is waiting for the journal must be written first: no new sale until the journal takes writes.
    const refusal = this.journalHealthWatch.refusal;
    if (refusal !== undefined) return fail('journal_unavailable', `the till cannot write its journal (${refusal}): no charge until it can`);
    // Rule 2: one open sale per till (a parked one is not in the way). `charging`
    // closes the gap between the check and the insert for two charges arriving together.
    const open = this.deps.journal.blockingSale();
    if (open || this.charging) {
      return fail('sale_open', 'finish the current sale first (it is still open)', open ? { outTradeNo: open.outTradeNo } : {});
    }
    this.charging = true;
    let outTradeNo: string;
    try {
      outTradeNo = this.uniqueOutTradeNo('S', this.deps.clock.now());
      writeAheadSale({ journal: this.deps.journal, clock: this.deps.clock, client: this.deps.client, udid: this.config.udid, training: this.config.training }, outTradeNo, sale);
    } catch (error) {
      if (!isJournalError(error)) throw error;
      // Nothing was sent: the charge is refused, and the next one tries the journal again.
      this.reportError('journal', error);
      return fail('journal_unavailable', `the till cannot write its journal (${error instanceof Error ? error.message : String(error)}): nothing was charged`);
    } finally {
      this.charging = false;
    }
    // The plain code and real-name values go with the one payment request, held in memory only (sale-flow.ts).
    if (sale.realName) this.saleDriver.holdRealName(outTradeNo, sale.realName);
    if (sale.authCode !== undefined) this.saleDriver.holdAuthCode(outTradeNo, sale.authCode);
    this.emitSale(outTradeNo);
    this.deps.crash?.(crashPoint);
    this.track(outTradeNo, this.saleDriver.sendPaymentThenRun(outTradeNo), 'sale');
    return { ok: true, value: this.saleViewOf(outTradeNo)! };
  }

  private uniqueOutTradeNo(kind: 'S' | 'R', now: number): string {
    for (let attempt = 0; attempt < 8; attempt++) {
      const id = makeOutTradeNo(kind, this.config.udid, now, this.deps.random, this.config.timeZone);
      const journal = this.deps.journal;
      if (!journal.sale(id) && !journal.refund(id) && journal.saleOfOrderNo(id) === undefined) return id;
    }
    throw new Error('could not make a unique out_trade_no');
  }

  private paymentSettings(): PaymentSettings {
    return this.config.payments?.() ?? OPEN_PAYMENT_SETTINGS;
  }

  /**
   * Keeps a loop's promise until it ends. A loop never rejects into nobody's
   * hands: a stop is a normal end; anything else (a bug, a journal refusing a
   * write outside a step) is reported, and a sale still open is driven again.
   */
  private track(outTradeNo: string, loop: Promise<void>, kind: 'sale' | 'refund'): Promise<void> {
    let again = false;
    const tracked = loop
      .catch((error: unknown) => {
        if (error instanceof BucketStoppedError) return;
        if (isJournalError(error)) this.journalFailed(error);
        else this.reportError(`${kind} ${outTradeNo}`, error);
        again = !this.stopped;
      })
      .finally(() => {
        this.running.delete(outTradeNo);
        this.wakes.delete(outTradeNo);
        if (kind === 'sale') this.activity.delete(outTradeNo);
        if (again) {
          void this.deps.clock.sleep(this.timing.backoffBaseMs, this.stopWake).then(() => {
            if (!this.stopped) void this.drive(outTradeNo, kind);
          });
        }
      });
    this.running.set(outTradeNo, tracked);
    return tracked;
  }

  // ---- cancel -------------------------------------------------------------------

  /** Cancel = close the order (rule 4). With no id, the till's open sale. */
  async cancel(outTradeNo?: string): Promise<EngineResult<SaleView>> {
    if (this.stopped) return fail('stopped', 'the till is shutting down');
    // Only a missing id means "the open sale": an empty or malformed one must not cancel whatever is open.
    if (outTradeNo !== undefined && (typeof outTradeNo !== 'string' || outTradeNo === '')) return fail('not_found', 'no sale with that order number');
    const sale = outTradeNo !== undefined ? this.deps.journal.sale(outTradeNo) : this.deps.journal.blockingSale();
    if (!sale) return fail('not_found', outTradeNo !== undefined ? `no sale ${outTradeNo}` : 'there is no open sale to cancel');
    if (isFinalSale(sale.state)) return fail('not_cancellable', `the sale is already ${sale.state}`, { outTradeNo: sale.outTradeNo });
    const holder = this.deps.leases?.heldElsewhere(sale.outTradeNo);
    if (holder) return fail('not_cancellable', `another till process (${describeHolder(holder)}) is handling this sale: cancel it there`, { outTradeNo: sale.outTradeNo });
    const updated = this.saleDriver.requestCancel(sale.outTradeNo, 'cashier');
    if (!updated) return fail('not_cancellable', 'the sale changed while cancelling: look at it again', { outTradeNo: sale.outTradeNo });
    if (!this.running.has(sale.outTradeNo)) void this.drive(sale.outTradeNo, 'sale');
    if (updated.parkedAtMs === null) this.parkIfUnconfirmed(sale.outTradeNo);
    return { ok: true, value: this.saleViewOf(sale.outTradeNo)! };
  }

  // ---- refund -------------------------------------------------------------------

  async refund(input: RefundInput): Promise<EngineResult<RefundView>> {
    if (this.stopped) return fail('stopped', 'the till is shutting down');
    // A cash sale's refund comes from the drawer: no QFPay, so no waiting for recovery either.
    const cashSale = this.paidCashSale(input);
    if (cashSale) return this.refundCash(cashSale, input.amountMinor);
    if (!this.ready) return fail('not_ready', 'the till is still checking unfinished sales with QFPay');
    if (typeof input !== 'object' || input === null) return fail('invalid_input', 'a refund needs the order number of a paid sale');
    if (typeof input.saleOutTradeNo !== 'string' || input.saleOutTradeNo === '') return fail('not_found', 'no sale with that order number');
    const journal = this.deps.journal;
    const sale = journal.sale(input.saleOutTradeNo);
    if (!sale) return fail('not_found', `no sale ${input.saleOutTradeNo} in this journal`);
    if (sale.state !== 'paid') return fail('not_paid', `only paid sales can be refunded; this one is ${sale.state}`);
    if (!isRefundablePayType(sale.payType)) return fail('not_refundable', `${payTypeInfo(sale.payType)?.name ?? sale.payType} payments cannot be refunded through QFPay`);
    const open = journal.refundsOfSale(sale.outTradeNo).find((r) => !isFinalRefund(r.state));
    if (open) return fail('refund_open', 'a refund of this sale is still being processed', { outTradeNo: open.outTradeNo });
    const refundable = sale.amountMinor - journal.reservedRefundMinor(sale.outTradeNo);
    if (refundable <= 0) return fail('nothing_to_refund', 'this sale is already fully refunded');
    // Only a missing amount means "everything left": null or any other non-number is refused, never a full refund.
    const amount: unknown = input.amountMinor === undefined ? refundable : input.amountMinor;
    if (typeof amount !== 'number' || !(Number.isSafeInteger(amount) && amount >= 1)) {
      return fail('invalid_input', 'the refund amount must be a whole number of minor units, at least 1', { field: 'txamt' });
    }
    if (amount > refundable) {
      return fail('exceeds_refundable', `at most ${formatMinor(refundable, sale.currency)} can still be refunded`, { field: 'txamt' });
    }
    // QFPay refuses refunds from 23:30 to 00:30 (1265): say so without asking.
    const local = localParts(this.deps.clock.now(), this.config.timeZone);
    const minutes = local.hour * 60 + local.minute;
    if (minutes >= 23 * 60 + 30 || minutes < 30) return fail('refund_window', 'refunds are not possible between 23:30 and 00:30');

    const now = this.deps.clock.now();
    const outTradeNo = this.uniqueOutTradeNo('R', now);
    // The checks above are for clear messages; this one decides. It is made
    // again inside the write, so two processes on one journal cannot both
    // start a refund of this sale (DESIGN.md rule 8).
    const room = journal.insertRefundIfRoom(
      {
        outTradeNo,
        udid: this.config.udid,
        training: this.config.training,
        saleOutTradeNo: sale.outTradeNo,
        amountMinor: amount,
        currency: sale.currency,
        state: 'requesting',
        txdtm: this.deps.client.txdtm(),
        createdAtMs: now,
        ...REFUND_NOT_YET_SETTLED,
        updatedAtMs: now,
      },
      sale.amountMinor,
      { reason: 'refund', amountMinor: amount },
    );
    if (!room.ok) {
      if (room.code === 'refund_open') return fail('refund_open', 'a refund of this sale is still being processed', { outTradeNo: room.outTradeNo });
      if (room.code === 'nothing_to_refund') return fail('nothing_to_refund', 'this sale is already fully refunded');
      return fail('exceeds_refundable', `at most ${room.refundableMinor} can still be refunded`, { field: 'txamt' });
    }
    this.emitRefund(outTradeNo);
    this.deps.crash?.('refund.after_write_ahead');
    const first = this.refundDriver.sendRefund(outTradeNo);
    void this.track(outTradeNo, first.then(() => this.refundDriver.run(outTradeNo)), 'refund');
    await first;
    return { ok: true, value: this.refundViewOf(outTradeNo)! };
  }

  // ---- cash ---------------------------------------------------------------------------
  // The flow is in cash.ts; here only what needs the engine's checks and listeners.

  private cashDesk: CashDesk | undefined;

  private get cash(): CashDesk {
    this.cashDesk ??= new CashDesk({
      journal: this.deps.journal,
      clock: this.deps.clock,
      udid: this.config.udid,
      training: this.config.training,
      timeZone: this.config.timeZone,
      uniqueOutTradeNo: (kind, now) => this.uniqueOutTradeNo(kind, now),
    });
    return this.cashDesk;
  }

  /** A cash sale: no network, no QFPay; paid when it returns. Allowed before recovery has finished (recovery needs QFPay). */
  chargeCash(input: CashChargeInput): EngineResult<SaleView> {
    if (this.stopped) return fail('stopped', 'the till is shutting down');
    const checked = checkChargeInput(input, this.config.expiredMinutes);
    if (!checked.ok) return checked;
    // As for a QFPay charge: no sale is taken while the journal cannot be written.
    const refusal = this.journalHealthWatch.refusal;
    if (refusal !== undefined) return fail('journal_unavailable', `the till cannot write its journal (${refusal}): no charge until it can`);
    if (this.charging) return fail('sale_open', 'finish the current sale first (it is still open)');
    let sale: EngineResult<SaleRecord>;
    try {
      sale = this.cash.charge({
        amountMinor: input.amountMinor,
        currency: checked.value.currency,
        goodsName: input.goodsName || null,
        expiredMinutes: checked.value.expiredMinutes,
        tenderedMinor: input.tenderedMinor,
        openingFloatMinor: input.openingFloatMinor,
      });
    } catch (error) {
      if (!isJournalError(error)) throw error;
      this.reportError('journal', error);
      return fail('journal_unavailable', `the till cannot write its journal (${error instanceof Error ? error.message : String(error)}): nothing was charged`);
    }
    if (!sale.ok) return sale;
    this.emitSale(sale.value.outTradeNo);
    return { ok: true, value: this.saleViewOf(sale.value.outTradeNo)! };
  }

  /** The paid cash sale a refund input names, if it names one. */
  private paidCashSale(input: RefundInput): SaleRecord | undefined {
    if (typeof input !== 'object' || input === null || typeof input.saleOutTradeNo !== 'string') return undefined;
    const sale = this.deps.journal.sale(input.saleOutTradeNo);
    return sale?.payType === CASH_PAY_TYPE && sale.state === 'paid' ? sale : undefined;
  }

  /** A refund of a cash sale: paid from the drawer, refunded when it returns (engine.refund comes here for cash sales). */
  private refundCash(sale: SaleRecord, amountMinor: number | undefined): EngineResult<RefundView> {
    const refund = this.cash.refund(sale, amountMinor);
    if (!refund.ok) return refund;
    this.emitRefund(refund.value.outTradeNo);
    this.emitSale(sale.outTradeNo);
    return { ok: true, value: refundView(refund.value) };
  }

  /** Float, paid in or paid out. */
  moveCash(input: DrawerMoveInput): EngineResult<DrawerStatus> {
    if (this.stopped) return fail('stopped', 'the till is shutting down');
    return this.cash.move(input);
  }

  drawerStatus(currency: string): EngineResult<DrawerStatus> {
    if (!isCurrencyCode(currency)) return fail('invalid_input', 'unknown currency', { field: 'currency' });
    return { ok: true, value: this.cash.status(currency) };
  }

  // ---- shutdown -------------------------------------------------------------------

  /** Stops polling and waits for every loop to put its last answer in the journal. */
  async stop(): Promise<void> {
    this.stopped = true;
    this.bucket.stop();
    this.stopWake.fire();
    for (const wake of this.wakes.values()) wake.fire();
    await Promise.allSettled([...this.running.values()]);
    this.saleDriver.dropAllPersonal();
  }

  /** Open sales right now (for the shell's "switch mode only when idle" rule). */
  hasOpenWork(): boolean {
    return this.deps.journal.anyOpenSale() !== undefined || this.deps.journal.openRefunds().length > 0;
  }
}
