import { describe, expect, it } from 'vitest';
import { EMPTY_FILTER } from '../../../../src/renderer/trace/filter/filterState';
import type { TraceModel } from '../../../../src/renderer/trace/model/traceModel';
import { computeVisibleRows } from '../../../../src/renderer/trace/model/visibleRows';
import { actionForKey, helpRows, KEYMAP, type KeyPress } from '../../../../src/renderer/trace/state/keymap';
import {
  escapeHandled,
  initialTraceViewState,
  nextError,
  nextMatch,
  stepRow,
  traceViewReducer,
  type TraceViewState,
} from '../../../../src/renderer/trace/state/traceViewState';
import type { RootCause } from '../../../../src/shared/api';

// Rows (depth-first):  0 root ─┬─ 1 a ── 2 a1
//                              └─ 3 b ── 4 b1
const parent = Int32Array.from([-1, 0, 1, 0, 3]);
const m = {
  n: 5,
  parent,
  subtreeEnd: Int32Array.from([5, 3, 3, 5, 5]),
  childCount: Int32Array.from([2, 1, 0, 1, 0]),
  depth: Int32Array.from([0, 1, 2, 1, 2]),
  kind: Uint8Array.from([0, 1, 2, 1, 2]),
  start: Float64Array.from([0, 10, 12, 30, 31]),
  spanId: ['root', 'a', 'a1', 'b', 'b1'],
  rowOf: new Map([['root', 0], ['a', 1], ['a1', 2], ['b', 3], ['b1', 4]]),
} as unknown as TraceModel;
const reduce = traceViewReducer(m);
const start = (): TraceViewState => initialTraceViewState(m, null);

describe('trace view state', () => {
  it('opens on the deep-linked span with the detail open and a reveal pending', () => {
    const s = initialTraceViewState(m, 'b1');
    expect(s).toMatchObject({ selected: 4, detailOpen: true, revealSeq: 1 });
    expect(initialTraceViewState(m, 'gone')).toMatchObject({ selected: -1, detailOpen: false, revealSeq: 0 });
  });

  it('selecting a hidden row expands its ancestors; reveal bumps the sequence; open:false keeps the detail shut', () => {
    let s = reduce(start(), { type: 'collapseFromDepth', depth: 0 });
    expect(Array.from(s.collapsed)).toEqual([1, 1, 0, 1, 0]);
    s = reduce(s, { type: 'select', row: 4, reveal: true, open: false });
    expect(Array.from(s.collapsed)).toEqual([0, 1, 0, 0, 0]); // root and b opened, a stays shut
    expect(s).toMatchObject({ selected: 4, detailOpen: false, revealSeq: 1 });
    expect(reduce(s, { type: 'select', row: 9 })).toBe(s); // out of range: no change
    expect(reduce(s, { type: 'select', row: 2 })).toMatchObject({ selected: 2, detailOpen: true, revealSeq: 1 });
  });

  it('toggles, expands all and toggles a kind', () => {
    let s = reduce(start(), { type: 'toggle', row: 1 });
    expect(Array.from(s.collapsed)).toEqual([0, 1, 0, 0, 0]);
    s = reduce(s, { type: 'toggleKind', kind: 1 }); // a and b are kind 1: not all collapsed → collapse both
    expect(Array.from(s.collapsed)).toEqual([0, 1, 0, 1, 0]);
    s = reduce(s, { type: 'toggleKind', kind: 1 }); // now all are: expand both
    expect(Array.from(s.collapsed)).toEqual([0, 0, 0, 0, 0]);
    s = reduce(reduce(s, { type: 'collapseFromDepth', depth: 1 }), { type: 'expandAll' });
    expect(Array.from(s.collapsed)).toEqual([0, 0, 0, 0, 0]);
  });

  it('Escape closes the innermost thing first, then clears the filter keeping its mode, then is not ours', () => {
    const rc: RootCause = { steps: [{ spanId: 'a' }, { spanId: 'a1' }], firstAnomaly: 1 } as unknown as RootCause;
    let s = reduce(start(), { type: 'select', row: 2 });
    s = reduce(s, { type: 'setFilter', filter: { ...EMPTY_FILTER, text: 'x', mode: 'highlight' } });
    s = reduce(s, { type: 'rootCauseStart', spanId: 'a1' });
    s = reduce(s, { type: 'rootCauseLoaded', spanId: 'a1', data: rc, error: null });
    expect(s.rootCause).toMatchObject({ loading: false, step: 1 });
    s = reduce(s, { type: 'toggleHelp' });
    const closes: string[] = [];
    while (escapeHandled(s)) {
      const before = s;
      s = reduce(s, { type: 'escape' });
      closes.push(before.help ? 'help' : before.rootCause ? 'root cause' : before.detailOpen ? 'detail' : 'filter');
    }
    expect(closes).toEqual(['help', 'root cause', 'detail', 'filter']);
    expect(s.filter).toEqual({ ...EMPTY_FILTER, mode: 'highlight' });
    expect(reduce(s, { type: 'escape' })).toBe(s);
  });

  it('clamps root-cause steps and drops a late answer for a closed panel', () => {
    const rc = { steps: [{ spanId: 'a' }, { spanId: 'a1' }, { spanId: 'b' }], firstAnomaly: -1 } as unknown as RootCause;
    let s = reduce(start(), { type: 'rootCauseStart', spanId: 'b' });
    s = reduce(s, { type: 'rootCauseLoaded', spanId: 'b', data: rc, error: null });
    expect(s.rootCause?.step).toBe(0); // no anomaly: start at the first step
    expect(reduce(s, { type: 'rootCauseStep', step: 7 }).rootCause?.step).toBe(2);
    expect(reduce(s, { type: 'rootCauseStep', step: -3 }).rootCause?.step).toBe(0);
    const closed = reduce(s, { type: 'rootCauseClose' });
    expect(reduce(closed, { type: 'rootCauseLoaded', spanId: 'b', data: rc, error: null })).toBe(closed);
  });
});

