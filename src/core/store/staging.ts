import { writerOf } from './connection';
import Database from 'better-sqlite3';
import { rmSync } from 'node:fs';
import { migrate } from './schema';
import type { Workspace } from './workspace';
import type { FormatId } from '../model/types';
import { ImportWriter } from './importWriter';

/**
 * Staged file imports. A file is parsed, repaired and aggregated into a private SQLite file of
 * its own (same schema, no journal: it is thrown away on any failure), with no lock on the
 * workspace at all; then one short write transaction on the workspace swaps the file's traces in.
 * So a long import never holds the workspace's write lock while it reads (other processes —
 * the server's OTLP receiver, a second CLI import — write in between), and readers see either
 * none or all of a file.
 */

/** Attached under this name while publishing. */
const ALIAS = 'staged';

function openStaging(path: string): Database.Database {
  removeStaging(path);
  const db = new Database(path);
  // Large pages for a bulk load of KB-sized rows: fewer page splits and allocations while rows
  // stream in and while the span indexes are built (measured ~8 % of an import's CPU). Only the
  // private staging file: the workspace keeps its page size.
  db.pragma('page_size = 65536');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('foreign_keys = OFF');
  db.pragma('cache_size = -65536');
  migrate(db);
  // Trace ids the file named, including ones that ended with no spans (they replace a stored
  // trace with nothing, as before staging).
  db.exec('CREATE TABLE staged_touched (id TEXT PRIMARY KEY) WITHOUT ROWID');
  return db;
}

/**
 * The span indexes finalise and publish do not need while rows stream in: dropped from a fresh
 * staging file and built once, sorted, before finalise (cheaper than keeping them up to date row
 * by row). Returns the statements that build them again: only the one the staging file's readers
 * use (finalise and stagedReader.ts read a trace's spans through the covering spans_skeleton; a
 * span by its id through the UNIQUE constraint's index, never dropped). The others would only be
 * built to be thrown away: publish copies rows, and the workspace keeps its own indexes.
 */
function deferSpanIndexes(db: Database.Database): string[] {
  const defs = db
    .prepare(`SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'spans' AND sql IS NOT NULL`)
    .all() as { name: string; sql: string }[];
  for (const d of defs) db.exec(`DROP INDEX "${d.name}"`);
  return defs.filter((d) => d.name === STAGING_SPAN_INDEX).map((d) => d.sql);
}

const STAGING_SPAN_INDEX = 'spans_skeleton';

/**
 * A file's staging database, open in one transaction, with the import writer that fills it.
 * `commit` records the trace ids the file named and commits; `close` always (after commit or on
 * failure: the file is thrown away by the caller, see removeStaging).
 */
export function beginStaging(
  path: string,
  file: string,
  format: FormatId,
  importId: number,
): { writer: ImportWriter; finish(): string[]; commit(): void; close(): void } {
  const db = openStaging(path);
  try {
    const deferred = deferSpanIndexes(db);
    const writer = new ImportWriter(db, file, format, importId, 'replace');
    db.exec('BEGIN');
    return {
      writer,
      finish: () => {
        // Rows held back while the file was previewed go in before the indexes are built.
        writer.writeHeld();
        for (const sql of deferred) db.exec(sql);
        return writer.finish();
      },
      commit: () => {
        recordTouched(db, writer.touchedTraceIds());
        db.exec('COMMIT');
      },
      close: () => db.close(),
    };
  } catch (e) {
    db.close();
    throw e;
  }
}

function recordTouched(db: Database.Database, traceIds: Iterable<string>): void {
  const insert = db.prepare('INSERT OR IGNORE INTO staged_touched (id) VALUES (?)');
  db.transaction(() => {
    for (const id of traceIds) insert.run(id);
  })();
}

export function removeStaging(path: string): void {
  for (const suffix of ['', '-journal', '-wal', '-shm']) rmSync(path + suffix, { force: true });
}

/** A stored trace that a different file also holds (issue: same trace id, other file). */
export interface TraceIdClash {
  traceId: string;
  /** The id this file's copy got: traceId when it replaced the stored one, else a new one. */
  storedAs: string;
  previousFile: string;
  previousSpans: number;
  newSpans: number;
}

export interface PublishResult {
  traceIds: string[];
  clashes: TraceIdClash[];
}

export interface PublishArgs {
  stagingPath: string;
  importId: number;
  /** The file's name as recorded (source_file): the same name re-imported is no clash. */
  file: string;
  /** Keep a stored trace another file holds, storing this file's copy under `id#2` (…). */
  keepBoth: boolean;
  spanCount: number;
  warnings: () => string[];
  what: string;
  lockWaitMs?: number;
}

/**
 * Swap the staged traces into the workspace and mark the import ok, in one write transaction.
 * Returns the stored trace ids (in staging order) and the clashes it resolved.
 */
