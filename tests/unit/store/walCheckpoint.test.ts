/**
 * A file import's publish runs with the workspace's automatic checkpoint paused, the checkpoint
 * itself on a worker thread (store/walCheckpoint.ts). Imports at once must not leave it off.
 */
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/importFile';
import { writerOf } from '../../../src/core/store/connection';
import { checkpointOffThread, pauseAutoCheckpoint } from '../../../src/core/store/walCheckpoint';
import { tempWorkspace } from '../../helpers/tempWorkspace';

const FIXTURES = join(__dirname, '../../fixtures');
let cleanup: (() => void) | undefined;
afterEach(() => cleanup?.());

function workspace() {
  const t = tempWorkspace();
  cleanup = t.cleanup;
  return t.ws;
}

describe('automatic checkpoint around a publish', () => {
  it('resumes after the last of several pauses, with the setting it had', () => {
    const ws = workspace();
    const db = writerOf(ws);
    const setting = () => db.pragma('wal_autocheckpoint', { simple: true });
    const before = setting();
    const a = pauseAutoCheckpoint(ws);
    const b = pauseAutoCheckpoint(ws);
    expect(setting()).toBe(0);
    a();
    a();
    expect(setting()).toBe(0);
    b();
    expect(setting()).toBe(before);
  });

  it('is on again after imports run at once, and their pages reach the workspace file', async () => {
    const ws = workspace();
    const before = writerOf(ws).pragma('wal_autocheckpoint', { simple: true });
    const results = await Promise.all([
      importFile(ws, join(FIXTURES, 'otlp-json/handmade-otlp-session-three-turns.json')),
      importFile(ws, join(FIXTURES, 'jaeger-json/jaeger-ui-download-2992f2a5-follows-from.json')),
    ]);
    expect(writerOf(ws).pragma('wal_autocheckpoint', { simple: true })).toBe(before);
    await checkpointOffThread(ws);
    const [row] = writerOf(ws).pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    expect(row!.log).toBe(row!.checkpointed);
    expect(ws.listTraces({}).total).toBe(results.reduce((n, r) => n + r.traceIds.length, 0));
  });
});
