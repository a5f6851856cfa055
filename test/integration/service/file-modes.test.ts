import { chmodSync, existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../electron/journal/database';
import { RotatingFileLog } from '../../../electron/service/log';
import { JOURNAL_FILES } from '../../../electron/till/core';
import { closeAll, startService } from './support';

// Files the till creates are this user's only (issue 10): the journal, its
// WAL and shared memory, and the log 0600; their folders 0700. Whatever the
// umask, and also for files an older build left with wider modes.

afterEach(closeAll);

const mode = (path: string) => statSync(path).mode & 0o777;

describe('file modes as created', () => {
  it('the journal folder 0700; the journal, its WAL and -shm 0600; the log folder 0700 and log 0600', async () => {
    const previous = process.umask(0o022);
    try {
      const h = await startService();
      await h.value('charge', { amountMinor: 100, currency: 'HKD' });
      const journal = join(h.dataDir, JOURNAL_FILES.training);
      const files = [journal, `${journal}-wal`, `${journal}-shm`, join(h.dir, 'logs', 'till.log')];
      await h.waitFor(() => files.every((f) => existsSync(f)), 'the journal, its WAL and the log');
      const shown = [h.dataDir, join(h.dir, 'logs'), ...files].map((path) => `${path.slice(h.dir.length + 1)} 0${mode(path).toString(8)}`);
      console.info(`file modes as created: ${shown.join(', ')}`);
      expect(mode(h.dataDir)).toBe(0o700);
      expect(mode(join(h.dir, 'logs'))).toBe(0o700);
      for (const file of files) expect(mode(file), file).toBe(0o600);
    } finally {
      process.umask(previous);
    }
  });

  it('a log folder and file an older build left world-readable are narrowed', async () => {
    const h = await startService();
    const dir = join(h.dir, 'old-logs');
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755);
    writeFileSync(join(dir, 'till.log'), 'old\n', { mode: 0o644 });
    chmodSync(join(dir, 'till.log'), 0o644);
    const log = new RotatingFileLog(dir, () => []);
    log.log('info', 'hello');
    expect(mode(dir)).toBe(0o700);
    expect(mode(join(dir, 'till.log'))).toBe(0o600);
  });
});

describe('folders the till did not make keep their mode', () => {
  it('a journal opened in a shared folder (a --data-dir such as /tmp) leaves that folder as it was; the journal is still 0600', () => {
    const shared = mkdtempSync(join(tmpdir(), 'till-shared-'));
    chmodSync(shared, 0o1777);
    const db = openDatabase(join(shared, 'journal.sqlite'));
    try {
      expect(mode(shared)).toBe(0o777);
      expect(statSync(shared).mode & 0o1000).toBe(0o1000);
      expect(mode(join(shared, 'journal.sqlite'))).toBe(0o600);
    } finally {
      db.close();
    }
  });
});
