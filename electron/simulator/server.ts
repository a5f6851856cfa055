import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ENDPOINT_PATHS, maskParams, respcdForInputError, validateWire, type Endpoint } from '../qfpay/params';
import { canonicalString, digest, parseSignType, sign, signaturesEqual, type SignAlgorithm } from '../qfpay/sign';
import { maskAuthCode } from '../qfpay/real-name';
import { checkControlCaller, checkHost } from './guards';
import { emptyFaultPlan, parseFaultPlan, takeCounted, takeFault, takeWithCount, type EndpointFault, type FaultPlan } from './faults';
import { seededRandom } from './random';
import { OrderStore, recordRespcd, type SimOrder } from './store';
import { Trade, answer, type Answer, type TradeContext } from './trade';

// A QFPay-compatible HTTP server on 127.0.0.1 for training mode, tests and
// benchmarks. It checks what QFPay checks (app code, signature, fields, mchid,
// rate limit) and keeps orders the way QFPay does, plus a control API under
// /__sim/ that plays the customer and injects faults.

/** Fixed credentials for training mode: not secret, never valid at QFPay. */
export const TRAINING_CREDENTIALS = Object.freeze({
  appCode: 'TRAINING00000000000000000000APPC',
  clientKey: 'TRAININGKEY0000000000000000000000',
});

export interface SimulatorOptions {
  appCode?: string;
  clientKey?: string;
  /** When set, every call must carry this mchid; when absent, none may. */
  mchid?: string | undefined;
  /** 0 (the default) picks a free port. */
  port?: number;
  now?: () => number;
  seed?: number;
  timeZone?: string | undefined;
  /** QFPay: 400 requests per minute per merchant. */
  ratePerMinute?: number;
  /** QFPay: 100 requests per second per merchant. */
  ratePerSecond?: number;
  refundCutoffWindow?: boolean;
  refundNeedsCover?: boolean;
  /** A consumer-presented code ending in 1 is paid this long (simulator clock) after the request; default 5000. */
  cpmPasswordMs?: number;
  /** Pay types whose orders cannot be closed or reversed (1150), as some Hong Kong pay types at QFPay. */
  noCancelPayTypes?: readonly string[];
  /**
   * When set, `/__sim/*` also needs this in the X-Sim-Token header: the app's
   * in-process training simulator gets a random one per run, held by main.
   * `till simulator` (a support tool driven with curl) has none.
   */
  controlToken?: string | undefined;
  log?: (line: string) => void;
}

export interface OrderView {
  order_type: SimOrder['order_type'];
  out_trade_no: string;
  syssn: string;
  state: string;
  respcd: string;
  txamt: number;
  txcurrcd: string;
  sysdtm: string;
  udid: string | undefined;
  pay_type: string;
  qrcode?: string;
  /** Consumer-presented: the customer's payment code, last 4 digits only. */
  auth_code?: string;
  goods_name?: string;
  paydtm?: string;
  expiresAtMs?: number;
  refundedMinor?: number;
  origssn?: string;
  paymentRequests: number;
  closeRequests: number;
  reversalRequests: number;
  refundRequests: number;
}

const TRADE_ROUTES = new Map<string, Endpoint>(Object.entries(ENDPOINT_PATHS).map(([endpoint, path]) => [path, endpoint as Endpoint]));
const MAX_BODY = 64 * 1024;

export class QfpaySimulator {
  readonly appCode: string;
  readonly clientKey: string;
  readonly mchid: string | undefined;
  /** The per-run control token, if this simulator has one (main holds it; never sent to a window). */
  readonly controlToken: string | undefined;
  private readonly store: OrderStore;
  private readonly trade: Trade;
  private readonly baseNow: () => number;
  private offsetMs = 0;
  private faults: FaultPlan = emptyFaultPlan();
  private readonly recent = new Map<string, number[]>();
  private server: Server | undefined;
  private url = '';
  private port = 0;
  /** Requests answered per endpoint, including refused ones: for tests and benchmarks. */
  readonly requestCounts: Record<Endpoint | 'rate_limited', number> = { payment: 0, query: 0, close: 0, reversal: 0, refund: 0, rate_limited: 0 };

