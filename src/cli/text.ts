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

/**
 * One line, at most `max` characters: names come from trace files and may hold anything. Line
 * breaks and tabs become spaces; other controls are escaped visibly on output (terminalSafe).
 */
export function oneLine(s: string, max: number): string {
  const flat = s.replace(/[\n\r\t\v\f\u0085\u2028\u2029]+/g, ' ');
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

/**
 * Characters a terminal acts on instead of showing: C0 controls (ESC starts ANSI/OSC sequences,
 * BEL rings, CR overwrites the line), DEL, C1 controls (U+009B is an 8-bit CSI) and the Unicode
 * bidi controls (U+202E makes the rest of a line read backwards). Tab and newline stay.
 */
const TERMINAL_UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text for a terminal: every unsafe character becomes the visible escape `\uXXXX`. Applied to
 * everything the CLI writes (output.ts); on JSON output that is the same JSON (a JSON string may
 * spell any character as \uXXXX, and JSON.stringify already escapes C0 that way).
 */
export function terminalSafe(text: string): string {
  TERMINAL_UNSAFE.lastIndex = 0;
  if (!TERMINAL_UNSAFE.test(text)) return text;
  return text.replace(TERMINAL_UNSAFE, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
