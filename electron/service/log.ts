import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';

// The app's log: a few rotating files in userData/logs, every line passed
// through the redactor first. Secrets (client key, app code) are replaced
// wherever they appear, and so are Chinese ID card numbers and the real-name
// field, whatever put them in a message.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  log(level: LogLevel, message: string, data?: Record<string, unknown>): void;
}

const ID_CARD = /(?<![0-9])(\d{2})\d{14}(\d[\dXx])(?![0-9])/g;
const TRUE_NAME = /("?user_truename"?\s*[:=]\s*"?)([^",}&\s]+)/g;

export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const secret of secrets) if (secret.length >= 4) out = out.split(secret).join('***');
  return out.replace(ID_CARD, '$1**************$2').replace(TRUE_NAME, '$1***');
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
    mkdirSync(dir, { recursive: true });
    this.file = join(dir, 'till.log');
  }

  get path(): string {
    return this.file;
  }

  log(level: LogLevel, message: string, data?: Record<string, unknown>): void {
    const line = `${new Date(this.now()).toISOString()} ${level.toUpperCase()} ${message}${data ? ` ${safeJson(data)}` : ''}`;
    try {
      this.rotateIfNeeded();
      appendFileSync(this.file, `${redact(line, this.secrets())}\n`, 'utf8');
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
    return JSON.stringify(data);
  } catch {
    return '[unserialisable]';
  }
}
