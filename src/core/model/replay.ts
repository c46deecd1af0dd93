import type { Message } from './types';

/**
 * Replay of a recorded LLM call: the request rebuilt from the span (OpenAI chat-completions
 * shape, edited by the user as JSON), the new response, and variants — traces derived from the
 * original with that span's request and response replaced, linked back to the span. Types only:
 * src/core/replay builds and parses requests, src/core/store/variantStore.ts stores variants.
 */

/** The model's answer in the normalised message form, plus what the endpoint reported. */
export interface ReplayResponse {
  /** Assistant message(s): text and requested tool calls. */
  messages: Message[];
  model: string;
  finishReason: string | null;
  inputTokens: number | null;
  outputTokens: number | null;
  durationMs: number;
}

export interface ReplayDraft {
  /** The request as pretty JSON: what the editor opens. */
  requestJson: string;
  /** The model the source recorded for the call (the request uses the configured one). */
  recordedModel: string | null;
  /** The recorded answer, for the side-by-side view. */
  recordedOutput: Message[];
  /** Why replay cannot call a model now (modelConfigProblem), or null. */
  modelProblem: string | null;
  /** The configured endpoint's model. */
  configuredModel: string;
}

export interface VariantInfo {
  traceId: string;
  sourceTraceId: string;
  sourceSpanId: string;
  model: string;
  createdAt: number;
  name: string;
}
