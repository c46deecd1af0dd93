import { diffVerdicts, type DiffVerdict, type VerdictDiff } from './verdictDiff';
import type { RunVerdict } from './verdictSource';

export type PairBy = 'auto' | 'trace' | 'pair';

/**
 * Diff the verdicts of two runs. Paired by trace id when both runs judged the same traces (a
 * re-run of the judges), else by pair key (scenario / input: two agent versions judged by the
 * same judges). `auto` picks 'trace' when the runs share any trace.
 *
 * In pair mode a side may hold several traces of one task; the last one given (callers pass
 * verdicts in trace start order, so the latest run) stands for the task. Agent versions are
 * diffed over every run instead (versionVerdictDiff.ts).
 */
export function diffRunVerdicts(
  a: readonly RunVerdict[],
  b: readonly RunVerdict[],
  opts: { pairBy?: PairBy; pairKeyOf?: (traceId: string) => string | null } = {},
): { pairBy: 'trace' | 'pair'; diff: VerdictDiff } {
  let pairBy = opts.pairBy ?? 'auto';
  if (pairBy === 'auto') {
    const tracesA = new Set<string>();
    for (const v of a) tracesA.add(v.traceId);
    pairBy = b.some((v) => tracesA.has(v.traceId)) || !opts.pairKeyOf ? 'trace' : 'pair';
  }
  if (pairBy === 'pair' && !opts.pairKeyOf) throw new Error('pairing by scenario needs pair keys');
  const keyOf = pairBy === 'trace' ? (id: string) => id : opts.pairKeyOf!;
  return { pairBy, diff: diffVerdicts(toDiff(a, keyOf), toDiff(b, keyOf)) };
}

/** One verdict per (judge, key): the last given wins (a judge re-run on a trace, a task re-run). */
function toDiff(vs: readonly RunVerdict[], keyOf: (traceId: string) => string | null): DiffVerdict[] {
  const out: DiffVerdict[] = [];
  // judge → pair key → index in out. Nested maps: no key strings to build for 100k verdicts.
  const at = new Map<string, Map<string, number>>();
  for (const v of vs) {
    const pairKey = keyOf(v.traceId);
    if (pairKey === null) continue;
    const d: DiffVerdict = { judge: v.judge, pairKey, traceId: v.traceId, status: v.status, rationale: v.rationale };
    let byKey = at.get(v.judge);
    if (!byKey) at.set(v.judge, (byKey = new Map()));
    const i = byKey.get(pairKey);
    if (i === undefined) {
      byKey.set(pairKey, out.length);
      out.push(d);
    } else out[i] = d;
  }
  return out;
}
