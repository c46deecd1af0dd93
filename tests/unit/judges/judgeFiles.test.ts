import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { JudgeFileError, judgeHash, loadJudgesDir, newJudgeSource, parseJudgeFile, writeJudgesDir } from '../../../src/core/judges/judgeFiles';

const EXAMPLES = join(__dirname, '../../../judges');

/** The JudgeFileError message a file gets (fails when it parses). */
const bad = (name: string, text: string) => {
  try {
    parseJudgeFile(name, text);
  } catch (e) {
    expect(e).toBeInstanceOf(JudgeFileError);
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

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
    expect(bad('q.judge.md', 'no front matter')).toMatch(/missing front matter/);
    expect(bad('q.judge.md', '---\n{ kind: llm }\n---\nx')).toMatch(/front matter is not valid JSON/);
    expect(bad('q.judge.md', '---\n{ "kind": "code" }\n---\nx')).toMatch(/^q\.judge\.md: front matter "kind": must be "llm" or "agentic"$/);
    expect(bad('q.judge.md', '---\n{ "kind": "llm", "modle": "x" }\n---\nx')).toMatch(/unknown front matter key\(s\) modle/);
    expect(bad('q.judge.md', '---\n{ "kind": "llm" }\n---\n{{ input }}')).toMatch(/unknown template variable\(s\) \{\{ input \}\}/);
    expect(bad('q.judge.md', '---\n{ "kind": "llm", "temperature": 3 }\n---\nx')).toBe('q.judge.md: front matter "temperature": must be a number from 0 to 2');
    expect(bad('q.judge.md', '---\n{ "kind": "llm", "maxIterations": 2.5 }\n---\nx')).toMatch(/front matter "maxIterations": must be an integer from 1 to 100/);
    expect(bad('q.judge.md', '---\n{ "kind": "llm", "model": "" }\n---\nx')).toMatch(/front matter "model": must be a non-empty string/);
    expect(bad('q.judge.md', '---\n{ "kind": "llm" }\n---\n   \n')).toMatch(/prompt .* is empty/);
    expect(bad('Bad Name.judge.ts', 'export default () => true')).toMatch(/judge id 'Bad Name'/);
    expect(bad('x.txt', '')).toMatch(/not a judge file/);
  });

  it('rejects front matter and meta values of the wrong type instead of defaulting them', () => {
    // "false" as a string used to become gating: true; a number in tags used to vanish
    expect(bad('g.judge.md', '---\n{ "kind": "llm", "gating": "false" }\n---\n{{ outputs }}')).toBe(
      'g.judge.md: front matter "gating": expected boolean, received string',
    );
    expect(bad('t.judge.md', '---\n{ "kind": "llm", "tags": ["ok", 3] }\n---\n{{ outputs }}')).toBe(
      't.judge.md: front matter "tags[1]": expected string, received number',
    );
    expect(bad('g.judge.ts', `export const meta = { gating: 'false' };\nexport default () => true;`)).toBe(
      'g.judge.ts: meta "gating": expected boolean, received string',
    );
    expect(bad('t.judge.ts', `export const meta = { tags: ['ok', 3] };\nexport default () => true;`)).toBe(
      't.judge.ts: meta "tags[1]": expected string, received number',
    );
    expect(bad('u.judge.ts', `export const meta = { gatting: false };\nexport default () => true;`)).toMatch(
      /^u\.judge\.ts: unknown meta key\(s\) gatting; allowed: name, description, gating, tags$/,
    );
    // not a literal: the value is only known by running the file, which parsing never does
    expect(bad('v.judge.ts', `const G = false;\nexport const meta = { gating: G };\nexport default () => true;`)).toBe(
      'v.judge.ts: meta "gating": must be a literal value (meta is read without running the file)',
    );
    expect(
      bad('w.judge.ts', `import { defineJudge } from 'tracedeck/judge';\nconst name = 'W';\nexport default defineJudge({ name, run: () => true });`),
    ).toMatch(/meta "name": must be a literal value/);
    // run (method or property) is not metadata
    const ok = parseJudgeFile('m.judge.ts', `import { defineJudge } from 'tracedeck/judge';\nexport default defineJudge({ gating: false, run(t) { return true; } });`);
    expect(ok.gating).toBe(false);
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
