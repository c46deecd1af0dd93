import { SPAN_KINDS, SPAN_STATUSES, type SpanKind, type TraceColumns } from '../../../shared/api';
import { decodeFloat64, decodeInt32, decodeUint8 } from '../../../shared/columnCodec';
import { preorderExtents } from '../../../shared/spanTree';
import { showControls } from '../../util/untrustedText';

/**
 * The trace as the view holds it: typed arrays indexed by row (depth-first tree order, as the
 * backend sends the columns). Everything derived here is one forward or backward pass: a
 * parent's row precedes its descendants', and a subtree is the row range [r, subtreeEnd[r]).
 */
export interface TraceModel {
  n: number;
  t0: number;
  /** Trace range in ms since t0. */
  startMs: number;
  endMs: number;
  spanId: string[];
  readonly rowOf: Map<string, number>;
  parent: Int32Array;
  depth: Int32Array;
  subtreeEnd: Int32Array;
  childCount: Int32Array;
  maxDepth: number;
  start: Float64Array;
  /** Own end, NaN when the source gave none. */
  end: Float64Array;
  /** End used for drawing: own end, or the latest end below an open span, never before start. */
  drawEnd: Float64Array;
  kind: Uint8Array;
  status: Uint8Array;
  name: Int32Array;
  names: string[];
  model: Int32Array;
  models: string[];
  tool: Int32Array;
  tools: string[];
  inputTokens: Float64Array;
  outputTokens: Float64Array;
  costUsd: Float64Array;
  concurrent: Uint8Array;
}

export const KIND_INDEX = Object.fromEntries(SPAN_KINDS.map((k, i) => [k, i])) as Record<SpanKind, number>;
export const STATUS_ERROR = SPAN_STATUSES.indexOf('error');
export const STATUS_OK = SPAN_STATUSES.indexOf('ok');

export function buildModel(c: TraceColumns): TraceModel {
  const n = c.n;
  const parent = decodeInt32(c.parent);
  // Rows arrive depth-first from the one span-tree index; depth and extents follow from parents.
  const { depth, subtreeEnd, childCount, maxDepth } = preorderExtents(parent);

  const start = decodeFloat64(c.start);
  const end = decodeFloat64(c.end);
  const drawEnd = new Float64Array(n);
  for (let r = 0; r < n; r++) drawEnd[r] = Number.isNaN(end[r]!) ? -Infinity : Math.max(end[r]!, start[r]!);
  for (let r = n - 1; r >= 0; r--) {
    if (drawEnd[r] === -Infinity || (Number.isNaN(end[r]!) && drawEnd[r]! < start[r]!)) drawEnd[r] = start[r]!;
    const p = parent[r]!;
    if (p >= 0 && Number.isNaN(end[p]!) && drawEnd[r]! > drawEnd[p]!) drawEnd[p] = drawEnd[r]!;
  }
  let lo = Infinity;
  let hi = -Infinity;
  for (let r = 0; r < n; r++) {
    if (start[r]! < lo) lo = start[r]!;
    if (drawEnd[r]! > hi) hi = drawEnd[r]!;
  }
  if (!Number.isFinite(lo)) lo = 0;
  if (!Number.isFinite(hi) || hi <= lo) hi = lo + 1;

  const nan = () => new Float64Array(n).fill(NaN);
  const inputTokens = nan();
  const outputTokens = nan();
  const costUsd = nan();
  const uRow = decodeInt32(c.usage.row);
  const uIn = decodeFloat64(c.usage.inputTokens);
  const uOut = decodeFloat64(c.usage.outputTokens);
  const uCost = decodeFloat64(c.usage.costUsd);
  for (let k = 0; k < uRow.length; k++) {
    const r = uRow[k]!;
    inputTokens[r] = uIn[k]!;
    outputTokens[r] = uOut[k]!;
    costUsd[r] = uCost[k]!;
  }
  const concurrent = new Uint8Array(n);
  for (const r of decodeInt32(c.concurrent)) concurrent[r] = 1;
  // The id → row index costs a string hash per span: built on first use (a deep link, a search
  // answered by the server, notes), never to open the trace: the analysis names rows.
  let rowOf: Map<string, number> | null = null;
  const spanIds = c.spanId;

  return {
    n,
    t0: c.t0,
    startMs: lo,
    endMs: hi,
    spanId: c.spanId,
    get rowOf() {
      if (!rowOf) {
        rowOf = new Map<string, number>();
        for (let r = 0; r < n; r++) rowOf.set(spanIds[r]!, r);
      }
      return rowOf;
    },
    parent,
    depth,
    subtreeEnd,
    childCount,
    maxDepth,
    start,
    end,
    drawEnd,
    kind: decodeUint8(c.kind),
    status: decodeUint8(c.status),
    name: decodeInt32(c.name),
    // Shown in the tree, the detail header and on the timeline canvas: controls made visible.
    names: c.names.map(showControls),
    model: decodeInt32(c.model),
    models: c.models.map(showControls),
    tool: decodeInt32(c.tool),
    tools: c.tools.map(showControls),
    inputTokens,
    outputTokens,
    costUsd,
    concurrent,
  };
}

export function kindOf(m: TraceModel, r: number): SpanKind {
  return SPAN_KINDS[m.kind[r]!] ?? 'other';
}

export function nameOf(m: TraceModel, r: number): string {
  return m.names[m.name[r]!] ?? '';
}

export function durationOf(m: TraceModel, r: number): number {
  return Number.isNaN(m.end[r]!) ? NaN : m.end[r]! - m.start[r]!;
}
