import { Worker } from 'node:worker_threads';
import { writerOf } from './connection';
import { SQLITE_DRIVER } from './textIndexWorker';
import type { Workspace } from './workspace';

/**
 * A file import's publish commits the whole file into the WAL in one transaction (store/staging.ts);
 * SQLite's automatic checkpoint would then copy all of it into the workspace file and fsync it,
 * inside that COMMIT, on the importing thread (~0.4 s per 100k spans). Instead the publish runs
 * with the automatic checkpoint off and the checkpoint runs on a worker thread with its own
 * connection, while the import's thread prepares the view (core/view prepareTraces); the
 * automatic one resumes after it (were it on meanwhile, the next commit of the view's preparation
 * would do the whole checkpoint on the importing thread). Committed is committed either way: a
 * checkpoint moves pages, it decides nothing about atomicity.
 */

/** Per writer connection: imports pausing now, and the setting to restore after the last one. */
const paused = new WeakMap<object, { count: number; pages: number }>();

/**
 * Turns the automatic checkpoint of this process's writer connection off until the returned
 * function is called. Imports running at once each pause it; it resumes after the last of them.
 * (The text index worker's connection keeps its own: while this checkpoint runs, the worker's
 * automatic ones return at once, as PASSIVE ones do when another is running.)
 */
export function pauseAutoCheckpoint(ws: Workspace): () => void {
  if (ws.path === ':memory:') return () => undefined;
  const db = writerOf(ws);
  let p = paused.get(db);
  if (!p) {
    p = { count: 0, pages: db.pragma('wal_autocheckpoint', { simple: true }) as number };
    paused.set(db, p);
    db.pragma('wal_autocheckpoint = 0');
  }
  p.count++;
  const state = p;
  let resumed = false;
  return () => {
    if (resumed) return;
    resumed = true;
    if (--state.count > 0) return;
    paused.delete(db);
    if (ws.isOpen) db.pragma(`wal_autocheckpoint = ${state.pages}`);
  };
}

// Plain CommonJS run with `eval: true`, like textIndexWorker.ts: no bundler entry point needed.
// PASSIVE never waits for readers or writers: what a reader still needs is left to a later
// checkpoint (the automatic one of the next commit, or closing the workspace).
const SOURCE = `
const { workerData: w } = require('node:worker_threads');
const Database = require(w.driver);
const db = new Database(w.path, { timeout: 0, fileMustExist: true });
try {
  db.pragma('wal_checkpoint(PASSIVE)');
} finally {
  db.close();
}
`;

/**
 * Checkpoints the workspace's WAL on a worker thread. Never rejects: a checkpoint that could not
 * run (busy, closed) is done later by SQLite itself.
 */
export function checkpointOffThread(ws: Workspace): Promise<void> {
  if (ws.path === ':memory:' || !ws.isOpen) return Promise.resolve();
  return new Promise((resolve) => {
    const worker = new Worker(SOURCE, { eval: true, execArgv: [], workerData: { driver: SQLITE_DRIVER, path: ws.path } });
    worker.on('error', () => undefined);
    worker.on('exit', () => resolve());
  });
}
