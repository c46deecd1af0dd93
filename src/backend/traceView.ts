import type { Workspace } from '../core/store/workspace';
import { TraceViews } from '../core/view/traceViews';
import type { StagedViews } from '../core/view/stagedViews';
import type { ApiInput, TraceViewData, TraceViewOutputs } from '../shared/api';
import type { ApiEventEmitter } from './events';

/**
 * Handlers of the trace-view methods (src/shared/traceView.ts) on the engine's trace views
 * (src/core/view): derivation, caches, text index and search live there; big traces arrive
 * prepared from their import. A file being written answers from its staged copy (`staged`):
 * shown as soon as parsed, stored traces of the same id included (the file replaces them).
 */
type TraceViewMethod = keyof TraceViewOutputs;
export type TraceViewHandlers = {
  [M in TraceViewMethod]: (input: ApiInput<M>) => TraceViewOutputs[M] | Promise<TraceViewOutputs[M]>;
};

/**
 * Answers a JSON transport can send as they are (see Backend.dispatchJson): the same value as the
 * method's handler, already encoded.
 */
type EncodedHandlers = { [M in TraceViewMethod]?: (input: ApiInput<M>) => string | Buffer };

export function traceViewHandlers(
  ws: Workspace,
  events?: ApiEventEmitter,
  staged?: StagedViews,
): TraceViewHandlers & { encoded: EncodedHandlers } {
  const views = new TraceViews(ws);
  events?.subscribe((ev) => {
    if (ev.type === 'traces-changed' && ev.reason === 'delete') for (const id of ev.traceIds) views.forget(id);
  });
  return {
    getTraceColumns: ({ traceId }) => {
      const s = staged?.view(traceId);
      if (s) return { ...s, staged: true };
      const t = ws.getTrace(traceId);
      const columns = t && views.columns(traceId);
      if (!t || !columns) return null;
      const { meta, ...summary } = t;
      const data: TraceViewData = { summary, meta, columns };
      return data;
    },
    getTraceAnalysis: ({ traceId }) => (staged?.has(traceId) ? staged.analysis(traceId) : views.analysis(traceId)),
    getRootCause: ({ traceId, spanId }) => (staged?.has(traceId) ? staged.rootCause(traceId, spanId) : views.rootCause(traceId, spanId)),
    searchSpans: (input) => staged?.search(input) ?? views.search(input),
    encoded: {
      // The biggest answers (80 MB of JSON at 1M spans): spliced in as text.
      getTraceColumns: ({ traceId }) => {
        const s = staged?.view(traceId);
        if (s) return JSON.stringify({ ...s, staged: true });
        const t = ws.getTrace(traceId);
        const columns = t && views.json(traceId, 'columns');
        if (!t || !columns) return 'null';
        const { meta, ...summary } = t;
        return Buffer.concat([Buffer.from(`{"summary":${JSON.stringify(summary)},"meta":${JSON.stringify(meta)},"columns":`), columns, Buffer.from('}')]);
      },
      // The critical path of a 1M-span trace is tens of MB too.
      getTraceAnalysis: ({ traceId }) =>
        staged?.has(traceId) ? JSON.stringify(staged.analysis(traceId)) : (views.json(traceId, 'analysis') ?? 'null'),
    },
  };
}
