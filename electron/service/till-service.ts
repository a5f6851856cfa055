import type { AppStatus, EventName, EventView, IpcResult, MethodName, ParsedInputOf, PayloadOf, ResultOf } from '../../shared/contract';
import { displayStateFor, type DisplayState } from '../../shared/display';
import { isFinalRefund, isFinalSale, type SaleView } from '../../shared/sale';
import type { JournalEvent } from '../journal/journal';
import { cashierText } from '../qfpay/codes';
import type { Clock } from '../till/clock';
import { Wake, systemClock } from '../till/clock';
import { openTill, type Till, type TillOptions } from '../till/core';
import type { EngineResult } from '../till/engine';
import { Replicator } from '../office/sync';
import type { Logger } from './log';
import { hashPin, verifyPin } from './pin';
import { reportHandlers, type PrintHtml, type SaveFile } from './report-handlers';
import type { SettingsManager } from './settings-manager';

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
  /** Head office's URL with its password when replication is on (main.ts joins the kept secret); absent: off. */
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

/** After this many wrong PINs in a row, PIN checks are refused for PIN_LOCK_MS, doubling with each lock-out (at most an hour). */
const PIN_TRIES = 5;
const PIN_LOCK_MS = 60_000;
/** The customer display keeps a final sale's screen this long, then shows idle. */
export const DISPLAY_FINAL_MS = 8_000;
/** Settings that change how the till talks to QFPay: applying them reopens the till (only when idle). */
const REOPEN_KEYS = ['udid', 'tillsPerMerchant', 'timeZone', 'verifyResponseSignature'] as const;

export class TillService {
  private till: Till | undefined;
  private ready = false;
  private pinFailures = 0;
  private pinLockedUntil = 0;
  private pinLockouts = 0;
  private unsubscribe: (() => void)[] = [];
  /** Sales seen open in this session: only their ending is shown to the customer. */
  private readonly openSeen = new Set<string>();
  /** The sale whose "paid"/"closed" screen is up, until when. */
  private finalShown: { outTradeNo: string; untilMs: number } | undefined;
  private readonly displayWake = new Wake();
  private readonly clock: Clock;
  private readonly handlers: Handlers;

  constructor(private readonly deps: ServiceDeps) {
    this.clock = deps.clock ?? systemClock;
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
    const url = till.training ? undefined : this.deps.headOfficeUrl?.();
    if (!url) return;
    this.replicator = new Replicator(
      { url, journalPath: till.journalPath, timeZone: this.deps.settings.current.timeZone },
      { onOutcome: (o) => (o.ok ? undefined : this.deps.log.log('warn', `head office: ${o.message}`, { reason: o.reason })) },
    );
    this.replicator.start();
  }

  get current(): Till | undefined {
    return this.till;
  }

