/**
 * The judge editor's live re-runs, told apart per editor. Each run carries its edit number (the
 * editor counts up as its text changes), and "newer" means a higher number, never a later
 * arrival: two requests can reach the server out of order (separate HTTP connections, a server
 * busy compiling the previous text), and letting the later arrival win stopped the run of the
 * text actually on screen and left "superseded" as its verdict.
 *
 * A run for an edit older than one already asked for is not started. A newer edit stops the
 * older runs of the same editor that have been going for a while; a run younger than that is
 * probably a fast judge about to finish, cheaper to let end than to restart a judge process for.
 * Runs of other editors, and runs that name no editor (split evaluation), are never stopped.
 */

/** How long an older run may have been going before a newer edit stops it. */
const STOP_AFTER_MS = 250;
/** Editors remembered at once (one per mounted editor; the oldest forgotten first). */
const EDITORS = 64;

interface Run {
  since: number;
  stop: AbortController;
}

interface Editor {
  newest: number;
  running: Set<Run>;
}

export interface EditorRun {
  /** Aborted when a newer edit of the same editor stops this run. */
  signal: AbortSignal;
  /** The run has ended (call once, however it ended). */
  end(): void;
}

export class EditorRuns {
  private readonly editors = new Map<string, Editor>();

  /** Start the run of `editor`'s edit `seq`; null when a newer edit was asked for already. */
  begin(editor: string, seq: number, now = Date.now()): EditorRun | null {
    const known = this.editors.get(editor);
    if (known && seq < known.newest) return null;
    const e = known ?? { newest: seq, running: new Set<Run>() };
    // Most recently used last, so the first key is the one to forget.
    this.editors.delete(editor);
    this.editors.set(editor, e);
    while (this.editors.size > EDITORS) this.editors.delete(this.editors.keys().next().value!);
    if (seq > e.newest) {
      for (const r of e.running) if (now - r.since > STOP_AFTER_MS) r.stop.abort();
    }
    e.newest = seq;
    const run: Run = { since: now, stop: new AbortController() };
    e.running.add(run);
    return { signal: run.stop.signal, end: () => e.running.delete(run) };
  }
}
