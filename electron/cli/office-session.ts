import type { Client } from 'pg';
import { connectOffice, describeError } from '../office/connection';
import { migrateOffice } from '../office/schema';
import { EXIT, type CommandContext, type ExitCode } from './io';

// Connect, check (or bring up) the schema, run, always disconnect: the one
// way every `till office` subcommand talks to PostgreSQL.

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
