import type { Workspace } from '../store/workspace';
import { beginTextIndex, completeTextIndex, indexTextChunks, textIndexComplete } from '../store/view';

/**
 * Trigram index over span bodies (SQL in store/view.ts), so substring search in a 100k-span
 * trace answers from an index instead of reading every body. Measured on the bench trace (100k
 * spans, 250 MB of table): a body scan takes ~600 ms whatever the needle; the index answers rare
 * needles in 1–30 ms and a needle found in 12k spans in ~200 ms (candidates are verified on the
 * body).
 *
 * Built when a big trace is imported (prepareTraces), kept up to date per request while live
 * OTLP spans arrive (store/view.ts indexMergedSpans), and built on first search only for traces
 * stored before it existed. The build runs in chunks, each its own short write transaction, on a
 * worker thread (store/view.ts indexTextChunks), so other writers and the UI never wait for a
 * whole build and an import derives the rest of the view meanwhile; until a trace's index is
 * complete (and matches the trace's current version), searches scan.
 */

/** Below this many spans a scan is already instant: no index. */
export const INDEX_MIN_SPANS = 10_000;
const CHUNK = 2000;

/** Builds already running in this process, per workspace: one build per trace version. */
const building = new WeakMap<Workspace, Map<string, Build>>();

interface Build {
  /** Settles once the build's map rows are in and its chunks are being indexed. */
  started: Promise<void>;
  done: Promise<void>;
}

/** True when the index holds exactly this version of the trace. */
export function isTextIndexReady(ws: Workspace, traceId: string, fingerprint: string): boolean {
  return textIndexComplete(ws, traceId, fingerprint);
}

/**
 * Builds the index for this version of the trace unless it exists; a build already running for
 * the same version is joined. Never rejects: an index is an optimisation, searches keep scanning.
 */
export function ensureTextIndex(ws: Workspace, traceId: string, fingerprint: string): Promise<void> {
  return startTextIndex(ws, traceId, fingerprint).done;
}

/**
 * ensureTextIndex, for a caller with other work to do meanwhile (prepareTraces): once `started`
 * settles the bodies are tokenised off the caller's thread (store/view.ts indexTextChunks).
 */
export function startTextIndex(ws: Workspace, traceId: string, fingerprint: string): Build {
  if (isTextIndexReady(ws, traceId, fingerprint)) return { started: Promise.resolve(), done: Promise.resolve() };
  let running = building.get(ws);
  if (!running) building.set(ws, (running = new Map()));
  const key = `${traceId}\u0000${fingerprint}`;
  const existing = running.get(key);
  if (existing) return existing;
  let started!: () => void;
  const job: Build = {
    started: new Promise<void>((r) => (started = r)),
    done: build(ws, traceId, fingerprint, () => started())
      .catch(() => undefined)
      .finally(() => {
        started();
        running.delete(key);
      }),
  };
  running.set(key, job);
  return job;
}

async function build(ws: Workspace, traceId: string, fingerprint: string, started: () => void): Promise<void> {
  const what = `text index of trace ${traceId}`;
  const ids = await ws.exclusive(async () => beginTextIndex(ws, traceId, fingerprint), { what });
  if (!ids) return;
  const filled = indexTextChunks(ws, traceId, fingerprint, ids, CHUNK);
  started();
  if (!(await filled)) return;
  await ws.exclusive(async () => completeTextIndex(ws, traceId, fingerprint), { what });
}
