import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { maskUrl } from '../office/connection';
import { syncOnce } from '../office/sync';
import { JOURNAL_FILES } from '../till/core';
import { EXIT, UsageError, emit, parseCommandArgs, type Command, type CommandContext, type ExitCode } from './io';
import { officeUrlFrom, text } from './office-options';
import { withOfficeUrl } from './office-session';

// `till sync`: sends the journal's unsent events to head office once and
// exits — 0 when all are sent, 3 when head office could not be reached
// (nothing is lost: the next sync resumes where PostgreSQL's copy ends).

export const syncCommand: Command = {
  name: 'sync',
  summary: 'send the journal\'s unsent events and Z reports to head office (PostgreSQL) once; exit 0 all sent, 3 head office unreachable',
  usage: 'till sync [--database-url URL] [--data-dir DIR] [--store S] [--json] (no URL: head office on this machine)',
  async run(ctx) {
    const { values } = parseCommandArgs(ctx.argv, { 'database-url': { type: 'string' }, 'data-dir': { type: 'string' }, store: { type: 'string' } }, false);
    officeUrlFrom(values['database-url'], ctx.env);
    const store = text(values.store) ?? text(ctx.env.TILL_STORE);
    if (store !== undefined && store.length > 80) throw new UsageError('--store must be at most 80 characters', 'store');
    const dataDir = resolve(text(values['data-dir']) ?? text(ctx.env.TILL_DATA_DIR) ?? 'till-data');
    const journalPath = join(dataDir, JOURNAL_FILES.real);
    if (!existsSync(journalPath)) {
      const message = existsSync(join(dataDir, JOURNAL_FILES.training))
        ? 'this till has only a training journal: training is never sent to head office'
        : `no journal at ${journalPath}`;
      if (values.json) ctx.io.out(JSON.stringify({ error: { code: 'no_journal', message } }));
      ctx.io.err(message);
      return EXIT.config;
    }
    return withOfficeUrl(ctx, values, (url) => send(ctx, url, { journalPath, store, json: values.json }));
  },
};

async function send(ctx: CommandContext, url: string, options: { journalPath: string; store: string | undefined; json: boolean | undefined }): Promise<ExitCode> {
  const outcome = await syncOnce({ url, journalPath: options.journalPath, store: options.store, timeZone: text(ctx.env.TILL_TIME_ZONE) });
  if (!outcome.ok) {
    if (options.json) ctx.io.out(JSON.stringify({ error: { code: outcome.reason, message: outcome.message } }));
    ctx.io.err(outcome.message);
    if (outcome.reason === 'unreachable') ctx.io.err('nothing is lost: the next till sync resumes where head office stopped');
    return outcome.reason === 'unreachable' ? EXIT.unknown : EXIT.config;
  }
  const { result } = outcome;
  emit(ctx.io, options.json, { udid: outcome.udid, events: result.events, zReports: result.zReports, batches: result.batches, seq: result.seq }, () => [
    `sent ${result.events} event(s) and ${result.zReports} Z report(s) for till ${outcome.udid} to ${maskUrl(url)}: head office is up to date (event ${result.seq})`,
  ]);
  return EXIT.ok;
}
