import { importFixture } from '../../helpers/workspace';
import { TraceLoader } from '../../../src/core/judges/traceWire';
import { JudgeSandbox } from '../../../src/core/judges/sandbox/pool';
import { compileJudgeSource } from '../../../src/core/judges/compile';

async function main() {
const { ws, result, cleanup } = await importFixture('openinference/phoenix-rest-spans-agent-turn-tools-error.json');
console.log(result);
const loader = new TraceLoader(ws);
const ids = ws.traceIds();
const text = loader.wireText(ids[0]!)!;
console.log(text.length);
const src = `import type { Trace } from 'tracedeck/judge';
export default function (t: Trace) { console.log('spans', t.spans.length, t.root?.name); const e = t.toolCalls().filter(x => x.isError); return { pass: e.length === 0, rationale: e.map(x=>x.name).join(','), evidenceSpanIds: e }; }`;
const c = compileJudgeSource(src);
console.log(c.diagnostics);
const sb = new JudgeSandbox({ timeoutMs: 500 });
console.log(JSON.stringify(await sb.run({ key: 'a', js: c.js }, [text, text])));
const bad = compileJudgeSource(`export default function(){ while(true){} }`);
console.log(JSON.stringify(await sb.run({ key: 'b', js: bad.js }, [text, text, text])));
const esc = compileJudgeSource(`export default function(){ const p = (this as any)?.constructor?.constructor('return process')(); return { pass: !!p, rationale: String(p) }; }`);
console.log(JSON.stringify(await sb.run({ key: 'c', js: esc.js }, [text])));
const req = compileJudgeSource(`import fs from 'fs'; export default function(){ return { pass: true, rationale: String(fs) }; }`);
console.log(JSON.stringify(await sb.run({ key: 'd', js: req.js }, [text])));
const mem = compileJudgeSource(`export default function(){ const a: any[] = []; while (true) a.push({ x: Math.random() + 'aaaa' }); }`);
let t0 = Date.now();
console.log(JSON.stringify(await sb.run({ key: 'e', js: mem.js }, [text, text, text])), Date.now() - t0);
await sb.close();
loader.close();
cleanup();
}
import { test } from "vitest"; test("smoke", main, 60000);
