import { existsSync, lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError, createBackend, type Backend } from '../../../src/backend/handlers';
import { memoryKeychain } from '../../helpers/memoryKeychain';
import { writeFileSafely } from '../../../src/core/util/safeWrite';
import { importFixture } from '../../helpers/workspace';
import { chat, startFakeOpenAI } from '../judges/support/fakeOpenAI';

// Issue 11 item 3: exports never write through a symlink, and an API key never follows a
// changed LLM base URL.

const PHOENIX = 'openinference/phoenix-rest-spans-agent-turn-tools-error.json';
const EXAMPLES = join(__dirname, '../../../judges');
const TRACE = 'fixture-trace-1';
const LLM_JUDGE = readFileSync(join(EXAMPLES, 'answer-quality.judge.md'), 'utf8');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tracedeck-safe-write-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('writeFileSafely', () => {
  it('refuses a symlink at the name and leaves its target untouched', () => {
    const victim = join(dir, 'victim.txt');
    writeFileSync(victim, 'precious');
    const link = join(dir, 'export.json');
    symlinkSync(victim, link);
    expect(() => writeFileSafely(link, 'overwritten')).toThrow(/export\.json: refusing to write through a symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('precious');
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('replaces a regular file whole and leaves no temporary file', () => {
    const p = join(dir, 'report.xml');
    writeFileSync(p, 'old');
    writeFileSafely(p, 'new contents');
    expect(readFileSync(p, 'utf8')).toBe('new contents');
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});

describe('backend: judge export folder and the API key', () => {
  let b: Backend;
  let cleanup: () => void;
  const keychain = memoryKeychain();
  beforeAll(async () => {
    const f = await importFixture(PHOENIX);
    cleanup = f.cleanup;
    b = createBackend({ workspace: f.ws, mode: 'desktop', secrets: keychain });
    await b.call('importJudgesDir', { dir: EXAMPLES });
  });
  afterAll(() => cleanup());

  it('exportJudgesDir refuses a planted symlink (bad-input naming the file) and overwrites nothing', async () => {
    const out = mkdtempSync(join(dir, 'judges-'));
    const victim = join(dir, 'bashrc');
    writeFileSync(victim, 'alias ls=ls');
    symlinkSync(victim, join(out, 'max-llm-calls.judge.ts'));
    const e = await b.call('exportJudgesDir', { dir: out, ids: ['max-llm-calls'] }).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(ApiError);
    expect((e as ApiError).code).toBe('bad-input');
    expect((e as ApiError).message).toMatch(/max-llm-calls\.judge\.ts: refusing to write through a symbolic link/);
    expect(readFileSync(victim, 'utf8')).toBe('alias ls=ls');
    const ok = await b.call('exportJudgesDir', { dir: out, ids: ['no-tool-errors'] });
    expect(ok.written).toEqual([join(out, 'no-tool-errors.judge.ts')]);
    expect(existsSync(ok.written[0]!)).toBe(true);
  });

  it('forgets a stored key when the base URL changes, so the key never reaches the new endpoint', async () => {
    const thief = await startFakeOpenAI([{ body: chat('{"pass": true, "rationale": "ok"}') }]);
    try {
      const { settings } = await b.call('getLlmSettings', {});
      await b.call('setLlmApiKey', { apiKey: 'sk-owner-key-000111' });
      // Same URL (modulo a trailing slash) and other settings: the key stays.
      const same = await b.call('setLlmSettings', { settings: { ...settings, baseUrl: `${settings.baseUrl}/`, model: 'other' } });
      expect(same.apiKey.present).toBe(true);
      const moved = await b.call('setLlmSettings', { settings: { ...settings, baseUrl: thief.baseUrl } });
      expect(moved.apiKey).toEqual({ source: 'keychain', present: false, writable: true });
      expect(keychain.stored).toBeNull();
      await b.call('previewJudge', { traceId: TRACE, kind: 'llm', source: LLM_JUDGE });
      for (const r of thief.requests) expect(JSON.stringify(r.headers)).not.toContain('sk-owner-key');
    } finally {
      await thief.close();
    }
  });

  it('withholds an environment key after a base-URL change made in this process', async () => {
    const f = await importFixture(PHOENIX);
    const thief = await startFakeOpenAI([{ body: chat('{"pass": true, "rationale": "ok"}') }]);
    const old = process.env.TRACEDECK_LLM_API_KEY;
    process.env.TRACEDECK_LLM_API_KEY = 'sk-env-key-424242';
    try {
      const env = createBackend({ workspace: f.ws, mode: 'browser' });
      const before = await env.call('getLlmSettings', {});
      expect(before.apiKey).toEqual({ source: 'env', present: true, writable: false });
      const moved = await env.call('setLlmSettings', { settings: { ...before.settings, baseUrl: thief.baseUrl } });
      expect(moved.apiKey.present).toBe(false);
      await env.call('previewJudge', { traceId: TRACE, kind: 'llm', source: LLM_JUDGE });
      for (const r of thief.requests) expect(JSON.stringify(r.headers)).not.toContain('sk-env-key');
    } finally {
      if (old === undefined) delete process.env.TRACEDECK_LLM_API_KEY;
      else process.env.TRACEDECK_LLM_API_KEY = old;
      await thief.close();
      f.cleanup();
    }
  });
});
