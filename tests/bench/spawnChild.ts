import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { ChildResult } from './importChild';

export type { ChildResult };

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CHILD = fileURLToPath(new URL('./importChild.ts', import.meta.url));

export interface ChildOptions {
  /** Extra node flags (e.g. a bigger heap for JSON.parse of a large file). */
  nodeArgs?: string[];
  wsDir?: string;
  timeoutMs?: number;
}

/**
 * Runs one measurement (see importChild.ts) in a fresh Node process — the same Node as this one,
 * which must be ≥ 22 for better-sqlite3 — and returns what it reported.
 */
export function runChild(mode: 'parse' | 'import', file: string, opts: ChildOptions = {}): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const args = [...(opts.nodeArgs ?? []), '--import', 'tsx', CHILD, mode, file, ...(opts.wsDir ? [opts.wsDir] : [])];
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = opts.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), opts.timeoutMs) : null;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      const line = out.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as ChildResult);
      } catch {
        // Crashed before reporting (out of memory, killed): say how, with the tail of stderr.
        resolve({
          mode,
          ok: false,
          error: `child exited ${signal ?? code}: ${err.trim().split('\n').slice(-5).join(' | ')}`,
          fileBytes: 0,
          ms: 0,
          rssBeforeBytes: 0,
          maxRssBytes: 0,
          spans: 0,
        });
      }
    });
  });
}
