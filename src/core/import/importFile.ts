import type { FormatId } from '../model/types';
import type { FormatImporter, ImportSource, StoredTrace } from '../formats/types';
import { detectFormat, importerById, IMPORTERS, sniffAll } from '../formats/registry';
import { refusalDetail } from '../formats/shape';
import { emitOtlpRequest, type OtlpTracesRequest } from '../formats/otlp/otlpSpan';
import { tracesOfSpans } from '../store/spanLookup';
import { beginStaging, clashWarning, publishStaged, removeStaging, type TraceIdClash } from '../store/staging';
import { WorkspaceReadOnlyError, type Workspace } from '../store/workspace';
import { ImportError, errorMessage } from '../util/errors';
import { bufferSource, fileSource, hashBuffer, hashFile, type ProgressFn } from './source';
import { ImportWriter, type WriteMode } from '../store/importWriter';
import { insertImport, markImportDone, markImportFailed } from '../store/imports';
import { checkpointOffThread, pauseAutoCheckpoint } from '../store/walCheckpoint';
import { prepareTraces } from '../view/traceViews';
import { INDEX_MIN_SPANS } from '../view/textIndex';
import type { ParsedFile, StagedFile } from '../view/stagedViews';

export interface ImportOptions {
  /** Skip detection. */
  format?: FormatId;
  onProgress?: ProgressFn;
  /** Import again even when the same bytes were imported before. */
  force?: boolean;
  mode?: WriteMode;
  /** Name to record instead of the path (uploads keep the user's file name). */
  displayName?: string;
  /** A stored trace with the same id from a different file is kept; this file's copy gets a new id. */
  keepBoth?: boolean;
  /** The file's SHA-256 (hex), when the caller hashed it as it received it (uploads): not read twice. */
  contentHash?: string;
  /** How long to wait for another process's write lock (default: the workspace's). */
  lockWaitMs?: number;
  /**
   * The path came from an API caller, not the user's own command line or file dialog: a file
   * that cannot be opened or is not a trace gets one message that does not tell whether the
   * path exists, is readable or is a directory (the API must not be a file-system probe).
   */
  untrustedPath?: boolean;
  /**
   * Prepare big traces for viewing as part of the import (core/view prepareTraces; default).
   * false stores only: for measuring the two apart and for tests of unprepared traces.
   */
  prepare?: boolean;
  /**
   * Called once the file is parsed, before its write ends (file imports only, traces of up to
   * PREVIEW_MAX_SPANS spans): its traces as they will be stored, computed in memory, so they can
   * be shown at once (core/view/stagedViews.ts). May return a release, called when the import
   * ends; the write waits for the returned promise.
   */
  onParsed?: (parsed: ParsedFile) => Promise<(() => void) | void>;
  /**
   * Called once the file is parsed and staged, before it is published (file imports only): the
   * staged traces can be shown from here on (core/view/stagedViews.ts). May return a release,
   * called before the staging file is removed; publishing waits for the returned promise.
   */
  onStaged?: (staged: StagedFile) => Promise<(() => void) | void>;
  /** Called once the file's traces are stored, before they are prepared for viewing. */
  onPublished?: (traceIds: readonly string[]) => void;
}

/**
 * Files from this size on get their checkpoint on a worker thread (store/walCheckpoint.ts); below
 * it the thread's start costs more than the work it takes over.
 */
const BIG_FILE_BYTES = 8 * 1024 * 1024;

/**
 * Above this many spans a file is not previewed (onParsed): its summaries would be held in memory
 * beside the parser's while it is read; it is shown once staged instead.
 */
const PREVIEW_MAX_SPANS = 500_000;

const OPAQUE_REJECTION = 'cannot import: no readable trace file at this path (missing, not readable, or not a trace format)';

export interface ImportResult {
  source: string;
  format: FormatId;
  importId: number;
  traceIds: string[];
  spanCount: number;
  warnings: string[];
  /** True when these exact bytes were imported before and their traces are still stored. */
  unchanged: boolean;
  /** Stored traces another file also held: replaced, or kept beside this copy (keepBoth). */
  clashes?: TraceIdClash[];
}

