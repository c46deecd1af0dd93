import { useCallback, useEffect, useState } from 'react';
import type { FailureModeDto, LabelDto } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { navigate, traceHash } from '../app/router';
import { judgesHash } from '../judges/routes';
import { errorText } from './errorText';
import { formatRate } from '../../shared/format';
import { AxialCodingPanel } from './AxialCodingPanel';


/**
 * Failure modes (axial coding): the named modes with their definitions, how many traces each is
 * tagged on and its rate among labelled traces; create, rename, merge, delete. Beside them the
 * open-coding notes to code by hand or group with the model (AxialCodingPanel), and the critiques
 * to read and tag from.
 */
export function FailureModesView() {
  const client = useClient();
  const [modes, setModes] = useState<FailureModeDto[] | null>(null);
  const [labels, setLabels] = useState<LabelDto[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [name, setName] = useState('');
  const [definition, setDefinition] = useState('');

  const reload = useCallback(() => {
    client.call('listFailureModes', {}).then(setModes, (e: unknown) => setError(errorText(e)));
    client.call('listLabels', {}).then(setLabels, (e: unknown) => setError(errorText(e)));
  }, [client]);
  useEffect(reload, [reload]);

  const run = async (p: Promise<FailureModeDto[]>) => {
    try {
      setModes(await p);
      setError(null);
      client.call('listLabels', {}).then(setLabels, () => undefined);
    } catch (e) {
      setError(errorText(e));
    }
  };

  /** Draft a judge for the mode and open it in the judge editor (asks before replacing one). */
  const draft = async (mode: string, kind: 'llm' | 'code') => {
    try {
      let r = await client.call('draftJudgeFromMode', { mode, kind });
      if (r.exists && window.confirm(`A judge ${r.judge.id} exists already. Replace it with a fresh draft? (Cancel opens it as it is.)`))
        r = await client.call('draftJudgeFromMode', { mode, kind, replace: true });
      navigate(judgesHash({ page: 'judges', judgeId: r.judge.id, newKind: null }));
    } catch (e) {
      setError(errorText(e));
    }
  };

  const labelled = labels.filter((l) => l.verdict !== 'defer').length;
  const critiques = labels
    .filter((l) => l.critique.trim())
    .sort((a, b) => (a.verdict === b.verdict ? b.updatedAt - a.updatedAt : a.verdict === 'fail' ? -1 : b.verdict === 'fail' ? 1 : 0));

  return (
    <div className="lb-modes with-notes" data-testid="failure-modes-view">
      <section className="lb-modes-main">
        <form
          className="lb-mode-form"
          onSubmit={(e) => {
            e.preventDefault();
            if (!name.trim()) return;
            void run(client.call('saveFailureMode', { name: name.trim(), definition: definition.trim() }));
            setName('');
            setDefinition('');
          }}
        >
          <input
            className="control"
            value={name}
            placeholder="New failure mode"
            aria-label="New failure mode name"
            data-testid="new-mode-name"
            onChange={(e) => setName(e.currentTarget.value)}
          />
          <input
            className="control lb-grow"
            value={definition}
            placeholder="One-line definition: when does a trace have it?"
            aria-label="New failure mode definition"
            data-testid="new-mode-definition"
            onChange={(e) => setDefinition(e.currentTarget.value)}
          />
          <button type="submit" className="button primary" data-testid="new-mode-add">
            Add
          </button>
        </form>
        {error ? (
          <div className="text-error pad" role="alert">
            {error}
          </div>
        ) : null}
        <div className="dim lb-modes-note">
          Rates are over the {labelled} trace{labelled === 1 ? '' : 's'} labelled pass or fail.
        </div>
        {modes && modes.length === 0 ? (
          <div className="empty-state">
            <div className="empty-title">No failure modes yet</div>
            <div className="dim">Read the critiques, name what goes wrong, then tag traces (t in labelling mode).</div>
          </div>
        ) : null}
        {modes && modes.length > 0 ? (
          <table className="lb-table" data-testid="modes-table">
            <thead>
              <tr>
                <th>Failure mode</th>
                <th>Definition</th>
                <th className="num">Traces</th>
                <th className="num">Rate</th>
                <th>Judge</th>
                <th>Merge / delete</th>
              </tr>
            </thead>
            <tbody>
              {modes.map((m) => (
                <ModeRow
                  key={`${m.id}:${m.name}`}
                  mode={m}
                  others={modes.filter((o) => o.name !== m.name).map((o) => o.name)}
                  onRename={(to) => run(client.call('renameFailureMode', { from: m.name, to }))}
                  onDefine={(d) => run(client.call('saveFailureMode', { name: m.name, definition: d }))}
                  onMerge={(into) => run(client.call('mergeFailureModes', { from: m.name, into }))}
                  onDelete={() => run(client.call('deleteFailureMode', { name: m.name }))}
                  onDraft={(kind) => void draft(m.name, kind)}
                />
              ))}
            </tbody>
          </table>
        ) : null}
      </section>
      <AxialCodingPanel
        modes={modes ?? []}
        onModes={(m) => {
          setModes(m);
          client.call('listLabels', {}).then(setLabels, () => undefined);
        }}
      />
      <section className="lb-critiques" aria-label="Critiques">
        <h3 className="lb-block-title">
          Critiques <span className="dim">{critiques.length}</span>
        </h3>
        {critiques.length === 0 ? <div className="dim">No critiques yet: write them while labelling (c).</div> : null}
        <ul className="lb-critique-list">
          {critiques.map((l) => (
            <li key={l.traceId} className="lb-critique-item" data-testid="critique-item">
              <div className="lb-critique-head">
                <span className={`lb-verdict-badge ${l.verdict}`}>{l.verdict}</span>
                <button type="button" className="link-button mono" onClick={() => navigate(traceHash(l.traceId))}>
                  {l.traceId.length > 40 ? `${l.traceId.slice(0, 39)}…` : l.traceId}
                </button>
              </div>
              <div className="lb-critique-text">{l.critique}</div>
              <div className="lb-chips">
                {l.failureModes.map((t) => (
                  <span key={t} className="lb-chip">
                    {t}
                  </span>
                ))}
                {modes && modes.some((m) => !l.failureModes.includes(m.name)) ? (
                  <select
                    className="control lb-tag-select"
                    value=""
                    aria-label={`Tag ${l.traceId}`}
                    onChange={(e) => {
                      const mode = e.currentTarget.value;
                      if (!mode) return;
                      client.call('tagTrace', { traceId: l.traceId, mode }).then(reload, (err: unknown) => setError(errorText(err)));
                    }}
                  >
                    <option value="">+ tag</option>
                    {modes
                      .filter((m) => !l.failureModes.includes(m.name))
                      .map((m) => (
                        <option key={m.name} value={m.name}>
                          {m.name}
                        </option>
                      ))}
                  </select>
                ) : null}
              </div>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}

interface RowProps {
  mode: FailureModeDto;
  others: string[];
  onRename(to: string): void;
  onDefine(definition: string): void;
  onMerge(into: string): void;
  onDelete(): void;
  onDraft(kind: 'llm' | 'code'): void;
}

function ModeRow({ mode, others, onRename, onDefine, onMerge, onDelete, onDraft }: RowProps) {
  const [name, setName] = useState(mode.name);
  const [definition, setDefinition] = useState(mode.definition);
  const [into, setInto] = useState('');
  const commitName = () => {
    const n = name.replace(/\s+/g, ' ').trim(); // a pasted line break is a space in a name
    if (n && n !== mode.name) onRename(n);
    else setName(mode.name);
  };
  const commitDefinition = () => {
    if (definition.trim() !== mode.definition) onDefine(definition.trim());
  };
  return (
    <tr data-testid="mode-row" data-mode={mode.name}>
      <td>
        {/* Text areas that wrap: a mode's name and definition are read whole, not a few letters. */}
        <textarea
          className="control lb-inline lb-wrap lb-mode-name"
          rows={1}
          value={name}
          aria-label={`Name of ${mode.name}`}
          onChange={(e) => setName(e.currentTarget.value)}
          onBlur={commitName}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault(); // a name is one line: Enter commits it
              e.currentTarget.blur();
            }
            if (e.key === 'Escape') setName(mode.name);
          }}
        />
      </td>
      <td>
        <textarea
          className="control lb-inline lb-wrap lb-mode-definition"
          rows={1}
          value={definition}
          placeholder="no definition yet"
          aria-label={`Definition of ${mode.name}`}
          onChange={(e) => setDefinition(e.currentTarget.value)}
          onBlur={commitDefinition}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault(); // one line, as the drafted judge's prompt quotes it
              e.currentTarget.blur();
            }
            if (e.key === 'Escape') setDefinition(mode.definition);
          }}
        />
      </td>
      <td className="num" data-testid="mode-count">
        {mode.count}
      </td>
      <td className="num" data-testid="mode-rate">
        {formatRate(mode.rate)}
      </td>
      <td className="lb-row-actions">
        <button type="button" className="button" onClick={() => onDraft('llm')} data-testid="draft-llm-judge" title="An LLM judge from the definition, with train-split examples">
          Draft LLM judge
        </button>
        <button type="button" className="button ghost" onClick={() => onDraft('code')} data-testid="draft-code-judge" title="A code-judge skeleton to fill in">
          Code skeleton
        </button>
      </td>
      <td className="lb-row-actions">
        {others.length ? (
          <>
            <select className="control" value={into} aria-label={`Merge ${mode.name} into`} onChange={(e) => setInto(e.currentTarget.value)}>
              <option value="">merge into…</option>
              {others.map((o) => (
                <option key={o} value={o}>
                  {o}
                </option>
              ))}
            </select>
            <button type="button" className="button" disabled={!into} onClick={() => into && onMerge(into)}>
              Merge
            </button>
          </>
        ) : null}
        <button
          type="button"
          className="button ghost"
          onClick={() => {
            if (window.confirm(`Delete the failure mode “${mode.name}” and its ${mode.count} tag${mode.count === 1 ? '' : 's'}?`)) onDelete();
          }}
        >
          Delete
        </button>
      </td>
    </tr>
  );
}