describe('navigation', () => {
  it('steps through visible rows, clamped, from the ends when nothing is selected', () => {
    const collapsed = Uint8Array.from([0, 1, 0, 0, 0]); // a collapsed: rows 0, 1, 3, 4 visible
    const v = computeVisibleRows(m, collapsed, null);
    expect(stepRow(v, -1, 1)).toBe(0);
    expect(stepRow(v, -1, -1)).toBe(4);
    expect(stepRow(v, 1, 1)).toBe(3); // skips a1 inside collapsed a
    expect(stepRow(v, 0, 20)).toBe(4);
    expect(stepRow(v, 3, -20)).toBe(0);
  });

  it('jumps to errors by start time, wrapping, and from a non-error selection to the next one after it', () => {
    const errors = [2, 4]; // a1 (12 ms), b1 (31 ms)
    expect(nextError(m, errors, -1, 1)).toBe(2);
    expect(nextError(m, errors, -1, -1)).toBe(4);
    expect(nextError(m, errors, 2, 1)).toBe(4);
    expect(nextError(m, errors, 4, 1)).toBe(2); // wraps
    expect(nextError(m, errors, 3, 1)).toBe(4); // b starts at 30: next error after is b1
    expect(nextError(m, errors, 3, -1)).toBe(2);
    expect(nextError(m, [], 3, 1)).toBe(-1);
  });

  it('jumps to matches in row order, wrapping', () => {
    expect(nextMatch([1, 3], -1, 1)).toBe(1);
    expect(nextMatch([1, 3], -1, -1)).toBe(3);
    expect(nextMatch([1, 3], 2, 1)).toBe(3);
    expect(nextMatch([1, 3], 2, -1)).toBe(1);
    expect(nextMatch([1, 3], 3, 1)).toBe(1);
  });
});

describe('the keymap', () => {
  const press = (key: string, extra: Partial<KeyPress> = {}): KeyPress => ({
    key,
    altKey: false,
    ctrlKey: false,
    metaKey: false,
    defaultPrevented: false,
    inEditable: false,
    ...extra,
  });

  it('maps keys to actions, leaving text fields, Alt and Ctrl combinations alone (except Ctrl+Enter)', () => {
    expect(actionForKey(press('j'))).toBe('next');
    expect(actionForKey(press('ArrowDown'))).toBe('next');
    expect(actionForKey(press('E'))).toBe('prevError');
    expect(actionForKey(press('='))).toBe('zoomIn');
    expect(actionForKey(press('j', { inEditable: true }))).toBeNull();
    expect(actionForKey(press('j', { altKey: true }))).toBeNull();
    expect(actionForKey(press('f', { ctrlKey: true }))).toBeNull();
    expect(actionForKey(press('Enter', { ctrlKey: true }))).toBe('openDetail');
    expect(actionForKey(press('x'))).toBeNull();
    expect(actionForKey(press('j', { defaultPrevented: true }))).toBeNull();
  });

  it('binds each key once, and the help overlay lists every entry', () => {
    const keys = KEYMAP.flatMap((e) => Object.keys(e.keys));
    expect(new Set(keys).size).toBe(keys.length);
    const rows = helpRows();
    expect(rows).toHaveLength(KEYMAP.length);
    expect(rows).toContainEqual(['j / ↓', 'next span']);
    expect(rows).toContainEqual(['Space', 'expand / collapse']);
    expect(rows).toContainEqual(['e / E', 'next / previous error']);
    expect(rows).toContainEqual(['w / +', 'zoom timeline in']);
    expect(rows).toContainEqual(['Esc', 'close panel / clear filter']);
  });
});
