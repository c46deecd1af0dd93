import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ZipArchive } from '../../../src/core/formats/common/zip';
import { importBuffer } from '../../../src/core/import/importFile';
import type { Span } from '../../../src/core/model/types';
import { ImportError } from '../../../src/core/util/errors';
import { fixture, importFixture, tempWorkspace } from '../../helpers/workspace';
import { buildZip, deflatedZeros } from './zipBuilder';

// Expected values were read from the fixtures with python3 (json / zipfile): event lists,
// model usage per event, tool arguments/results, timestamps, sample.model_usage and stats.

const cleanups: (() => void)[] = [];
afterAll(() => cleanups.forEach((c) => c()));

async function load(rel: string) {
  const { ws, result, cleanup } = await importFixture(`inspect-ai/${rel}`);
  cleanups.push(cleanup);
  expect(result.format).toBe('inspect-ai');
  return { ws, result };
}

function trace(ws: Awaited<ReturnType<typeof load>>['ws'], traceId: string) {
  const spans = ws.getSpans(traceId);
  const byId = new Map(spans.map((s) => [s.spanId, s]));
  return { spans, span: (id: string) => byId.get(id)!, summary: ws.getTrace(traceId)! };
}

const ofKind = (spans: Span[], kind: Span['kind']) => spans.filter((s) => s.kind === kind);
const iso = (s: string) => {
  // µs kept: Date.parse drops them
  const m = /\.(\d{3})(\d{3})/.exec(s)!;
  return Date.parse(s.replace(/\.(\d{3})\d{3}/, '.$1')) + Number(m[2]) / 1000;
};

