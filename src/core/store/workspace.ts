import Database from 'better-sqlite3';
import { readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import type { ImportRecord, RecordedEvaluation, Span, SpanSummary, TraceMeta, TraceSummary } from '../model/types';

export type { ImportRecord } from '../model/types';
import { migrate, MIGRATIONS } from './schema';
import { registerConnections } from './connection';
import { findCompletedImport, listImports, traceIdsOfImport } from './imports';
import * as traces from './traces';
import type { TraceQuery } from './traceQuery';
import { processAlive } from '../util/processAlive';
import { BACKGROUND_CHECK_FROM_BYTES, checkInBackground, checkIntegrity, checkIntegrityInBackground } from './integrity';


export interface WorkspaceOptions {
  /**
   * How long a writer waits for another process's write lock before giving up with
   * WorkspaceBusyError (default 5 s). The wait is asynchronous: the event loop stays free.
   */
  lockWaitMs?: number;
  /** Told once per write that had to wait (the CLI prints it): names the workspace and the work. */
  onLockWait?: (message: string) => void;
  /** A file bigger than this is checked in the background (integrity.ts; tests set 0). */
  backgroundCheckFromBytes?: number;
}

/** Another process holds the workspace's write lock for longer than the writer would wait. */
export class WorkspaceBusyError extends Error {
  constructor(
    readonly workspacePath: string,
    what: string,
  ) {
    super(`workspace ${workspacePath} is busy: another process is writing it (${what} not done); try again in a moment`);
    this.name = 'WorkspaceBusyError';
  }
}

/** The workspace failed its integrity check on open: it is open read-only. */
export class WorkspaceReadOnlyError extends Error {
  constructor(
    readonly workspacePath: string,
    readonly reason: string,
  ) {
    super(
      `workspace ${workspacePath} is damaged (${reason}) and open read-only: nothing can be written to it; ` +
        'export what you need or repair a copy (`sqlite3 FILE .recover | sqlite3 NEW.tracedeck`)',
    );
    this.name = 'WorkspaceReadOnlyError';
  }
}

const DEFAULT_LOCK_WAIT_MS = 5000;
const STAGING_MARK = '.staging-';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
const isBusy = (e: unknown) => {
  const code = (e as { code?: string }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_BUSY_SNAPSHOT' || code === 'SQLITE_LOCKED';
};

/**
 * One workspace = one SQLite file (WAL). Two connections: `db` writes, `reader` serves queries,
 * so the UI keeps reading the last committed state while an import runs and never sees a
 * half-imported trace.
 *
 * Writers (this process's and other processes') take SQLite's write lock only briefly: a file
 * import parses into a private staging database and publishes in one short transaction
 * (importFile.ts, staging.ts). Waiting for the lock never blocks the event loop: the writer
 * connection has busy_timeout 0 and `exclusive` retries BEGIN IMMEDIATE on a timer, giving up
 * with WorkspaceBusyError after `lockWaitMs` (the server answers 503 + Retry-After).
 */
export class Workspace {
  readonly path: string;
  /** Private: SQL lives in the store modules of this folder, which reach it through connection.ts. */
  private readonly db: Database.Database;
  private readonly reader: Database.Database;
  private writeQueue: Promise<unknown> = Promise.resolve();
  private readonly lockWaitMs: number;
  /** See Connections.lockWaiters (connection.ts). */
  private readonly lockWaiters = new Int32Array(new SharedArrayBuffer(4));
  private readonly onLockWait?: (message: string) => void;
  private damagedBy: string | null = null;
  /** Stops a big file's integrity check while it runs in the background; null once it answered. */
  private stopCheck: (() => void) | null = null;
  /** What the integrity check found, once it answered (integrityChecked; writes wait for it, beginWrite). */
  private checked: Promise<string | null> = Promise.resolve(null);

  private constructor(path: string, opts: WorkspaceOptions) {
    this.path = path;
    this.lockWaitMs = opts.lockWaitMs ?? DEFAULT_LOCK_WAIT_MS;
    this.onLockWait = opts.onLockWait;
    const later = path !== ':memory:' && checkInBackground(path, opts.backgroundCheckFromBytes ?? BACKGROUND_CHECK_FROM_BYTES, MIGRATIONS.length);
    this.damagedBy = path === ':memory:' || later ? null : checkIntegrity(path);
    if (this.damagedBy) {
      this.checked = Promise.resolve(this.damagedBy);
      // Read-only connections only: a damaged file must not take a single write more.
      this.db = withWorkspaceErrors(path, () => new Database(path, { readonly: true, fileMustExist: true }));
      this.reader = this.db;
      registerConnections(this, { writer: this.db, reader: this.reader, lockWaiters: this.lockWaiters });
      const version = this.db.pragma('user_version', { simple: true }) as number;
      if (version < MIGRATIONS.length)
        throw new Error(`workspace ${path} is damaged (${this.damaged}) and too old to open read-only; repair a copy (\`sqlite3 FILE .recover | sqlite3 NEW.tracedeck\`)`);
      return;
    }
    this.db = withWorkspaceErrors(path, () => new Database(path));
    withWorkspaceErrors(path, () => {
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('foreign_keys = ON');
      // Publishing a staged import copies a whole file's rows in one transaction: a larger page
      // cache keeps its B-tree pages in memory. Bounded (64 MiB), so memory targets hold.
      this.db.pragma('cache_size = -65536');
      migrate(this.db);
    });
    // From here on no statement waits on the main thread for another process's lock.
    this.db.pragma('busy_timeout = 0');
    this.reader = path === ':memory:' ? this.db : new Database(path, { readonly: true });
    registerConnections(this, { writer: this.db, reader: this.reader, lockWaiters: this.lockWaiters });
    if (!later) {
      this.recoverInterruptedImports();
      return;
    }
    const check = checkIntegrityInBackground(path);
    this.stopCheck = check.stop;
    this.checked = check.done.then((found) => {
      this.stopCheck = null;
      this.damagedBy = found;
      // Recovery writes: only to a file found sound (and still open). Bookkeeping: if it
      // fails, the rows stay 'running' until the next open, and writes go on.
      if (!found && this.isOpen)
        try {
          this.recoverInterruptedImports();
        } catch {
          /* see above */
        }
      return found;
    });
  }

  /**
   * Settles with what the integrity check found (null: sound, or closed before it answered): at
   * once, unless a big file's check is still running in the background. What was found after
   * the app started is news to its pages (handlers.ts sends workspace-damaged).
   */
  integrityChecked(): Promise<string | null> {
    return this.checked;
  }

  /**
   * Why the workspace is read-only (quick_check failed), or null when it is writable. A big file
   * is checked in the background: null until its check answers (writes wait for it).
   */
  get damaged(): string | null {
    return this.damagedBy;
  }

  /**
   * A process killed mid-import leaves its import row 'running' (committed before the file was
   * staged) and its staging file. Mark such rows 'interrupted' so the history says what happened,
   * and delete staging files of processes that are gone. Rows of a live importer (its staging
   * file's process runs, or it holds the write lock) are left alone. Returns how many rows were
   * marked.
   */
  recoverInterruptedImports(): number {
    if (this.damaged) return 0;
    const live = this.cleanStaleStaging();
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      if (isBusy(e)) return 0;
      throw e;
    }
    try {
      const running = this.db.prepare(`SELECT id FROM imports WHERE status = 'running'`).all() as { id: number }[];
      const mark = this.db.prepare(
        `UPDATE imports SET status = 'interrupted', finished_at = coalesce(finished_at, ?),
           error = coalesce(error, source || ': import interrupted (the process stopped); nothing from this file was stored, import it again')
         WHERE id = ? AND status = 'running'`,
      );
      let changes = 0;
      for (const { id } of running) if (!live.has(id)) changes += mark.run(Date.now(), id).changes;
      this.db.exec('COMMIT');
      return changes;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    }
  }

  /**
   * Where import `importId` of this process stages its rows: beside the workspace (same disk,
   * so publishing copies within one file system), named so recovery can tell whose it is.
   */
  stagingPath(importId: number): string {
    const base = this.path === ':memory:' ? join(tmpdir(), `tracedeck-memory-${process.pid}`) : this.path;
    return `${base}${STAGING_MARK}${process.pid}-${importId}`;
  }

  /** Deletes staging files of dead processes; returns the import ids of live ones. */
  private cleanStaleStaging(): Set<number> {
    const live = new Set<number>();
    if (this.path === ':memory:') return live;
    const dir = dirname(this.path);
    const prefix = basename(this.path) + STAGING_MARK;
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return live;
    }
    for (const name of names) {
      if (!name.startsWith(prefix)) continue;
      const m = /^(\d+)-(\d+)(?:-wal|-shm|-journal)?$/.exec(name.slice(prefix.length));
      if (!m) continue;
      if (processAlive(Number(m[1]))) live.add(Number(m[2]));
      else rmSync(join(dir, name), { force: true });
    }
    return live;
  }

  static open(path: string, opts: WorkspaceOptions = {}): Workspace {
    return new Workspace(path, opts);
  }

  /** False once closed (background work checks it between steps). */
  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    this.stopCheck?.();
    if (this.reader !== this.db) this.reader.close();
    this.db.close();
  }

  /**
   * Run `fn` as one write transaction: writers of this process one at a time (a writer may await
   * inside its transaction; two interleaved on the same connection would share it), and the
   * SQLite write lock taken without blocking the event loop (see the class comment). `what`
   * names the work in wait messages and WorkspaceBusyError; `lockWaitMs` overrides the default.
   * Throws WorkspaceReadOnlyError on a damaged workspace.
   */
  exclusive<T>(fn: () => Promise<T>, o: { what?: string; lockWaitMs?: number } = {}): Promise<T> {
    return this.serial(async () => {
      await this.beginWrite(o.what ?? 'a write', o.lockWaitMs ?? this.lockWaitMs);
      try {
        const result = await fn();
        withWorkspaceErrors(this.path, () => this.db.exec('COMMIT'));
        return result;
      } catch (e) {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
        throw withWorkspaceName(this.path, e);
      }
    });
  }

  /**
   * Publish an import staged in `stagingPath` (see staging.ts): ATTACH must happen outside any
   * transaction, so it runs in this process's writer queue before the write transaction opens.
   */
  withAttached<T>(alias: string, file: string, fn: () => T, o: { what?: string; lockWaitMs?: number } = {}): Promise<T> {
    return this.serial(async () => {
      this.db.prepare(`ATTACH DATABASE ? AS ${alias}`).run(file);
      try {
        await this.beginWrite(o.what ?? 'a write', o.lockWaitMs ?? this.lockWaitMs);
        try {
          const result = fn();
          withWorkspaceErrors(this.path, () => this.db.exec('COMMIT'));
          return result;
        } catch (e) {
          if (this.db.inTransaction) this.db.exec('ROLLBACK');
          throw withWorkspaceName(this.path, e);
        }
      } finally {
        this.db.exec(`DETACH DATABASE ${alias}`);
      }
    });
  }

  /** Resolves once every queued writer of this process is done (close, shutdown). */
  whenIdle(): Promise<void> {
    return this.writeQueue.then(() => undefined);
  }

  private serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writeQueue.then(fn, fn);
    this.writeQueue = run.catch(() => undefined);
    return run;
  }

  /** BEGIN IMMEDIATE, retried on a timer while another process holds the lock. */
  private async beginWrite(what: string, waitMs: number): Promise<void> {
    // A damaged file takes no write: a big one's background check answers first.
    if (this.stopCheck) await this.checked;
    if (this.damaged) throw new WorkspaceReadOnlyError(this.path, this.damaged);
    const start = Date.now();
    let delay = 2;
    let told = false;
    let counted = false;
    try {
      for (;;) {
        try {
          this.db.exec('BEGIN IMMEDIATE');
          return;
        } catch (e) {
          if (!isBusy(e)) throw withWorkspaceName(this.path, e);
        }
        if (!counted) {
          counted = true;
          Atomics.add(this.lockWaiters, 0, 1);
        }
        const waited = Date.now() - start;
        if (waited >= waitMs) throw new WorkspaceBusyError(this.path, what);
        if (!told && waited >= 250 && this.onLockWait) {
          told = true;
          this.onLockWait(`${what}: waiting for another process to finish writing workspace ${this.path} …`);
        }
        await sleep(Math.min(delay, Math.max(1, waitMs - waited)));
        delay = Math.min(delay * 2, 50);
      }
    } finally {
      if (counted) Atomics.sub(this.lockWaiters, 0, 1);
    }
  }

  // ---- queries -------------------------------------------------------------------------------

  listTraces(q: TraceQuery = {}): { rows: TraceSummary[]; total: number } {
    return traces.listTraces(this, q);
  }

  listTracePage(q: TraceQuery = {}): TraceSummary[] {
    return traces.listTracePage(this, q);
  }

  countTraces(q: TraceQuery = {}): number {
    return traces.countTraces(this, q);
  }

  getTrace(traceId: string): (TraceSummary & { meta: Omit<TraceMeta, 'traceId'> }) | null {
    return traces.getTrace(this, traceId);
  }

  /** The evaluations recorded in the trace's file, in file order. */
  getRecordedEvaluations(traceId: string): RecordedEvaluation[] {
    return traces.getRecordedEvaluations(this, traceId);
  }

  /** Span summaries in source order: what a tree/timeline of 100k spans needs, no bodies. */
  getSpanSummaries(traceId: string): SpanSummary[] {
    return traces.getSpanSummaries(this, traceId);
  }

  getSpan(traceId: string, spanId: string): Span | null {
    return traces.getSpan(this, traceId, spanId);
  }

  /** Every span with its body, in source order. For judges, export and `show --json`. */
  getSpans(traceId: string): Span[] {
    return traces.getSpans(this, traceId);
  }

  /** Iterate spans without materialising them all (exports of very large traces). */
  iterateSpans(traceId: string): Generator<Span> {
    return traces.iterateSpans(this, traceId);
  }

  traceIds(): string[] {
    return traces.traceIds(this);
  }

  listImports(limit = 100): ImportRecord[] {
    return listImports(this, limit);
  }

  /** The last successful import of content with this hash whose traces are all still stored. */
  findCompletedImport(contentHash: string): ImportRecord | null {
    return findCompletedImport(this, contentHash);
  }

  traceIdsOfImport(importId: number): string[] {
    return traceIdsOfImport(this, importId);
  }

  /** Call inside `exclusive`. */
  deleteTrace(traceId: string): boolean {
    return traces.deleteTrace(this, traceId);
  }

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }
}

/**
 * SQLite says "database or disk is full" / "database is locked" / "unable to open database file"
 * without saying which file: the user must learn it is the workspace, and which one.
 */
export function withWorkspaceName(path: string, e: unknown): unknown {
  if (!(e instanceof Error) || e instanceof WorkspaceBusyError || e instanceof WorkspaceReadOnlyError) return e;
  if (e.message.includes(path)) return e;
  const code = (e as { code?: string }).code ?? '';
  if (!code.startsWith('SQLITE_')) return e;
  const hint =
    code === 'SQLITE_FULL'
      ? ' (the disk holding it is full: free space and try again; nothing from this write was stored)'
      : isBusy(e)
        ? ' (another process is writing it; try again in a moment)'
        : code === 'SQLITE_READONLY'
          ? ' (it cannot be written: check the file\'s permissions)'
          : '';
  const wrapped = new Error(`workspace ${path}: ${e.message}${hint}`, { cause: e });
  (wrapped as { code?: string }).code = code;
  return wrapped;
}

function withWorkspaceErrors<T>(path: string, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw withWorkspaceName(path, e);
  }
}
