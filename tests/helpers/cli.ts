import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';

export const BIN = resolve(__dirname, '../../bin/tracedeck');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs bin/tracedeck from an unrelated cwd, as a user would, and collects its output. */
export function tracedeck(args: string[], env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  return new Promise((ok, fail) => {
    const child = spawn(BIN, args, { cwd: tmpdir(), env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => (stdout += c));
    child.stderr.on('data', (c) => (stderr += c));
    child.on('error', fail);
    child.on('close', (code) => ok({ code, stdout, stderr }));
  });
}

/** Runs the CLI's main() in this process (same code as bin/tracedeck, much less load). */
export async function cliInProcess(...argv: string[]): Promise<CliRun & { code: number }> {
  const { main } = await import('../../src/cli/main');
  const io = {
    stdout: '',
    stderr: '',
    out: async (t: string) => void (io.stdout += t),
    err: (t: string) => void (io.stderr += t),
  };
  const code = await main(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}
