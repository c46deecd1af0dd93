import type { Stat } from './stats';

/**
 * What a benchmark module provides to tests/bench/run.ts. Each bench measures Tracedeck and a
 * baseline under the same conditions and reports both side by side (import vs JSON.parse; later:
 * trace view render vs a plain list, judges vs a single model call, diff vs a text diff …).
 */
export interface BenchContext {
  /** A scratch directory removed after the run (unless --keep). */
  tmpDir: string;
  /** `--name=value` options from the command line (flags without a value are 'true'). */
  options: Record<string, string>;
  log: (message: string) => void;
}

export interface BenchTable {
  title: string;
  headers: string[];
  rows: string[][];
  notes?: string[];
}

export interface BenchOutcome {
  tables: BenchTable[];
  /** Machine-readable figures, written to bench-results/latest.json under the bench's name. */
  data: unknown;
  /** False when a measurement failed or a result was wrong (e.g. span count mismatch). */
  ok: boolean;
  /**
   * The bench's headline figures for the combined report (tests/bench/report.ts →
   * bench-results/report.json + report.md). Optional: report.ts derives them from `data` for
   * benches that do not give them.
   */
  figures?: BenchFigure[];
}

/** One row of the benchmark report: Tracedeck's figure next to its baseline, and the target. */
export interface BenchFigure {
  /** Stable id, e.g. 'import.100k.time'. */
  id: string;
  /** What is measured, e.g. 'import 100k spans (OTLP/JSON, 124 MB)'. */
  label: string;
  /** Unit of `ours` and `baseline`: 'ms', 'MB', 'traces/s' … */
  unit: string;
  ours: number | null;
  /** Measured in the same run under the same conditions (or a published reference: say so in `note`). */
  baseline: number | null;
  baselineLabel: string;
  /** Which direction is good: time and memory 'lower', throughput 'higher'. */
  better: 'lower' | 'higher';
  /** What the issue asks for: `ours` (or the ours÷baseline ratio) compared with `value`. */
  target?: { on: 'ours' | 'ratio'; op: '<' | '<=' | '>' | '>='; value: number };
  note?: string;
  /** `ours` as median (min–max) over the repetitions, when it is one. */
  stat?: Stat;
  /** `baseline` as median (min–max) over the repetitions, when it is one. */
  baselineStat?: Stat;
}

export interface Bench {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchOutcome>;
}
