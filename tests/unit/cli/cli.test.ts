import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BIN, tracedeck } from '../../helpers/cli';
import { fixture } from '../../helpers/workspace';

const LANGFUSE = fixture('langfuse/langfuse-vercel-aisdk-2025-11-17.trace.json');
const LANGFUSE_TRACE = 'df41e597d0a85e0d7a6ae8ebfaa70aa0';
const JAEGER = fixture('otlp-json/jaeger-integration-fixture-example-trace-multi-resource.json');
const JAEGER_TRACE = '00000000000000000000000000000011';



let dir: string;
let ws: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tracedeck-cli-test-'));
  ws = join(dir, 'nested', 'cli.tracedeck');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// Each test spawns real processes (Node + tsx start-up): generous time under a loaded machine.
describe('tracedeck CLI', { timeout: 90_000 }, () => {
  it('prints version and help; usage errors exit 2', async () => {
    const pkg = JSON.parse(readFileSync(resolve(__dirname, '../../../package.json'), 'utf8')) as { version: string };
    expect(await tracedeck(['--version'])).toMatchObject({ code: 0, stdout: `${pkg.version}\n` });
    const help = await tracedeck(['--help']);
    expect(help.code).toBe(0);
    for (const c of ['import', 'ls', 'show', 'serve', 'formats']) expect(help.stdout).toContain(`tracedeck ${c}`);

    const usageErrors = [
      ['frobnicate'],
      ['import', '--workspace', ws],
      ['import', '--format', 'nope', LANGFUSE, '--workspace', ws],
      ['ls', '--limit', '0', '--workspace', ws],
      ['ls', '--sort', 'bogus', '--workspace', ws],
      ['ls', '--status', 'fine', '--workspace', ws],
      ['show', '--workspace', ws],
      ['import', '--bogus-flag', LANGFUSE],
    ];
    const runs = await Promise.all(usageErrors.map((args) => tracedeck(args)));
    runs.forEach((r, i) => {
      expect(r.code, usageErrors[i]!.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^tracedeck: /);
    });
  });

  it('imports real fixtures with --json in the documented shape', async () => {
    const r = await tracedeck(['import', LANGFUSE, JAEGER, '--workspace', ws, '--json']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, unknown>[];
    expect(out).toHaveLength(2);
    for (const o of out)
      expect(Object.keys(o)).toEqual(['source', 'ok', 'format', 'traceIds', 'spanCount', 'warnings', 'unchanged', 'error']);
    expect(out[0]).toMatchObject({
      source: LANGFUSE,
      ok: true,
      format: 'langfuse',
      traceIds: [LANGFUSE_TRACE],
      // 3 observations under one span standing for the Langfuse trace itself.
      spanCount: 4,
      unchanged: false,
      error: null,
    });
    // Jaeger fixture: 5 spans over 3 resources, all in trace …0011.
    expect(out[1]).toMatchObject({ ok: true, format: 'otlp-json', traceIds: [JAEGER_TRACE], spanCount: 5 });
  });

  it('re-importing the same file does not duplicate traces', async () => {
    const r = await tracedeck(['import', LANGFUSE, '--workspace', ws]);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${LANGFUSE}: langfuse, 1 trace, 4 spans, 0 warnings (already imported, unchanged)\n`);
    const forced = await tracedeck(['import', LANGFUSE, '--workspace', ws, '--force', '--json']);
    expect(JSON.parse(forced.stdout)[0]).toMatchObject({ ok: true, unchanged: false, spanCount: 4 });
    const ls = JSON.parse((await tracedeck(['ls', '--workspace', ws, '--json'])).stdout) as { total: number };
    expect(ls.total).toBe(2);
  });

  it('reports a bad file by name and position, imports the rest, exits 1', async () => {
    const bad = join(dir, 'cut.json');
    // The real OTLP example, cut off inside the span list.
    writeFileSync(bad, readFileSync(fixture('otlp-json/otel-proto-example-trace.json'), 'utf8').slice(0, 700));
    const good = fixture('langsmith/langsmith-js-batch-post-patch-wrap-openai-default.json');
    const r = await tracedeck(['import', bad, good, '--workspace', ws]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(bad);
    expect(r.stderr).toMatch(/line \d+|byte \d+/);
    expect(r.stdout).toContain(`${good}: langsmith, 1 trace, 1 span`);
    const ls = JSON.parse((await tracedeck(['ls', '--workspace', ws, '--json', '--format', 'langsmith'])).stdout);
    expect(ls.traces.map((t: { traceId: string }) => t.traceId)).toEqual(['dc34609e-3eeb-459d-bc2a-6fedb01d2e6e']);
  });

  it('lists traces with --json in the documented shape, filters and sorts', async () => {
    const r = await tracedeck(['ls', '--workspace', ws, '--json', '--sort', 'spans', '--dir', 'desc']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { total: number; traces: Record<string, unknown>[] };
    expect(Object.keys(out)).toEqual(['total', 'traces']);
    expect(out.total).toBe(3);
    expect(Object.keys(out.traces[0]!)).toEqual([
      'traceId', 'name', 'format', 'sourceFile', 'service', 'version', 'status', 'startMs', 'endMs', 'durationMs',
      'spanCount', 'errorCount', 'llmCalls', 'toolCalls', 'toolErrors', 'inputTokens', 'outputTokens', 'costUsd',
      'importedAt',
    ]);
    const counts = out.traces.map((t) => t.spanCount as number);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));

    const text = JSON.parse((await tracedeck(['ls', '--workspace', ws, '--json', '--text', 'df41e597'])).stdout);
    expect(text.traces.map((t: { traceId: string }) => t.traceId)).toEqual([LANGFUSE_TRACE]);
    const limited = JSON.parse((await tracedeck(['ls', '--workspace', ws, '--json', '--limit', '1'])).stdout);
    expect(limited).toMatchObject({ total: 3 });
    expect(limited.traces).toHaveLength(1);

    const human = await tracedeck(['ls', '--workspace', ws]);
    expect(human.stdout.split('\n')[0]).toMatch(/^TRACE ID\s+START\s+DURATION/);
    expect(human.stdout).toContain(LANGFUSE_TRACE);
    expect(human.stdout).toContain('3 of 3 traces');
  });

  it('shows a trace as JSON with every span and its body', async () => {
    const r = await tracedeck(['show', LANGFUSE_TRACE, '--workspace', ws, '--json']);
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      summary: { traceId: string; spanCount: number };
      meta: Record<string, unknown>;
      spans: Record<string, unknown>[];
    };
    // Streamed output is byte-identical to one JSON.stringify(…, null, 2).
    expect(r.stdout).toBe(JSON.stringify(out, null, 2) + '\n');
    expect(Object.keys(out)).toEqual(['summary', 'meta', 'spans']);
    expect(out.summary.traceId).toBe(LANGFUSE_TRACE);
    expect(out.spans.map((s) => s.spanId).sort()).toEqual([
      '1dc6768109615657',
      '91a17a2274bfd23f',
      LANGFUSE_TRACE,
      'e9bb8c191e1e4706',
    ]);
    const tool = out.spans.find((s) => s.spanId === 'e9bb8c191e1e4706')!;
    expect(tool).toMatchObject({ parentId: '1dc6768109615657', name: 'getWeather', kind: 'tool' });
    expect((tool.toolCall as { name: string }).name).toBe('getWeather');
    const order = ['spanId', 'parentId', 'name', 'kind', 'sourceKind', 'status', 'statusMessage', 'startMs', 'endMs',
      'model', 'provider', 'usage', 'toolCall', 'input', 'output', 'inputMessages', 'outputMessages', 'attributes',
      'events', 'links'];
    for (const s of out.spans) {
      const keys = Object.keys(s);
      expect(keys).toEqual(order.filter((k) => keys.includes(k)));
      for (const k of ['spanId', 'parentId', 'name', 'kind', 'status', 'startMs', 'endMs', 'attributes', 'events'])
        expect(keys).toContain(k);
    }
  });

  it('shows a trace as an indented tree', async () => {
    const r = await tracedeck(['show', LANGFUSE_TRACE, '--workspace', ws]);
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines[0]).toBe(`Trace     ${LANGFUSE_TRACE}`);
    // Trace root span → ai.generateText observation → its two children (doGenerate, getWeather).
    const tree = lines.slice(lines.indexOf('') + 1).filter(Boolean);
    expect(tree).toHaveLength(4);
    expect(tree[0]).toMatch(/^ai\.generateText \[/);
    expect(tree[1]).toMatch(/^└─ ai\.generateText \[chain\]/);
    expect(tree[2]).toMatch(/^   ├─ ai\.generateText\.doGenerate \[llm\]/);
    expect(tree[3]).toMatch(/^   └─ getWeather \[tool\]/);
  });

  it('exits 3 for an unknown trace', async () => {
    const r = await tracedeck(['show', 'no-such-trace', '--workspace', ws, '--json']);
    expect(r.code).toBe(3);
    expect(r.stdout).toBe('');
    expect(r.stderr).toContain("trace 'no-such-trace' not found");
  });

  it('uses $TRACEDECK_WORKSPACE when --workspace is absent', async () => {
    const r = await tracedeck(['ls', '--json'], { TRACEDECK_WORKSPACE: ws });
    expect(JSON.parse(r.stdout).total).toBe(3);
  });

  it('lists formats as JSON', async () => {
    const r = await tracedeck(['formats', '--json']);
    expect(r.code).toBe(0);
    const formats = JSON.parse(r.stdout) as { id: string; label: string; extensions: string[] }[];
    expect(Object.keys(formats[0]!)).toEqual(['id', 'label', 'extensions']);
    expect(formats.map((f) => f.id)).toContain('otlp-proto');
  });

  it('serves the API and stops cleanly on SIGTERM', async () => {
    const child = spawn(BIN, ['serve', '--port', '0', '--no-open', '--workspace', ws], { cwd: tmpdir() });
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (c) => (stderr += c));
    const [url, token] = await new Promise<[string, string]>((ok, fail) => {
      const t = setTimeout(() => fail(new Error(`no URL printed: ${stdout} ${stderr}`)), 20_000);
      child.stdout.on('data', (c) => {
        stdout += c;
        const m = /UI:\s+(http:\/\/127\.0\.0\.1:\d+)\/\?token=([A-Za-z0-9_-]{43})\n/.exec(stdout);
        if (m) (clearTimeout(t), ok([m[1]!, m[2]!]));
      });
    });
    expect(stdout).toContain(`OTLP:  ${url}/v1/traces`);
    // Without the printed token the API is closed.
    expect((await fetch(`${url}/api/rpc/listTraces`, { method: 'POST', body: '{}' })).status).toBe(401);
    const headers = { authorization: `Bearer ${token}` };
    const info = (await (await fetch(`${url}/api/rpc/appInfo`, { method: 'POST', body: '{}', headers })).json()) as {
      mode: string;
      workspacePath: string;
    };
    expect(info).toMatchObject({ mode: 'browser', workspacePath: ws });
    const list = (await (await fetch(`${url}/api/rpc/listTraces`, { method: 'POST', body: '{}', headers })).json()) as {
      total: number;
    };
    expect(list.total).toBe(3);
    const code = await new Promise<number | null>((ok) => {
      child.on('close', ok);
      child.kill('SIGTERM');
    });
    expect(code).toBe(0);
  });
});
