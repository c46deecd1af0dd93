import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { noRemoteUrls } from './vite.guards.ts';

const here = import.meta.dirname;

/**
 * Desktop build (electron-vite 6): out/main (ESM, Node side, native better-sqlite3 stays an
 * external require), out/preload (one self-contained CommonJS file: sandboxed preloads cannot
 * load ES modules or anything from node_modules) and out/renderer (the same React app as
 * browser mode).
 */
export default defineConfig({
  main: {
    build: {
      outDir: resolve(here, 'out/main'),
      lib: { entry: resolve(here, 'src/main/index.ts') },
      // Dependencies in package.json are externalised by default; better-sqlite3 must be,
      // whatever happens to that default (a native .node addon cannot be bundled).
      externalizeDeps: true,
      rolldownOptions: { external: ['better-sqlite3'] },
    },
  },
  preload: {
    build: {
      outDir: resolve(here, 'out/preload'),
      lib: { entry: resolve(here, 'src/preload/index.ts') },
      externalizeDeps: false,
      rolldownOptions: { output: { format: 'cjs', entryFileNames: '[name].cjs' } },
    },
  },
  renderer: {
    root: resolve(here, 'src/renderer'),
    plugins: [react(), noRemoteUrls()],
    publicDir: false,
    build: {
      outDir: resolve(here, 'out/renderer'),
      assetsInlineLimit: 0,
      rolldownOptions: { input: resolve(here, 'src/renderer/index.html') },
    },
    worker: { format: 'es' },
  },
});
