import { connectOffice, describeError } from './connection';
import { migrateOffice, OfficeSchemaError } from './schema';
import { DEFAULT_BATCH_SIZE, sendPending, type SendResult } from './sender';
import { JournalSource, SourceError } from './source';

// One sync round, as `till sync` and the background sender run it: open the
// journal read-only, connect, bring the schema up to date if this user may,
// send until caught up (bounded), close everything. Every failure is a value:
// the till never sees head office's problems as its own.

export interface SyncConfig {
  url: string;
  journalPath: string;
  store?: string;
  timeZone?: string;
  batchSize?: number;
  maxBatches?: number;
  connectTimeoutMs?: number;
}

export type SyncOutcome =
  /** journalSeq: the journal's latest event when the round ended (its lag is journalSeq − result.seq). */
  | { ok: true; result: SendResult; udid: string; journalSeq: number }
  /** unreachable: head office could not be reached or failed mid-way (nothing is lost; the next round resumes). */
  /** refused: head office answered but refused this till (wrong password, or rows not its own): retrying will not help. */
  | { ok: false; reason: 'unreachable' | 'refused' | 'schema' | 'journal' | 'training'; message: string };

/** PostgreSQL's SQLSTATE classes 28 (authorization) and 42501 (privilege, RLS): configuration, not an outage. */
function isRefusal(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && (code.startsWith('28') || code === '42501');
}

export async function syncOnce(config: SyncConfig): Promise<SyncOutcome> {
  let source: JournalSource;
  try {
    source = JournalSource.open(config.journalPath);
  } catch (error) {
    if (error instanceof SourceError) return { ok: false, reason: error.code === 'training' ? 'training' : 'journal', message: error.message };
    throw error;
  }
  let client: Awaited<ReturnType<typeof connectOffice>> | undefined;
  try {
    client = await connectOffice(config.url, { connectTimeoutMs: config.connectTimeoutMs });
    await migrateOffice(client);
    const result = await sendPending(client, source, {
      batchSize: config.batchSize ?? DEFAULT_BATCH_SIZE,
      maxBatches: config.maxBatches,
      store: config.store,
      timeZone: config.timeZone,
    });
    return { ok: true, result, udid: source.udid, journalSeq: source.lastSeq() };
  } catch (error) {
    if (error instanceof OfficeSchemaError) return { ok: false, reason: 'schema', message: error.message };
    if (isRefusal(error)) return { ok: false, reason: 'refused', message: `head office refused this till: ${describeError(error)}` };
    return { ok: false, reason: 'unreachable', message: `head office could not be reached: ${describeError(error)}` };
  } finally {
    await client?.end().catch(() => undefined);
    source.close();
  }
}

export interface ReplicatorOptions {
  /** Wait after a round that caught up. */
  idleMs?: number;
  /** Backoff after a failed round: doubles from min to max. */
  minBackoffMs?: number;
  maxBackoffMs?: number;
  onOutcome?(outcome: SyncOutcome): void;
  /** For the status's instants (tests inject one). */
  now?: () => number;
}

/** What the settings screen shows of the background sender: kept from its last rounds, no query of its own. */
export interface ReplicatorStatus {
  /** 'starting' until the first round ends; 'ok' after a round head office answered; 'failing' after one it did not. */
  state: 'starting' | 'ok' | 'failing';
  /** When head office last answered a round (epoch ms), null if not yet. */
  lastContactMs: number | null;
  /** When a round last sent something. */
  lastSentMs: number | null;
  /** Journal events not yet at head office when it last answered. */
  lagEvents: number | null;
  /** Why the last round failed (a code; the message may name the server and stays in the log). */
  failure: Exclude<Extract<SyncOutcome, { ok: false }>['reason'], 'training'> | 'training' | null;
}

/**
 * The background sender: rounds of syncOnce, forever, outside the engine.
 * A sale never waits for it; when head office is down it backs off (up to
 * maxBackoffMs) and catches up by itself when it returns.
 */
export class Replicator {
  private running = false;
  private current: ReplicatorStatus = { state: 'starting', lastContactMs: null, lastSentMs: null, lagEvents: null, failure: null };
  private timer: NodeJS.Timeout | undefined;
  private wakeUp: (() => void) | undefined;
  private loop: Promise<void> | undefined;

  constructor(
    private readonly config: SyncConfig,
    private readonly options: ReplicatorOptions = {},
  ) {}

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** Starts the next round now (e.g. after a Z). */
  wake(): void {
    this.wakeUp?.();
  }

  status(): ReplicatorStatus {
    return { ...this.current };
  }

  private note(outcome: SyncOutcome): void {
    const now = (this.options.now ?? Date.now)();
    if (!outcome.ok) {
      this.current = { ...this.current, state: 'failing', failure: outcome.reason };
      return;
    }
    const sent = outcome.result.events + outcome.result.zReports > 0;
    this.current = {
      state: 'ok',
      lastContactMs: now,
      lastSentMs: sent ? now : this.current.lastSentMs,
      lagEvents: Math.max(0, outcome.journalSeq - outcome.result.seq),
      failure: null,
    };
  }

  async stop(): Promise<void> {
    this.running = false;
    this.wake();
    await this.loop;
  }

  private async run(): Promise<void> {
    const min = this.options.minBackoffMs ?? 1_000;
    const max = this.options.maxBackoffMs ?? 60_000;
    let backoff = min;
    while (this.running) {
      const outcome = await syncOnce({ maxBatches: 50, ...this.config }).catch((error: unknown): SyncOutcome => ({ ok: false, reason: 'unreachable', message: describeError(error) }));
      this.note(outcome);
      this.options.onOutcome?.(outcome);
      if (!outcome.ok && outcome.reason === 'training') return;
      let delay: number;
      if (outcome.ok) {
        backoff = min;
        delay = outcome.result.caughtUp ? (this.options.idleMs ?? 5_000) : 0;
      } else {
        delay = backoff;
        backoff = Math.min(max, backoff * 2);
      }
      if (delay > 0 && this.running) {
        await new Promise<void>((resolve) => {
          this.wakeUp = resolve;
          this.timer = setTimeout(resolve, delay);
        });
        clearTimeout(this.timer);
        this.wakeUp = undefined;
      }
    }
  }
}
