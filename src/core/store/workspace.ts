import Database from 'better-sqlite3';
import type { ImportRecord, RecordedEvaluation, Span, SpanSummary, TraceMeta, TraceSummary } from '../model/types';

export type { ImportRecord } from '../model/types';
import { migrate } from './schema';
import { spanRowToSpan, spanRowToSummary, traceRowToSummary, type SpanRow, type TraceRow } from './rows';
import { buildTraceListQuery, type TraceQuery } from './traceQuery';


/**
 * One workspace = one SQLite file (WAL). Two connections: `db` writes (imports hold a
 * transaction on it for a whole file), `reader` serves queries, so the UI keeps reading the last
 * committed state while a long import runs and never sees a half-imported trace.
 */
export class Workspace {
  readonly path: string;
  readonly db: Database.Database;
  private readonly reader: Database.Database;
  private writeQueue: Promise<unknown> = Promise.resolve();

  private constructor(path: string) {
    this.path = path;
    this.db = new Database(path);
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    // A whole file is one transaction: a larger page cache keeps its B-tree pages in memory
    // instead of spilling to the WAL mid-import. Bounded (64 MiB), so memory targets hold.
    this.db.pragma('cache_size = -65536');
    migrate(this.db);
    this.recoverInterruptedImports();
    this.reader = path === ':memory:' ? this.db : new Database(path, { readonly: true });
  }

  /**
   * A process killed mid-import leaves its import row 'running' (the row is committed before the
   * file's transaction; SQLite rolls that transaction back on the next open). Mark such rows
   * 'interrupted' so the history says what happened. Skipped while another process holds the
   * write lock: its 'running' row may be live. Returns how many rows were marked.
   */
  recoverInterruptedImports(): number {
    const busyTimeout = this.db.pragma('busy_timeout', { simple: true }) as number;
    this.db.pragma('busy_timeout = 0');
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (e) {
      if ((e as { code?: string }).code === 'SQLITE_BUSY') return 0;
      throw e;
    } finally {
      this.db.pragma(`busy_timeout = ${busyTimeout}`);
    }
    try {
      const changes = this.db
        .prepare(
          `UPDATE imports SET status = 'interrupted', finished_at = coalesce(finished_at, ?),
             error = coalesce(error, source || ': import interrupted (the process stopped); nothing from this file was stored, import it again')
           WHERE status = 'running'`,
        )
        .run(Date.now()).changes;
      this.db.exec('COMMIT');
      return changes;
    } catch (e) {
      if (this.db.inTransaction) this.db.exec('ROLLBACK');
      throw e;
    }
  }

  static open(path: string): Workspace {
    return new Workspace(path);
  }

  /**
   * The read-only query connection, for query modules outside this class (trace-view columns
   * and span search): they must read committed state, not a running import's transaction.
   */
  get readDb(): Database.Database {
    return this.reader;
  }

  close(): void {
    if (this.reader !== this.db) this.reader.close();
    this.db.close();
  }

