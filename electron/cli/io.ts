import { parseArgs, type ParseArgsConfig } from 'node:util';

// Shared plumbing for `till` commands: one exit-code table, one way to print
// results (text for people, `--json` for scripts), one way to refuse input.

export const EXIT = {
  ok: 0,
  /** The operation ran and failed (declined, refused, not paid). */
  failed: 1,
  /** Bad command line or bad input: nothing was sent or written. */
  usage: 2,
  /** The outcome is not known yet (timeout, lost answer): query later. */
  unknown: 3,
  /** Configuration is missing or wrong (credentials, base URL, data dir). */
  config: 4,
} as const;
export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

export interface Output {
  out(line: string): void;
  err(line: string): void;
}

export const processOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export class UsageError extends Error {
  override readonly name = 'UsageError';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

export interface CommandContext {
  argv: string[];
  env: NodeJS.ProcessEnv;
  io: Output;
  /** Resolves when the user asks a long-running command to stop (Ctrl+C, SIGTERM). */
  stopSignal: Promise<void>;
  /** Asks the person at the terminal a yes/no question; absent when stdin is not a terminal (a script, a pipe). */
  confirm?: (question: string) => Promise<boolean>;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(ctx: CommandContext): Promise<ExitCode>;
}

/** node:util parseArgs, with its errors turned into UsageError. */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = true) {
  try {
    return parseArgs({ args: argv, options: { ...options, json: { type: 'boolean' } }, allowPositionals, strict: true });
  } catch (error) {
    throw new UsageError(error instanceof Error ? error.message : String(error));
  }
}

/** Prints one JSON document (for --json) or the text lines. */
export function emit(io: Output, json: boolean | undefined, value: unknown, lines: () => string[]): void {
  if (json) io.out(JSON.stringify(value, null, 2));
  else for (const line of lines()) io.out(line);
}

export function integerOption(value: string | undefined, name: string, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value)) throw new UsageError(`--${name} must be a whole number`, name);
  const n = Number(value);
  if (n < min || n > max) throw new UsageError(`--${name} must be from ${min} to ${max}`, name);
  return n;
}