describe('Inspect JSON log (v2, spans) — browser agent with web_browser tools', () => {
  const file = 'inspect-browser-agent-tools.json';

  it('is one trace per sample, with the counts the events give', async () => {
    const { ws, result } = await load(file);
    expect(result.traceIds).toEqual(['ATYFNjyWUz4mZ5Dgj6yd4f']); // sample.uuid
    const { summary, spans } = trace(ws, 'ATYFNjyWUz4mZ5Dgj6yd4f');
    // 8 span_begin (4 of them tool spans merged with their tool events) + 5 model + 10 sandbox + 1 score + root
    expect(summary.spanCount).toBe(25);
    expect(summary.llmCalls).toBe(5);
    expect(summary.toolCalls).toBe(4);
    expect(summary.toolErrors).toBe(0);
    expect(ofKind(spans, 'other').filter((s) => s.name.startsWith('sandbox exec'))).toHaveLength(10);
    expect(summary.name).toBe('browser 1');
    expect(summary.status).toBe('ok');
  });

  it('sums token usage as sample.model_usage does (input 15235, output 281, cache read 9088)', async () => {
    const { ws } = await load(file);
    const { summary, spans } = trace(ws, 'ATYFNjyWUz4mZ5Dgj6yd4f');
    expect(summary.inputTokens).toBe(15235);
    expect(summary.outputTokens).toBe(281);
    const llm = ofKind(spans, 'llm');
    expect(llm.map((s) => s.usage?.inputTokens)).toEqual([1124, 1568, 2732, 3896, 5915]);
    expect(llm.reduce((n, s) => n + (s.usage?.cacheReadTokens ?? 0), 0)).toBe(9088);
    expect(llm.every((s) => s.model === 'gpt-4o-mini-2024-07-18' && s.provider === 'openai')).toBe(true);
  });

  it('has the four web_browser tool calls with arguments and results, under the generate solver', async () => {
    const { ws } = await load(file);
    const { spans, span } = trace(ws, 'ATYFNjyWUz4mZ5Dgj6yd4f');
    const tools = ofKind(spans, 'tool');
    expect(tools.map((t) => [t.toolCall!.name, t.toolCall!.arguments])).toEqual([
      ['web_browser_go', { url: 'https://www.aisi.gov.uk/' }],
      ['web_browser_click', { element_id: 151 }],
      ['web_browser_click', { element_id: 884 }],
      ['web_browser_click', { element_id: 903 }],
    ]);
    expect(tools.map((t) => t.toolCall!.id)).toEqual([
      'call_35FTpd6shR9efioDgeEBZ33s',
      'call_O6fzXOPUvPtYflWdOH94RTWy',
      'call_53eNweGanOHt6jGWAo2UuNCG',
      'call_C0cGhnh5y5RCIBs9vTJCLgxW',
    ]);
    expect(String(tools[0]!.toolCall!.result)).toMatch(/^\[132\] link "We are now the AI Security Institute"/);
    expect(String(tools[3]!.toolCall!.result)).toMatch(/^\[2033\] link "We are now the AI Security Institute"/);
    // The tool span is the span_begin{type:'tool'} and holds the sandbox calls the tool made.
    const go = span('e6ecbd839389484397bd3b8d67380eb6');
    expect(go.kind).toBe('tool');
    expect(go.parentId).toBe('e758269d7b5e411fb689337dd84ea1d6');
    expect(span('e758269d7b5e411fb689337dd84ea1d6').name).toBe('generate');
    const sandbox = spans.filter((s) => s.parentId === go.spanId);
    expect(sandbox.map((s) => s.input)).toEqual([
      'which inspect-tool-support',
      'inspect-tool-support exec',
      'inspect-tool-support exec',
      'inspect-tool-support exec',
    ]);
    // store JSON-patch noise is an event on the tool span, not a span
    expect(go.events.map((e) => e.name)).toEqual(['store']);
    // tool event timestamp 20:27:39.762878 (before its span_begin .763892) → tool completed
    // 20:27:44.080452 (after span_end .079624)
    expect(go.startMs).toBeCloseTo(iso('2025-05-12T20:27:39.762878-04:00'), 3);
    expect(go.endMs!).toBeCloseTo(iso('2025-05-12T20:27:44.080452-04:00'), 3);
  });

  it('resolves attachment:// references and keeps model timing from completed', async () => {
    const { ws } = await load(file);
    const { spans } = trace(ws, 'ATYFNjyWUz4mZ5Dgj6yd4f');
    const llm = ofKind(spans, 'llm');
    expect(llm[0]!.inputMessages![0]!.content).toMatch(/^Use the web browser tool to navigate to https:\/\/www\.aisi\.gov\.uk\//);
    expect(llm[1]!.inputMessages![2]).toMatchObject({ role: 'tool', toolCallId: 'call_35FTpd6shR9efioDgeEBZ33s' });
    expect(llm[1]!.inputMessages![2]!.content).toMatch(/^\[132\] link/);
    const last = llm[4]!;
    expect(last.outputMessages![0]!.content).toMatch(/^The AI Security Institute \(AISI\) is the premier/);
    expect(last.startMs).toBeCloseTo(iso('2025-05-12T20:27:52.049002-04:00'), 3);
    expect(last.endMs! - last.startMs).toBeCloseTo(4636.058, 3);
    expect(JSON.stringify(spans.map((s) => s.toolCall?.result))).not.toContain('attachment://');
  });

  it('records scores, target and input in the trace meta and the root span', async () => {
    const { ws } = await load(file);
    const t = ws.getTrace('ATYFNjyWUz4mZ5Dgj6yd4f')!;
    expect((t.meta.metadata!.scores as Record<string, { value: string }>).includes.value).toBe('C');
    expect(t.meta.metadata!.evalId).toBe('ZB2vu5GNujYaBdPSReCeop');
    expect(String(t.meta.input)).toMatch(/^Use the web browser tool/);
    const root = trace(ws, 'ATYFNjyWUz4mZ5Dgj6yd4f').span('sample');
    expect(root.parentId).toBeNull();
    expect(root.kind).toBe('agent');
    expect(String(root.output)).toMatch(/^The AI Security Institute/);
    const score = trace(ws, 'ATYFNjyWUz4mZ5Dgj6yd4f').spans.find((s) => s.name === 'score: C')!;
    expect(trace(ws, 'ATYFNjyWUz4mZ5Dgj6yd4f').span(score.parentId!).name).toBe('includes');
  });
});

describe('Inspect .eval (v3, message pool) — bash tool calls', () => {
  const file = 'inspect-message-dedup-tools.eval';
  const id = '5XJAqKPKGtzrXUZ3UhthJM';

  it('reads the ZIP: 6 model calls and 5 bash tool calls, each with its sandbox exec', async () => {
    const { ws, result } = await load(file);
    expect(result.traceIds).toEqual([id]);
    const { spans, summary, span } = trace(ws, id);
    expect(summary.spanCount).toBe(24);
    expect(summary.llmCalls).toBe(6);
    expect(summary.toolCalls).toBe(5);
    expect(summary.inputTokens).toBe(0); // hardcoded model: no usage in the log
    const tools = ofKind(spans, 'tool');
    expect(tools.map((t) => t.spanId)).toEqual([
      'd4635493be0d41e6a5e55a847517ca20',
      'bd99dcaf67204645930375c7d73e0df3',
      '9252cde3d2e643f99c750853af10ba69',
      '70007a3f72824ce19933d19a18cfba4d',
      'e1b84e70d8594dc5b4a919b531e60967',
    ]);
    for (const [i, t] of tools.entries()) {
      expect(t.toolCall).toMatchObject({ id: `hardcoded_${i}`, name: 'bash', arguments: { cmd: 'ls' } });
      expect(t.toolCall!.result).toBe('bin\nboot\ndev\netc\nhome\nlib\nlib64\nmedia\nmnt\nopt\nproc\nroot\nrun\nsbin\nsrv\nsys\ntmp\nusr\nvar\n');
      const kids = spans.filter((s) => s.parentId === t.spanId);
      expect(kids.map((k) => k.name)).toEqual(['sandbox exec: bash --login -c ls']);
    }
    // tool event 10:15:45.377442 precedes span_begin .377878; completed .470832 follows span_end .470373
    const first = span('d4635493be0d41e6a5e55a847517ca20');
    expect(first.startMs).toBeCloseTo(iso('2025-10-06T10:15:45.377442+00:00'), 3);
    expect(first.endMs!).toBeCloseTo(iso('2025-10-06T10:15:45.470832+00:00'), 3);
  });

  it('resolves input_refs ranges into the message pool', async () => {
    const { ws } = await load(file);
    const llm = ofKind(trace(ws, id).spans, 'llm');
    // input_refs [[0,1]], [[0,3]], … [[0,11]]
    expect(llm.map((s) => s.inputMessages!.length)).toEqual([1, 3, 5, 7, 9, 11]);
    const second = llm[1]!.inputMessages!;
    expect(second[0]).toMatchObject({ role: 'user', content: 'Guess the number' });
    expect(second[1]).toMatchObject({ role: 'assistant', content: "Executing bash with args: {'cmd': 'ls'}" });
    expect(second[1]!.toolCalls).toEqual([{ id: 'hardcoded_0', name: 'bash', arguments: { cmd: 'ls' } }]);
    expect(second[2]).toMatchObject({ role: 'tool', toolCallId: 'hardcoded_0' });
    expect(second[2]!.content).toMatch(/^bin\nboot\n/);
    expect(llm[5]!.outputMessages![0]!.content).toBe('done');
  });

  it('nests spans by span_id / parent_id: solvers → generate → model/tool, scorers → scorer → score', async () => {
    const { ws } = await load(file);
    const { span, spans } = trace(ws, id);
    expect(span('83c738591568423b8be7f988b1fe4458')).toMatchObject({ name: 'generate', parentId: 'c75925ad00d84dd98ff39acd343df78e' });
    expect(span('c75925ad00d84dd98ff39acd343df78e')).toMatchObject({ name: 'solvers', parentId: 'sample' });
    expect(ofKind(spans, 'llm').every((s) => s.parentId === '83c738591568423b8be7f988b1fe4458')).toBe(true);
    const score = spans.find((s) => s.sourceKind === 'score')!;
    expect(score.parentId).toBe('93728048b60741e78b5e35e14f96e27e');
    expect(span('93728048b60741e78b5e35e14f96e27e').name).toBe('closeness_log');
    // sample_init is an event on the init span; state patches on the solver spans
    expect(span('8debbc8bb4d04edf94db35b5fa277ace').events.map((e) => e.name)).toEqual(['sample_init']);
    expect(span('b58677fe50be4b6ea47b80826e384f7c').events.map((e) => e.name)).toEqual(['state']);
  });
});

describe('Inspect .eval (v2, legacy step events) — 10 samples', () => {
  const file = 'inspect-popularity-10samples.eval';

  it('makes one trace per sample with run_id/sample/epoch ids', async () => {
    const { result } = await load(file);
    expect([...result.traceIds].sort()).toEqual(
      Array.from({ length: 10 }, (_, i) => `2wRuCQ9hGYaGPyAdoobgYV/${i + 1}/1`).sort(),
    );
  });

  it('nests events by step begin/end order', async () => {
    const { ws } = await load(file);
    const { spans, span } = trace(ws, '2wRuCQ9hGYaGPyAdoobgYV/1/1');
    expect(spans).toHaveLength(6);
    const steps = spans.filter((s) => s.sourceKind?.startsWith('step:'));
    expect(steps.map((s) => [s.name, s.sourceKind, s.parentId])).toEqual([
      ['system_message', 'step:solver', 'sample'],
      ['generate', 'step:solver', 'sample'],
      ['match', 'step:scorer', 'sample'],
    ]);
    const llm = ofKind(spans, 'llm')[0]!;
    expect(span(llm.parentId!).name).toBe('generate');
    expect(llm.usage).toEqual({ inputTokens: 64, outputTokens: 2, totalTokens: 66 });
    expect(llm.inputMessages!.map((m) => m.role)).toEqual(['system', 'user']);
    expect(llm.inputMessages![1]!.content).toMatch(/^Is the following statement something you would say\?\n"Positive posts/);
    // legacy model events have no `completed`: end = start + output.time (1.2038758330018027 s)
    expect(llm.endMs! - llm.startMs).toBeCloseTo(1203.876, 2);
    const score = spans.find((s) => s.sourceKind === 'score')!;
    expect(span(score.parentId!).name).toBe('match');
    expect(span(steps[0]!.spanId).events.map((e) => e.name)).toEqual(['state']);
  });

  it('totals tokens like stats.model_usage (620 in, 20 out) and keeps per-sample scores', async () => {
    const { ws, result } = await load(file);
    const sums = result.traceIds.map((t) => ws.getTrace(t)!).reduce(
      (a, t) => [a[0]! + t.inputTokens, a[1]! + t.outputTokens],
      [0, 0],
    );
    expect(sums).toEqual([620, 20]);
    const incorrect = result.traceIds
      .filter((t) => (ws.getTrace(t)!.meta.metadata!.scores as { match: { value: string } }).match.value === 'I')
      .sort();
    expect(incorrect).toEqual(['2wRuCQ9hGYaGPyAdoobgYV/3/1', '2wRuCQ9hGYaGPyAdoobgYV/7/1']);
  });
});

describe('Inspect JSON log — 3 samples with model-graded scoring', () => {
  it('has 2 model calls per sample (solver + grader) and the run totals 959 / 1033 tokens', async () => {
    const { ws, result } = await load('inspect-security-guide-3samples.json');
    expect(result.traceIds).toEqual(['jejv2PukU7Xq5AJrutaZi7', 'azKp2SRnKjCTS9rimuwWy2', 'HsRaLUYeLvb6ehcfhHorXD']);
    let inTok = 0;
    let outTok = 0;
    for (const id of result.traceIds) {
      const { summary, spans, span } = trace(ws, id);
      expect(summary.spanCount).toBe(8);
      expect(summary.llmCalls).toBe(2);
      const grader = ofKind(spans, 'llm')[1]!;
      expect(span(grader.parentId!).name).toBe('model_graded_fact');
      inTok += summary.inputTokens;
      outTok += summary.outputTokens;
    }
    expect([inTok, outTok]).toEqual([959, 1033]);
  });
});

describe('Inspect JSON log with messages only — tool call errors', () => {
  it('reconstructs the 11 tool calls from sample.messages with their error types', async () => {
    const { ws, result } = await load('inspect-tool-call-error-v2-messages-only.json');
    expect(result.traceIds).toEqual(['.../1/4']); // run_id '...', sample id '1', epoch '4'
    const { spans, summary } = trace(ws, '.../1/4');
    expect(summary.toolCalls).toBe(11);
    expect(summary.toolErrors).toBe(11);
    // Log status "success", sample.error absent: 11 failed bash calls do not make a failed run.
    expect(summary.status).toBe('ok');
    expect(summary.errorCount).toBe(11);
    const tools = ofKind(spans, 'tool');
    expect(tools.map((t) => t.toolCall!.id)).toEqual(Array.from({ length: 11 }, (_, i) => `bash_${i + 1}`));
    expect(tools.every((t) => t.name === 'bash' && t.status === 'error' && t.toolCall!.isError)).toBe(true);
    const types = tools.map((t) => t.statusMessage!.split(':')[0]);
    expect(types).toEqual([
      'parsing',
      'timeout',
      'parsing',
      'unicode_decode',
      'permission',
      'file_not_found',
      'is_a_directory',
      'limit',
      'approval',
      'unknown',
      'output_limit',
    ]);
    expect(new Set(types).size).toBe(10);
    expect(tools[10]!.statusMessage).toBe('output_limit: The tool output limit of 10 MiB was exceeded.');
    expect(String(tools[10]!.toolCall!.result)).toContain('<START_TOOL_OUTPUT>');
    // no timestamps in the sample: everything sits at stats.started_at
    expect(tools[0]!.startMs).toBe(Date.parse('2025-02-07T00:00:00+00:00'));
  });
});

describe('Inspect: errors and hostile input', () => {
  async function importBytes(name: string, data: Buffer) {
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    const run = importBuffer(t.ws, name, data);
    return { ws: t.ws, run };
  }

  function popularityMembers() {
    const zip = ZipArchive.open('pop', readFileSync(fixture('inspect-ai/inspect-popularity-10samples.eval')));
    return { header: zip.read('header.json'), sample1: zip.read('samples/1_epoch_1.json') };
  }

  it('refuses a zip bomb sample (declares 1000 bytes, inflates to 2 GiB) and stores nothing', async () => {
    const { header, sample1 } = popularityMembers();
    const bomb = buildZip([
      { name: 'header.json', data: header },
      { name: 'samples/1_epoch_1.json', data: sample1 },
      { name: 'samples/2_epoch_1.json', data: Buffer.alloc(0), raw: deflatedZeros(2048), declaredSize: 1000 },
    ]);
    const { ws, run } = await importBytes('bomb.eval', bomb);
    const err = await run.catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.message).toContain('bomb.eval');
    expect(err.message).toContain("'samples/2_epoch_1.json'");
    expect(err.message).toMatch(/zip bomb/);
    // sample 1 was parsed before the bomb: the transaction rolled it back
    expect(ws.traceIds()).toEqual([]);
    expect(ws.listImports()[0]!.status).toBe('failed');
  });

  it('refuses a sample honestly declaring 2 GiB before inflating it', async () => {
    const { header } = popularityMembers();
    const big = buildZip([
      { name: 'header.json', data: header },
      { name: 'samples/1_epoch_1.json', data: Buffer.alloc(0), raw: deflatedZeros(2048), declaredSize: 2 * 1024 ** 3 },
    ]);
    const { ws, run } = await importBytes('big.eval', big);
    await expect(run).rejects.toThrow(/'samples\/1_epoch_1\.json'.*over the 536870912-byte limit/);
    expect(ws.traceIds()).toEqual([]);
  });

  it('names a truncated .eval and non-ZIP bytes named .eval', async () => {
    const whole = readFileSync(fixture('inspect-ai/inspect-popularity-10samples.eval'));
    const cut = await importBytes('cut.eval', whole.subarray(0, Math.floor(whole.length / 2)));
    await expect(cut.run).rejects.toThrow(/^cut\.eval: ZIP archive is truncated/);
    expect(cut.ws.traceIds()).toEqual([]);
    const text = await importBytes('notes.eval', Buffer.from('these are my notes, not an eval log\n'));
    await expect(text.run).rejects.toThrow(/^notes\.eval: not a ZIP archive/);
  });

  it('names the member and line of a sample that is not valid JSON', async () => {
    const { header } = popularityMembers();
    const bad = buildZip([
      { name: 'header.json', data: header },
      { name: 'samples/1_epoch_1.json', data: Buffer.from('{\n  "id": 1,\n  "epoch": 1,\n  "events": [}\n') },
    ]);
    const { run } = await importBytes('bad.eval', bad);
    const err = await run.catch((e) => e);
    expect(err).toBeInstanceOf(ImportError);
    expect(err.message).toMatch(/^bad\.eval \(line 4:14, at samples\/1_epoch_1\.json\): ZIP member 'samples\/1_epoch_1\.json': invalid JSON/);
  });

  it('marks the root span of a failed sample, a failed tool and a failed model call as errors', async () => {
    const doc = JSON.parse(readFileSync(fixture('inspect-ai/inspect-browser-agent-tools.json'), 'utf8'));
    const sample = doc.samples[0];
    sample.error = { message: 'RuntimeError: sandbox died', traceback: 'Traceback …' };
    const tool = sample.events.find((e: { event: string }) => e.event === 'tool');
    tool.error = { type: 'timeout', message: 'Command timed out before completing.' };
    const model = sample.events.filter((e: { event: string }) => e.event === 'model')[1];
    model.error = 'RateLimitError: 429 Too Many Requests';
    const { ws, run } = await importBytes('failed.json', Buffer.from(JSON.stringify(doc)));
    await run;
    const { span, spans, summary } = trace(ws, 'ATYFNjyWUz4mZ5Dgj6yd4f');
    expect(span('sample')).toMatchObject({ status: 'error', statusMessage: 'RuntimeError: sandbox died' });
    const failed = ofKind(spans, 'tool')[0]!;
    expect(failed).toMatchObject({ status: 'error', statusMessage: 'timeout: Command timed out before completing.' });
    expect(failed.toolCall!.isError).toBe(true);
    expect(summary.toolErrors).toBe(1);
    expect(ofKind(spans, 'llm')[1]).toMatchObject({ status: 'error', statusMessage: 'RateLimitError: 429 Too Many Requests' });
    expect(summary.errorCount).toBe(3); // sample root, tool, model call
    expect(summary.status).toBe('error');
  });

  it('names the line where a truncated JSON log ends; the samples read before it are not kept', async () => {
    const whole = readFileSync(fixture('inspect-ai/inspect-security-guide-3samples.json'));
    // cut inside the 3rd sample: the first two were already streamed to the writer
    const cutAt = whole.indexOf('"id": 3,') + 20;
    const { ws, run } = await importBytes('cut.json', whole.subarray(0, cutAt));
    await expect(run).rejects.toThrow(/^cut\.json \(line \d+:\d+\): JSON ends early .*truncated/);
    expect(ws.traceIds()).toEqual([]);
  });

  it('says so when a log holds no samples', async () => {
    const doc = JSON.parse(readFileSync(fixture('inspect-ai/inspect-security-guide-3samples.json'), 'utf8'));
    delete doc.samples;
    const { run } = await importBytes('header-only.json', Buffer.from(JSON.stringify(doc)));
    await expect(run).rejects.toThrow(/holds no samples/);
  });
});

describe('Inspect model call timing from the log', () => {
  // Sample 1's solver call in the real log: timestamp 20:28:26.849005-04:00, completed
  // 20:28:27.656435-04:00, working_time = output.time = 0.6834162082523108 s.
  const file = 'inspect-security-guide-3samples.json';

  it('spans timestamp → completed when the event is stamped at its start', async () => {
    const { ws } = await load(file);
    const llm = ofKind(ws.getSpans('jejv2PukU7Xq5AJrutaZi7'), 'llm')[0]!;
    expect(llm.startMs).toBeCloseTo(iso('2025-05-13T00:28:26.849005Z'), 3);
    expect(llm.endMs).toBeCloseTo(iso('2025-05-13T00:28:27.656435Z'), 3);
  });

  it('takes the start from completed − working time when the event is stamped at completion', async () => {
    // The same log with the event stamped when the call returned (timestamp = completed), as
    // Inspect writes events recorded after the call: the call must not show as 0 µs.
    const doc = JSON.parse(readFileSync(fixture(`inspect-ai/${file}`), 'utf8'));
    const ev = doc.samples[0].events.find((e: { event: string }) => e.event === 'model');
    ev.timestamp = ev.completed;
    const t = tempWorkspace();
    cleanups.push(t.cleanup);
    await importBuffer(t.ws, 'stamped-at-completion.json', Buffer.from(JSON.stringify(doc)));
    const llm = ofKind(t.ws.getSpans('jejv2PukU7Xq5AJrutaZi7'), 'llm')[0]!;
    expect(llm.endMs).toBeCloseTo(iso('2025-05-13T00:28:27.656435Z'), 3);
    expect(llm.endMs! - llm.startMs).toBeCloseTo(683.4162082523108, 3);
  });
});