  constructor(private readonly options: SimulatorOptions = {}) {
    this.appCode = options.appCode ?? TRAINING_CREDENTIALS.appCode;
    this.clientKey = options.clientKey ?? TRAINING_CREDENTIALS.clientKey;
    this.mchid = options.mchid || undefined;
    this.controlToken = options.controlToken || undefined;
    this.baseNow = options.now ?? Date.now;
    this.store = new OrderStore({ now: () => this.now(), random: seededRandom(options.seed ?? Date.now()), timeZone: options.timeZone });
    this.trade = new Trade(this.store, {
      refundCutoffWindow: options.refundCutoffWindow ?? true,
      refundNeedsCover: options.refundNeedsCover ?? true,
      cpmPasswordMs: options.cpmPasswordMs ?? 5_000,
      noCancelPayTypes: options.noCancelPayTypes ?? [],
    });
  }

  /** The simulator's clock: the injected clock plus whatever /__sim/advance added. */
  now(): number {
    return this.baseNow() + this.offsetMs;
  }

  get baseUrl(): string {
    return this.url;
  }

  async listen(): Promise<string> {
    const server = createServer((req, res) => {
      this.route(req, res).catch((error: unknown) => {
        this.options.log?.(`simulator error: ${String(error)}`);
        if (!res.headersSent) sendJson(res, 500, { error: 'simulator error' });
        else res.destroy();
      });
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.options.port ?? 0, '127.0.0.1', () => resolve());
    });
    this.server = server;
    this.port = (server.address() as AddressInfo).port;
    this.url = `http://127.0.0.1:${this.port}`;
    return this.url;
  }

  async close(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  // ---- control, also callable in-process --------------------------------

  /** The customer scans and pays. */
  pay(ref: { out_trade_no?: string; syssn?: string }): { ok: true; order: OrderView } | { ok: false; status: number; error: string } {
    const order = this.find(ref);
    if (!order || order.order_type !== 'payment') return { ok: false, status: 404, error: 'no such payment' };
    if (order.state !== 'unpaid') return { ok: false, status: 409, error: `the order is ${order.state}` };
    this.store.markPaid(order);
    return { ok: true, order: view(order) };
  }

  /** The customer's payment fails in WeChat (e.g. 1201 insufficient balance). */
  fail(ref: { out_trade_no?: string; syssn?: string }, respcd = '1201'): { ok: true; order: OrderView } | { ok: false; status: number; error: string } {
    const order = this.find(ref);
    if (!order || order.order_type !== 'payment') return { ok: false, status: 404, error: 'no such payment' };
    if (order.state !== 'unpaid') return { ok: false, status: 409, error: `the order is ${order.state}` };
    if (!/^\d{4}$/.test(respcd) || respcd === '0000' || respcd === '1143' || respcd === '1145') {
      return { ok: false, status: 400, error: 'respcd must be a failure code' };
    }
    this.store.markFailed(order, respcd);
    return { ok: true, order: view(order) };
  }

  setFaults(plan: FaultPlan): void {
    this.faults = plan;
  }

  orders(): OrderView[] {
    return this.store.all().map(view);
  }

  advance(ms: number): void {
    this.offsetMs += ms;
  }

  reset(): void {
    this.store.clear();
    this.faults = emptyFaultPlan();
    this.recent.clear();
  }

  private find(ref: { out_trade_no?: string; syssn?: string }): SimOrder | undefined {
    if (ref.syssn) return this.store.bySyssnOf(ref.syssn);
    if (ref.out_trade_no) return this.store.byOutTradeNoOf(ref.out_trade_no);
    return undefined;
  }

  // ---- HTTP -----------------------------------------------------------------

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const control = url.pathname.startsWith('/__sim/');
    // Refused before the body is read: nothing of such a request is acted on.
    const refused = checkHost(req, this.port) ?? (control ? checkControlCaller(req, this.controlToken) : undefined);
    if (refused) {
      this.options.log?.(`refused ${req.method ?? ''} ${url.pathname}: ${refused.error}`);
      req.resume(); // discarded unread
      res.setHeader('Connection', 'close');
      return sendJson(res, refused.status, { ok: false, error: refused.error });
    }
    const body = await readBody(req);
    if (body === undefined) return sendJson(res, 413, { error: 'body too large' });
    const endpoint = TRADE_ROUTES.get(url.pathname);
    if (endpoint) return this.handleTrade(endpoint, req, res, url, body);
    if (control) return this.handleControl(req, res, url, body);
    sendJson(res, 404, { error: `no route ${req.method} ${url.pathname}` });
  }

  private async handleTrade(endpoint: Endpoint, req: IncomingMessage, res: ServerResponse, url: URL, body: string): Promise<void> {
    // Close and reversal are documented as GET; everything accepts POST.
    const get = req.method === 'GET' && (endpoint === 'close' || endpoint === 'reversal');
    if (req.method !== 'POST' && !get) return sendJson(res, 405, { error: 'use POST' });

    const appCode = header(req, 'x-qf-appcode') ?? '';
    if (!this.admit(appCode)) {
      this.requestCounts.rate_limited += 1;
      res.writeHead(429, { 'Content-Type': 'text/plain', 'Retry-After': '1' });
      res.end('Too Many Requests');
      return;
    }
    this.requestCounts[endpoint] += 1;

    const fault = takeFault(this.faults, endpoint);
    if (fault?.dropRequest) {
      res.socket?.destroy();
      return;
    }
    if (fault?.delayMs) await sleep(fault.delayMs);

    const signType = parseSignType(header(req, 'x-qf-signtype'));
    const parsed = parseForm(get ? url.search.slice(1) : body);
    const result = this.process(endpoint, appCode, signType, header(req, 'x-qf-sign'), parsed, fault);
    this.options.log?.(`${endpoint} ${result.respcd}${result.resperr ? ` ${result.resperr}` : ''}`);

    // A request run late has no answer yet unless the rule names one.
    if (fault?.dropResponse || (fault?.commitAfterMs !== undefined && fault.respcd === undefined && fault.httpStatus === undefined)) {
      res.socket?.destroy();
      return;
    }
    if (fault?.httpStatus !== undefined) {
      res.writeHead(fault.httpStatus, { 'Content-Type': 'text/html', ...(fault.retryAfterS !== undefined ? { 'Retry-After': String(fault.retryAfterS) } : {}) });
      res.end(`<html><body>${fault.httpStatus} from the simulator</body></html>`);
      return;
    }
    const text = JSON.stringify(result);
    res.writeHead(200, {
      'Content-Type': 'application/json; charset=utf-8',
      // Signed like QFPay's notifications: the raw body followed by the key.
      'X-QF-SIGN': digest(text + this.clientKey, signType ?? 'MD5'),
    });
    res.end(text);
  }

  /** What QFPay would answer; commits only when the fault (if any) lets the request run. */
  private process(
    endpoint: Endpoint,
    appCode: string,
    signType: SignAlgorithm | undefined,
    signature: string | undefined,
    parsed: ParsedForm,
    fault: EndpointFault | undefined,
  ): Answer {
    const runs = !fault || fault.commit || fault.dropResponse || fault.commitAfterMs !== undefined || (fault.httpStatus === undefined && fault.respcd === undefined);
    if (!runs) return answer(fault?.respcd ?? '1100', 'injected fault');
    const real = this.answerFor(endpoint, appCode, signType, signature, parsed, fault?.commitAfterMs);
    return fault?.respcd ? answer(fault.respcd, 'injected fault') : real;
  }

  private answerFor(
    endpoint: Endpoint,
    appCode: string,
    signType: SignAlgorithm | undefined,
    signature: string | undefined,
    parsed: ParsedForm,
    commitAfterMs?: number,
  ): Answer {
    if (appCode !== this.appCode) return answer('1106', 'unknown X-QF-APPCODE');
    if (!signType) return answer('1104', 'X-QF-SIGNTYPE must be MD5 or SHA256 (or absent for MD5)');
    if (parsed.duplicate) return answer('1103', `parameter ${parsed.duplicate} sent twice`);
    const received = parsed.params;
    if (!signature) return answer('1108', 'X-QF-SIGN is missing');
    // Every parameter sent is signed, known to QFPay or not.
    const expected = sign(received, this.clientKey, signType);
    if (!signaturesEqual(signature, expected)) {
      // Says what was signed (never the key) so a wrong key can be told from a signing bug.
      return answer('1108', `signature mismatch (${signType} over "${canonicalString(maskParams(received))}" + client_key; real-name fields shown masked)`);
    }
    // As strict as QFPay and no stricter: names it does not know are ignored.
    const checked = validateWire(endpoint, received, { mchid: this.mchid, unknownParams: 'ignore' });
    if (!checked.ok) return answer(respcdForInputError(checked.error), checked.error.message);
    const params = checked.params;
    if (this.mchid !== undefined && params.mchid !== this.mchid) return answer('1104', 'mchid is not this merchant\'s');
    const ctx: TradeContext = {
      autoPayAfterMs: this.faults.autoPayAfterMs,
      refundSettleMs: this.faults.refundSettleMs,
      reportInProgress: false,
      commitAfterMs,
    };
    switch (endpoint) {
      case 'payment':
        return this.trade.payment(params, { ...ctx, paymentWrongOrder: takeCounted(this.faults, 'paymentWrongOrder') });
      case 'query':
        if (this.faults.inProgressQueries > 0) {
          this.faults.inProgressQueries -= 1;
          ctx.reportInProgress = true;
        }
        ctx.openRespcd = takeWithCount(this.faults, 'openRespcd')?.respcd;
        ctx.queryShape = takeWithCount(this.faults, 'queryShape')?.shape;
        ctx.closedAsPaidCancel = this.faults.closedAsPaidCancel;
        ctx.failedAttemptListed = this.faults.failedAttemptListed;
        ctx.hides = takeCounted(this.faults, 'queryHides');
        return this.trade.query(params, ctx);
      case 'close':
        return this.trade.close(params, { closeNoEffect: takeCounted(this.faults, 'closeNoEffect') });
      case 'reversal':
        return this.trade.reversal(params);
      case 'refund':
        return this.trade.refund(params, ctx);
    }
  }

  /** Sliding windows of one minute and one second per app code. */
  private admit(appCode: string): boolean {
    const now = this.now();
    const perMinute = this.options.ratePerMinute ?? 400;
    const perSecond = this.options.ratePerSecond ?? 100;
    let times = this.recent.get(appCode);
    if (!times) {
      times = [];
      this.recent.set(appCode, times);
    }
    let drop = 0;
    while (drop < times.length && times[drop]! <= now - 60_000) drop += 1;
    if (drop > 0) times.splice(0, drop);
    let lastSecond = 0;
    for (let i = times.length - 1; i >= 0 && times[i]! > now - 1_000; i--) lastSecond += 1;
    if (times.length >= perMinute || lastSecond >= perSecond) return false;
    times.push(now);
    return true;
  }

  private handleControl(req: IncomingMessage, res: ServerResponse, url: URL, body: string): void {
    const route = `${req.method} ${url.pathname}`;
    const fields = (): Record<string, string> => {
      const type = header(req, 'content-type') ?? '';
      if (type.includes('json')) {
        const value = safeJson(body);
        return typeof value === 'object' && value !== null ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)])) : {};
      }
      return parseForm(body).params;
    };
    switch (route) {
      case 'POST /__sim/pay':
      case 'POST /__sim/fail': {
        const f = fields();
        const ref = { out_trade_no: f.out_trade_no, syssn: f.syssn } as { out_trade_no?: string; syssn?: string };
        const result = route.endsWith('/pay') ? this.pay(ref) : this.fail(ref, f.respcd);
        return result.ok ? sendJson(res, 200, result) : sendJson(res, result.status, result);
      }
      case 'GET /__sim/faults':
        return sendJson(res, 200, this.faults);
      case 'POST /__sim/faults': {
        const parsed = parseFaultPlan(safeJson(body));
        if (!parsed.ok) return sendJson(res, 400, { ok: false, error: parsed.error });
        this.setFaults(parsed.plan);
        return sendJson(res, 200, { ok: true, faults: parsed.plan });
      }
      case 'DELETE /__sim/faults':
        this.setFaults(emptyFaultPlan());
        return sendJson(res, 200, { ok: true });
      case 'GET /__sim/orders':
        return sendJson(res, 200, { now: this.now(), orders: this.orders(), requests: this.requestCounts });
      case 'POST /__sim/advance': {
        const value = safeJson(body) as { ms?: unknown } | undefined;
        const ms = value?.ms;
        if (typeof ms !== 'number' || !Number.isInteger(ms) || ms < 0 || ms > 31 * 86_400_000) {
          return sendJson(res, 400, { ok: false, error: 'ms must be a whole number of milliseconds, at most 31 days' });
        }
        this.advance(ms);
        return sendJson(res, 200, { ok: true, now: this.now() });
      }
      case 'POST /__sim/reset':
        this.reset();
        return sendJson(res, 200, { ok: true });
      default:
        return sendJson(res, 404, { ok: false, error: `no control route ${route}` });
    }
  }
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<QfpaySimulator> {
  const simulator = new QfpaySimulator(options);
  await simulator.listen();
  return simulator;
}

