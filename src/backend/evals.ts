import { clusterSample, type ClusterSample } from '../core/evals/clusterSample';
import { buildDataset, type DatasetRow } from '../core/evals/datasetExport';
import { createEmbedder, textHash } from '../core/evals/embeddings';
import { draftCodeJudge, draftJudgeId, draftLlmJudge, type DraftExample } from '../core/evals/judgeDraft';
import { modeOfJudgeTags, modeTruth, splitFigures, type ModeTruth } from '../core/evals/modeSplits';
import { buildScorers } from '../core/evals/scorerExport';
import { JudgeStore } from '../core/store/judges';
import { LabelStore, type Split } from '../core/store/labels';
import type { QueueEntry } from '../core/labels/queue';
import { traceDigest } from '../core/labels/traceDigest';
import { seededUnit } from '../core/util/random';
import { modelConfigProblem } from '../core/model/judges';
import { EvalStore } from '../core/store/evalStore';
import type { Workspace } from '../core/store/workspace';
import type {
  ApiInput,
  ClusterField,
  ClusterSampleView,
  EmbeddingSource,
  EvalOutputs,
  JudgePreview,
  JudgeTestResult,
  QueueSpec,
  SplitEvaluation,
  SplitFiguresView,
} from '../shared/api';
import { ApiError } from './apiError';
import type { ModelAccess } from './judges';
import { workspaceAlignmentVerdicts } from '../core/store/alignmentVerdicts';

/**
 * Handlers of issue 14 (src/shared/evals.ts) and the sampler behind the sampled labelling orders.
 * Judges are run through the judges' own preview (the sandbox for code, the configured model for
 * LLM / agentic), so a split evaluation sees exactly what the editor's preview sees.
 */

type EvalMethod = keyof EvalOutputs;
export type EvalHandlers = { [M in EvalMethod]: (input: ApiInput<M>) => EvalOutputs[M] | Promise<EvalOutputs[M]> };

export interface EvalDeps {
  modelAccess(): ModelAccess;
  previewJudge(input: { traceId: string; kind: 'code' | 'llm' | 'agentic'; source: string }): Promise<JudgePreview> | JudgePreview;
}

/** Model calls of one split evaluation in flight at once. */
const SPLIT_CONCURRENCY = 4;

