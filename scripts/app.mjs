#!/usr/bin/env node
import { spawnSync } from 'node:child_process';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensureElectron, missingElectronMessage } from './electron-binary.mjs';
import { nodeProblem, requiredNode } from './node-version.cjs';

// `npm start`, `npm run dev` and `npm run dist`: check the Node, make sure the
// Electron binary is there, then hand over to electron-vite (and
// electron-builder for dist). Extra arguments go to the last tool.

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const STEPS = {
  start: [['electron-vite', 'preview']],
  dev: [['electron-vite', 'dev']],
  dist: [['electron-vite', 'build'], ['electron-builder', '--config', 'build/electron-builder.json']],
};
const BINS = { 'electron-vite': 'node_modules/electron-vite/bin/electron-vite.js', 'electron-builder': 'node_modules/electron-builder/cli.js' };

function fail(message) {
  process.stderr.write(`\n${message}\n\n`);
  process.exit(1);
}

const [command, ...extra] = process.argv.slice(2);
const steps = STEPS[command];
if (!steps) fail(`usage: node scripts/app.mjs ${Object.keys(STEPS).join('|')} [arguments for the last tool]`);

const wrongNode = nodeProblem(process.versions.node, requiredNode(ROOT), `npm ${command === 'start' ? 'start' : `run ${command}`}`);
if (wrongNode) fail(wrongNode);

const electron = ensureElectron(ROOT);
if (!electron.ok) fail(missingElectronMessage(electron.status.version, electron.reason));

steps.forEach(([tool, ...args], index) => {
  const last = index === steps.length - 1;
  const run = spawnSync(process.execPath, [resolve(ROOT, BINS[tool]), ...args, ...(last ? extra : [])], { cwd: ROOT, stdio: 'inherit' });
  if (run.error) fail(`${tool} could not run: ${run.error.message}`);
  if (run.status !== 0) process.exit(run.status ?? 1);
});