export function publishStaged(ws: Workspace, a: PublishArgs): Promise<PublishResult> {
  return ws.withAttached(
    ALIAS,
    a.stagingPath,
    () => {
      const db = writerOf(ws);
      const clashes = findClashes(db, a.file);
      if (a.keepBoth) for (const c of clashes) renameStaged(db, c);
      for (const c of clashes) if (!a.keepBoth) c.storedAs = c.traceId;

      // A re-import keeps the trace's first import time (the library's "imported" column).
      db.exec(`UPDATE ${ALIAS}.traces SET imported_at = coalesce(
                 (SELECT m.imported_at FROM main.traces m WHERE m.id = ${ALIAS}.traces.id), imported_at)`);
      db.exec(`DELETE FROM main.spans WHERE trace_id IN (SELECT id FROM ${ALIAS}.staged_touched)`);
      db.exec(`DELETE FROM main.traces WHERE id IN (SELECT id FROM ${ALIAS}.staged_touched)`);
      db.exec(`DELETE FROM main.recorded_evaluations WHERE trace_id IN (SELECT id FROM ${ALIAS}.staged_touched)`);
      const spanCols = columns(db, 'spans');
      db.exec(`INSERT INTO main.spans (${spanCols}) SELECT ${spanCols} FROM ${ALIAS}.spans`);
      const traceCols = columns(db, 'traces');
      db.exec(`INSERT INTO main.traces (${traceCols}) SELECT ${traceCols} FROM ${ALIAS}.traces`);
      // Recorded evaluations travel with their traces; their row ids are the workspace's own.
      const evalCols = columns(db, 'recorded_evaluations', ['id']);
      db.exec(`INSERT INTO main.recorded_evaluations (${evalCols}) SELECT ${evalCols} FROM ${ALIAS}.recorded_evaluations`);

      const traceIds = (db.prepare(`SELECT id FROM ${ALIAS}.traces ORDER BY rowid`).all() as { id: string }[]).map((r) => r.id);
      const warnings = a.warnings();
      for (const c of clashes) warnings.push(clashWarning(a.file, c, a.keepBoth));
      db.prepare(
        `UPDATE main.imports SET status = 'ok', finished_at = ?, trace_count = ?, span_count = ?, warnings = ?, error = NULL
          WHERE id = ?`,
      ).run(Date.now(), traceIds.length, a.spanCount, JSON.stringify(warnings), a.importId);
      return { traceIds, clashes };
    },
    { what: a.what, lockWaitMs: a.lockWaitMs },
  );
}

export function clashWarning(file: string, c: TraceIdClash, keptBoth: boolean): string {
  return keptBoth
    ? `${file}: trace ${c.traceId} is already stored from ${c.previousFile} (${c.previousSpans} spans): ` +
        `this file's copy (${c.newSpans} spans) is stored as ${c.storedAs}; both are kept`
    : `${file}: trace ${c.traceId} was stored from ${c.previousFile} (${c.previousSpans} spans) and is replaced ` +
        `by this file's copy (${c.newSpans} spans); to keep both, import with --keep-both (CLI) or ` +
        `"keep both" (import options in the app)`;
}

/**
 * Staged traces whose id is stored from a different file — unless this import names that file as
 * the trace's source or as a part it merged (a Claude Code session and its sub-agent files).
 */
function findClashes(db: Database.Database, file: string): TraceIdClash[] {
  const rows = db
    .prepare(
      `SELECT s.id AS traceId, m.source_file AS previousFile, m.span_count AS previousSpans, s.span_count AS newSpans
         FROM ${ALIAS}.traces s JOIN main.traces m ON m.id = s.id
        WHERE m.source_file IS NOT ? AND m.source_file IS NOT s.source_file
          AND m.source_file NOT IN (SELECT value FROM json_each(s.meta, '$.mergedFrom'))`,
    )
    .all(file) as Omit<TraceIdClash, 'storedAs'>[];
  return rows.map((r) => ({ ...r, storedAs: r.traceId }));
}

/** Give a staged trace the first free id `id#2`, `id#3` … (the duplicate-span-id convention). */
function renameStaged(db: Database.Database, c: TraceIdClash): void {
  const taken = db.prepare(
    `SELECT 1 FROM main.traces WHERE id = @id UNION ALL SELECT 1 FROM ${ALIAS}.staged_touched WHERE id = @id`,
  );
  let k = 2;
  while (taken.get({ id: `${c.traceId}#${k}` })) k++;
  const id = `${c.traceId}#${k}`;
  db.prepare(`UPDATE ${ALIAS}.spans SET trace_id = ? WHERE trace_id = ?`).run(id, c.traceId);
  db.prepare(`UPDATE ${ALIAS}.traces SET id = ? WHERE id = ?`).run(id, c.traceId);
  db.prepare(`UPDATE ${ALIAS}.recorded_evaluations SET trace_id = ? WHERE trace_id = ?`).run(id, c.traceId);
  // The stored trace is no longer touched by this import: it stays as it is.
  db.prepare(`UPDATE ${ALIAS}.staged_touched SET id = ? WHERE id = ?`).run(id, c.traceId);
  c.storedAs = id;
}

function columns(db: Database.Database, table: string, except: readonly string[] = []): string {
  const cols = db.prepare(`SELECT name FROM pragma_table_info(?, 'main')`).all(table) as { name: string }[];
  return cols
    .filter((c) => !except.includes(c.name))
    .map((c) => `"${c.name}"`)
    .join(', ');
}
