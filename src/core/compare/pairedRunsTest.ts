import { mulberry32 } from '../util/random';
import { logFactorials, mcnemarExact } from './mcnemar';

/**
 * Did version B change the pass rate of version A, over tasks each run several times?
 *
 * Data: per task, nA runs of A with cA passes and nB runs of B with cB passes.
 * Effect: Δ = mean over tasks of (cB/nB − cA/nA): the change of the per-task pass rate, every
 * task weighing the same however often it ran.
 *
 * Test: a paired (task-stratified) permutation test. Under H0 (the version does not matter) the
 * version label of each run is exchangeable with the other runs *of the same task*, so each
 * task's passes s = cA + cB fall on B's nB of the N = nA + nB runs like a draw without
 * replacement: cB* ~ Hypergeometric(N, s, nB), independently per task. The p-value is the
 * two-sided tail P(|Δ*| ≥ |Δ|) of that distribution, computed exactly by convolving the tasks'
 * distributions (Fisher's exact test when there is one task), or — when the exact support grows
 * past maxSupport — from seeded random permutations, p = (1 + hits) / (1 + R).
 * With one run per task on both sides the same test is McNemar's exact test, which is what we
 * run then (mcnemar.ts).
 *
 * Interval: a seeded two-level percentile bootstrap of Δ — resample tasks, then each resampled
 * task's runs of A and of B — so both the choice of tasks and the run-to-run noise show in it.
 */
export interface TaskCounts {
  nA: number;
  cA: number;
  nB: number;
  cB: number;
}

export type PairedTestMethod = 'mcnemar-exact' | 'permutation-exact' | 'permutation-monte-carlo';

export interface PairedRunsTest {
  tasks: number;
  /** mean over tasks of the B − A pass-rate difference */
  delta: number;
  pValue: number;
  method: PairedTestMethod;
  /** percentile bootstrap interval of delta */
  ci: [number, number];
  confidence: number;
  resamples: number;
  /** random permutations drawn (monte-carlo only; 0 when exact) */
  permutations: number;
  seed: number;
}

/** maxSupport: the exact distribution's size beyond which random permutations are drawn instead. */
export const PAIRED_TEST_DEFAULTS = { seed: 1, resamples: 2000, permutations: 20_000, confidence: 0.95, maxSupport: 200_000 };
/** Δ values are compared as integers in units of 1e-9, so equal sums of fractions tie exactly. */
const SCALE = 1e9;

export function pairedRunsTest(tasks: readonly TaskCounts[], opts: Partial<typeof PAIRED_TEST_DEFAULTS> = {}): PairedRunsTest | null {
  const o = { ...PAIRED_TEST_DEFAULTS, ...opts };
  for (const t of tasks)
    if (t.nA < 1 || t.nB < 1 || t.cA < 0 || t.cB < 0 || t.cA > t.nA || t.cB > t.nB)
      throw new RangeError(`bad task counts ${JSON.stringify(t)}`);
  const m = tasks.length;
  if (m === 0) return null;
  const delta = tasks.reduce((s, t) => s + t.cB / t.nB - t.cA / t.nA, 0) / m;
  const ci = bootstrapInterval(tasks, o);
  const base = { tasks: m, delta, ci, confidence: o.confidence, resamples: o.resamples, seed: o.seed };

  if (tasks.every((t) => t.nA === 1 && t.nB === 1)) {
    const p2f = tasks.filter((t) => t.cA === 1 && t.cB === 0).length;
    const f2p = tasks.filter((t) => t.cA === 0 && t.cB === 1).length;
    return { ...base, pValue: mcnemarExact(p2f, f2p).pValue, method: 'mcnemar-exact', permutations: 0 };
  }

  const maxN = Math.max(...tasks.map((t) => t.nA + t.nB));
  const logFact = logFactorials(maxN);
  const dists = tasks.map((t) => taskDistribution(t, logFact));
  const observed = tasks.reduce((s, t) => s + key(t, t.cB), 0);
  // Rounding each task's Δ to 1e-9 may move a mathematically equal sum by up to one unit a task.
  const threshold = Math.abs(observed) - m;

  const exact = convolve(dists, o.maxSupport);
  if (exact) {
    let p = 0;
    for (const [k, pr] of exact) if (Math.abs(k) >= threshold) p += pr;
    return { ...base, pValue: Math.min(1, p), method: 'permutation-exact', permutations: 0 };
  }
  const rand = mulberry32(o.seed);
  let hits = 0;
  for (let r = 0; r < o.permutations; r++) {
    let sum = 0;
    for (const t of tasks) sum += key(t, hypergeometric(t.nA + t.nB, t.cA + t.cB, t.nB, rand));
    if (Math.abs(sum) >= threshold) hits++;
  }
  return { ...base, pValue: (1 + hits) / (1 + o.permutations), method: 'permutation-monte-carlo', permutations: o.permutations };
}

