import { STATUS_ERROR, type TraceModel } from '../model/traceModel';

/**
 * The timeline's arithmetic, kept apart from the canvas so it can be tested: which rows are on
 * screen, the level-of-detail coverage strip of a collapsed subtree, and the minimap (per-pixel
 * winning colour, the viewport window). All of it is O(spans + pixels), never one draw call per
 * sub-pixel span.
 */

export const ROW_HEIGHT = 24;

/** Rows [first, last) that intersect the viewport. */
export function rowRangeOnScreen(scrollTop: number, viewHeight: number, rowCount: number): [number, number] {
  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT));
  const last = Math.min(rowCount, Math.ceil((scrollTop + viewHeight) / ROW_HEIGHT));
  return [first, last];
}

// ---- level of detail: a collapsed subtree as one coverage strip -----------------------------

/** Merged (non-overlapping, sorted) time intervals of a collapsed subtree's descendants. */
export interface SubtreeUnion {
  starts: Float64Array;
  ends: Float64Array;
  /** The same for the descendants with status error (drawn on top, in red). */
  errStarts: Float64Array;
  errEnds: Float64Array;
}

const startOrders = new WeakMap<TraceModel, Int32Array>();

/** Rows sorted by start time (ties by row), computed once per trace (on first use). */
export function rowsByStart(m: TraceModel): Int32Array {
  let o = startOrders.get(m);
  if (!o) {
    o = radixOrder(m.start);
    startOrders.set(m, o);
  }
  return o;
}

/**
 * Indices of `keys` in ascending order, ties by index: a stable LSD radix sort on the keys' bits,
 * 8 passes of 8 bits over 64-bit sortable keys. Linear: 1M rows in tens of ms, where a comparator
 * sort takes most of a second (this runs on the main thread, inside an interaction).
 */
function radixOrder(keys: Float64Array): Int32Array {
  const n = keys.length;
  // IEEE 754 bits made to sort as unsigned integers: negatives flipped whole, positives get the
  // sign bit set. Two 32-bit words per key (little-endian: lo, hi).
  const words = new Uint32Array(new Float64Array(keys).buffer);
  for (let i = 0; i < n; i++) {
    const hi = words[2 * i + 1]!;
    if (hi & 0x80000000) {
      words[2 * i] = ~words[2 * i]! >>> 0;
      words[2 * i + 1] = ~hi >>> 0;
    } else words[2 * i + 1] = (hi | 0x80000000) >>> 0;
  }
  let from = new Int32Array(n);
  for (let i = 0; i < n; i++) from[i] = i;
  let to = new Int32Array(n);
  const count = new Int32Array(256);
  for (let pass = 0; pass < 8; pass++) {
    const word = pass < 4 ? 0 : 1;
    const shift = (pass % 4) * 8;
    count.fill(0);
    for (let i = 0; i < n; i++) count[(words[2 * i + word]! >>> shift) & 255]!++;
    if (count.includes(n)) continue; // every key has the same byte here: nothing moves
    let sum = 0;
    for (let b = 0; b < 256; b++) {
      const c = count[b]!;
      count[b] = sum;
      sum += c;
    }
    for (let k = 0; k < n; k++) {
      const i = from[k]!;
      to[count[(words[2 * i + word]! >>> shift) & 255]!++] = i;
    }
    [from, to] = [to, from];
  }
  return from;
}

/**
 * Union of the intervals of the rows below `r` (its subtree without itself). Zoom-independent,
 * so the caller computes it once per collapsed row.
 */
export function subtreeUnion(m: TraceModel, r: number): SubtreeUnion {
  const end = m.subtreeEnd[r]!;
  const rows: number[] = [];
  if (end - r - 1 > m.n / 8) {
    // A big subtree (a collapsed root): filter the trace's start order instead of sorting.
    const order = rowsByStart(m);
    for (let k = 0; k < order.length; k++) {
      const q = order[k]!;
      if (q > r && q < end) rows.push(q);
    }
  } else {
    for (let q = r + 1; q < end; q++) rows.push(q);
    rows.sort((a, b) => m.start[a]! - m.start[b]! || a - b);
  }
  const [starts, ends] = mergeIntervals(rows, m.start, m.drawEnd);
  const [errStarts, errEnds] = mergeIntervals(
    rows.filter((q) => m.status[q] === STATUS_ERROR),
    m.start,
    m.drawEnd,
  );
  return { starts, ends, errStarts, errEnds };
}

/** Merge the intervals [start, max(start, end)] of rows given in start order. */
export function mergeIntervals(
  sortedRows: readonly number[],
  start: ArrayLike<number>,
  end: ArrayLike<number>,
): [Float64Array, Float64Array] {
  const st: number[] = [];
  const en: number[] = [];
  for (const q of sortedRows) {
    const a = start[q]!;
    const b = Math.max(a, end[q]!);
    if (en.length && a <= en[en.length - 1]!) {
      if (b > en[en.length - 1]!) en[en.length - 1] = b;
    } else {
      st.push(a);
      en.push(b);
    }
  }
  return [Float64Array.from(st), Float64Array.from(en)];
}

