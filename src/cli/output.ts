import { terminalSafe } from './text';

/**
 * stdout/stderr writers that respect back-pressure: `show` of a 1M-span trace must stream
 * instead of piling megabytes into the pipe buffer, and output must be complete before exit.
 */
export interface Output {
  out(text: string): Promise<void>;
  err(text: string): void;
}

/**
 * Everything goes through terminalSafe: trace content (names, attributes, errors) is untrusted
 * and must not drive the user's terminal (clear the screen, set the title, reverse text).
 */
export function processOutput(): Output {
  return streamOutput(process.stdout, process.stderr);
}

/**
 * Writes to `stdout`, waiting for 'drain' when its buffer is full. Each wait adds a 'drain' and an
 * 'error' listener and removes both when either fires: leaving the unused one behind piled up a
 * listener per blocked write (MaxListenersExceededWarning on `show --json | cat`).
 */
export function streamOutput(stdout: NodeJS.WritableStream, stderr: NodeJS.WritableStream): Output {
  return {
    out: (text) =>
      new Promise((resolve, reject) => {
        if (stdout.write(terminalSafe(text))) return resolve();
        const onDrain = () => {
          stdout.removeListener('error', onError);
          resolve();
        };
        const onError = (e: Error) => {
          stdout.removeListener('drain', onDrain);
          reject(e);
        };
        stdout.once('drain', onDrain);
        stdout.once('error', onError);
      }),
    err: (text) => void stderr.write(terminalSafe(text)),
  };
}

/** Buffers small writes into fewer, larger ones. */
export class LineBuffer {
  private parts: string[] = [];
  private size = 0;
  constructor(
    private readonly output: Output,
    private readonly flushAt = 64 * 1024,
  ) {}

  async line(text: string): Promise<void> {
    this.parts.push(text, '\n');
    this.size += text.length + 1;
    if (this.size >= this.flushAt) await this.flush();
  }

  async flush(): Promise<void> {
    if (this.parts.length === 0) return;
    const text = this.parts.join('');
    this.parts = [];
    this.size = 0;
    await this.output.out(text);
  }
}
