#!/usr/bin/env node
/**
 * Compiles the CLI (src/cli/main.ts and everything it imports from src/) to plain JavaScript in
 * out/cli, so `bin/tracedeck` starts without compiling TypeScript at every run (tsx took ~2 s of
 * a 2.5 s `tracedeck ls`). Runs at `npm install` / `npm ci` (the `prepare` script) and from
 * bin/tracedeck when a source file is newer than the build.
 *
 * Code splitting keeps the CLI's lazy command loading lazy: each command and its imports (SQLite,
 * the importers, TypeScript for judges) is a chunk loaded only when that command runs. npm
 * packages stay external and load from node_modules as before.
 *
 * The build goes to a fresh directory that then replaces out/cli, so a CLI started meanwhile
 * never sees half-written chunks.
 */
import { existsSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(repo, 'out', 'cli');
const tmpDir = `${outDir}.build-${process.pid}`;
const quiet = process.argv.includes('--quiet');

let esbuild;
try {
  esbuild = await import('esbuild');
} catch {
  // A production install without dev tools: bin/tracedeck falls back to running the sources.
  if (!quiet) console.error('build-cli: esbuild is not installed; bin/tracedeck will run src/cli through tsx');
  process.exit(0);
}

rmSync(tmpDir, { recursive: true, force: true });
await esbuild.build({
  entryPoints: { main: join(repo, 'src/cli/main.ts') },
  outdir: tmpDir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node22',
  packages: 'external',
  sourcemap: 'linked',
  outExtension: { '.js': '.mjs' },
  // Chunks beside main.mjs: modules that find files relative to themselves (package.json,
  // out/web) resolve the same from src/cli, src/server and out/cli.
  chunkNames: '[name]-[hash]',
  logLevel: quiet ? 'error' : 'warning',
  tsconfig: join(repo, 'tsconfig.json'),
});
writeFileSync(join(tmpDir, 'BUILT'), `${new Date().toISOString()}\n`);
const old = `${outDir}.old-${process.pid}`;
if (existsSync(outDir)) renameSync(outDir, old);
renameSync(tmpDir, outDir);
rmSync(old, { recursive: true, force: true });
if (!quiet) console.log(`build-cli: wrote ${outDir}`);
