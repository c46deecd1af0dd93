import { randomUUID } from 'node:crypto';
import { createChatClient, LlmError } from '../core/judges/llm/client';
import type { ReplayResponse } from '../core/model/replay';
import { parseChatRequest, ReplayRequestError, requestFromSpan, requestMessages, responseMessages, type ChatRequest } from '../core/replay/request';
import { overview } from '../core/store/overviewStore';
import { SessionStore } from '../core/store/sessionStore';
import { VariantStore } from '../core/store/variantStore';
import type { Workspace } from '../core/store/workspace';
import type { ApiInput, InsightOutputs } from '../shared/api';
import { ApiError } from './apiError';
import type { ApiEventEmitter } from './events';
import type { ModelAccess } from './judges';

/**
 * Handlers of sessions, the Overview and LLM-call replay (src/shared/insights.ts). Replay calls
 * the model through the judges' client and settings (ModelAccess): the API key is read at call
 * time and never leaves this process — not in a response, an error or a stored variant.
 */

type InsightMethod = keyof InsightOutputs;
export type InsightHandlers = {
  [M in InsightMethod]: (input: ApiInput<M>) => InsightOutputs[M] | Promise<InsightOutputs[M]>;
};

/** Replays kept for saving (the last few answers), by id. */
const KEEP_REPLAYS = 20;

export function insightHandlers(ws: Workspace, events: ApiEventEmitter, model: () => ModelAccess): InsightHandlers {
  const sessions = SessionStore.reading(ws);
  const variantsRead = VariantStore.reading(ws);
  const replays = new Map<string, { traceId: string; spanId: string; request: ChatRequest; response: ReplayResponse }>();

  const llmSpan = (traceId: string, spanId: string) => {
    const span = ws.getSpan(traceId, spanId);
    if (!span) throw new ApiError('not-found', `no span '${spanId}' in trace '${traceId}'`);
    if (span.kind !== 'llm') throw new ApiError('bad-input', `span '${spanId}' is a ${span.kind} span: only LLM calls can be replayed`);
    return span;
  };

  return {
    listSessions: ({ filter, search, sort, limit, offset }) => sessions.list({ filter, search, sort, limit, offset }),
    getSession: ({ sessionId }) => sessions.thread(sessionId),
    overview: ({ filter }) => overview(ws, filter),

    replayDraft: ({ traceId, spanId }) => {
      const span = llmSpan(traceId, spanId);
      const settings = model().settings;
      const req = requestFromSpan(span, settings.model || span.model || 'model');
      if (!req) throw new ApiError('bad-input', `span '${spanId}' recorded no input messages: there is no request to replay`);
      return {
        requestJson: JSON.stringify(req, null, 2),
        recordedModel: span.model ?? null,
        recordedOutput: span.outputMessages ?? (span.output !== undefined ? [{ role: 'assistant', content: typeof span.output === 'string' ? span.output : JSON.stringify(span.output, null, 2) }] : []),
        modelProblem: model().problem,
        configuredModel: settings.model,
      };
    },

    replayRun: async ({ traceId, spanId, request }) => {
      llmSpan(traceId, spanId);
      let req: ChatRequest;
      try {
        req = parseChatRequest(request);
      } catch (e) {
        if (e instanceof ReplayRequestError) return { ok: false, error: e.message };
        throw e;
      }
      const { settings, apiKey, problem } = model();
      if (problem) return { ok: false, error: problem };
      const client = createChatClient({ settings, apiKey });
      const t0 = performance.now();
      try {
        const { model: reqModel, ...params } = req;
        const out = await client.complete({ ...(params as object), model: reqModel, stream: false } as Parameters<typeof client.complete>[0]);
        const choice = out.choices?.[0];
        if (!choice) return { ok: false, error: 'the model endpoint answered with no choices' };
        const response: ReplayResponse = {
          messages: responseMessages(choice.message as Parameters<typeof responseMessages>[0]),
          model: out.model || reqModel,
          finishReason: choice.finish_reason ?? null,
          inputTokens: out.usage?.prompt_tokens ?? null,
          outputTokens: out.usage?.completion_tokens ?? null,
          durationMs: performance.now() - t0,
        };
        const replayId = randomUUID();
        replays.set(replayId, { traceId, spanId, request: req, response });
        while (replays.size > KEEP_REPLAYS) replays.delete(replays.keys().next().value!);
        return { ok: true, replayId, response };
      } catch (e) {
        // LlmError messages are already redacted by the client.
        if (e instanceof LlmError) return { ok: false, error: e.message };
        throw e;
      }
    },

    saveReplayVariant: async ({ replayId }) => {
      const r = replays.get(replayId);
      if (!r) throw new ApiError('not-found', 'that replay is no longer held: run it again, then save');
      const info = await ws.exclusive(
        async () =>
          VariantStore.writing(ws).save({
            sourceTraceId: r.traceId,
            spanId: r.spanId,
            request: JSON.stringify(r.request),
            inputMessages: requestMessages(r.request),
            response: r.response,
          }),
        { what: 'saving a replay variant' },
      );
      replays.delete(replayId);
      events.send({ type: 'traces-changed', traceIds: [info.traceId], reason: 'import' });
      return info;
    },

    listVariants: ({ traceId, spanId }) => ({ variants: variantsRead.list(traceId, spanId), variantOf: variantsRead.sourceOf(traceId) }),
  };
}
