import { isRecord, parseJsonText, utf8 } from './json';
import { isoToMs } from './time';
import { ImportError } from '../../util/errors';

/** One line of a JSON Lines session log (Claude Code, Codex CLI …), with where it came from. */
export interface JsonLine {
  o: Record<string, unknown>;
  lineNo: number;
  file: string;
  ts?: number;
}

/**
 * Parse a session log of one JSON object per line. A bad line is an error naming the file and
 * line, except a cut-off last line: agents append while they run, so a live session often ends
 * mid-line; that line is skipped with a warning instead of losing the whole session.
 */
export function readJsonLines(file: string, data: Buffer, warn: (m: string) => void): JsonLine[] {
  const text = utf8(data);
  const out: JsonLine[] = [];
  let lineNo = 0;
  let pos = 0;
  while (pos <= text.length) {
    let nl = text.indexOf('\n', pos);
    if (nl < 0) nl = text.length;
    lineNo++;
    const raw = text.slice(pos, nl).replace(/\r$/, '');
    const isLast = nl >= text.length || text.slice(nl + 1).trim() === '';
    pos = nl + 1;
    if (raw.trim() === '') continue;
    let o: unknown;
    try {
      o = JSON.parse(raw);
    } catch {
      if (isLast && !raw.trimEnd().endsWith('}')) {
        warn(`line ${lineNo} is cut off (session still being written?): skipped`);
        break;
      }
      parseJsonText(file, raw, lineNo - 1); // throws with line and column
      throw new ImportError(file, 'invalid JSON', { line: lineNo });
    }
    if (!isRecord(o)) throw new ImportError(file, 'each line must be a JSON object', { line: lineNo });
    out.push({ o, lineNo, file, ts: isoToMs(o.timestamp) });
  }
  return out;
}
