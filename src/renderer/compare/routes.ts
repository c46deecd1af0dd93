import type { VersionGroupByDto } from '../../shared/api';

/**
 * Routes of the compare views (parsed from the hash by app/router.ts):
 *   #/diff?a=RUN&b=RUN                              verdict diff of two judge runs
 *   #/diff?by=attribute&key=K&a=V1&b=V2             verdict diff of two agent versions
 *   #/versions?by=attribute&key=K&a=V1&b=V2         versions table, comparison of A and B
 *   #/compare?a=TRACE&b=TRACE                       two traces side by side
 *   #/compare?a=T&b=T&by=…&va=V1&vb=V2&task=KEY      … as runs of one task under two versions
 *                                                   (pickers for which run of A and of B)
 *   #/trace/:traceId/trajectory[?scenario=ID]       a trace's trajectory against a scenario
 * Ids travel URI-encoded in the fragment of our own document only.
 */
export type CompareRoute =
  | { name: 'diff'; mode: 'runs'; a: string | null; b: string | null }
  | { name: 'diff'; mode: 'versions'; groupBy: VersionGroupByDto; a: string | null; b: string | null }
  | { name: 'versions'; groupBy: VersionGroupByDto; a: string | null; b: string | null }
  | { name: 'compare-pair'; a: string; b: string; task: PairTaskContext | null }
  | { name: 'trajectory'; traceId: string; scenarioId: string | null };

/** Where a side-by-side pair came from: one task's runs under versions a and b. */
export interface PairTaskContext {
  groupBy: VersionGroupByDto;
  a: string;
  b: string;
  task: string;
}

const NAMES = new Set<string>(['diff', 'versions', 'compare-pair', 'trajectory']);

export function isCompareRoute(r: { name: string }): r is CompareRoute {
  return NAMES.has(r.name);
}

export const DEFAULT_GROUP_BY: VersionGroupByDto = { by: 'attribute', key: 'gen_ai.agent.version' };

function groupByOf(q: URLSearchParams): VersionGroupByDto | null {
  const by = q.get('by');
  if (by === 'version' || by === 'import') return { by };
  if (by === 'attribute') return { by, key: q.get('key') || 'gen_ai.agent.version' };
  if (by === 'tag') {
    const key = q.get('key');
    return key ? { by, key } : { by };
  }
  return null;
}

function decode(s: string): string | null {
  try {
    return decodeURIComponent(s);
  } catch {
    return null;
  }
}

/** A compare route, or null when the path is not one (the app router goes on). */
export function parseCompareRoute(path: string): CompareRoute | null {
  const qAt = path.indexOf('?');
  const base = qAt >= 0 ? path.slice(0, qAt) : path;
  let q: URLSearchParams;
  try {
    q = new URLSearchParams(qAt >= 0 ? path.slice(qAt + 1) : '');
  } catch {
    return null;
  }
  const a = q.get('a') || null;
  const b = q.get('b') || null;
  if (base === '/diff') {
    const g = groupByOf(q);
    return g ? { name: 'diff', mode: 'versions', groupBy: g, a, b } : { name: 'diff', mode: 'runs', a, b };
  }
  if (base === '/versions') return { name: 'versions', groupBy: groupByOf(q) ?? DEFAULT_GROUP_BY, a, b };
  if (base === '/compare' && a && b) {
    const g = groupByOf(q);
    const va = q.get('va');
    const vb = q.get('vb');
    const task = q.get('task');
    return { name: 'compare-pair', a, b, task: g && va && vb && task ? { groupBy: g, a: va, b: vb, task } : null };
  }
  const parts = base.split('/');
  if (parts.length === 4 && parts[0] === '' && parts[1] === 'trace' && parts[2] && parts[3] === 'trajectory') {
    const traceId = decode(parts[2]);
    if (traceId !== null) return { name: 'trajectory', traceId, scenarioId: q.get('scenario') || null };
  }
  return null;
}

function query(params: Record<string, string | null | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}

const groupParams = (g: VersionGroupByDto) => ({ by: g.by, key: 'key' in g ? g.key : undefined });

export const diffRunsHash = (a?: string | null, b?: string | null) => `#/diff${query({ a, b })}`;
export const diffVersionsHash = (g: VersionGroupByDto, a?: string | null, b?: string | null) =>
  `#/diff${query({ ...groupParams(g), a, b })}`;
export const versionsHash = (g: VersionGroupByDto, a?: string | null, b?: string | null) =>
  `#/versions${query({ ...groupParams(g), a, b })}`;
export const comparePairHash = (a: string, b: string, ctx?: PairTaskContext | null) =>
  `#/compare${query({ a, b, ...(ctx ? { ...groupParams(ctx.groupBy), va: ctx.a, vb: ctx.b, task: ctx.task } : {}) })}`;
export const trajectoryHash = (traceId: string, scenarioId?: string | null) =>
  `#/trace/${encodeURIComponent(traceId)}/trajectory${query({ scenario: scenarioId })}`;

export function groupByLabel(g: VersionGroupByDto): string {
  switch (g.by) {
    case 'version':
      return 'version column';
    case 'attribute':
      return `attribute ${g.key}`;
    case 'tag':
      return g.key ? `tag ${g.key}…` : 'first tag';
    case 'import':
      return 'import batch';
  }
}
