import type { RecordedEvaluation } from '../../../shared/api';
import { showControls } from '../../util/untrustedText';
import { valueText, verdictClass } from '../notes';

/** The scores and notes recorded for one span (Langfuse observation scores, span feedback …). */
export function SpanNotes({ evaluations }: { evaluations: RecordedEvaluation[] }) {
  return (
    <ul className="span-notes" data-testid="span-notes">
      {evaluations.map((e, i) => (
        <li key={i} className="span-note" data-testid="span-note" data-pass={e.pass === null ? 'none' : String(e.pass)}>
          <div className="span-note-head">
            <span className="mono">{e.name}</span>
            <span className="mono">{valueText(e.value)}</span>
            <span className={`badge ${verdictClass(e.pass)}`}>{e.pass === null ? 'no verdict' : e.pass ? 'pass' : 'fail'}</span>
            <span className="spacer" />
            <span className="dim">{[e.source, e.author].filter(Boolean).join(' · ')}</span>
          </div>
          {e.comment ? <div className="span-note-comment untrusted">{showControls(e.comment)}</div> : null}
        </li>
      ))}
    </ul>
  );
}
