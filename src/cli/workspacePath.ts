import { mkdirSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/**
 * --workspace, else $TRACEDECK_WORKSPACE, else the per-user default
 * ($XDG_DATA_HOME or ~/.local/share)/tracedeck/workspace.tracedeck. Parent folders are created.
 */
export function resolveWorkspacePath(flag: string | undefined, env: NodeJS.ProcessEnv = process.env): string {
  const chosen = flag || env.TRACEDECK_WORKSPACE || join(env.XDG_DATA_HOME || join(homedir(), '.local', 'share'), 'tracedeck', 'workspace.tracedeck');
  const path = resolve(chosen);
  mkdirSync(dirname(path), { recursive: true });
  return path;
}
