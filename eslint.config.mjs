import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', 'test/e2e/artifacts/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    // Only the five shell files may load electron at runtime (DESIGN.md, "Layout").
    files: ['electron/**/*.ts', 'shared/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx'],
    ignores: ['electron/main.ts', 'electron/windows.ts', 'electron/ipc.ts', 'electron/settings.ts', 'electron/preload.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'Only the shell files import electron; inject what you need.', allowTypeImports: true },
            { name: 'electron-store', message: 'electron-store loads electron: keep it in electron/settings.ts.' },
            { name: 'electron-updater', message: 'electron-updater loads electron: main.ts passes its autoUpdater in.', allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    // Plain CommonJS that must run on any Node (scripts/node-version.cjs).
    files: ['**/*.cjs'],
    rules: { '@typescript-eslint/no-require-imports': 'off' },
  },
  {
    files: ['shared/**/*.ts', 'renderer/**/*.ts', 'renderer/**/*.tsx'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['node:*'], message: 'shared/ and renderer/ run in the browser too.' }] }],
    },
  },
);
