'use strict';
const { readFileSync } = require('node:fs');
const { join } = require('node:path');

// The Node this project needs is package.json's engines.node: better-sqlite3 13
// (the journal) and Electron 45's tooling need 22.12 or later. Node 20 loads
// better-sqlite3 and dies with a segfault (exit 139) and no message, so every
// entry point checks first. Plain CommonJS: it must run on the wrong Node too,
// from scripts/app.mjs and from the till command line.

/** The minimum version in engines.node (">=22.12" → [22, 12]). */
function requiredNode(root) {
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const range = (pkg.engines && pkg.engines.node) || '';
  const match = /^>=\s*(\d+)(?:\.(\d+))?$/.exec(range);
  if (!match) throw new Error(`package.json engines.node is not ">=MAJOR.MINOR": ${range}`);
  return [Number(match[1]), Number(match[2] || 0)];
}

/** A sentence saying what is wrong and how to run it instead, or null when `version` ("22.23.3") is new enough. */
function nodeProblem(version, required, what) {
  const [major, minor] = required;
  const have = version.replace(/^v/, '');
  const [haveMajor, haveMinor] = have.split('.').map(Number);
  if (haveMajor > major || (haveMajor === major && haveMinor >= minor)) return null;
  return (
    `${what} needs Node ${major}.${minor} or later; this is Node ${have}. ` +
    'Run it through npm, which uses the Node 22 that `npm install` put in node_modules ' +
    '(`npm start`, `npm test`, `npm run till -- help`), or with that Node directly: ' +
    '`node_modules/.bin/node node_modules/.bin/tsx electron/cli.ts help`.'
  );
}

module.exports = { requiredNode, nodeProblem };
