import type { Backend, BackendOptions } from '../backend/handlers';
import { errorMessage } from '../backend/errors';
import { Workspace } from '../backend/host';
import { CliExit, EXIT } from './exitCodes';
import { terminalSafe } from './text';
import { packageVersion } from './version';

/**
 * A CLI command waits this long for another process's write lock (a second import queues
 * behind the first, saying so), then fails naming the workspace.
 */
const CLI_LOCK_WAIT_MS = 30 * 60_000;

/**
 * Opens the workspace, runs `fn` on it, and always closes it. A damaged workspace (quick_check
 * failed) opens read-only, with a warning on stderr; commands that write then fail saying so.
 */
export async function withWorkspace<T>(workspacePath: string, fn: (ws: Workspace) => Promise<T>): Promise<T> {
  let ws: Workspace;
  const say = (text: string) => void process.stderr.write(terminalSafe(text));
  try {
    ws = Workspace.open(workspacePath, {
      lockWaitMs: CLI_LOCK_WAIT_MS,
      onLockWait: (message) => say(`tracedeck: ${message}\n`),
    });
  } catch (e) {
    throw new CliExit(EXIT.failed, `cannot open workspace ${workspacePath}: ${errorMessage(e)}`);
  }
  const warn = () =>
    say(
      `tracedeck: warning: workspace ${workspacePath} is damaged (integrity check: ${ws.damaged}); ` +
        'it is open READ-ONLY: commands that write will fail. Export what you need, or repair a copy with `sqlite3 PATH .recover | sqlite3 NEW.tracedeck` and use that.\n',
    );
  const foundAtOpen = ws.damaged !== null;
  if (foundAtOpen) warn();
  try {
    return await fn(ws);
  } finally {
    // A big workspace is checked in the background: its answer may have come during the command.
    if (!foundAtOpen && ws.damaged) warn();
    ws.close();
  }
}

/**
 * Opens the workspace, runs `fn` with a backend over it, and always closes both. The backend
 * (every handler and the API's input schemas) is loaded here, on use: a read such as
 * `tracedeck ls` goes to the workspace directly and starts without it.
 */
export async function withBackend<T>(
  workspacePath: string,
  fn: (b: Backend) => Promise<T>,
  opts: Pick<BackendOptions, 'judgeRunModel'> = {},
): Promise<T> {
  const { createBackend } = await import('../backend/handlers');
  return withWorkspace(workspacePath, async (ws) => {
    const backend = createBackend({ ...opts, workspace: ws, mode: 'desktop', version: packageVersion() });
    try {
      return await fn(backend);
    } finally {
      await backend.close();
    }
  });
}
