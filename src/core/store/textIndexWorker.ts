import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type { Workspace } from './workspace';
import { lockWaitersOf } from './connection';

/**
 * The text index build's chunk loop (store/view.ts indexTextChunks) on a worker thread: its own
 * SQLite connection to the workspace file, one short write transaction per chunk (BEGIN
 * IMMEDIATE, so it queues for the write lock like another process's writer would), the trace's
 * version checked in each, and a gap after it whenever a writer of this process is waiting for
 * the lock (so the build never starves them, as the chunks through `ws.exclusive` did not). Stops when the trace moves on; the caller stops it when the
 * workspace closes. The SQL comes from view.ts, so there is one copy of it.
 */

interface OffThreadBuild {
  traceId: string;
  fingerprint: string;
  lo: number;
  hi: number;
  chunk: number;
  fingerprintSql: string;
  indexSql: string;
}

/** How long one chunk waits for the write lock before the build gives up (searches then scan). */
const BUSY_MS = 30_000;

/** Longer than the workspace's longest lock poll interval (workspace.ts beginWrite: 50 ms). */
const GAP_MS = 75;

export const SQLITE_DRIVER = createRequire(import.meta.url).resolve('better-sqlite3');

// Plain CommonJS run with `eval: true`: no bundler entry point and no TypeScript loader needed
// in the CLI build, the Electron main process or the tests.
const SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
const Database = require(w.driver);
const db = new Database(w.path, { timeout: w.busyMs });
const pause = new Int32Array(new SharedArrayBuffer(4));
function run() {
  const version = db.prepare(w.fingerprintSql);
  const index = db.prepare(w.indexSql);
  for (let lo = w.lo; lo <= w.hi; lo += w.chunk) {
    db.exec('BEGIN IMMEDIATE');
    try {
      const row = version.get(w.traceId);
      if (!row || row.fp !== w.fingerprint) {
        db.exec('ROLLBACK');
        return false;
      }
      index.run(lo, Math.min(lo + w.chunk, w.hi + 1));
      db.exec('COMMIT');
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw e;
    }
    // A writer of the importing process is polling for the lock (every <= 50 ms): let it in.
    if (Atomics.load(w.lockWaiters, 0) > 0) Atomics.wait(pause, 0, 0, w.gapMs);
    parentPort.postMessage({ chunk: lo });
  }
  return true;
}
try {
  parentPort.postMessage({ done: run() });
} finally {
  db.close();
}
`;

export function indexOffThread(ws: Workspace, build: OffThreadBuild): Promise<boolean> {
  return new Promise((resolve, reject) => {
    let done = false;
    const worker = new Worker(SOURCE, {
      eval: true,
      execArgv: [],
      workerData: { ...build, driver: SQLITE_DRIVER, path: ws.path, busyMs: BUSY_MS, lockWaiters: lockWaitersOf(ws), gapMs: GAP_MS },
    });
    worker.on('message', (m: { done?: boolean }) => {
      if (m.done !== undefined) done = m.done;
      else if (!ws.isOpen) void worker.terminate(); // closed meanwhile: the build is not wanted
    });
    worker.on('error', reject);
    worker.on('exit', () => resolve(done));
  });
}
