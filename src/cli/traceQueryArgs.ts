import type { TraceQuery } from '../shared/api';
import { TraceQuerySchema } from '../shared/traceQuerySchema';
import { UsageError } from './exitCodes';

/**
 * Checks trace filters assembled from command-line text against the contract's TraceQuerySchema
 * (the same rules the UI's filters and the backend obey), so an invalid value is a usage error
 * naming the option — never a silent default. `optionOf` names the option a query field came from
 * (`formats` → `--format`, `minSpans` → `--traces min-spans`).
 */
export function checkTraceQuery(raw: Record<string, unknown>, optionOf: (field: string) => string): TraceQuery {
  const query: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (v !== undefined) query[k] = v;
  const r = TraceQuerySchema.safeParse(query, { reportInput: true });
  if (r.success) return r.data;
  const problems = r.error.issues.map((i) => {
    const field = String(i.path[0] ?? '');
    const got = 'input' in i && i.input !== undefined ? ` (got ${JSON.stringify(i.input)})` : '';
    const message = i.message.replace(/^Invalid (input|option): /, '');
    return `${optionOf(field)}: ${message.charAt(0).toLowerCase() + message.slice(1)}${got}`;
  });
  throw new UsageError(problems.join('; '));
}
