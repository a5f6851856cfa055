import { appendFileSync, existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { PRIVATE_FILE_MODE, ensurePrivateDir, makePrivate } from './file-modes';
import { maskFields, redact } from './redact';

export { redact } from './redact';

// The app's log: a few rotating files in userData/logs (folder 0700, files
// 0600), every line passed through the redactor (redact.ts) first: the data
// masked by field, then the whole line by value.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, data?: Record<string, unknown>): void;
}

export class RotatingFileLog implements Logger {
  private readonly file: string;

  constructor(
    private readonly dir: string,
    private readonly secrets: () => readonly string[],
    private readonly maxBytes = 1024 * 1024,
    private readonly keep = 5,
    private readonly now: () => number = Date.now,
  ) {
    ensurePrivateDir(dir);
    this.file = join(dir, 'till.log');
    // A log written by an older build keeps its mode until told.
    makePrivate(this.file);
  }

  get path(): string {
    return this.file;
  }

  log(level: LogLevel, message: string, data?: Record<string, unknown>): void {
    const line = `${new Date(this.now()).toISOString()} ${level.toUpperCase()} ${message}${data ? ` ${safeJson(data)}` : ''}`;
    try {
      this.rotateIfNeeded();
      appendFileSync(this.file, `${redact(line, this.secrets())}\n`, { encoding: 'utf8', mode: PRIVATE_FILE_MODE });
    } catch {
      // Logging must never take the till down.
    }
  }

  private rotateIfNeeded(): void {
    if (!existsSync(this.file) || statSync(this.file).size < this.maxBytes) return;
    rmSync(join(this.dir, `till.${this.keep}.log`), { force: true });
    for (let i = this.keep - 1; i >= 1; i--) {
      const from = join(this.dir, `till.${i}.log`);
      if (existsSync(from)) renameSync(from, join(this.dir, `till.${i + 1}.log`));
    }
    renameSync(this.file, join(this.dir, 'till.1.log'));
  }
}

function safeJson(data: Record<string, unknown>): string {
  try {
    return JSON.stringify(maskFields(data));
  } catch {
    return '[unserialisable]';
  }
}
