import { resolve } from 'node:path';
import { backgroundSender } from '../office/background';
import { isPostgresUrl } from '../office/connection';
import { checkClientConfig } from '../qfpay/client';
import { TRAINING_CREDENTIALS } from '../simulator/server';
import { crashHookFromEnv } from '../till/crash';
import { isTrainingCredentials, openTill, type Credentials, type Till } from '../till/core';
import type { RecoverySummary } from '../till/engine';
import { OPEN_PAYMENT_SETTINGS } from '../till/charge-input';
import { DEFAULT_TIMING, type Timing } from '../till/timing';
import { ConfigError, EXIT, UsageError, integerOption, printError, type ExitCode, type Output } from './io';
import { reportRecovery, settlingLines, settlingWork } from './present';

// The options every till command shares: which journal, which QFPay, which
// till. Flags win over environment variables. With neither a base URL nor
// credentials, the command runs in training mode against an in-process
// simulator; with only a base URL (a `till simulator`), the training
// credentials are used against it.

export const TILL_OPTIONS = {
  'data-dir': { type: 'string' },
  'base-url': { type: 'string' },
  'app-code': { type: 'string' },
  'client-key': { type: 'string' },
  mchid: { type: 'string' },
  udid: { type: 'string' },
  'time-zone': { type: 'string' },
  'tills-per-merchant': { type: 'string' },
  /** Head office: the journal is sent there in the background while the command runs (wins over TILL_OFFICE_URL). */
  'database-url': { type: 'string' },
} as const;

export const TILL_OPTIONS_USAGE =
  '[--data-dir DIR] [--base-url URL] [--app-code A] [--client-key K] [--mchid M] [--udid U] [--time-zone TZ] [--tills-per-merchant N] [--database-url URL]';

type Values = Partial<Record<keyof typeof TILL_OPTIONS, string | boolean | undefined>>;

const text = (v: string | boolean | undefined) => (typeof v === 'string' && v !== '' ? v : undefined);

export function credentialsFrom(values: Values, env: NodeJS.ProcessEnv): Credentials | undefined {
  const baseUrl = text(values['base-url']) ?? text(env.QFPAY_BASE_URL);
  const appCode = text(values['app-code']) ?? text(env.QFPAY_APP_CODE);
  const clientKey = text(values['client-key']) ?? text(env.QFPAY_CLIENT_KEY);
  const mchid = text(values.mchid) ?? text(env.QFPAY_MCHID);
  if (!baseUrl && !appCode && !clientKey) {
    if (mchid) throw new ConfigError('a mchid without credentials: give QFPAY_BASE_URL, QFPAY_APP_CODE and QFPAY_CLIENT_KEY too', 'mchid');
    return undefined;
  }
  if (!baseUrl) throw new ConfigError('credentials without a base URL: give --base-url or QFPAY_BASE_URL (production is https://openapi-hk.qfapi.com)', 'base-url');
  if (!appCode && !clientKey) return { baseUrl, ...TRAINING_CREDENTIALS };
  if (!appCode || !clientKey) throw new ConfigError('give both the app code and the client key (QFPAY_APP_CODE, QFPAY_CLIENT_KEY)', appCode ? 'client-key' : 'app-code');
  const credentials: Credentials = { baseUrl, appCode, clientKey, mchid };
  const problem = checkClientConfig(credentials);
  if (problem) throw new ConfigError(`${problem.field} ${problem.message.replace(/^[^:]*: /, '')}`, problem.field);
  return credentials;
}

