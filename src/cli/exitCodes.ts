/** Process exit codes; documented in docs/cli.md. */
export const EXIT = {
  ok: 0,
  /** Something failed (a file did not import, the server could not start…). */
  failed: 1,
  /** The command line was wrong. */
  usage: 2,
  /** The trace asked for is not in the workspace. */
  notFound: 3,
} as const;

export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure already explained to the user; carries the exit code. */
export class CliExit extends Error {
  constructor(
    readonly code: number,
    message: string,
  ) {
    super(message);
    this.name = 'CliExit';
  }
}
