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

export interface FaultPlan {
  endpoints: Partial<Record<FaultEndpoint, EndpointFault>>;
  /** /query reports every matching payment as 1145 ("processing") for this many more queries. */
  inProgressQueries: number;
  /** New orders are paid by the "customer" this long after they are created. */
  autoPayAfterMs?: number;
  /** New refunds stay pending (1145) this long before they complete. */
  refundSettleMs: number;
}

export const emptyFaultPlan = (): FaultPlan => ({ endpoints: {}, inProgressQueries: 0, refundSettleMs: 0 });

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
    } else {
      return { ok: false, error: `${key}: unknown fault` };
    }
  }
  return { ok: true, plan };
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
