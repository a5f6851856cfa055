// Faults the tests and the fault soak inject through `POST /__sim/faults`.
// Each endpoint may carry one rule; `count` limits how many requests it hits.

export const FAULT_ENDPOINTS = ['payment', 'query', 'close', 'reversal', 'refund'] as const;
export type FaultEndpoint = (typeof FAULT_ENDPOINTS)[number];

export interface EndpointFault {
  /** Wait this long before handling (a slow network or a slow QFPay). */
  delayMs?: number;
  /** Answer this HTTP status with a non-JSON body. The request runs first only when `commit` is set. */
  httpStatus?: number;
  /** Answer this respcd. The request runs first only when `commit` is set. */
  respcd?: string;
  /** With httpStatus/respcd: handle the request for real, then answer the fault. */
  commit?: boolean;
  /** Handle the request for real (it is committed), then close the socket without answering. */
  dropResponse?: boolean;
  /** Close the socket without handling the request at all. */
  dropRequest?: boolean;
  /** With httpStatus 429: the Retry-After header to send, in seconds. */
  retryAfterS?: number;
  /** How many requests this applies to; absent means until cleared. */
  count?: number;
  /**
   * QFPay runs the request this long (simulator clock) after it arrived: a
   * request held up in the network, executed after the till gave up on it.
   * The answer given now is the rule's respcd/httpStatus, else none (the
   * socket is closed). Only /refund honours it.
   */
  commitAfterMs?: number;
}

/** The shapes of a /query answer QFPay is known to send besides a list of records. */
export const QUERY_SHAPES = ['object', 'string', 'no_respcd'] as const;
export type QueryShape = (typeof QUERY_SHAPES)[number];

export interface FaultPlan {
  endpoints: Partial<Record<FaultEndpoint, EndpointFault>>;
  /** /query reports every matching payment as 1145 ("processing") for this many more queries. */
  inProgressQueries: number;
  /** New orders are paid by the "customer" this long after they are created. */
  autoPayAfterMs?: number;
  /** New refunds stay pending (1145) this long before they complete. */
  refundSettleMs: number;
  /**
   * /query reports an open (unpaid) payment's record with this respcd for
   * `count` more queries: the customer's attempt failed (1201, 1297, …) while
   * the order itself stays payable.
   */
  openRespcd?: { respcd: string; count: number };
  /** /query reports closed payments as respcd 0000 with cancel 2, as QFPay's recorded answers do. */
  closedAsPaidCancel: boolean;
  /**
   * The next `count` /query answers come in another shape: `data` as one
   * object (the first record), `data` as a JSON string, or records without respcd.
   */
  queryShape?: { shape: QueryShape; count: number };
  /** The next N closes are answered 0000 but do nothing (QFPay's state lags, or the close had no effect). */
  closeNoEffect: number;
  /** The next N payments run, but the answer names another order (another till's paid HK$1.00 one). */
  paymentWrongOrder: number;
  /** The next N queries list nothing: QFPay's query has not caught up with its orders (answer 0000, empty data). */
  queryHides: number;
  /** /query lists a failed attempt (1201) of every paid payment before its paid record, as QFPay may. */
  failedAttemptListed: boolean;
}

export const emptyFaultPlan = (): FaultPlan => ({ endpoints: {}, inProgressQueries: 0, refundSettleMs: 0, closedAsPaidCancel: false, closeNoEffect: 0, paymentWrongOrder: 0, queryHides: 0, failedAttemptListed: false });

export type FaultParse = { ok: true; plan: FaultPlan } | { ok: false; error: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown, max: number) => typeof v === 'number' && Number.isInteger(v) && v >= 0 && v <= max;

function parseEndpoint(name: string, value: unknown): EndpointFault | string {
  if (!isObject(value)) return `${name}: must be an object`;
  const fault: EndpointFault = {};
  for (const [key, v] of Object.entries(value)) {
    switch (key) {
      case 'delayMs':
        if (!isCount(v, 120_000)) return `${name}.delayMs: must be 0–120000`;
        fault.delayMs = v as number;
        break;
      case 'httpStatus':
        if (!(typeof v === 'number' && Number.isInteger(v) && v >= 400 && v <= 599)) return `${name}.httpStatus: must be 400–599`;
        fault.httpStatus = v;
        break;
      case 'respcd':
        if (!(typeof v === 'string' && /^\d{4}$/.test(v))) return `${name}.respcd: must be a four-digit string`;
        fault.respcd = v;
        break;
      case 'retryAfterS':
        if (!isCount(v, 3_600)) return `${name}.retryAfterS: must be 0–3600`;
        fault.retryAfterS = v as number;
        break;
      case 'count':
        if (!isCount(v, 1_000_000)) return `${name}.count: must be a whole number`;
        fault.count = v as number;
        break;
      case 'commitAfterMs':
        if (name !== 'refund') return `${name}.commitAfterMs: only refund can be executed late`;
        if (!isCount(v, 7_200_000)) return `${name}.commitAfterMs: must be 0–7200000`;
        fault.commitAfterMs = v as number;
        break;
      case 'commit':
      case 'dropResponse':
      case 'dropRequest':
        if (typeof v !== 'boolean') return `${name}.${key}: must be true or false`;
        fault[key] = v;
        break;
      default:
        return `${name}.${key}: unknown fault`;
    }
  }
  return fault;
}

