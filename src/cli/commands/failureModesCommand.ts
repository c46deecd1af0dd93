import { formatRate } from '../../shared/format';
import type { FirstFailureMatrix, SaturationView, SpanNoteDto } from '../../shared/api';
import { parseCommandArgs } from '../args';
import { EXIT, UsageError } from '../exitCodes';
import { withBackend } from '../openBackend';
import type { Output } from '../output';
import { resolveWorkspacePath } from '../workspacePath';

/**
 * `tracedeck failure-modes [--json]`: the failure taxonomy from error analysis — each mode's count
 * among reviewed traces with a 95% Wilson interval, the saturation curve, and where agents fail
 * first (last successful step → first failing step).
 */
export async function failureModesCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { workspace: { type: 'string' }, json: { type: 'boolean' } });
  if (positionals.length > 0) throw new UsageError(`failure-modes takes no arguments (got '${positionals[0]}')`);
  const { saturation, matrix } = await withBackend(resolveWorkspacePath(values.workspace), async (b) => ({
    saturation: await b.call('saturation', {}),
    matrix: await b.call('firstFailureMatrix', {}),
  }));
  await io.out(values.json ? `${JSON.stringify({ saturation, firstFailures: matrix }, null, 2)}\n` : taxonomyText(saturation, matrix));
  return EXIT.ok;
}

export function taxonomyText(s: SaturationView, m: FirstFailureMatrix): string {
  const modes = s.curve.at(-1)?.modes ?? 0;
  const lines = [
    `Reviewed ${s.reviewed} of ${s.target} traces (labelled pass or fail) · ${modes} failure mode${modes === 1 ? '' : 's'}` +
      (s.reviewed && modes ? ` · ${s.sinceLastNew} trace${s.sinceLastNew === 1 ? '' : 's'} since the last new mode` : ''),
  ];
  if (s.modes.length) {
    const w = Math.max(12, ...s.modes.map((x) => x.name.length));
    lines.push('', `${'failure mode'.padEnd(w)}  traces   rate  95% interval (Wilson)`);
    for (const x of s.modes)
      lines.push(`${x.name.padEnd(w)}  ${String(x.count).padStart(6)}  ${formatRate(x.rate).padStart(5)}  ${formatRate(x.ci[0])}–${formatRate(x.ci[1])}`);
  }
  const news = s.curve.filter((p) => p.newModes.length);
  if (news.length) {
    lines.push('', 'Saturation (trace in review order: new modes):');
    for (const p of news) lines.push(`  ${String(p.reviewed).padStart(4)}  ${p.newModes.join(', ')}`);
  }
  lines.push('', `First failures: ${m.traces} marked trace${m.traces === 1 ? '' : 's'}${m.missing ? ` (${m.missing} marked span(s) gone)` : ''}`);
  for (const c of m.cells) lines.push(`  ${c.from} → ${c.to}: ${c.count}`);
  return `${lines.join('\n')}\n`;
}

/** `tracedeck labels notes [--trace ID] [--mode NAME] [--json]`: the open-coding notes. */
export async function notesCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    workspace: { type: 'string' },
    json: { type: 'boolean' },
    trace: { type: 'string' },
    mode: { type: 'string' },
  });
  if (positionals.length > 0) throw new UsageError(`labels notes takes no arguments (got '${positionals[0]}')`);
  const notes = await withBackend(resolveWorkspacePath(values.workspace), (b) =>
    b.call('listSpanNotes', { ...(values.trace ? { traceId: values.trace } : {}), ...(values.mode ? { mode: values.mode } : {}) }),
  );
  await io.out(values.json ? `${JSON.stringify(notes, null, 2)}\n` : notesText(notes));
  return EXIT.ok;
}

function notesText(notes: SpanNoteDto[]): string {
  if (!notes.length) return 'No notes.\n';
  return `${notes
    .map((n) => {
      const where = n.spanId ? `${n.spanId} ${n.spanName ?? ''}${n.spanKind ? ` (${n.spanKind})` : ''}`.trim() : '(trace)';
      const flags = [n.firstFailure ? 'FIRST FAILURE' : null, n.mode ? `[${n.mode}]` : null].filter(Boolean).join(' ');
      return `${n.traceId}  ${where}${flags ? `  ${flags}` : ''}\n    ${n.text.replace(/\s+/g, ' ') || '(no text)'}`;
    })
    .join('\n')}\n`;
}
