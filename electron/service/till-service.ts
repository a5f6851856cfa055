import type { AppStatus, EventName, OfficeStatus, EventView, IpcResult, MethodName, ParsedInputOf, PayloadOf, ResultOf } from '../../shared/contract';
import { CASH_PAY_TYPE } from '../../shared/cash';
import { acceptedWallets, displayStateFor, type DisplayState, type TypedAmount } from '../../shared/display';
import { isFinalRefund, isFinalSale, type SaleView } from '../../shared/sale';
import type { JournalEvent } from '../journal/journal';
import { cashierText } from '../qfpay/codes';
import type { Clock } from '../till/clock';
import { Wake, systemClock } from '../till/clock';
import { openTill, type Till, type TillOptions } from '../till/core';
import type { EngineResult } from '../till/engine';
import type { FetchLike } from '../qfpay/client';
import { ConnectionMonitor } from './connection';
import { Replicator } from '../office/sync';
import type { Logger } from './log';
import type { PinCost } from './pin';
import { ensurePrivateDir } from './file-modes';
import { cashHandlers } from './cash-handlers';
import { PinGuard } from './pin-guard';
import { receiptService, type ReceiptService } from './receipt-handlers';
import { reportHandlers, type PrintHtml, type SaveFile } from './report-handlers';
import type { SettingsManager } from './settings-manager';
import type { Updater } from './updater';

// Everything the renderer can ask for, in plain Node: the handlers behind
// the IPC contract. ipc.ts only checks the sender and the input schema, then
// calls `call()`; tests call it directly.

export interface ServiceDeps {
  settings: SettingsManager;
  dataDir: string;
  log: Logger;
  broadcast: <K extends EventName>(event: K, payload: PayloadOf<K>) => void;
  clock?: Clock;
  /** Test seams: how a till is opened, and extra options (timing, simulator seed). */
  openTill?: (options: TillOptions) => Promise<Till>;
  tillOptions?: Partial<TillOptions>;
  /** Electron's save dialog and file write (main.ts); without it exportCsv answers not_available. */
  saveFile?: SaveFile;
  /** Electron's printing and PDF saving (main.ts); without it printReport answers not_available. */
  printHtml?: PrintHtml;
  /** Test seam: a cheaper scrypt cost (the app always uses PIN_COST). */
  pinCost?: PinCost;
  /** The app's updater (main.ts); without it updates are off and restartToUpdate answers not_available. */
  updates?: () => Pick<Updater, 'status' | 'restartToUpdate'>;
  /** Receipts (issue 14): Electron's silent printing and SVG→PNG (main.ts), and the virtual printer (tests). */
  receipts?: Pick<Parameters<typeof receiptService>[0], 'osPrint' | 'rasterise' | 'virtual'>;
  /** Head office's URL with its password when replication is on; absent: the settings' own (SettingsManager.headOfficeUrl). */
  headOfficeUrl?: () => string | undefined;
}

type Handlers = { [K in MethodName]: (input: ParsedInputOf<K>) => Promise<IpcResult<ResultOf<K>>> };

const ok = <T>(value: T): IpcResult<T> => ({ ok: true, value });
const err = <T>(code: Extract<IpcResult<T>, { ok: false }>['error']['code'], message: string, field?: string): IpcResult<T> => ({
  ok: false,
  error: field === undefined ? { code, message } : { code, message, field },
});
const fromEngine = <T>(result: EngineResult<T>): IpcResult<T> => (result.ok ? ok(result.value) : { ok: false, error: result.error });

class TillNotOpen extends Error {}

/** The customer display keeps a final sale's screen this long, then shows idle. */
export const DISPLAY_FINAL_MS = 8_000;
/** Settings that change how the till talks to QFPay: applying them reopens the till (only when idle). */
const REOPEN_KEYS = ['udid', 'tillsPerMerchant', 'timeZone', 'verifyResponseSignature'] as const;

export class TillService {
  private till: Till | undefined;
  private ready = false;
  private readonly pins: PinGuard;
  private unsubscribe: (() => void)[] = [];
  /** Sales seen open in this session: only their ending is shown to the customer. */
  private readonly openSeen = new Set<string>();
  /** The sale whose "paid"/"closed" screen is up, until when. */
  private finalShown: { outTradeNo: string; untilMs: number } | undefined;
  private readonly displayWake = new Wake();
  /** What the cashier is typing while no sale is open: the customer sees the amount due. */
  private typed: TypedAmount | undefined;
  private connection: ConnectionMonitor;
  private readonly clock: Clock;
  private readonly handlers: Handlers;
  private readonly receipts: ReceiptService;

