import { QfpayClient, type QfpayClientConfig, type QfpayOutcome, type QueryInput } from '../../../electron/qfpay/client';
import type { AnswerHead, QueryRecord } from '../../../electron/qfpay/responses';
import { startSimulator, type OrderView, type QfpaySimulator, type SimulatorOptions } from '../../../electron/simulator/server';

// One real simulator on 127.0.0.1 and real QfpayClients talking to it over
// HTTP, sharing one injected clock so that time only moves when a test says so.

export const APP_CODE = 'ITESTAPPCODE0000000000000000A1B2';
export const CLIENT_KEY = 'itestClientKey0000000000000000Z9';
export const HK = 'Asia/Hong_Kong';

/** Epoch ms of a Hong Kong wall-clock time (UTC+8, no DST). */
export const hk = (year: number, month: number, day: number, hour: number, minute = 0, second = 0): number =>
  Date.UTC(year, month - 1, day, hour - 8, minute, second);

/** 2026-11-26 12:00:00 in Hong Kong: a Thursday noon, far from the refund cut-off. */
export const NOON = hk(2026, 11, 26, 12);

export interface ControlAnswer {
  status: number;
  body: Record<string, unknown>;
}

export interface Harness {
  sim: QfpaySimulator;
  baseUrl: string;
  /** The shared clock: set `clock.t` to move time for the client and the simulator at once. */
  clock: { t: number };
  advance(ms: number): void;
  client(overrides?: Partial<QfpayClientConfig>): QfpayClient;
  control(method: string, path: string, body?: unknown, contentType?: string): Promise<ControlAnswer>;
  orders(): Promise<OrderView[]>;
  order(outTradeNo: string): Promise<OrderView | undefined>;
  /** The customer scans and pays, through the HTTP control API (form field out_trade_no). */
  customerPays(outTradeNo: string): Promise<void>;
  /** POST /__sim/faults with a JSON plan; throws if the simulator refuses it. */
  setFaults(plan: Record<string, unknown>): Promise<void>;
  close(): Promise<void>;
}

export async function startHarness(options: SimulatorOptions = {}, startAt = NOON): Promise<Harness> {
  const clock = { t: startAt };
  const sim = await startSimulator({ seed: 7, now: () => clock.t, timeZone: HK, appCode: APP_CODE, clientKey: CLIENT_KEY, ...options });
  const baseUrl = sim.baseUrl;

  const control = async (method: string, path: string, body?: unknown, contentType = 'application/json'): Promise<ControlAnswer> => {
    const init: RequestInit = { method };
    if (body !== undefined) {
      init.headers = { 'Content-Type': contentType };
      init.body = typeof body === 'string' ? body : JSON.stringify(body);
    }
    const response = await fetch(baseUrl + path, init);
    const text = await response.text();
    return { status: response.status, body: JSON.parse(text) as Record<string, unknown> };
  };
  const orders = async () => (await control('GET', '/__sim/orders')).body.orders as OrderView[];

  return {
    sim,
    baseUrl,
    clock,
    advance: (ms) => {
      clock.t += ms;
    },
    client: (overrides = {}) =>
      new QfpayClient({
        baseUrl,
        appCode: options.appCode ?? APP_CODE,
        clientKey: options.clientKey ?? CLIENT_KEY,
        mchid: options.mchid,
        udid: 'till-01',
        timeZone: HK,
        timeoutMs: 5_000,
        now: () => clock.t,
        ...overrides,
      }),
    control,
    orders,
    order: async (outTradeNo) => (await orders()).find((o) => o.out_trade_no === outTradeNo),
    customerPays: async (outTradeNo) => {
      const answer = await control('POST', '/__sim/pay', new URLSearchParams({ out_trade_no: outTradeNo }).toString(), 'application/x-www-form-urlencoded');
      if (answer.status !== 200) throw new Error(`/__sim/pay ${outTradeNo}: ${answer.status} ${JSON.stringify(answer.body)}`);
    },
    setFaults: async (plan) => {
      const answer = await control('POST', '/__sim/faults', plan);
      if (answer.status !== 200) throw new Error(`/__sim/faults refused: ${JSON.stringify(answer.body)}`);
    },
    close: () => sim.close(),
  };
}

/** The answer of an outcome that must have been answered; otherwise the test fails showing the outcome. */
export function answered<T extends AnswerHead>(outcome: QfpayOutcome<T>): T {
  if (outcome.kind !== 'answered') throw new Error(`expected an answer, got ${JSON.stringify(outcome)}`);
  return outcome.answer;
}

/** The one record a query by out_trade_no (or syssn) finds, or undefined when QFPay has none. */
export async function findRecord(client: QfpayClient, ref: QueryInput): Promise<QueryRecord | undefined> {
  const answer = answered(await client.query(ref));
  expect0000(answer.respcd);
  if (answer.records.length > 1) throw new Error(`expected at most one record, got ${answer.records.length}`);
  return answer.records[0];
}

export async function mustFind(client: QfpayClient, ref: QueryInput): Promise<QueryRecord> {
  const record = await findRecord(client, ref);
  if (!record) throw new Error(`no record for ${JSON.stringify(ref)}`);
  return record;
}

function expect0000(respcd: string): void {
  if (respcd !== '0000') throw new Error(`the query itself failed with ${respcd}`);
}

let counter = 0;
/** A fresh merchant order id (letters, digits, '-'), unique in this test process. */
export const orderId = (prefix = 'ORD'): string => `${prefix}-${process.pid}-${++counter}`;

/** Polls a condition with short real delays: only for faults that act on real time (delayMs). */
export async function eventually<T>(probe: () => Promise<T | undefined>, attempts = 40, everyMs = 50): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
  throw new Error(`condition not met after ${attempts} attempts`);
}
