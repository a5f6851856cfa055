import type { Output } from '../../../../electron/cli/io';

// A capturing Output for `main(argv, { env, io, stopSignal })`.

export interface Captured {
  io: Output;
  out: string[];
  err: string[];
  /** Resolves with the first line printed to stdout. */
  firstLine: Promise<string>;
}

export function capture(): Captured {
  const out: string[] = [];
  const err: string[] = [];
  let resolveFirst: (line: string) => void = () => undefined;
  const firstLine = new Promise<string>((resolve) => {
    resolveFirst = resolve;
  });
  return {
    io: {
      out: (line) => {
        if (out.length === 0) resolveFirst(line);
        out.push(line);
      },
      err: (line) => err.push(line),
    },
    out,
    err,
    firstLine,
  };
}

/** A stop signal the test fires by hand, as Ctrl+C would. */
export function stopper(): { signal: Promise<void>; stop: () => void } {
  let stop: () => void = () => undefined;
  const signal = new Promise<void>((resolve) => {
    stop = resolve;
  });
  return { signal, stop };
}

/** Rejects when `promise` takes longer than `ms`, naming what was awaited. */
export function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: nothing within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
