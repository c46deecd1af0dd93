import { LabelStore } from '../core/store/labels';
import { nextInQueue, queueOrder, type QueueEntry } from '../core/labels/queue';
import { workspaceAlignmentReport, type AlignmentVerdictSource } from '../core/labels/report';
import { traceDigest } from '../core/labels/traceDigest';
import type { Workspace } from '../core/store/workspace';
import { traceSetVersion } from '../core/store/traces';
import { SAMPLED_ORDERS, type ApiInput, type LabelItem, type LabelOutputs, type QueueSpec } from '../shared/api';
import { ApiError } from './apiError';
import { workspaceAlignmentVerdicts } from '../core/store/alignmentVerdicts';

/**
 * Handlers of labels, failure modes, the labelling queue and the alignment report
 * (src/shared/labels.ts). Writes go through the workspace's write queue: a label saved while an
 * import holds its transaction open must not join (and roll back with) that import.
 */

type LabelMethod = keyof LabelOutputs;
export type LabelHandlers = {
  [M in LabelMethod]: (input: ApiInput<M>) => LabelOutputs[M] | Promise<LabelOutputs[M]>;
};

export interface LabelHandlerOptions {
  /** Defaults to the judges' tables in the workspace. */
  verdicts?: AlignmentVerdictSource;
  /** Computes the sampled orders ('clusters', 'judgeFailed', 'recorded': src/backend/evalSampling.ts). */
  sampler?: (spec: QueueSpec) => Promise<QueueEntry[]>;
}

export function labelHandlers(ws: Workspace, opts: LabelHandlerOptions = {}): LabelHandlers {
  const reader = LabelStore.reading(ws);
  const writer = LabelStore.writing(ws);
  const verdicts = opts.verdicts ?? workspaceAlignmentVerdicts(ws);
  const write = <T>(fn: () => T): Promise<T> => ws.exclusive(async () => fn());

  // The order is recomputed only when the set of traces changes (count and last import time),
  // not on every key press of the labelling mode.
  let cached: { key: string; order: QueueEntry[] } | null = null;
  const orderFor = async (spec: QueueSpec): Promise<QueueEntry[]> => {
    if ((SAMPLED_ORDERS as readonly string[]).includes(spec.order)) {
      if (!opts.sampler) throw new ApiError('bad-input', `the '${spec.order}' order is not available here`);
      return opts.sampler(spec);
    }
    const key = JSON.stringify([spec.order, spec.field ?? null, spec.seed ?? null, traceSetVersion(ws)]);
    if (cached?.key !== key) cached = { key, order: queueOrder(ws, spec) };
    return cached.order;
  };

  const item = async (traceId: string, spec?: QueueSpec): Promise<LabelItem | null> => {
    const digest = traceDigest(ws, traceId);
    if (!digest) return null;
    let position = -1;
    let stratum: string | null = null;
    if (spec) {
      const order = await orderFor(spec);
      position = order.findIndex((e) => e.traceId === traceId);
      stratum = order[position]?.stratum ?? null;
    }
    return { digest, label: reader.getLabel(traceId), failureModes: reader.traceFailureModes(traceId), position, stratum };
  };

  const requireTrace = (traceId: string) => {
    if (!ws.getTrace(traceId)) throw new ApiError('not-found', `no trace '${traceId.slice(0, 200)}' in this workspace`);
  };
  const modes = () => reader.failureModes();
  /** Store errors (unknown mode, name taken) are the caller's mistake, not a backend failure. */
  const userError = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      throw new ApiError('bad-input', e instanceof Error ? e.message : String(e));
    }
  };

  return {
    nextToLabel: async ({ after, ...spec }) => {
      const order = await orderFor(spec);
      const labelled = reader.labelledTraceIds();
      const unlabelled = order.reduce((n, e) => n + (labelled.has(e.traceId) ? 0 : 1), 0);
      const pick = nextInQueue(order, labelled, { after, includeLabelled: spec.includeLabelled });
      const next = pick ? await item(pick.entry.traceId, spec) : null;
      return { next, queueSize: order.length, unlabelled };
    },
    labelItem: ({ traceId, queue }) => item(traceId, queue),
    getLabel: ({ traceId }) => reader.getLabel(traceId),
    setLabel: async ({ traceId, verdict, critique, labeler }) => {
      requireTrace(traceId);
      await write(() => {
        writer.setLabel({ traceId, verdict, critique, labeler });
        writer.assignSplits();
      });
      return reader.getLabel(traceId)!;
    },
    deleteLabel: async ({ traceId }) => {
      const had = reader.getLabel(traceId) !== null;
      await write(() => writer.deleteLabel(traceId));
      return { deleted: had };
    },
    listLabels: ({ split }) => reader.listLabels({ split }),
    listFailureModes: () => modes(),
    saveFailureMode: async ({ name, definition }) => {
      await write(() => userError(() => writer.upsertFailureMode(name, definition?.trim() ?? '')));
      return modes();
    },
    renameFailureMode: async ({ from, to }) => {
      await write(() => userError(() => writer.renameFailureMode(from, to)));
      return modes();
    },
    mergeFailureModes: async ({ from, into }) => {
      await write(() => userError(() => writer.mergeFailureModes(from, into)));
      return modes();
    },
    deleteFailureMode: async ({ name }) => {
      await write(() => writer.deleteFailureMode(name));
      return modes();
    },
    tagTrace: async ({ traceId, mode }) => {
      requireTrace(traceId);
      await write(() => writer.tag(traceId, mode));
      return { failureModes: reader.traceFailureModes(traceId) };
    },
    untagTrace: async ({ traceId, mode }) => {
      await write(() => writer.untag(traceId, mode));
      return { failureModes: reader.traceFailureModes(traceId) };
    },
    alignmentJudges: () => verdicts.listJudges(),
    alignmentReport: async ({ judgeId, split }) => {
      const found = verdicts.latestVerdicts(judgeId);
      if (!found) throw new ApiError('not-found', `no judge '${judgeId.slice(0, 200)}' with verdicts in this workspace`);
      // Labels imported or saved before splits existed get theirs now, so every report has them
      // (checked first: the write waits for a running import).
      if (reader.hasUnsplitLabels()) await write(() => writer.assignSplits());
      return workspaceAlignmentReport(ws, found.judge, found.verdicts, { split });
    },
    exportLabels: ({ format }) =>
      format === 'json'
        ? { fileName: 'tracedeck-labels.json', mimeType: 'application/json', text: `${JSON.stringify(reader.exportJson(), null, 2)}\n` }
        : { fileName: 'tracedeck-labels.csv', mimeType: 'text/csv', text: reader.exportCsv() },
    importLabels: async ({ name, text }) =>
      write(() => {
        const r = userError(() => writer.importText(name, text));
        writer.assignSplits();
        return r;
      }),
  };
}
