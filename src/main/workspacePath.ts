import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';

/**
 * `--workspace=PATH` on the command line, else $TRACEDECK_WORKSPACE, else
 * <userData>/workspace.tracedeck. The parent folder is created.
 */
export function desktopWorkspacePath(userData: string, argv: string[], env: NodeJS.ProcessEnv): string {
  const flag = argv.find((a) => a.startsWith('--workspace='))?.slice('--workspace='.length);
  const path = resolve(flag || env.TRACEDECK_WORKSPACE || join(userData, 'workspace.tracedeck'));
  mkdirSync(dirname(path), { recursive: true });
  return path;
}
