/**
 * The browser-mode UI that `tracedeck serve` serves from out/web, built once for the e2e tests and
 * the benches alike: always a production build (NODE_ENV=production — vitest sets NODE_ENV=test,
 * which would give React's development build, several times slower, what no user runs and what
 * would skew every bench figure), rebuilt when a file it is made from is newer than the build.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const REPO = resolve(import.meta.dirname, '../..');
const WEB_DIR = resolve(REPO, 'out/web');

/** What the web build is made from. */
const INPUTS = ['src/renderer', 'src/shared', 'src/core/model', 'vite.web.config.ts', 'vite.guards.ts', 'package.json'];

/** Newest mtime under the given files/folders. */
function newestMtime(paths: string[]): number {
  let newest = 0;
  const stack = paths.map((p) => resolve(REPO, p)).filter((p) => existsSync(p));
  while (stack.length) {
    const p = stack.pop()!;
    const st = statSync(p);
    if (st.isDirectory()) for (const e of readdirSync(p)) stack.push(join(p, e));
    else newest = Math.max(newest, st.mtimeMs);
  }
  return newest;
}

/** Builds out/web unless it is newer than its sources (`force`: always). Returns its folder. */
export function ensureWebBuild(log: (message: string) => void, force = false): string {
  const index = join(WEB_DIR, 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (!force && builtAt > newestMtime(INPUTS)) return WEB_DIR;
  log(`building the production web UI into ${WEB_DIR} (vite build --config vite.web.config.ts) …`);
  execFileSync(process.execPath, [resolve(REPO, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn'], {
    cwd: REPO,
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, NODE_ENV: 'production', VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  if (!existsSync(index)) throw new Error(`vite build produced no ${index}`);
  return WEB_DIR;
}
