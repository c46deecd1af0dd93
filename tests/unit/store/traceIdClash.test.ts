import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, afterAll, describe, expect, it } from 'vitest';
import { importFile } from '../../../src/core/import/importFile';
import { tracedeck } from '../../helpers/cli';
import { fixture, tempWorkspace } from '../../helpers/workspace';

// Issue 11 item 8: a *different* file holding a stored trace's id used to replace it silently
// (18 spans replaced by 1). Now the import warns naming both files, and can keep both.

const PHOENIX = fixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json');
const TRACE = 'fixture-trace-1';

let dir: string;
let other: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tracedeck-clash-'));
  // The same export cut down to its root span, saved under another name: one file claiming the
  // stored trace's id with other content.
  const spans = JSON.parse(readFileSync(PHOENIX, 'utf8')) as { parent_id: string | null }[];
  other = join(dir, 'other-export.json');
  writeFileSync(other, JSON.stringify(spans.filter((s) => s.parent_id === null)));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('same trace id from a different file', () => {
  let t: ReturnType<typeof tempWorkspace>;
  afterEach(() => t?.cleanup());

  it('replaces the stored trace by default, warning with both file names and the way to keep both', async () => {
    t = tempWorkspace();
    await importFile(t.ws, PHOENIX);
    expect(t.ws.getTrace(TRACE)!.spanCount).toBe(18);
    const r = await importFile(t.ws, other);
    expect(r.traceIds).toEqual([TRACE]);
    expect(t.ws.getTrace(TRACE)!.spanCount).toBe(1);
    const warning = `${other}: trace ${TRACE} was stored from ${PHOENIX} (18 spans) and is replaced by this file's copy (1 spans); to keep both, import with --keep-both (CLI) or "keep both" (import options in the app)`;
    expect(r.warnings).toContain(warning);
    // …and the import history keeps it.
    expect(t.ws.listImports()[0]!.warnings).toContain(warning);
  });

  it('keeps both with keepBoth: the new copy is stored as ID#2', async () => {
    t = tempWorkspace();
    await importFile(t.ws, PHOENIX);
    const r = await importFile(t.ws, other, { keepBoth: true });
    expect(r.traceIds).toEqual([`${TRACE}#2`]);
    expect(t.ws.getTrace(TRACE)).toMatchObject({ spanCount: 18, sourceFile: PHOENIX });
    expect(t.ws.getTrace(`${TRACE}#2`)).toMatchObject({ spanCount: 1, sourceFile: other });
    expect(t.ws.getSpanSummaries(`${TRACE}#2`)).toHaveLength(1);
    expect(r.warnings).toContain(
      `${other}: trace ${TRACE} is already stored from ${PHOENIX} (18 spans): this file's copy (1 spans) is stored as ${TRACE}#2; both are kept`,
    );
    // A third copy goes to #3; re-importing the same file name is no clash.
    const third = join(dir, 'third.json');
    writeFileSync(third, readFileSync(other));
    expect((await importFile(t.ws, third, { keepBoth: true, force: true })).traceIds).toEqual([`${TRACE}#3`]);
    const again = await importFile(t.ws, PHOENIX, { force: true });
    expect(again.warnings.filter((w) => w.includes('stored from'))).toEqual([]);
    expect(t.ws.getTrace(TRACE)!.spanCount).toBe(18);
  });

  it('the CLI offers --keep-both', async () => {
    const ws = join(dir, 'cli.tracedeck');
    expect((await tracedeck(['import', PHOENIX, '--workspace', ws])).code).toBe(0);
    const replaced = await tracedeck(['import', other, '--workspace', ws]);
    expect(replaced.code).toBe(0);
    expect(replaced.stderr).toContain(`warning: ${other}: trace ${TRACE} was stored from ${PHOENIX} (18 spans)`);
    expect((await tracedeck(['import', PHOENIX, '--workspace', ws, '--force'])).code).toBe(0);
    const kept = await tracedeck(['import', other, '--workspace', ws, '--keep-both', '--force']);
    expect(kept.code).toBe(0);
    expect(kept.stderr).toContain(`stored as ${TRACE}#2; both are kept`);
    const ls = JSON.parse((await tracedeck(['ls', '--workspace', ws, '--json'])).stdout) as { traces: { traceId: string; spanCount: number }[] };
    const counts = Object.fromEntries(ls.traces.map((r) => [r.traceId, r.spanCount]));
    expect(counts).toEqual({ [TRACE]: 18, [`${TRACE}#2`]: 1 });
  }, 120_000);
});
