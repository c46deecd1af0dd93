import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { importFixture } from '../../helpers/workspace';
import { createBackend } from '../../../src/backend/handlers';
import { buildModel, kindOf, nameOf, type TraceModel } from '../../../src/renderer/trace/model/traceModel';
import { decodeAnalysis } from '../../../src/renderer/trace/model/traceAnalysis';
import {
  KEEP_CONTEXT,
  KEEP_MATCH,
  collapseFromDepth,
  computeVisibleRows,
  expandTo,
  toggleKind,
} from '../../../src/renderer/trace/model/visibleRows';
import { localMatches, parseAttribute, parseDurationMs, toSpanFilter, EMPTY_FILTER } from '../../../src/renderer/trace/filter/filterState';
import { durationTicks, formatTick } from '../../../src/renderer/trace/timeline/timeFormat';
import { KIND_INDEX } from '../../../src/renderer/trace/model/traceModel';

// The renderer's model of the Phoenix trace (tree order = s01, s02 … s18, see the fixture facts
// in traceViewBackend.test.ts), built from the same columns the backend sends the UI.
let m: TraceModel;
let analysis: Awaited<ReturnType<ReturnType<typeof createBackend>['call']>>;
let cleanup: () => void;

beforeAll(async () => {
  const f = await importFixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json');
  cleanup = f.cleanup;
  const b = createBackend({ workspace: f.ws, mode: 'browser' });
  m = buildModel((await b.call('getTraceColumns', { traceId: 'fixture-trace-1' }))!.columns);
  analysis = await b.call('getTraceAnalysis', { traceId: 'fixture-trace-1' });
});
afterAll(() => cleanup());

const ids = (rows: ArrayLike<number>) => Array.from(rows, (r) => m.spanId[r]);

describe('buildModel', () => {
  it('decodes the columns into rows with depth, subtree extents and durations', () => {
    expect(m.n).toBe(18);
    expect(nameOf(m, 0)).toBe('pxi.turn');
    expect(kindOf(m, 10)).toBe('tool');
    expect(Array.from(m.depth)).toEqual([0, ...Array(17).fill(1)]);
    expect(m.subtreeEnd[0]).toBe(18);
    expect(m.childCount[0]).toBe(17);
    expect([m.startMs, m.endMs]).toEqual([0, 35_000]);
    expect(m.end[10]! - m.start[10]!).toBe(1000);
    expect(m.inputTokens[1]).toBe(32321);
    expect(Number.isNaN(m.inputTokens[2]!)).toBe(true); // a tool span carries no usage
    expect(m.rowOf.get('s11')).toBe(10);
  });

  it('maps the critical path onto rows', () => {
    const c = decodeAnalysis(analysis as never, m.n, m.t0).critical;
    expect(Array.from(c.onPath).every((x) => x === 1)).toBe(true);
    const segs = (r: number) => Array.from({ length: c.first[r + 1]! - c.first[r]! }, (_, i) => [c.segStart[c.first[r]! + i], c.segEnd[c.first[r]! + i]]);
    expect(segs(10)).toEqual([[19_000, 20_000]]);
    // the root's self time: the 18 one-second gaps around its children, in time order
    expect(segs(0).length).toBe(18);
    expect(segs(0).slice(0, 2)).toEqual([[0, 1000], [2000, 3000]]);
  });
});

describe('computeVisibleRows', () => {
  it('shows everything expanded, and skips a collapsed subtree', () => {
    const open = new Uint8Array(m.n);
    expect(computeVisibleRows(m, open, null).rows.length).toBe(18);
    const closed = collapseFromDepth(m, 0);
    const v = computeVisibleRows(m, closed, null);
    expect(ids(v.rows)).toEqual(['s01']);
    expect(v.indexOf[10]).toBe(-1);
    expect(ids(computeVisibleRows(m, expandTo(m, closed, 10), null).rows)).toHaveLength(18);
  });

  it('filters to matches plus their ancestors as context; the selection always shows', () => {
    const match = localMatches(m, { kinds: ['tool'], status: ['error'] });
    const v = computeVisibleRows(m, new Uint8Array(m.n), match, 2);
    expect(ids(v.rows)).toEqual(['s01', 's03', 's11']);
    expect(v.keep![0]).toBe(KEEP_CONTEXT);
    expect(v.keep![10]).toBe(KEEP_MATCH);
    expect(v.keep![2]).toBe(KEEP_CONTEXT); // pinned selection, not a match
  });

  it('toggles every span of a kind that has children', () => {
    const c = toggleKind(m, new Uint8Array(m.n), KIND_INDEX.agent);
    expect(c[0]).toBe(1);
    expect(toggleKind(m, c, KIND_INDEX.agent)[0]).toBe(0);
    expect(toggleKind(m, c, KIND_INDEX.tool)).toBe(c); // tools have no children here: unchanged
  });
});

describe('filter parsing and local matches', () => {
  it('parses durations and attribute criteria', () => {
    expect(parseDurationMs('500ms')).toBe(500);
    expect(parseDurationMs('1.5s')).toBe(1500);
    expect(parseDurationMs('2m')).toBe(120_000);
    expect(parseDurationMs('250')).toBe(250);
    expect(parseDurationMs('soon')).toBeNull();
    expect(parseAttribute('tool.name=bash')).toEqual({ key: 'tool.name', value: 'bash' });
    expect(parseAttribute('tool.name')).toEqual({ key: 'tool.name' });
    expect(parseAttribute('=x')).toBeNull();
    expect(toSpanFilter(EMPTY_FILTER)).toBeNull();
    expect(toSpanFilter({ ...EMPTY_FILTER, text: ' bash ', minDuration: '2s' })).toEqual({ text: 'bash', minDurationMs: 2000 });
  });

  it('matches names, tools and durations from the columns alone', () => {
    expect(ids(rowsOf(localMatches(m, { text: 'ADD_SPANS' })))).toEqual(['s11', 's15']);
    expect(ids(rowsOf(localMatches(m, { minDurationMs: 1001 })))).toEqual(['s01']);
    expect(ids(rowsOf(localMatches(m, { kinds: ['llm'], text: 'fable' })))).toHaveLength(9);
  });
});

describe('time axis', () => {
  it('picks round steps a person reads at every scale', () => {
    expect(durationTicks(0, 35_000, 7)).toEqual({ ticks: [0, 5000, 10_000, 15_000, 20_000, 25_000, 30_000, 35_000], step: 5000 });
    expect(durationTicks(0, 6.4 * 3_600_000, 7).step).toBe(3_600_000);
    expect(formatTick(5000, 5000)).toBe('5s');
    expect(formatTick(90_000, 30_000)).toBe('1m30s');
    expect(formatTick(7_200_000, 3_600_000)).toBe('2h');
    expect(formatTick(1.5, 0.5)).toBe('1.5ms');
    expect(formatTick(65_500, 500)).toBe('65.5s');
    // deep into a 31-hour session, zoomed to seconds
    expect(formatTick(31 * 3_600_000 + 51 * 60_000 + 5000, 5000)).toBe('31h51m5s');
    expect(formatTick(2 * 3_600_000 + 5000, 5000)).toBe('2h5s');
  });
});

function rowsOf(flags: Uint8Array): number[] {
  const out: number[] = [];
  flags.forEach((f, r) => f && out.push(r));
  return out;
}
