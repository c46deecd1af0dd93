import { parseCommandArgs } from '../args';
import { CliExit, EXIT, UsageError } from '../exitCodes';
import { spanJson, toJson, traceMetaJson, traceSummaryJson } from '../jsonShapes';
import { withBackend } from '../openBackend';
import { LineBuffer, type Output } from '../output';
import { spanTreeLines } from '../spanTree';
import { formatCost, formatDuration, formatTime, oneLine } from '../text';
import { resolveWorkspacePath } from '../workspacePath';

export async function showCommand(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, {
    workspace: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length !== 1) throw new UsageError('show needs exactly one TRACE_ID (see `tracedeck ls`)');
  const traceId = positionals[0]!;
  const workspace = resolveWorkspacePath(values.workspace);

  return withBackend(workspace, async (b) => {
    const ws = b.workspace;
    const trace = ws.getTrace(traceId);
    if (!trace) throw new CliExit(EXIT.notFound, `trace '${oneLine(traceId, 200)}' not found in ${workspace}`);
    const { meta, ...summary } = trace;
    const buf = new LineBuffer(io);

    if (values.json) {
      // Streamed span by span, byte-identical to JSON.stringify(whole, null, 2).
      await buf.line('{');
      await buf.line(`  "summary": ${indent(toJson(traceSummaryJson(summary)))},`);
      await buf.line(`  "meta": ${indent(toJson(traceMetaJson(meta)))},`);
      await buf.line(`  "evaluations": ${indent(toJson(ws.getRecordedEvaluations(traceId)))},`);
      // Each span is written once the next one is known, so its comma can end its last line.
      let pending: string | null = null;
      for (const span of ws.iterateSpans(traceId)) {
        await buf.line(pending === null ? '  "spans": [' : `${pending},`);
        pending = `    ${indent(toJson(spanJson(span)), '    ')}`;
      }
      if (pending === null) await buf.line('  "spans": []');
      else {
        await buf.line(pending);
        await buf.line('  ]');
      }
      await buf.line('}');
      await buf.flush();
      return EXIT.ok;
    }

    await buf.line(`Trace     ${summary.traceId}`);
    await buf.line(`Name      ${oneLine(summary.name, 200)}`);
    await buf.line(`Format    ${summary.format}    Source ${oneLine(summary.sourceFile, 200)}`);
    if (summary.service || summary.version)
      await buf.line(`Service   ${summary.service ?? '-'}    Version ${summary.version ?? '-'}`);
    await buf.line(
      `Start     ${formatTime(summary.startMs)}    Duration ${formatDuration(summary.durationMs)}    Status ${summary.status}`,
    );
    await buf.line(
      `Spans     ${summary.spanCount}    Errors ${summary.errorCount}    LLM calls ${summary.llmCalls}    ` +
        `Tool calls ${summary.toolCalls} (${summary.toolErrors} failed)    Tokens ${summary.inputTokens}/${summary.outputTokens}` +
        (summary.costUsd !== null ? `    Cost ${formatCost(summary.costUsd)}` : ''),
    );
    const evals = ws.getRecordedEvaluations(traceId);
    for (const e of evals) {
      const verdict = e.pass === null ? '-' : e.pass ? 'pass' : 'fail';
      await buf.line(`Eval      ${oneLine(e.name, 60)} = ${oneLine(JSON.stringify(e.value) ?? 'null', 40)} (${verdict}, ${e.source})`);
    }
    await buf.line('');
    for (const line of spanTreeLines(ws.getSpanSummaries(traceId))) await buf.line(line);
    await buf.flush();
    return EXIT.ok;
  });
}

function indent(json: string, pad = '  '): string {
  // JSON.stringify escapes newlines inside strings, so every '\n' is structural.
  return json.replace(/\n/g, `\n${pad}`);
}
