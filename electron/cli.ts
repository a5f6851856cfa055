import './cli/require-node';
import { createInterface } from 'node:readline';
import { EXIT, UsageError, didYouMean, printError, processOutput, type Command, type CommandContext, type ExitCode, type Output } from './cli/io';
import { drawerCommand } from './cli/cash-commands';
import { chargeCommand } from './cli/charge-command';
import { exportCommand, reconcileCommand, reportCommand } from './cli/report-commands';
import { printerCommand, receiptCommand } from './cli/receipt-commands';
import { cancelCommand, recoverCommand, refundCommand, statusCommand } from './cli/sale-commands';
import { signCommand } from './cli/sign-command';
import { simulatorCommand } from './cli/simulator-command';
import { syncCommand } from './cli/sync-command';
import { officeCommand } from './cli/office-command';

// `till`: the headless command line over the same core as the app, for
// support engineers and scripts. Run as `npm run till -- <command> ...`.

const COMMANDS: readonly Command[] = [chargeCommand, statusCommand, cancelCommand, refundCommand, recoverCommand, reportCommand, reconcileCommand, exportCommand, simulatorCommand, signCommand, receiptCommand, printerCommand, drawerCommand, syncCommand, officeCommand];

function help(io: Output): void {
  io.out('till — WeChat Pay till command line');
  io.out('');
  for (const command of COMMANDS) io.out(`  ${command.usage}\n      ${command.summary}`);
  io.out('');
  io.out(`Exit codes: ${EXIT.ok} ok, ${EXIT.failed} failed, ${EXIT.usage} bad input (nothing sent), ${EXIT.unknown} outcome unknown, ${EXIT.config} configuration.`);
}

/** Errors of the file system (a report or export that cannot be written): the operation failed, in one line. */
function fileProblem(error: unknown): string | undefined {
  const e = error as NodeJS.ErrnoException;
  if (!(error instanceof Error) || typeof e.code !== 'string' || typeof e.syscall !== 'string') return undefined;
  const why: Record<string, string> = {
    EACCES: 'permission denied',
    EPERM: 'permission denied',
    ENOENT: 'no such folder',
    EISDIR: 'it is a folder',
    ENOTDIR: 'a part of the path is not a folder',
    ENOSPC: 'the disk is full',
    EROFS: 'the disk is read-only',
  };
  return `cannot write ${e.path ?? 'the file'}: ${why[e.code] ?? e.code}`;
}

export async function main(argv: string[], ctx: Omit<CommandContext, 'argv'>): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    help(ctx.io);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const json = rest.includes('--json');
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    const suggestion = didYouMean(name, COMMANDS.map((c) => c.name));
    printError(ctx.io, json, { code: 'usage', message: `unknown command "${name}"${suggestion ? ` (did you mean "${suggestion}"?)` : ''}; see till help` }, 'till: ');
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.io.out(`usage: ${command.usage}`);
    return EXIT.ok;
  }
  try {
    const run = command.run({ ...ctx, argv: rest });
    if (!ctx.secondStop) return await run;
    // A second Ctrl+C quits at once; the command's own handler (registered first) has said what it leaves open.
    const quit = ctx.secondStop
      .then(() => new Promise<void>((resolve) => setImmediate(resolve)))
      .then(() => {
        ctx.io.err(`till ${name}: stopped before it finished`);
        return EXIT.unknown;
      });
    return await Promise.race([run, quit]);
  } catch (error) {
    if (error instanceof UsageError) {
      printError(ctx.io, json, { code: error.code, message: error.message, field: error.field }, `till ${name}: `);
      if (error.exit === EXIT.usage) ctx.io.err(`usage: ${command.usage}`);
      return error.exit;
    }
    const problem = fileProblem(error);
    if (problem) {
      printError(ctx.io, json, { code: 'file', message: problem }, `till ${name}: `);
      return EXIT.failed;
    }
    throw error;
  }
}

/** y/yes (any case) is yes; anything else, or the end of input, is no. */
function askTerminal(question: string): Promise<boolean> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr });
    rl.once('close', () => resolve(false));
    rl.question(`${question} [y/N] `, (answer) => {
      resolve(/^y(es)?$/i.test(answer.trim()));
      rl.close();
    });
  });
}

/** The first SIGINT/SIGTERM asks the command to stop; the second quits. Either way the default (instant death) is replaced. */
function stopSignals(): { first: Promise<void>; second: Promise<void> } {
  let count = 0;
  let first: () => void = () => undefined;
  let second: () => void = () => undefined;
  const promises = { first: new Promise<void>((resolve) => (first = resolve)), second: new Promise<void>((resolve) => (second = resolve)) };
  const onSignal = () => {
    count += 1;
    if (count === 1) first();
    else if (count === 2) second();
    // A third: whatever was still being tidied up, go now. Non-zero: the work was not finished.
    else process.exit(EXIT.unknown);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return promises;
}

const invokedDirectly = typeof require !== 'undefined' ? require.main === module : process.argv[1]?.endsWith('cli.ts');
if (invokedDirectly) {
  const signals = stopSignals();
  main(process.argv.slice(2), { env: process.env, io: processOutput, stopSignal: signals.first, secondStop: signals.second, ...(process.stdin.isTTY ? { confirm: askTerminal } : {}) }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`till: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(70);
    },
  );
}
