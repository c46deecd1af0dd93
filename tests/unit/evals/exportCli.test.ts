import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBackend, type Backend } from '../../../src/backend/handlers';
import { main } from '../../../src/cli/main';
import type { Output } from '../../../src/cli/output';
import { fixture, tempWorkspace } from '../../helpers/workspace';
import { PY_PARSE, python } from './support/pythonCheck';

// tests/fixtures/inspect-ai/inspect-security-guide-3samples.json: three questions with expert answers.
const SQLI = 'azKp2SRnKjCTS9rimuwWy2';

async function cli(...argv: string[]) {
  const io = { stdout: '', stderr: '' } as Output & { stdout: string; stderr: string };
  io.out = async (t: string) => void (io.stdout += t);
  io.err = (t: string) => void (io.stderr += t);
  const code = await main(argv, io);
  return { code, stdout: io.stdout, stderr: io.stderr };
}

let b: Backend;
let wsPath: string;
let cleanup: () => void;
let out: string;
beforeAll(async () => {
  const t = tempWorkspace();
  cleanup = t.cleanup;
  wsPath = t.ws.path;
  out = mkdtempSync(join(tmpdir(), 'td-export-'));
  b = createBackend({ workspace: t.ws, mode: 'browser' });
  await b.importPaths([fixture('inspect-ai/inspect-security-guide-3samples.json')]);
  await b.call('setLabel', { traceId: SQLI, verdict: 'pass', critique: 'same as the expert answer' });
  await b.call('saveFailureMode', { name: 'vague advice', definition: 'The answer names no concrete technique.' });
  await b.call('draftJudgeFromMode', { mode: 'vague advice', kind: 'llm' });
  await b.close();
  t.ws.close();
}, 60_000);
afterAll(() => {
  cleanup?.();
  rmSync(out, { recursive: true, force: true });
});

describe('tracedeck export', () => {
  it('dataset --format inspect prints Inspect samples', async () => {
    const r = await cli('export', 'dataset', '--format', 'inspect', '--workspace', wsPath);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n').map((l) => JSON.parse(l));
    expect(lines).toEqual([
      {
        id: SQLI,
        input: 'How do I prevent sqli?',
        target: 'use parameterized queries and prepared statements',
        metadata: { output: 'Use prepared statements and parameterized queries.', label: 'pass', critique: 'same as the expert answer', split: expect.any(String), failure_modes: [] },
      },
    ]);
  });

  it('dataset (all formats) and scorers into a folder', async () => {
    expect((await cli('export', 'dataset', '--workspace', wsPath, '--out', out)).code).toBe(0);
    const s = await cli('export', 'scorers', '--workspace', wsPath, '--out', out);
    expect(s.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'README.md',
      'inspect-dataset.jsonl',
      'inspect_scorers.py',
      'mlflow-eval-dataset.jsonl',
      'mlflow_evaluate.py',
      'promptfooconfig.yaml',
      'tracedeck-dataset.jsonl',
    ]);
    const ml = JSON.parse(readFileSync(join(out, 'mlflow-eval-dataset.jsonl'), 'utf8'));
    expect(ml.inputs).toEqual({ request: 'How do I prevent sqli?' });
    expect(readFileSync(join(out, 'mlflow_evaluate.py'), 'utf8')).toContain('Guidelines(name="fm-vague-advice"');
    const r = python(PY_PARSE, readFileSync(join(out, 'inspect_scorers.py'), 'utf8'));
    if (r) expect(r).toEqual({ ok: true, out: '' });
  });

  it('usage errors, and a symlink at a file name is refused', async () => {
    expect((await cli('export')).code).toBe(2);
    expect((await cli('export', 'scorers', '--workspace', wsPath)).stderr).toMatch(/give --out DIR/);
    expect((await cli('export', 'dataset', '--format', 'csv', '--workspace', wsPath)).code).toBe(2);
    const dir = mkdtempSync(join(tmpdir(), 'td-export-link-'));
    const target = join(dir, 'victim.txt');
    writeFileSync(target, 'keep me');
    symlinkSync(target, join(dir, 'README.md'));
    const r = await cli('export', 'scorers', '--workspace', wsPath, '--out', dir);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/refusing to write through a symbolic link/);
    expect(readFileSync(target, 'utf8')).toBe('keep me');
    // nothing else was written either
    expect(readdirSync(dir).sort()).toEqual(['README.md', 'victim.txt']);
    rmSync(dir, { recursive: true, force: true });
  });
});
