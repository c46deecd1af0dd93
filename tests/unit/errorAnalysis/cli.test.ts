import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend } from '../../../src/backend/handlers';
import { main } from '../../../src/cli/main';
import type { Output } from '../../../src/cli/output';
import { fixture, tempWorkspace } from '../../helpers/workspace';

// Phoenix 'pxi.turn' (fixture-trace-1): s11 add_spans_to_dataset failed after the LLM call s10.
// Popularity samples: model-5 is each sample's first step.
const PHOENIX = 'fixture-trace-1';
const POP = (n: number) => `2wRuCQ9hGYaGPyAdoobgYV/${n}/1`;

async function cli(...argv: string[]) {
  const io = { stdout: '', stderr: '', out: async (t: string) => void (io.stdout += t), err: (t: string) => void (io.stderr += t) };
  const code = await main(argv, io as Output);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

let wsPath: string;
let cleanup: () => void;
beforeAll(async () => {
  const t = tempWorkspace();
  cleanup = t.cleanup;
  wsPath = t.ws.path;
  const b = createBackend({ workspace: t.ws, mode: 'browser' });
  await b.importPaths([fixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json'), fixture('inspect-ai/inspect-popularity-10samples.eval')]);
  await b.call('setFirstFailure', { traceId: PHOENIX, spanId: 's11', text: 'save failed' });
  await b.call('setFirstFailure', { traceId: POP(3), spanId: 'model-5', text: 'answered No' });
  const n = await b.call('listSpanNotes', {});
  await b.call('codeNotes', { noteIds: [n[0]!.id], mode: 'tool call failed' });
  await b.call('codeNotes', { noteIds: [n[1]!.id], mode: 'wrong answer' });
  await b.call('setLabel', { traceId: PHOENIX, verdict: 'fail' });
  await b.call('setLabel', { traceId: POP(3), verdict: 'fail' });
  await b.call('setLabel', { traceId: POP(1), verdict: 'pass' });
  await b.call('setLabel', { traceId: POP(2), verdict: 'pass' });
  await b.close();
  t.ws.close();
}, 60_000);
afterAll(() => cleanup?.());

describe('tracedeck labels notes', () => {
  it('lists the notes with the first-failure mark and the mode', async () => {
    const r = await cli('labels', 'notes', '--workspace', wsPath);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(
      'fixture-trace-1  s11 add_spans_to_dataset (tool)  FIRST FAILURE [tool call failed]\n    save failed\n' +
        `${POP(3)}  model-5 openai/gpt-4o-mini (llm)  FIRST FAILURE [wrong answer]\n    answered No\n`,
    );
    const j = await cli('labels', 'notes', '--mode', 'wrong answer', '--json', '--workspace', wsPath);
    expect(JSON.parse(j.stdout).map((n: { traceId: string }) => n.traceId)).toEqual([POP(3)]);
  });
});

describe('tracedeck failure-modes', () => {
  it('prints counts with Wilson intervals, the saturation and the first failures', async () => {
    const r = await cli('failure-modes', '--workspace', wsPath);
    expect(r.code).toBe(0);
    // 4 reviewed: 1 of 4 each → Wilson [0.0456, 0.6994]
    expect(r.stdout).toContain('Reviewed 4 of 100 traces (labelled pass or fail) · 2 failure modes');
    expect(r.stdout).toContain('tool call failed       1    25%  4.6%–70%');
    expect(r.stdout).toContain('  llm → add_spans_to_dataset: 1');
    expect(r.stdout).toContain('  (start) → llm: 1');
    const j = JSON.parse((await cli('failure-modes', '--json', '--workspace', wsPath)).stdout);
    expect(j.saturation.reviewed).toBe(4);
    expect(j.firstFailures.traces).toBe(2);
    expect((await cli('failure-modes', 'x', '--workspace', wsPath)).code).toBe(2);
  });
});
