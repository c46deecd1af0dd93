import { describe, expect, it } from 'vitest';
import { parseVerdictText, VERDICT_SCHEMA } from '../../../src/core/judges/llm/verdictJson';

describe('the LLM verdict schema', () => {
  it('is derived from the zod schema as the strict JSON Schema structured output needs', () => {
    expect(VERDICT_SCHEMA).toEqual({
      type: 'object',
      properties: {
        pass: { type: 'boolean', description: 'true when the trace meets the criteria' },
        rationale: { type: 'string', description: 'why, citing span ids' },
        evidenceSpanIds: { type: 'array', items: { type: 'string' }, description: 'ids of the spans the verdict rests on' },
      },
      required: ['pass', 'rationale', 'evidenceSpanIds'],
      additionalProperties: false,
    });
  });

  it('reads an exact verdict, and the aliases small models write', () => {
    expect(parseVerdictText('{"pass": false, "rationale": "s2 failed", "evidenceSpanIds": ["s2"]}')).toEqual({
      pass: false,
      rationale: 's2 failed',
      evidenceSpanIds: ['s2'],
    });
    expect(parseVerdictText('Verdict:\n```json\n{"verdict": "PASS", "reason": "fine", "score": 4}\n```')).toEqual({
      pass: true,
      rationale: 'fine',
      evidenceSpanIds: [],
      score: 4,
    });
    expect(() => parseVerdictText('{"pass": "maybe"}')).toThrow(/no verdict JSON with a boolean "pass"/);
  });
});
