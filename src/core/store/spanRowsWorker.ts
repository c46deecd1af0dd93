import { MessageChannel, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { SQLITE_DRIVER } from './textIndexWorker';

/**
 * The span rows of a big staged file import, inserted into its staging file on a worker thread
 * with its own connection, while the import's thread goes on parsing: the SQLite inserts were
 * ~25 % of the parse-and-write phase (a 118 MB OTLP file: ~1 s of ~4 s), and on two cores they
 * now overlap the parsing. Rows arrive in batches, in the order the writer made them, and are
 * inserted in that order in one transaction (the same rowids as inserting on the import's thread).
 *
 * Memory stays bounded: at most MAX_BATCHES_IN_FLIGHT batches are queued; past that the import's
 * thread waits (Atomics.wait) for the worker to catch up. The staging file is private to the
 * import (store/staging.ts) and has no other writer meanwhile: the import's own connection
 * writes again only after `done()`.
 */

const BATCH_ROWS = 1000;
const MAX_BATCHES_IN_FLIGHT = 8;
/** How long one wait for the worker lasts before the import's thread checks it again. */
const WAIT_SLICE_MS = 50;

// Shared state: [batches posted and not yet inserted, worker failed].
const IN_FLIGHT = 0;
const FAILED = 1;

// Plain CommonJS run with `eval: true`, like textIndexWorker.ts: no bundler entry point needed.
const SOURCE = `
const { parentPort, workerData: w } = require('node:worker_threads');
const Database = require(w.driver);
const state = w.state;
let db = null;
let insert = null;
function fail(e) {
  // The error first, then the flag: the import's thread reads the error as soon as it sees the flag.
  w.errors.postMessage({ message: e && e.message ? e.message : String(e), code: e && e.code });
  Atomics.store(state, ${FAILED}, 1);
  Atomics.notify(state, ${IN_FLIGHT});
  try {
    if (db) db.close();
  } catch {}
  parentPort.close(); // the worker ends; the import's thread learns why from the error
}
try {
  db = new Database(w.path);
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -65536');
  insert = db.prepare(w.insertSql);
  db.exec('BEGIN');
} catch (e) {
  fail(e);
}
parentPort.on('message', (m) => {
  try {
    if (m.rows) {
      for (const r of m.rows) insert.run(r);
      Atomics.sub(state, ${IN_FLIGHT}, 1);
      Atomics.notify(state, ${IN_FLIGHT});
    } else if (m.end) {
      db.exec('COMMIT');
      db.close();
      db = null;
      parentPort.postMessage({ done: true });
    }
  } catch (e) {
    fail(e);
  }
});
`;

export interface SpanRows {
  /** Queue one row (the values of `insertSql`'s placeholders, in order). Throws once the worker failed. */
  add(row: unknown[]): void;
  /** Inserts what is queued and commits; rejects with the worker's error (its SQLite code kept). */
  done(): Promise<void>;
  /** Stops the worker (after a failure elsewhere); the staging file is thrown away by the caller. */
  stop(): void;
}

export function spanRowsOffThread(path: string, insertSql: string): SpanRows {
  const state = new Int32Array(new SharedArrayBuffer(8));
  // The worker's error comes on its own channel, read synchronously: the import's thread is busy
  // parsing (no event loop turn) when it notices the failure.
  const errors = new MessageChannel();
  const worker = new Worker(SOURCE, {
    eval: true,
    execArgv: [],
    workerData: { driver: SQLITE_DRIVER, path, insertSql, state, errors: errors.port2 },
    transferList: [errors.port2],
  });
  let batch: unknown[][] = [];
  let error: Error | null = null;
  let ended = false;
  let settle!: { resolve: () => void; reject: (e: Error) => void };
  const finished = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  finished.catch(() => undefined); // observed through done()

  const workerError = (): Error | null => {
    if (error) return error;
    const m = receiveMessageOnPort(errors.port1)?.message as { message: string; code?: string } | undefined;
    if (m) error = Object.assign(new Error(m.message), m.code ? { code: m.code } : {});
    else if (Atomics.load(state, FAILED)) error = new Error('the staging writer failed');
    return error;
  };
  const stop = () => {
    ended = true;
    errors.port1.close();
    void worker.terminate();
  };
  worker.on('message', (m: { done?: boolean }) => {
    if (!m.done) return;
    ended = true;
    errors.port1.close();
    settle.resolve();
    void worker.terminate(); // its connection is closed; nothing left to do
  });
  worker.on('error', (e) => {
    error ??= e;
    settle.reject(error);
  });
  worker.on('exit', () => {
    if (!ended) settle.reject(workerError() ?? new Error('the staging writer stopped'));
  });

  const check = () => {
    if (Atomics.load(state, FAILED) || error) {
      const e = workerError()!;
      stop();
      settle.reject(e);
      throw e;
    }
  };
  const post = () => {
    if (batch.length === 0) return;
    // Wait while the worker is MAX_BATCHES_IN_FLIGHT behind (bounded memory), checking for its failure.
    for (let n = Atomics.load(state, IN_FLIGHT); n >= MAX_BATCHES_IN_FLIGHT; n = Atomics.load(state, IN_FLIGHT)) {
      check();
      Atomics.wait(state, IN_FLIGHT, n, WAIT_SLICE_MS);
    }
    check();
    Atomics.add(state, IN_FLIGHT, 1);
    worker.postMessage({ rows: batch });
    batch = [];
  };
  return {
    add(row) {
      batch.push(row);
      if (batch.length >= BATCH_ROWS) post();
    },
    async done() {
      post();
      worker.postMessage({ end: true });
      await finished;
    },
    stop,
  };
}
