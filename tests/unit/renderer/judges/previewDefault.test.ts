import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../../src/backend/handlers';
import { previewDefault } from '../../../../src/renderer/judges/TracePicker';
import { importFixtures, tempWorkspace } from '../../../helpers/workspace';
import { memoryKeychain } from '../../../helpers/memoryKeychain';

// Real files, imported in this order (so the newest is last):
// - claude-code/cc-spotter-short-tool-errors.jsonl: session 55604662-…, 2 tool calls (Bash, Glob).
// - otlp-json/jaeger-apiv3-GetTrace-snapshot-result-wrapped.json: one bare span 'foobar',
//   trace 00000000000000000000000000000001, no model or tool call.
const CC = '55604662-cf2a-4331-851a-ec234028f8ca';
const FOOBAR = '00000000000000000000000000000001';

describe('the trace a new judge editor previews on', () => {
  let t: ReturnType<typeof tempWorkspace>;
  let b: Backend;
  beforeAll(async () => {
    t = tempWorkspace();
    await importFixtures(t.ws, ['claude-code/cc-spotter-short-tool-errors.jsonl', 'otlp-json/jaeger-apiv3-GetTrace-snapshot-result-wrapped.json']);
    b = createBackend({ workspace: t.ws, mode: 'desktop', secrets: memoryKeychain() });
  });
  afterAll(() => t.cleanup());

  it('is the newest trace with model or tool calls, not a newer bare one', async () => {
    // The list as the picker asks it: newest import first.
    const { rows } = await b.call('listTraces', { limit: 200, sort: 'imported', dir: 'desc' });
    expect(rows.map((r) => r.traceId)).toEqual([FOOBAR, CC]);
    expect(previewDefault(rows)?.traceId).toBe(CC);
  });

  it('is the newest trace when none has model or tool calls, and none in an empty list', async () => {
    const { rows } = await b.call('listTraces', { limit: 200, sort: 'imported', dir: 'desc', text: 'foobar' });
    expect(rows.map((r) => r.traceId)).toEqual([FOOBAR]);
    expect(previewDefault(rows)?.traceId).toBe(FOOBAR);
    expect(previewDefault([])).toBeUndefined();
  });
});
