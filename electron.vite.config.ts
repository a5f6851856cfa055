import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

// main and preload bundle for Electron's Node; the preload runs sandboxed, so
// it is one self-contained CommonJS file (zod included). electron-store is
// ESM-only and is bundled into main rather than required at run time.

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: { exclude: ['electron-store'] },
      rollupOptions: { input: { main: resolve(__dirname, 'electron/main.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rollupOptions: {
        input: { preload: resolve(__dirname, 'electron/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].js' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    base: './',
    plugins: [react()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      minify: true,
      rollupOptions: {
        input: {
          cashier: resolve(__dirname, 'renderer/cashier.html'),
          customer: resolve(__dirname, 'renderer/customer.html'),
        },
      },
    },
  },
});
