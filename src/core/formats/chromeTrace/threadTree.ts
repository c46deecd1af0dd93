/**
 * Chrome trace events have no parent ids: on one thread, a slice is the child of the innermost
 * slice that contains it in time. Sorting by start, then longest first, and sweeping with an
 * explicit stack rebuilds that tree in O(n log n) without recursion.
 */

export interface Slice {
  /** Index in traceEvents (span id source). */
  idx: number;
  startUs: number;
  /** null = a B without its E: open until the end of the trace. */
  endUs: number | null;
}

export interface Instant {
  idx: number;
  tsUs: number;
}

export interface Nesting {
  /** parent slice idx per slice idx, or -1 = directly under the thread. */
  parentOf: Map<number, number>;
  /** slice idx the instant falls in, or -1 = the thread itself. */
  instantIn: Map<number, number>;
  /** Slices that start inside a parent but end after it (not properly nested). */
  overlaps: number;
}

export function nestThread(slices: Slice[], instants: Instant[]): Nesting {
  const end = (s: Slice) => (s.endUs === null ? Infinity : s.endUs);
  const sorted = [...slices].sort((a, b) => a.startUs - b.startUs || end(b) - end(a) || a.idx - b.idx);
  const marks = [...instants].sort((a, b) => a.tsUs - b.tsUs || a.idx - b.idx);
  const parentOf = new Map<number, number>();
  const instantIn = new Map<number, number>();
  const stack: Slice[] = [];
  let overlaps = 0;
  let m = 0;

  const placeInstantsBefore = (limitUs: number, inclusive: boolean) => {
    while (m < marks.length && (inclusive ? marks[m]!.tsUs <= limitUs : marks[m]!.tsUs < limitUs)) {
      const t = marks[m]!.tsUs;
      while (stack.length && end(stack[stack.length - 1]!) < t) stack.pop();
      instantIn.set(marks[m]!.idx, stack.length ? stack[stack.length - 1]!.idx : -1);
      m++;
    }
  };

  for (const s of sorted) {
    // Instants strictly before this slice's start see the stack as it was.
    placeInstantsBefore(s.startUs, false);
    while (stack.length && end(stack[stack.length - 1]!) <= s.startUs) stack.pop();
    const top = stack[stack.length - 1];
    parentOf.set(s.idx, top ? top.idx : -1);
    if (top && end(s) > end(top)) overlaps++;
    stack.push(s);
  }
  placeInstantsBefore(Infinity, true);
  return { parentOf, instantIn, overlaps };
}
