import type { Span } from '../../model/types';

/**
 * SDKs record a model call twice: an outer call span (Vercel `ai.generateText`, a LangChain
 * chat model over a wrapped client, an MLflow CHAT_MODEL over an autologged one) and the real
 * provider request(s) inside it, often with usage rolled up onto the outer one. The outer span
 * is a 'chain' with its usage kept in attributes, so LLM call counts and token sums count each
 * request once. Iterative and O(n): each span is marked once while walking up from model calls.
 * Returns how many spans were demoted.
 */
export function demoteWrapperModelSpans(spans: Span[]): number {
  const index = new Map<string, number>();
  for (let i = 0; i < spans.length; i++) index.set(spans[i]!.spanId, i);
  const hasModelBelow = new Uint8Array(spans.length);
  for (let i = 0; i < spans.length; i++) {
    if (spans[i]!.kind !== 'llm') continue;
    let p = parentIndex(spans, index, i);
    while (p !== undefined && !hasModelBelow[p]) {
      hasModelBelow[p] = 1;
      p = parentIndex(spans, index, p);
    }
  }
  let demoted = 0;
  for (let i = 0; i < spans.length; i++) {
    const s = spans[i]!;
    if (s.kind !== 'llm' || !hasModelBelow[i]) continue;
    s.kind = 'chain';
    if (s.usage) {
      s.attributes = { ...s.attributes, 'tracedeck.rolled_up_usage': s.usage };
      delete s.usage;
    }
    demoted++;
  }
  return demoted;
}

function parentIndex(spans: Span[], index: Map<string, number>, i: number): number | undefined {
  const parent = spans[i]!.parentId;
  if (parent === null) return undefined;
  const p = index.get(parent);
  return p === i ? undefined : p;
}
