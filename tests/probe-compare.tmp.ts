import { importFile } from '../src/core/import/importFile';
import { Workspace } from '../src/core/store/workspace';
import { observedTrajectory } from '../src/core/trajectory/observed';
async function main() {
const ws = Workspace.open(':memory:');
for (const f of process.argv.slice(2)) {
  const r = await importFile(ws, f);
  for (const id of r.traceIds ?? []) {
    const t = ws.getTrace(id)!;
    const spans = ws.getSpans(id);
    const root = spans.find(s => s.parentId === null);
    const o = observedTrajectory(spans);
    console.log(JSON.stringify({id, name: t.name, service: t.service, version: t.version, meta: JSON.stringify(t.meta).slice(0, 300), rootAttrs: Object.keys(root?.attributes ?? {}).slice(0, 30), rootInput: JSON.stringify(root?.input)?.slice(0,120)}));
    console.log('  steps', o.steps.length, 'calls', o.calls.map(c => [c.tool, JSON.stringify(c.args).slice(0,60), c.step, c.isError].join(' ')), o.latencyMs, o.failed);
  }
}
}
main();
