import type Database from 'better-sqlite3';
import type { Workspace } from './workspace';
import { readerOf, writerOf } from './connection';
import { indexOffThread } from './textIndexWorker';

/**
 * SQL of the trace view's derived data (src/core/view): the trace version (fingerprint), the
 * persisted columns/analysis cache (trace_view_cache), the trigram text index over span bodies
 * (span_text, span_text_map, span_text_state: schema migration 5) and the span search queries.
 *
 * The text index is contentless FTS5 (no second copy of the bodies) with detail=none: a query is
 * the AND of the needle's trigrams, which gives a superset, and every candidate is checked with
 * instr() on its body — so results equal the scan's exactly. span_text_state records which
 * version of a trace the index holds; a search uses the index only when it holds the current one.
 */

export type ViewField = 'columns' | 'analysis';

/**
 * Version of a stored trace: changes when it is re-imported or live OTLP spans arrive. Computed
 * in SQL for every caller so the text form of the numbers is the same everywhere.
 */
export function traceFingerprint(db: Database.Database, traceId: string): string | null {
  const row = db.prepare(FINGERPRINT).get(traceId) as { fp: string } | undefined;
  return row ? row.fp : null;
}

const FINGERPRINT = `SELECT import_id || ':' || span_count || ':' || coalesce(start_ms, '') || ':' || coalesce(end_ms, '') || ':' ||
    error_count || ':' || imported_at AS fp FROM traces WHERE id = ?`;

/** The committed version of a trace (see traceFingerprint), null when it is not stored. */
export const committedFingerprint = (ws: Workspace, traceId: string): string | null =>
  traceFingerprint(readerOf(ws), traceId);

export function spanCountOf(ws: Workspace, traceId: string): number | null {
  const r = readerOf(ws).prepare('SELECT span_count AS n FROM traces WHERE id = ?').get(traceId) as { n: number } | undefined;
  return r ? r.n : null;
}

// ---- trace_view_cache ---------------------------------------------------------------------------

/**
 * Format of the cached columns / analysis (src/core/model/traceView.ts), kept with the trace's
 * fingerprint: a row cached in an older format is never read, the view derives it anew (and
 * caches that). 2: the analysis names rows, not span ids.
 */
const VIEW_FORMAT = 2;
const cacheKey = (fingerprint: string) => `${fingerprint}#${VIEW_FORMAT}`;

export function readCachedView(ws: Workspace, traceId: string, fingerprint: string, field: ViewField): string | null {
  return readCached(ws, traceId, fingerprint, field) as string | null;
}

/**
 * The same JSON as its UTF-8 bytes, for a transport to send as they are: no 80 MB string decoded
 * from SQLite and encoded again for the socket (a 1M-span trace's columns).
 */
export function readCachedViewBytes(ws: Workspace, traceId: string, fingerprint: string, field: ViewField): Buffer | null {
  return readCached(ws, traceId, fingerprint, `CAST(${field} AS BLOB)`) as Buffer | null;
}

/** `expr`: a ViewField, or an expression of one. */
function readCached(ws: Workspace, traceId: string, fingerprint: string, expr: string): unknown {
  const row = readerOf(ws)
    .prepare(`SELECT ${expr} AS v FROM trace_view_cache WHERE trace_id = ? AND fingerprint = ?`)
    .get(traceId, cacheKey(fingerprint)) as { v: unknown } | undefined;
  return row?.v ?? null;
}

/**
 * Stores one derived field for this version of the trace (the other field is kept only if it is
 * of the same version). Call inside `ws.exclusive`. False when the trace moved on meanwhile.
 */
export function writeCachedView(ws: Workspace, traceId: string, fingerprint: string, field: ViewField, json: string): boolean {
  const db = writerOf(ws);
  if (traceFingerprint(db, traceId) !== fingerprint) return false;
  const other = field === 'columns' ? 'analysis' : 'columns';
  db.prepare('DELETE FROM trace_view_cache WHERE trace_id NOT IN (SELECT id FROM traces)').run();
  db.prepare(
    `INSERT INTO trace_view_cache (trace_id, fingerprint, ${field}) VALUES (?, ?, ?)
     ON CONFLICT (trace_id) DO UPDATE SET
       ${other} = CASE WHEN fingerprint = excluded.fingerprint THEN ${other} END,
       fingerprint = excluded.fingerprint,
       ${field} = excluded.${field}`,
  ).run(traceId, cacheKey(fingerprint), json);
  return true;
}

// ---- text index ---------------------------------------------------------------------------------

/** True when the committed index holds exactly this version of the trace. */
export function textIndexComplete(ws: Workspace, traceId: string, fingerprint: string): boolean {
  const row = readerOf(ws)
    .prepare('SELECT fingerprint, complete FROM span_text_state WHERE trace_id = ?')
    .get(traceId) as { fingerprint: string; complete: number } | undefined;
  return !!row && row.complete === 1 && row.fingerprint === fingerprint;
}

