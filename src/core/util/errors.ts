/**
 * An import failure the user can act on: always names the file, and where known the line, byte
 * offset, JSON path or span. Importers throw this; the pipeline rolls the transaction back.
 */
export class ImportError extends Error {
  readonly file: string;
  readonly line?: number;
  readonly column?: number;
  readonly offset?: number;
  readonly path?: string;
  readonly spanId?: string;

  constructor(
    file: string,
    detail: string,
    where: { line?: number; column?: number; offset?: number; path?: string; spanId?: string } = {},
  ) {
    super(`${file}${formatWhere(where)}: ${detail}`);
    this.name = 'ImportError';
    this.file = file;
    Object.assign(this, where);
  }
}

function formatWhere(w: { line?: number; column?: number; offset?: number; path?: string; spanId?: string }): string {
  const parts: string[] = [];
  if (w.line !== undefined) parts.push(`line ${w.line}${w.column !== undefined ? `:${w.column}` : ''}`);
  if (w.offset !== undefined && w.line === undefined) parts.push(`byte ${w.offset}`);
  if (w.path) parts.push(`at ${w.path}`);
  if (w.spanId) parts.push(`span ${w.spanId}`);
  return parts.length ? ` (${parts.join(', ')})` : '';
}

export function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
