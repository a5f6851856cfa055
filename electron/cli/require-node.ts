import { join } from 'node:path';
import { nodeProblem, requiredNode } from '../../scripts/node-version.cjs';
import { EXIT } from './io';

// Imported first by cli.ts, so it runs before anything loads better-sqlite3:
// on Node 20 that load is a segfault (exit 139) with no message. Say which
// Node is needed and how to run the command line with it instead.

const problem = nodeProblem(process.versions.node, requiredNode(join(__dirname, '../..')), 'The till command line');
if (problem) {
  process.stderr.write(`till: ${problem}\n`);
  process.exit(EXIT.config);
}
