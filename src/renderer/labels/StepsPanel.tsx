import { useEffect, useRef } from 'react';
import type { LabelStep, SpanNoteDto } from '../../shared/api';
import { formatDuration } from '../../shared/format';
import { KindIcon } from '../trace/kinds';
import { NoteEditor } from './NoteEditor';

/** What the note editor is open on: a new note on a span or the trace, or an existing note. */
export type NoteEditing = { spanId: string | null; noteId: number | null; initial: string; firstFailure: boolean } | null;

/**
 * The conversation of the trace being labelled, span by span in tree order, with the notes on
 * each span and the first-failure mark (⚑). j / k move, x marks the first failure, m writes a
 * note; a click selects a span. Trace content is shown as text only.
 */
export function StepsPanel({
  steps,
  total,
  notes,
  cursor,
  editing,
  onSelect,
  onMark,
  onNote,
  onEditNote,
  onDeleteNote,
  onSave,
  onCancel,
}: {
  steps: LabelStep[];
  total: number;
  notes: SpanNoteDto[];
  cursor: number;
  editing: NoteEditing;
  onSelect(index: number): void;
  onMark(index: number): void;
  onNote(index: number): void;
  onEditNote(note: SpanNoteDto): void;
  onDeleteNote(note: SpanNoteDto): void;
  onSave(text: string): void;
  onCancel(): void;
}) {
  const rowRefs = useRef(new Map<number, HTMLLIElement>());
  useEffect(() => {
    rowRefs.current.get(cursor)?.scrollIntoView({ block: 'nearest' });
  }, [cursor]);
  const bySpan = new Map<string, SpanNoteDto[]>();
  for (const n of notes) {
    if (n.spanId === null) continue;
    const list = bySpan.get(n.spanId) ?? [];
    list.push(n);
    bySpan.set(n.spanId, list);
  }
  return (
    <section className="lb-steps" aria-label="Conversation" data-testid="label-steps">
      <h3 className="lb-block-title lb-steps-title">
        Conversation <span className="dim">{total} spans</span>
        <span className="spacer" />
        <span className="dim lb-steps-keys">
          <kbd>j</kbd>/<kbd>k</kbd> move · <kbd>x</kbd> first failure · <kbd>m</kbd> note
        </span>
      </h3>
      <ol className="lb-step-list" role="listbox" aria-label="Spans of the trace">
        {steps.map((s, i) => {
          const spanNotes = bySpan.get(s.spanId) ?? [];
          const marked = spanNotes.some((n) => n.firstFailure);
          const isEditing = editing !== null && editing.spanId === s.spanId && editing.noteId === null && !editing.firstFailure;
          return (
            <li
              key={s.spanId}
              ref={(el) => {
                if (el) rowRefs.current.set(i, el);
                else rowRefs.current.delete(i);
              }}
              className={`lb-step${i === cursor ? ' on' : ''}${s.status === 'error' ? ' error' : ''}${marked ? ' marked' : ''}`}
              role="option"
              aria-selected={i === cursor}
              data-testid="label-step"
              data-span-id={s.spanId}
              data-marked={marked ? 'true' : undefined}
              onClick={() => onSelect(i)}
            >
              <div className="lb-step-head" style={{ paddingLeft: 4 + Math.min(s.depth, 8) * 12 }}>
                <KindIcon kind={s.kind} />
                <span className="lb-step-name mono">{s.kind === 'tool' && s.toolName ? s.toolName : s.name}</span>
                {marked ? (
                  <span className="lb-first-failure" data-testid="first-failure-badge" title="First failure">
                    ⚑ first failure
                  </span>
                ) : null}
                {s.status === 'error' ? <span className="tv-badge err">error</span> : null}
                <span className="spacer" />
                <span className="dim mono lb-step-dur">{s.durationMs === null ? '' : formatDuration(s.durationMs)}</span>
                {i === cursor ? (
                  <>
                    <button
                      type="button"
                      className="button ghost lb-step-action"
                      data-testid="step-mark"
                      onClick={(e) => {
                        e.stopPropagation();
                        onMark(i);
                      }}
                    >
                      <kbd>x</kbd> {marked ? 'Unmark' : 'First failure'}
                    </button>
                    <button
                      type="button"
                      className="button ghost lb-step-action"
                      data-testid="step-note"
                      onClick={(e) => {
                        e.stopPropagation();
                        onNote(i);
                      }}
                    >
                      <kbd>m</kbd> Note
                    </button>
                  </>
                ) : null}
              </div>
              {s.text || s.error ? (
                <div className={`lb-step-text${s.error ? ' text-error' : ''}`} style={{ paddingLeft: 22 + Math.min(s.depth, 8) * 12 }}>
                  {s.error ?? s.text}
                </div>
              ) : null}
              {spanNotes.map((n) =>
                editing?.noteId === n.id ? (
                  <NoteEditor
                    key={n.id}
                    initial={editing.initial}
                    label={n.firstFailure ? 'Note on the first failure' : 'Edit note'}
                    placeholder={n.firstFailure ? 'What went wrong first, here?' : 'Note'}
                    onSave={onSave}
                    onCancel={onCancel}
                  />
                ) : (
                  <NoteLine key={n.id} note={n} onEdit={onEditNote} onDelete={onDeleteNote} />
                ),
              )}
              {isEditing ? (
                <NoteEditor initial="" label="New note on this span" placeholder="What do you notice on this span?" onSave={onSave} onCancel={onCancel} />
              ) : null}
            </li>
          );
        })}
      </ol>
      {total > steps.length ? <div className="dim pad">… {total - steps.length} more spans (open the full trace with o)</div> : null}
    </section>
  );
}

export function NoteLine({ note, onEdit, onDelete }: { note: SpanNoteDto; onEdit(n: SpanNoteDto): void; onDelete(n: SpanNoteDto): void }) {
  return (
    <div className={`lb-note${note.firstFailure ? ' first' : ''}`} data-testid="span-note" data-note-id={note.id}>
      <span className="lb-note-text">{note.text || <span className="dim">(no note yet)</span>}</span>
      {note.mode ? <span className="lb-chip small">{note.mode}</span> : null}
      <button type="button" className="link-button" aria-label="Edit note" onClick={(e) => (e.stopPropagation(), onEdit(note))}>
        edit
      </button>
      <button type="button" className="lb-chip-x" aria-label="Delete note" onClick={(e) => (e.stopPropagation(), onDelete(note))}>
        ×
      </button>
    </div>
  );
}
