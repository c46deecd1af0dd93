import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { buildDataset, type DatasetRow } from '../../../src/core/evals/datasetExport';
import { buildScorers, criteriaOf } from '../../../src/core/evals/scorerExport';
import { PY_PARSE, PY_YAML_TO_JSON, python } from './support/pythonCheck';

/**
 * The exported files against the shapes the target tools document (zod schemas written from the
 * docs cited on each), and the generated Python / YAML through Python's own parsers.
 */

// MLflow GenAI evaluation dataset record: `inputs` dict (required), `expectations` dict
// (optional; `expected_response` is a reserved key), `outputs`, `tags` (dict of str).
// https://mlflow.org/docs/latest/genai/concepts/evaluation-datasets
// https://docs.databricks.com/aws/en/mlflow3/genai/eval-monitor/concepts/eval-datasets
const MlflowRecord = z
  .object({
    inputs: z.record(z.string(), z.unknown()).refine((o) => Object.keys(o).length > 0, 'inputs must not be empty'),
    outputs: z.unknown().optional(),
    expectations: z.record(z.string(), z.unknown()).optional(),
    tags: z.record(z.string(), z.string()).optional(),
  })
  .strict();

// Inspect AI `Sample`: input str | list[ChatMessage] (required), choices, target str | list[str],
// id str | int, metadata dict, sandbox, files, setup. https://inspect.aisi.org.uk/datasets.html
const InspectSample = z
  .object({
    input: z.union([z.string().min(1), z.array(z.object({ role: z.string(), content: z.unknown() }))]),
    choices: z.array(z.string()).optional(),
    target: z.union([z.string(), z.array(z.string())]).optional(),
    id: z.union([z.string(), z.number().int()]).optional(),
    metadata: z.record(z.string(), z.unknown()).optional(),
    sandbox: z.unknown().optional(),
    files: z.record(z.string(), z.string()).optional(),
    setup: z.string().optional(),
  })
  .strict();

// promptfoo config: prompts, providers, tests[] of {vars, assert, description}; llm-rubric assertion
// = {type: 'llm-rubric', value: rubric}. https://promptfoo.dev/docs/configuration/reference/
// https://www.promptfoo.dev/docs/configuration/expected-outputs/model-graded/llm-rubric/
const PromptfooConfig = z.object({
  description: z.string().optional(),
  prompts: z.array(z.string()).min(1),
  providers: z.array(z.string()).min(1),
  defaultTest: z.object({ assert: z.array(z.object({ type: z.literal('llm-rubric'), value: z.string().min(1), metric: z.string().optional() }).strict()) }),
  tests: z.array(z.object({ description: z.string(), vars: z.record(z.string(), z.string()) }).strict()),
});

// Real texts: tests/fixtures/inspect-ai/inspect-security-guide-3samples.json (sample "How do I
// prevent sqli?") and tests/fixtures/langsmith/handmade-langsmith-python-run-ops.jsonl (no expected).
const rows: DatasetRow[] = [
  {
    traceId: 'azKp2SRnKjCTS9rimuwWy2',
    input: 'How do I prevent sqli?',
    output: 'Use prepared statements and parameterized queries.',
    expected: 'use parameterized queries and prepared statements',
    verdict: 'pass',
    critique: 'matches the expert answer',
    split: 'dev',
    failureModes: [],
    scores: [{ name: 'model_graded_fact', value: 'C' }],
    format: 'inspect-ai',
    name: 'security_guide',
  },
  {
    traceId: '5d8f2a10-1c3b-4e7a-9f10-aa0000000001',
    input: "What's the weather in Paris, and the forecast for tomorrow?",
    output: 'It is sunny and 22°C in Paris right now. I could not get tomorrow\'s forecast.',
    expected: null,
    verdict: 'fail',
    critique: 'gave up on the forecast after one tool error',
    split: 'test',
    failureModes: ['gives up after a tool error'],
    scores: [],
    format: 'langsmith',
    name: 'agent',
  },
  { ...({} as DatasetRow), traceId: 'no-input', input: null, output: 'x', expected: null, verdict: 'pass', critique: '', split: 'train', failureModes: [], scores: [], format: 'otlp-json', name: 'n' },
];

const lines = (text: string) => text.trimEnd().split('\n').map((l) => JSON.parse(l) as unknown);

