import { checkOutgoingGoodsName } from './goods-name';
import { ENDPOINT_PATHS, QfpayInputError, WECHAT_MPM, buildExtendInfo, maskParams, toWire, validateWire } from './params';
import type { Endpoint, RealName } from './params';
import { sign, signaturesEqual, digest } from './sign';
import type { SignAlgorithm, WireParams } from './sign';
import { formatTxdtm } from './time';
import { parseQfpayJson, asText } from './tolerant-json';
import { readCancel, readHead, readPayment, readQuery, readRefund } from './responses';
import type { AnswerHead, CancelAnswer, PaymentAnswer, QueryAnswer, RefundAnswer } from './responses';

// The QFPay open API client. It never retries on its own: what to do after
// an uncertain answer is the checkout engine's decision (DESIGN.md rule 2).

export type FetchLike = (
  url: string,
  init: { method: string; headers: Record<string, string>; body: string; signal: AbortSignal; redirect: 'manual' },
) => Promise<{
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}>;

export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export type UnknownReason = 'timeout' | 'network' | 'http_error' | 'bad_response' | 'bad_signature';
/** `absent` and `mismatch` only occur with checking on, and both make the outcome unknown. */
export type SignatureCheck = 'not_checked' | 'verified' | 'absent' | 'mismatch';

export type QfpayOutcome<T extends AnswerHead> =
  /** QFPay answered with a status code; `treatment` says what it means for the till. */
  | { kind: 'answered'; answer: T; httpStatus: number; signature: SignatureCheck }
  /** HTTP 429: the request did not run. Back off before anything else. */
  | { kind: 'rate_limited'; retryAfterMs: number | undefined; httpStatus: 429 }
  /** The request may or may not have run: resolve by query, never by resending. */
  | { kind: 'unknown'; reason: UnknownReason; detail: string; httpStatus?: number }
  /** Refused before sending: nothing left the till. */
  | { kind: 'invalid'; error: QfpayInputError };

export interface QfpayExchange {
  endpoint: Endpoint;
  path: string;
  /** Parameters as sent, with real-name data and payment codes masked. */
  request: Record<string, string>;
  startedAtMs: number;
  durationMs: number;
  httpStatus?: number;
  outcome: QfpayOutcome<AnswerHead>['kind'];
  respcd?: string;
  /** The body as received (truncated), or the transport error. */
  response?: string;
  signature?: SignatureCheck;
}

export interface QfpayClientConfig {
  baseUrl: string;
  appCode: string;
  clientKey: string;
  /** Sent on every call iff QFPay issued one. */
  mchid?: string | undefined;
  /** This till's device id, sent as `udid` unless a call gives its own. */
  udid?: string | undefined;
  signType?: SignAlgorithm;
  timeoutMs?: number;
  /** The merchant's zone for `txdtm` (IANA name); the machine's zone when absent. */
  timeZone?: string | undefined;
  verifyResponseSignature?: boolean;
  fetch?: FetchLike;
  now?: () => number;
  timers?: Timers;
  onExchange?: (exchange: QfpayExchange) => void;
}

export interface PaymentInput {
  /** Minor units (100 = HK$1.00). */
  txamt: number;
  txcurrcd: string;
  out_trade_no: string;
  pay_type?: string;
  txdtm?: string;
  expired_time?: number;
  goods_name?: string;
  udid?: string;
  /** Hong Kong WeChat Pay charged in RMB; only with CNY. */
  rmb_tag?: boolean;
  real_name?: RealName;
  limit_pay?: 'no_credit';
  auth_code?: string;
}

export interface QueryInput {
  syssn?: string | readonly string[];
  out_trade_no?: string | readonly string[];
  pay_type?: string | readonly string[];
  respcd?: string;
  start_time?: string;
  end_time?: string;
  page?: number;
  page_size?: number;
}

export interface CancelInput {
  syssn?: string;
  out_trade_no?: string;
  txamt: number;
  txdtm?: string;
  udid?: string;
}

export interface RefundInput {
  /** The original payment's syssn. */
  syssn: string;
  /** New and unique across every payment and refund of the merchant. */
  out_trade_no: string;
  txamt: number;
  txdtm?: string;
  udid?: string;
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);
const APP_CODE = /^[\x21-\x7e]{1,64}$/;
const RESPONSE_EXCERPT = 4000;

