/**
 * Labelled traces as an evaluation dataset other tools read. One record per trace with a text
 * input; three shapes:
 *
 * - `tracedeck`: JSON Lines of everything we know (input, output, expected, label, critique,
 *   split, failure modes, recorded scores).
 * - `mlflow`: JSON Lines of MLflow GenAI evaluation dataset records — `inputs` (dict, required),
 *   `outputs`, `expectations` (dict; `expected_response` is the reserved key of the correctness
 *   judge) and `tags` — what `mlflow.genai.evaluate(data=…)` and
 *   `EvaluationDataset.merge_records` take.
 *   https://mlflow.org/docs/latest/genai/concepts/evaluation-datasets
 *   https://docs.databricks.com/aws/en/mlflow3/genai/eval-monitor/concepts/eval-datasets
 * - `inspect`: JSON Lines of Inspect AI `Sample`s — `input` (str, required), `target`, `id`,
 *   `metadata` — read by `json_dataset("file.jsonl")` with no field mapping.
 *   https://inspect.aisi.org.uk/datasets.html
 */

import type { DatasetFormatId } from '../model/evals';

export type DatasetFormat = DatasetFormatId;

export interface DatasetRow {
  traceId: string;
  input: string | null;
  output: string | null;
  expected: string | null;
  verdict: 'pass' | 'fail' | 'defer' | null;
  critique: string;
  split: 'train' | 'dev' | 'test' | null;
  failureModes: string[];
  scores: { name: string; value: string }[];
  format: string;
  name: string;
}

export interface DatasetFile {
  fileName: string;
  mimeType: string;
  text: string;
  records: number;
  /** Traces left out (no input text), by id. */
  skipped: string[];
}

export const DATASET_FILE_NAMES: Record<DatasetFormat, string> = {
  tracedeck: 'tracedeck-dataset.jsonl',
  mlflow: 'mlflow-eval-dataset.jsonl',
  inspect: 'inspect-dataset.jsonl',
};

function record(format: DatasetFormat, r: DatasetRow & { input: string }): Record<string, unknown> {
  switch (format) {
    case 'tracedeck':
      return {
        id: r.traceId,
        input: r.input,
        output: r.output,
        expected: r.expected,
        label: r.verdict,
        critique: r.critique,
        split: r.split,
        failure_modes: r.failureModes,
        scores: r.scores,
        source: { format: r.format, name: r.name },
      };
    case 'mlflow': {
      const expectations: Record<string, unknown> = {};
      if (r.expected !== null) expectations.expected_response = r.expected;
      if (r.verdict === 'pass' || r.verdict === 'fail') expectations.human_verdict = r.verdict;
      if (r.failureModes.length) expectations.failure_modes = r.failureModes;
      const out: Record<string, unknown> = { inputs: { request: r.input } };
      if (r.output !== null) out.outputs = { response: r.output };
      out.expectations = expectations;
      const tags: Record<string, string> = { trace_id: r.traceId };
      if (r.split) tags.split = r.split;
      if (r.verdict) tags.label = r.verdict;
      if (r.failureModes.length) tags.failure_modes = r.failureModes.join(';');
      out.tags = tags;
      return out;
    }
    case 'inspect': {
      const out: Record<string, unknown> = { id: r.traceId, input: r.input };
      if (r.expected !== null) out.target = r.expected;
      out.metadata = {
        output: r.output,
        label: r.verdict,
        critique: r.critique,
        split: r.split,
        failure_modes: r.failureModes,
      };
      return out;
    }
  }
}

export function buildDataset(format: DatasetFormat, rows: readonly DatasetRow[]): DatasetFile {
  const skipped: string[] = [];
  const lines: string[] = [];
  for (const r of rows) {
    // Both tools need an input; a trace that recorded none cannot be a test case.
    if (r.input === null || !r.input.trim()) {
      skipped.push(r.traceId);
      continue;
    }
    lines.push(JSON.stringify(record(format, r as DatasetRow & { input: string })));
  }
  return {
    fileName: DATASET_FILE_NAMES[format],
    mimeType: 'application/jsonl',
    text: lines.length ? `${lines.join('\n')}\n` : '',
    records: lines.length,
    skipped,
  };
}