describe('dataset export', () => {
  it('MLflow: evaluation dataset records with inputs, outputs, expectations and tags', () => {
    const f = buildDataset('mlflow', rows);
    expect(f.fileName).toBe('mlflow-eval-dataset.jsonl');
    expect(f.records).toBe(2);
    expect(f.skipped).toEqual(['no-input']);
    const recs = lines(f.text).map((r) => MlflowRecord.parse(r));
    expect(recs[0]).toEqual({
      inputs: { request: 'How do I prevent sqli?' },
      outputs: { response: 'Use prepared statements and parameterized queries.' },
      expectations: { expected_response: 'use parameterized queries and prepared statements', human_verdict: 'pass' },
      tags: { trace_id: 'azKp2SRnKjCTS9rimuwWy2', split: 'dev', label: 'pass' },
    });
    expect(recs[1]!.expectations).toEqual({ human_verdict: 'fail', failure_modes: ['gives up after a tool error'] });
  });

  it('Inspect: Sample lines json_dataset reads without a field map', () => {
    const f = buildDataset('inspect', rows);
    const samples = lines(f.text).map((r) => InspectSample.parse(r));
    expect(samples[0]).toMatchObject({ id: 'azKp2SRnKjCTS9rimuwWy2', input: 'How do I prevent sqli?', target: 'use parameterized queries and prepared statements' });
    expect(samples[1]!.target).toBeUndefined();
    expect(samples[1]!.metadata).toMatchObject({ label: 'fail', split: 'test', failure_modes: ['gives up after a tool error'] });
  });

  it('Tracedeck JSONL keeps everything, one object per line', () => {
    const recs = lines(buildDataset('tracedeck', rows).text) as Record<string, unknown>[];
    expect(recs.map((r) => r.id)).toEqual(['azKp2SRnKjCTS9rimuwWy2', '5d8f2a10-1c3b-4e7a-9f10-aa0000000001']);
    expect(recs[0]).toMatchObject({ label: 'pass', split: 'dev', scores: [{ name: 'model_graded_fact', value: 'C' }] });
  });
});

describe('scorer export', () => {
  const template = `You are checking one AI-agent trace for a single failure mode.

## Failure mode: gives up after a tool error
The agent stops or apologises after one failed tool call instead of retrying {or} trying another way.

## The trace to judge
User input:
{{ inputs }}

Agent output:
{{ outputs }}

Answer pass or fail.`;
  const judges = [
    { id: 'fm-gives-up', name: 'Failure mode: gives up', kind: 'llm' as const, description: '', template },
    { id: 'no-tool-errors', name: 'No tool errors', kind: 'code' as const, description: '' },
  ];
  const cases = [{ traceId: 't1', input: 'What\'s the weather in Paris?', output: 'It is "sunny" — 22°C.\n{{ not a var }}' }];
  const files = Object.fromEntries(buildScorers(judges, cases).map((f) => [f.fileName, f.text]));

  it('criteria drop the template variables and their labels', () => {
    const c = criteriaOf(template);
    expect(c).not.toMatch(/\{\{|User input:|Agent output:|The trace to judge/);
    expect(c).toContain('instead of retrying {or} trying another way.');
    expect(c.endsWith('Answer pass or fail.')).toBe(true);
  });

  it('MLflow script: Guidelines scorers passed to mlflow.genai.evaluate, valid Python', () => {
    const py = files['mlflow_evaluate.py']!;
    expect(py).toContain('from mlflow.genai.scorers import Guidelines');
    expect(py).toContain('Guidelines(name="fm-gives-up", guidelines="You are checking');
    expect(py).toContain('mlflow.genai.evaluate(data=load_records(), scorers=SCORERS)');
    expect(py).toMatch(/^Run: pip install 'mlflow\[genai\]>=3' && python mlflow_evaluate\.py$/m);
    const r = python(PY_PARSE, py);
    if (!r) console.warn('python3 not available: Python syntax of the MLflow script not checked');
    else expect(r).toEqual({ ok: true, out: '' });
  });

  it('Inspect module: an @scorer per LLM judge built on model_graded_qa, valid Python', () => {
    const py = files['inspect_scorers.py']!;
    expect(py).toContain('@scorer(metrics=[accuracy(), stderr()])\ndef fm_gives_up() -> Scorer:');
    expect(py).toContain('scorer=[fm_gives_up()]');
    // braces of the rule are doubled: model_graded_qa formats the template with str.format
    expect(py).toContain('{{or}}');
    const r = python(PY_PARSE, py);
    if (!r) console.warn('python3 not available: Python syntax of the Inspect module not checked');
    else expect(r).toEqual({ ok: true, out: '' });
  });

  it('promptfoo: YAML with one llm-rubric per LLM judge over the recorded outputs', () => {
    const yaml = files['promptfooconfig.yaml']!;
    const r = python(PY_YAML_TO_JSON, yaml);
    if (!r) {
      console.warn('python3 with PyYAML not available: promptfoo YAML not parsed');
      return;
    }
    expect(r.ok).toBe(true);
    const cfg = PromptfooConfig.parse(JSON.parse(r.out));
    expect(cfg.providers).toEqual(['echo']);
    expect(cfg.prompts).toEqual(['{{output}}']);
    expect(cfg.defaultTest.assert).toEqual([{ type: 'llm-rubric', metric: 'fm-gives-up', value: criteriaOf(template) }]);
    expect(cfg.tests).toEqual([{ description: 't1', vars: { input: "What's the weather in Paris?", output: 'It is "sunny" — 22°C.\n{{ not a var }}' } }]);
  });

  it('README says how to run each file and lists code judges apart', () => {
    const md = files['README.md']!;
    expect(md).toContain('`npx promptfoo@latest eval -c promptfooconfig.yaml`');
    expect(md).toContain('`pip install inspect-ai openai && inspect eval inspect_scorers.py --model openai/gpt-4o-mini`');
    expect(md).toContain('Code judges are not translated; run them in Tracedeck (`tracedeck judge run`): `no-tool-errors`.');
  });
});
