import { ImportError } from '../../util/errors';

/**
 * Incremental JSON scanner for files too big to JSON.parse whole (150 MB OTLP exports).
 *
 * Fed Buffer chunks, it follows the document structure at byte level and hands over every value
 * whose path matches one of the patterns, parsed on its own, so memory stays about one element.
 * Patterns use `key`, `[*]` (any array index) and `*` (any object key), dot-separated:
 * `resourceSpans[*].scopeSpans[*].spans[*]`; `` (empty) matches each top-level value.
 *
 * Only the containers on a pattern's way are tokenised fully (keys decoded, grammar checked);
 * values off the way are skipped and captured values are only bracket-matched, then checked by
 * JSON.parse. Strings are crossed with Buffer.indexOf (native) and escapes are resolved by
 * counting the backslashes before a quote, so no per-character strings are built. Quotes,
 * brackets and backslashes are ASCII and never occur inside a UTF-8 multi-byte sequence, which
 * makes chunk boundaries anywhere safe; captured bytes are decoded only once complete.
 * Several top-level values in a row (JSON Lines, concatenated JSON) are allowed unless
 * `multiple: false`.
 */

export interface JsonStreamValue {
  /** Index of the matching pattern. */
  pattern: number;
  /** Concrete path: object keys and array indices. */
  path: (string | number)[];
  /** Which top-level value (0-based): the record number in JSON Lines. */
  doc: number;
  /** Byte offset of the value's first byte in the stream. */
  offset: number;
  /** 1-based line of the value's first byte. */
  line: number;
  /** The parsed value, or its raw text when `raw` is set. */
  value: unknown;
}

export interface JsonStreamOptions {
  /** File name for error messages. */
  file: string;
  patterns: string[];
  onValue: (v: JsonStreamValue) => void;
  multiple?: boolean;
  /** Hand over the raw text instead of JSON.parse-ing it. */
  raw?: boolean;
}

const ANY_INDEX = -1;
const ANY_KEY = -2;
type Segment = string | number;

/** `a[*].b.*` → ['a', ANY_INDEX, 'b', ANY_KEY]; `[3]` pins an index. */
export function parsePattern(p: string): Segment[] {
  const segs: Segment[] = [];
  const re = /([^.[\]]+)|\[(\*|\d+)\]/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(p)) !== null) {
    if (m[1] !== undefined) segs.push(m[1] === '*' ? ANY_KEY : m[1]);
    else segs.push(m[2] === '*' ? ANY_INDEX : Number(m[2]));
  }
  return segs;
}

/** "a.b[2].c" for messages. */
export function formatPath(path: (string | number)[]): string {
  let s = '';
  for (const p of path) s += typeof p === 'number' ? `[${p}]` : s === '' ? p : `.${p}`;
  return s;
}

// Bytes
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const LBRACE = 0x7b;
const RBRACE = 0x7d;
const LBRACK = 0x5b;
const RBRACK = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;
const NL = 0x0a;

/** Characters allowed between tokens inside skipped/captured containers (numbers, literals, punctuation). */
const INNER = new Uint8Array(256);
/** Characters of a bare scalar (number, true/false/null). */
const SCALAR = new Uint8Array(256);
/** JSON whitespace. */
const WS = new Uint8Array(256);
for (const c of ' \t\r\n') WS[c.charCodeAt(0)] = 1;
for (const c of '0123456789-+.eEtrufalsn') SCALAR[c.charCodeAt(0)] = 1;
for (let i = 0; i < 256; i++) INNER[i] = SCALAR[i] || WS[i] ? 1 : 0;
INNER[COMMA] = 1;
INNER[COLON] = 1;

// Navigation states
const ST_ROOT = 0; // before the first top-level value
const ST_ROOT_AFTER = 1; // after a top-level value
const ST_VALUE = 2; // a value must follow (after ':' or ',' in an array)
const ST_ARR_FIRST = 3; // after '[': value or ']'
const ST_OBJ_FIRST = 4; // after '{': key or '}'
const ST_KEY = 5; // after ',' in an object: key
const ST_COLON = 6;
const ST_AFTER = 7; // after a value inside a container: ',' or close

