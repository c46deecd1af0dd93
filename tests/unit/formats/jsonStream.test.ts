import { describe, expect, it } from 'vitest';
import { JsonStreamScanner, parsePattern, type JsonStreamValue } from '../../../src/core/formats/common/jsonStream';
import { ImportError } from '../../../src/core/util/errors';

const PATTERNS = [
  'resourceSpans[*].resource',
  'resourceSpans[*].scopeSpans[*].scope',
  'resourceSpans[*].scopeSpans[*].spans[*]',
];

/** Feed `chunks` in order; return what the scanner handed over (or throw its error). */
function scan(chunks: Buffer[], patterns = PATTERNS, opts: { multiple?: boolean; raw?: boolean } = {}): JsonStreamValue[] {
  const out: JsonStreamValue[] = [];
  const s = new JsonStreamScanner({ file: 'doc.json', patterns, onValue: (v) => out.push(v), ...opts });
  for (const c of chunks) s.write(c);
  s.end();
  return out;
}

function scanError(text: string | Buffer, patterns = PATTERNS, opts: { multiple?: boolean } = {}): ImportError {
  try {
    scan([Buffer.isBuffer(text) ? text : Buffer.from(text)], patterns, opts);
  } catch (e) {
    expect(e).toBeInstanceOf(ImportError);
    return e as ImportError;
  }
  throw new Error('expected an ImportError');
}

// A small document with everything that can go wrong at a chunk boundary: multi-byte UTF-8
// (2, 3 and 4 bytes), escaped quotes, an escaped backslash right before a closing quote, \u
// escapes, escaped keys, whitespace and newlines between tokens, skipped siblings with
// brackets inside strings, and a second top-level value (JSON Lines).
const DOC =
  '\ufeff{ "schemaUrl": "x]}{\\"[", "resourceSpans" : [\n' +
  ' {"resource": {"attributes": [{"key": "service.name", "value": {"stringValue": "sérvice ✓"}}]},\n' +
  '  "scopeSpans": [{"scope": {"name": "s\\"q"}, "spans": [\n' +
  '    {"name": "a\\\\", "emoji": "💥", "n": [1, 2.5e3, true, null, {"k": []}]},\n' +
  '    {"name": "b\\u0041", "t\\u00e9st": "\\\\\\"", "empty": {}}\n' +
  '  ]}]}\n' +
  ']}\n' +
  '{"resourceSpans": [{"scopeSpans": [{"spans": [{"name": "line2"}]}]}]}';
const BYTES = Buffer.from(DOC, 'utf8');

const EXPECTED = [
  { pattern: 0, path: ['resourceSpans', 0, 'resource'], doc: 0, line: 2 },
  { pattern: 1, path: ['resourceSpans', 0, 'scopeSpans', 0, 'scope'], doc: 0, line: 3 },
  { pattern: 2, path: ['resourceSpans', 0, 'scopeSpans', 0, 'spans', 0], doc: 0, line: 4 },
  { pattern: 2, path: ['resourceSpans', 0, 'scopeSpans', 0, 'spans', 1], doc: 0, line: 5 },
  { pattern: 2, path: ['resourceSpans', 0, 'scopeSpans', 0, 'spans', 0], doc: 1, line: 8 },
];
const VALUES = [
  { attributes: [{ key: 'service.name', value: { stringValue: 'sérvice ✓' } }] },
  { name: 's"q' },
  { name: 'a\\', emoji: '💥', n: [1, 2500, true, null, { k: [] }] },
  { name: 'bA', tést: '\\"', empty: {} },
  { name: 'line2' },
];

