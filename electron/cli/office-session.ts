import { join, resolve } from 'node:path';
import type { Client } from 'pg';
import { connectOffice, describeError } from '../office/connection';
import { localOffice } from '../office/local-postgres';
import { migrateOffice } from '../office/schema';
import { EXIT, type CommandContext, type ExitCode } from './io';
import { officeUrlFrom, text } from './office-options';

// Where head office is, and the one way every `till office` subcommand talks
// to it: connect, check (or bring up) the schema, run, always disconnect.
// With no URL at all, head office runs on this machine: a PostgreSQL cluster
// kept in <data-dir>/office-postgres, started for the command (or found
// running, e.g. under `till office serve`).

export const LOCAL_OFFICE_DIR = 'office-postgres';

export async function withOfficeUrl(
  ctx: CommandContext,
  values: { 'database-url'?: string | boolean | undefined; 'data-dir'?: string | boolean | undefined },
  body: (url: string) => Promise<ExitCode>,
): Promise<ExitCode> {
  const given = officeUrlFrom(values['database-url'], ctx.env);
  if (given !== undefined) return body(given);
  const dir = join(resolve(text(values['data-dir']) ?? text(ctx.env.TILL_DATA_DIR) ?? 'till-data'), LOCAL_OFFICE_DIR);
  let local;
  try {
    local = await localOffice(dir);
  } catch (error) {
    ctx.io.err(describeError(error));
    return EXIT.config;
  }
  ctx.io.err(`head office on this machine (PostgreSQL in ${dir})`);
  try {
    return await body(local.url);
  } finally {
    await local.release().catch(() => undefined);
  }
}

export async function withOffice(ctx: CommandContext, url: string, body: (client: Client) => Promise<ExitCode>): Promise<ExitCode> {
  let client: Client;
  try {
    client = await connectOffice(url);
  } catch (error) {
    ctx.io.err(`head office could not be reached: ${describeError(error)}`);
    return EXIT.unknown;
  }
  try {
    await migrateOffice(client);
    return await body(client);
  } catch (error) {
    ctx.io.err(`head office: ${describeError(error)}`);
    return EXIT.config;
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** withOfficeUrl then withOffice: the usual pair. */
export function withOfficeClient(
  ctx: CommandContext,
  values: Parameters<typeof withOfficeUrl>[1],
  body: (client: Client, url: string) => Promise<ExitCode>,
): Promise<ExitCode> {
  return withOfficeUrl(ctx, values, (url) => withOffice(ctx, url, (client) => body(client, url)));
}
