import { linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { refusedTarget, writeExport } from '../../../../electron/service/export-target';

// Where an export may be written (issue 10): pointing the save dialog at the
// live journal once overwrote it with CSV. Nothing inside the app's own
// folder, however it is reached (a symlinked folder, a symlinked or
// hard-linked file), and the protected file is left as it was.

let dir: string;
let userData: string;
let journal: string;
const JOURNAL_BYTES = 'SQLite format 3\0journal';

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'till-export-'));
  userData = join(dir, 'userData');
  mkdirSync(join(userData, 'journal'), { recursive: true });
  mkdirSync(join(dir, 'documents'));
  journal = join(userData, 'journal', 'journal.sqlite');
  writeFileSync(journal, JOURNAL_BYTES);
  writeFileSync(join(userData, 'settings.json'), '{}');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const journalIntact = () => expect(readFileSync(journal, 'utf8')).toBe(JOURNAL_BYTES);

describe('writeExport', () => {
  it('writes a new file in an ordinary folder', async () => {
    const target = join(dir, 'documents', 'sales.csv');
    expect(await writeExport(target, 'a,b\n', [userData])).toEqual({ ok: true, path: target });
    expect(readFileSync(target, 'utf8')).toBe('a,b\n');
  });

  it('replaces an ordinary file of the same name (the dialog asked first), shorter content included', async () => {
    const target = join(dir, 'documents', 'sales.csv');
    writeFileSync(target, 'a much longer earlier export\n');
    expect(await writeExport(target, 'new\n', [userData])).toMatchObject({ ok: true });
    expect(readFileSync(target, 'utf8')).toBe('new\n');
  });

  it.each([
    ['the journal itself', () => journal],
    ['settings.json', () => join(userData, 'settings.json')],
    ['a new file in the journal folder', () => join(userData, 'journal', 'sales.csv')],
    ['the user-data folder itself', () => join(userData, 'sales.csv')],
    ['a path that climbs back in', () => join(dir, 'documents', '..', 'userData', 'journal', 'journal.sqlite')],
  ])('refuses %s', async (_label, target) => {
    expect(await writeExport(target(), 'type,out_trade_no\n', [userData])).toMatchObject({ ok: false, reason: expect.stringContaining("till's own data") });
    journalIntact();
  });

  it('refuses a folder that is a symlink into the app folder', async () => {
    symlinkSync(join(userData, 'journal'), join(dir, 'documents', 'innocent'));
    expect(await writeExport(join(dir, 'documents', 'innocent', 'journal.sqlite'), 'csv', [userData])).toMatchObject({ ok: false });
    expect(await writeExport(join(dir, 'documents', 'innocent', 'new.csv'), 'csv', [userData])).toMatchObject({ ok: false });
    journalIntact();
  });

  it('refuses a file that is a symlink to the journal', async () => {
    const link = join(dir, 'documents', 'sales.csv');
    symlinkSync(journal, link);
    expect(await writeExport(link, 'csv', [userData])).toMatchObject({ ok: false });
    journalIntact();
  });

  it('refuses a file that is a symlink to anything (it is opened without following links)', async () => {
    const elsewhere = join(dir, 'documents', 'other.txt');
    writeFileSync(elsewhere, 'keep');
    const link = join(dir, 'documents', 'sales.csv');
    symlinkSync(elsewhere, link);
    // The realpath check passes (other.txt is outside), so the open without following links refuses it.
    expect(refusedTarget(link, [userData])).toBeUndefined();
    expect(await writeExport(link, 'csv', [userData])).toMatchObject({ ok: false });
    expect(readFileSync(elsewhere, 'utf8')).toBe('keep');
  });

  it('refuses a hard link to the journal (another name for the same file)', async () => {
    const link = join(dir, 'documents', 'sales.csv');
    linkSync(journal, link);
    expect(await writeExport(link, 'csv', [userData])).toMatchObject({ ok: false, reason: expect.stringContaining('hard links') });
    journalIntact();
  });

  it('refuses a relative path and a folder that does not exist', async () => {
    expect(await writeExport('sales.csv', 'csv', [userData])).toMatchObject({ ok: false });
    expect(await writeExport(join(dir, 'nope', 'sales.csv'), 'csv', [userData])).toMatchObject({ ok: false });
  });

  it('a protected folder reached through a symlink is still protected', async () => {
    symlinkSync(userData, join(dir, 'ud-link'));
    expect(await writeExport(journal, 'csv', [join(dir, 'ud-link')])).toMatchObject({ ok: false });
    journalIntact();
  });
});
