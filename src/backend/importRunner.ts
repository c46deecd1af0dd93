import { importFile, type ImportResult } from '../core/import/importFile';
import type { FormatId } from '../core/model/types';
import type { Workspace } from '../core/store/workspace';
import type { StagedViews } from '../core/view/stagedViews';
import { errorMessage } from '../core/util/errors';
import type { ImportOutcome } from '../shared/api';
import type { ApiEventEmitter } from './events';

/** One file to import. `displayName` replaces the path in records and messages (uploads). */
export interface ImportRequest {
  path: string;
  displayName?: string;
  format?: FormatId;
  force?: boolean;
  /** The path came from the API (see ImportOptions.untrustedPath). */
  untrustedPath?: boolean;
  /** Keep a stored trace that another file also holds (see ImportOptions.keepBoth). */
  keepBoth?: boolean;
  /** The file's SHA-256, hashed by the caller as it received the file (uploads). */
  contentHash?: string;
  /** Someone is about to look at the file's trace (when it holds one): answer that view before writing. */
  open?: boolean;
}

interface ImportProgress {
  source: string;
  bytesDone: number;
  bytesTotal: number;
}

export type ImportProgressFn = (p: ImportProgress) => void;

/** How long a file import waits for another process's write lock before failing. */
const FILE_IMPORT_LOCK_WAIT_MS = 30 * 60_000;

/**
 * How long an opened file's write waits for its viewer to load the parsed trace. Writing holds
 * this process for seconds; a viewer that does not ask (closed tab) delays it this much.
 */
const OPEN_VIEW_WAIT_MS = 5000;

/** Progress events are for eyes, not bookkeeping: a few per second per file is plenty. */
const PROGRESS_INTERVAL_MS = 100;

/**
 * Imports files one after the other (each one transaction, see core/import/importFile). A file
 * that fails is reported in its outcome and the rest still go in.
 */
export async function runImports(
  ws: Workspace,
  requests: ImportRequest[],
  events: ApiEventEmitter,
  onProgress?: ImportProgressFn,
  staged?: StagedViews,
): Promise<ImportOutcome[]> {
  const outcomes: ImportOutcome[] = [];
  const changed = new Set<string>();
  for (const req of requests) {
    const source = req.displayName ?? req.path;
    let last = 0;
    const progress = (bytesDone: number, bytesTotal: number) => {
      const now = Date.now();
      if (bytesDone < bytesTotal && now - last < PROGRESS_INTERVAL_MS) return;
      last = now;
      const p = { source, bytesDone, bytesTotal };
      onProgress?.(p);
      events.send({ type: 'import-progress', ...p });
    };
    let previewed = false;
    /** The file's traces can be shown: tell the UI; an opened file's write waits for its view. */
    const shown = async (traceIds: readonly string[], spanCount: number) => {
      events.send({ type: 'import-staged', source, traceIds: [...traceIds], spanCount, open: req.open === true });
      // A file of one trace opens in the view (the UI's rule too, useImports); many go to the library.
      if (!req.open || traceIds.length !== 1) return;
      // Its view is derived while the page reacts to the event, then the write waits for it.
      staged!.deriveAhead(traceIds[0]!);
      await staged!.whenViewed(traceIds[0]!, OPEN_VIEW_WAIT_MS);
    };
    let outcome: ImportOutcome;
    try {
      const result = await importFile(ws, req.path, {
        format: req.format,
        force: req.force,
        displayName: req.displayName,
        untrustedPath: req.untrustedPath,
        keepBoth: req.keepBoth,
        contentHash: req.contentHash,
        // The user waits on a progress bar: a file queues behind another process's import.
        lockWaitMs: FILE_IMPORT_LOCK_WAIT_MS,
        onProgress: progress,
        // The file's traces are viewable from its parsed spans while it is written (stagedViews):
        // a file someone opens, from what the import computed in memory as soon as it is parsed
        // (onParsed: the preview costs a little time and memory, worth it only for a viewer),
        // and every file from its staging file once staged (onStaged).
        onParsed: staged && req.open
          ? async (file) => {
              const release = staged.preview(file);
              const traceIds = file.traces.map((t) => t.summary.traceId);
              previewed = true;
              await shown(traceIds, file.spanCount);
              return release;
            }
          : undefined,
        onStaged: staged
          ? async (file) => {
              const release = staged.add(file);
              if (!previewed) await shown(file.traceIds, file.spanCount);
              return release;
            }
          : undefined,
        onPublished: (traceIds) => events.send({ type: 'import-published', source, traceIds: [...traceIds] }),
      });
      outcome = successOutcome(result);
      if (!result.unchanged) for (const id of result.traceIds) changed.add(id);
    } catch (e) {
      // ImportError messages already name the file and the position.
      outcome = { source, ok: false, traceIds: [], spanCount: 0, warnings: [], error: errorMessage(e) };
    }
    outcomes.push(outcome);
    events.send({ type: 'import-finished', outcome });
  }
  if (changed.size > 0) events.send({ type: 'traces-changed', traceIds: [...changed], reason: 'import' });
  return outcomes;
}

export function successOutcome(r: ImportResult): ImportOutcome {
  return {
    source: r.source,
    ok: true,
    format: r.format,
    traceIds: r.traceIds,
    spanCount: r.spanCount,
    warnings: r.warnings,
    unchanged: r.unchanged,
  };
}
