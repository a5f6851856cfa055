import { readFileSync, readdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

// DESIGN.md, "Layout": only the five shell files load electron at run time.
// Every other module under electron/, and all of shared/ and renderer/, must
// have no runtime import of 'electron', 'electron-store' or 'electron-updater' — `import type`
// is fine (it is erased). The source is parsed with the TypeScript compiler,
// so multi-line imports, re-exports, require() and import() all count.

const ROOT = resolve(__dirname, '../../../..');
const SHELL = new Set(['electron/main.ts', 'electron/windows.ts', 'electron/ipc.ts', 'electron/settings.ts', 'electron/preload.ts']);
const FORBIDDEN = /^electron(-store|-updater)?(\/.*)?$/;

function sourcesUnder(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => /\.tsx?$/.test(file) && !file.endsWith('.d.ts'))
    .map((file) => relative(ROOT, join(ROOT, dir, file)).split('\\').join('/'))
    .sort();
}

/** Module specifiers this source loads at run time (type-only imports and exports excluded). */
function runtimeImports(source: string, fileName = 'file.ts'): string[] {
  const file = ts.createSourceFile(fileName, source, ts.ScriptTarget.Latest, true, fileName.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const text = (node: ts.Expression | undefined) => (node && ts.isStringLiteralLike(node) ? node.text : undefined);
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            clause.namedBindings !== undefined &&
            ts.isNamedImports(clause.namedBindings) &&
            clause.namedBindings.elements.length > 0 &&
            clause.namedBindings.elements.every((e) => e.isTypeOnly)));
      const spec = text(node.moduleSpecifier);
      if (spec && !typeOnly) found.push(spec);
    } else if (ts.isExportDeclaration(node)) {
      const spec = text(node.moduleSpecifier);
      const typeOnly = node.isTypeOnly || (node.exportClause !== undefined && ts.isNamedExports(node.exportClause) && node.exportClause.elements.length > 0 && node.exportClause.elements.every((e) => e.isTypeOnly));
      if (spec && !typeOnly) found.push(spec);
    } else if (ts.isImportEqualsDeclaration(node)) {
      if (!node.isTypeOnly && ts.isExternalModuleReference(node.moduleReference)) {
        const spec = text(node.moduleReference.expression);
        if (spec) found.push(spec);
      }
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      const isDynamicImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const spec = text(node.arguments[0]);
      if ((isRequire || isDynamicImport) && spec) found.push(spec);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

const electronImports = (source: string, fileName?: string) => runtimeImports(source, fileName).filter((spec) => FORBIDDEN.test(spec));

describe('the import detector (so the real check can fail)', () => {
  it.each([
    ["import { app } from 'electron';"],
    ["import electron from 'electron';"],
    ["import * as e from 'electron';"],
    ["import 'electron';"],
    ["import Store from 'electron-store';"],
    ["import { autoUpdater } from 'electron-updater';"],
    ["import {\n  app,\n  BrowserWindow,\n} from 'electron';"],
    ["import { type App, BrowserWindow } from 'electron';"],
    ["export { app } from 'electron';"],
    ["export * from 'electron';"],
    ["const { app } = require('electron');"],
    ["const e = await import('electron');"],
    ["import e = require('electron');"],
    ["function f() { return require(\"electron/main\"); }"],
  ])('finds %s', (source) => {
    expect(electronImports(source)).not.toEqual([]);
  });

  it.each([
    ["import type { App } from 'electron';"],
    ["import { type App, type WebContents } from 'electron';"],
    ["export type { App } from 'electron';"],
    ["// import { app } from 'electron';"],
    ["/* require('electron') */"],
    ["const text = \"import { app } from 'electron'\";"],
    ["import { electron } from './electron-helpers';"],
    ["import x from 'electron-vite';"],
    ["import type { AppUpdater } from 'electron-updater';"],
  ])('ignores %s', (source) => {
    expect(electronImports(source)).toEqual([]);
  });

  it('reads .tsx', () => {
    expect(electronImports("import { ipcRenderer } from 'electron';\nexport const A = () => <div />;", 'a.tsx')).toEqual(['electron']);
  });
});

describe('no runtime electron import outside the shell', () => {
  const electronFiles = sourcesUnder('electron');
  const nonShell = electronFiles.filter((file) => !SHELL.has(file));
  const shared = sourcesUnder('shared');
  const renderer = sourcesUnder('renderer');

  it('finds the files it checks (and the five shell files exist)', () => {
    for (const file of SHELL) expect(electronFiles).toContain(file);
    expect(nonShell.length).toBeGreaterThan(30);
    expect(shared).toContain('shared/contract.ts');
    expect(renderer.some((file) => file.endsWith('.tsx'))).toBe(true);
  });

  it.each([...nonShell, ...shared, ...renderer])('%s', (file) => {
    expect(electronImports(readFileSync(join(ROOT, file), 'utf8'), file)).toEqual([]);
  });

  it('the shell files are where electron is used (the check is looking at the right thing)', () => {
    for (const file of ['electron/main.ts', 'electron/windows.ts', 'electron/settings.ts', 'electron/preload.ts']) {
      expect(electronImports(readFileSync(join(ROOT, file), 'utf8'), file), file).not.toEqual([]);
    }
  });
});
