import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JudgeFileError, judgeHash, loadJudgesDir, newJudgeSource, parseJudgeFile, writeJudgesDir } from '../../../src/core/judges/judgeFiles';

const EXAMPLES = join(__dirname, '../../../judges');

describe('judge files', () => {
  it('loads the example judges folder', () => {
    const { judges, errors } = loadJudgesDir(EXAMPLES);
    expect(errors).toEqual([]);
    expect(judges.map((j) => [j.id, j.kind, j.gating])).toEqual([
      ['answer-quality', 'llm', false],
      ['max-llm-calls', 'code', true],
      ['no-tool-errors', 'code', true],
      ['task-completion', 'agentic', false],
    ]);
    const agentic = judges.find((j) => j.id === 'task-completion')!;
    expect(agentic.maxIterations).toBe(12);
    expect(agentic.template).toMatch(/^Decide whether the agent/);
    expect(judges.find((j) => j.id === 'no-tool-errors')!.name).toBe('No tool errors');
  });

  it('reads code-judge metadata from the syntax tree, without running it', () => {
    const a = parseJudgeFile('a.judge.ts', `export const meta = { name: 'A', description: "d", gating: false, tags: ['x', 'y'] } satisfies object;\nexport default () => { throw new Error('never run'); };`);
    expect(a).toMatchObject({ id: 'a', kind: 'code', name: 'A', description: 'd', gating: false, tags: ['x', 'y'] });
    const b = parseJudgeFile('b.judge.ts', `import { defineJudge } from 'tracedeck/judge';\nexport default defineJudge({ name: 'B', gating: false, run: () => true });`);
    expect(b).toMatchObject({ name: 'B', gating: false });
    const c = parseJudgeFile('c-1.judge.ts', `export default () => true;`);
    expect(c).toMatchObject({ id: 'c-1', name: 'c-1', gating: true, tags: [] });
  });

  it('hashes kind + source', () => {
    const src = 'export default () => true;';
    expect(parseJudgeFile('x.judge.ts', src).hash).toBe(judgeHash('code', src));
    expect(parseJudgeFile('x.judge.ts', src + ' ').hash).not.toBe(judgeHash('code', src));
    expect(judgeHash('code', src)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('rejects bad prompt judges with messages that say what to fix', () => {
    const bad = (name: string, text: string) => {
      try {
        parseJudgeFile(name, text);
      } catch (e) {
        expect(e).toBeInstanceOf(JudgeFileError);
        return (e as Error).message;
      }
      throw new Error('expected an error');
    };
    expect(bad('q.judge.md', 'no front matter')).toMatch(/missing front matter/);
    expect(bad('q.judge.md', '---\n{ kind: llm }\n---\nx')).toMatch(/front matter is not valid JSON/);
    expect(bad('q.judge.md', '---\n{ "kind": "code" }\n---\nx')).toMatch(/"kind" must be "llm" or "agentic"/);
    expect(bad('q.judge.md', '---\n{ "kind": "llm", "modle": "x" }\n---\nx')).toMatch(/unknown front matter key\(s\) modle/);
    expect(bad('q.judge.md', '---\n{ "kind": "llm" }\n---\n{{ input }}')).toMatch(/unknown template variable\(s\) \{\{ input \}\}/);
    expect(bad('q.judge.md', '---\n{ "kind": "llm", "temperature": 3 }\n---\nx')).toMatch(/temperature/);
    expect(bad('q.judge.md', '---\n{ "kind": "llm" }\n---\n   \n')).toMatch(/prompt .* is empty/);
    expect(bad('Bad Name.judge.ts', 'export default () => true')).toMatch(/judge id 'Bad Name'/);
    expect(bad('x.txt', '')).toMatch(/not a judge file/);
  });

  it('reports broken files and duplicate ids in a folder without stopping', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracedeck-judges-'));
    try {
      writeFileSync(join(dir, 'ok.judge.ts'), 'export default () => true;');
      writeFileSync(join(dir, 'ok.judge.md'), '---\n{ "kind": "llm" }\n---\n{{ outputs }}');
      writeFileSync(join(dir, 'broken.judge.md'), 'nope');
      writeFileSync(join(dir, 'README.md'), 'not a judge');
      const { judges, errors } = loadJudgesDir(dir);
      expect(judges.map((j) => j.id)).toEqual(['ok']);
      expect(errors.map((e) => e.file).sort()).toEqual(['broken.judge.md', 'ok.judge.ts']);
      expect(errors.find((e) => e.file === 'ok.judge.ts')!.message).toMatch(/also used by ok.judge.md/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('round-trips through a folder and starts new judges from valid templates', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tracedeck-judges-'));
    try {
      const specs = (['code', 'llm', 'agentic'] as const).map((k) => parseJudgeFile(`new-${k}.judge.${k === 'code' ? 'ts' : 'md'}`, newJudgeSource(k, `New ${k}`)));
      expect(specs.map((s) => s.name)).toEqual(['New code', 'New llm', 'New agentic']);
      writeJudgesDir(dir, specs);
      const back = loadJudgesDir(dir);
      expect(back.errors).toEqual([]);
      expect(back.judges.map((j) => j.hash).sort()).toEqual(specs.map((s) => s.hash).sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
