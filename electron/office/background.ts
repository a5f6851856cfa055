import { isPostgresUrl } from './connection';
import { Replicator } from './sync';

// The till commands' background sender: while a command runs (a charge
// waiting for its customer, a recovery…), the journal goes to head office
// when a database URL is given (`--database-url`, which wins, or
// TILL_OFFICE_URL). Never for training; never in the command's
// way (its own connection and read-only journal handle; failures are only
// retried, never reported as the command's).

export function backgroundSender(till: { training: boolean; journalPath: string }, env: NodeJS.ProcessEnv, databaseUrl?: string): () => Promise<void> {
  const url = databaseUrl || env.TILL_OFFICE_URL;
  if (till.training || !url || !isPostgresUrl(url)) return async () => undefined;
  const replicator = new Replicator({ url, journalPath: till.journalPath, store: env.TILL_STORE || undefined, timeZone: env.TILL_TIME_ZONE || undefined, connectTimeoutMs: 2_000 });
  replicator.start();
  return () => replicator.stop();
}
