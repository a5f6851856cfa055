import { CASH_PAY_TYPE, MAX_REASON_LENGTH, changeOf, type DrawerMovementKind, type DrawerStatus } from '../../shared/cash';
import { MAX_TXAMT, formatMinor, isCurrencyCode, type CurrencyCode } from '../../shared/currency';
import { drawerPeriodStart, drawerTotals, insertMovement, needsFloat } from '../journal/drawer';
import { NOT_YET_SETTLED, REFUND_NOT_YET_SETTLED, type Journal, type RefundRecord, type SaleRecord } from '../journal/journal';
import { formatTxdtm } from '../qfpay/time';
import type { Clock } from './clock';
import type { EngineErrorCode, EngineResult } from './engine';

// Cash at the counter (issue 13). A cash sale never needs the network and
// never calls QFPay: it is written straight to `paid` in one transaction,
// with the same udid, order numbering and audit trail as a QFPay sale. A
// refund of a cash sale is paid from the drawer, also in one transaction, and
// never more than what is left of the sale. The drawer's other movements
// (float, paid in, paid out) are journaled with an event each.

export interface CashChargeInput {
  amountMinor: number;
  currency: CurrencyCode;
  goodsName: string | null;
  expiredMinutes: number;
  /** What the customer handed over: at least the amount. */
  tenderedMinor: unknown;
  /** The drawer's opening float, required at the first cash sale of a currency after a Z. */
  openingFloatMinor?: unknown;
}

export interface DrawerMoveInput {
  kind: DrawerMovementKind;
  currency: string;
  amountMinor: unknown;
  reason?: unknown;
}

export interface CashContext {
  journal: Journal;
  clock: Clock;
  udid: string;
  training: boolean;
  timeZone: string | undefined;
  uniqueOutTradeNo(kind: 'S' | 'R', now: number): string;
}

type Fail = { ok: false; error: { code: EngineErrorCode; message: string; field?: string; outTradeNo?: string } };
const fail = (code: EngineErrorCode, message: string, extra: { field?: string; outTradeNo?: string } = {}): Fail => ({ ok: false, error: { code, message, ...extra } });

const isMinor = (value: unknown, min: number): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= MAX_TXAMT;

export class CashDesk {
  constructor(private readonly ctx: CashContext) {}

  private get scope() {
    return { udid: this.ctx.udid, training: this.ctx.training };
  }

  /** A cash sale, already checked as a charge (amount, currency, goods name): tender, float, then one write. */
  charge(input: CashChargeInput): EngineResult<SaleRecord> {
    const { journal } = this.ctx;
    if (!isMinor(input.tenderedMinor, 1)) return fail('invalid_input', 'the cash handed over must be a whole number of minor units', { field: 'tendered' });
    const tendered = input.tenderedMinor;
    if (tendered < input.amountMinor) {
      return fail('invalid_input', `the customer handed over less than ${formatMinor(input.amountMinor, input.currency)}`, { field: 'tendered' });
    }
    const float = input.openingFloatMinor;
    if (float !== undefined && !isMinor(float, 0)) return fail('invalid_input', 'the opening float must be a whole number of minor units', { field: 'float' });
    return journal.db
      .transaction((): EngineResult<SaleRecord> => {
        // Checked inside the write: the command line on the same journal cannot slip a sale in between.
        // A parked sale (DESIGN.md rule 2) is settled in the background and is not in the way.
        const open = journal.blockingSale();
        if (open) return fail('sale_open', 'finish the current sale first (it is still open)', { outTradeNo: open.outTradeNo });
        const wantsFloat = needsFloat(journal.db, this.scope, input.currency);
        if (wantsFloat && float === undefined) return fail('float_required', 'enter the opening float of the cash drawer first', { field: 'float' });
        if (!wantsFloat && float !== undefined) return fail('invalid_input', 'the opening float was already entered since the last Z', { field: 'float' });
        const now = this.ctx.clock.now();
        if (float !== undefined) this.writeMovement({ kind: 'float', currency: input.currency, amountMinor: float, reason: null, atMs: now });
        const outTradeNo = this.ctx.uniqueOutTradeNo('S', now);
        const change = changeOf(input.amountMinor, tendered);
        journal.insertFinalSale(
          {
            outTradeNo,
            udid: this.ctx.udid,
            training: this.ctx.training,
            amountMinor: input.amountMinor,
            currency: input.currency,
            payType: CASH_PAY_TYPE,
            goodsName: input.goodsName,
            state: 'paid',
            txdtm: formatTxdtm(now, this.ctx.timeZone),
            expiredMinutes: input.expiredMinutes,
            createdAtMs: now,
            expiresAtMs: now,
            ...NOT_YET_SETTLED,
            paidAtMs: now,
            finalAtMs: now,
            updatedAtMs: now,
            tenderedMinor: tendered,
            changeMinor: change,
          },
          { reason: 'cash_charge', amountMinor: input.amountMinor, currency: input.currency, tenderedMinor: tendered, changeMinor: change },
        );
        return { ok: true, value: journal.sale(outTradeNo)! };
      })
      .immediate();
  }

