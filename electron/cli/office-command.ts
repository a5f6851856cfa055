import { UsageError, type Command } from './io';
import { officeInit } from './office-init';
import { officeReconcile } from './office-reconcile';
import { officeReport, officeStatusCommand } from './office-report';
import { officeServe } from './office-serve';

// `till office …`: head office's commands, one file per subcommand.

const SUBCOMMANDS: Record<string, Command['run']> = {
  init: officeInit,
  report: officeReport,
  status: officeStatusCommand,
  reconcile: officeReconcile,
  serve: officeServe,
};

export const officeCommand: Command = {
  name: 'office',
  summary: 'head office over PostgreSQL: init (roles), report x|z, status, reconcile, serve (the owner\'s page)',
  usage: 'till office init|report|status|reconcile|serve [--database-url URL] … (till office <sub> --help)',
  async run(ctx) {
    const [sub, ...rest] = ctx.argv;
    const run = sub === undefined ? undefined : SUBCOMMANDS[sub];
    if (!run) throw new UsageError(`give one of: ${Object.keys(SUBCOMMANDS).join(', ')}`);
    return run({ ...ctx, argv: rest });
  },
};
