import type { Backend } from '../backend/handlers';
import { Workspace } from '../core/store/workspace';
import { errorMessage } from '../core/util/errors';
import { CliExit, EXIT } from './exitCodes';
import { packageVersion } from './version';

/** Opens the workspace, runs `fn` on it, and always closes it. */
export async function withWorkspace<T>(workspacePath: string, fn: (ws: Workspace) => Promise<T>): Promise<T> {
  let ws: Workspace;
  try {
    ws = Workspace.open(workspacePath);
  } catch (e) {
    throw new CliExit(EXIT.failed, `cannot open workspace ${workspacePath}: ${errorMessage(e)}`);
  }
  try {
    return await fn(ws);
  } finally {
    ws.close();
  }
}

/**
 * Opens the workspace, runs `fn` with a backend over it, and always closes the workspace. The
 * backend (every handler and the API's input schemas) is loaded here, on use: a read such as
 * `tracedeck ls` goes to the workspace directly and starts without it.
 */
export async function withBackend<T>(workspacePath: string, fn: (b: Backend) => Promise<T>): Promise<T> {
  const { createBackend } = await import('../backend/handlers');
  return withWorkspace(workspacePath, (ws) => fn(createBackend({ workspace: ws, mode: 'desktop', version: packageVersion() })));
}