  constructor(private readonly deps: ServiceDeps) {
    this.clock = deps.clock ?? systemClock;
    this.connection = this.newConnectionMonitor();
    this.pins = new PinGuard(deps.settings, this.clock, deps.log, deps.pinCost);
    this.receipts = receiptService({
      till: () => this.requireTill(),
      settings: () => this.deps.settings.current,
      now: () => this.clock.now(),
      log: deps.log,
      requirePin: (pin) => this.requirePin(pin),
      // A PIN is asked for when one is set, or when the record was tampered with (issue 10).
      pinSet: () => this.deps.settings.pinState() !== 'none',
      ...deps.receipts,
    });
    this.handlers = this.makeHandlers();
  }

  /** Dispatches one contract method; input is already parsed by the contract's schema. */
  async call<K extends MethodName>(name: K, input: ParsedInputOf<K>): Promise<IpcResult<ResultOf<K>>> {
    try {
      return await this.handlers[name](input);
    } catch (error) {
      // Starting, or reopening after a mode change: an expected moment, not a bug.
      if (error instanceof TillNotOpen) return err('not_ready', 'the till is starting: try again in a moment');
      this.deps.log.log('error', `${name} failed`, { error: error instanceof Error ? error.message : String(error) });
      return err('internal', 'something went wrong in the till; the log has details');
    }
  }

  // ---- life cycle -----------------------------------------------------------------

  /** Opens the till for the configured mode and resolves unfinished sales (Charge stays off until then). */
  async start(): Promise<void> {
    await this.openForSettings();
  }

  async stop(): Promise<void> {
    this.ready = false;
    this.finalShown = undefined;
    this.displayWake.fire();
    for (const off of this.unsubscribe) off();
    this.unsubscribe = [];
    const till = this.till;
    this.till = undefined;
    await this.replicator?.stop();
    this.replicator = undefined;
    await till?.close();
  }

  private replicator: Replicator | undefined;

  /** Head office (issue 15): a background sender outside the engine; never for training. A sale never waits for it. */
  private startReplication(till: Till): void {
    const url = till.training ? undefined : (this.deps.headOfficeUrl ?? (() => this.deps.settings.headOfficeUrl()))();
    if (!url) return;
    this.replicator = new Replicator(
      { url, journalPath: till.journalPath, timeZone: this.deps.settings.current.timeZone },
      { onOutcome: (o) => (o.ok ? undefined : this.deps.log.log('warn', `head office: ${o.message}`, { reason: o.reason })) },
    );
    this.replicator.start();
  }

  /** After a head-office change: the sender stops and starts again with the new settings (the till stays open). */
  private async restartReplication(): Promise<void> {
    await this.replicator?.stop();
    this.replicator = undefined;
    if (this.till) this.startReplication(this.till);
  }

  private officeStatus(): OfficeStatus {
    if (!this.till || this.till.training) return { state: 'training', lastContactMs: null, lastSentMs: null, lagEvents: null, failure: null };
    if (!this.replicator) return { state: 'off', lastContactMs: null, lastSentMs: null, lagEvents: null, failure: null };
    return this.replicator.status();
  }

  get current(): Till | undefined {
    return this.till;
  }