export async function openTillFrom(values: Values, env: NodeJS.ProcessEnv, io: Output): Promise<Till> {
  const credentials = credentialsFrom(values, env);
  const udid = text(values.udid) ?? text(env.TILL_UDID);
  if (udid !== undefined && !/^[A-Za-z0-9_-]{1,40}$/.test(udid)) throw new ConfigError('--udid must be 1–40 letters, digits, "-" or "_"', 'udid');
  const timeZone = givenTimeZone(values, env);
  const tillsPerMerchant = integerOption(text(values['tills-per-merchant']), 'tills-per-merchant', 1, 100);
  const dataDir = resolve(text(values['data-dir']) ?? text(env.TILL_DATA_DIR) ?? 'till-data');
  const timing = timingFromEnv(env.TILL_TIMING_SCALE);
  if (timing && !isTrainingCredentials(credentials)) throw new ConfigError('TILL_TIMING_SCALE is for training and tests only', 'TILL_TIMING_SCALE');
  // The request timeout shrinks with the engine's intervals, so the "never created" grace stays longer than any request.
  const requestTimeoutMs = timing ? Math.round((timing.notCreatedGraceMs ?? 60_000) / 2) : undefined;
  // A scanned code's window shrinks with the rest (tests); otherwise the command line takes every wallet, 60 s window.
  const scaled = timing ? { ...OPEN_PAYMENT_SETTINGS, cpmWindowSeconds: OPEN_PAYMENT_SETTINGS.cpmWindowSeconds * Number(env.TILL_TIMING_SCALE) } : undefined;
  const payments = scaled ? () => scaled : undefined;
  const till = await openTill({ dataDir, credentials, udid, timeZone, tillsPerMerchant, timing, requestTimeoutMs, crash: crashHookFromEnv(env), ...(payments ? { payments } : {}) });
  if (till.training) io.err(`training mode: ${till.simulator ? 'in-process simulator' : credentials?.baseUrl}, journal ${till.journalPath}`);
  return till;
}

/** --time-zone or TILL_TIME_ZONE, checked; undefined when neither is given. */
export function givenTimeZone(values: Values, env: NodeJS.ProcessEnv): string | undefined {
  const zone = text(values['time-zone']) ?? text(env.TILL_TIME_ZONE);
  if (zone !== undefined) {
    try {
      new Intl.DateTimeFormat('en', { timeZone: zone });
    } catch {
      throw new UsageError(`${zone} is not a time zone (write it like Asia/Hong_Kong)`, 'time-zone');
    }
  }
  return zone;
}