/** The task's Δ when B got x of its s passes, in integer units. */
function key(t: TaskCounts, x: number): number {
  const s = t.cA + t.cB;
  return Math.round((x / t.nB - (s - x) / t.nA) * SCALE);
}

/** Permutation distribution of one task's Δ: cB* ~ Hypergeometric(N, s, nB). */
function taskDistribution(t: TaskCounts, logFact: Float64Array): Map<number, number> {
  const N = t.nA + t.nB;
  const s = t.cA + t.cB;
  const lc = (n: number, k: number) => logFact[n]! - logFact[k]! - logFact[n - k]!;
  const out = new Map<number, number>();
  for (let x = Math.max(0, s - t.nA); x <= Math.min(s, t.nB); x++) {
    const p = Math.exp(lc(s, x) + lc(N - s, t.nB - x) - lc(N, t.nB));
    const k = key(t, x);
    out.set(k, (out.get(k) ?? 0) + p);
  }
  return out;
}

/** Distribution of the sum of independent task Δs; null when its support grows too large. */
function convolve(dists: readonly Map<number, number>[], maxSupport: number): Map<number, number> | null {
  let acc = new Map<number, number>([[0, 1]]);
  for (const d of dists) {
    if (d.size === 1) {
      const [[k]] = [...d];
      acc = new Map([...acc].map(([x, p]) => [x + k!, p]));
      continue;
    }
    const next = new Map<number, number>();
    for (const [x, px] of acc) for (const [y, py] of d) next.set(x + y, (next.get(x + y) ?? 0) + px * py);
    if (next.size > maxSupport) return null;
    acc = next;
  }
  return acc;
}

/** Passes among `draws` runs drawn without replacement from N runs of which s passed. */
function hypergeometric(N: number, s: number, draws: number, rand: () => number): number {
  let x = 0;
  let pass = s;
  let left = N;
  for (let i = 0; i < draws; i++, left--) {
    if (rand() * left < pass) {
      x++;
      pass--;
    }
  }
  return x;
}

function bootstrapInterval(tasks: readonly TaskCounts[], o: typeof PAIRED_TEST_DEFAULTS): [number, number] {
  const rand = mulberry32(o.seed);
  const m = tasks.length;
  const binom = (n: number, p: number) => {
    let c = 0;
    for (let i = 0; i < n; i++) if (rand() < p) c++;
    return c;
  };
  const deltas = new Float64Array(o.resamples);
  for (let b = 0; b < o.resamples; b++) {
    let sum = 0;
    for (let i = 0; i < m; i++) {
      const t = tasks[Math.floor(rand() * m)]!;
      sum += binom(t.nB, t.cB / t.nB) / t.nB - binom(t.nA, t.cA / t.nA) / t.nA;
    }
    deltas[b] = sum / m;
  }
  deltas.sort();
  const alpha = (1 - o.confidence) / 2;
  const q = (p: number) => deltas[Math.min(deltas.length - 1, Math.max(0, Math.floor(p * (deltas.length - 1))))]!;
  return [q(alpha), q(1 - alpha)];
}
