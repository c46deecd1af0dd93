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
  return {
    out: (text) =>
      new Promise((resolve, reject) => {
        if (process.stdout.write(terminalSafe(text))) resolve();
        else {
          process.stdout.once('drain', resolve);
          process.stdout.once('error', reject);
        }
      }),
    err: (text) => void process.stderr.write(terminalSafe(text)),
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