// Modes
const M_NAV = 0;
const M_VALUE = 1;
const M_KEY = 2;

export class JsonStreamScanner {
  private readonly file: string;
  private readonly pats: Segment[][];
  private readonly onValue: (v: JsonStreamValue) => void;
  private readonly multiple: boolean;
  private readonly raw: boolean;
  private readonly allMask: number;

  private mode = M_NAV;
  private state = ST_ROOT;
  private doc = -1;

  // Navigation frames (only containers on a pattern's way).
  private readonly fIsArray: boolean[] = [];
  private readonly fKey: Segment[] = [];
  private readonly fMask: number[] = [];

  // Value being skipped or captured.
  private vDepth = 0;
  private vStack = new Uint8Array(64);
  private vInString = false;
  private vScalar = false;
  private capturing = false;
  private capPattern = 0;
  private capPath: Segment[] = [];
  private capOffset = 0;
  private capLine = 0;
  private capStart = 0;
  private capParts: Buffer[] = [];

  // Key being read.
  private keyStart = 0;
  private keyParts: Buffer[] = [];

  // String escape pending across a chunk boundary.
  private strEscape = false;

  // Position.
  private base = 0; // absolute offset of the current chunk
  private line = 1; // line number at linePos
  private linePos = 0; // position in the current chunk up to which newlines are counted
  private lastNl = -1; // absolute offset of the last newline counted
  // Next newline at or after linePos in the current chunk (buf.length when none, -1 unknown).
  // Remembered so that asking for the line of every captured value costs nothing on a file
  // with few newlines: an OTLP export on one line made each ask re-scan the rest of the chunk.
  private nextNl = -1;
  private bomPos = 0;

  constructor(opts: JsonStreamOptions) {
    this.file = opts.file;
    this.pats = opts.patterns.map(parsePattern);
    if (this.pats.length > 30) throw new Error('jsonStream: at most 30 patterns');
    this.onValue = opts.onValue;
    this.multiple = opts.multiple ?? true;
    this.raw = opts.raw ?? false;
    this.allMask = (1 << this.pats.length) - 1;
  }

  /** Bytes consumed so far. */
  get bytesRead(): number {
    return this.base;
  }

  /** Number of top-level values seen. */
  get documents(): number {
    return this.doc + 1;
  }

  write(buf: Buffer): void {
    const len = buf.length;
    let i = 0;
    if (this.bomPos < 3) i = this.skipBom(buf);
    while (i < len) {
      if (this.mode === M_VALUE) i = this.scanValue(buf, i);
      else if (this.mode === M_NAV) i = this.nav(buf, i);
      else i = this.readKey(buf, i);
    }
    if (this.mode === M_VALUE && this.capturing) {
      this.capParts.push(buf.subarray(this.capStart));
      this.capStart = 0;
    }
    this.countLinesTo(buf, len);
    this.base += len;
    this.linePos = 0;
    this.nextNl = -1;
  }

  end(): void {
    if (this.mode === M_VALUE && this.vScalar && this.vDepth === 0) {
      // A scalar ends at end of input (root value `42`, or a last JSONL line without newline).
      this.vScalar = false;
      this.valueDone(Buffer.alloc(0), 0);
    }
    if (this.mode === M_NAV && this.state === ST_ROOT) {
      throw new ImportError(this.file, 'no JSON value (file is empty)', { offset: this.base, line: this.line });
    }
    if (this.mode !== M_NAV || this.state !== ST_ROOT_AFTER) {
      const open = this.fKey.length + this.vDepth;
      const inString = this.vInString || this.mode === M_KEY;
      throw new ImportError(
        this.file,
        `JSON ends early at byte ${this.base} (file truncated?)${inString ? ' inside a string' : ''}` +
          (open ? `, ${open} bracket(s) still open` : ''),
        { offset: this.base, line: this.line, column: this.base - this.lastNl },
      );
    }
  }