/** The merchant zone for what is shown: --time-zone, TILL_TIME_ZONE, else this machine's (what the QFPay client uses too). */
export function timeZoneOf(values: Values, env: NodeJS.ProcessEnv): string {
  return givenTimeZone(values, env) ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/**
 * TILL_TIMING_SCALE=0.01 shrinks every engine interval (polling, grace
 * periods, backoff) by that factor: for crash tests and demos against a
 * simulator, never for real QFPay, whose rate limit the budget still guards.
 */
export function timingFromEnv(value: string | undefined): Partial<Timing> | undefined {
  if (value === undefined || value === '') return undefined;
  const scale = Number(value);
  if (!Number.isFinite(scale) || scale <= 0 || scale > 1) throw new ConfigError('TILL_TIMING_SCALE must be a number above 0 and at most 1', 'TILL_TIMING_SCALE');
  const timing: Partial<Timing> = {};
  for (const [key, ms] of Object.entries(DEFAULT_TIMING) as [keyof Timing, number][]) timing[key] = Math.max(1, Math.round(ms * scale));
  // The request timeout becomes half the grace (see openTillFrom), and never under two seconds:
  // a request must time out well inside the grace period, even on a loaded machine.
  timing.notCreatedGraceMs = Math.max(4_000, timing.notCreatedGraceMs ?? 0);
  return timing;
}

export function exitForOpenError(error: unknown, io: Output, json?: boolean): ExitCode {
  printError(io, json, { code: 'config', message: `cannot open the till: ${error instanceof Error ? error.message : String(error)}` });
  return EXIT.config;
}

type TillContext = { env: NodeJS.ProcessEnv; io: Output; stopSignal: Promise<void> };

/** How long a command told to stop waits for requests in flight before it closes the journal and exits. */
export const STOP_GRACE_MS = 1_500;

/** --database-url, checked: a URL that is not postgres:// is a usage error, never silently no head office. */
export function databaseUrlOf(values: Values): string | undefined {
  const url = text(values['database-url']);
  if (url !== undefined && !isPostgresUrl(url)) throw new UsageError('--database-url must be a postgres:// URL (e.g. postgres://till_shop1:PASSWORD@office.example:5432/office)', 'database-url');
  return url;
}

async function openOrExit(ctx: TillContext, values: Values & { json?: boolean | undefined }): Promise<Till | ExitCode> {
  // A mistyped --database-url is said before anything opens (the environment's is only ignored, as before).
  databaseUrlOf(values);
  try {
    return await openTillFrom(values, ctx.env, ctx.io);
  } catch (error) {
    if (error instanceof UsageError) throw error;
    return exitForOpenError(error, ctx.io, values.json);
  }
}

/**
 * Opens the till, resolves anything left unfinished first (DESIGN.md rule 6),
 * runs `body`, and always closes the till. Ctrl+C or SIGTERM during recovery
 * stops the command at once: requests in flight get a short grace, the
 * journal stays as it was (every change is one committed transaction), and
 * what is still open is named for the next `till recover`.
 */
export async function withRecoveredTill(
  ctx: TillContext,
  values: Values,
  body: (till: Till, summary: RecoverySummary | undefined) => Promise<ExitCode>,
  /** settleAll: wait for what recovery parked too (`till recover` settles everything it can before it exits). */
  options: { reportRecovery?: boolean; settleAll?: boolean } = {},
): Promise<ExitCode> {
  const till = await openOrExit(ctx, values);
  if (typeof till === 'number') return till;
  // Once told to stop (here or in the body), closing waits for requests in flight only briefly.
  let graceMs: number | undefined;
  void ctx.stopSignal.then(() => (graceMs = STOP_GRACE_MS));
  // Head office (--database-url or TILL_OFFICE_URL): the journal is sent in the background while the command runs; never waited on.
  const stopSending = backgroundSender(till, ctx.env, databaseUrlOf(values));
  try {
    const recovered = (options.settleAll ? till.engine.recoverAll() : till.engine.recover()).then(
      (summary) => {
        if (options.reportRecovery ?? true) reportRecovery(summary, ctx.io);
        return summary;
      },
      (error: unknown) => {
        ctx.io.err(`recovery did not finish: ${error instanceof Error ? error.message : String(error)}`);
        return undefined;
      },
    );
    const outcome = await Promise.race([recovered, ctx.stopSignal.then(() => 'stopped' as const)]);
    if (outcome === 'stopped') {
      ctx.io.err('stopped while settling unfinished sales with QFPay: nothing is half-written in the journal; what is still open is left for till recover.');
      for (const line of settlingLines(settlingWork(till))) ctx.io.err(line);
      return EXIT.unknown;
    }
    return await body(till, outcome);
  } finally {
    await stopSending();
    await till.close(graceMs);
  }
}

/**
 * Opens the till for a command that only reads (status, report x, export):
 * no recovery and no QFPay request, so it answers at once even when QFPay
 * cannot be reached; it says which sales and refunds are still being settled.
 */
export async function withJournalTill(ctx: TillContext, values: Values, body: (till: Till) => Promise<ExitCode>): Promise<ExitCode> {
  const till = await openOrExit(ctx, values);
  if (typeof till === 'number') return till;
  // Head office (--database-url or TILL_OFFICE_URL) is sent to as with every till command; the answer is printed first, never held up.
  const stopSending = backgroundSender(till, ctx.env, databaseUrlOf(values));
  try {
    for (const line of settlingLines(settlingWork(till))) ctx.io.err(line);
    return await body(till);
  } finally {
    await stopSending();
    await till.close();
  }
}