/**
 * Starts a full (re)build for this version of the trace: drops its old rows (and those deleted
 * traces left behind) and maps every span to an index row id. Call inside `ws.exclusive`.
 * Returns the id range to fill with indexTextChunk, or null when the trace moved on or is empty.
 */
export function beginTextIndex(ws: Workspace, traceId: string, fingerprint: string): { lo: number; hi: number } | null {
  return beginIn(writerOf(ws), traceId, fingerprint);
}

function beginIn(db: Database.Database, traceId: string, fingerprint: string): { lo: number; hi: number } | null {
  if (traceFingerprint(db, traceId) !== fingerprint) return null;
  const stale = `SELECT id FROM span_text_map WHERE trace_id = ? OR trace_id NOT IN (SELECT id FROM traces)`;
  db.prepare(`DELETE FROM span_text WHERE rowid IN (${stale})`).run(traceId);
  db.prepare(`DELETE FROM span_text_map WHERE id IN (${stale})`).run(traceId);
  db.prepare('DELETE FROM span_text_state WHERE trace_id = ? OR trace_id NOT IN (SELECT id FROM traces)').run(traceId);
  db.prepare('INSERT INTO span_text_state (trace_id, fingerprint, complete) VALUES (?, ?, 0)').run(traceId, fingerprint);
  db.prepare(
    'INSERT INTO span_text_map (trace_id, span_id) SELECT trace_id, span_id FROM spans WHERE trace_id = ? ORDER BY seq',
  ).run(traceId);
  const ids = db.prepare('SELECT min(id) AS lo, max(id) AS hi FROM span_text_map WHERE trace_id = ?').get(traceId) as {
    lo: number | null;
    hi: number | null;
  };
  return ids.lo === null || ids.hi === null ? null : { lo: ids.lo, hi: ids.hi };
}

const INDEX_RANGE = `INSERT INTO span_text (rowid, text)
  SELECT m.id, s.body FROM span_text_map m JOIN spans s ON s.trace_id = m.trace_id AND s.span_id = m.span_id
   WHERE m.id >= ? AND m.id < ?`;
const COMPLETE = 'UPDATE span_text_state SET complete = 1 WHERE trace_id = ? AND fingerprint = ?';

/** Indexes the bodies of map rows lo ≤ id < end. Call inside `ws.exclusive`; false when the trace moved on. */
function indexTextChunk(ws: Workspace, traceId: string, fingerprint: string, lo: number, end: number): boolean {
  const db = writerOf(ws);
  if (traceFingerprint(db, traceId) !== fingerprint) return false;
  db.prepare(INDEX_RANGE).run(lo, end);
  return true;
}

/**
 * Fills the map rows `ids` (from beginTextIndex) in chunks of `chunk`, each its own short write
 * transaction, so other writers never wait for a whole build. False when the trace moved on or
 * the workspace closed. On a workspace file this runs on a worker thread with its own connection
 * (textIndexWorker.ts): tokenising the bodies is most of an import's prepare (~2.5 s CPU for a
 * 100k-span trace) and the import's own thread derives the columns and analysis meanwhile.
 */
export async function indexTextChunks(
  ws: Workspace,
  traceId: string,
  fingerprint: string,
  ids: { lo: number; hi: number },
  chunk: number,
): Promise<boolean> {
  if (ws.path !== ':memory:') return indexOffThread(ws, { traceId, fingerprint, ...ids, chunk, fingerprintSql: FINGERPRINT, indexSql: INDEX_RANGE });
  // An in-memory workspace (tests) has no file another connection could open.
  const what = `text index of trace ${traceId}`;
  for (let lo = ids.lo; lo <= ids.hi; lo += chunk) {
    if (!ws.isOpen) return false;
    const end = Math.min(lo + chunk, ids.hi + 1);
    if (!(await ws.exclusive(async () => indexTextChunk(ws, traceId, fingerprint, lo, end), { what }))) return false;
    await new Promise((r) => setImmediate(r));
  }
  return true;
}

/** Marks the index of this version complete. Call inside `ws.exclusive`. */
export function completeTextIndex(ws: Workspace, traceId: string, fingerprint: string): void {
  writerOf(ws).prepare(COMPLETE).run(traceId, fingerprint);
}

/**
 * Live OTLP: keeps a trace's index complete across one merged request, in that request's write
 * transaction (`db` is the connection it writes on), at a cost proportional to the request, not
 * to the trace. `before` is the trace as it was before the request: its version, span count and
 * highest `seq` (merged rows, new or re-sent, get a higher one; a synthetic root has seq -1).
 * A trace that grows past `buildFrom` spans gets its index built in full once, here; a trace whose
 * index did not hold the previous version is left to a full rebuild when next searched.
 */
