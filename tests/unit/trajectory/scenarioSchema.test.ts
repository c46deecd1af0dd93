import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ARG_MATCH_MODES, TRAJECTORY_MATCH_MODES } from '../../../src/core/model/compare';
import { checkScenarioText, parseScenario, scenarioJsonSchema } from '../../../src/core/trajectory/scenario';
import { fixture } from '../../helpers/workspace';

const EXAMPLE = resolve(__dirname, '../../../scenarios/phoenix-save-trace-to-dataset.scenario.json');

type Schema = { properties: Record<string, Schema>; required?: string[]; additionalProperties?: unknown; enum?: string[]; anyOf?: Schema[]; items?: Schema; description?: string };

describe('scenario JSON Schema (derived from the zod schema)', () => {
  const schema = scenarioJsonSchema() as unknown as Schema & { $schema?: string };

  it('has the fields, requirements and enums of ScenarioSchema, and nothing to fetch', () => {
    expect(schema.$schema).toBeUndefined();
    expect(Object.keys(schema.properties)).toEqual(['id', 'name', 'input', 'expectations', 'match', 'ideal']);
    expect(schema.required).toEqual(['id', 'ideal']);
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties.match!.properties)).toEqual(['attribute', 'inputContains', 'tag']);
    const ideal = schema.properties.ideal!;
    // Defaults are optional when writing a file: only steps is required.
    expect(ideal.required).toEqual(['steps']);
    expect(ideal.properties.trajectoryMatch!.enum).toEqual([...TRAJECTORY_MATCH_MODES]);
    expect(ideal.properties.argMatch!.anyOf![0]!.enum).toEqual([...ARG_MATCH_MODES]);
    const call = ideal.properties.steps!.items!.properties.calls!.items!;
    expect(call.required).toEqual(['tool']);
    expect(call.additionalProperties).toBe(false);
    // Descriptions travel along: the editor shows them on hover and in completion.
    expect(schema.properties.match!.properties.tag!.description).toMatch(/tag/);
  });
});

describe('checkScenarioText / parseScenario', () => {
  it('accepts both scenario files as they are written', () => {
    for (const f of [EXAMPLE, fixture('scenarios/pydantic-joke-generator.scenario.json')]) {
      const r = checkScenarioText(readFileSync(f, 'utf8'));
      expect(r.ok).toBe(true);
    }
    const joke = parseScenario('joke', readFileSync(fixture('scenarios/pydantic-joke-generator.scenario.json'), 'utf8'));
    // defaults filled: the attribute rule is always there, steps without calls get []
    expect(joke.match).toEqual({ attribute: 'scenario.id', tag: 'joke-generator' });
    expect(joke.ideal.steps.map((s) => s.calls.length)).toEqual([3, 0, 0]);
  });

  it('lists every problem with the field it concerns', () => {
    const r = checkScenarioText(
      JSON.stringify({ id: '', ideal: { steps: [{ calls: [{ tool: 'x', args: 3 }] }], trajectoryMatch: 'fuzzy', latencySeconds: 0 }, extra: 1 }),
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path).sort()).toEqual(['', 'id', 'ideal.latencySeconds', 'ideal.steps.0.calls.0.args', 'ideal.trajectoryMatch']);
    expect(r.issues.find((i) => i.path === '')!.message).toMatch(/Unrecognized key: "extra"/);
    expect(r.issues.find((i) => i.path === 'ideal.latencySeconds')!.message).toBe('Too small: expected number to be >0');
  });

  it('reports invalid JSON, and parseScenario names the file and the first field', () => {
    const bad = checkScenarioText('{"id": "x",');
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.issues[0]!.message).toMatch(/^invalid JSON: /);
    expect(() => parseScenario('my.scenario.json', '{"id":"x","ideal":{"steps":[],"trajectoryMatch":"strict"}}')).toThrow(
      'my.scenario.json: ideal.steps: Too small: expected array to have >=1 items',
    );
  });
});
