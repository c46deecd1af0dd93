import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { REPO, WEB_DIR } from './paths';

/** Newest mtime under the given files/folders (what the web build is made from). */
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

const INPUTS = ['src/renderer', 'src/shared', 'src/core/model', 'vite.web.config.ts', 'vite.guards.ts', 'package.json'];

/** Build out/web once per run, and only when a source is newer than the last build. */
export default function setup(): void {
  const index = join(WEB_DIR, 'index.html');
  const builtAt = existsSync(index) ? statSync(index).mtimeMs : 0;
  if (builtAt > newestMtime(INPUTS) && process.env.TRACEDECK_E2E_REBUILD !== '1') return;
  const vite = resolve(REPO, 'node_modules/vite/bin/vite.js');
  process.stderr.write('[e2e] building the web renderer (vite build --config vite.web.config.ts)…\n');
  execFileSync(process.execPath, [vite, 'build', '--config', 'vite.web.config.ts', '--logLevel', 'warn'], {
    cwd: REPO,
    stdio: 'inherit',
    env: { ...process.env, VITE_CONFIG_NATIVE_IGNORE_WARNING: 'true' },
  });
  if (!existsSync(index)) throw new Error(`vite build did not produce ${index}`);
}