export function indexMergedSpans(
  db: Database.Database,
  traceId: string,
  before: { fingerprint: string | null; spanCount: number; maxSeq: number },
  buildFrom: number,
): void {
  const now = traceFingerprint(db, traceId);
  if (now === null) return;
  const state = db
    .prepare('SELECT fingerprint, complete FROM span_text_state WHERE trace_id = ?')
    .get(traceId) as { fingerprint: string; complete: number } | undefined;
  if (!state || state.complete !== 1 || state.fingerprint !== before.fingerprint) {
    const count = (db.prepare('SELECT span_count AS n FROM traces WHERE id = ?').get(traceId) as { n: number }).n;
    if (before.spanCount < buildFrom && count >= buildFrom) {
      const ids = beginIn(db, traceId, now);
      if (ids) db.prepare(INDEX_RANGE).run(ids.lo, ids.hi + 1);
      db.prepare(COMPLETE).run(traceId, now);
    }
    return;
  }
  // Re-sent spans may carry a new body: their old index rows go, and every merged row is indexed.
  // Every statement here is a range or point look-up (spans_seq, span_text_map_span): nothing
  // reads the rest of the trace, so a request costs the same in a 100-span and a 100k-span trace.
  const params = { traceId, maxSeq: before.maxSeq };
  const merged = `SELECT span_id FROM spans WHERE trace_id = :traceId AND seq > :maxSeq`;
  const old = `SELECT m.id FROM (${merged}) s
                 JOIN span_text_map m INDEXED BY span_text_map_span ON m.trace_id = :traceId AND m.span_id = s.span_id`;
  db.prepare(`DELETE FROM span_text WHERE rowid IN (${old})`).run(params);
  db.prepare(`DELETE FROM span_text_map WHERE id IN (${old})`).run(params);
  const lo = (db.prepare('SELECT coalesce(max(id), 0) AS m FROM span_text_map').get() as { m: number }).m + 1;
  db.prepare(
    `INSERT INTO span_text_map (trace_id, span_id)
       SELECT trace_id, span_id FROM spans WHERE trace_id = :traceId AND seq > :maxSeq ORDER BY seq`,
  ).run(params);
  // The synthetic root (seq -1) is written again by every request that keeps it: indexed once.
  db.prepare(
    `INSERT INTO span_text_map (trace_id, span_id)
       SELECT trace_id, span_id FROM spans s WHERE trace_id = :traceId AND seq = -1
          AND NOT EXISTS (SELECT 1 FROM span_text_map m INDEXED BY span_text_map_span
                           WHERE m.trace_id = s.trace_id AND m.span_id = s.span_id)`,
  ).run({ traceId });
  db.prepare(INDEX_RANGE).run(lo, Number.MAX_SAFE_INTEGER);
  db.prepare('UPDATE span_text_state SET fingerprint = ? WHERE trace_id = ?').run(now, traceId);
}

// ---- span search ----------------------------------------------------------------------------------

/** Spans whose body contains `needle` (ASCII case-insensitive), candidates from the trigram index. */
export function bodyMatchesIndexed(ws: Workspace, traceId: string, match: string, lowerNeedle: string): string[] {
  return readerOf(ws)
    .prepare(
      `SELECT m.span_id FROM span_text t
         JOIN span_text_map m ON m.id = t.rowid
         JOIN spans s ON s.trace_id = m.trace_id AND s.span_id = m.span_id
        WHERE span_text MATCH :match AND m.trace_id = :traceId AND instr(lower(s.body), :lower) > 0`,
    )
    .pluck()
    .all({ match, traceId, lower: lowerNeedle }) as string[];
}

/** The same answer as bodyMatchesIndexed, by reading every body of the trace. */
export function bodyMatchesScan(ws: Workspace, traceId: string, needle: string): string[] {
  return readerOf(ws)
    .prepare(`SELECT span_id FROM spans WHERE trace_id = ? AND body LIKE ? ESCAPE '!'`)
    .pluck()
    .all(traceId, `%${needle.replace(/[!%_]/g, (c) => `!${c}`)}%`) as string[];
}

/** Spans with attribute `key`, whose value contains `lowerValue` (ASCII-folded) when given. */
export function attributeMatches(ws: Workspace, traceId: string, key: string, lowerValue: string | null): string[] {
  const db = readerOf(ws);
  const v = lowerValue;
  if (!key.includes('"')) {
    // json_extract on the key's path is ~2× faster than json_each; the path quotes the key, so
    // dotted keys (gen_ai.tool.name) are one key, not a nested path.
    const path = `$.attributes."${key}"`;
    return db
      .prepare(
        `SELECT span_id FROM spans WHERE trace_id = :traceId AND json_type(body, :path) IS NOT NULL
           ${v !== null ? `AND instr(lower(CAST(json_extract(body, :path) AS TEXT)), :v) > 0` : ''}`,
      )
      .pluck()
      .all({ traceId, path, ...(v !== null ? { v } : {}) }) as string[];
  }
  return db
    .prepare(
      `SELECT span_id FROM spans s WHERE trace_id = :traceId AND EXISTS (
         SELECT 1 FROM json_each(s.body, '$.attributes') a WHERE a.key = :key
         ${v !== null ? `AND instr(lower(CAST(a.value AS TEXT)), :v) > 0` : ''})`,
    )
    .pluck()
    .all({ traceId, key, ...(v !== null ? { v } : {}) }) as string[];
}
