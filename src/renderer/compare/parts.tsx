import { useEffect, useState } from 'react';
import type { DiffVerdictStatus, VersionGroupByDto } from '../../shared/api';
import { traceHash } from '../app/router';

/** Small pieces shared by the compare views. */

export function VerdictPill({ status }: { status: DiffVerdictStatus | null }) {
  if (status === null) return <span className="cmp-verdict none">—</span>;
  return <span className={`cmp-verdict ${status}`}>{status}</span>;
}

export type Load<T> = { state: 'loading' } | { state: 'error'; message: string } | { state: 'ok'; data: T };

/** Run a client call whenever `deps` change; the latest answer wins. */
export function useCall<T>(run: (() => Promise<T>) | null, deps: unknown[]): Load<T> | null {
  const [load, setLoad] = useState<Load<T> | null>(null);
  useEffect(() => {
    if (!run) {
      setLoad(null);
      return;
    }
    let live = true;
    setLoad((l) => (l?.state === 'ok' ? l : { state: 'loading' }));
    run().then(
      (data) => live && setLoad({ state: 'ok', data }),
      (e: unknown) => live && setLoad({ state: 'error', message: e instanceof Error ? e.message : String(e) }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- like useEffect itself, the caller lists what `run` reads in `deps`
  }, deps);
  return load;
}

export function ErrorBox({ message }: { message: string }) {
  return (
    <pre className="import-error pad" role="alert">
      {message}
    </pre>
  );
}

const BY_OPTIONS: { value: VersionGroupByDto['by']; label: string }[] = [
  { value: 'attribute', label: 'Attribute' },
  { value: 'version', label: 'Version column (service.version)' },
  { value: 'tag', label: 'Tag' },
  { value: 'import', label: 'Import batch' },
];

/** How traces are grouped into versions: by a version column, an attribute, a tag or the import. */
export function GroupByPicker({ value, onChange }: { value: VersionGroupByDto; onChange(g: VersionGroupByDto): void }) {
  const [key, setKey] = useState('key' in value ? (value.key ?? '') : '');
  useEffect(() => setKey('key' in value ? (value.key ?? '') : ''), [value]);
  const commitKey = () => {
    if (value.by === 'attribute' && key.trim() && key.trim() !== value.key) onChange({ by: 'attribute', key: key.trim() });
    if (value.by === 'tag' && key.trim() !== (value.key ?? '')) onChange(key.trim() ? { by: 'tag', key: key.trim() } : { by: 'tag' });
  };
  return (
    <span className="cmp-groupby">
      <label className="dim" htmlFor="cmp-groupby-by">
        Group by
      </label>
      <select
        id="cmp-groupby-by"
        className="cmp-select"
        data-testid="group-by"
        value={value.by}
        onChange={(e) => {
          const by = e.currentTarget.value as VersionGroupByDto['by'];
          onChange(by === 'attribute' ? { by, key: 'gen_ai.agent.version' } : by === 'tag' ? { by } : { by });
        }}
      >
        {BY_OPTIONS.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      {value.by === 'attribute' || value.by === 'tag' ? (
        <input
          className="cmp-input mono"
          data-testid="group-by-key"
          value={key}
          placeholder={value.by === 'attribute' ? 'gen_ai.agent.version' : 'prefix, e.g. version:'}
          aria-label={value.by === 'attribute' ? 'Attribute key' : 'Tag prefix'}
          onChange={(e) => setKey(e.currentTarget.value)}
          onBlur={commitKey}
          onKeyDown={(e) => {
            if (e.key === 'Enter') commitKey();
          }}
        />
      ) : null}
    </span>
  );
}

const shortId = (id: string) => (id.length > 14 ? `${id.slice(0, 12)}…` : id);

/** A trace's name linking to it, with its id: runs of one task often share a name. */
export function TraceLink({ traceId, name }: { traceId: string; name: string | null }) {
  return (
    <a className="cmp-trace-link" href={traceHash(traceId)} title={traceId}>
      {name && name !== traceId ? (
        <>
          {name} <span className="cmp-trace-id">{shortId(traceId)}</span>
        </>
      ) : (
        traceId
      )}
    </a>
  );
}
