import { useCallback, useRef, useState } from 'react';
import type { ApiEvent, ImportOutcome, ScenarioLoadResult, TracedeckClient } from '../../shared/api';
import { readScenarioFiles } from '../scenarios/readScenarioFiles';
import { baseName } from '../util/format';
import { navigate, traceHash } from '../app/router';

/** importing: the server reads and parses; writing: parsed (viewable), being stored; preparing: stored, being indexed. */
type ImportPhase = 'queued' | 'uploading' | 'importing' | 'writing' | 'preparing' | 'done';

/** One file the user asked to import, from queued to its outcomes. */
export interface ImportJob {
  id: number;
  file: string;
  phase: ImportPhase;
  bytesDone: number;
  bytesTotal: number;
  outcomes: ImportOutcome[];
  /** Show the file's trace as soon as it is parsed (the first file the user opened at once). */
  open?: boolean;
  /** A scenario file (*.scenario.json): the scenario it saved, or why it was rejected. */
  scenario?: { id: string } | { error: string };
}

export interface Imports {
  jobs: ImportJob[];
  busy: boolean;
  /** open: the first file's trace is shown as soon as it is parsed, while it is written. */
  importFiles(files: File[], opts?: { keepBoth?: boolean; open?: boolean }): Promise<void>;
  /** Scenario files: one row each in the panel; resolves when saved (or rejected). */
  importScenarioFiles(files: File[]): Promise<ScenarioLoadResult>;
  /** Bumped whenever scenario files were imported: views listing scenarios reload on it. */
  scenarioVersion: number;
  /** Desktop only (null in browser mode). */
  importViaDialog: (() => Promise<void>) | null;
  /** Feed backend events here (server-side read progress of the file being imported). */
  onEvent(e: ApiEvent): void;
  clear(): void;
}

let nextId = 1;

/**
 * The view went to a staged trace: if the file was stored under another id (keep both: ID#2),
 * follow it there while the user is still on it.
 */
function followStored(opened: { source: string; traceId: string } | null, outcomes: ImportOutcome[]): void {
  const stored = outcomes.find((x) => x.ok && baseName(x.source) === opened?.source);
  if (!opened || !stored || stored.traceIds.length !== 1 || stored.traceIds[0] === opened.traceId) return;
  if (window.location.hash === traceHash(opened.traceId)) navigate(traceHash(stored.traceIds[0]!));
}

/**
 * The import queue of this window. Files go one at a time; each job first shows upload progress
 * (browser) and then the backend's own read progress, then its outcomes verbatim.
 */
