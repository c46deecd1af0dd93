import { basename } from 'node:path';
import type { RecordedEvaluationInput, Span, TraceMeta } from '../../model/types';
import type { ImportSink } from '../types';
import { asNumber, asString, isRecord, toText } from '../common/json';
import { isoToMs } from '../common/time';
import { attachmentResolver } from './attachments';
import { errorText, type Json, type SampleContext } from './context';
import { spansFromEvents } from './eventTree';
import { spansFromMessages } from './messageSpans';

/** What a sample needs from the log around it. */
export interface LogInfo {
  file: string;
  header: Json;
}

const ROOT_ID = 'sample';

/** One sample × epoch → one trace: meta, a root span for the sample, its events (or messages) below. */
export function emitSample(sample: Json, where: string, log: LogInfo, sink: ImportSink): void {
  const ev = isRecord(log.header.eval) ? log.header.eval : {};
  const stats = isRecord(log.header.stats) ? log.header.stats : {};
  const sampleId = asString(sample.id) ?? where;
  const epoch = asString(sample.epoch) ?? '1';
  const run = asString(ev.eval_id) ?? asString(ev.run_id) ?? basename(log.file);
  const traceId = asString(sample.uuid) ?? `${run}/${sampleId}/${epoch}`;
  const resolve = attachmentResolver(sample.attachments);
  const ctx: SampleContext = {
    file: log.file,
    where,
    traceId,
    rootId: ROOT_ID,
    resolve,
    messagePool: Array.isArray(sample.message_pool) ? sample.message_pool : [],
    evalModel: asString(ev.model),
    warn: (m) => sink.warn(m),
  };

  const task = asString(ev.task_display_name) ?? asString(ev.task) ?? 'inspect task';
  const epochs = asNumber(isRecord(ev.config) ? ev.config.epochs : undefined) ?? 1;
  const name = `${task} ${sampleId}${epochs > 1 ? ` (epoch ${epoch})` : ''}`;
  const logStart = isoToMs(stats.started_at) ?? isoToMs(ev.created);
  const fallbackMs = isoToMs(sample.started_at) ?? logStart ?? 0;
  if (isoToMs(sample.started_at) === undefined && logStart === undefined) {
    sink.warn(`${where}: no timestamps anywhere in the sample or log: times set to the epoch`);
  }

  const events = Array.isArray(sample.events) ? sample.events : [];
  const messages = Array.isArray(sample.messages) ? sample.messages : [];
  let children: Span[];
  let rootEvents: Span['events'] = [];
  let startMs: number | undefined;
  let endMs: number | undefined;
  if (events.length > 0) {
    const tree = spansFromEvents(events, ctx, fallbackMs);
    children = tree.spans;
    rootEvents = tree.rootEvents;
    startMs = tree.startMs;
    endMs = tree.endMs;
  } else {
    children = spansFromMessages(messages, ctx, fallbackMs);
  }
  startMs = isoToMs(sample.started_at) ?? startMs ?? fallbackMs;
  const totalSecs = asNumber(sample.total_time);
  endMs = isoToMs(sample.completed_at) ?? endMs;
  if (endMs === undefined && totalSecs !== undefined) endMs = startMs + totalSecs * 1000;
  endMs ??= isoToMs(stats.completed_at) ?? startMs;

  const input = resolve(sample.input);
  const output = completionOf(resolve(sample.output));
  const err = errorText(sample.error);
  const scores = resolve(sample.scores);
  const target = resolve(sample.target);

  const meta: TraceMeta = {
    traceId,
    name,
    service: task,
    sessionId: run,
    input,
    output,
    metadata: dropUndefined({
      evalId: asString(ev.eval_id),
      runId: asString(ev.run_id),
      evalSetId: asString(ev.eval_set_id),
      task: asString(ev.task),
      model: asString(ev.model),
      sampleId,
      epoch,
      sampleUuid: asString(sample.uuid),
      target,
      scores,
      error: err,
      logStatus: asString(log.header.status),
      logVersion: log.header.version,
      inspectVersion: isRecord(ev.packages) ? asString(ev.packages.inspect_ai) : undefined,
    }),
  };
  const evaluations = inspectEvaluations(scores);
  if (evaluations.length) meta.evaluations = evaluations;
  const taskVersion = asString(ev.task_version);
  if (taskVersion && taskVersion !== '0') meta.version = taskVersion;
  sink.trace(meta);

  const root: Span = {
    traceId,
    spanId: ROOT_ID,
    parentId: null,
    name,
    kind: 'agent',
    sourceKind: 'sample',
    status: err ? 'error' : 'ok',
    startMs,
    endMs: Math.max(endMs, startMs),
    input,
    output,
    attributes: dropUndefined({
      id: sample.id,
      epoch: sample.epoch,
      target,
      scores,
      metadata: resolve(sample.metadata),
      model_usage: sample.model_usage,
      total_time: sample.total_time,
      working_time: sample.working_time,
      error: sample.error ?? undefined,
      limit: sample.limit ?? undefined,
      error_retries: Array.isArray(sample.error_retries) && sample.error_retries.length ? sample.error_retries : undefined,
      // Usage lives on the model spans; the per-sample roll-up stays here only, so it is not counted twice.
    }),
    events: rootEvents,
  };
  if (err) root.statusMessage = err;
  sink.span(root);
  for (const s of children) sink.span(s);
}

function completionOf(output: unknown): unknown {
  if (!isRecord(output)) return output;
  const completion = asString(output.completion);
  if (completion) return completion;
  const choices = Array.isArray(output.choices) ? output.choices : [];
  const texts = choices.map((c) => (isRecord(c) && isRecord(c.message) ? toText(c.message.content) : '')).filter(Boolean);
  return texts.length ? texts.join('\n\n') : undefined;
}

function dropUndefined(o: Json): Json {
  for (const k of Object.keys(o)) if (o[k] === undefined) delete o[k];
  return o;
}

/**
 * `sample.scores` ({scorer: {value, answer, explanation}}) as recorded evaluations. A scorer whose
 * value is a dict of metrics gives one evaluation per metric, named `scorer/metric`.
 */
function inspectEvaluations(scores: unknown): RecordedEvaluationInput[] {
  if (!isRecord(scores)) return [];
  const out: RecordedEvaluationInput[] = [];
  for (const [scorer, s] of Object.entries(scores)) {
    if (!isRecord(s)) continue;
    const comment = asString(s.explanation);
    const values: [string, unknown][] = isRecord(s.value) ? Object.entries(s.value).map(([k, v]) => [`${scorer}/${k}`, v]) : [[scorer, s.value]];
    for (const [name, value] of values) {
      const e: RecordedEvaluationInput = { name, source: 'inspect', value: value ?? null, author: scorer };
      if (comment) e.comment = comment;
      out.push(e);
    }
  }
  return out;
}
