/** Human-readable bits shared by the text outputs. */

// The same duration and cost reading as the UI's (one implementation).
export { formatCost, formatDuration } from '../shared/format';

/** Local time, to the second: "2025-12-22 10:31:05". */
export function formatTime(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '-';
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/** One line, at most `max` characters: names come from trace files and may hold anything. */
export function oneLine(s: string, max: number): string {
  const flat = s.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Left-aligned text columns (numbers right-aligned), two spaces apart. */
export function table(header: string[], rows: string[][], rightAligned: ReadonlySet<number> = new Set()): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const fmt = (cells: string[]) =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [fmt(header), ...rows.map(fmt)];
}

/** A rate as a percentage with one decimal; '-' when unknown. */
export const pct = (x: number | null) => (x === null ? '-' : `${(x * 100).toFixed(1)}%`);
/** A rate difference in percentage points, signed. */
export const pp = (x: number | null) => (x === null ? '-' : `${x >= 0 ? '+' : ''}${(x * 100).toFixed(1)} pp`);