  private async openForSettings(): Promise<void> {
    const s = this.deps.settings.current;
    const open = this.deps.openTill ?? openTill;
    // A new connection: what the last one found says nothing about it.
    this.connection = this.newConnectionMonitor();
    // The app's own journal folder: this user's only, also when an older build left it wider (issue 10).
    ensurePrivateDir(this.deps.dataDir);
    const till = await open({
      dataDir: this.deps.dataDir,
      credentials: this.deps.settings.credentials(),
      udid: s.udid,
      timeZone: s.timeZone,
      expiredMinutes: s.qrExpiryMinutes,
      tillsPerMerchant: s.tillsPerMerchant,
      verifyResponseSignature: s.verifyResponseSignature,
      // Read at each charge: a wallet enabled in Settings is offered from the next sale, without reopening.
      payments: () => {
        const now = this.deps.settings.current;
        return { mpmPayTypes: now.mpmPayTypes, realNamePayTypes: now.realNamePayTypes, unifiedCpm: now.unifiedCpm, cpmWindowSeconds: now.cpmWindowSeconds };
      },
      clock: this.clock,
      onError: (where, error) => this.deps.log.log('error', `engine: ${where}`, { error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      ...this.deps.tillOptions,
      fetch: this.connection.wrap(this.deps.tillOptions?.fetch ?? (globalThis.fetch as unknown as FetchLike)),
    });
    this.till = till;
    this.ready = false;
    this.unsubscribe = [
      till.engine.onSale((sale) => {
        // A sale under way replaces whatever amount was being typed.
        if (!isFinalSale(sale.state)) this.typed = undefined;
        this.deps.broadcast('onSale', sale);
        this.noteForDisplay(sale);
        this.receipts.noteSale(sale);
        this.deps.broadcast('onDisplay', this.display());
        if (sale.state === 'paid' || sale.state === 'failed') this.deps.log.log('info', `sale ${sale.outTradeNo} ${sale.state}`, { respcd: sale.respcd, paidAfterCancel: sale.paidAfterCancel });
      }),
      till.engine.onRefund((refund) => {
        this.deps.broadcast('onRefund', refund);
        this.receipts.noteRefund(refund);
        if (isFinalRefund(refund.state)) this.deps.log.log('info', `refund ${refund.outTradeNo} ${refund.state}`, { respcd: refund.respcd });
      }),
    ];
    this.deps.log.log('info', `till opened in ${till.training ? 'training' : this.deps.settings.current.environment} mode`, { journal: till.journalPath, ...(till.simulator ? { simulator: till.simulator.baseUrl } : {}) });
    this.startReplication(till);
    this.broadcastStatus();
    const summary = await till.engine.recover();
    if (this.till !== till) return;
    this.ready = true;
    if (summary.sales.length || summary.refunds.length) this.deps.log.log('info', 'recovered unfinished work', { ...summary });
    this.broadcastStatus();
    this.deps.broadcast('onDisplay', this.display());
  }

  /** Closes and reopens the till after a mode or connection change: only when no sale or refund is open. */
  /**
   * Closes and reopens the till after a mode or connection change. If the
   * till cannot open with the new settings, they are undone and the till
   * reopens as it was, so a typo never leaves the counter without a till.
   */
  private async reopen(previous: ReturnType<SettingsManager['snapshot']>): Promise<IpcResult<null>> {
    await this.stop();
    try {
      await this.openForSettings();
      return ok(null);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.deps.log.log('error', 'the till could not open with the new settings; they were undone', { error: message });
      this.deps.settings.restore(previous);
      await this.openForSettings();
      return err('connection_failed', `the till could not open with these settings, so they were not kept: ${message}`);
    }
  }

  status(): AppStatus {
    const till = this.till;
    const openWork = till ? till.journal.openSales().length + till.journal.openRefunds().length : 0;
    return {
      mode: !till || till.training ? 'training' : this.deps.settings.current.environment,
      ready: this.ready && till !== undefined,
      keyStorage: this.deps.settings.keyStorage(),
      openWork,
      connection: this.connection.current,
    };
  }

  private broadcastStatus(): void {
    this.deps.broadcast('onStatus', this.status());
  }

  private newConnectionMonitor(): ConnectionMonitor {
    return new ConnectionMonitor(
      (state) => {
        if (state.state === 'offline') this.deps.log.log('warn', 'QFPay cannot be reached', { detail: state.detail });
        this.broadcastStatus();
      },
      () => this.clock.now(),
    );
  }

  /**
   * The cashier's typed amount (null: nothing typed). Whenever the cashier is
   * at the keypad, a finished sale's screen comes down at once: it must not
   * linger into the next sale.
   */
  private showAmount(typed: TypedAmount | null): void {
    const sale = this.till?.engine.currentSale();
    if (sale && !isFinalSale(sale.state)) return;
    this.typed = typed ?? undefined;
    this.finalShown = undefined;
    this.displayWake.fire();
    this.deps.broadcast('onDisplay', this.display());
  }

  /**
   * The customer display follows the till's current sale (the open one, else
   * the latest), never whichever sale the engine last emitted: a refund of an
   * earlier sale re-emits that sale while another may be waiting for its scan.
   * A sale's ending ("paid", "closed") stays up for DISPLAY_FINAL_MS and then
   * the screen goes idle, so a single-screen overlay comes down by itself; an
   * ending from before this session (the latest sale at start) is not shown.
   * With no sale to show, the amount the cashier is typing, if any.
   */
  private display(): DisplayState {
    const merchant = this.deps.settings.current.merchantName;
    const training = this.till?.training ?? true;
    const chinese = this.deps.settings.current.language === 'zh-Hans' ? 'zh-Hans' : 'zh-Hant';
    const wallets = acceptedWallets(this.deps.settings.current.mpmPayTypes);
    const sale = this.till?.engine.currentSale();
    if (sale && isFinalSale(sale.state)) {
      const shown = this.finalShown;
      if (!shown || shown.outTradeNo !== sale.outTradeNo || this.clock.now() >= shown.untilMs) return displayStateFor(undefined, merchant, training, chinese, this.clock.now(), this.typed, wallets);
    }
    return displayStateFor(sale ?? undefined, merchant, training, chinese, this.clock.now(), this.typed, wallets);
  }

  /** Cash sales whose "paid" the customer display has shown (a later refund re-emits the sale: not again). */
  private readonly cashShown = new Set<string>();

  /** Remembers which sales were open, and puts up an ending for DISPLAY_FINAL_MS when one of them ends. */
  private noteForDisplay(sale: SaleView): void {
    if (!isFinalSale(sale.state)) {
      this.openSeen.add(sale.outTradeNo);
      return;
    }
    // A cash sale is never seen open: its first (paid, unrefunded) view is its ending, shown once.
    const cashEnding = sale.cash !== undefined && sale.refundedMinor === 0 && !this.cashShown.has(sale.outTradeNo);
    if (cashEnding) this.cashShown.add(sale.outTradeNo);
    if (!this.openSeen.delete(sale.outTradeNo) && !cashEnding) return;
    const shown = { outTradeNo: sale.outTradeNo, untilMs: this.clock.now() + DISPLAY_FINAL_MS };
    this.finalShown = shown;
    void this.clock.sleep(DISPLAY_FINAL_MS, this.displayWake).then(() => {
      // A newer ending, a stop or a reopen since: not this timer's business any more.
      if (this.finalShown !== shown || !this.till) return;
      this.finalShown = undefined;
      this.deps.broadcast('onDisplay', this.display());
    });
  }

  // ---- PIN ----------------------------------------------------------------------------

  /**
   * Refunds, Z reports, settings, credentials and exports need the supervisor
   * PIN. Without one the till is training only (settings-manager.ts never
   * hands out live credentials), and these are refused should the till ever
   * be live regardless.
   */
  private async requirePin(pin: string | undefined): Promise<IpcResult<null>> {
    const state = this.deps.settings.pinState();
    if (state === 'missing') return err('pin_not_set', 'the supervisor PIN record is missing: set a new PIN in Settings (the QFPay client key must then be entered again)', 'pin');
    if (state === 'none') return this.status().mode === 'training' ? ok(null) : err('pin_not_set', 'set a supervisor PIN before the till goes live', 'pin');
    if (pin === undefined) return err('pin_required', 'the supervisor PIN is required', 'pin');
    const verdict = await this.pins.check(pin);
    if (verdict !== 'valid') return pinError(verdict);
    // A right PIN restored a tampered record: the screens learn it now; the till goes live again on the
    // next checkPin or restart, never in the middle of this refund or Z (which was asked of the training till).
    if (state === 'tampered') this.deps.broadcast('onSettings', this.deps.settings.view());
    return ok(null);
  }

  /** After the right PIN (checkPin): a till kept in training by a tampered record goes back to the live mode its settings name. */
  private async goLiveAfterRepair(): Promise<void> {
    if (!this.till?.training || !this.deps.settings.credentials() || this.till.engine.hasOpenWork()) return;
    await this.reopen(this.deps.settings.snapshot());
  }

  // ---- handlers ---------------------------------------------------------------------

  private requireTill(): Till {
    if (!this.till) throw new TillNotOpen('the till is not open');
    return this.till;
  }

  private makeHandlers(): Handlers {
    return {
      charge: async (input) => {
        const till = this.requireTill();
        return fromEngine(
          await till.engine.charge({
            amountMinor: input.amountMinor,
            currency: input.currency,
            goodsName: input.goodsName,
            expiredMinutes: this.deps.settings.current.qrExpiryMinutes,
            payType: input.payType,
            realName: input.realName,
          }),
        );
      },
      // Issue 13 §1: the cashier scanned the customer's code (the pay type from the code and Settings).
      chargeCode: async (input) =>
        fromEngine(
          await this.requireTill().engine.chargeCode({
            amountMinor: input.amountMinor,
            currency: input.currency,
            goodsName: input.goodsName,
            authCode: input.authCode,
            payType: input.payType,
            realName: input.realName,
          }),
        ),
      cancel: async (input) => fromEngine(await this.requireTill().engine.cancel(input.outTradeNo)),
      currentSale: async () => ok(this.till?.engine.currentSale() ?? null),
      parkedSales: async () => ok(this.till?.engine.parkedSales() ?? []),
      simulateCustomerPayment: async (input) => {
        const till = this.requireTill();
        if (!till.training || !till.simulator) return err('training_only', 'only in training mode');
        const paid = till.simulator.pay({ out_trade_no: input.outTradeNo });
        if (!paid.ok) return err(paid.status === 404 ? 'not_found' : 'not_cancellable', paid.error);
        const view = till.engine.saleViewOf(input.outTradeNo);
        return view ? ok(view) : err('not_found', 'no such sale');
      },
      history: async (input) => {
        const till = this.requireTill();
        const rows = till.journal.searchSales({
          fromMs: input.fromMs,
          toMs: input.toMs,
          text: input.text,
          amountMinor: input.amountMinor,
          limit: input.limit + 1,
          offset: input.offset,
        });
        const sales = rows.slice(0, input.limit).map((r) => till.engine.saleViewOf(r.outTradeNo)!);
        return ok({ sales, hasMore: rows.length > input.limit });
      },
      saleDetail: async (input) => {
        const till = this.requireTill();
        const sale = till.engine.saleViewOf(input.outTradeNo);
        if (!sale) return err('not_found', 'no such sale');
        const refunds = till.journal.refundsOfSale(input.outTradeNo).map((r) => till.engine.refundViewOf(r.outTradeNo)!);
        const ids = [input.outTradeNo, ...refunds.map((r) => r.outTradeNo)];
        const events = ids.flatMap((id) => till.journal.events(id)).sort((a, b) => a.id - b.id).map(eventView);
        const refundableMinor = sale.state === 'paid' ? sale.amountMinor - till.journal.reservedRefundMinor(input.outTradeNo) : 0;
        return ok({ sale, refunds, events, refundableMinor });
      },
      refund: async (input) => {
        const pin = await this.requirePin(input.pin);
        if (!pin.ok) return pin;
        const till = this.requireTill();
        const refunded = await till.engine.refund({ saleOutTradeNo: input.saleOutTradeNo, amountMinor: input.amountMinor });
        // A cash refund is paid from the drawer: it opens (issue 14).
        if (refunded.ok && refunded.value.state === 'refunded' && till.journal.sale(input.saleOutTradeNo)?.payType === CASH_PAY_TYPE) {
          this.receipts.cashMoved(input.saleOutTradeNo, refunded.value.outTradeNo);
        }
        return fromEngine(refunded);
      },
      ...reportHandlers({
        till: () => this.requireTill(),
        settings: () => this.deps.settings.current,
        now: () => this.clock.now(),
        requirePin: (pin) => this.requirePin(pin),
        saveFile: this.deps.saveFile,
        printHtml: this.deps.printHtml,
      }),
      ...this.receipts.handlers,
      ...cashHandlers({
        till: () => this.requireTill(),
        settings: () => this.deps.settings.current,
        requirePin: (pin) => this.requirePin(pin),
        // Cash taken: the drawer opens (issue 14).
        onCashSale: (sale) => this.receipts.cashMoved(sale.outTradeNo),
      }),
      settings: async () => ok(this.deps.settings.view()),
      updateSettings: async (input) => {
        const pin = await this.requirePin(input.pin);
        if (!pin.ok) return pin;
        const before = this.deps.settings.current;
        const snapshot = this.deps.settings.snapshot();
        const needsReopen = REOPEN_KEYS.some((key) => input.patch[key] !== undefined && input.patch[key] !== before[key]);
        if (needsReopen && this.till?.engine.hasOpenWork()) return err('busy', 'finish the open sale or refund before changing how the till connects');
        const updated = this.deps.settings.update(input.patch);
        if (!updated.ok) return err('invalid_input', updated.message, updated.field);
        if (needsReopen) {
          const reopened = await this.reopen(snapshot);
          if (!reopened.ok) return reopened;
        }
        const view = this.deps.settings.view();
        this.deps.broadcast('onSettings', view);
        this.deps.broadcast('onDisplay', this.display());
        return ok(view);
      },
      setCredentials: async (input) => {
        const pin = await this.requirePin(input.pin);
        if (!pin.ok) return pin;
        // Going live, or storing what would let a till go live, needs a PIN first (first run: PIN, then credentials).
        const current = this.deps.settings.current;
        const onlyTraining =
          input.environment === 'training' &&
          input.clientKey === undefined &&
          (input.appCode === undefined || input.appCode === current.appCode) &&
          (input.mchid === undefined || input.mchid === current.mchid);
        if (this.deps.settings.pinState() !== 'set' && !onlyTraining) return err('pin_not_set', 'set a supervisor PIN before entering QFPay credentials or going live', 'pin');
        // A mode switch only happens with no sale in flight.
        if (this.till?.engine.hasOpenWork()) return err('busy', 'finish the open sale or refund before changing credentials or mode');
        const snapshot = this.deps.settings.snapshot();
        const changed = this.deps.settings.setCredentials(input);
        if (!changed.ok) return err('invalid_input', changed.message, changed.field);
        this.deps.log.log('info', `credentials updated; environment ${input.environment}`, { keyStorage: this.deps.settings.keyStorage() });
        const reopened = await this.reopen(snapshot);
        if (!reopened.ok) return reopened;
        const view = this.deps.settings.view();
        this.deps.broadcast('onSettings', view);
        return ok(view);
      },
      setHeadOffice: async (input) => {
        const pin = await this.requirePin(input.pin);
        if (!pin.ok) return pin;
        // A database password is kept, or the journal sent, only under a supervisor PIN (as QFPay's key is); turning off is always allowed.
        const onlyOff = !input.enabled && (input.password === undefined || input.password === null);
        if (this.deps.settings.pinState() !== 'set' && !onlyOff) return err('pin_not_set', 'set a supervisor PIN before connecting head office', 'pin');
        const changed = this.deps.settings.setHeadOffice(input);
        if (!changed.ok) return err('invalid_input', changed.message, changed.field);
        this.deps.log.log('info', `head office ${input.enabled ? 'on' : 'off'}`, { passwordSet: this.deps.settings.officePassword() !== undefined });
        await this.restartReplication();
        const view = this.deps.settings.view();
        this.deps.broadcast('onSettings', view);
        return ok(view);
      },
      officeStatus: async () => ok(this.officeStatus()),
      testConnection: async () => {
        const till = this.requireTill();
        const started = this.clock.now();
        await till.engine.bucket.take();
        // A query for an order that cannot exist: 0000 with no data proves the app code, key and mchid.
        const outcome = await till.client.query({ out_trade_no: `${till.journal.udid.replace(/[^A-Za-z0-9_-]/g, '_')}-PING` });
        const latencyMs = this.clock.now() - started;
        if (outcome.kind === 'answered') {
          const respcd = outcome.answer.respcd;
          const text = cashierText(respcd, this.deps.settings.current.language);
          return ok({ ok: respcd === '0000', respcd, message: respcd === '0000' ? 'QFPay answered: the credentials work' : `${text.message} ${text.hint}`, latencyMs });
        }
        const message =
          outcome.kind === 'rate_limited' ? 'QFPay is rate-limiting this merchant: try again in a minute' : outcome.kind === 'invalid' ? outcome.error.message : `no answer from QFPay (${outcome.detail})`;
        return ok({ ok: false, respcd: null, message, latencyMs });
      },
      checkPin: async (input) => {
        const state = this.deps.settings.pinState();
        if (state === 'none') return ok({ valid: true });
        const verdict = await this.pins.check(input.pin);
        if (verdict === 'valid') {
          if (state === 'tampered') this.deps.broadcast('onSettings', this.deps.settings.view());
          await this.goLiveAfterRepair();
        }
        return verdict === 'valid' || verdict === 'wrong' ? ok({ valid: verdict === 'valid' }) : pinError(verdict);
      },
      updateStatus: async () => ok(this.deps.updates?.().status ?? { state: 'off' }),
      restartToUpdate: async (input) => {
        const pin = await this.requirePin(input.pin);
        if (!pin.ok) return pin;
        const restarted = this.deps.updates?.().restartToUpdate() ?? { ok: false, reason: 'no_update' };
        if (restarted.ok) return ok({ version: restarted.version });
        return restarted.reason === 'open_work'
          ? err('open_work', 'a sale or refund is open: the update installs once it is finished')
          : err('not_available', 'no update has been downloaded');
      },
      setPin: async (input) => {
        // A fresh till, or a record nobody can check any more: no current PIN to ask for.
        const asked = this.deps.settings.pinState();
        if (asked === 'set' || asked === 'tampered') {
          const pin = await this.requirePin(input.currentPin);
          if (!pin.ok) return pin;
        }
        // After the gate (a right PIN repairs a tampered record).
        const state = this.deps.settings.pinState();
        const before = this.deps.settings.current.pinHash;
        if (input.newPin === null && this.deps.settings.current.environment !== 'training') {
          return err('invalid_input', 'the PIN cannot be removed while the till is set to go live: switch to training first', 'newPin');
        }
        if (input.newPin !== null && !this.deps.settings.canSealPin()) return err('not_available', "this computer's key store is not available, so a PIN cannot be kept safely");
        if (state === 'missing' && this.till?.engine.hasOpenWork()) return err('busy', 'finish the open sale or refund before setting the PIN');
        // Re-checked in turn: a setPin that raced this one (or a lock-out since) wins, this one is refused.
        const unchanged = () => this.deps.settings.pinState() === state && this.deps.settings.current.pinHash === before;
        if (!(await this.pins.set(input.newPin, unchanged))) return err('busy', 'the PIN was changed meanwhile: try again');
        this.deps.log.log('info', input.newPin === null ? 'supervisor PIN removed' : state === 'missing' ? 'supervisor PIN set again; the stored client key was forgotten' : 'supervisor PIN set');
        const view = this.deps.settings.view();
        this.deps.broadcast('onSettings', view);
        this.broadcastStatus();
        return ok(view);
      },
      status: async () => ok(this.status()),
      displayState: async () => ok(this.display()),
      showAmount: async (input) => {
        // scanning: the customer is asked to show their payment code (issue 13 §1).
        this.showAmount(
          input.amountMinor === null ? null : { amountMinor: input.amountMinor, currency: input.currency as TypedAmount['currency'], ...(input.scanning ? { scanning: true } : {}) },
        );
        return ok(null);
      },
    };
  }
}

function pinError<T>(verdict: 'wrong' | 'locked' | 'unverifiable'): IpcResult<T> {
  if (verdict === 'locked') return err('pin_locked', 'too many wrong PINs: wait a while and try again', 'pin');
  if (verdict === 'unverifiable') return err('pin_not_set', 'the supervisor PIN record is missing: set a new PIN in Settings', 'pin');
  return err('pin_wrong', 'wrong PIN', 'pin');
}

function eventView(event: JournalEvent): EventView {
  const d = event.data;
  let summary: string;
  if (event.kind === 'exchange') {
    summary = `QFPay ${String(d.endpoint)}: ${d.respcd ? `answered ${String(d.respcd)}` : String(d.outcome)}${typeof d.durationMs === 'number' ? ` (${d.durationMs} ms)` : ''}`;
  } else if (event.kind === 'transition') {
    const from = d.from ? `${String(d.from)} → ` : '';
    summary = `${from}${String(d.to)}${d.reason ? `: ${String(d.reason)}` : ''}`;
  } else {
    summary = String(d.message ?? 'note');
  }
  const view: EventView = { atMs: event.atMs, kind: event.kind, summary };
  if (event.kind === 'transition') {
    view.from = typeof d.from === 'string' ? d.from : null;
    view.to = typeof d.to === 'string' ? d.to : null;
  } else if (event.kind === 'exchange') {
    view.endpoint = String(d.endpoint);
    view.respcd = typeof d.respcd === 'string' ? d.respcd : null;
    view.durationMs = typeof d.durationMs === 'number' ? d.durationMs : null;
  }
  return view;
}