/** Checks a client configuration; the first problem, or undefined. */
export function checkClientConfig(config: QfpayClientConfig): QfpayInputError | undefined {
  let url: URL;
  try {
    url = new URL(config.baseUrl);
  } catch {
    return new QfpayInputError('baseUrl', 'format', 'is not a URL');
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && LOOPBACK.has(url.hostname))) {
    return new QfpayInputError('baseUrl', 'not_allowed', 'must use https:// (plain http is allowed only for 127.0.0.1 or localhost)');
  }
  if (url.search || url.hash || url.username || url.password) {
    return new QfpayInputError('baseUrl', 'format', 'must not carry a query, fragment or user name');
  }
  if (!APP_CODE.test(config.appCode)) return new QfpayInputError('appCode', 'format', 'must be the app code QFPay issued (no spaces)');
  // A pasted key with a stray NUL or zero-width space would sign every call wrongly (1108).
  if (config.clientKey.length === 0 || /[\s\p{Cc}\p{Cf}]/u.test(config.clientKey)) {
    return new QfpayInputError('clientKey', 'format', 'must be the client key QFPay issued (no spaces)');
  }
  if (config.signType !== undefined && config.signType !== 'MD5' && config.signType !== 'SHA256') {
    return new QfpayInputError('signType', 'not_allowed', 'must be MD5 or SHA256');
  }
  if (config.timeoutMs !== undefined && !(Number.isInteger(config.timeoutMs) && config.timeoutMs >= 100 && config.timeoutMs <= 120_000)) {
    return new QfpayInputError('timeoutMs', 'range', 'must be from 100 to 120000 ms');
  }
  const probe = toWire({ mchid: config.mchid, udid: config.udid });
  const checked = validateWire('query', probe, { mchid: config.mchid || undefined });
  return checked.ok ? undefined : checked.error;
}

const joinList = (value: string | readonly string[] | undefined) => (typeof value === 'string' || value === undefined ? value : value.join(','));

export class QfpayClient {
  private readonly baseUrl: string;
  private readonly signType: SignAlgorithm;
  private readonly timeoutMs: number;
  private readonly fetch: FetchLike;
  private readonly now: () => number;
  private readonly timers: Timers;

