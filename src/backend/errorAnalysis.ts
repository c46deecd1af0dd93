import { proposeFailureModes, type AxialNote } from '../core/labels/axialCoding';
import { firstFailureMatrix, firstFailureTransition } from '../core/labels/firstFailure';
import { LabelStore } from '../core/store/labels';
import { saturation } from '../core/labels/saturation';
import { labelSteps } from '../core/labels/steps';
import { createChatClient } from '../core/judges/llm/client';
import { errorText } from '../core/judges/llmJudge';
import { SpanNotesStore } from '../core/store/spanNotesStore';
import type { Workspace } from '../core/store/workspace';
import type { ApiInput, ErrorAnalysisOutputs, SpanNoteDto } from '../shared/api';
import { ApiError } from './apiError';
import type { ModelAccess } from './judges';

/**
 * Handlers of error analysis (src/shared/errorAnalysis.ts): open-coding notes and the first-failure
 * mark, axial coding with the configured model, saturation and the first-failure matrix. Writes go
 * through the workspace's write queue, like labels.
 */

type Method = keyof ErrorAnalysisOutputs;
export type ErrorAnalysisHandlers = {
  [M in Method]: (input: ApiInput<M>) => ErrorAnalysisOutputs[M] | Promise<ErrorAnalysisOutputs[M]>;
};

export function errorAnalysisHandlers(ws: Workspace, model: () => ModelAccess): ErrorAnalysisHandlers {
  const notes = SpanNotesStore.reading(ws);
  const notesW = SpanNotesStore.writing(ws);
  const labels = LabelStore.reading(ws);
  const write = <T>(fn: () => T): Promise<T> => ws.exclusive(async () => fn());
  /** Store errors (unknown note, text too long) are the caller's mistake. */
  const userError = <T>(fn: () => T): T => {
    try {
      return fn();
    } catch (e) {
      throw new ApiError('bad-input', e instanceof Error ? e.message : String(e));
    }
  };
  const requireTrace = (traceId: string) => {
    if (!ws.getTrace(traceId)) throw new ApiError('not-found', `no trace '${traceId.slice(0, 200)}' in this workspace`);
  };
  const requireSpan = (traceId: string, spanId: string | null) => {
    requireTrace(traceId);
    if (spanId !== null && !ws.getSpanSummaries(traceId).some((s) => s.spanId === spanId))
      throw new ApiError('not-found', `no span '${spanId.slice(0, 200)}' in trace '${traceId.slice(0, 200)}'`);
  };
  const note = (id: number): SpanNoteDto => {
    const n = notes.get(id);
    if (!n) throw new ApiError('not-found', `no note ${id}`);
    return n;
  };
  const codedNotes = (ids: readonly number[]) => {
    const want = new Set(ids);
    return notes.list().filter((n) => want.has(n.id));
  };

  return {
    labelSteps: ({ traceId }) => labelSteps(ws, traceId),
    listSpanNotes: ({ traceId, mode }) => notes.list({ traceId, mode }),
    addSpanNote: async ({ traceId, spanId, text }) => {
      requireSpan(traceId, spanId);
      if (!text.trim()) throw new ApiError('bad-input', 'a note needs some text');
      return note(await write(() => userError(() => notesW.add(traceId, spanId, text))));
    },
    updateSpanNote: async ({ id, text }) => {
      await write(() => userError(() => notesW.update(id, text)));
      return note(id);
    },
    deleteSpanNote: async ({ id }) => ({ deleted: await write(() => notesW.delete(id)) }),
    setFirstFailure: async ({ traceId, spanId, text }) => {
      requireSpan(traceId, spanId);
      await write(() => userError(() => notesW.setFirstFailure(traceId, spanId, text)));
      return notes.list({ traceId });
    },
    codeNotes: async ({ noteIds, mode, definition }) => {
      await write(() => userError(() => notesW.code(noteIds, mode, definition ?? '')));
      return { notes: codedNotes(noteIds), modes: labels.failureModes() };
    },
    proposeFailureModes: async () => {
      const shown = notes.list().filter((n) => n.text.trim());
      const access = model();
      const base = { model: access.settings.model || null, groups: [], ungrouped: [], notes: shown.length };
      if (access.problem) return { ...base, problem: access.problem };
      if (shown.length === 0) return { ...base, problem: 'no notes to group yet: write notes on spans or traces while labelling (m, w)' };
      const names = new Map<string, string | null>();
      const axial: AxialNote[] = shown.map((n) => {
        if (!names.has(n.traceId)) names.set(n.traceId, ws.getTrace(n.traceId)?.name ?? null);
        return { ...n, traceName: names.get(n.traceId) ?? null };
      });
      const modes = labels.failureModes().map((m) => ({ name: m.name, definition: m.definition }));
      try {
        const groups = await proposeFailureModes(
          {
            client: createChatClient({ settings: access.settings, apiKey: access.apiKey }),
            temperature: access.settings.temperature,
            structuredOutput: access.settings.structuredOutput,
          },
          axial,
          modes,
        );
        const grouped = new Set(groups.flatMap((g) => g.noteIds));
        return { ...base, problem: null, groups, ungrouped: shown.filter((n) => !grouped.has(n.id)).map((n) => n.id) };
      } catch (e) {
        throw new ApiError('failed', `proposing failure modes failed: ${errorText(e)}`);
      }
    },
    acceptFailureModeGroups: async ({ groups }) => {
      await write(() =>
        userError(() =>
          notesW.codeGroups(groups),
        ),
      );
      return { notes: codedNotes(groups.flatMap((g) => g.noteIds)), modes: labels.failureModes() };
    },
    saturation: () => {
      const defs = new Map(labels.failureModes().map((m) => [m.name, m.definition]));
      return saturation(labels.reviewOrder(), defs);
    },
    firstFailureMatrix: () => {
      const items: { traceId: string; from: string; to: string }[] = [];
      let missing = 0;
      for (const { traceId, spanId } of notes.firstFailures()) {
        const t = firstFailureTransition(ws.getSpanSummaries(traceId), spanId);
        if (t) items.push({ traceId, ...t });
        else missing++;
      }
      return firstFailureMatrix(items, missing);
    },
  };
}