/**
 * Pixel runs [x0, x1, x0, x1 …] covering the merged intervals that fall in the domain [d0, d1]
 * drawn over `width` px: every interval is at least 1 px wide, and intervals that touch or
 * overlap at pixel level become one run. Binary search to the first interval in view, so a
 * frame costs the intervals on screen, not the subtree.
 */
export function coverageRuns(starts: Float64Array, ends: Float64Array, d0: number, d1: number, width: number): number[] {
  const k = width / (d1 - d0);
  let lo = 0;
  let hi = starts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (ends[mid]! < d0) lo = mid + 1;
    else hi = mid;
  }
  const out: number[] = [];
  let runStart = -1;
  let runEnd = -1;
  for (let i = lo; i < starts.length && starts[i]! <= d1; i++) {
    const px0 = Math.max(0, Math.floor((starts[i]! - d0) * k));
    const px1 = Math.min(width, Math.max(px0 + 1, Math.ceil((ends[i]! - d0) * k)));
    if (px0 <= runEnd) {
      if (px1 > runEnd) runEnd = px1;
      continue;
    }
    if (runEnd > runStart) out.push(runStart, runEnd);
    runStart = px0;
    runEnd = px1;
  }
  if (runEnd > runStart) out.push(runStart, runEnd);
  return out;
}

// ---- minimap --------------------------------------------------------------------------------

/**
 * The minimap image as one colour index per pixel (row-major, -1 = empty): rows of the tree
 * are squeezed into `h` pixel rows, the trace's full time range into `w` columns, and each pixel
 * takes the colour with the most spans over it — except that an error (colour `colours - 1`)
 * always wins, so a red pixel never hides under a busy tool pixel. A difference array per pixel
 * row and colour makes each span O(1) whatever its width.
 */
export function minimapPixels(
  m: Pick<TraceModel, 'start' | 'drawEnd' | 'kind' | 'status' | 'startMs' | 'endMs'>,
  rows: ArrayLike<number>,
  w: number,
  h: number,
  colours: number,
): Int8Array {
  const nk = colours;
  const diff = new Int32Array(h * nk * (w + 1));
  const span = m.endMs - m.startMs;
  const toX = (t: number) => ((t - m.startMs) / span) * w;
  const nRows = Math.max(rows.length, 1);
  for (let k = 0; k < rows.length; k++) {
    const r = rows[k]!;
    const y0 = Math.floor((k * h) / nRows);
    const y1 = Math.max(y0 + 1, Math.floor(((k + 1) * h) / nRows));
    const x0 = Math.max(0, Math.min(w - 1, Math.floor(toX(m.start[r]!))));
    const x1 = Math.max(x0 + 1, Math.min(w, Math.ceil(toX(m.drawEnd[r]!))));
    const colour = m.status[r] === STATUS_ERROR ? nk - 1 : m.kind[r]!;
    for (let y = y0; y < y1 && y < h; y++) {
      const base = (y * nk + colour) * (w + 1);
      diff[base + x0]!++;
      diff[base + x1]!--;
    }
  }
  const out = new Int8Array(w * h).fill(-1);
  const run = new Int32Array(nk);
  for (let y = 0; y < h; y++) {
    run.fill(0);
    for (let x = 0; x < w; x++) {
      let best = -1;
      let bestCount = 0;
      for (let c = 0; c < nk; c++) {
        run[c]! += diff[(y * nk + c) * (w + 1) + x]!;
        if (run[c]! > bestCount) {
          bestCount = run[c]!;
          best = c;
        }
      }
      if (best >= 0 && run[nk - 1]! > 0) best = nk - 1;
      out[y * w + x] = best;
    }
  }
  return out;
}

/** Where the zoom window and the rows on screen sit on a minimap of `width` × `height` px. */
export interface MinimapViewport {
  /** Horizontal extent of the zoomed time domain. */
  x0: number;
  x1: number;
  /** Vertical extent of the rows on screen (inside a 2 px margin top and bottom). */
  y0: number;
  y1: number;
}

export function minimapViewport(o: {
  traceStartMs: number;
  traceEndMs: number;
  domain: readonly [number, number];
  width: number;
  height: number;
  scrollTop: number;
  viewHeight: number;
  rowCount: number;
}): MinimapViewport {
  const toX = (t: number) => ((t - o.traceStartMs) / (o.traceEndMs - o.traceStartMs)) * o.width;
  const n = Math.max(1, o.rowCount);
  const inner = o.height - 4;
  return {
    x0: Math.max(0, toX(o.domain[0])),
    x1: Math.min(o.width, toX(o.domain[1])),
    y0: (Math.floor(o.scrollTop / ROW_HEIGHT) / n) * inner + 2,
    y1: (Math.min(n, Math.ceil((o.scrollTop + o.viewHeight) / ROW_HEIGHT)) / n) * inner + 2,
  };
}