  /**
   * Run writers one at a time. An import spans many awaits (streamed chunks) inside one SQLite
   * transaction; two interleaved imports on the same connection would share it.
   */
  exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.writeQueue.then(fn, fn);
    this.writeQueue = run.catch(() => undefined);
    return run;
  }

  // ---- queries -------------------------------------------------------------------------------

  listTraces(q: TraceQuery = {}): { rows: TraceSummary[]; total: number } {
    const { sql, countSql, params } = buildTraceListQuery(q);
    const rows = (this.reader.prepare(sql).all(params) as TraceRow[]).map(traceRowToSummary);
    const total = (this.reader.prepare(countSql).get(params) as { n: number }).n;
    return { rows, total };
  }

  getTrace(traceId: string): (TraceSummary & { meta: Omit<TraceMeta, 'traceId'> }) | null {
    const row = this.reader.prepare('SELECT * FROM traces WHERE id = ?').get(traceId) as TraceRow | undefined;
    if (!row) return null;
    return { ...traceRowToSummary(row), meta: JSON.parse(row.meta) };
  }

  /** The evaluations recorded in the trace's file, in file order. */
  getRecordedEvaluations(traceId: string): RecordedEvaluation[] {
    const rows = this.reader
      .prepare('SELECT name, source, value, pass, comment, span_id, author, time_ms FROM recorded_evaluations WHERE trace_id = ? ORDER BY seq')
      .all(traceId) as {
      name: string;
      source: string;
      value: string | null;
      pass: number | null;
      comment: string | null;
      span_id: string | null;
      author: string | null;
      time_ms: number | null;
    }[];
    return rows.map((r) => {
      const e: RecordedEvaluation = { name: r.name, source: r.source, value: r.value === null ? null : JSON.parse(r.value), pass: r.pass === null ? null : r.pass === 1 };
      if (r.comment !== null) e.comment = r.comment;
      if (r.span_id !== null) e.spanId = r.span_id;
      if (r.author !== null) e.author = r.author;
      if (r.time_ms !== null) e.timeMs = r.time_ms;
      return e;
    });
  }

  /** Span summaries in source order: what a tree/timeline of 100k spans needs, no bodies. */
  getSpanSummaries(traceId: string): SpanSummary[] {
    const rows = this.reader
      .prepare(
        `SELECT span_id, tree_parent_id, seq, name, kind, status, start_ms, end_ms, model, tool_name,
                input_tokens, output_tokens, cost_usd
           FROM spans WHERE trace_id = ? ORDER BY seq`,
      )
      .all(traceId) as Omit<SpanRow, 'body' | 'trace_id' | 'parent_id'>[];
    return rows.map(spanRowToSummary);
  }

  getSpan(traceId: string, spanId: string): Span | null {
    const row = this.reader
      .prepare('SELECT * FROM spans WHERE trace_id = ? AND span_id = ?')
      .get(traceId, spanId) as SpanRow | undefined;
    return row ? spanRowToSpan(row) : null;
  }

  /** Every span with its body, in source order. For judges, export and `show --json`. */
  getSpans(traceId: string): Span[] {
    return (this.reader.prepare('SELECT * FROM spans WHERE trace_id = ? ORDER BY seq').all(traceId) as SpanRow[]).map(
      spanRowToSpan,
    );
  }

  /** Iterate spans without materialising them all (exports of very large traces). */
  *iterateSpans(traceId: string): Generator<Span> {
    for (const row of this.reader.prepare('SELECT * FROM spans WHERE trace_id = ? ORDER BY seq').iterate(traceId)) {
      yield spanRowToSpan(row as SpanRow);
    }
  }

  traceIds(): string[] {
    return (this.reader.prepare('SELECT id FROM traces ORDER BY start_ms').all() as { id: string }[]).map((r) => r.id);
  }

  listImports(limit = 100): ImportRecord[] {
    const rows = this.reader.prepare('SELECT * FROM imports ORDER BY id DESC LIMIT ?').all(limit) as Record<
      string,
      unknown
    >[];
    return rows.map(importRowToRecord);
  }

  /** The last successful import of content with this hash whose traces are all still stored. */
  findCompletedImport(contentHash: string): ImportRecord | null {
    const row = this.db
      .prepare(`SELECT * FROM imports WHERE content_hash = ? AND status = 'ok' ORDER BY id DESC LIMIT 1`)
      .get(contentHash) as Record<string, unknown> | undefined;
    if (!row) return null;
    const rec = importRowToRecord(row);
    const stored = this.db.prepare('SELECT count(*) AS n FROM traces WHERE import_id = ?').get(rec.id) as { n: number };
    return stored.n === rec.traceCount ? rec : null;
  }

  deleteTrace(traceId: string): boolean {
    const tx = this.db.transaction(() => {
      this.db.prepare('DELETE FROM spans WHERE trace_id = ?').run(traceId);
      this.db.prepare('DELETE FROM recorded_evaluations WHERE trace_id = ?').run(traceId);
      return this.db.prepare('DELETE FROM traces WHERE id = ?').run(traceId).changes > 0;
    });
    return tx();
  }

  integrityCheck(): string {
    return this.db.pragma('integrity_check', { simple: true }) as string;
  }
}

function importRowToRecord(r: Record<string, unknown>): ImportRecord {
  return {
    id: r.id as number,
    source: r.source as string,
    contentHash: (r.content_hash as string | null) ?? null,
    format: (r.format as string | null) ?? null,
    startedAt: r.started_at as number,
    finishedAt: (r.finished_at as number | null) ?? null,
    status: r.status as ImportRecord['status'],
    traceCount: r.trace_count as number,
    spanCount: r.span_count as number,
    warnings: JSON.parse((r.warnings as string) ?? '[]') as string[],
    error: (r.error as string | null) ?? null,
  };
}