  constructor(private readonly config: QfpayClientConfig) {
    const problem = checkClientConfig(config);
    if (problem) throw problem;
    this.baseUrl = config.baseUrl.replace(/\/+$/, '');
    this.signType = config.signType ?? 'MD5';
    this.timeoutMs = config.timeoutMs ?? 15_000;
    this.fetch = config.fetch ?? (globalThis.fetch as unknown as FetchLike);
    this.now = config.now ?? Date.now;
    this.timers = config.timers ?? { setTimeout: (cb, ms) => setTimeout(cb, ms), clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout) };
  }

  /** `txdtm` for a request made now, in the merchant's zone. */
  txdtm(): string {
    return formatTxdtm(this.now(), this.config.timeZone);
  }

  payment(input: PaymentInput): Promise<QfpayOutcome<PaymentAnswer>> {
    const params = toWire({
      txamt: input.txamt,
      txcurrcd: input.txcurrcd,
      pay_type: input.pay_type ?? WECHAT_MPM,
      out_trade_no: input.out_trade_no,
      txdtm: input.txdtm ?? this.txdtm(),
      expired_time: input.expired_time,
      goods_name: input.goods_name,
      udid: input.udid ?? this.config.udid,
      rmb_tag: input.rmb_tag ? 'Y' : undefined,
      extend_info: input.real_name ? buildExtendInfo(input.real_name) : undefined,
      limit_pay: input.limit_pay,
      auth_code: input.auth_code,
      mchid: this.config.mchid,
    });
    return this.call('payment', params, readPayment);
  }

  query(input: QueryInput): Promise<QfpayOutcome<QueryAnswer>> {
    const params = toWire({
      syssn: joinList(input.syssn),
      out_trade_no: joinList(input.out_trade_no),
      pay_type: joinList(input.pay_type),
      respcd: input.respcd,
      start_time: input.start_time,
      end_time: input.end_time,
      page: input.page,
      page_size: input.page_size,
      mchid: this.config.mchid,
    });
    return this.call('query', params, readQuery);
  }

  /** Closes an unpaid WeChat Pay MPM order. */
  close(input: CancelInput): Promise<QfpayOutcome<CancelAnswer>> {
    return this.call('close', this.cancelParams(input), readCancel);
  }

  /** Reverses (Alipay MPM/CPM, WeChat CPM); QFPay calls it a last resort. */
  reversal(input: CancelInput): Promise<QfpayOutcome<CancelAnswer>> {
    return this.call('reversal', this.cancelParams(input), readCancel);
  }

  refund(input: RefundInput): Promise<QfpayOutcome<RefundAnswer>> {
    const params = toWire({
      syssn: input.syssn,
      out_trade_no: input.out_trade_no,
      txamt: input.txamt,
      txdtm: input.txdtm ?? this.txdtm(),
      udid: input.udid ?? this.config.udid,
      mchid: this.config.mchid,
    });
    return this.call('refund', params, readRefund);
  }

  private cancelParams(input: CancelInput): Record<string, string> {
    return toWire({
      syssn: input.syssn,
      out_trade_no: input.out_trade_no,
      txamt: input.txamt,
      txdtm: input.txdtm ?? this.txdtm(),
      udid: input.udid ?? this.config.udid,
      mchid: this.config.mchid,
    });
  }

  private async call<T extends AnswerHead>(
    endpoint: Endpoint,
    params: WireParams,
    read: (head: AnswerHead, body: Record<string, unknown>) => T,
  ): Promise<QfpayOutcome<T>> {
    const checked = validateWire(endpoint, params, { mchid: this.config.mchid || undefined });
    if (!checked.ok) return { kind: 'invalid', error: checked.error };
    // The till keeps within QFPay's page, stricter than the field's size.
    const goodsName = params.goods_name === undefined ? undefined : checkOutgoingGoodsName(params.goods_name);
    if (goodsName) return { kind: 'invalid', error: goodsName };

    const path = ENDPOINT_PATHS[endpoint];
    const startedAtMs = this.now();
    const headers: Record<string, string> = {
      'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8',
      Accept: 'application/json',
      'X-QF-APPCODE': this.config.appCode,
      'X-QF-SIGN': sign(params, this.config.clientKey, this.signType),
    };
    if (this.signType === 'SHA256') headers['X-QF-SIGNTYPE'] = 'SHA256';

    const record = (outcome: QfpayOutcome<T>, extra: Partial<QfpayExchange>) => {
      if (this.config.onExchange) {
        const request = maskParams(params);
        // An answer may echo what was sent (a 1108 that spells out the signed
        // string does): the body is masked like the request (DESIGN.md rule 9),
        // and the credentials never reach the log whatever the server says.
        const secrets: Array<[string, string]> = [
          [this.config.clientKey, '<client_key>'],
          [this.config.appCode, '<app_code>'],
          ...personalValues(params, request),
        ];
        const response = extra.response === undefined ? undefined : redact(extra.response, secrets);
        this.config.onExchange({
          endpoint,
          path,
          request,
          startedAtMs,
          durationMs: this.now() - startedAtMs,
          outcome: outcome.kind,
          ...extra,
          ...(response === undefined ? {} : { response }),
        });
      }
      return outcome;
    };

    const controller = new AbortController();
    let timedOut = false;
    const timer = this.timers.setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, this.timeoutMs);
    let status: number;
    let text: string;
    let signatureHeader: string | null;
    let redirectTo: string | undefined;
    try {
      const response = await this.fetch(this.baseUrl + path, {
        method: 'POST',
        headers,
        body: new URLSearchParams(params).toString(),
        signal: controller.signal,
        // Following a redirect would carry X-QF-APPCODE and the signed body to
        // whatever host the Location names. A 3xx is handled below as unknown.
        redirect: 'manual',
      });
      status = response.status;
      signatureHeader = response.headers.get('x-qf-sign');
      if (status >= 300 && status < 400) redirectTo = originOf(response.headers.get('location'), this.baseUrl);
      if (status === 429) {
        const outcome: QfpayOutcome<T> = { kind: 'rate_limited', retryAfterMs: retryAfterMs(response.headers.get('retry-after')), httpStatus: 429 };
        return record(outcome, { httpStatus: status });
      }
      text = await response.text();
    } catch (error) {
      const reason: UnknownReason = timedOut ? 'timeout' : 'network';
      const detail = timedOut ? `no answer within ${this.timeoutMs} ms` : describe(error);
      return record({ kind: 'unknown', reason, detail }, { response: detail });
    } finally {
      this.timers.clearTimeout(timer);
    }

    const excerpt = text.length > RESPONSE_EXCERPT ? `${text.slice(0, RESPONSE_EXCERPT)}…` : text;
    let body: Record<string, unknown> | undefined;
    try {
      const parsed = parseQfpayJson(text);
      if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) body = parsed as Record<string, unknown>;
    } catch {
      body = undefined;
    }
    const head = body ? readHead(body) : undefined;
    if (status >= 300 && status < 400) {
      // Whatever the body says, it is not QFPay's answer to this request; the
      // request may have run before the redirect: resolve by query, never resend.
      return record(
        { kind: 'unknown', reason: 'http_error', detail: `HTTP ${status}: redirect${redirectTo ? ` to ${redirectTo}` : ''} not followed`, httpStatus: status },
        { httpStatus: status, response: excerpt },
      );
    }
    if (status >= 500) {
      // API.md: a 5xx leaves the state unknown whatever its body says (a
      // gateway may relay a partial or stale answer): resolve by query.
      return record(
        { kind: 'unknown', reason: 'http_error', detail: `HTTP ${status}`, httpStatus: status },
        { httpStatus: status, ...(head ? { respcd: head.respcd } : {}), response: excerpt },
      );
    }
    if (!body || !head) {
      const reason: UnknownReason = status >= 200 && status < 300 ? 'bad_response' : 'http_error';
      const detail = reason === 'bad_response' ? 'the answer was not QFPay JSON with a respcd' : `HTTP ${status}`;
      return record({ kind: 'unknown', reason, detail, httpStatus: status }, { httpStatus: status, response: excerpt });
    }

    const signature = this.checkSignature(signatureHeader, text, body);
    if (signature === 'mismatch' || signature === 'absent') {
      // Never act on an answer that may have been altered: resolve by query.
      // With checking on, a missing signature is a mismatch too, or stripping
      // the header would be all it takes to pass an altered answer.
      const detail = signature === 'absent' ? 'the answer carried no X-QF-SIGN' : 'the response signature did not match';
      return record(
        { kind: 'unknown', reason: 'bad_signature', detail, httpStatus: status },
        { httpStatus: status, respcd: head.respcd, response: excerpt, signature },
      );
    }
    return record({ kind: 'answered', answer: read(head, body), httpStatus: status, signature }, { httpStatus: status, respcd: head.respcd, response: excerpt, signature });
  }

  /**
   * API.md: what a response's X-QF-SIGN covers is documented two ways (raw
   * body + key, or the sorted top-level fields + key). Accept either.
   */
  private checkSignature(header: string | null, rawBody: string, body: Record<string, unknown>): SignatureCheck {
    if (!this.config.verifyResponseSignature) return 'not_checked';
    if (header === null || header.trim() === '') return 'absent';
    const key = this.config.clientKey;
    for (const algorithm of new Set<SignAlgorithm>([this.signType, 'MD5'])) {
      if (signaturesEqual(header, digest(rawBody + key, algorithm))) return 'verified';
      const fields: Record<string, string> = {};
      for (const [name, value] of Object.entries(body)) {
        const text = asText(value);
        if (text !== undefined && text !== '') fields[name] = text;
      }
      if (signaturesEqual(header, sign(fields, key, algorithm))) return 'verified';
    }
    return 'mismatch';
  }
}