export function useImports(client: TracedeckClient, onImported: () => void): Imports {
  const [jobs, setJobs] = useState<ImportJob[]>([]);
  const [busy, setBusy] = useState(false);
  const queue = useRef(Promise.resolve());
  const active = useRef<number | null>(null);
  const activeJob = useRef<ImportJob | null>(null);
  /** The trace the view was sent to from a staged file, to follow it if its stored id differs. */
  const openedStaged = useRef<{ source: string; traceId: string } | null>(null);
  /** Imports this window started and awaits; their import-finished events are not news. */
  const inFlight = useRef(0);
  /** A desktop dialog import is running: its file, when it opens, is only known from its events. */
  const viaDialog = useRef(false);
  /**
   * Sources of our own finished imports: their import-finished event travels on the event
   * stream, which may deliver it after the import's own response.
   */
  const ownFinished = useRef(new Map<string, number>());
  const rememberOwn = (outcomes: ImportOutcome[]) => {
    const now = Date.now();
    for (const o of outcomes) ownFinished.current.set(baseName(o.source), now);
  };

  const patch = useCallback((id: number, p: Partial<ImportJob>) => {
    setJobs((js) => js.map((j) => (j.id === id ? { ...j, ...p } : j)));
  }, []);

  const importFiles = useCallback(
    (files: File[], opts: { keepBoth?: boolean; open?: boolean } = {}) => {
      if (!files.length) return Promise.resolve();
      const fresh = files.map(
        (f, i): ImportJob => ({ id: nextId++, file: f.name, phase: 'queued', bytesDone: 0, bytesTotal: f.size, outcomes: [], open: !!opts.open && i === 0 }),
      );
      setJobs((js) => [...fresh, ...js]);
      setBusy(true);
      const run = async () => {
        for (let i = 0; i < files.length; i++) {
          const job = fresh[i]!;
          active.current = job.id;
          patch(job.id, { phase: 'uploading' });
          activeJob.current = job;
          const outcomes = await client.importFiles([files[i]!], (p) => {
            const uploaded = p.bytesTotal > 0 && p.bytesDone >= p.bytesTotal;
            setJobs((js) =>
              js.map((j) =>
                // Upload progress never moves a job back from the server's later phases.
                j.id === job.id && (j.phase === 'queued' || j.phase === 'uploading' || j.phase === 'importing')
                  ? { ...j, bytesDone: p.bytesDone, bytesTotal: p.bytesTotal, phase: uploaded ? 'importing' : 'uploading' }
                  : j,
              ),
            );
          }, { keepBoth: opts.keepBoth, open: job.open });
          activeJob.current = null;
          active.current = null;
          rememberOwn(outcomes);
          patch(job.id, { phase: 'done', outcomes, bytesDone: job.bytesTotal });
          followStored(openedStaged.current, outcomes);
          openedStaged.current = null;
          onImported();
        }
      };
      inFlight.current++;
      const done = queue.current.then(run, run).finally(() => {
        inFlight.current--;
        setBusy(inFlight.current > 0);
      });
      queue.current = done.catch(() => undefined);
      return done;
    },
    [client, patch, onImported],
  );

  const [scenarioVersion, setScenarioVersion] = useState(0);
  const importScenarioFiles = useCallback(
    async (files: File[]): Promise<ScenarioLoadResult> => {
      const fresh = files.map(
        (f): ImportJob => ({ id: nextId++, file: f.name, phase: 'importing', bytesDone: 0, bytesTotal: f.size, outcomes: [] }),
      );
      setJobs((js) => [...fresh, ...js]);
      const r = await readScenarioFiles(client, files);
      // Results come back per file name, in the order given.
      const loaded = [...r.loaded];
      const errors = [...r.errors];
      for (const job of fresh) {
        const ok = loaded.findIndex((l) => l.file === job.file);
        if (ok >= 0) {
          patch(job.id, { phase: 'done', scenario: { id: loaded[ok]!.id } });
          loaded.splice(ok, 1);
          continue;
        }
        const bad = errors.findIndex((e) => e.file === job.file);
        patch(job.id, { phase: 'done', scenario: { error: bad >= 0 ? errors.splice(bad, 1)[0]!.message : `${job.file}: not imported` } });
      }
      setScenarioVersion((v) => v + 1);
      return r;
    },
    [client, patch],
  );

  const dialog = client.openImportDialog;
  const importViaDialog = dialog
    ? async () => {
        setBusy(true);
        inFlight.current++;
        viaDialog.current = true;
        try {
          const outcomes = await dialog();
          if (!outcomes.length) return; // cancelled
          rememberOwn(outcomes);
          followStored(openedStaged.current, outcomes);
          const rows = outcomes.map(
            (o): ImportJob => ({
              id: nextId++,
              file: baseName(o.source),
              phase: 'done',
              bytesDone: 0,
              bytesTotal: 0,
              outcomes: [o],
            }),
          );
          setJobs((js) => [...rows, ...js]);
          onImported();
        } finally {
          viaDialog.current = false;
          openedStaged.current = null;
          inFlight.current--;
          setBusy(inFlight.current > 0);
        }
      }
    : null;

  const onEvent = useCallback(
    (e: ApiEvent) => {
      // Imports started elsewhere (the desktop File menu, another tab) still get their row.
      if (e.type === 'import-finished') {
        const o = e.outcome;
        const name = baseName(o.source);
        const ownAt = ownFinished.current.get(name);
        if (ownAt !== undefined && Date.now() - ownAt < 30_000) {
          ownFinished.current.delete(name);
          return;
        }
        if (inFlight.current > 0) return;
        setJobs((js) => [
          { id: nextId++, file: baseName(o.source), phase: 'done', bytesDone: 0, bytesTotal: 0, outcomes: [o] },
          ...js,
        ]);
        return;
      }
      // Our file is parsed: show its trace now (when it holds one), the write goes on behind.
      if (e.type === 'import-staged' || e.type === 'import-published') {
        const job = activeJob.current;
        // The one file picked in the desktop dialog (the main process asked to open it).
        if (!job && viaDialog.current && e.type === 'import-staged' && e.open && e.traceIds.length === 1) {
          openedStaged.current = { source: baseName(e.source), traceId: e.traceIds[0]! };
          navigate(traceHash(e.traceIds[0]!));
          return;
        }
        if (!job || job.file !== baseName(e.source)) return;
        patch(job.id, { phase: e.type === 'import-staged' ? 'writing' : 'preparing' });
        if (e.type === 'import-staged' && job.open && e.traceIds.length === 1) {
          openedStaged.current = { source: baseName(e.source), traceId: e.traceIds[0]! };
          navigate(traceHash(e.traceIds[0]!));
        }
        return;
      }
      if (e.type !== 'import-progress' || active.current === null) return;
      const id = active.current;
      const name = baseName(e.source);
      setJobs((js) =>
        js.map((j) =>
          j.id === id && j.file === name && j.phase !== 'done'
            ? { ...j, phase: 'importing', bytesDone: e.bytesDone, bytesTotal: e.bytesTotal }
            : j,
        ),
      );
    },
    [patch],
  );

  const clear = useCallback(() => setJobs((js) => js.filter((j) => j.phase !== 'done')), []);

  return { jobs, busy, importFiles, importScenarioFiles, scenarioVersion, importViaDialog, onEvent, clear };
}