export function evalHandlers(ws: Workspace, deps: EvalDeps): { handlers: EvalHandlers; sampler: (spec: QueueSpec) => Promise<QueueEntry[]> } {
  const evalStore = EvalStore.reading(ws);
  const evalWriter = EvalStore.writing(ws);
  const labels = LabelStore.reading(ws);
  const judges = new JudgeStore(ws);
  const write = <T>(fn: () => T): Promise<T> => ws.exclusive(async () => fn());

  // ---- cluster sampling ------------------------------------------------------------------------

  const embeddingsProblem = (): string | null => {
    const { settings, apiKey } = deps.modelAccess();
    if (!settings.embeddingModel?.trim()) return 'no embeddings model configured (Model settings): clustering TF-IDF vectors, offline';
    const p = modelConfigProblem({ baseUrl: settings.baseUrl, model: settings.embeddingModel }, !!apiKey);
    return p ? `${p.replace(/^model not configured: /, 'embeddings not configured: ')}; clustering TF-IDF vectors, offline` : null;
  };

  const fieldText = (traceId: string, field: ClusterField): string | null => {
    const d = traceDigest(ws, traceId);
    if (!d) return null;
    const t = field === 'input' ? d.input : field === 'output' ? d.output : field === 'expected' ? d.expected : d.summary.name;
    return t && t.trim() ? t : null;
  };

  /** Vectors of the texts from the embeddings model (cached by text hash), or null for TF-IDF. */
  const vectorsFor = async (texts: string[]): Promise<{ vectors: Float32Array[] | null; source: EmbeddingSource }> => {
    const problem = embeddingsProblem();
    if (problem) return { vectors: null, source: { kind: 'tfidf', reason: problem } };
    const { settings, apiKey } = deps.modelAccess();
    const embedder = createEmbedder(settings, apiKey, settings.embeddingModel!.trim());
    const hashes = texts.map(textHash);
    const cached = evalStore.getEmbeddings(embedder.space, hashes);
    const missing = [...new Set(hashes.filter((h) => !cached.has(h)))];
    if (missing.length) {
      const textOf = new Map(hashes.map((h, i) => [h, texts[i]!]));
      let fresh: Float32Array[];
      try {
        fresh = await embedder.embed(missing.map((h) => textOf.get(h)!));
      } catch (e) {
        throw new ApiError('failed', `cluster sampling: ${e instanceof Error ? e.message : String(e)}`);
      }
      const entries = missing.map((hash, i) => ({ hash, vector: fresh[i]! }));
      await write(() => evalWriter.putEmbeddings(embedder.space, entries));
      for (const e of entries) cached.set(e.hash, e.vector);
    }
    const vectors = hashes.map((h) => cached.get(h)!);
    const dims = new Set(vectors.map((v) => v.length));
    if (dims.size > 1) throw new ApiError('failed', `cluster sampling: cached embeddings of ${embedder.model} differ in size (${[...dims].join(', ')})`);
    return { vectors, source: { kind: 'embeddings', model: embedder.model } };
  };

  type Computed = { sample: ClusterSample; source: EmbeddingSource; withoutText: string[]; traces: number };
  let last: { key: string; value: Computed } | null = null;
  const computeClusters = async (field: ClusterField, sampleSize: number | undefined, seed: number): Promise<Computed> => {
    const ids = evalStore.traceIds();
    const items: { traceId: string; text: string }[] = [];
    const withoutText: string[] = [];
    for (const id of ids) {
      const t = fieldText(id, field);
      if (t === null) withoutText.push(id);
      else items.push({ traceId: id, text: t });
    }
    const { settings } = deps.modelAccess();
    const key = JSON.stringify([field, sampleSize ?? null, seed, settings.baseUrl, settings.embeddingModel ?? '', embeddingsProblem(), items.map((i) => [i.traceId, textHash(i.text)])]);
    if (last?.key === key) return last.value;
    const { vectors, source } = await vectorsFor(items.map((i) => i.text));
    const sample = clusterSample(items, vectors, { sampleSize, seed });
    const value = { sample, source, withoutText, traces: items.length };
    last = { key, value };
    return value;
  };

  // ---- the sampled queue orders ----------------------------------------------------------------

  const byKey = (seed: number) => (a: string, b: string) => seededUnit(seed, a) - seededUnit(seed, b) || (a < b ? -1 : 1);

  const sampler = async (spec: QueueSpec): Promise<QueueEntry[]> => {
    const seed = spec.seed ?? 1;
    if (spec.order === 'clusters') {
      const c = await computeClusters(spec.clusterField ?? 'input', spec.sampleSize, seed);
      const name = (i: number) => `cluster ${i + 1}: ${c.sample.clusters[i]!.terms.join(', ') || '(no words)'}`;
      return [
        ...c.sample.order.map((e) => ({ traceId: e.traceId, stratum: e.sampled ? name(e.cluster) : `${name(e.cluster)} (beyond the sample)` })),
        ...c.withoutText.sort(byKey(seed)).map((traceId) => ({ traceId, stratum: '(no text to cluster)' })),
      ];
    }
    if (!spec.source) throw new ApiError('bad-input', `the '${spec.order}' order needs a source (${spec.order === 'judgeFailed' ? 'a judge' : 'a recorded evaluation'})`);
    if (spec.order === 'judgeFailed') {
      const found = workspaceAlignmentVerdicts(ws).latestVerdicts(spec.source);
      if (!found) throw new ApiError('not-found', `no judge '${spec.source.slice(0, 200)}' with verdicts in this workspace`);
      const failed = found.verdicts.filter((v) => v.status === 'fail').map((v) => v.traceId).sort(byKey(seed));
      const errored = found.verdicts.filter((v) => v.status === 'error').map((v) => v.traceId).sort(byKey(seed));
      return [
        ...failed.map((traceId) => ({ traceId, stratum: `${found.judge.name}: fail` })),
        ...errored.map((traceId) => ({ traceId, stratum: `${found.judge.name}: error` })),
      ];
    }
    // 'recorded': failures first, then by value (lowest first), then the rest.
    const scores = evalStore.recordedScores(spec.source);
    if (!scores.length) throw new ApiError('not-found', `no recorded evaluation named '${spec.source.slice(0, 200)}'`);
    const num = (v: string | null) => {
      try {
        const x = v === null ? NaN : Number(JSON.parse(v));
        return Number.isFinite(x) ? x : Infinity;
      } catch {
        return Infinity;
      }
    };
    const rank = (s: { pass: number | null }) => (s.pass === 0 ? 0 : s.pass === null ? 1 : 2);
    const k = byKey(seed);
    return [...scores]
      .sort((a, b) => rank(a) - rank(b) || num(a.value) - num(b.value) || k(a.traceId, b.traceId))
      .map((s) => ({ traceId: s.traceId, stratum: `${spec.source}: ${s.pass === 0 ? 'fail' : s.pass === 1 ? 'pass' : 'no verdict'}${s.value !== null ? ` (${s.value.slice(0, 40)})` : ''}` }));
  };

  // ---- judges from failure modes ---------------------------------------------------------------

  const truthFor = (mode: string): ModeTruth[] => {
    if (!labels.failureModes().some((m) => m.name === mode)) throw new ApiError('not-found', `no failure mode named '${mode.slice(0, 200)}'`);
    return modeTruth(labels.listLabels(), mode);
  };

  const evaluate = async (mode: string, kind: 'code' | 'llm' | 'agentic', source: string, split: Split): Promise<SplitEvaluation> => {
    const truth = truthFor(mode).filter((t) => t.split === split);
    const results: SplitEvaluation['results'] = [];
    let problem: string | null = null;
    if (kind !== 'code') {
      problem = deps.modelAccess().problem;
    }
    if (!problem) {
      for (let i = 0; i < truth.length; i += kind === 'code' ? 1 : SPLIT_CONCURRENCY) {
        const batch = truth.slice(i, i + (kind === 'code' ? 1 : SPLIT_CONCURRENCY));
        const previews = await Promise.all(batch.map((t) => deps.previewJudge({ traceId: t.traceId, kind, source })));
        batch.forEach((t, j) => {
          const p = previews[j]!;
          results.push({ traceId: t.traceId, human: t.pass, judge: p.status, rationale: p.error ?? p.rationale });
        });
        // A judge that does not compile fails the same way on every trace: say it once.
        if (kind === 'code' && results.length && results.every((r) => r.judge === 'error' && r.rationale.startsWith('does not compile'))) {
          problem = results[0]!.rationale;
          break;
        }
      }
    }
    const figures = splitFigures(split, problem ? [] : results.map((r) => ({ human: r.human, judge: r.judge })));
    if (problem) figures.traces = truth.length;
    return { figures, results: problem ? [] : results, problem };
  };

  const testResult = (judgeId: string): JudgeTestResult | null => {
    const r = evalStore.getTestResult(judgeId);
    return r ? { ...r, figures: r.figures as SplitFiguresView } : null;
  };

  // ---- exports ---------------------------------------------------------------------------------

  const datasetRows = (): DatasetRow[] =>
    labels.listLabels().flatMap((l) => {
      const d = traceDigest(ws, l.traceId);
      if (!d) return [];
      return [
        {
          traceId: l.traceId,
          input: d.input,
          output: d.output,
          expected: d.expected,
          verdict: l.verdict,
          critique: l.critique,
          split: l.split,
          failureModes: l.failureModes,
          scores: d.scores.map((s) => ({ name: s.name, value: s.value })),
          format: d.summary.format,
          name: d.summary.name,
        },
      ];
    });

  const handlers: EvalHandlers = {
    sampleSources: () => ({
      judges: workspaceAlignmentVerdicts(ws)
        .listJudges()
        .map((j) => ({ id: j.id, name: j.name, verdicts: j.verdicts })),
      recorded: evalStore.recordedNames(),
      embeddingsProblem: embeddingsProblem(),
    }),
    clusterSample: async ({ clusterField, sampleSize, seed }): Promise<ClusterSampleView> => {
      const c = await computeClusters(clusterField ?? 'input', sampleSize, seed ?? 1);
      return {
        source: c.source,
        clusters: c.sample.clusters,
        sampleSize: c.sample.sampleSize,
        traces: c.traces,
        withoutText: c.withoutText.length,
        silhouette: c.sample.silhouette,
      };
    },
    draftJudgeFromMode: async ({ mode, kind, replace }) => {
      const def = labels.failureModes().find((m) => m.name === mode);
      if (!def) throw new ApiError('not-found', `no failure mode named '${mode.slice(0, 200)}'`);
      const existing = judges.getJudge(draftJudgeId(mode, kind));
      // Never overwrite a judge the user may have tuned without being asked.
      if (existing && !replace) return { judge: existing, trainExamples: { pass: 0, fail: 0 }, exists: true };
      const train = modeTruth(labels.listLabels({ split: 'train' }), mode);
      const examples: DraftExample[] = train.map((t) => {
        const d = traceDigest(ws, t.traceId);
        return { traceId: t.traceId, pass: t.pass, input: d?.input ?? null, output: d?.output ?? null, critique: t.critique };
      });
      const id = draftJudgeId(mode, kind);
      const source = kind === 'llm' ? draftLlmJudge(def, examples) : draftCodeJudge(def, examples);
      const judge = await write(() => judges.saveJudge(id, kind, source));
      return { judge, trainExamples: { pass: train.filter((t) => t.pass).length, fail: train.filter((t) => !t.pass).length }, exists: false };
    },
    evaluateJudgeOnSplit: ({ mode, kind, source, split }) => evaluate(mode, kind, source, split),
    runJudgeTestSplit: async ({ judgeId }) => {
      const had = testResult(judgeId);
      if (had) return { ...had, alreadyRun: true };
      const judge = judges.getJudge(judgeId);
      if (!judge) throw new ApiError('not-found', `no judge '${judgeId}'`);
      const mode = modeOfJudgeTags(judge.tags);
      if (!mode) throw new ApiError('bad-input', `judge '${judgeId}' is not linked to a failure mode (a "failure-mode:NAME" tag)`);
      const out = await evaluate(mode, judge.kind, judge.source, 'test');
      // Nothing is recorded when the judge could not run: the one test run is not spent on that.
      if (out.problem) throw new ApiError('bad-input', `test split not run: ${out.problem}`);
      await write(() => evalWriter.putTestResult({ judgeId, judgeHash: judge.hash, mode, figures: out.figures }));
      return { ...testResult(judgeId)!, alreadyRun: false };
    },
    judgeTestResult: ({ judgeId }) => testResult(judgeId),
    exportDataset: ({ format }) => {
      const f = buildDataset(format, datasetRows());
      return { fileName: f.fileName, mimeType: f.mimeType, text: f.text, records: f.records, skipped: f.skipped.length };
    },
    exportScorers: ({ judgeIds }) => {
      const all = judges.listJudges().filter((j) => !judgeIds || judgeIds.includes(j.id));
      const specs = all.map((j) => ({ id: j.id, name: j.name, kind: j.kind, description: j.description, template: j.template }));
      const cases = datasetRows()
        .filter((r) => r.input !== null && r.output !== null)
        .map((r) => ({ traceId: r.traceId, input: r.input!, output: r.output! }));
      return { files: buildScorers(specs, cases), judges: specs.filter((s) => s.kind !== 'code').length };
    },
  };
  return { handlers, sampler };
}
