import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

/**
 * Issue 10 item 6: `tracedeck serve` must stop on SIGTERM and Ctrl+C (SIGINT) after a judge
 * preview. Before the fix the preview's worker kept the event loop alive and the process never
 * exited. Drives the real launcher (bin/tracedeck) as a user does.
 */
const REPO = resolve(__dirname, '../../..');
const BIN = join(REPO, 'bin/tracedeck');
// Real OTLP JSON from the Jaeger repository (tests/fixtures/SOURCES.md): one trace, one span.
const FIXTURE = join(REPO, 'tests/fixtures/otlp-json/jaeger-apiv3-GetTrace-snapshot-result-wrapped.json');
const TRACE_ID = '00000000000000000000000000000001';

const dir = mkdtempSync(join(tmpdir(), 'tracedeck-serve-stop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function post(port: number, path: string, body: unknown): Promise<{ status: number; body: any }> {
  return new Promise((ok, fail) => {
    const req = request(
      { host: '127.0.0.1', port, method: 'POST', path, headers: { host: `127.0.0.1:${port}`, 'content-type': 'application/json' } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => ok({ status: res.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8')) }));
      },
    );
    req.on('error', fail);
    req.end(JSON.stringify(body));
  });
}

async function serveAndStop(signal: 'SIGTERM' | 'SIGINT', ws: string) {
  const child = spawn(BIN, ['serve', '--workspace', ws, '--port', '0', '--no-open'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((ok) => child.on('exit', (code, sig) => ok({ code, signal: sig })));
  const port = await new Promise<number>((ok, fail) => {
    const check = () => {
      const m = /UI:\s+http:\/\/127\.0\.0\.1:(\d+)\//.exec(out);
      if (m) ok(Number(m[1]));
    };
    child.stdout.on('data', check);
    void exited.then(() => fail(new Error(`serve exited early: ${err}`)));
  });
  const preview = await post(port, '/api/rpc/previewJudge', {
    traceId: TRACE_ID,
    kind: 'code',
    source: `export default (t: any) => ({ pass: t.spans.length === 1, rationale: 'spans: ' + t.spans.length })`,
  });
  expect(preview.status).toBe(200);
  expect(preview.body).toMatchObject({ status: 'pass', rationale: 'spans: 1' });
  child.kill(signal);
  const end = await exited;
  return { ...end, err };
}

describe('tracedeck serve shutdown', () => {
  const ws = join(dir, 'ws.tracedeck');
  it('imports the fixture', () => {
    execFileSync(BIN, ['import', FIXTURE, '--workspace', ws], { stdio: 'pipe' });
  }, 120_000);

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`stops on ${signal} after a judge preview, closing what it owns`, async () => {
      const r = await serveAndStop(signal, ws);
      expect(r.err).toContain("stopping…");
      expect(r.err).not.toMatch(/tracedeck: /);
      // An orderly exit: code 0, not killed, and not the forced exit of a second signal.
      expect(r).toMatchObject({ code: 0, signal: null });
      expect(r.err).not.toMatch(/stopped before the command finished/);
    }, 120_000);
  }
});
