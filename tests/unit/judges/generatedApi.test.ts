import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { buildJudgeApiArtifacts, GENERATED_MODULE, USER_DTS_FILE } from '../../../src/core/judges/codegen';
import { JUDGE_API_DTS } from '../../../src/core/judges/generated/judgeApi.generated';

const ROOT = join(__dirname, '../../..');
const JUDGES = join(ROOT, 'judges');

describe('judge API artifacts', () => {
  it('are generated from traceApi.ts / traceAccess.ts (run scripts/gen-judge-api.ts when this fails)', () => {
    const a = buildJudgeApiArtifacts(ROOT);
    expect(readFileSync(join(ROOT, GENERATED_MODULE), 'utf8')).toBe(a.generatedModule);
    expect(readFileSync(join(ROOT, USER_DTS_FILE), 'utf8')).toBe(a.userDts);
    expect(JUDGE_API_DTS).toBe(a.dts);
  });

  /** Type-check judge files against the declarations the editor gets, as Monaco does (ES2022 libs, no DOM, no Node). */
  function typeErrors(files: Record<string, string>): string[] {
    const host = ts.createCompilerHost({});
    const all: Record<string, string> = { '/judges/tracedeck-judge.d.ts': JUDGE_API_DTS, ...files };
    const orig = { getSourceFile: host.getSourceFile, fileExists: host.fileExists, readFile: host.readFile };
    host.getSourceFile = (name, lang, ...rest) =>
      all[name] !== undefined ? ts.createSourceFile(name, all[name]!, lang) : orig.getSourceFile(name, lang, ...rest);
    host.fileExists = (name) => all[name] !== undefined || orig.fileExists(name);
    host.readFile = (name) => all[name] ?? orig.readFile(name);
    const program = ts.createProgram(Object.keys(all), {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ESNext,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts'],
      types: [],
    }, host);
    return ts.getPreEmitDiagnostics(program).map((d) => `${d.file?.fileName ?? ''}: ${ts.flattenDiagnosticMessageText(d.messageText, ' ')}`);
  }

  it('type-check the example code judges', () => {
    const files: Record<string, string> = {};
    for (const f of readdirSync(JUDGES).filter((f) => f.endsWith('.judge.ts'))) files[`/judges/${f}`] = readFileSync(join(JUDGES, f), 'utf8');
    expect(Object.keys(files).length).toBeGreaterThanOrEqual(2);
    expect(typeErrors(files)).toEqual([]);
  });

  it('catch mistakes and unavailable globals', () => {
    const errors = typeErrors({
      '/judges/bad.judge.ts': `import type { Trace } from 'tracedeck/judge';
        export default function (t: Trace) { fetch('x'); return { pass: t.spanz.length > 0 }; }`,
    });
    expect(errors.some((e) => /Cannot find name 'fetch'/.test(e))).toBe(true);
    expect(errors.some((e) => /Property 'spanz' does not exist/.test(e))).toBe(true);
  });
});
