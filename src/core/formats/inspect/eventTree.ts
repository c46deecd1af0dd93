import type { Span, SpanEvent, SpanKind } from '../../model/types';
import { asString, isRecord } from '../common/json';
import { eventEnd, eventStart, eventTime, type Json, type SampleContext } from './context';
import {
  errorEventSpan,
  eventAsSpanEvent,
  limitEventSpan,
  modelEventSpan,
  sandboxEventSpan,
  scoreEventSpan,
  toolEventSpan,
} from './eventSpans';

/**
 * Turns a sample's flat event list into spans under the sample's root span.
 *
 * Three layouts exist:
 *  - v3 (2025+): `span_begin{id, parent_id}` / `span_end{id}`, and every event names its span in
 *    `span_id`: nesting is explicit.
 *  - early spans: span_begin/span_end but events without `span_id`: nest by begin/end order.
 *  - legacy (≤ early 2025): `{event:'step', action:'begin'|'end', name, type}` with no ids, and
 *    tool/subtask events carrying their own sub-events in `events[]`: nest by order.
 * Tool execution is logged twice: a `tool` event (arguments, result, error) in the caller's span
 * and a `span_begin{type:'tool', name: function}` holding what the tool did (sandbox calls, nested
 * model calls). They become one tool span, as Inspect's own viewer shows them.
 */

interface Item {
  ev: Json;
  /** Index of the tool/subtask event whose `events[]` held this one (legacy layout). */
  host?: number;
}

interface Rec {
  id: string;
  item: number;
  parent: string;
  type: string;
  name: string;
  startMs?: number;
  endMs?: number;
  /** Item index of the tool event merged into this span. */
  tool?: number;
}

export interface EventTree {
  spans: Span[];
  /** Events that belong to the sample itself (outside any span). */
  rootEvents: SpanEvent[];
  startMs?: number;
  endMs?: number;
}

