import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliInProcess, tracedeck } from '../../helpers/cli';
import { fixture } from '../../helpers/workspace';

/**
 * `tracedeck scenarios import|ls|show|rm` against a fresh workspace: the first run through
 * bin/tracedeck as a user runs it, the others in-process (same main(), much less load).
 */
const SCENARIOS = resolve(__dirname, '../../../scenarios');
const JOKE = fixture('scenarios/pydantic-joke-generator.scenario.json');

const cli = cliInProcess;

let dir: string;
let ws: string;
let bad: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tracedeck-scenarios-cli-'));
  ws = join(dir, 'cli.tracedeck');
  bad = join(dir, 'bad.scenario.json');
  writeFileSync(bad, JSON.stringify({ id: 'bad', ideal: { steps: [{ calls: [{ tool: 'x', argMatch: 'loose' }] }] } }));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('tracedeck scenarios', { timeout: 120_000 }, () => {
  it('import DIR and FILE: one line per scenario; the bad file is named with its field, exit 1', async () => {
    const r = await tracedeck(['scenarios', 'import', SCENARIOS, JOKE, bad, '--workspace', ws]);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe(
      `${join(SCENARIOS, 'phoenix-save-trace-to-dataset.scenario.json')}: scenario save-trace-to-dataset\n` +
        `${JOKE}: scenario joke-generator\n` +
        '2 scenarios imported, 1 failed\n',
    );
    expect(r.stderr).toBe(`tracedeck: ${bad}: ideal.steps.0.calls.0.argMatch: Invalid input\n`);
  });

  it('import --json: loaded and errors; a valid re-import replaces and exits 0', async () => {
    const r = await cli('scenarios', 'import', JOKE, '--workspace', ws, '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({ loaded: [{ id: 'joke-generator', file: JOKE }], errors: [] });
    const none = await cli('scenarios', 'import', dir, '--workspace', ws);
    // dir holds only bad.scenario.json (and the workspace)
    expect(none.code).toBe(1);
    expect(none.stdout).toBe('0 scenarios imported, 1 failed\n');
  });

  it('ls: what each scenario holds and how it attaches; --json', async () => {
    const r = await cli('scenarios', 'ls', '--workspace', ws);
    expect(r.code).toBe(0);
    const lines = r.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^ID\s+NAME\s+STEPS\s+CALLS\s+LATENCY\s+MATCH\s+ATTACHES BY$/);
    expect(lines[1]).toMatch(/^joke-generator\s+Write a programming joke from three kin…\s+3\s+3\s+5s\s+unordered\s+scenario\.id = joke-generator · tag joke-generator$/);
    expect(lines[2]).toMatch(
      /^save-trace-to-dataset\s+Save the current trace to a dataset\s+4\s+3\s+14s\s+superset\s+scenario\.id = save-trace-to-dataset · input equals$/,
    );
    expect(lines[3]).toBe('2 scenarios');
    const j = await cli('scenarios', 'ls', '--workspace', ws, '--json');
    const list = JSON.parse(j.stdout);
    expect(list.map((s: { id: string }) => s.id)).toEqual(['joke-generator', 'save-trace-to-dataset']);
    expect(list[0]).toEqual({
      id: 'joke-generator',
      name: 'Write a programming joke from three kinds of inspiration',
      sourceFile: JOKE,
      updatedAt: expect.any(Number),
      attach: { attribute: 'scenario.id', tag: 'joke-generator', inputContains: null, input: null },
      idealSteps: 3,
      idealToolCalls: 3,
      latencySeconds: 5,
      trajectoryMatch: 'unordered',
      argMatch: 'exact',
    });
    expect(list[1].attach.input).toBe('can you save this trace to a dataset?');
  });

  it('show: the stored scenario as scenario JSON (defaults filled); unknown id exits 3', async () => {
    const r = await cli('scenarios', 'show', 'joke-generator', '--workspace', ws);
    expect(r.code).toBe(0);
    const s = JSON.parse(r.stdout);
    expect(s.ideal.steps[1]).toEqual({ name: 'write the joke', calls: [], parallel: false });
    expect(s.ideal.toolArgMatch).toEqual({});
    const missing = await cli('scenarios', 'show', 'nope', '--workspace', ws);
    expect(missing.code).toBe(3);
    expect(missing.stderr).toBe(`tracedeck: scenario 'nope' not found in ${ws}\n`);
  });

  it('rm: removes; unknown ids exit 3 and are reported; --json', async () => {
    const r = await cli('scenarios', 'rm', 'joke-generator', 'nope', '--workspace', ws, '--json');
    expect(r.code).toBe(3);
    expect(JSON.parse(r.stdout)).toEqual({ deleted: ['joke-generator'], notFound: ['nope'] });
    expect(r.stderr).toBe(`tracedeck: scenario 'nope' not found in ${ws}\n`);
    const ok = await cli('scenarios', 'rm', 'save-trace-to-dataset', '--workspace', ws);
    expect(ok.code).toBe(0);
    expect(ok.stdout).toBe('removed save-trace-to-dataset\n');
    expect((await cli('scenarios', 'ls', '--workspace', ws)).stdout).toMatch(/\n0 scenarios\n$/);
  });

  it('usage errors exit 2', async () => {
    for (const args of [['scenarios'], ['scenarios', 'frob'], ['scenarios', 'import'], ['scenarios', 'rm'], ['scenarios', 'show'], ['scenarios', 'ls', 'x']]) {
      const r = await cli(...args, '--workspace', ws);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(/^tracedeck: .*\nRun 'tracedeck --help' for usage\.\n$/);
    }
    const help = await cli('help', 'scenarios');
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Usage: tracedeck scenarios import FILE|DIR...');
  });
});
