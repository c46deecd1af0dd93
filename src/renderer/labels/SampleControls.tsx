import { useEffect, useState } from 'react';
import { CLUSTER_FIELDS, type ClusterField, type ClusterSampleView, type QueueSpec, type SampleSources } from '../../shared/api';
import { useClient } from '../client/ClientContext';
import { errorText } from './errorText';

const CLUSTER_FIELD_LABEL: Record<ClusterField, string> = {
  input: 'first user input',
  output: 'final output',
  expected: 'expected answer',
  name: 'trace name',
};

/**
 * The choices of the sampled queue orders: which field clusters embed and how big the sample is;
 * which judge's failures; which recorded evaluation. A source is picked for the user when the
 * order needs one and none is chosen.
 */
export function SampleControls({ spec, onChange }: { spec: QueueSpec; onChange(next: QueueSpec): void }) {
  const client = useClient();
  const [sources, setSources] = useState<SampleSources | null>(null);
  useEffect(() => {
    client.call('sampleSources', {}).then(setSources, () => undefined);
  }, [client]);

  const options =
    spec.order === 'judgeFailed'
      ? (sources?.judges ?? []).map((j) => ({ value: j.id, label: `${j.name} (${j.verdicts})` }))
      : spec.order === 'recorded'
        ? (sources?.recorded ?? []).map((r) => ({ value: r.name, label: `${r.name} (${r.traces})` }))
        : [];
  const needsSource = spec.order === 'judgeFailed' || spec.order === 'recorded';
  const sourceValid = options.some((o) => o.value === spec.source);
  useEffect(() => {
    if (needsSource && sources && !sourceValid && options[0]) onChange({ ...spec, source: options[0].value });
  });

  if (spec.order === 'clusters') {
    return (
      <>
        <select
          className="control"
          value={spec.clusterField ?? 'input'}
          aria-label="Cluster by"
          data-testid="cluster-field"
          onChange={(e) => onChange({ ...spec, clusterField: e.currentTarget.value as ClusterField })}
        >
          {CLUSTER_FIELDS.map((f) => (
            <option key={f} value={f}>
              {CLUSTER_FIELD_LABEL[f]}
            </option>
          ))}
        </select>
        <label className="lb-field">
          <span className="dim">Sample</span>
          <input
            className="control lb-num"
            type="number"
            min={1}
            max={100000}
            value={spec.sampleSize ?? 100}
            aria-label="Sample size"
            data-testid="cluster-sample-size"
            onChange={(e) => {
              const n = Math.round(Number(e.currentTarget.value));
              if (n >= 1) onChange({ ...spec, sampleSize: n });
            }}
          />
        </label>
      </>
    );
  }
  if (!needsSource) return null;
  if (sources && options.length === 0) {
    return (
      <span className="dim" data-testid="sample-source-none">
        {spec.order === 'judgeFailed' ? 'No judge has verdicts yet: run a judge first.' : 'No recorded evaluations in the imported files.'}
      </span>
    );
  }
  return (
    <select
      className="control"
      value={sourceValid ? spec.source : ''}
      aria-label={spec.order === 'judgeFailed' ? 'Judge' : 'Recorded evaluation'}
      data-testid="sample-source"
      onChange={(e) => onChange({ ...spec, source: e.currentTarget.value })}
    >
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </select>
  );
}

/** The clusters behind the 'clusters' order: words, sizes, each one's share of the sample. */
export function ClusterSummary({ spec }: { spec: QueueSpec }) {
  const client = useClient();
  const [view, setView] = useState<ClusterSampleView | null>(null);
  const [error, setError] = useState<string | null>(null);
  const key = JSON.stringify([spec.clusterField, spec.sampleSize, spec.seed]);
  useEffect(() => {
    let on = true;
    setView(null);
    setError(null);
    client
      .call('clusterSample', { clusterField: spec.clusterField, sampleSize: spec.sampleSize, seed: spec.seed })
      .then((v) => on && setView(v), (e: unknown) => on && setError(errorText(e)));
    return () => {
      on = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [client, key]);
  if (error) return <div className="text-error pad" role="alert">{error}</div>;
  if (!view) return <div className="dim pad">Clustering…</div>;
  return (
    <details className="lb-clusters" open data-testid="cluster-summary">
      <summary>
        {view.clusters.length} cluster{view.clusters.length === 1 ? '' : 's'} of {view.traces} traces · sample of {view.sampleSize}
        {view.withoutText ? ` · ${view.withoutText} without text (last)` : ''} ·{' '}
        <span data-testid="cluster-source">
          {view.source.kind === 'embeddings' ? `embeddings: ${view.source.model}` : `TF-IDF — ${view.source.reason}`}
        </span>
      </summary>
      <table className="lb-table">
        <thead>
          <tr>
            <th>Cluster</th>
            <th>Words</th>
            <th className="num">Traces</th>
            <th className="num">In sample</th>
            <th>Examples</th>
          </tr>
        </thead>
        <tbody>
          {view.clusters.map((c) => (
            <tr key={c.index} data-testid="cluster-row">
              <td>{c.index + 1}</td>
              <td>{c.terms.join(', ')}</td>
              <td className="num">{c.size}</td>
              <td className="num" data-testid="cluster-sampled">
                {c.sampled}
              </td>
              <td className="lb-cluster-examples">{c.examples.join(' · ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}
