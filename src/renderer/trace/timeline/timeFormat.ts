/** Axis labels: relative time since trace start, in a unit chosen from the tick step. */
export function formatTick(ms: number, stepMs: number): string {
  if (ms === 0) return '0';
  const sign = ms < 0 ? '-' : '';
  const a = Math.abs(ms);
  if (stepMs < 0.001) return `${sign}${(a * 1000).toFixed(decimals(stepMs * 1000))}µs`;
  if (stepMs < 1000) {
    // far from the start, "65.5s" reads better than "65500ms"
    return a < 1000 ? `${sign}${a.toFixed(decimals(stepMs))}ms` : `${sign}${(a / 1000).toFixed(decimals(stepMs / 1000))}s`;
  }
  if (stepMs < 60_000 && a < 60_000) return `${sign}${(a / 1000).toFixed(decimals(stepMs / 1000))}s`;
  if (stepMs < 3_600_000) {
    const h = Math.floor(a / 3_600_000);
    const m = Math.floor((a - h * 3_600_000) / 60_000);
    const s = Math.round((a - h * 3_600_000 - m * 60_000) / 1000);
    return `${sign}${h ? `${h}h` : ''}${m || !h ? `${m}m` : ''}${s ? `${s}s` : ''}`;
  }
  const h = Math.floor(a / 3_600_000);
  const m = Math.round((a - h * 3_600_000) / 60_000);
  return `${sign}${h}h${m ? `${m}m` : ''}`;
}

function decimals(step: number): number {
  if (step >= 1) return 0;
  return Math.min(6, Math.ceil(-Math.log10(step) - 1e-9));
}

const NICE_STEPS_MS = [
  1e-3, 2e-3, 5e-3, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000,
  15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000, 1_800_000, 3_600_000, 7_200_000, 10_800_000,
  21_600_000, 43_200_000, 86_400_000,
];

/**
 * Ticks for a duration axis: steps a person reads as round (15 s, 5 min, 2 h), not the 1-2-5
 * decimal steps of a linear scale (which give "2h47m" at hour scale).
 */
export function durationTicks(d0: number, d1: number, count: number): { ticks: number[]; step: number } {
  const raw = (d1 - d0) / Math.max(1, count);
  let step = NICE_STEPS_MS.find((s) => s >= raw);
  if (step === undefined) step = Math.ceil(raw / 86_400_000) * 86_400_000;
  const ticks: number[] = [];
  for (let t = Math.ceil(d0 / step) * step; t <= d1 && ticks.length < 1000; t += step) ticks.push(t);
  return { ticks, step };
}