  // ---- navigation ------------------------------------------------------------------------------

  private nav(buf: Buffer, i: number): number {
    const len = buf.length;
    while (i < len) {
      const c = buf[i]!;
      if (WS[c]) {
        i++;
        continue;
      }
      const st = this.state;
      if (st === ST_ROOT || st === ST_ROOT_AFTER) {
        if (st === ST_ROOT_AFTER && !this.multiple) this.fail(buf, i, `unexpected ${show(c)} after the end of the JSON value`);
        this.doc++;
        return this.beginValue(buf, i, c);
      }
      if (st === ST_VALUE) return this.beginValue(buf, i, c);
      if (st === ST_AFTER) {
        const top = this.fKey.length - 1;
        const isArray = this.fIsArray[top]!;
        if (c === COMMA) {
          if (isArray) {
            this.fKey[top] = (this.fKey[top] as number) + 1;
            this.state = ST_VALUE;
          } else this.state = ST_KEY;
          i++;
          continue;
        }
        if ((c === RBRACK && isArray) || (c === RBRACE && !isArray)) {
          this.pop();
          i++;
          continue;
        }
        this.fail(buf, i, `expected ',' or '${isArray ? ']' : '}'}', found ${show(c)}`);
      }
      if (st === ST_COLON) {
        if (c !== COLON) this.fail(buf, i, `expected ':' after a property name, found ${show(c)}`);
        this.state = ST_VALUE;
        i++;
        continue;
      }
      if (st === ST_ARR_FIRST) {
        if (c === RBRACK) {
          this.pop();
          i++;
          continue;
        }
        return this.beginValue(buf, i, c);
      }
      // ST_OBJ_FIRST or ST_KEY
      if (st === ST_OBJ_FIRST && c === RBRACE) {
        this.pop();
        i++;
        continue;
      }
      if (c !== QUOTE) this.fail(buf, i, `expected a property name in quotes, found ${show(c)}`);
      this.mode = M_KEY;
      this.keyStart = i + 1;
      this.keyParts.length = 0;
      return this.readKey(buf, i + 1);
    }
    return len;
  }

  private pop(): void {
    this.fIsArray.pop();
    this.fKey.pop();
    this.fMask.pop();
    this.state = this.fKey.length ? ST_AFTER : ST_ROOT_AFTER;
  }

  private beginValue(buf: Buffer, i: number, c: number): number {
    if (!(c === LBRACE || c === LBRACK || c === QUOTE || SCALAR[c])) this.fail(buf, i, `unexpected ${show(c)}`);
    const depth = this.fKey.length;
    let mask = 0;
    let full = -1;
    if (depth === 0) {
      mask = this.allMask;
      for (let p = 0; p < this.pats.length; p++) if (this.pats[p]!.length === 0) full = p;
    } else {
      const parent = depth - 1;
      const isArray = this.fIsArray[parent]!;
      const key = this.fKey[parent]!;
      const pm = this.fMask[parent]!;
      for (let p = 0; p < this.pats.length; p++) {
        if (!(pm & (1 << p))) continue;
        const seg = this.pats[p]![parent]!;
        const ok = isArray ? seg === ANY_INDEX || seg === key : seg === ANY_KEY || seg === key;
        if (!ok) continue;
        if (this.pats[p]!.length === depth) {
          if (full < 0) full = p;
        } else mask |= 1 << p;
      }
    }
    if (full >= 0) {
      this.capturing = true;
      this.capPattern = full;
      this.capPath = this.fKey.slice();
      this.capStart = i;
      this.capParts = [];
      this.capOffset = this.base + i;
      this.capLine = this.lineAt(buf, i);
      return this.startScan(buf, i);
    }
    if (mask !== 0 && (c === LBRACE || c === LBRACK)) {
      const isArray = c === LBRACK;
      this.fIsArray.push(isArray);
      this.fKey.push(isArray ? 0 : '');
      this.fMask.push(mask);
      this.state = isArray ? ST_ARR_FIRST : ST_OBJ_FIRST;
      return i + 1;
    }
    this.capturing = false;
    return this.startScan(buf, i);
  }

