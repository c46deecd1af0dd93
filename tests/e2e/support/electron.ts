import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO } from './paths';

/**
 * Where the Electron binary is, or why there is none. Mirrors node_modules/electron/index.js
 * without calling it: requiring that module when the binary is missing starts a download.
 */
export function findElectron(): { path: string } | { reason: string } {
  const pkgDir = join(REPO, 'node_modules/electron');
  if (!existsSync(join(pkgDir, 'package.json'))) return { reason: 'the electron package is not installed' };
  const pathFile = join(pkgDir, 'path.txt');
  const rel = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : '';
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const p = join(override, rel || 'electron');
    return existsSync(p) ? { path: p } : { reason: `ELECTRON_OVERRIDE_DIST_PATH set but ${p} does not exist` };
  }
  if (!rel) return { reason: `no Electron binary: ${pathFile} is missing (the package was installed without its binary)` };
  const p = join(pkgDir, 'dist', rel);
  return existsSync(p) ? { path: p } : { reason: `no Electron binary at ${p}` };
}

/** Electron needs an X server on Linux; start a private Xvfb when there is no display. */
export async function ensureDisplay(): Promise<{ env: NodeJS.ProcessEnv; stop(): void }> {
  if (process.platform !== 'linux' || process.env.DISPLAY) return { env: process.env, stop() {} };
  if (!existsSync('/usr/bin/Xvfb')) return { env: process.env, stop() {} };
  const display = `:${90 + Math.floor(Math.random() * 9)}`;
  const xvfb: ChildProcess = spawn('/usr/bin/Xvfb', [display, '-screen', '0', '1440x900x24', '-nolisten', 'tcp'], {
    stdio: 'ignore',
  });
  await new Promise((r) => setTimeout(r, 500));
  return {
    env: { ...process.env, DISPLAY: display },
    stop() {
      if (xvfb.pid && xvfb.exitCode === null) xvfb.kill('SIGTERM');
    },
  };
}
