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
  /** stdout is a terminal: only then may output carry ANSI escapes (a pipe or file gets plain text). */
  readonly isTTY?: boolean;
}

export const processOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
  isTTY: process.stdout.isTTY === true,
};

export class UsageError extends Error {
  override readonly name: string = 'UsageError';
  readonly exit: ExitCode = EXIT.usage;
  readonly code: string = 'usage';
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message);
  }
}

/** Configuration missing or wrong (credentials, base URL, till id): exit 4, nothing sent or written. */
export class ConfigError extends UsageError {
  override readonly name = 'ConfigError';
  override readonly exit: ExitCode = EXIT.config;
  override readonly code = 'config';
}

/**
 * The one JSON error shape of every command (`--json`): one line on stdout,
 * `{"error":{"code","message","field","outTradeNo",…details}}`, besides the
 * sentence on stderr that people read.
 */
export interface CliError {
  code: string;
  message: string;
  field?: string | null | undefined;
  outTradeNo?: string | null | undefined;
  details?: Record<string, unknown>;
}

export function printError(io: Output, json: boolean | undefined, error: CliError, prefix = ''): void {
  if (json) io.out(JSON.stringify({ error: { code: error.code, message: error.message, field: error.field ?? null, outTradeNo: error.outTradeNo ?? null, ...error.details } }));
  io.err(`${prefix}${error.message}`);
}

export interface CommandContext {
  argv: string[];
  env: NodeJS.ProcessEnv;
  io: Output;
  /** Resolves when the user asks a long-running command to stop (Ctrl+C, SIGTERM). */
  stopSignal: Promise<void>;
  /** Resolves on a second Ctrl+C or SIGTERM: quit now, saying what was left open. */
  secondStop?: Promise<void>;
  /** Asks the person at the terminal a yes/no question; absent when stdin is not a terminal (a script, a pipe). */
  confirm?: (question: string) => Promise<boolean>;
}

export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(ctx: CommandContext): Promise<ExitCode>;
}

/** The closest of `candidates` to a mistyped `word` (a typo or two, or a prefix), if any is close. */
export function didYouMean(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; distance: number } | undefined;
  for (const name of candidates) {
    const distance = name.startsWith(word) && word.length >= 2 ? 1 : editDistance(word, name);
    if (distance <= Math.max(1, Math.min(2, Math.floor(name.length / 3))) && (!best || distance < best.distance)) best = { name, distance };
  }
  return best?.name;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) row[j] = Math.min(previous[j]! + 1, row[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = row;
  }
  return previous[b.length]!;
}

/** "-5" or "-0.50" on a command line is a (bad) amount, not an option: parsed as a positional, refused by the amount check. */
const NEGATIVE_NUMBER = /^-\d/;

/** node:util parseArgs, with its errors turned into UsageError (an unknown option gets a "did you mean"). */
export function parseCommandArgs<T extends NonNullable<ParseArgsConfig['options']>>(argv: string[], options: T, allowPositionals = true) {
  const all = { ...options, json: { type: 'boolean' } } as T & { json: { type: 'boolean' } };
  const negatives = new Map<string, string>();
  const args = argv.map((arg, i) => {
    if (!NEGATIVE_NUMBER.test(arg) || (i > 0 && isValueOption(argv[i - 1]!, all))) return arg;
    const stand = `\u0000negative${i}`;
    negatives.set(stand, arg);
    return stand;
  });
  try {
    const parsed = parseArgs({ args, options: all, allowPositionals, strict: true });
    return { ...parsed, positionals: parsed.positionals.map((p) => negatives.get(p) ?? p) };
  } catch (error) {
    throw usageErrorOf(error, Object.keys(all), allowPositionals, negatives);
  }
}

/** `--expires -5`: the -5 is that option's value, not an amount. */
function isValueOption(arg: string, options: NonNullable<ParseArgsConfig['options']>): boolean {
  const name = arg.startsWith('--') ? arg.slice(2) : undefined;
  return name !== undefined && !name.includes('=') && options[name]?.type === 'string';
}

function usageErrorOf(error: unknown, names: string[], allowPositionals: boolean, negatives: Map<string, string>): UsageError {
  const code = (error as { code?: string }).code;
  const message = error instanceof Error ? error.message : String(error);
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'(-{1,2}[^']*)'/.exec(message)?.[1] ?? '?';
    const suggestion = didYouMean(option.replace(/^-+/, '').split('=')[0]!, names);
    return new UsageError(`unknown option ${option}${suggestion ? ` (did you mean --${suggestion}?)` : ''}`);
  }
  if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL' && !allowPositionals) {
    const raw = /'([^']*)'/.exec(message)?.[1] ?? '';
    return new UsageError(`this command takes no "${negatives.get(raw) ?? raw}" (only options)`);
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const option = /--([\w-]+)/.exec(message)?.[1];
    if (!option) return new UsageError(message);
    return new UsageError(/missing/.test(message) ? `--${option} needs a value` : `--${option} takes no value`, option);
  }
  return new UsageError(message);
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
