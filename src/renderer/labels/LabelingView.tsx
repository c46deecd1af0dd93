import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  QUEUE_ORDERS,
  STRATIFY_FIELDS,
  type FailureModeDto,
  type LabelDto,
  type LabelItem,
  type LabelSteps,
  type SpanNoteDto,
  type LabelVerdict,
  type QueueOrder,
  type QueueSpec,
  type StratifyField,
  type TraceMetrics,
} from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { navigate, traceHash } from '../app/router';
import { isEditableTarget } from '../util/keys';
import { errorText } from './errorText';
import { ClusterSummary, SampleControls } from './SampleControls';
import { TagInput } from './TagInput';
import { TraceDigestView } from './TraceDigestView';
import { NoteEditor } from './NoteEditor';
import { NoteLine, StepsPanel, type NoteEditing } from './StepsPanel';
import { useAutoSave, type SaveStatus } from './useAutoSave';

const ORDER_LABEL: Record<QueueOrder, string> = {
  random: 'Random',
  stratified: 'Stratified by…',
  longest: 'Longest first',
  toolFailures: 'Most tool failures first',
  tokens: 'Most tokens first',
  clusters: 'Clusters (sample)',
  judgeFailed: 'Traces a judge failed',
  recorded: 'By recorded score',
};
const FIELD_LABEL: Record<StratifyField, string> = {
  format: 'format',
  service: 'service',
  version: 'version',
  status: 'status',
  name: 'name',
  sourceFile: 'source file',
};

const SPEC_KEY = 'tracedeck.labels.queue';
const CRITIQUE_DEBOUNCE_MS = 400;

function loadSpec(): QueueSpec {
  try {
    const s = JSON.parse(localStorage.getItem(SPEC_KEY) ?? 'null') as QueueSpec | null;
    if (s && (QUEUE_ORDERS as readonly string[]).includes(s.order)) return s;
  } catch {
    // a corrupt value: start over
  }
  return { order: 'random', seed: 1 };
}

/**
 * Where the labeller is: kept outside the component so opening the full trace (o) and coming
 * back resumes at the same trace with the same back-history.
 */
const session: { spec: QueueSpec | null; history: string[]; index: number } = { spec: null, history: [], index: -1 };

type Load = { state: 'loading' } | { state: 'ready' } | { state: 'done' } | { state: 'error'; message: string };

/**
 * Labelling mode: one trace at a time, judged from a compact summary, keyboard only.
 * p / f / d pass, fail, defer · c critique (Esc leaves) · t tag a failure mode · n / → next ·
 * b / ← back · o open the full trace. Open coding: j / k (↓ / ↑) move through the conversation,
 * x marks the span of the first failure (and opens its note), m notes the span, w notes the trace.
 * Every change saves itself.
 */
