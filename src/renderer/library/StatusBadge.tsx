import type { SpanStatus } from '../../shared/api';

/** The run's outcome. Error spans below the root (failed tool calls …) do not make a run fail. */
export function StatusBadge({ status, errors }: { status: SpanStatus; errors: number }) {
  const spans = errors > 0 ? ` · ${errors} span${errors === 1 ? '' : 's'} with status error` : '';
  if (status === 'error') {
    return (
      <span className="badge badge-error" title={`The run failed${spans}`}>
        failed
      </span>
    );
  }
  if (status === 'ok') return <span className="badge badge-ok" title={`The run succeeded${spans}`}>ok</span>;
  return <span className="badge badge-unset" title={`The source states no outcome${spans}`}>unset</span>;
}
