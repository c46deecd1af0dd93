import type { SpanStatus } from './types';

/**
 * Sessions (threads, conversations): the traces that share a session id (OTel `session.id`,
 * Langfuse `sessionId`, LangSmith thread metadata, Claude Code `sessionId` …), each trace one turn.
 * Types only; the queries are in src/core/store/sessionStore.ts.
 */

/** Totals over a session's turns. */
export interface SessionTotals {
  sessionId: string;
  turns: number;
  /** Start of the first turn, end of the last (epoch ms); null when no turn has times. */
  firstStartMs: number | null;
  lastEndMs: number | null;
  /** Wall clock from the first turn's start to the last turn's end. */
  durationMs: number | null;
  inputTokens: number;
  outputTokens: number;
  /** Sum of the turns' costs; null when no turn has one. */
  costUsd: number | null;
  toolCalls: number;
  toolErrors: number;
  /** Turns whose run failed (the trace's status). */
  failedTurns: number;
  /** Spans with status error over all turns. */
  errorSpans: number;
  /** Formats the turns came from, sorted. */
  formats: string[];
  /** Name of the first turn (a title for the list). */
  firstName: string;
}

/** One turn of a thread: a trace, with its input and output clipped for reading in a column. */
export interface SessionTurn {
  traceId: string;
  name: string;
  format: string;
  status: SpanStatus;
  startMs: number | null;
  durationMs: number | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number | null;
  toolCalls: number;
  toolErrors: number;
  llmCalls: number;
  errorSpans: number;
  /** The trace's input / output as text (untrusted), clipped; null when the source has none. */
  input: string | null;
  output: string | null;
}

export interface SessionThread {
  totals: SessionTotals;
  turns: SessionTurn[];
}

export const SESSION_SORTS = ['recent', 'turns', 'duration', 'tokens', 'cost', 'errors'] as const;
export type SessionSort = (typeof SESSION_SORTS)[number];
