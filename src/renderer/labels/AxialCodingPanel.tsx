import { useCallback, useEffect, useState } from 'react';
import type { AxialProposal, FailureModeDto, ProposedGroup, SpanNoteDto } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { navigate, traceHash } from '../app/router';
import { isEditableTarget } from '../util/keys';
import { errorText } from './errorText';
import { judgesHash } from '../judges/routes';

const NEW_GROUP = '\u0000new';
const DROP = '\u0000drop';

/**
 * Axial coding: the open-coding notes, each coded to a failure mode by hand (type or pick a mode
 * name, Enter), and — with a model configured — groups the model proposes from the notes, which
 * the user renames, merges, splits (move a note to a new group), re-tags and accepts. g asks the
 * model. Without a model the panel says why and the hand path stays.
 */
export function AxialCodingPanel({ modes, onModes }: { modes: FailureModeDto[]; onModes(m: FailureModeDto[]): void }) {
  const client = useClient();
  const [notes, setNotes] = useState<SpanNoteDto[]>([]);
  const [proposal, setProposal] = useState<AxialProposal | null>(null);
  const [groups, setGroups] = useState<ProposedGroup[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const reload = useCallback(() => {
    client.call('listSpanNotes', {}).then(setNotes, (e: unknown) => setError(errorText(e)));
  }, [client]);
  useEffect(reload, [reload]);

  const propose = useCallback(async () => {
    setBusy(true);
    setError(null);
    try {
      const p = await client.call('proposeFailureModes', {});
      setProposal(p);
      setGroups(p.groups);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setBusy(false);
    }
  }, [client]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.ctrlKey || e.metaKey || e.altKey || isEditableTarget(e.target)) return;
      if (e.key === 'g' && !busy) {
        e.preventDefault();
        void propose();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [busy, propose]);

  const byId = new Map(notes.map((n) => [n.id, n]));
  const code = async (noteIds: number[], mode: string | null) => {
    try {
      const r = await client.call('codeNotes', { noteIds, mode });
      onModes(r.modes);
      reload();
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const accept = async (chosen: ProposedGroup[]) => {
    const valid = chosen.filter((g) => g.name.trim() && g.noteIds.length);
    if (!valid.length) return;
    try {
      const r = await client.call('acceptFailureModeGroups', { groups: valid.map((g) => ({ ...g, name: g.name.trim(), definition: g.definition.trim() })) });
      onModes(r.modes);
      setGroups((gs) => gs.filter((g) => !chosen.includes(g)));
      reload();
      setError(null);
    } catch (e) {
      setError(errorText(e));
    }
  };
  const updateGroup = (i: number, patch: Partial<ProposedGroup>) => setGroups((gs) => gs.map((g, k) => (k === i ? { ...g, ...patch } : g)));
  const moveNote = (from: number, noteId: number, to: string) => {
    setGroups((gs) => {
      const next = gs.map((g, k) => (k === from ? { ...g, noteIds: g.noteIds.filter((id) => id !== noteId) } : g));
      if (to === NEW_GROUP) next.push({ name: `${gs[from]!.name} (split)`, definition: '', noteIds: [noteId] });
      else if (to !== DROP) {
        const t = Number(to);
        next[t] = { ...next[t]!, noteIds: [...next[t]!.noteIds, noteId] };
      }
      return next.filter((g) => g.noteIds.length > 0);
    });
  };
  const mergeGroup = (from: number, into: number) =>
    setGroups((gs) =>
      gs
        .map((g, k) => (k === into ? { ...g, noteIds: [...g.noteIds, ...gs[from]!.noteIds.filter((id) => !g.noteIds.includes(id))] } : g))
        .filter((_, k) => k !== from),
    );

  return (
    <section className="ea-notes lb-critiques" aria-label="Open-coding notes" data-testid="axial-coding">
      <div className="ea-propose-bar">
        <h3 className="lb-block-title">
          Notes <span className="dim">{notes.length}</span>
        </h3>
        <span className="spacer" />
        <button type="button" className="button primary" disabled={busy} onClick={() => void propose()} data-testid="propose-modes">
          <kbd>g</kbd> {busy ? 'Asking the model…' : 'Propose failure modes'}
        </button>
      </div>
      {error ? (
        <div className="text-error" role="alert" data-testid="axial-error">
          {error}
        </div>
      ) : null}
      {proposal?.problem ? (
        <div className="ea-problem" role="status" data-testid="axial-problem">
          {proposal.problem}
          {proposal.problem.startsWith('model not configured') ? (
            <>
              {' '}
              <a href={judgesHash({ page: 'settings' })} className="link-button" data-testid="axial-settings-link">
                Model settings
              </a>
              . Meanwhile, code notes by hand below.
            </>
          ) : null}
        </div>
      ) : null}
      {groups.length ? (
        <div data-testid="proposed-groups">
          <div className="ea-group-actions">
            <span className="dim">
              {groups.length} proposed group{groups.length === 1 ? '' : 's'} from {proposal?.model ?? 'the model'}
              {proposal?.ungrouped.length ? ` · ${proposal.ungrouped.length} note(s) left out` : ''}
            </span>
            <span className="spacer" />
            <button type="button" className="button primary" onClick={() => void accept(groups)} data-testid="accept-all-groups">
              Accept all
            </button>
            <button type="button" className="button ghost" onClick={() => setGroups([])}>
              Discard
            </button>
          </div>
          {groups.map((g, i) => (
            <div key={i} className="ea-group" data-testid="proposed-group" data-group={g.name}>
              <div className="ea-group-head">
                <input
                  className="control"
                  value={g.name}
                  aria-label={`Name of proposed group ${i + 1}`}
                  data-testid="group-name"
                  onChange={(e) => updateGroup(i, { name: e.currentTarget.value })}
                />
                <input
                  className="control"
                  value={g.definition}
                  placeholder="definition"
                  aria-label={`Definition of proposed group ${i + 1}`}
                  data-testid="group-definition"
                  onChange={(e) => updateGroup(i, { definition: e.currentTarget.value })}
                />
              </div>
              <ul className="ea-group-members">
                {g.noteIds.map((id) => (
                  <li key={id} data-testid="group-member" data-note-id={id}>
                    <span className="lb-grow">{byId.get(id)?.text ?? `note ${id}`}</span>
                    <select
                      className="control"
                      value=""
                      aria-label={`Move note ${id} to`}
                      data-testid="member-move"
                      onChange={(e) => e.currentTarget.value && moveNote(i, id, e.currentTarget.value)}
                    >
                      <option value="">move to…</option>
                      {groups.map((o, k) =>
                        k === i ? null : (
                          <option key={k} value={String(k)}>
                            {o.name}
                          </option>
                        ),
                      )}
                      <option value={NEW_GROUP}>a new group (split)</option>
                      <option value={DROP}>no group</option>
                    </select>
                  </li>
                ))}
              </ul>
              <div className="ea-group-actions">
                <button type="button" className="button" onClick={() => void accept([g])} data-testid="accept-group">
                  Accept
                </button>
                {groups.length > 1 ? (
                  <select
                    className="control"
                    value=""
                    aria-label={`Merge ${g.name} into`}
                    data-testid="group-merge"
                    onChange={(e) => e.currentTarget.value && mergeGroup(i, Number(e.currentTarget.value))}
                  >
                    <option value="">merge into…</option>
                    {groups.map((o, k) =>
                      k === i ? null : (
                        <option key={k} value={String(k)}>
                          {o.name}
                        </option>
                      ),
                    )}
                  </select>
                ) : null}
                <button type="button" className="button ghost" onClick={() => setGroups((gs) => gs.filter((_, k) => k !== i))}>
                  Drop
                </button>
              </div>
            </div>
          ))}
        </div>
      ) : null}
      {notes.length === 0 ? <div className="dim">No notes yet: mark first failures (x) and write notes (m, w) while labelling.</div> : null}
      <datalist id="ea-mode-names">
        {modes.map((m) => (
          <option key={m.name} value={m.name} />
        ))}
      </datalist>
      <div role="list" aria-label="Notes">
        {notes.map((n) => (
          <NoteCodeRow key={`${n.id}:${n.mode ?? ''}`} note={n} onCode={(mode) => void code([n.id], mode)} />
        ))}
      </div>
    </section>
  );
}

function NoteCodeRow({ note, onCode }: { note: SpanNoteDto; onCode(mode: string | null): void }) {
  const [mode, setMode] = useState(note.mode ?? '');
  const commit = () => {
    const m = mode.trim();
    if (m === (note.mode ?? '')) return;
    onCode(m || null);
  };
  return (
    <div className="ea-note-row" role="listitem" data-testid="note-row" data-note-id={note.id} data-mode={note.mode ?? ''}>
      <div>
        <div className="ea-note-where">
          {note.firstFailure ? <span className="lb-first-failure">⚑ first failure</span> : null}{' '}
          <button type="button" className="link-button mono" onClick={() => navigate(traceHash(note.traceId))}>
            {note.traceId.length > 32 ? `${note.traceId.slice(0, 31)}…` : note.traceId}
          </button>
          {' · '}
          {note.spanId ? `${note.spanName ?? note.spanId} (${note.spanKind ?? 'span'})` : 'whole trace'}
        </div>
        <div className="lb-note-text" data-testid="note-row-text">
          {note.text || <span className="dim">(no text)</span>}
        </div>
      </div>
      <input
        className="control"
        list="ea-mode-names"
        value={mode}
        placeholder="failure mode…"
        aria-label={`Failure mode of note ${note.id}`}
        data-testid="note-mode"
        onChange={(e) => setMode(e.currentTarget.value)}
        onBlur={commit}
        onKeyDown={(e) => {
          if (e.key === 'Enter') {
            e.preventDefault();
            commit();
          }
          if (e.key === 'Escape') setMode(note.mode ?? '');
        }}
      />
    </div>
  );
}
