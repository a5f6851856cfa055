import { resolve } from 'node:path';
import { reconcileMerchant } from '../office/reconcile';
import { dayWindow, type DayScope } from '../office/business-day';
import { describeError } from '../office/connection';
import { MIN_PASSWORD_LENGTH, loginAtStart, type StoredLogin } from '../office/web/login';
import { startOfficeServer } from '../office/web/server';
import { QfpayClient } from '../qfpay/client';
import { TokenBucket, tillBudgetPerMinute } from '../till/budget';
import { systemClock } from '../till/clock';
import { EXIT, UsageError, integerOption, parseCommandArgs, type CommandContext, type ExitCode } from './io';
import { dayScopeFrom } from './office-report';
import { OFFICE_DAY_OPTIONS, QFPAY_OPTIONS, officeUrlFrom, text } from './office-options';
import { withOffice, withOfficeUrl } from './office-session';
import { credentialsFrom } from './till-options';

// `till office serve [--port N]`: the owner's page until Ctrl+C. The first
// start sets the password (TILL_OFFICE_PASSWORD); only its hash is kept, in
// --login-file (default office-login.json in the data folder).

export async function officeServe(ctx: CommandContext): Promise<ExitCode> {
  const { values } = parseCommandArgs(
    ctx.argv,
    { ...OFFICE_DAY_OPTIONS, ...QFPAY_OPTIONS, host: { type: 'string' }, port: { type: 'string' }, 'login-file': { type: 'string' }, 'data-dir': { type: 'string' } },
    false,
  );
  const port = integerOption(values.port, 'port', 0, 65535) ?? 8470;
  const host = text(values.host) ?? '127.0.0.1';
  const scope = dayScopeFrom(values, ctx.env);
  const credentials = credentialsFrom(values, ctx.env);
  officeUrlFrom(values['database-url'], ctx.env);
  const loginFile = resolve(text(values['login-file']) ?? resolve(text(values['data-dir']) ?? text(ctx.env.TILL_DATA_DIR) ?? 'till-data', 'office-login.json'));
  const first = text(ctx.env.TILL_OFFICE_PASSWORD);
  if (first !== undefined && first.length < MIN_PASSWORD_LENGTH) throw new UsageError(`TILL_OFFICE_PASSWORD must be at least ${MIN_PASSWORD_LENGTH} characters`, 'TILL_OFFICE_PASSWORD');
  let login;
  try {
    login = await loginAtStart(loginFile, first);
  } catch (error) {
    ctx.io.err(`cannot read or write the login file ${loginFile}: ${describeError(error)}`);
    return EXIT.config;
  }
  if (!login) {
    ctx.io.err(`first start: set the owner's password with TILL_OFFICE_PASSWORD (at least ${MIN_PASSWORD_LENGTH} characters); only its hash is kept, in ${loginFile}`);
    return EXIT.config;
  }
  return withOfficeUrl(ctx, values, (url) => serve(ctx, url, { host, port, login, scope, credentials }));
}

async function serve(
  ctx: CommandContext,
  url: string,
  { host, port, login, scope, credentials }: { host: string; port: number; login: StoredLogin; scope: DayScope; credentials: ReturnType<typeof credentialsFrom> },
): Promise<ExitCode> {
  // Schema check (and first-use migration) before serving anything.
  const ready = await withOffice(ctx, url, async () => EXIT.ok);
  if (ready !== EXIT.ok) return ready;
  const bucket = new TokenBucket(tillBudgetPerMinute(4), systemClock);
  const reconcile = credentials
    ? async (day: string) => {
        const qfpay = new QfpayClient({ ...credentials, timeZone: scope.timeZone });
        let result;
        await withOffice(ctx, url, async (client) => {
          result = await reconcileMerchant(client, qfpay, () => bucket.take(), { ...dayWindow(day, scope), timeZone: scope.timeZone }, { pause: (ms) => bucket.pause(ms) });
          return EXIT.ok;
        });
        if (!result) throw new Error('head office could not be reached');
        return result;
      }
    : undefined;
  let server;
  try {
    server = await startOfficeServer({ databaseUrl: url, host, port, login, scope, reconcile });
  } catch (error) {
    ctx.io.err(`cannot listen on ${host}:${port}: ${describeError(error)}`);
    return EXIT.config;
  }
  ctx.io.out(`head office: ${server.url}/ (Ctrl+C to stop)`);
  await ctx.stopSignal;
  bucket.stop();
  await server.close();
  return EXIT.ok;
}
