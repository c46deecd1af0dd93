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
}

export interface Bench {
  name: string;
  description: string;
  run(ctx: BenchContext): Promise<BenchOutcome>;
}
