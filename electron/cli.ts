import { EXIT, UsageError, processOutput, type Command, type CommandContext, type ExitCode, type Output } from './cli/io';
import { chargeCommand } from './cli/charge-command';
import { exportCommand, reconcileCommand, reportCommand } from './cli/report-commands';
import { cancelCommand, recoverCommand, refundCommand, statusCommand } from './cli/sale-commands';
import { signCommand } from './cli/sign-command';
import { simulatorCommand } from './cli/simulator-command';
import { syncCommand } from './cli/sync-command';
import { officeCommand } from './cli/office-command';

// `till`: the headless command line over the same core as the app, for
// support engineers and scripts. Run as `npm run till -- <command> ...`.

const COMMANDS: readonly Command[] = [chargeCommand, statusCommand, cancelCommand, refundCommand, recoverCommand, reportCommand, reconcileCommand, exportCommand, simulatorCommand, signCommand, syncCommand, officeCommand];

function help(io: Output): void {
  io.out('till — WeChat Pay till command line');
  io.out('');
  for (const command of COMMANDS) io.out(`  ${command.usage}\n      ${command.summary}`);
  io.out('');
  io.out(`Exit codes: ${EXIT.ok} ok, ${EXIT.failed} failed, ${EXIT.usage} bad input (nothing sent), ${EXIT.unknown} outcome unknown, ${EXIT.config} configuration.`);
}

export async function main(argv: string[], ctx: Omit<CommandContext, 'argv'>): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || name === '--help' || name === '-h') {
    help(ctx.io);
    return name === undefined ? EXIT.usage : EXIT.ok;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (!command) {
    ctx.io.err(`till: unknown command "${name}" (try: till help)`);
    return EXIT.usage;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    ctx.io.out(`usage: ${command.usage}`);
    return EXIT.ok;
  }
  try {
    return await command.run({ ...ctx, argv: rest });
  } catch (error) {
    if (error instanceof UsageError) {
      if (rest.includes('--json')) ctx.io.out(JSON.stringify({ error: { kind: 'usage', field: error.field ?? null, message: error.message } }));
      ctx.io.err(`till ${name}: ${error.message}`);
      ctx.io.err(`usage: ${command.usage}`);
      return EXIT.usage;
    }
    throw error;
  }
}

function stopSignal(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

const invokedDirectly = typeof require !== 'undefined' ? require.main === module : process.argv[1]?.endsWith('cli.ts');
if (invokedDirectly) {
  main(process.argv.slice(2), { env: process.env, io: processOutput, stopSignal: stopSignal() }).then(
    (code) => process.exit(code),
    (error: unknown) => {
      process.stderr.write(`till: internal error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
      process.exit(70);
    },
  );
}