export async function importFile(ws: Workspace, path: string, opts: ImportOptions = {}): Promise<ImportResult> {
  const name = opts.displayName ?? path;
  let source: ImportSource;
  let hash: string;
  try {
    source = await fileSource(path, opts.onProgress);
    hash = opts.contentHash ?? (await hashFile(path));
  } catch (e) {
    // Unreadable file or corrupt gzip: still a failed attempt the import history should show.
    const err = e instanceof ImportError ? e : new ImportError(name, errorMessage(e));
    throw await recordRejected(ws, name, null, opts.untrustedPath ? new ImportError(name, OPAQUE_REJECTION) : err);
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

/**
 * Live OTLP: one export request the receiver has already decoded (to answer an empty or malformed
 * one without an import record) merged into the stored traces. Its spans are emitted from that
 * decoded request: the body is not parsed a second time, nor hashed (merge imports keep no hash).
 */
export async function importOtlpRequest(
  ws: Workspace,
  name: string,
  request: OtlpTracesRequest,
  format: 'otlp-json' | 'otlp-proto',
  opts: Pick<ImportOptions, 'lockWaitMs'> = {},
): Promise<ImportResult> {
  if (ws.damaged) throw new WorkspaceReadOnlyError(ws.path, ws.damaged);
  const importer: FormatImporter = {
    ...importerById(format),
    parse: async (_source, sink) => {
      emitOtlpRequest(request, name, sink);
    },
  };
  return mergeImport(ws, bufferSource(name, Buffer.alloc(0)), importer, { ...opts, mode: 'merge', format }, `import of ${name}`);
}

/** A file refused before anything was written: one 'failed' row in the import history. */
async function recordRejected(ws: Workspace, source: string, hash: string | null, err: ImportError): Promise<ImportError> {
  if (ws.damaged) return err; // read-only: the error itself is the record
  await ws.exclusive(
    async () => insertImport(ws, { source, contentHash: hash, format: null, status: 'failed', error: err.message }),
    { what: `import of ${source}`, lockWaitMs: WAIT_FOR_RECORD_MS },
  ).catch(() => undefined); // the history row is a courtesy; the error is what the user must see
  return err;
}

/** A history row for a refused file is not worth a long wait. */
const WAIT_FOR_RECORD_MS = 2000;

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
 * One file = all or nothing, and never a long write lock:
 * - replace mode (files): the import row is committed first as 'running' (so a crash leaves a
 *   record); the file is parsed, repaired and aggregated into a private staging database with
 *   no lock on the workspace; then one short transaction swaps its traces in (store/staging.ts).
 *   Any error drops the staging file, and stored traces stay exactly as they were.
 * - merge mode (live OTLP requests, small): parsed straight into one write transaction, since
 *   merging needs the stored spans.
 */
async function runImport(ws: Workspace, source: ImportSource, hash: string, opts: ImportOptions): Promise<ImportResult> {
  source = {
    ...source,
    storedTrace: (id) => storedTrace(ws, id),
    storedEvaluations: (id) => ws.getRecordedEvaluations(id),
    tracesOfSpans: (ids) => tracesOfSpans(ws, ids),
  };
  if (ws.damaged) {
    const readOnly = new WorkspaceReadOnlyError(ws.path, ws.damaged);
    throw opts.mode === 'merge' ? readOnly : new ImportError(source.name, readOnly.message);
  }
  let importer: FormatImporter;
  try {
    importer = pickImporter(source, opts.format);
  } catch (e) {
    const err = e instanceof ImportError ? e : new ImportError(source.name, errorMessage(e));
    throw await recordRejected(ws, source.name, hash, opts.untrustedPath ? new ImportError(source.name, OPAQUE_REJECTION) : err);
  }
  const what = `import of ${source.name}`;
  if (opts.mode === 'merge') return mergeImport(ws, source, importer, opts, what);

  if (!opts.force) {
    const prev = ws.findCompletedImport(hash);
    if (prev) {
      // Same bytes, traces still stored: nothing to do, and nothing worth a history row.
      return {
        source: source.name,
        format: importer.id,
        importId: prev.id,
        traceIds: ws.traceIdsOfImport(prev.id),
        spanCount: prev.spanCount,
        warnings: [],
        unchanged: true,
      };
    }
  }
  // Committed before staging, so a crash mid-file still leaves a record.
  const importId = await ws.exclusive(
    async () => insertImport(ws, { source: source.name, contentHash: hash, format: importer.id, status: 'running' }),
    { what, lockWaitMs: opts.lockWaitMs },
  ).catch((e: unknown) => {
    throw new ImportError(source.name, errorMessage(e));
  });
  const stagingPath = ws.stagingPath(importId);
  let staging: ReturnType<typeof beginStaging> | null = null;
  let release: (() => void) | void = undefined;
  let releaseParsed: (() => void) | void = undefined;
  let stagedIds: string[] = [];
  const big = source.size >= BIG_FILE_BYTES;
  let checkpointed: Promise<void> | null = null;
  try {
    let writer: ImportWriter;
    try {
      staging = beginStaging(stagingPath, source.name, importer.id, importId);
      writer = staging.writer;
      if (opts.onParsed) writer.keepPreview(PREVIEW_MAX_SPANS);
      await importer.parse(source, writer);
      if (opts.onParsed) {
        const traces = writer.previews();
        // A viewer's failure must not fail the import: the file is stored either way.
        if (traces.length) {
          releaseParsed = await opts
            .onParsed({ source: source.name, traces, spanCount: writer.spanCount })
            .catch(() => undefined);
        }
      }
      stagedIds = staging.finish();
      if (stagedIds.length === 0) throw new ImportError(source.name, `no spans found (read as ${importer.label})`);
      staging.commit();
    } catch (e) {
      throw e instanceof ImportError
        ? e
        : new ImportError(source.name, `${importer.label} import failed: ${errorMessage(withStagingName(stagingPath, e))}`);
    } finally {
      staging?.close();
      staging = null;
    }
    // A viewer's failure must not fail the import: the file is stored either way.
    if (opts.onStaged) {
      release = await opts
        .onStaged({ source: source.name, stagingPath, traceIds: stagedIds, spanCount: writer.spanCount })
        .catch(() => undefined);
    }
    // A big file's checkpoint runs on a worker thread while this one prepares the view
    // (store/walCheckpoint.ts); the import returns once it is done.
    const resumeCheckpoints = big ? pauseAutoCheckpoint(ws) : () => undefined;
    const published = await publishStaged(ws, {
      stagingPath,
      importId,
      file: source.name,
      keepBoth: opts.keepBoth ?? false,
      spanCount: writer.spanCount,
      warnings: () => [...writer.warnings],
      what,
      lockWaitMs: opts.lockWaitMs,
    }).catch((e: unknown) => {
      resumeCheckpoints();
      throw new ImportError(source.name, errorMessage(e));
    });
    if (big) checkpointed = checkpointOffThread(ws).finally(resumeCheckpoints);
    opts.onPublished?.(published.traceIds);
    // Part of the import, for every entry point: a big trace is ready to open and search at once.
    // A cache: if it cannot be written now (lock held elsewhere), the view derives it on open.
    if (opts.prepare !== false) await prepareTraces(ws, published.traceIds).catch(() => undefined);
    const warnings = [...writer.warnings];
    for (const c of published.clashes) warnings.push(clashWarning(source.name, c, opts.keepBoth ?? false));
    return {
      source: source.name,
      format: importer.id,
      importId,
      traceIds: published.traceIds,
      spanCount: writer.spanCount,
      warnings,
      unchanged: false,
      clashes: published.clashes,
    };
  } catch (e) {
    const err = e instanceof ImportError ? e : new ImportError(source.name, errorMessage(e));
    await markFailed(ws, importId, err);
    throw err;
  } finally {
    await checkpointed;
    if (release) release();
    if (releaseParsed) releaseParsed();
    removeStaging(stagingPath);
  }
}

async function markFailed(ws: Workspace, importId: number, err: ImportError): Promise<void> {
  await ws
    .exclusive(
      async () => markImportFailed(ws, importId, err.message),
      { what: `import of ${err.file}`, lockWaitMs: WAIT_FOR_RECORD_MS },
    )
    // Not recorded now (the lock stayed busy): the row stays 'running', and the next open of the
    // workspace marks it interrupted. The user sees this error either way.
    .catch(() => undefined);
}

/** Live OTLP: the request's spans merge into stored traces inside one write transaction. */
async function mergeImport(
  ws: Workspace,
  source: ImportSource,
  importer: FormatImporter,
  opts: ImportOptions,
  what: string,
): Promise<ImportResult> {
  return ws.exclusive(
    async () => {
      const importId = insertImport(ws, { source: source.name, contentHash: null, format: importer.id, status: 'running' });
      const writer = ImportWriter.merging(ws, source.name, importer.id, importId);
      try {
        await importer.parse(source, writer);
      } catch (e) {
        throw e instanceof ImportError ? e : new ImportError(source.name, `${importer.label} import failed: ${errorMessage(e)}`);
      }
      const traceIds = writer.finish();
      if (traceIds.length === 0) throw new ImportError(source.name, `no spans found (read as ${importer.label})`);
      writer.indexMerged(INDEX_MIN_SPANS);
      markImportDone(ws, importId, { traceCount: traceIds.length, spanCount: writer.spanCount, warnings: writer.warnings });
      return {
        source: source.name,
        format: importer.id,
        importId,
        traceIds,
        spanCount: writer.spanCount,
        warnings: writer.warnings,
        unchanged: false,
      };
    },
    { what, lockWaitMs: opts.lockWaitMs },
  );
}

/** Errors of the staging file (e.g. disk full) name it and say it is a temporary copy. */
function withStagingName(path: string, e: unknown): unknown {
  const code = (e as { code?: string }).code ?? '';
  if (!(e instanceof Error) || !code.startsWith('SQLITE_')) return e;
  const full = code === 'SQLITE_FULL' ? ' (the disk is full: free space and import again)' : '';
  return new Error(`${e.message}${full} while writing the import's staging copy ${path}`);
}

/** A stored trace read back for importers that merge files into one trace (formats/types.ts). */
function storedTrace(ws: Workspace, traceId: string): StoredTrace | undefined {
  const t = ws.getTrace(traceId);
  return t ? { sourceFile: t.sourceFile, meta: t.meta, spans: ws.getSpans(traceId) } : undefined;
}
