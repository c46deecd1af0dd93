/**
 * SLOW TEST (~30–60 s on 2 cores): memory bound of the streaming OTLP/JSON import.
 *
 * Generates a ~150 MB OTLP/JSON file of agent traces (tests/bench/genOtlp.ts), imports it with
 * the real pipeline in a fresh Node 22 child process (tsx loader), and checks that the child's
 * peak RSS grew by less than twice the file size while importing, and that every generated span
 * and trace was stored. Memory only: no timing assertions (CI machines vary).
 *
 * The bound has teeth: the same measurement of plain read + JSON.parse of the file (what a
 * non-streaming importer does first) is checked to exceed it.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOtlpFile, type GenResult } from '../../bench/genOtlp';
import { runChild } from '../../bench/spawnChild';

const MB = 1024 * 1024;

describe('[slow] streaming import of a ~150 MB OTLP/JSON file', () => {
  let dir: string;
  let file: string;
  let gen: GenResult;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tracedeck-stream-mem-'));
    file = join(dir, 'agents-150mb.otlp.json');
    gen = await generateOtlpFile({ path: file, bytes: 150 * MB, seed: 7 });
  }, 120_000);

  afterAll(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('was generated as intended (~150 MB, >100k spans)', () => {
    expect(gen.bytes).toBeGreaterThanOrEqual(150 * MB);
    expect(gen.bytes).toBeLessThan(160 * MB);
    expect(gen.spans).toBeGreaterThan(100_000);
  });

  it('imports it with peak RSS growth below 2× the file size and stores every span', async () => {
    const r = await runChild('import', file, { wsDir: dir, timeoutMs: 170_000 });
    expect(r.ok, r.error).toBe(true);
    expect(r.format).toBe('otlp-json');
    expect(r.spans).toBe(gen.spans);
    expect(r.traces).toBe(gen.traces);
    const growth = r.maxRssBytes - r.rssBeforeBytes;
    expect(growth, `RSS grew ${(growth / MB).toFixed(0)} MB for a ${(gen.bytes / MB).toFixed(0)} MB file`).toBeLessThan(
      2 * gen.bytes,
    );
  }, 180_000);

  it('(control) read + JSON.parse of the same file exceeds that bound', async () => {
    const r = await runChild('parse', file, { nodeArgs: ['--max-old-space-size=16384'], timeoutMs: 110_000 });
    expect(r.ok, r.error).toBe(true);
    expect(r.spans).toBe(gen.spans);
    expect(r.maxRssBytes - r.rssBeforeBytes).toBeGreaterThan(2 * gen.bytes);
  }, 120_000);
});