  private async openForSettings(): Promise<void> {
    const s = this.deps.settings.current;
    const open = this.deps.openTill ?? openTill;
    const till = await open({
      dataDir: this.deps.dataDir,
      credentials: this.deps.settings.credentials(),
      udid: s.udid,
      timeZone: s.timeZone,
      expiredMinutes: s.qrExpiryMinutes,
      tillsPerMerchant: s.tillsPerMerchant,
      verifyResponseSignature: s.verifyResponseSignature,
      clock: this.clock,
      onError: (where, error) => this.deps.log.log('error', `engine: ${where}`, { error: error instanceof Error ? (error.stack ?? error.message) : String(error) }),
      ...this.deps.tillOptions,
    });
    this.till = till;
    this.ready = false;
    this.unsubscribe = [
      till.engine.onSale((sale) => {
        this.deps.broadcast('onSale', sale);
        this.noteForDisplay(sale);
        this.deps.broadcast('onDisplay', this.display());
        if (sale.state === 'paid' || sale.state === 'failed') this.deps.log.log('info', `sale ${sale.outTradeNo} ${sale.state}`, { respcd: sale.respcd, paidAfterCancel: sale.paidAfterCancel });
      }),
      till.engine.onRefund((refund) => {
        this.deps.broadcast('onRefund', refund);
        if (isFinalRefund(refund.state)) this.deps.log.log('info', `refund ${refund.outTradeNo} ${refund.state}`, { respcd: refund.respcd });
      }),
    ];
    this.deps.log.log('info', `till opened in ${till.training ? 'training' : this.deps.settings.current.environment} mode`, { journal: till.journalPath });
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
    };
  }

  private broadcastStatus(): void {
    this.deps.broadcast('onStatus', this.status());
  }

  /**
   * The customer display follows the till's current sale (the open one, else
   * the latest), never whichever sale the engine last emitted: a refund of an
   * earlier sale re-emits that sale while another may be waiting for its scan.
   * A sale's ending ("paid", "closed") stays up for DISPLAY_FINAL_MS and then
   * the screen goes idle, so a single-screen overlay comes down by itself; an
   * ending from before this session (the latest sale at start) is not shown.
   */
  private display(): DisplayState {
    const merchant = this.deps.settings.current.merchantName;
    const training = this.till?.training ?? true;
    const chinese = this.deps.settings.current.language === 'zh-Hans' ? 'zh-Hans' : 'zh-Hant';
    const sale = this.till?.engine.currentSale();
    if (sale && isFinalSale(sale.state)) {
      const shown = this.finalShown;
      if (!shown || shown.outTradeNo !== sale.outTradeNo || this.clock.now() >= shown.untilMs) return displayStateFor(undefined, merchant, training, chinese);
    }
    return displayStateFor(sale, merchant, training, chinese);
  }

  /** Remembers which sales were open, and puts up an ending for DISPLAY_FINAL_MS when one of them ends. */
  private noteForDisplay(sale: SaleView): void {
    if (!isFinalSale(sale.state)) {
      this.openSeen.add(sale.outTradeNo);
      return;
    }
    if (!this.openSeen.delete(sale.outTradeNo)) return;
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

  /** Refunds, Z reports and settings need the supervisor PIN once one is set. */
  private async requirePin(pin: string | undefined): Promise<IpcResult<null>> {
    const hash = this.deps.settings.current.pinHash;
    if (hash === null) return ok(null);
    if (pin === undefined) return err('pin_required', 'the supervisor PIN is required', 'pin');
    const verdict = await this.checkPin(pin, hash);
    if (verdict === 'locked') return err('pin_locked', 'too many wrong PINs: wait a while and try again', 'pin');
    return verdict === 'valid' ? ok(null) : err('pin_wrong', 'wrong PIN', 'pin');
  }

  private async checkPin(pin: string, hash: string): Promise<'valid' | 'wrong' | 'locked'> {
    const now = this.clock.now();
    if (now < this.pinLockedUntil) return 'locked';
    if (await verifyPin(pin, hash)) {
      this.pinFailures = 0;
      this.pinLockouts = 0;
      return 'valid';
    }
    this.pinFailures += 1;
    if (this.pinFailures >= PIN_TRIES) {
      // Escalating: a 4-digit PIN must not fall to patient guessing.
      this.pinFailures = 0;
      this.pinLockedUntil = now + Math.min(PIN_LOCK_MS * 2 ** this.pinLockouts, 3_600_000);
      this.pinLockouts += 1;
    }
    this.deps.log.log('warn', 'wrong supervisor PIN');
    return 'wrong';
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
          await till.engine.charge({ amountMinor: input.amountMinor, currency: input.currency, goodsName: input.goodsName, expiredMinutes: this.deps.settings.current.qrExpiryMinutes }),
        );
      },
      cancel: async (input) => fromEngine(await this.requireTill().engine.cancel(input.outTradeNo)),
      currentSale: async () => ok(this.till?.engine.currentSale() ?? null),
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
        return fromEngine(await this.requireTill().engine.refund({ saleOutTradeNo: input.saleOutTradeNo, amountMinor: input.amountMinor }));
      },
      ...reportHandlers({
        till: () => this.requireTill(),
        settings: () => this.deps.settings.current,
        now: () => this.clock.now(),
        requirePin: (pin) => this.requirePin(pin),
        saveFile: this.deps.saveFile,
        printHtml: this.deps.printHtml,
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
        const hash = this.deps.settings.current.pinHash;
        if (hash === null) return ok({ valid: true });
        const verdict = await this.checkPin(input.pin, hash);
        return verdict === 'locked' ? err('pin_locked', 'too many wrong PINs: wait a while and try again', 'pin') : ok({ valid: verdict === 'valid' });
      },
      setPin: async (input) => {
        const pin = await this.requirePin(input.currentPin);
        if (!pin.ok) return pin;
        this.deps.settings.setPinHash(input.newPin === null ? null : await hashPin(input.newPin));
        this.deps.log.log('info', input.newPin === null ? 'supervisor PIN removed' : 'supervisor PIN set');
        const view = this.deps.settings.view();
        this.deps.broadcast('onSettings', view);
        return ok(view);
      },
      status: async () => ok(this.status()),
      displayState: async () => ok(this.display()),
    };
  }
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
