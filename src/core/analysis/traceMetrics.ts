import type { SpanKind, SpanStatus } from '../model/types';
import type { TraceMetrics } from '../model/analysis';

export type { TraceMetrics } from '../model/analysis';
import { effectiveEnds, indicesByStart, type TraceTree, type TreeInput } from './traceTree';

/** The summary facts the metrics need per span (a SpanSummary has them all). */
export interface MetricsSpan extends TreeInput {
  kind: SpanKind;
  status: SpanStatus;
  endMs: number | null;
  toolName?: string | null;
  name: string;
  inputTokens: number | null;
  outputTokens: number | null;
  costUsd: number | null;
}

export function computeTraceMetrics(spans: readonly MetricsSpan[], tree: TraceTree): TraceMetrics {
  const n = spans.length;
  const starts = new Float64Array(n);
  const ends: (number | null)[] = new Array(n);
  for (let i = 0; i < n; i++) {
    starts[i] = spans[i]!.startMs;
    ends[i] = spans[i]!.endMs;
  }
  const effEnd = effectiveEnds(tree, starts, ends);

  // Usage counts only on the innermost spans that carry it: SDKs roll usage up onto wrapper
  // spans, which must not double (same rule as the import aggregates in finalise.ts).
  const hasUsage = new Uint8Array(n);
  const usageBelow = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    if (s.inputTokens !== null || s.outputTokens !== null || s.costUsd !== null) hasUsage[i] = 1;
  }
  for (let r = n - 1; r >= 0; r--) {
    const i = tree.order[r]!;
    const p = tree.parent[i]!;
    if (p >= 0 && (hasUsage[i] || usageBelow[i])) usageBelow[p] = 1;
  }

  const m: TraceMetrics = {
    spans: n,
    steps: 0,
    llmCalls: 0,
    llmErrors: 0,
    toolCalls: 0,
    toolFailures: 0,
    toolFailureRatio: null,
    toolRetries: 0,
    errors: 0,
    inputTokens: 0,
    outputTokens: 0,
    costUsd: null,
    latencyMs: 0,
    llmTimeMs: 0,
    toolTimeMs: 0,
    maxDepth: tree.maxDepth,
  };
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < n; i++) {
    const s = spans[i]!;
    const dur = effEnd[i]! - s.startMs;
    first = Math.min(first, s.startMs);
    last = Math.max(last, effEnd[i]!);
    if (s.status === 'error') m.errors++;
    if (s.kind === 'llm') {
      m.llmCalls++;
      m.llmTimeMs += dur;
      if (s.status === 'error') m.llmErrors++;
    } else if (s.kind === 'tool') {
      m.toolCalls++;
      m.toolTimeMs += dur;
      if (s.status === 'error') m.toolFailures++;
    }
    if (hasUsage[i] && !usageBelow[i]) {
      m.inputTokens += s.inputTokens ?? 0;
      m.outputTokens += s.outputTokens ?? 0;
      if (s.costUsd !== null) m.costUsd = (m.costUsd ?? 0) + s.costUsd;
    }
  }
  m.latencyMs = n > 0 ? last - first : 0;
  m.toolFailureRatio = m.toolCalls > 0 ? m.toolFailures / m.toolCalls : null;
  m.steps = countSteps(spans, starts);
  m.toolRetries = countToolRetries(spans, tree);
  return m;
}

/**
 * Turns in time order: every LLM call opens one, except a call that directly follows a failed
 * LLM call with no tool call in between (a retry of the same turn).
 */
function countSteps(spans: readonly MetricsSpan[], starts: Float64Array): number {
  const byStart = indicesByStart(starts);
  let steps = 0;
  let pendingFailedLlm = false;
  for (let k = 0; k < byStart.length; k++) {
    const s = spans[byStart[k]!]!;
    if (s.kind === 'tool') pendingFailedLlm = false;
    if (s.kind !== 'llm') continue;
    if (!pendingFailedLlm) steps++;
    pendingFailedLlm = s.status === 'error';
  }
  return steps;
}

/** A tool call whose tool already failed earlier under the same parent is a retry. */
function countToolRetries(spans: readonly MetricsSpan[], tree: TraceTree): number {
  let retries = 0;
  const failed = new Set<string>();
  for (let p = 0; p < tree.n; p++) {
    const from = tree.childStart[p]!;
    const to = tree.childStart[p + 1]!;
    if (to - from < 2) continue;
    failed.clear();
    for (let k = from; k < to; k++) {
      const s = spans[tree.childIndex[k]!]!;
      if (s.kind !== 'tool') continue;
      const tool = s.toolName ?? s.name;
      if (failed.has(tool)) retries++;
      if (s.status === 'error') failed.add(tool);
    }
  }
  return retries;
}