  private startScan(buf: Buffer, i: number): number {
    this.mode = M_VALUE;
    this.vDepth = 0;
    this.vInString = false;
    this.vScalar = false;
    return this.scanValue(buf, i);
  }

  private readKey(buf: Buffer, i: number): number {
    const q = this.findStringEnd(buf, i);
    if (q < 0) {
      this.keyParts.push(buf.subarray(this.keyStart));
      this.keyStart = 0;
      return buf.length;
    }
    let bytes: Buffer;
    if (this.keyParts.length) {
      this.keyParts.push(buf.subarray(this.keyStart, q));
      bytes = Buffer.concat(this.keyParts);
      this.keyParts.length = 0;
    } else bytes = buf.subarray(this.keyStart, q);
    let key: string;
    if (bytes.includes(BACKSLASH)) {
      try {
        key = JSON.parse(`"${bytes.toString('utf8')}"`) as string;
      } catch {
        this.fail(buf, q, 'invalid escape in a property name');
      }
    } else key = bytes.toString('utf8');
    this.fKey[this.fKey.length - 1] = key;
    this.mode = M_NAV;
    this.state = ST_COLON;
    return q + 1;
  }

  // ---- skipped / captured values ---------------------------------------------------------------

  private scanValue(buf: Buffer, i: number): number {
    const len = buf.length;
    if (this.vInString) {
      const q = this.findStringEnd(buf, i);
      if (q < 0) return len;
      this.vInString = false;
      i = q + 1;
      if (this.vDepth === 0) return this.valueDone(buf, i);
    } else if (this.vScalar) {
      i = this.scanScalar(buf, i);
      return this.vScalar ? len : this.valueDone(buf, i);
    }
    let depth = this.vDepth;
    while (i < len) {
      const c = buf[i]!;
      if (c === QUOTE) {
        const q = this.findStringEnd(buf, i + 1);
        if (q < 0) {
          this.vDepth = depth;
          this.vInString = true;
          return len;
        }
        i = q + 1;
        if (depth === 0) {
          this.vDepth = 0;
          return this.valueDone(buf, i);
        }
      } else if (c === LBRACE || c === LBRACK) {
        if (depth === this.vStack.length) {
          const grown = new Uint8Array(depth * 2);
          grown.set(this.vStack);
          this.vStack = grown;
        }
        this.vStack[depth++] = c;
        i++;
      } else if (c === RBRACE || c === RBRACK) {
        const open = this.vStack[--depth];
        if ((c === RBRACE && open !== LBRACE) || (c === RBRACK && open !== LBRACK)) {
          this.fail(buf, i, `unexpected ${show(c)}: '${String.fromCharCode(open!)}' is still open`);
        }
        i++;
        if (depth === 0) {
          this.vDepth = 0;
          return this.valueDone(buf, i);
        }
      } else if (depth === 0) {
        this.vDepth = 0;
        this.vScalar = true;
        i = this.scanScalar(buf, i);
        return this.vScalar ? len : this.valueDone(buf, i);
      } else {
        if (!INNER[c]) this.fail(buf, i, `unexpected ${show(c)}`);
        i++;
      }
    }
    this.vDepth = depth;
    return len;
  }

  private scanScalar(buf: Buffer, i: number): number {
    const len = buf.length;
    while (i < len && SCALAR[buf[i]!]) i++;
    if (i < len) this.vScalar = false;
    return i;
  }

  /** Index of the closing quote at or after i, or -1 (string continues in the next chunk). */
  private findStringEnd(buf: Buffer, i: number): number {
    const len = buf.length;
    if (this.strEscape) {
      if (i >= len) return -1;
      this.strEscape = false; // this byte was escaped by a backslash at the end of the last chunk
      i++;
    }
    let from = i;
    for (;;) {
      const q = buf.indexOf(QUOTE, i);
      if (q < 0) {
        let n = 0;
        for (let k = len - 1; k >= from && buf[k] === BACKSLASH; k--) n++;
        this.strEscape = (n & 1) === 1;
        return -1;
      }
      let n = 0;
      for (let k = q - 1; k >= from && buf[k] === BACKSLASH; k--) n++;
      if ((n & 1) === 0) return q;
      i = q + 1;
      from = i;
    }
  }

