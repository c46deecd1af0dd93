import { writerOf } from '../../../src/core/store/connection';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../../src/backend/handlers';
import { importFile } from '../../../src/core/import/importFile';
import { Workspace, WorkspaceReadOnlyError, withWorkspaceName } from '../../../src/core/store/workspace';
import { tracedeck } from '../../helpers/cli';
import { damagedWorkspace } from '../../helpers/damagedWorkspace';
import { fixture } from '../../helpers/workspace';

// Issue 11 items 9 and 10: a corrupt workspace used to open silently and keep accepting
// writes; SQLite's disk-full and locked errors did not say which file.

const LANGFUSE = fixture('langfuse/langfuse-vercel-aisdk-2025-11-17.trace.json');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tracedeck-damaged-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a damaged workspace', () => {
  it('is found on open and opened read-only: writes are refused naming the file', async () => {
    const path = await damagedWorkspace(dir);
    const ws = Workspace.open(path);
    try {
      expect(ws.damaged).toBeTruthy();
      // Reads still work as far as the file allows: the traces table is intact.
      expect(ws.listTraces().total).toBe(1);
      const e = await importFile(ws, LANGFUSE).catch((x: unknown) => x as Error);
      expect(e).toBeInstanceOf(Error);
      expect((e as Error).message).toMatch(new RegExp(`^${LANGFUSE.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: workspace .*damaged-.*\\.tracedeck is damaged \\(.+\\) and open read-only`));
      expect(ws.listTraces().total).toBe(1);
      await expect(ws.exclusive(async () => ws.deleteTrace('fixture-trace-1'))).rejects.toBeInstanceOf(WorkspaceReadOnlyError);
      // Even a statement that bypasses the write path cannot write: the connection is read-only.
      expect(() => writerOf(ws).prepare(`DELETE FROM traces`).run()).toThrow(/readonly/);
      const b = createBackend({ workspace: ws, mode: 'browser' });
      expect((await b.call('appInfo', {})).workspaceDamaged).toBe(ws.damaged);
      const [outcome] = await b.importPaths([LANGFUSE]);
      expect(outcome!.ok).toBe(false);
      expect(outcome!.error).toContain('is damaged');
    } finally {
      ws.close();
    }
  });

  it('a big file is checked in the background: read at once, and no write lands before the answer', async () => {
    const path = await damagedWorkspace(dir);
    // Every file counts as big here (the real threshold is 64 MiB: quick_check reads the whole file).
    const ws = Workspace.open(path, { backgroundCheckFromBytes: 0 });
    try {
      expect(ws.damaged).toBeNull(); // not answered yet
      expect(ws.listTraces().total).toBe(1);
      // The write waits for the check, which finds the damage: refused, nothing written.
      await expect(ws.exclusive(async () => ws.deleteTrace('fixture-trace-1'))).rejects.toBeInstanceOf(WorkspaceReadOnlyError);
      expect(ws.damaged).toMatch(/.+/);
      expect(ws.listTraces().total).toBe(1);
      const e = await importFile(ws, LANGFUSE).catch((x: unknown) => x as Error);
      expect((e as Error).message).toContain('is damaged');
    } finally {
      ws.close();
    }
    const again = Workspace.open(path);
    try {
      expect(again.damaged).toMatch(/.+/);
    } finally {
      again.close();
    }
  });

  it('damage a background check finds after the app started reaches its pages as an event', async () => {
    const path = await damagedWorkspace(dir);
    const ws = Workspace.open(path, { backgroundCheckFromBytes: 0 });
    const backend = createBackend({ workspace: ws, mode: 'browser' });
    const events: unknown[] = [];
    const unsubscribe = backend.events.subscribe((e) => events.push(e));
    try {
      // What a page asks as it boots, before the check answered: sound.
      expect(((await backend.dispatch('appInfo', {})) as { workspaceDamaged: string | null }).workspaceDamaged).toBeNull();
      const found = await ws.integrityChecked();
      expect(found).toMatch(/.+/);
      await new Promise((r) => setImmediate(r));
      expect(events).toEqual([{ type: 'workspace-damaged', reason: found }]);
      expect(((await backend.dispatch('appInfo', {})) as { workspaceDamaged: string | null }).workspaceDamaged).toBe(found);
    } finally {
      unsubscribe();
      ws.close();
    }
    // A sound big file says nothing.
    const soundPath = join(dir, 'big-sound-events.tracedeck');
    const first = Workspace.open(soundPath);
    await importFile(first, LANGFUSE);
    first.close();
    const sound = Workspace.open(soundPath, { backgroundCheckFromBytes: 0 });
    const quiet = createBackend({ workspace: sound, mode: 'browser' });
    const none: unknown[] = [];
    const off = quiet.events.subscribe((e) => none.push(e));
    try {
      expect(await sound.integrityChecked()).toBeNull();
      await new Promise((r) => setImmediate(r));
      expect(none).toEqual([]);
    } finally {
      off();
      sound.close();
    }
  });

  it('a big sound file: writes go in once its background check passes; closing stops the check', async () => {
    const path = join(dir, 'big-sound.tracedeck');
    const first = Workspace.open(path);
    await importFile(first, LANGFUSE);
    first.close();
    const ws = Workspace.open(path, { backgroundCheckFromBytes: 0 });
    try {
      await expect(ws.exclusive(async () => ws.deleteTrace(ws.listTraces().rows[0]!.traceId))).resolves.toBe(true);
      expect(ws.damaged).toBeNull();
      expect(ws.listTraces().total).toBe(0);
    } finally {
      ws.close();
    }
    // Closed before its check answered: nothing hangs, nothing is reported.
    const quick = Workspace.open(path, { backgroundCheckFromBytes: 0 });
    quick.close();
    expect(quick.damaged).toBeNull();
  });

  it('a sound workspace reports nothing', () => {
    const ws = Workspace.open(join(dir, 'sound.tracedeck'));
    try {
      expect(ws.damaged).toBeNull();
    } finally {
      ws.close();
    }
  });

  it('the CLI warns on every open and fails an import, naming the file', async () => {
    const path = await damagedWorkspace(dir);
    const ls = await tracedeck(['ls', '--workspace', path]);
    expect(ls.code).toBe(0);
    expect(ls.stderr).toMatch(new RegExp(`^tracedeck: warning: workspace ${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is damaged \\(integrity check: .+\\); it is open READ-ONLY`));
    const imp = await tracedeck(['import', LANGFUSE, '--workspace', path]);
    expect(imp.code).toBe(1);
    expect(imp.stderr).toContain(`tracedeck: import failed: ${LANGFUSE}: workspace ${path} is damaged`);
  }, 120_000);
});