export function LabelingView() {
  const client = useClient();
  const [spec, setSpecState] = useState<QueueSpec>(() => (session.spec ??= loadSpec()));
  const [load, setLoad] = useState<Load>({ state: 'loading' });
  const [item, setItem] = useState<LabelItem | null>(null);
  const [counts, setCounts] = useState<{ queueSize: number; unlabelled: number } | null>(null);
  const [verdict, setVerdict] = useState<LabelVerdict | null>(null);
  const [critique, setCritique] = useState('');
  const [tags, setTags] = useState<string[]>([]);
  const [modes, setModes] = useState<FailureModeDto[]>([]);
  const [tagging, setTagging] = useState(false);
  const [metrics, setMetrics] = useState<TraceMetrics | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [steps, setSteps] = useState<LabelSteps | null>(null);
  const [notes, setNotes] = useState<SpanNoteDto[]>([]);
  const [cursor, setCursor] = useState(0);
  const [editing, setEditing] = useState<NoteEditing>(null);
  const critiqueRef = useRef<HTMLTextAreaElement>(null);
  const rootRef = useRef<HTMLDivElement>(null);
  const shownId = useRef<string | null>(null);

  // Traces known to have a label, so the unlabelled count drops once per newly labelled trace.
  const labelled = useRef(new Set<string>());
  const onSaved = useCallback((l: LabelDto) => {
    if (!labelled.current.has(l.traceId)) {
      labelled.current.add(l.traceId);
      setCounts((c) => (c ? { ...c, unlabelled: Math.max(0, c.unlabelled - 1) } : c));
    }
    setItem((cur) => (cur && cur.digest.summary.traceId === l.traceId ? { ...cur, label: l } : cur));
  }, []);
  const saver = useAutoSave(client, onSaved);

  const refreshModes = useCallback(() => {
    client.call('listFailureModes', {}).then(setModes, () => undefined);
  }, [client]);
  useEffect(refreshModes, [refreshModes]);

  const show = useCallback(
    (it: LabelItem) => {
      if (it.label) labelled.current.add(it.digest.summary.traceId);
      setItem(it);
      setVerdict(it.label?.verdict ?? null);
      setCritique(it.label?.critique ?? '');
      setTags(it.failureModes);
      setTagging(false);
      setNotice(null);
      saver.setStatus(it.label ? { kind: 'saved', at: it.label.updatedAt } : { kind: 'idle' });
      setLoad({ state: 'ready' });
      setMetrics(null);
      setSteps(null);
      setNotes([]);
      setCursor(0);
      setEditing(null);
      const id = it.digest.summary.traceId;
      shownId.current = id;
      client.call('labelSteps', { traceId: id }).then(
        (st) => {
          if (shownId.current !== id || !st) return;
          setSteps(st);
          // Start on the first error: where a reviewer usually looks first.
          const err = st.steps.findIndex((x) => x.status === 'error');
          setCursor(err >= 0 ? err : 0);
        },
        () => undefined,
      );
      client.call('listSpanNotes', { traceId: id }).then(
        (ns) => {
          if (shownId.current === id) setNotes(ns);
        },
        () => undefined,
      );
      client.call('getTraceAnalysis', { traceId: id }).then(
        (a) => {
          if (a && shownId.current === id) setMetrics(a.metrics);
        },
        () => undefined,
      );
      // Keys go to the view, not to a control that had focus on the previous trace.
      if (document.activeElement instanceof HTMLElement && document.activeElement !== document.body)
        document.activeElement.blur();
      rootRef.current?.focus({ preventScroll: true });
    },
    [client, saver],
  );

  const openAt = useCallback(
    async (traceId: string) => {
      const it = await client.call('labelItem', { traceId, queue: spec });
      if (it) show(it);
      else setLoad({ state: 'error', message: `trace ${traceId} is no longer in the workspace` });
    },
    [client, spec, show],
  );

  const goNext = useCallback(async () => {
    try {
      await saver.flush();
      if (session.index < session.history.length - 1) {
        session.index++;
        await openAt(session.history[session.index]!);
        return;
      }
      const current = session.history[session.index];
      const step = await client.call('nextToLabel', { ...spec, ...(current ? { after: current } : {}) });
      setCounts({ queueSize: step.queueSize, unlabelled: step.unlabelled });
      if (!step.next) {
        if (current) setNotice(spec.includeLabelled ? 'End of the queue.' : 'Every trace in the queue has a label.');
        else setLoad({ state: 'done' });
        return;
      }
      const id = step.next.digest.summary.traceId;
      if (id === current) {
        setNotice('This is the only trace left without a label.');
        return;
      }
      session.history = [...session.history.slice(0, session.index + 1), id];
      session.index = session.history.length - 1;
      show(step.next);
    } catch (e) {
      setLoad({ state: 'error', message: errorText(e) });
    }
  }, [client, openAt, saver, show, spec]);

  const goBack = useCallback(async () => {
    if (session.index <= 0) {
      setNotice('This is the first trace of this session.');
      return;
    }
    await saver.flush();
    session.index--;
    await openAt(session.history[session.index]!).catch((e: unknown) => setLoad({ state: 'error', message: errorText(e) }));
  }, [openAt, saver]);

  // First mount: resume where the session was, else start the queue.
  const started = useRef(false);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    const resume = session.history[session.index];
    if (resume) {
      void openAt(resume).catch((e: unknown) => setLoad({ state: 'error', message: errorText(e) }));
      client.call('nextToLabel', spec).then((s) => setCounts({ queueSize: s.queueSize, unlabelled: s.unlabelled }), () => undefined);
    } else void goNext();
  }, [client, goNext, openAt, spec]);

  const setSpec = (next: QueueSpec) => {
    void saver.flush();
    session.spec = next;
    session.history = [];
    session.index = -1;
    try {
      localStorage.setItem(SPEC_KEY, JSON.stringify(next));
    } catch {
      // storage full or disabled: the choice just is not remembered
    }
    setSpecState(next);
    setLoad({ state: 'loading' });
  };
  // A new spec restarts the queue once the state holds it.
  const specKey = JSON.stringify(spec);
  const lastSpec = useRef(specKey);
  useEffect(() => {
    if (lastSpec.current === specKey) return;
    lastSpec.current = specKey;
    void goNext();
  }, [specKey, goNext]);

  const traceId = item?.digest.summary.traceId ?? null;

  const choose = useCallback(
    (v: LabelVerdict) => {
      if (!traceId) return;
      setVerdict(v);
      saver.save({ traceId, verdict: v, critique });
    },
    [critique, saver, traceId],
  );

  const editCritique = (text: string) => {
    setCritique(text);
    if (!traceId) return;
    if (verdict) saver.save({ traceId, verdict, critique: text }, CRITIQUE_DEBOUNCE_MS);
    else saver.setStatus({ kind: 'needs-verdict' });
  };

  const toggleTag = useCallback(
    async (mode: string) => {
      if (!traceId) return;
      try {
        const r = tags.includes(mode)
          ? await client.call('untagTrace', { traceId, mode })
          : await client.call('tagTrace', { traceId, mode });
        setTags(r.failureModes);
        refreshModes();
      } catch (e) {
        saver.setStatus({ kind: 'error', message: errorText(e) });
      }
    },
    [client, refreshModes, saver, tags, traceId],
  );

  const openTrace = useCallback(async () => {
    if (!traceId) return;
    await saver.flush();
    navigate(traceHash(traceId));
  }, [saver, traceId]);

  // ---- open coding: notes and the first-failure mark ----
  const focusView = useCallback(() => rootRef.current?.focus({ preventScroll: true }), []);
  const noteError = useCallback((e: unknown) => saver.setStatus({ kind: 'error', message: errorText(e) }), [saver]);
  const stepList = useMemo(() => steps?.steps ?? [], [steps]);
  const moveCursor = useCallback((delta: number) => {
    setCursor((c) => Math.max(0, Math.min(stepList.length - 1, c + delta)));
  }, [stepList.length]);
  const mark = useCallback(
    async (i: number) => {
      const step = stepList[i];
      if (!traceId || !step) return;
      setCursor(i);
      try {
        const already = notes.some((n) => n.firstFailure && n.spanId === step.spanId);
        const next = await client.call('setFirstFailure', { traceId, spanId: already ? null : step.spanId });
        setNotes(next);
        const m = next.find((n) => n.firstFailure);
        if (m) setEditing({ spanId: m.spanId, noteId: m.id, initial: m.text, firstFailure: true });
        else focusView();
      } catch (e) {
        noteError(e);
      }
    },
    [client, notes, stepList, traceId, focusView, noteError],
  );
  const noteOn = useCallback((i: number) => {
    const step = stepList[i];
    if (!step) return;
    setCursor(i);
    setEditing({ spanId: step.spanId, noteId: null, initial: '', firstFailure: false });
  }, [stepList]);
  const noteTrace = useCallback(() => setEditing({ spanId: null, noteId: null, initial: '', firstFailure: false }), []);
  const editNote = (n: SpanNoteDto) => setEditing({ spanId: n.spanId, noteId: n.id, initial: n.text, firstFailure: n.firstFailure });
  const reloadNotes = async () => {
    if (traceId) setNotes(await client.call('listSpanNotes', { traceId }));
  };
  const saveNote = async (text: string) => {
    const ed = editing;
    setEditing(null);
    focusView();
    if (!ed || !traceId) return;
    try {
      if (ed.noteId !== null) {
        if (!text.trim() && !ed.firstFailure) await client.call('deleteSpanNote', { id: ed.noteId });
        else await client.call('updateSpanNote', { id: ed.noteId, text });
      } else if (text.trim()) await client.call('addSpanNote', { traceId, spanId: ed.spanId, text });
      await reloadNotes();
    } catch (e) {
      noteError(e);
    }
  };
  const deleteNote = async (n: SpanNoteDto) => {
    try {
      await client.call('deleteSpanNote', { id: n.id });
      await reloadNotes();
    } catch (e) {
      noteError(e);
    }
    focusView();
  };
  const cancelNote = () => {
    setEditing(null);
    focusView();
  };

  // Keyboard: the latest handlers, one listener.
  const keys = useRef({ choose, goNext, goBack, openTrace, flush: saver.flush, moveCursor, mark, noteOn, noteTrace, cursor });
  keys.current = { choose, goNext, goBack, openTrace, flush: saver.flush, moveCursor, mark, noteOn, noteTrace, cursor };
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey) return;
      if (isEditableTarget(e.target)) {
        if (e.key === 'Escape' && e.target === critiqueRef.current) {
          e.preventDefault();
          critiqueRef.current?.blur();
          rootRef.current?.focus({ preventScroll: true });
          void keys.current.flush();
        }
        return;
      }
      const k = keys.current;
      const act: Record<string, () => void> = {
        p: () => k.choose('pass'),
        f: () => k.choose('fail'),
        d: () => k.choose('defer'),
        c: () => critiqueRef.current?.focus(),
        t: () => setTagging(true),
        n: () => void k.goNext(),
        ArrowRight: () => void k.goNext(),
        b: () => void k.goBack(),
        ArrowLeft: () => void k.goBack(),
        o: () => void k.openTrace(),
        j: () => k.moveCursor(1),
        ArrowDown: () => k.moveCursor(1),
        k: () => k.moveCursor(-1),
        ArrowUp: () => k.moveCursor(-1),
        x: () => void k.mark(k.cursor),
        m: () => k.noteOn(k.cursor),
        w: () => k.noteTrace(),
      };
      const run = act[e.key];
      if (!run) return;
      e.preventDefault(); // 'c' and 't' must not type into the field they focus
      run();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div className="lb-labeling" ref={rootRef} tabIndex={-1} data-testid="labeling-view" data-state={load.state}>
      <div className="lb-queue-bar">
        <label className="lb-field">
          <span className="dim">Order</span>
          <select
            className="control"
            value={spec.order}
            aria-label="Queue order"
            data-testid="queue-order"
            onChange={(e) => setSpec({ ...spec, order: e.currentTarget.value as QueueOrder })}
          >
            {QUEUE_ORDERS.map((o) => (
              <option key={o} value={o}>
                {ORDER_LABEL[o]}
              </option>
            ))}
          </select>
        </label>
        {spec.order === 'stratified' ? (
          <select
            className="control"
            value={spec.field ?? 'format'}
            aria-label="Stratify by"
            data-testid="queue-field"
            onChange={(e) => setSpec({ ...spec, field: e.currentTarget.value as StratifyField })}
          >
            {STRATIFY_FIELDS.map((f) => (
              <option key={f} value={f}>
                {FIELD_LABEL[f]}
              </option>
            ))}
          </select>
        ) : null}
        <SampleControls spec={spec} onChange={setSpec} />
        {spec.order === 'random' || spec.order === 'stratified' || spec.order === 'clusters' ? (
          <button
            type="button"
            className="button ghost"
            title="Another random order"
            onClick={() => setSpec({ ...spec, seed: ((spec.seed ?? 1) % 1_000_000) + 1 })}
          >
            Reshuffle
          </button>
        ) : null}
        <label className="lb-check">
          <input
            type="checkbox"
            checked={spec.includeLabelled ?? false}
            onChange={(e) => setSpec({ ...spec, includeLabelled: e.currentTarget.checked })}
          />
          Include labelled traces
        </label>
        <span className="spacer" />
        {counts ? (
          <span className="dim lb-progress" data-testid="queue-progress">
            {item && item.position >= 0 ? `#${item.position + 1} of ${counts.queueSize}` : `${counts.queueSize} traces`}
            {item?.stratum ? ` · ${spec.order === 'stratified' ? `${FIELD_LABEL[spec.field ?? 'format']} ` : ''}${item.stratum}` : ''} ·{' '}
            {counts.unlabelled} unlabelled
          </span>
        ) : null}
      </div>

      {spec.order === 'clusters' ? <ClusterSummary spec={spec} /> : null}
      {load.state === 'loading' ? <div className="dim pad">Loading…</div> : null}
      {load.state === 'error' ? <div className="text-error pad">{load.message}</div> : null}
      {load.state === 'done' ? (
        <div className="empty-state" data-testid="labeling-done">
          <div className="empty-title">Nothing to label</div>
          <div className="dim">
            {counts?.queueSize ? 'Every trace has a label. Tick “Include labelled traces” to revisit them.' : 'Import some traces first.'}
          </div>
        </div>
      ) : null}

      {load.state === 'ready' && item ? (
        <div className="lb-main with-steps">
          <TraceDigestView digest={item.digest} metrics={metrics} />
          {steps ? (
            <StepsPanel
              steps={steps.steps}
              total={steps.total}
              notes={notes}
              cursor={cursor}
              editing={editing}
              onSelect={setCursor}
              onMark={(i) => void mark(i)}
              onNote={noteOn}
              onEditNote={editNote}
              onDeleteNote={(n) => void deleteNote(n)}
              onSave={(t) => void saveNote(t)}
              onCancel={cancelNote}
            />
          ) : (
            <section className="lb-steps dim pad">Loading the conversation…</section>
          )}
          <aside className="lb-panel" aria-label="Label">
            <div className="lb-verdicts" role="group" aria-label="Verdict">
              {(['pass', 'fail', 'defer'] as const).map((v) => (
                <button
                  key={v}
                  type="button"
                  className={`lb-verdict ${v}${verdict === v ? ' on' : ''}`}
                  aria-pressed={verdict === v}
                  data-testid={`verdict-${v}`}
                  onClick={() => choose(v)}
                >
                  <kbd>{v[0]}</kbd> {v === 'pass' ? 'Pass' : v === 'fail' ? 'Fail' : 'Defer'}
                </button>
              ))}
            </div>
            <label className="lb-kv-label" htmlFor="lb-critique">
              Critique <kbd>c</kbd> <span className="dim">(Esc leaves)</span>
            </label>
            <textarea
              id="lb-critique"
              ref={critiqueRef}
              className="control lb-critique"
              value={critique}
              placeholder="What went wrong or right, in a sentence or two"
              data-testid="critique"
              onChange={(e) => editCritique(e.currentTarget.value)}
              onBlur={() => void saver.flush()}
            />
            <div className="lb-kv-label">
              Notes on the trace <kbd>w</kbd>
            </div>
            <div className="lb-trace-notes" data-testid="trace-notes">
              {notes
                .filter((n) => n.spanId === null)
                .map((n) =>
                  editing?.noteId === n.id ? (
                    <NoteEditor key={n.id} initial={editing.initial} label="Edit note" placeholder="Note" onSave={(t) => void saveNote(t)} onCancel={cancelNote} />
                  ) : (
                    <NoteLine key={n.id} note={n} onEdit={editNote} onDelete={(x) => void deleteNote(x)} />
                  ),
                )}
              {editing && editing.spanId === null && editing.noteId === null ? (
                <NoteEditor initial="" label="New note on the trace" placeholder="What do you notice about the whole trace?" onSave={(t) => void saveNote(t)} onCancel={cancelNote} />
              ) : notes.every((n) => n.spanId !== null) ? (
                <span className="dim">none</span>
              ) : null}
            </div>
            <div className="lb-kv-label">
              Failure modes <kbd>t</kbd>
            </div>
            <div className="lb-chips" data-testid="trace-tags">
              {tags.map((t) => (
                <span key={t} className="lb-chip" data-testid="trace-tag">
                  {t}
                  <button type="button" className="lb-chip-x" aria-label={`Remove ${t}`} onClick={() => void toggleTag(t)}>
                    ×
                  </button>
                </span>
              ))}
              {tags.length === 0 && !tagging ? <span className="dim">none</span> : null}
            </div>
            {tagging ? (
              <TagInput
                modes={modes}
                applied={tags}
                onPick={(m) => void toggleTag(m)}
                onClose={() => {
                  setTagging(false);
                  rootRef.current?.focus({ preventScroll: true });
                }}
              />
            ) : null}
            <SaveIndicator status={saver.status} />
            {notice ? (
              <div className="lb-notice dim" role="status" data-testid="labeling-notice">
                {notice}
              </div>
            ) : null}
            <div className="lb-nav">
              <button type="button" className="button" onClick={() => void goBack()} data-testid="label-back">
                <kbd>b</kbd> Back
              </button>
              <button type="button" className="button" onClick={() => void goNext()} data-testid="label-next">
                Next <kbd>n</kbd>
              </button>
              <button type="button" className="button ghost" onClick={() => void openTrace()} data-testid="label-open">
                <kbd>o</kbd> Open trace
              </button>
            </div>
            <div className="lb-keys dim">
              <kbd>p</kbd> pass · <kbd>f</kbd> fail · <kbd>d</kbd> defer · <kbd>c</kbd> critique · <kbd>t</kbd> tag ·{' '}
              <kbd>n</kbd>/<kbd>→</kbd> next · <kbd>b</kbd>/<kbd>←</kbd> back · <kbd>o</kbd> open · <kbd>j</kbd>/<kbd>k</kbd> span ·{' '}
              <kbd>x</kbd> first failure · <kbd>m</kbd> span note · <kbd>w</kbd> trace note
            </div>
          </aside>
        </div>
      ) : null}
    </div>
  );
}

function SaveIndicator({ status }: { status: SaveStatus }) {
  const text: Record<SaveStatus['kind'], string> = {
    idle: 'Not labelled yet',
    pending: 'Editing…',
    saving: 'Saving…',
    saved: 'Saved',
    'needs-verdict': 'Not saved: choose pass, fail or defer',
    error: 'Not saved',
  };
  return (
    <div className={`lb-save ${status.kind}`} role="status" aria-live="polite" data-testid="save-indicator" data-save={status.kind}>
      {status.kind === 'saved' ? '✓ ' : ''}
      {text[status.kind]}
      {status.kind === 'error' ? `: ${status.message}` : ''}
    </div>
  );
}