export function spansFromEvents(events: unknown[], ctx: SampleContext, fallbackMs: number): EventTree {
  const ROOT = ctx.rootId;
  const hasSpans = events.some((e) => isRecord(e) && e.event === 'span_begin');
  const items = flatten(events, !hasSpans, ctx);
  const usesSpanIds = hasSpans && items.some((i) => typeof i.ev.span_id === 'string');

  // Pass 1: spans (span_begin / step) and the span each event sits in.
  const recs = new Map<string, Rec>();
  const recAt = new Map<number, Rec>();
  const container: (string | undefined)[] = new Array(items.length);
  const stack: Rec[] = [];
  const top = () => (stack.length ? stack[stack.length - 1]!.id : ROOT);
  let unknownParents = 0;
  let unmatchedEnds = 0;

  const open = (idx: number, id: string, parent: string, type: string, name: string) => {
    let unique = id;
    if (recs.has(unique) || unique === ROOT) unique = `${id}#${idx}`;
    const rec: Rec = { id: unique, item: idx, parent, type, name, startMs: eventTime(items[idx]!.ev) };
    recs.set(unique, rec);
    recAt.set(idx, rec);
    stack.push(rec);
  };

  for (let idx = 0; idx < items.length; idx++) {
    const { ev } = items[idx]!;
    const kind = ev.event;
    if (kind === 'span_begin') {
      const id = asString(ev.id) ?? `span-${idx}`;
      let parent = top();
      if (usesSpanIds) {
        const pid = asString(ev.parent_id);
        parent = pid && recs.has(pid) ? pid : ROOT;
        if (pid && !recs.has(pid)) unknownParents++;
      }
      open(idx, id, parent, asString(ev.type) ?? 'span', asString(ev.name) ?? asString(ev.type) ?? 'span');
    } else if (kind === 'span_end') {
      const rec = recs.get(asString(ev.id) ?? '');
      if (!rec) {
        unmatchedEnds++;
        continue;
      }
      rec.endMs = eventTime(ev);
      const at = stack.lastIndexOf(rec);
      if (at >= 0) stack.length = at;
    } else if (kind === 'step') {
      if (hasSpans) continue; // Inspect writes both during the transition; spans win, as in its viewer.
      const name = asString(ev.name) ?? 'step';
      const type = asString(ev.type) ?? 'step';
      if (ev.action === 'begin') {
        open(idx, `step-${idx}`, top(), type, name);
      } else {
        let j = stack.length - 1;
        while (j >= 0 && !(stack[j]!.name === name && (ev.type === undefined || stack[j]!.type === type))) j--;
        if (j < 0) {
          unmatchedEnds++;
          continue;
        }
        stack[j]!.endMs = eventTime(ev);
        stack.length = j;
      }
    } else {
      const sid = asString(ev.span_id);
      container[idx] = usesSpanIds && sid && recs.has(sid) ? sid : top();
    }
  }
  if (unknownParents) ctx.warn(`${ctx.where}: ${unknownParents} span(s) name an unknown parent span: put under the sample`);
  if (unmatchedEnds) ctx.warn(`${ctx.where}: ${unmatchedEnds} span/step end(s) without a matching begin ignored`);

  matchToolSpans(items, recs, container);

  // Pass 2: spans in event order.
  const spans: Span[] = [];
  const byId = new Map<string, Span>();
  const hostSpan = new Map<number, string>();
  const rootEvents: SpanEvent[] = [];
  let startMs = Infinity;
  let endMs = -Infinity;
  const add = (s: Span) => {
    spans.push(s);
    byId.set(s.spanId, s);
    startMs = Math.min(startMs, s.startMs);
    endMs = Math.max(endMs, s.endMs ?? s.startMs);
  };
  const mergedTools = new Set<number>();
  for (const r of recs.values()) if (r.tool !== undefined) mergedTools.add(r.tool);

  for (let idx = 0; idx < items.length; idx++) {
    const { ev, host } = items[idx]!;
    const t = eventTime(ev);
    if (t !== undefined) {
      startMs = Math.min(startMs, t);
      endMs = Math.max(endMs, t);
    }
    const rec = recAt.get(idx);
    if (rec) {
      add(rec.tool !== undefined ? mergedToolSpan(rec, items[rec.tool]!.ev, ctx, fallbackMs) : recSpan(rec, ev, ctx, fallbackMs));
      continue;
    }
    const kind = asString(ev.event) ?? '';
    if (kind === 'span_begin' || kind === 'span_end' || kind === 'step' || mergedTools.has(idx)) continue;
    const parentId = host !== undefined ? (hostSpan.get(host) ?? ROOT) : (container[idx] ?? ROOT);
    const place = { id: asString(ev.uuid) ?? `${kind || 'event'}-${idx}`, parentId, fallbackMs };
    if (byId.has(place.id) || place.id === ROOT) place.id = `${place.id}#${idx}`;
    let span: Span | undefined;
    switch (kind) {
      case 'model':
        span = modelEventSpan(ev, place, ctx);
        break;
      case 'tool':
        span = toolEventSpan(ev, place, ctx);
        hostSpan.set(idx, place.id);
        break;
      case 'subtask':
        span = subtaskSpan(ev, place, ctx);
        hostSpan.set(idx, place.id);
        break;
      case 'sandbox':
        span = sandboxEventSpan(ev, place, ctx);
        break;
      case 'score':
        span = scoreEventSpan(ev, place, ctx);
        break;
      case 'error':
        span = errorEventSpan(ev, place, ctx);
        break;
      case 'sample_limit':
        span = limitEventSpan(ev, place, ctx);
        break;
    }
    if (span) {
      add(span);
      continue;
    }
    const target = parentId === ROOT ? undefined : byId.get(parentId);
    (target ? target.events : rootEvents).push(eventAsSpanEvent(ev, ctx));
  }
  return {
    spans,
    rootEvents,
    startMs: Number.isFinite(startMs) ? startMs : undefined,
    endMs: Number.isFinite(endMs) ? endMs : undefined,
  };
}