describe('SQLite errors name the workspace file', () => {
  it('disk full, locked, read-only', () => {
    const mk = (code: string, message: string) => Object.assign(new Error(message), { code });
    const p = '/data/team.tracedeck';
    expect((withWorkspaceName(p, mk('SQLITE_FULL', 'database or disk is full')) as Error).message).toBe(
      `workspace ${p}: database or disk is full (the disk holding it is full: free space and try again; nothing from this write was stored)`,
    );
    expect((withWorkspaceName(p, mk('SQLITE_BUSY', 'database is locked')) as Error).message).toBe(
      `workspace ${p}: database is locked (another process is writing it; try again in a moment)`,
    );
    expect((withWorkspaceName(p, mk('SQLITE_READONLY', 'attempt to write a readonly database')) as Error).message).toMatch(
      new RegExp(`^workspace ${p}: attempt to write a readonly database`),
    );
    // Not an SQLite error: untouched.
    const other = new Error('boom');
    expect(withWorkspaceName(p, other)).toBe(other);
  });

  it('a real locked workspace: the busy error names the file and the work', async () => {
    const path = join(dir, 'locked.tracedeck');
    const a = Workspace.open(path);
    const b = Workspace.open(path, { lockWaitMs: 50 });
    try {
      writerOf(a).exec('BEGIN IMMEDIATE');
      await expect(b.exclusive(async () => undefined, { what: 'import of x.json' })).rejects.toThrow(
        `workspace ${path} is busy: another process is writing it (import of x.json not done); try again in a moment`,
      );
      writerOf(a).exec('COMMIT');
      await expect(b.exclusive(async () => 'ok')).resolves.toBe('ok');
    } finally {
      b.close();
      a.close();
    }
  });
});
