import type { EndpointFault } from '../../electron/simulator/faults';
import type { Random } from '../../electron/simulator/random';

// Per-sale plans of the fault soak (fault-soak.ts), all drawn from one seed so
// that sale K's plan never depends on how earlier sales ended. A sale is one
// of four tenders: WeChat MPM (cancelled by close), Alipay MPM (801501,
// cancelled by reversal), a scanned customer code (800208 / 800108 / 800008,
// the simulator plays the customer by the code's last digit), or cash (never
// at QFPay). Each QFPay sale carries faults on its payment, query and cancel
// requests; about a third of paid sales are refunded.

export const LONG_DELAY_MS = 450;
export const EXPIRED_MINUTES = 5;

export type Tender = 'wechat_mpm' | 'alipay_mpm' | 'cpm' | 'cash';
export const TENDERS: readonly Tender[] = ['wechat_mpm', 'alipay_mpm', 'cpm', 'cash'];
export const MPM_PAY_TYPE: Record<'wechat_mpm' | 'alipay_mpm', string> = { wechat_mpm: '800201', alipay_mpm: '801501' };

/** `fails`: the customer's attempt is declined (1201); with `thenPays` they pay the same QR with another card. */
export type Customer = { kind: 'auto'; afterMs: number } | { kind: 'pays'; afterMs: number } | { kind: 'fails'; afterMs: number; thenPays: boolean } | { kind: 'never' };

export interface RefundPlan {
  /** Fraction of the refundable remainder (1 = all of it). */
  fraction: number;
  second: boolean;
  fault?: EndpointFault;
  settleMs: number;
}

/** A scanned customer code: the simulator pays at once, after a password, never (the window ends: reversal), or refuses (1201). */
export type CodeCustomer = 'at_once' | 'password' | 'never' | 'refuses';
const LAST_DIGIT: Record<CodeCustomer, readonly string[]> = { at_once: ['0', '4', '5', '6', '7', '8', '9'], password: ['1'], never: ['2'], refuses: ['3'] };

export interface CodePlan {
  authCode: string;
  /** 800008 (the unified code) when set; else the engine picks from the code's first digits. */
  payType?: string;
  customer: CodeCustomer;
}

export interface SalePlan {
  index: number;
  tender: Tender;
  amountMinor: number;
  payment?: EndpointFault;
  query?: EndpointFault;
  /** The fault on the cancel request: /close for WeChat MPM, /reversal for Alipay and scanned codes. */
  cancelFault?: EndpointFault;
  inProgressQueries: number;
  /** Issue 9 faults, as the simulator's plan keys (openRespcd, queryShape, closedAsPaidCancel, …). */
  extra: Record<string, unknown>;
  customer: Customer;
  /** Cashier presses cancel this long after charge (may be before the QR is shown). */
  cancelAfterMs?: number;
  /** Let the QR expire: the shared clock jumps past expired_time once the QR is shown. */
  expire: boolean;
  /** If this sale ends paid: refund it (while the next sale runs). */
  refund?: RefundPlan;
  /** Scanned-code sales only. */
  code?: CodePlan;
  /** Cash only: what the customer hands over (at least the amount). */
  tenderedMinor?: number;
  labels: string[];
}

interface Draw {
  random: Random;
  chance(p: number): boolean;
  pick<T>(values: readonly T[]): T;
  between(lo: number, hi: number): number;
}

function draw(random: Random): Draw {
  return {
    random,
    chance: (p) => random() < p,
    pick: (values) => values[Math.floor(random() * values.length)]!,
    between: (lo, hi) => lo + Math.floor(random() * (hi - lo + 1)),
  };
}

/** 40% WeChat MPM, 15% Alipay MPM, 30% scanned codes, 15% cash. */
export function planSale(index: number, random: Random): SalePlan {
  const d = draw(random);
  const roll = random();
  const tender: Tender = roll < 0.4 ? 'wechat_mpm' : roll < 0.55 ? 'alipay_mpm' : roll < 0.85 ? 'cpm' : 'cash';
  const plan: SalePlan = { index, tender, amountMinor: d.between(200, 99_999), inProgressQueries: 0, extra: {}, customer: { kind: 'never' }, expire: false, labels: [] };
  if (tender === 'cpm') planCode(plan, d);
  else if (tender === 'cash') planCash(plan, d);
  else planMpm(plan, d);
  return plan;
}

const QUERY_FAULTS = (d: Draw): [string, EndpointFault][] => [
  ['query.1297', { respcd: '1297', count: d.between(1, 4) }],
  ['query.1100', { respcd: '1100', count: d.between(1, 3) }],
  ['query.500', { httpStatus: 500, count: d.between(1, 3) }],
  ['query.dropResponse', { dropResponse: true, count: d.between(1, 2) }],
  ['query.delay>timeout', { delayMs: 400, count: 1 }],
  ['query.429-storm', { httpStatus: 429, count: d.between(2, 8) }],
  ['query.429-retryAfter120', { httpStatus: 429, retryAfterS: 120, count: 1 }],
];