/** Depth-first flattening of legacy nested `events[]`, without recursion. */
function flatten(events: unknown[], nested: boolean, ctx: SampleContext): Item[] {
  const items: Item[] = [];
  const work: { list: unknown[]; pos: number; host?: number }[] = [{ list: events, pos: 0 }];
  let skipped = 0;
  while (work.length > 0) {
    const frame = work[work.length - 1]!;
    if (frame.pos >= frame.list.length) {
      work.pop();
      continue;
    }
    const ev = frame.list[frame.pos++];
    if (!isRecord(ev)) {
      skipped++;
      continue;
    }
    const idx = items.length;
    items.push({ ev, host: frame.host });
    if (nested && (ev.event === 'tool' || ev.event === 'subtask') && Array.isArray(ev.events) && ev.events.length > 0) {
      work.push({ list: ev.events, pos: 0, host: idx });
    }
  }
  if (skipped) ctx.warn(`${ctx.where}: ${skipped} event(s) that are not objects skipped`);
  return items;
}

/**
 * Pairs each tool event with its `type:'tool'` span: the span the event sits in (older layout)
 * or, in order, the next unclaimed tool span of the same function opened in the same parent.
 */
function matchToolSpans(items: Item[], recs: Map<string, Rec>, container: (string | undefined)[]): void {
  const queues = new Map<string, Rec[]>();
  for (const r of recs.values()) {
    if (r.type !== 'tool') continue;
    const key = `${r.parent}\u0000${r.name}`;
    let q = queues.get(key);
    if (!q) queues.set(key, (q = []));
    q.push(r);
  }
  const cursor = new Map<string, number>();
  for (let idx = 0; idx < items.length; idx++) {
    const ev = items[idx]!.ev;
    if (ev.event !== 'tool') continue;
    const fn = asString(ev.function) ?? '';
    const c = container[idx];
    const own = c ? recs.get(c) : undefined;
    if (own && own.type === 'tool' && own.name === fn && own.tool === undefined) {
      own.tool = idx;
      continue;
    }
    const key = `${c}\u0000${fn}`;
    const q = queues.get(key);
    if (!q) continue;
    let k = cursor.get(key) ?? 0;
    while (k < q.length && q[k]!.tool !== undefined) k++;
    if (k < q.length) q[k]!.tool = idx;
    cursor.set(key, k + 1);
  }
}

function recKind(type: string): SpanKind {
  return type === 'agent' || type === 'handoff' ? 'agent' : 'chain';
}

function recSpan(rec: Rec, ev: Json, ctx: SampleContext, fallbackMs: number): Span {
  const start = rec.startMs ?? fallbackMs;
  const attributes: Json = { type: rec.type };
  if (ev.metadata !== undefined) attributes.metadata = ctx.resolve(ev.metadata);
  return {
    traceId: ctx.traceId,
    spanId: rec.id,
    parentId: rec.parent,
    name: rec.name,
    kind: recKind(rec.type),
    sourceKind: ev.event === 'step' ? `step:${rec.type}` : rec.type,
    status: 'unset',
    startMs: start,
    endMs: rec.endMs ?? null,
    attributes,
    events: [],
  };
}

function mergedToolSpan(rec: Rec, toolEv: Json, ctx: SampleContext, fallbackMs: number): Span {
  const span = toolEventSpan(toolEv, { id: rec.id, parentId: rec.parent, fallbackMs }, ctx);
  const start = Math.min(rec.startMs ?? Infinity, eventStart(toolEv) ?? Infinity);
  span.startMs = Number.isFinite(start) ? start : fallbackMs;
  const end = Math.max(rec.endMs ?? -Infinity, eventEnd(toolEv, eventTime(toolEv)) ?? -Infinity);
  span.endMs = Number.isFinite(end) ? end : null;
  return span;
}

function subtaskSpan(ev: Json, place: { id: string; parentId: string; fallbackMs: number }, ctx: SampleContext): Span {
  const start = eventStart(ev) ?? place.fallbackMs;
  const name = asString(ev.name) ?? 'subtask';
  return {
    traceId: ctx.traceId,
    spanId: place.id,
    parentId: place.parentId,
    name,
    kind: 'chain',
    sourceKind: 'subtask',
    status: 'unset',
    startMs: start,
    endMs: eventEnd(ev, start) ?? null,
    attributes: { type: asString(ev.type) },
    events: [],
    input: ctx.resolve(ev.input),
    output: ctx.resolve(ev.result),
  };
}
