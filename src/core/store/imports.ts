import type { ImportRecord } from '../model/types';
import { readerOf, writerOf, type StoreOwner } from './connection';

/**
 * The import history (table imports). Writers are called inside the workspace's write path
 * (`ws.exclusive`): a row written outside it could join another import's open transaction and be
 * rolled back with it.
 */

/** A new row: 'running' (committed before a file is staged, so a crash leaves a record) or 'failed'. */
export function insertImport(
  ws: StoreOwner,
  r: { source: string; contentHash: string | null; format: string | null; status: 'running' | 'failed'; error?: string },
): number {
  const now = Date.now();
  return Number(
    writerOf(ws)
      .prepare(
        `INSERT INTO imports (source, content_hash, format, started_at, finished_at, status, error) VALUES (?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(r.source, r.contentHash, r.format, now, r.status === 'failed' ? now : null, r.status, r.error ?? null).lastInsertRowid,
  );
}

export function markImportFailed(ws: StoreOwner, importId: number, error: string): void {
  writerOf(ws)
    .prepare(`UPDATE imports SET status = 'failed', finished_at = ?, error = ? WHERE id = ?`)
    .run(Date.now(), error, importId);
}

/** A merged (live OTLP) import is done; the file imports' equivalent is in staging.ts. */
export function markImportDone(ws: StoreOwner, importId: number, r: { traceCount: number; spanCount: number; warnings: readonly string[] }): void {
  writerOf(ws)
    .prepare(`UPDATE imports SET status = 'ok', finished_at = ?, trace_count = ?, span_count = ?, warnings = ? WHERE id = ?`)
    .run(Date.now(), r.traceCount, r.spanCount, JSON.stringify(r.warnings), importId);
}

export function listImports(ws: StoreOwner, limit = 100): ImportRecord[] {
  const rows = readerOf(ws).prepare('SELECT * FROM imports ORDER BY id DESC LIMIT ?').all(limit) as Record<string, unknown>[];
  return rows.map(importRowToRecord);
}

/** The last successful import of content with this hash whose traces are all still stored. */
export function findCompletedImport(ws: StoreOwner, contentHash: string): ImportRecord | null {
  // On the writer: what this process committed a moment ago counts.
  const db = writerOf(ws);
  const row = db
    .prepare(`SELECT * FROM imports WHERE content_hash = ? AND status = 'ok' ORDER BY id DESC LIMIT 1`)
    .get(contentHash) as Record<string, unknown> | undefined;
  if (!row) return null;
  const rec = importRowToRecord(row);
  const stored = db.prepare('SELECT count(*) AS n FROM traces WHERE import_id = ?').get(rec.id) as { n: number };
  return stored.n === rec.traceCount ? rec : null;
}

export function traceIdsOfImport(ws: StoreOwner, importId: number): string[] {
  return readerOf(ws).prepare('SELECT id FROM traces WHERE import_id = ?').pluck().all(importId) as string[];
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