/** Query faults and 1145 streaks ("processing" on every query for a while). */
function planQueryFaults(plan: SalePlan, d: Draw): void {
  const { chance, pick, between } = d;
  const labels = plan.labels;
  if (chance(0.3)) {
    const [label, fault] = pick(QUERY_FAULTS(d));
    plan.query = fault;
    labels.push(label);
  }
  if (chance(0.15)) {
    plan.inProgressQueries = between(1, 8);
    labels.push(`1145x${plan.inProgressQueries}`);
  }
}

/** Payment faults every tender's QFPay sale may meet: lost answers after commit, 5xx with and without commit, delays past the client timeout. */
const PAYMENT_FAULTS: readonly [string, EndpointFault][] = [
  ['payment.dropResponse', { dropResponse: true }],
  ['payment.dropRequest', { dropRequest: true }],
  ['payment.delay>timeout', { delayMs: LONG_DELAY_MS }],
  ['payment.delay<timeout', { delayMs: 60 }],
  ['payment.502', { httpStatus: 502 }],
  ['payment.503+commit', { httpStatus: 503, commit: true }],
  ['payment.500+commit', { httpStatus: 500, commit: true }],
  ['payment.1145+commit', { respcd: '1145', commit: true }],
];

/** The cancel request's faults; `name` is close or reversal, the endpoint the tender cancels with. */
const CANCEL_FAULTS = (d: Draw, name: string): [string, EndpointFault][] => [
  [`${name}.refused`, { respcd: '1150', count: d.between(1, 2) }],
  [`${name}.dropResponse`, { dropResponse: true, count: 1 }],
  [`${name}.502+commit`, { httpStatus: 502, commit: true, count: 1 }],
  [`${name}.503`, { httpStatus: 503, count: 1 }],
  [`${name}.delay>timeout`, { delayMs: LONG_DELAY_MS, count: 1 }],
  [`${name}.429`, { httpStatus: 429, count: 1 }],
];

function planMpm(plan: SalePlan, d: Draw): void {
  const { chance, pick, between } = d;
  const labels = plan.labels;
  labels.push(plan.tender);

  if (chance(0.4)) {
    const [label, fault] = pick<[string, EndpointFault]>([
      ...PAYMENT_FAULTS,
      ['payment.1296', { respcd: '1296' }],
      ['payment.429', { httpStatus: 429 }],
      ['payment.9876+commit', { respcd: '9876', commit: true }],
      ['payment.dropResponse×2', { dropResponse: true, count: 2 }],
      ['payment.dropResponse×3', { dropResponse: true, count: 3 }],
    ]);
    plan.payment = { count: 1, ...fault };
    labels.push(label);
  } else if (chance(0.05)) {
    plan.extra.paymentWrongOrder = 1;
    labels.push('payment.wrongOrder');
  }
  // Issue 9: answers real gateways give.
  if (chance(0.12)) {
    const [label, key, value] = pick<[string, string, unknown]>([
      ['query.openRespcd1201', 'openRespcd', { respcd: '1201', count: between(1, 4) }],
      ['query.openRespcd1297', 'openRespcd', { respcd: '1297', count: between(1, 4) }],
      ['query.openRespcd1100', 'openRespcd', { respcd: '1100', count: between(1, 4) }],
      ['query.openRespcd9876', 'openRespcd', { respcd: '9876', count: between(1, 4) }],
      ['query.shape.object', 'queryShape', { shape: 'object', count: between(1, 6) }],
      ['query.shape.string', 'queryShape', { shape: 'string', count: between(1, 6) }],
      ['query.shape.noRespcd', 'queryShape', { shape: 'no_respcd', count: between(1, 6) }],
      ['query.hides', 'queryHides', between(1, 5)],
      ['query.failedAttemptListed', 'failedAttemptListed', true],
    ]);
    plan.extra[key] = value;
    labels.push(label);
  }
  if (chance(0.1)) {
    plan.extra.closedAsPaidCancel = true;
    labels.push('closedAsPaidCancel');
  }
  planQueryFaults(plan, d);

  const roll = d.random();
  if (roll < 0.45) plan.customer = { kind: 'auto', afterMs: between(0, 300) };
  else if (roll < 0.6) plan.customer = { kind: 'pays', afterMs: between(0, 300) };
  else if (roll < 0.65) plan.customer = { kind: 'fails', afterMs: between(0, 250), thenPays: chance(0.5) };
  labels.push(`customer.${plan.customer.kind}`);

  const mayExpire = plan.customer.kind === 'never' && !plan.payment;
  if (plan.customer.kind === 'auto' && !plan.payment && chance(0.06)) {
    // Paid exactly at expiry: the customer pays in the last moments of the QR, and the clock jumps past it.
    plan.customer = { kind: 'auto', afterMs: EXPIRED_MINUTES * 60_000 - between(1, 2_000) };
    plan.expire = true;
    labels.push('pays-at-expiry');
  } else if (mayExpire && chance(0.15)) {
    plan.expire = true;
    labels.push('expire');
  } else if (plan.customer.kind === 'never' || (plan.customer.kind === 'fails' && !plan.customer.thenPays) || chance(0.25)) {
    plan.cancelAfterMs = pick([0, between(0, 60), between(40, 350)]);
    labels.push(plan.cancelAfterMs === 0 ? 'cancel.immediate' : 'cancel');
    if (chance(0.4)) {
      const [label, fault] = pick(CANCEL_FAULTS(d, plan.tender === 'wechat_mpm' ? 'close' : 'reversal'));
      plan.cancelFault = fault;
      labels.push(label);
    } else if (plan.tender === 'wechat_mpm' && chance(0.2)) {
      // Close accepted but without effect (QFPay's state lags): parked after a few seconds, then settled.
      plan.extra.closeNoEffect = between(1, 12);
      labels.push('close.noEffect');
    }
  }

  planRefund(plan, d);
}