  /** A refund of a paid cash sale, from the drawer: at most what is left of the sale; refunded at once. */
  refund(sale: SaleRecord, amountInput: unknown): EngineResult<RefundRecord> {
    const { journal } = this.ctx;
    // Only a missing amount means "everything left"; the room is checked again inside the write.
    const amount = amountInput === undefined ? sale.amountMinor - journal.reservedRefundMinor(sale.outTradeNo) : amountInput;
    if (amountInput === undefined && (amount as number) <= 0) return fail('nothing_to_refund', 'this sale is already fully refunded');
    if (!isMinor(amount, 1)) return fail('invalid_input', 'the refund amount must be a whole number of minor units, at least 1', { field: 'txamt' });
    const now = this.ctx.clock.now();
    const outTradeNo = this.ctx.uniqueOutTradeNo('R', now);
    return journal.db
      .transaction((): EngineResult<RefundRecord> => {
        const room = journal.insertRefundIfRoom(
          {
            outTradeNo,
            udid: this.ctx.udid,
            training: this.ctx.training,
            saleOutTradeNo: sale.outTradeNo,
            amountMinor: amount,
            currency: sale.currency,
            state: 'requesting',
            txdtm: formatTxdtm(now, this.ctx.timeZone),
            createdAtMs: now,
            ...REFUND_NOT_YET_SETTLED,
            updatedAtMs: now,
          },
          sale.amountMinor,
          { reason: 'cash_refund', amountMinor: amount },
        );
        if (!room.ok) {
          if (room.code === 'refund_open') return fail('refund_open', 'a refund of this sale is still being processed', { outTradeNo: room.outTradeNo });
          if (room.code === 'nothing_to_refund') return fail('nothing_to_refund', 'this sale is already fully refunded');
          return fail('exceeds_refundable', `at most ${formatMinor(room.refundableMinor, sale.currency)} can still be refunded`, { field: 'txamt' });
        }
        // Same transaction: a cash refund is never seen open, so recovery never asks QFPay about it.
        const refunded = journal.updateRefund(outTradeNo, ['requesting'], { state: 'refunded', finalAtMs: now, updatedAtMs: now }, { reason: 'cash_refund_paid' });
        if (!refunded) throw new Error(`cash refund ${outTradeNo} could not be settled`);
        return { ok: true, value: refunded };
      })
      .immediate();
  }

  /** Float, paid in or paid out (the service asks for the PIN first for paid in and out). */
  move(input: DrawerMoveInput): EngineResult<DrawerStatus> {
    if (!isCurrencyCode(input.currency)) return fail('invalid_input', 'unknown currency', { field: 'currency' });
    const currency = input.currency;
    if (!isMinor(input.amountMinor, input.kind === 'float' ? 0 : 1)) return fail('invalid_input', 'the amount must be a whole number of minor units', { field: 'amount' });
    const amount = input.amountMinor;
    let reason: string | null = null;
    if (input.kind !== 'float') {
      reason = typeof input.reason === 'string' ? input.reason.trim() : '';
      if (reason === '') return fail('invalid_input', 'say why the money goes in or out of the drawer', { field: 'reason' });
      if (reason.length > MAX_REASON_LENGTH) return fail('invalid_input', `the reason is longer than ${MAX_REASON_LENGTH} characters`, { field: 'reason' });
    }
    const { db } = this.ctx.journal;
    return db
      .transaction((): EngineResult<DrawerStatus> => {
        if (input.kind === 'float' && !needsFloat(db, this.scope, currency)) {
          return fail('invalid_input', 'the opening float was already entered since the last Z: use paid in or paid out', { field: 'float' });
        }
        if (input.kind === 'paid_out' && amount > this.status(currency).expectedMinor) {
          return fail('invalid_input', 'there is not that much cash in the drawer', { field: 'amount' });
        }
        this.writeMovement({ kind: input.kind, currency, amountMinor: amount, reason, atMs: this.ctx.clock.now() });
        return { ok: true, value: this.status(currency) };
      })
      .immediate();
  }

  /** The drawer of one currency since the last Z. */
  status(currency: CurrencyCode): DrawerStatus {
    const db = this.ctx.journal.db;
    const fromMs = drawerPeriodStart(db, this.scope);
    // +1: a movement written this very millisecond is in the drawer.
    const drawer = drawerTotals(db, { ...this.scope, fromMs, toMs: this.ctx.clock.now() + 1 }).find((d) => d.currency === currency);
    return { currency, needsFloat: needsFloat(db, this.scope, currency), expectedMinor: drawer?.expectedMinor ?? 0 };
  }

  private writeMovement(movement: { kind: DrawerMovementKind; currency: CurrencyCode; amountMinor: number; reason: string | null; atMs: number }): void {
    insertMovement(this.ctx.journal.db, this.scope, movement);
    this.ctx.journal.appendEvent('note', null, movement.atMs, { note: 'cash_drawer', ...movement });
  }
}
