import type { FormatId } from '../model/types';
import type { FormatImporter, ImportSource } from '../formats/types';
import { detectFormat, importerById, IMPORTERS, sniffAll } from '../formats/registry';
import { refusalDetail } from '../formats/shape';
import type { Workspace } from '../store/workspace';
import { ImportError, errorMessage } from '../util/errors';
import { bufferSource, fileSource, hashBuffer, hashFile, type ProgressFn } from './source';
import { ImportWriter, type WriteMode } from './writer';

export interface ImportOptions {
  /** Skip detection. */
  format?: FormatId;
  onProgress?: ProgressFn;
  /** Import again even when the same bytes were imported before. */
  force?: boolean;
  mode?: WriteMode;
  /** Name to record instead of the path (uploads keep the user's file name). */
  displayName?: string;
}

export interface ImportResult {
  source: string;
  format: FormatId;
  importId: number;
  traceIds: string[];
  spanCount: number;
  warnings: string[];
  /** True when these exact bytes were imported before and their traces are still stored. */
  unchanged: boolean;
}

export async function importFile(ws: Workspace, path: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const name = opts.displayName ?? path;
  let source: ImportSource;
  let hash: string;
  try {
    source = await fileSource(path, opts.onProgress);
    hash = await hashFile(path);
  } catch (e) {
    // Unreadable file or corrupt gzip: still a failed attempt the import history should show.
    throw recordRejected(ws, name, null, e instanceof ImportError ? e : new ImportError(name, errorMessage(e)));
  }
  return runImport(ws, { ...source, name }, hash, opts);
}

export async function importBuffer(
  ws: Workspace,
  name: string,
  data: Buffer,
  opts: ImportOptions = {},
): Promise<ImportResult> {
  return runImport(ws, bufferSource(name, data), hashBuffer(data), opts);
}

/** A file refused before anything was written: one 'failed' row in the import history. */
function recordRejected(ws: Workspace, source: string, hash: string | null, err: ImportError): ImportError {
  const now = Date.now();
  ws.db
    .prepare(
      `INSERT INTO imports (source, content_hash, started_at, finished_at, status, error) VALUES (?, ?, ?, ?, 'failed', ?)`,
    )
    .run(source, hash, now, now, err.message);
  return err;
}

function pickImporter(source: ImportSource, format?: FormatId): FormatImporter {
  if (format) return importerById(format);
  const found = detectFormat(source.name, source.head);
  if (!found) {
    if (source.size === 0) throw new ImportError(source.name, 'file is empty');
    const guess = sniffAll(source.name, source.head)[0];
    throw new ImportError(source.name, refusalDetail(source.head, IMPORTERS, guess && guess.confidence > 0 ? guess.importer : undefined));
  }
  return found.importer;
}

/**
 * One file = one transaction. The import row is committed first as 'running' (so a crash leaves
 * a record), then every span goes in inside BEGIN … COMMIT; any error rolls back everything the
 * file wrote, and stored traces stay exactly as they were.
 */
async function runImport(ws: Workspace, source: ImportSource, hash: string, opts: ImportOptions): Promise<ImportResult> {
  return ws.exclusive(async () => {
    const db = ws.db;
    let importer: FormatImporter;
    try {
      importer = pickImporter(source, opts.format);
    } catch (e) {
      throw recordRejected(ws, source.name, hash, e instanceof ImportError ? e : new ImportError(source.name, errorMessage(e)));
    }
    if (!opts.force && opts.mode !== 'merge') {
      const prev = ws.findCompletedImport(hash);
      if (prev) {
        // Same bytes, traces still stored: nothing to do, and nothing worth a history row.
        const ids = db.prepare('SELECT id FROM traces WHERE import_id = ?').all(prev.id) as { id: string }[];
        return {
          source: source.name,
          format: importer.id,
          importId: prev.id,
          traceIds: ids.map((r) => r.id),
          spanCount: prev.spanCount,
          warnings: [],
          unchanged: true,
        };
      }
    }
    // Committed before the transaction opens, so a crash mid-file still leaves a record.
    const importId = Number(
      db
        .prepare(`INSERT INTO imports (source, content_hash, format, started_at, status) VALUES (?, ?, ?, ?, 'running')`)
        .run(source.name, hash, importer.id, Date.now()).lastInsertRowid,
    );
    const fail = (err: ImportError) => {
      db.prepare(`UPDATE imports SET status = 'failed', finished_at = ?, error = ? WHERE id = ?`).run(
        Date.now(),
        err.message,
        importId,
      );
      return err;
    };
    const writer = new ImportWriter(db, source.name, importer.id, importId, opts.mode ?? 'replace');
    db.exec('BEGIN IMMEDIATE');
    try {
      await importer.parse(source, writer);
      const traceIds = writer.finish();
      if (traceIds.length === 0) throw new ImportError(source.name, `no spans found (read as ${importer.label})`);
      db.prepare(
        `UPDATE imports SET status = 'ok', finished_at = ?, trace_count = ?, span_count = ?, warnings = ? WHERE id = ?`,
      ).run(Date.now(), traceIds.length, writer.spanCount, JSON.stringify(writer.warnings), importId);
      db.exec('COMMIT');
      return {
        source: source.name,
        format: importer.id,
        importId,
        traceIds,
        spanCount: writer.spanCount,
        warnings: writer.warnings,
        unchanged: false,
      };
    } catch (e) {
      if (db.inTransaction) db.exec('ROLLBACK');
      throw fail(
        e instanceof ImportError ? e : new ImportError(source.name, `${importer.label} import failed: ${errorMessage(e)}`),
      );
    }
  });
}
