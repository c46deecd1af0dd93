import type { SpanSummary } from '../shared/api';
import { formatDuration, oneLine } from './text';

/** Deeper than this, connectors stop growing and the depth is printed instead. */
const MAX_DRAWN_DEPTH = 40;

/**
 * The span tree as text lines, depth-first in source order. Iterative with an explicit stack:
 * traces can be 100k spans deep, far past the call stack.
 */
export function* spanTreeLines(spans: readonly SpanSummary[]): Generator<string> {
  const index = new Map<string, number>();
  spans.forEach((s, i) => index.set(s.spanId, i));
  const children: number[][] = spans.map(() => []);
  const roots: number[] = [];
  spans.forEach((s, i) => {
    const p = s.parentId === null ? undefined : index.get(s.parentId);
    if (p === undefined || p === i) roots.push(i);
    else children[p]!.push(i);
  });
  // The store repairs cycles, but a cycle here would loop forever: each span is drawn once.
  const drawn = new Uint8Array(spans.length);

  interface Frame {
    i: number;
    depth: number;
    prefix: string;
    last: boolean;
  }
  const stack: Frame[] = [];
  const pushAll = (ids: number[], depth: number, prefix: string) => {
    for (let k = ids.length - 1; k >= 0; k--) stack.push({ i: ids[k]!, depth, prefix, last: k === ids.length - 1 });
  };
  pushAll(roots, 0, '');
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (drawn[f.i]) continue;
    drawn[f.i] = 1;
    const s = spans[f.i]!;
    let lead: string;
    let childPrefix: string;
    if (f.depth === 0) {
      lead = '';
      childPrefix = '';
    } else if (f.depth <= MAX_DRAWN_DEPTH) {
      lead = f.prefix + (f.last ? '└─ ' : '├─ ');
      childPrefix = f.prefix + (f.last ? '   ' : '│  ');
    } else {
      lead = `${f.prefix}[depth ${f.depth}] `;
      childPrefix = f.prefix;
    }
    yield lead + spanLabel(s);
    pushAll(children[f.i]!, f.depth + 1, childPrefix);
  }
}

export function spanLabel(s: SpanSummary): string {
  const parts = [oneLine(s.name || '(unnamed)', 120), `[${s.kind}]`, formatDuration(s.endMs === null ? null : s.endMs - s.startMs)];
  if (s.model) parts.push(`model=${oneLine(s.model, 60)}`);
  if (s.toolName) parts.push(`tool=${oneLine(s.toolName, 60)}`);
  if (s.inputTokens !== null || s.outputTokens !== null) parts.push(`tokens=${s.inputTokens ?? 0}/${s.outputTokens ?? 0}`);
  if (s.status === 'error') parts.push('ERROR');
  return parts.join(' ');
}
