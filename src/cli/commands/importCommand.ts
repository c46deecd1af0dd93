import { resolve } from 'node:path';
import { FORMAT_IDS } from '../../shared/api';
import { oneOf, parseCommandArgs } from '../args';
import { EXIT, UsageError } from '../exitCodes';
import { outcomeJson, toJson } from '../jsonShapes';
import { withBackend } from '../openBackend';
import type { Output } from '../output';
import { resolveWorkspacePath } from '../workspacePath';

const MAX_WARNINGS_SHOWN = 10;

export async function importCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    workspace: { type: 'string' },
    format: { type: 'string' },
    force: { type: 'boolean' },
    'keep-both': { type: 'boolean' },
    json: { type: 'boolean' },
  });
  if (positionals.length === 0) throw new UsageError('import needs at least one FILE');
  const format = oneOf('format', values.format, FORMAT_IDS);
  const workspace = resolveWorkspacePath(values.workspace);

  // Absolute paths: the workspace records where each trace came from, whatever the cwd was.
  // The import prepares big traces for viewing (as every entry point's import does).
  const outcomes = await withBackend(workspace, (b) =>
    b.importPaths(
      positionals.map((p) => resolve(p)),
      undefined,
      { format, force: values.force, keepBoth: values['keep-both'] },
    ),
  );

  if (values.json) await io.out(toJson(outcomes.map(outcomeJson)) + '\n');
  for (const o of outcomes) {
    if (!o.ok) {
      io.err(`tracedeck: import failed: ${o.error}\n`);
      continue;
    }
    if (!values.json) {
      const traces = o.traceIds.length;
      await io.out(
        `${o.source}: ${o.format}, ${traces} trace${traces === 1 ? '' : 's'}, ${o.spanCount} span${o.spanCount === 1 ? '' : 's'}, ` +
          `${o.warnings.length} warning${o.warnings.length === 1 ? '' : 's'}${o.unchanged ? ' (already imported, unchanged)' : ''}\n`,
      );
      for (const w of o.warnings.slice(0, MAX_WARNINGS_SHOWN)) io.err(`warning: ${w}\n`);
      if (o.warnings.length > MAX_WARNINGS_SHOWN)
        io.err(`warning: … ${o.warnings.length - MAX_WARNINGS_SHOWN} more for ${o.source} (see --json)\n`);
    }
  }
  return outcomes.every((o) => o.ok) ? EXIT.ok : EXIT.failed;
}
