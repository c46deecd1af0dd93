import type { Workspace } from '../core/store/workspace';
import { prepareTraces } from '../core/view/traceViews';

/**
 * Live OTLP traces are prepared for viewing once they go quiet. While spans arrive, each request
 * changes a trace's version, so nothing derived for the view could be kept, and its first open
 * derived the columns and analysis (~0.7 s more at 100k spans than an imported trace's open).
 * A big trace that received nothing for `quietMs` is prepared as an import prepares it
 * (prepareTraces: small traces and traces already prepared cost a look-up), so the first open
 * after a run is the fast case too. Its text index is kept up to date per request already.
 */
export class LivePrepare {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    private readonly ws: Workspace,
    private readonly quietMs: number,
  ) {}

  /** Spans of these traces just arrived: (re)start their quiet wait. */
  touched(traceIds: readonly string[]): void {
    for (const id of traceIds) {
      clearTimeout(this.timers.get(id));
      const timer = setTimeout(() => {
        this.timers.delete(id);
        if (this.ws.isOpen) void prepareTraces(this.ws, [id]).catch(() => undefined); // a cache
      }, this.quietMs);
      timer.unref(); // never keeps a process alive
      this.timers.set(id, timer);
    }
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
  }
}