/** About a third of paid sales are refunded, while the next sale runs (cash refunds come from the drawer: no faults). */
function planRefund(plan: SalePlan, d: Draw): void {
  const { chance, pick, between } = d;
  const labels = plan.labels;
  if (chance(0.35)) {
    const refund: RefundPlan = { fraction: pick([1, 1, 0.5, 0.25, 0.01]), second: chance(0.2), settleMs: chance(0.3) ? between(100, 600) : 0 };
    if (plan.tender !== 'cash' && chance(0.5)) {
      const [label, fault] = pick<[string, EndpointFault]>([
        ['refund.dropResponse', { dropResponse: true }],
        ['refund.dropRequest', { dropRequest: true }],
        ['refund.502', { httpStatus: 502 }],
        ['refund.502+commit', { httpStatus: 502, commit: true }],
        ['refund.1145+commit', { respcd: '1145', commit: true }],
        ['refund.delay>timeout', { delayMs: LONG_DELAY_MS }],
        ['refund.429', { httpStatus: 429 }],
        // Issue 9 §3: QFPay runs the request after the till heard an error, or nothing.
        ['refund.1254+runs-late', { respcd: '1254', commitAfterMs: 600 }],
        ['refund.lost+runs-late', { commitAfterMs: 900 }],
      ]);
      refund.fault = { ...fault, count: 1 };
      labels.push(label);
    }
    plan.refund = refund;
  }
}

function planCode(plan: SalePlan, d: Draw): void {
  const { chance, pick, between } = d;
  const labels = plan.labels;
  const customer = pick<CodeCustomer>(['at_once', 'at_once', 'at_once', 'at_once', 'password', 'password', 'never', 'refuses']);
  const alipay = chance(0.35);
  const unified = chance(0.2);
  // 18 digits, unique per sale: the simulator refuses a code used before (2005), as a wallet does.
  const head = String(alipay ? between(25, 30) : between(10, 15));
  const authCode = `${head}${String(plan.index).padStart(7, '0')}${String(between(0, 99_999_999)).padStart(8, '0')}${pick(LAST_DIGIT[customer])}`;
  plan.code = unified ? { authCode, payType: '800008', customer } : { authCode, customer };
  labels.push(`cpm.${unified ? '800008' : alipay ? '800108' : '800208'}`, `code.${customer}`);

  if (chance(0.45)) {
    const [label, fault] = pick<[string, EndpointFault]>([
      ...PAYMENT_FAULTS,
      ['payment.1297+commit', { respcd: '1297', commit: true }],
      ['payment.1100', { respcd: '1100' }],
      ['payment.429', { httpStatus: 429 }],
    ]);
    plan.payment = { ...fault, count: 1 };
    labels.push(label);
  }
  planQueryFaults(plan, d);
  // Issue 9's answer shapes; not openRespcd: on a scanned code a failed record is final, not "try another card".
  if (chance(0.1)) {
    const [label, key, value] = pick<[string, string, unknown]>([
      ['query.shape.object', 'queryShape', { shape: 'object', count: between(1, 6) }],
      ['query.shape.string', 'queryShape', { shape: 'string', count: between(1, 6) }],
      ['query.hides', 'queryHides', between(1, 5)],
    ]);
    plan.extra[key] = value;
    labels.push(label);
  }
  if ((customer === 'password' || customer === 'never') && chance(0.25)) {
    plan.cancelAfterMs = between(0, 300);
    labels.push('cancel');
  }
  // A reversal follows a window that ends, a cashier's cancel, or a lost answer still in progress.
  if (chance(0.35)) {
    const [label, fault] = pick(CANCEL_FAULTS(d, 'reversal'));
    plan.cancelFault = fault;
    labels.push(label);
  }
  planRefund(plan, d);
}

function planCash(plan: SalePlan, d: Draw): void {
  const amount = plan.amountMinor;
  plan.tenderedMinor = d.pick([amount, amount + d.between(1, 2_000), Math.ceil((amount + 1) / 10_000) * 10_000]);
  plan.labels.push('cash');
  planRefund(plan, d);
}
