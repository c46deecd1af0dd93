import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';
import { noRemoteUrls } from './vite.guards.ts';

const root = resolve(import.meta.dirname, 'src/renderer');

/**
 * Browser-mode renderer (served by `tracedeck serve` and the e2e tests from out/web). Relative
 * base so the same files work under any mount point; no CDN: every asset is bundled.
 */
export default defineConfig({
  root,
  base: './',
  plugins: [react(), noRemoteUrls()],
  publicDir: false,
  build: {
    outDir: resolve(import.meta.dirname, 'out/web'),
    emptyOutDir: true,
    target: 'chrome120',
    sourcemap: true,
    // Emit every asset as a same-origin file: the CSP allows data: only for images.
    assetsInlineLimit: 0,
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 4096,
  },
  // Workers (Monaco, later) must be same-origin module files: worker-src 'self' blob:.
  worker: { format: 'es' },
  server: { strictPort: false },
});
