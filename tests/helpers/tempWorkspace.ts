import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Workspace } from '../../src/core/store/workspace';

/** A fresh workspace file in a temp dir; call cleanup() in afterEach/afterAll. */
export function tempWorkspace(): { ws: Workspace; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'tracedeck-test-'));
  const ws = Workspace.open(join(dir, 'test.tracedeck'));
  return {
    ws,
    dir,
    cleanup: () => {
      ws.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