describe('JsonStreamScanner', () => {
  it('hands over each matching element with path, document, byte offset and line', () => {
    const got = scan([BYTES]);
    expect(got.map(({ pattern, path, doc, line }) => ({ pattern, path, doc, line }))).toEqual(EXPECTED);
    expect(got.map((v) => v.value)).toEqual(VALUES);
    // offsets point at the element's first byte
    for (const v of got) expect(BYTES[v.offset]).toBe(0x7b /* { */);
    expect(BYTES.subarray(got[2]!.offset, got[2]!.offset + 10).toString()).toBe('{"name": "');
  });

  it('gives the same result for a split at every byte (inside UTF-8 sequences and escapes too)', () => {
    const whole = JSON.stringify(scan([BYTES]));
    for (let cut = 0; cut <= BYTES.length; cut++) {
      const got = scan([BYTES.subarray(0, cut), BYTES.subarray(cut)]);
      expect(JSON.stringify(got), `split at byte ${cut}`).toBe(whole);
    }
  });

  it('gives the same result fed one byte at a time and in 3-byte chunks', () => {
    const whole = JSON.stringify(scan([BYTES]));
    const bytes: Buffer[] = [];
    for (let i = 0; i < BYTES.length; i++) bytes.push(BYTES.subarray(i, i + 1));
    expect(JSON.stringify(scan(bytes))).toBe(whole);
    const threes: Buffer[] = [];
    for (let i = 0; i < BYTES.length; i += 3) threes.push(BYTES.subarray(i, i + 3));
    expect(JSON.stringify(scan(threes))).toBe(whole);
  });

  it('supports [*] at the root, pinned indices, * keys and the whole-document pattern', () => {
    const arr = Buffer.from('[{"a":1},"two",3,[4]]');
    expect(scan([arr], ['[*]']).map((v) => v.value)).toEqual([{ a: 1 }, 'two', 3, [4]]);
    expect(scan([arr], ['[2]']).map((v) => v.value)).toEqual([3]);
    expect(scan([Buffer.from('{"x":{"p":1,"q":[2]}}')], ['x.*']).map((v) => [v.path, v.value])).toEqual([
      [['x', 'p'], 1],
      [['x', 'q'], [2]],
    ]);
    const lines = Buffer.from('{"a":1}\n{"a":2}\n42\n');
    expect(scan([lines], ['']).map((v) => [v.doc, v.line, v.value])).toEqual([
      [0, 1, { a: 1 }],
      [1, 2, { a: 2 }],
      [2, 3, 42],
    ]);
    // a root scalar that ends exactly at end of input
    expect(scan([Buffer.from('7')], ['']).map((v) => v.value)).toEqual([7]);
  });

  it('returns the raw text when asked', () => {
    const got = scan([Buffer.from('[ {"a" : 1} ]')], ['[*]'], { raw: true });
    expect(got[0]!.value).toBe('{"a" : 1}');
  });

  it('reports a truncated file with the byte offset and line where it ends', () => {
    const firstDocEnd = BYTES.indexOf('\n{"resourceSpans"'); // the byte after the first document's '}'
    for (const cut of [10, 200, firstDocEnd - 1, BYTES.length - 5]) {
      const e = scanError(BYTES.subarray(0, cut));
      expect(e.message).toMatch(/JSON ends early at byte \d+ \(file truncated\?\)/);
      expect(e.offset).toBe(cut);
      const lines = BYTES.subarray(0, cut).toString().split('\n').length;
      expect(e.line).toBe(lines);
    }
    const e = scanError('{"resourceSpans": [{"resource": {"a": "unterminated');
    expect(e.message).toContain('inside a string');
    expect(e.offset).toBe(51);
    expect(e.message).toContain('doc.json (line 1:52)');
  });

  it('reports invalid JSON with byte offset, line and column', () => {
    const e1 = scanError('{\n  "resourceSpans": [\n    }\n');
    expect(e1.message).toContain("invalid JSON at byte 27: unexpected '}'");
    expect(e1.line).toBe(3);
    expect(e1.column).toBe(5);
    const e2 = scanError('{"a" 1}');
    expect(e2.message).toContain("expected ':'");
    expect(e2.offset).toBe(5);
    const e3 = scanError('{"skipped": [1, 2}');
    expect(e3.message).toContain("'[' is still open");
    expect(e3.offset).toBe(17);
    const e4 = scanError('[1,]', ['[*]']);
    expect(e4.message).toContain("unexpected ']'");
    const e5 = scanError('{"a":1} {"b":2}', PATTERNS, { multiple: false });
    expect(e5.message).toContain('after the end of the JSON value');
    expect(e5.offset).toBe(8);
    expect(scanError('   \n').message).toContain('no JSON value');
  });

  it('reports invalid JSON inside a captured element at the element (JSON.parse checks it)', () => {
    const text = '{"resourceSpans": [{"scopeSpans": [{"spans": [\n{"ok": 1},\n{"bad": tru}\n]}]}]}';
    const e = scanError(text);
    expect(e.message).toMatch(/invalid JSON at byte \d+/);
    expect(e.path).toBe('resourceSpans[0].scopeSpans[0].spans[1]');
    expect(e.line).toBe(3);
    expect(e.offset).toBeGreaterThanOrEqual(text.indexOf('{"bad"'));
  });

  it('parses patterns', () => {
    expect(parsePattern('a[*].b.*[3]')).toEqual(['a', -1, 'b', -2, 3]);
    expect(parsePattern('')).toEqual([]);
  });
});