/** Personal values in the sent parameters, each paired with its masked form from maskParams. */
function personalValues(params: WireParams, masked: Record<string, string>): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  if (params.auth_code !== undefined && masked.auth_code !== undefined) pairs.push([params.auth_code, masked.auth_code]);
  if (params.extend_info !== undefined && masked.extend_info !== undefined) {
    const raw = parseObject(params.extend_info);
    const hidden = parseObject(masked.extend_info);
    for (const name of ['user_creid', 'user_truename']) {
      const value = raw?.[name];
      if (typeof value === 'string' && value !== '') pairs.push([value, typeof hidden?.[name] === 'string' ? hidden[name] : '***']);
    }
    // Unparsable extend_info: hide it whole wherever it is echoed.
    if (!raw) pairs.push([params.extend_info, masked.extend_info]);
  }
  return pairs;
}

function parseObject(text: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `\uXXXX` for every non-ASCII UTF-16 unit, as servers that emit ASCII-only JSON write it. */
const asciiEscaped = (text: string, upper: boolean) =>
  text.replace(/[^\x20-\x7e]/g, (c) => {
    const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
    return `\\u${upper ? hex.toUpperCase() : hex}`;
  });

/** Replaces every raw value in `text`, also when echoed as ASCII-only JSON, by its masked form. */
function redact(text: string, pairs: ReadonlyArray<[string, string]>): string {
  let out = text;
  for (const [raw, masked] of pairs) {
    for (const spelling of new Set([raw, asciiEscaped(raw, false), asciiEscaped(raw, true)])) out = out.split(spelling).join(masked);
  }
  return out;
}

/** Where a redirect pointed, host only (its path and query are nobody's business in a log). */
function originOf(location: string | null, base: string): string | undefined {
  if (location === null) return undefined;
  try {
    return new URL(location, base).origin;
  } catch {
    return undefined;
  }
}

function retryAfterMs(header: string | null): number | undefined {
  if (header === null) return undefined;
  const seconds = Number(header.trim());
  return Number.isFinite(seconds) && seconds >= 0 ? Math.round(seconds * 1000) : undefined;
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = (error as Error & { cause?: unknown }).cause;
    const code = typeof cause === 'object' && cause !== null && 'code' in cause ? String((cause as { code: unknown }).code) : undefined;
    return code ? `${error.message} (${code})` : error.message;
  }
  return String(error);
}
