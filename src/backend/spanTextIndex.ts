import type Database from 'better-sqlite3';
import type { Workspace } from '../core/store/workspace';

/**
 * Trigram index over span bodies (tables span_text, span_text_map, span_text_state: schema
 * migration 5), built per trace on demand, so substring search in a 100k-span trace answers from
 * an index instead of reading every body. Measured on the bench trace (100k spans, 250 MB of
 * table): a body scan takes ~600 ms whatever the needle; the index answers rare needles in
 * 1–30 ms and a needle found in 12k spans in ~200 ms (candidates are verified on the body).
 *
 * Contentless FTS5 (no second copy of the bodies) with detail=none: a query is the AND of the
 * needle's trigrams, which gives a superset, and every candidate is checked with instr() on its
 * body — so results equal the scan's exactly. Built in chunks through the workspace's write
 * queue, yielding between chunks, so imports and the UI never wait for a whole build; until a
 * trace's index is complete (and matches the trace's current version), searches scan.
 */

/** Below this many spans a scan is already instant: no index. */
export const INDEX_MIN_SPANS = 10_000;
const CHUNK = 2000;

/**
 * Version of a stored trace: changes when it is re-imported or live OTLP spans arrive. Computed
 * in SQL for every caller so the text form of the numbers is the same everywhere.
 */
export function traceFingerprint(db: Database.Database, traceId: string): string | null {
  const row = db
    .prepare(
      `SELECT import_id || ':' || span_count || ':' || coalesce(start_ms, '') || ':' || coalesce(end_ms, '') || ':' ||
              error_count || ':' || imported_at AS fp FROM traces WHERE id = ?`,
    )
    .get(traceId) as { fp: string } | undefined;
  return row ? row.fp : null;
}

/** The FTS5 query for a needle: all its trigrams (code points, as the tokenizer counts). */
export function trigramQuery(needle: string): string | null {
  const cps = Array.from(needle.toLowerCase());
  if (cps.length < 3) return null;
  const grams = new Set<string>();
  for (let i = 0; i + 3 <= cps.length; i++) grams.add(cps.slice(i, i + 3).join(''));
  return [...grams].map((g) => `"${g.replace(/"/g, '""')}"`).join(' AND ');
}

export class SpanTextIndex {
  private readonly building = new Map<string, string>();
  private readonly ready = new Map<string, string>();

  constructor(private readonly ws: Workspace) {}

  /** True when the index holds exactly this version of the trace. */
  isReady(traceId: string, fingerprint: string): boolean {
    if (this.ready.get(traceId) === fingerprint) return true;
    const row = this.ws.readDb
      .prepare('SELECT fingerprint, complete FROM span_text_state WHERE trace_id = ?')
      .get(traceId) as { fingerprint: string; complete: number } | undefined;
    if (row && row.complete === 1 && row.fingerprint === fingerprint) {
      this.ready.set(traceId, fingerprint);
      return true;
    }
    return false;
  }

  /** Start building the index for this version of the trace unless it exists or is being built. */
  ensure(traceId: string, fingerprint: string): Promise<void> {
    if (this.isReady(traceId, fingerprint) || this.building.get(traceId) === fingerprint) return Promise.resolve();
    this.building.set(traceId, fingerprint);
    return this.build(traceId, fingerprint)
      .catch(() => undefined) // an index is an optimisation: searches keep scanning
      .finally(() => {
        if (this.building.get(traceId) === fingerprint) this.building.delete(traceId);
      });
  }

  private async build(traceId: string, fingerprint: string): Promise<void> {
    const db = this.ws.db;
    const ids = await this.ws.exclusive(async () => {
      if (traceFingerprint(db, traceId) !== fingerprint) return null;
      db.transaction(() => {
        // Drop this trace's old rows and whatever deleted traces left behind.
        const stale = `SELECT id FROM span_text_map WHERE trace_id = ? OR trace_id NOT IN (SELECT id FROM traces)`;
        db.prepare(`DELETE FROM span_text WHERE rowid IN (${stale})`).run(traceId);
        db.prepare(`DELETE FROM span_text_map WHERE id IN (${stale})`).run(traceId);
        db.prepare('DELETE FROM span_text_state WHERE trace_id = ? OR trace_id NOT IN (SELECT id FROM traces)').run(
          traceId,
        );
        db.prepare('INSERT INTO span_text_state (trace_id, fingerprint, complete) VALUES (?, ?, 0)').run(
          traceId,
          fingerprint,
        );
        db.prepare(
          'INSERT INTO span_text_map (trace_id, span_id) SELECT trace_id, span_id FROM spans WHERE trace_id = ? ORDER BY seq',
        ).run(traceId);
      })();
      return db
        .prepare('SELECT min(id) AS lo, max(id) AS hi FROM span_text_map WHERE trace_id = ?')
        .get(traceId) as { lo: number | null; hi: number | null };
    });
    if (!ids || ids.lo === null || ids.hi === null) return;
    const insert = db.prepare(
      `INSERT INTO span_text (rowid, text)
         SELECT m.id, s.body FROM span_text_map m JOIN spans s ON s.trace_id = m.trace_id AND s.span_id = m.span_id
          WHERE m.id >= ? AND m.id < ?`,
    );
    for (let lo = ids.lo; lo <= ids.hi; lo += CHUNK) {
      if (!db.open) return;
      const same = await this.ws.exclusive(async () => {
        if (traceFingerprint(db, traceId) !== fingerprint) return false;
        db.transaction(() => insert.run(lo, Math.min(lo + CHUNK, ids.hi! + 1)))();
        return true;
      });
      if (!same) return;
      await new Promise((r) => setImmediate(r));
    }
    await this.ws.exclusive(async () => {
      db.prepare('UPDATE span_text_state SET complete = 1 WHERE trace_id = ? AND fingerprint = ?').run(
        traceId,
        fingerprint,
      );
    });
    this.ready.set(traceId, fingerprint);
  }
}
