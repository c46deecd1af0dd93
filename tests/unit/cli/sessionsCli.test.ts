import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliInProcess } from '../../helpers/cli';
import { fixture } from '../../helpers/workspace';

/** `tracedeck sessions ls|show` in-process over the three-turn session (tests/fixtures/HANDMADE.md). */
const cli = cliInProcess;

let dir: string;
let ws: string;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tracedeck-sessions-cli-'));
  ws = join(dir, 'cli.tracedeck');
  expect((await cli('import', fixture('otlp-json/handmade-otlp-session-three-turns.json'), '--workspace', ws)).code).toBe(0);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tracedeck sessions', { timeout: 60_000 }, () => {
  it('ls: one session with its totals (text and --json)', async () => {
    const t = await cli('sessions', 'ls', '--workspace', ws);
    expect(t.code).toBe(0);
    const lines = t.stdout.trimEnd().split('\n');
    expect(lines).toHaveLength(2);
    expect(lines[1]!.split(/\s{2,}/)).toEqual(['support-chat-7', '3', expect.stringMatching(/^2025-12-04 \d\d:03:00$/), '3m 01s', '675', '—', '2', '1', '1', 'invoke_agent support-bot']);
    const j = await cli('sessions', 'ls', '--json', '--workspace', ws);
    const parsed = JSON.parse(j.stdout);
    expect(parsed.total).toBe(1);
    expect(parsed.sessions[0]).toMatchObject({ sessionId: 'support-chat-7', turns: 3, durationMs: 180_650, inputTokens: 580, outputTokens: 95, toolErrors: 1, failedTurns: 1 });
    expect((await cli('sessions', 'ls', '--search', 'nope', '--workspace', ws)).stdout).toMatch(/^No sessions/);
    expect((await cli('sessions', 'ls', '--sort', 'bogus', '--workspace', ws)).code).toBe(2);
  });

  it('show: the turns in order with their input; exit 3 for an unknown id', async () => {
    const s = await cli('sessions', 'show', 'support-chat-7', '--workspace', ws);
    expect(s.code).toBe(0);
    const rows = s.stdout.trimEnd().split('\n').slice(3);
    expect(rows.map((r) => r.split(/\s{2,}/).at(-1))).toEqual(['Where is my order A-1009?', 'It was due yesterday.', 'Can you email me when it ships?']);
    expect(rows.map((r) => r.split(/\s{2,}/)[2])).toEqual(['ok', 'error', 'ok']);
    const j = JSON.parse((await cli('sessions', 'show', 'support-chat-7', '--json', '--workspace', ws)).stdout);
    expect(j.turns.map((u: { traceId: string }) => u.traceId.slice(0, 2))).toEqual(['a1', 'b2', 'c3']);
    const missing = await cli('sessions', 'show', 'nope', '--workspace', ws);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe("tracedeck: no session 'nope' in the workspace\n");
  });
});
