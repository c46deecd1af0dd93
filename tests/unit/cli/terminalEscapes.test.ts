import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { terminalSafe } from '../../../src/cli/text';
import { tracedeck } from '../../helpers/cli';
import { fixture } from '../../helpers/workspace';

// Issue 11 item 7: `tracedeck show` printed a service.name holding ESC[2J (clear screen), an OSC
// title sequence and BEL raw. Every CLI output now shows C0, C1 and bidi controls as \uXXXX.

const HOSTILE = 'svc\u001b[2J\u001b]0;pwned\u0007\u009b31m\u202eexe.txt\u2066x\u2069\r';
/** Bytes a terminal acts on: ESC, BEL, CR, C1 (as UTF-8), bidi controls. */
const UNSAFE = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

let dir: string;
let ws: string;
let file: string;
const TRACE = '5b8efff798038103d269b633813fc60c';
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tracedeck-escapes-'));
  ws = join(dir, 'ws.tracedeck');
  // The OTel proto example trace with a hostile service.name and span name.
  const doc = JSON.parse(readFileSync(fixture('otlp-json/otel-proto-example-trace.json'), 'utf8'));
  const rs = doc.resourceSpans[0];
  rs.resource.attributes = [{ key: 'service.name', value: { stringValue: HOSTILE } }];
  rs.scopeSpans[0].spans[0].name = `span ${HOSTILE}`;
  file = join(dir, `hostile\u001b[31m.json`);
  writeFileSync(file, JSON.stringify(doc));
  const imp = await tracedeck(['import', file, '--workspace', ws]);
  expect(imp.code, imp.stderr).toBe(0);
}, 120_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('CLI output never carries terminal controls', { timeout: 120_000 }, () => {
  it('terminalSafe escapes C0 (but tab and newline), DEL, C1 and bidi controls visibly', () => {
    expect(terminalSafe('a\tb\nc')).toBe('a\tb\nc');
    expect(terminalSafe(HOSTILE)).toBe(
      'svc\\u001b[2J\\u001b]0;pwned\\u0007\\u009b31m\\u202eexe.txt\\u2066x\\u2069\\u000d',
    );
    // On JSON text it is the same JSON.
    const json = JSON.stringify({ s: HOSTILE });
    expect(JSON.parse(terminalSafe(json))).toEqual({ s: HOSTILE });
  });

  it('show, ls and import print the hostile names escaped, and --json stays the same data', async () => {
    const show = await tracedeck(['show', TRACE, '--workspace', ws]);
    expect(show.code, show.stderr).toBe(0);
    expect(show.stdout).not.toMatch(UNSAFE);
    expect(show.stdout).toContain('\\u001b[2J');
    expect(show.stdout).toContain('\\u202eexe.txt');

    const ls = await tracedeck(['ls', '--workspace', ws]);
    expect(ls.stdout).not.toMatch(UNSAFE);

    const json = await tracedeck(['show', TRACE, '--workspace', ws, '--json']);
    expect(json.stdout).not.toMatch(UNSAFE);
    const parsed = JSON.parse(json.stdout) as { spans: { name: string }[] };
    expect(parsed.spans.map((s) => s.name)).toContain(`span ${HOSTILE}`);

    const again = await tracedeck(['import', file, '--workspace', ws]);
    expect(`${again.stdout}${again.stderr}`).not.toMatch(UNSAFE);
    expect(again.stdout).toContain('hostile\\u001b[31m.json');
  });
});
