import type { RecordedEvaluationInput, Span, TraceMeta } from '../../model/types';
import { evaluationPass } from '../../model/evaluations';
import type { ImportSink, ImportSource } from '../types';
import { ImportError } from '../../util/errors';
import { asNumber, asString, isRecord } from '../common/json';
import { isoToMs } from '../common/time';

type Obj = Record<string, unknown>;

/**
 * Phoenix span annotations (evaluations and human labels) as recorded evaluations. Phoenix serves
 * them apart from the spans (`GET /v1/projects/{p}/span_annotations` → `{data: [annotation]}`,
 * `client.spans.get_span_annotations`): `{id, span_id, name, annotator_kind: LLM|HUMAN|CODE,
 * result: {label, score, explanation}, metadata, identifier, source, created_at, updated_at,
 * user_id}`; the payload logged with `POST /v1/span_annotations` has the same fields. An
 * annotation file goes onto the traces that hold its spans: spans in the same file, else spans
 * imported before from another file (that stored trace is written again with the evaluations).
 */

export function isPhoenixAnnotation(v: unknown): v is Obj {
  return (
    isRecord(v) &&
    typeof v.span_id === 'string' &&
    typeof v.name === 'string' &&
    !isRecord(v.context) &&
    (isRecord(v.result) || typeof v.annotator_kind === 'string')
  );
}

export function phoenixEvaluation(a: Obj): RecordedEvaluationInput {
  const name = String(a.name);
  const r = isRecord(a.result) ? a.result : a;
  const score = asNumber(r.score);
  const label = asString(r.label);
  const explanation = asString(r.explanation);
  const e: RecordedEvaluationInput = { name, source: 'phoenix', value: score ?? label ?? null, spanId: String(a.span_id) };
  // A label says pass/fail in words ("correct", "hallucinated" …) more surely than a score does.
  const byLabel = label !== undefined ? evaluationPass(name, label) : null;
  if (byLabel !== null) e.pass = byLabel;
  const comment = [label !== undefined && score !== undefined ? label : undefined, explanation].filter(Boolean).join(': ');
  if (comment) e.comment = comment;
  const author = [asString(a.annotator_kind), asString(a.identifier) || asString(a.user_id)].filter(Boolean).join(':');
  if (author) e.author = author;
  const t = isoToMs(a.created_at) ?? isoToMs(a.updated_at);
  if (t !== undefined) e.timeMs = t;
  return e;
}

/** Same annotation again (re-imported file): replaced, not doubled. */
function sameEvaluation(a: RecordedEvaluationInput, b: RecordedEvaluationInput): boolean {
  return a.source === b.source && a.name === b.name && a.spanId === b.spanId && a.author === b.author;
}

export function mergeEvaluations(kept: readonly RecordedEvaluationInput[], added: readonly RecordedEvaluationInput[]): RecordedEvaluationInput[] {
  return [...kept.filter((k) => !added.some((a) => sameEvaluation(k, a))), ...added];
}

/**
 * Annotations whose spans are not in this file: write each stored trace they annotate again
 * with them. Returns how many annotations found no span anywhere.
 */
export function annotateStoredTraces(
  annotations: readonly Obj[],
  inFile: ReadonlySet<string>,
  source: ImportSource,
  sink: ImportSink,
): number {
  const outside = annotations.filter((a) => !inFile.has(String(a.span_id)));
  if (outside.length === 0) return 0;
  const where = source.tracesOfSpans?.([...new Set(outside.map((a) => String(a.span_id)))]) ?? new Map<string, string>();
  const byTrace = new Map<string, RecordedEvaluationInput[]>();
  let missing = 0;
  for (const a of outside) {
    const traceId = where.get(String(a.span_id));
    if (!traceId) {
      missing++;
      continue;
    }
    let list = byTrace.get(traceId);
    if (!list) byTrace.set(traceId, (list = []));
    list.push(phoenixEvaluation(a));
  }
  for (const [traceId, evaluations] of byTrace) {
    const stored = source.storedTrace?.(traceId);
    if (!stored) continue;
    const { mergedFrom, ...meta } = stored.meta as Omit<TraceMeta, 'traceId'>;
    sink.trace({
      ...meta,
      traceId,
      sourceFile: stored.sourceFile,
      ...(mergedFrom ? { mergedFrom } : {}),
      evaluations: mergeEvaluations(source.storedEvaluations?.(traceId) ?? [], evaluations),
    });
    for (const s of stored.spans as Span[]) sink.span(s);
  }
  if (missing === annotations.length) {
    throw new ImportError(
      source.name,
      `Phoenix span annotations: none of the ${annotations.length} annotated span ids is in this file or in the workspace — import the spans first`,
    );
  }
  return missing;
}
