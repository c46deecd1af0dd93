#!/usr/bin/env node
/**
 * `npm start`: the desktop app. Electron's npm package does not contain Electron itself; it
 * downloads the binary on first use. Where that is impossible (offline machines, this project's
 * CI) the attempt would end in a confusing download error, so instead say what is missing and
 * open the same UI in browser mode. Pass --desktop-only to fail instead of falling back.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const electronDir = join(root, 'node_modules', 'electron');

function electronBinary() {
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) return process.env.ELECTRON_OVERRIDE_DIST_PATH;
  const pathFile = join(electronDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const exe = join(electronDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(exe) ? exe : null;
}

function run(cmd, args) {
  const child = spawn(cmd, args, { cwd: root, stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
}

const args = process.argv.slice(2);
if (electronBinary()) {
  run(join(root, 'node_modules', '.bin', 'electron-vite'), ['preview', ...args.filter((a) => a !== '--desktop-only')]);
} else {
  console.error(
    'No Electron binary is installed (node_modules/electron/dist is missing; Electron downloads it on first use).\n' +
      'To get the desktop app, on a machine with network access run: npx install-electron\n',
  );
  if (args.includes('--desktop-only')) process.exit(1);
  console.error('Opening browser mode instead: the same UI and engine, served on 127.0.0.1.\n');
  const build = spawnSync(join(root, 'node_modules', '.bin', 'vite'), ['build', '--config', 'vite.web.config.ts'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (build.status !== 0) process.exit(build.status ?? 1);
  run(join(root, 'bin', 'tracedeck'), ['serve', ...args]);
}
