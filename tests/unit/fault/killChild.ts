import { spawn } from 'node:child_process';
import { resolve } from 'node:path';

export const REPO = resolve(import.meta.dirname, '../../..');

export interface KilledChild {
  /** Every stdout line the child printed before it died. */
  lines: string[];
  stderr: string;
  signal: NodeJS.Signals | null;
  code: number | null;
  /** False when the child exited on its own before `killWhen` said so. */
  killed: boolean;
}

/**
 * Runs a TypeScript file in a fresh Node (`--import tsx`) and SIGKILLs it — no cleanup handler,
 * no finally block, no SQLite close can run — as soon as `killWhen` accepts a stdout line.
 * `onLine` may inspect the outside world first (e.g. the workspace file) and is awaited.
 */
export function runAndKill(
  script: string,
  args: string[],
  killWhen: (line: string) => boolean | Promise<boolean>,
  timeoutMs = 120_000,
): Promise<KilledChild> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], {
      cwd: REPO,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    let buf = '';
    let killed = false;
    let checking = Promise.resolve();
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      fail(new Error(`child did not reach the kill point in ${timeoutMs} ms; stderr: ${stderr.slice(-2000)}`));
    }, timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      const parts = buf.split('\n');
      buf = parts.pop() ?? '';
      for (const line of parts) {
        lines.push(line);
        checking = checking.then(async () => {
          if (killed || child.exitCode !== null) return;
          if (await killWhen(line)) {
            killed = true;
            child.kill('SIGKILL');
          }
        });
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', fail);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      void checking.then(() => done({ lines, stderr, signal, code, killed }));
    });
  });
}
