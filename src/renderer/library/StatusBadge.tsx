import type { SpanStatus } from '../../shared/api';

export function StatusBadge({ status, errors }: { status: SpanStatus; errors: number }) {
  if (status === 'error' || errors > 0) {
    return (
      <span className="badge badge-error" title={`${errors} span${errors === 1 ? '' : 's'} with status error`}>
        error{errors > 1 ? ` ${errors}` : ''}
      </span>
    );
  }
  if (status === 'ok') return <span className="badge badge-ok">ok</span>;
  return <span className="badge badge-unset">unset</span>;
}