function view(order: SimOrder): OrderView {
  const common = {
    order_type: order.order_type,
    out_trade_no: order.out_trade_no,
    syssn: order.syssn,
    state: order.state,
    respcd: recordRespcd(order),
    txamt: order.txamt,
    txcurrcd: order.txcurrcd,
    sysdtm: order.sysdtm,
    udid: order.udid,
    pay_type: order.pay_type,
  };
  if (order.order_type === 'refund') {
    return { ...common, origssn: order.origssn, paymentRequests: 0, closeRequests: 0, reversalRequests: 0, refundRequests: order.refundRequests };
  }
  const v: OrderView = {
    ...common,
    expiresAtMs: order.expiresAtMs,
    refundedMinor: order.refundedMinor,
    paymentRequests: order.paymentRequests,
    closeRequests: order.closeRequests,
    reversalRequests: order.reversalRequests,
    refundRequests: 0,
  };
  if (order.qrcode !== undefined) v.qrcode = order.qrcode;
  if (order.auth_code !== undefined) v.auth_code = maskAuthCode(order.auth_code);
  if (order.paydtm) v.paydtm = order.paydtm;
  if (order.goods_name !== undefined) v.goods_name = order.goods_name;
  return v;
}

interface ParsedForm {
  params: Record<string, string>;
  duplicate?: string;
}

function parseForm(text: string): ParsedForm {
  const params: Record<string, string> = {};
  let duplicate: string | undefined;
  for (const [name, value] of new URLSearchParams(text)) {
    if (Object.prototype.hasOwnProperty.call(params, name)) duplicate ??= name;
    params[name] = value;
  }
  return duplicate ? { params, duplicate } : { params };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function sendJson(res: ServerResponse, status: number, value: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(value));
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
