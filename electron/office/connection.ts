import { Client } from 'pg';

// One PostgreSQL connection for a sender or a report. Bounded everywhere: a
// connect or a statement that hangs (server gone, network dropped) fails
// after a timeout instead of holding the caller, and a dropped connection
// is an error value for the caller, never an unhandled 'error' event.

export interface ConnectOptions {
  connectTimeoutMs?: number;
  statementTimeoutMs?: number;
}

export async function connectOffice(url: string, options: ConnectOptions = {}): Promise<Client> {
  const client = new Client({
    connectionString: url,
    connectionTimeoutMillis: options.connectTimeoutMs ?? 5_000,
    statement_timeout: options.statementTimeoutMs ?? 30_000,
    query_timeout: (options.statementTimeoutMs ?? 30_000) + 5_000,
    application_name: 'till-office',
    // Small indexed queries: JIT compiling them costs more (tens of ms) than it saves.
    options: '-c jit=off',
  });
  // Without a listener, a server restart would crash the process; the next query reports it instead.
  client.on('error', () => undefined);
  await client.connect();
  return client;
}

/** The URL with its password replaced, for messages (a password never reaches a log). */
export function maskUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(not a valid URL)';
  }
}

export function isPostgresUrl(url: string): boolean {
  try {
    const parsed = new URL(url);
    return (parsed.protocol === 'postgres:' || parsed.protocol === 'postgresql:') && parsed.hostname !== '';
  } catch {
    return false;
  }
}

/** One line about a failure, without the URL or password. */
export function describeError(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/postgres(ql)?:\/\/[^\s]+/g, (m) => maskUrl(m));
}