  private valueDone(buf: Buffer, end: number): number {
    this.mode = M_NAV;
    this.state = this.fKey.length ? ST_AFTER : ST_ROOT_AFTER;
    if (this.capturing) {
      this.capturing = false;
      let text: string;
      if (this.capParts.length) {
        this.capParts.push(buf.subarray(0, end));
        text = Buffer.concat(this.capParts).toString('utf8');
        this.capParts = [];
      } else text = buf.toString('utf8', this.capStart, end);
      const path = this.capPath;
      this.onValue({
        pattern: this.capPattern,
        path,
        doc: this.doc,
        offset: this.capOffset,
        line: this.capLine,
        value: this.raw ? text : this.parseCaptured(text, path),
      });
    }
    return end;
  }

  private parseCaptured(text: string, path: Segment[]): unknown {
    try {
      return JSON.parse(text);
    } catch (e) {
      const msg = (e as Error).message;
      const m = /position (\d+)/.exec(msg);
      let offset = this.capOffset;
      let line = this.capLine;
      if (m) {
        const pos = Math.min(Number(m[1]), text.length);
        const before = text.slice(0, pos);
        offset += Buffer.byteLength(before);
        for (let k = before.indexOf('\n'); k >= 0; k = before.indexOf('\n', k + 1)) line++;
      }
      const detail = msg.replace(/\s*in JSON at position \d+.*$/s, '').replace(/^JSON\.parse: /, '');
      throw new ImportError(this.file, `invalid JSON at byte ${offset}: ${detail}`, {
        offset,
        line,
        path: formatPath(path),
      });
    }
  }

  // ---- positions / errors ----------------------------------------------------------------------

  private skipBom(buf: Buffer): number {
    const BOM = [0xef, 0xbb, 0xbf];
    let i = 0;
    while (this.bomPos < 3 && i < buf.length) {
      if (buf[i] !== BOM[this.bomPos]) {
        if (this.bomPos > 0) this.fail(buf, i, 'broken UTF-8 byte order mark');
        this.bomPos = 3;
        break;
      }
      this.bomPos++;
      i++;
    }
    return i;
  }

  private countLinesTo(buf: Buffer, pos: number): void {
    let k = this.nextNl;
    if (k < this.linePos) {
      k = buf.indexOf(NL, this.linePos);
      if (k < 0) k = buf.length;
    }
    while (k < pos) {
      this.line++;
      this.lastNl = this.base + k;
      k = buf.indexOf(NL, k + 1);
      if (k < 0) k = buf.length;
    }
    this.nextNl = k;
    this.linePos = Math.max(this.linePos, pos);
  }

  /** Line of a position in the current chunk (positions only move forward). */
  private lineAt(buf: Buffer, pos: number): number {
    if (pos > this.linePos) this.countLinesTo(buf, pos);
    return this.line;
  }

  private fail(buf: Buffer, i: number, detail: string): never {
    const line = this.lineAt(buf, i);
    const offset = this.base + i;
    throw new ImportError(this.file, `invalid JSON at byte ${offset}: ${detail}`, {
      offset,
      line,
      column: offset - this.lastNl,
    });
  }
}

function show(c: number): string {
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}'` : `byte 0x${c.toString(16).padStart(2, '0')}`;
}

/** Scan a whole chunk stream. Resolves when the input ended cleanly; throws ImportError otherwise. */
export async function scanJsonStream(chunks: AsyncIterable<Buffer>, opts: JsonStreamOptions): Promise<JsonStreamScanner> {
  const scanner = new JsonStreamScanner(opts);
  for await (const chunk of chunks) scanner.write(chunk);
  scanner.end();
  return scanner;
}
