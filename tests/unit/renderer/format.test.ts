import { describe, expect, it } from 'vitest';
import { normaliseOutcomes } from '../../../src/renderer/client/outcomes';
import { baseName } from '../../../src/renderer/util/format';

// Durations, costs and counts: tests/unit/shared/format.test.ts.
describe('table formatting', () => {
  it('takes base names of POSIX and Windows paths', () => {
    expect(baseName('/a/b/c.json')).toBe('c.json');
    expect(baseName('C:\\x\\y.jsonl')).toBe('y.jsonl');
    expect(baseName('plain')).toBe('plain');
  });

  it('accepts one outcome, a list or {outcomes}, and refuses error bodies', () => {
    const o = { source: 'f.json', ok: true, traceIds: ['t'], spanCount: 1, warnings: [] };
    expect(normaliseOutcomes(o)).toEqual([o]);
    expect(normaliseOutcomes([o, o])).toEqual([o, o]);
    expect(normaliseOutcomes({ outcomes: [o] })).toEqual([o]);
    expect(normaliseOutcomes({ error: { code: 'bad-input', message: 'x' } })).toBeNull();
    expect(normaliseOutcomes(null)).toBeNull();
  });
});
