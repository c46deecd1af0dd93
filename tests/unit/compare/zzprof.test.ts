import { it } from 'vitest';
import { diffRunVerdicts } from '../../../src/core/compare/runDiff';
import { diffVerdicts } from '../../../src/core/compare/verdictDiff';
import { mcnemarExact } from '../../../src/core/compare/mcnemar';
it('prof', () => {
  const a: any[] = [], b: any[] = [];
  for (let i = 0; i < 100_000; i++) {
    const judge = i % 2 ? 'j1' : 'j2';
    a.push({ judge, traceId: `t${i}`, status: i % 10 === 0 ? 'fail' : 'pass' });
    b.push({ judge, traceId: `t${i}`, status: i % 4 === 0 ? 'fail' : i % 1000 === 1 ? 'error' : 'pass' });
  }
  let t = performance.now();
  diffRunVerdicts(a, b);
  console.log('runDiff', performance.now() - t);
  t = performance.now();
  diffVerdicts(a.map(v => ({...v, pairKey: v.traceId})), b.map(v => ({...v, pairKey: v.traceId})));
  console.log('diffVerdicts', performance.now() - t);
  t = performance.now();
  mcnemarExact(20000, 5000);
  console.log('mcnemar', performance.now() - t);
});