/** Validates a fault plan sent as JSON; unknown keys are refused so a typo cannot silently test nothing. */
export function parseFaultPlan(value: unknown): FaultParse {
  if (!isObject(value)) return { ok: false, error: 'faults must be a JSON object' };
  const plan = emptyFaultPlan();
  for (const [key, v] of Object.entries(value)) {
    if ((FAULT_ENDPOINTS as readonly string[]).includes(key)) {
      const fault = parseEndpoint(key, v);
      if (typeof fault === 'string') return { ok: false, error: fault };
      plan.endpoints[key as FaultEndpoint] = fault;
    } else if (key === 'inProgressQueries') {
      if (!isCount(v, 1_000_000)) return { ok: false, error: 'inProgressQueries: must be a whole number' };
      plan.inProgressQueries = v as number;
    } else if (key === 'autoPayAfterMs') {
      if (v === null) continue;
      if (!isCount(v, 7_200_000)) return { ok: false, error: 'autoPayAfterMs: must be 0–7200000 or null' };
      plan.autoPayAfterMs = v as number;
    } else if (key === 'refundSettleMs') {
      if (!isCount(v, 7_200_000)) return { ok: false, error: 'refundSettleMs: must be 0–7200000' };
      plan.refundSettleMs = v as number;
    } else if (key === 'openRespcd') {
      if (!isObject(v) || !(typeof v.respcd === 'string' && /^\d{4}$/.test(v.respcd)) || !isCount(v.count, 1_000_000) || Object.keys(v).length !== 2) {
        return { ok: false, error: 'openRespcd: must be { respcd: "dddd", count: n }' };
      }
      plan.openRespcd = { respcd: v.respcd, count: v.count as number };
    } else if (key === 'queryShape') {
      if (!isObject(v) || !(QUERY_SHAPES as readonly unknown[]).includes(v.shape) || !isCount(v.count, 1_000_000) || Object.keys(v).length !== 2) {
        return { ok: false, error: `queryShape: must be { shape: ${QUERY_SHAPES.join(' | ')}, count: n }` };
      }
      plan.queryShape = { shape: v.shape as QueryShape, count: v.count as number };
    } else if (key === 'closedAsPaidCancel' || key === 'failedAttemptListed') {
      if (typeof v !== 'boolean') return { ok: false, error: `${key}: must be true or false` };
      plan[key] = v;
    } else if (key === 'closeNoEffect' || key === 'paymentWrongOrder' || key === 'queryHides') {
      if (!isCount(v, 1_000_000)) return { ok: false, error: `${key}: must be a whole number` };
      plan[key] = v as number;
    } else {
      return { ok: false, error: `${key}: unknown fault` };
    }
  }
  return { ok: true, plan };
}

/** Counts one use of a counted fault down; true when it applies to this request. */
export function takeCounted(plan: FaultPlan, key: 'closeNoEffect' | 'paymentWrongOrder' | 'queryHides'): boolean {
  if (plan[key] <= 0) return false;
  plan[key] -= 1;
  return true;
}

/** Takes a fault that carries its own count (openRespcd, queryShape), counting it down. */
export function takeWithCount<K extends 'openRespcd' | 'queryShape'>(plan: FaultPlan, key: K): FaultPlan[K] | undefined {
  const fault = plan[key];
  if (!fault || fault.count <= 0) return undefined;
  fault.count -= 1;
  return fault;
}

/** Takes the endpoint's fault for one request, counting it down. */
export function takeFault(plan: FaultPlan, endpoint: FaultEndpoint): EndpointFault | undefined {
  const fault = plan.endpoints[endpoint];
  if (!fault) return undefined;
  if (fault.count !== undefined) {
    if (fault.count <= 0) {
      delete plan.endpoints[endpoint];
      return undefined;
    }
    fault.count -= 1;
    if (fault.count === 0) delete plan.endpoints[endpoint];
  }
  return fault;
}
