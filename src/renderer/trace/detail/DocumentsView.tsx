import type { RetrievedDocument } from '../../../shared/api';
import { showControls } from '../../util/untrustedText';
import { JsonView } from './JsonView';
import { MessageText, RawToggle } from './MessageText';

/**
 * The documents a retrieval span returned, in rank order: id, score (with a bar on the 0–1 scale
 * when it is on it), content (Markdown or raw, the same choice as messages) and metadata.
 */
export function DocumentsView({ documents }: { documents: RetrievedDocument[] }) {
  const onUnitScale = documents.every((d) => d.score === undefined || (d.score >= 0 && d.score <= 1));
  return (
    <div className="documents" data-testid="documents">
      <div className="conv-summary">
        <span className="dim">
          {documents.length} document{documents.length === 1 ? '' : 's'} retrieved
        </span>
        <span className="spacer" />
        <RawToggle />
      </div>
      <ol className="doc-list">
        {documents.map((d, i) => (
          <li key={i} className="doc" data-testid="document">
            <div className="doc-head">
              <span className="doc-rank">#{i + 1}</span>
              {d.id ? <span className="mono untrusted doc-id">{showControls(d.id)}</span> : <span className="dim">no id</span>}
              <span className="spacer" />
              {d.score !== undefined ? (
                <span className="doc-score" data-testid="document-score" title={`score ${d.score}`}>
                  {onUnitScale ? (
                    <span className="doc-score-bar" aria-hidden="true">
                      <span style={{ width: `${Math.round(d.score * 100)}%` }} />
                    </span>
                  ) : null}
                  <span className="mono">{Number(d.score.toFixed(4))}</span>
                </span>
              ) : null}
            </div>
            <MessageText text={d.content} />
            {d.metadata ? (
              <details className="doc-meta">
                <summary>metadata ({Object.keys(d.metadata).length})</summary>
                <JsonView value={d.metadata} expandDepth={1} sortKeys />
              </details>
            ) : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
