import { createBackend, type Backend } from '../backend/handlers';
import { Workspace } from '../core/store/workspace';
import { errorMessage } from '../core/util/errors';
import { CliExit, EXIT } from './exitCodes';
import { packageVersion } from './version';

/** Opens the workspace, runs `fn` with a backend over it, and always closes the workspace. */
export async function withBackend<T>(workspacePath: string, fn: (b: Backend) => Promise<T>): Promise<T> {
  let ws: Workspace;
  try {
    ws = Workspace.open(workspacePath);
  } catch (e) {
    throw new CliExit(EXIT.failed, `cannot open workspace ${workspacePath}: ${errorMessage(e)}`);
  }
  const backend = createBackend({ workspace: ws, mode: 'desktop', version: packageVersion() });
  try {
    return await fn(backend);
  } finally {
    await backend.close();
    ws.close();
  }
}
