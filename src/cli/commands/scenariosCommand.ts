import { resolve } from 'node:path';
import { scenarioAttachText, type ScenarioInfo } from '../../shared/api';
import { parseCommandArgs } from '../args';
import { CliExit, EXIT, UsageError } from '../exitCodes';
import { toJson } from '../jsonShapes';
import { withBackend } from '../openBackend';
import { LineBuffer, type Output } from '../output';
import { oneLine, table } from '../text';
import { resolveWorkspacePath } from '../workspacePath';

/**
 * `tracedeck scenarios import FILE|DIR... | ls | show ID | rm ID...`: the workspace's scenarios
 * (ideal trajectories), the same ones the app's Scenarios page lists. Import saves every valid
 * file in one transaction and names each invalid one with its field; exit 1 when any failed.
 */
export async function scenariosCommand(argv: string[], io: Output): Promise<number> {
  const [sub, ...rest] = argv;
  switch (sub) {
    case 'import':
      return importScenarios(rest, io);
    case 'ls':
      return listScenarios(rest, io);
    case 'show':
      return showScenario(rest, io);
    case 'rm':
      return removeScenarios(rest, io);
  }
  throw new UsageError(
    sub === undefined ? 'scenarios needs a subcommand: import, ls, show or rm' : `unknown scenarios subcommand '${sub}' (import, ls, show, rm)`,
  );
}

const common = { workspace: { type: 'string' }, json: { type: 'boolean' } } as const;

async function importScenarios(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, common);
  if (!positionals.length) throw new UsageError('scenarios import needs at least one FILE or DIR (*.scenario.json)');
  const r = await withBackend(resolveWorkspacePath(values.workspace), (b) =>
    b.call('loadScenarios', { paths: positionals.map((p) => resolve(p)) }),
  );
  for (const e of r.errors) io.err(`tracedeck: ${e.message}\n`);
  if (values.json) await io.out(toJson({ loaded: r.loaded, errors: r.errors }) + '\n');
  else {
    const buf = new LineBuffer(io);
    for (const l of r.loaded) await buf.line(`${l.file}: scenario ${l.id}`);
    await buf.line(`${r.loaded.length} scenario${r.loaded.length === 1 ? '' : 's'} imported, ${r.errors.length} failed`);
    await buf.flush();
  }
  if (!r.loaded.length && !r.errors.length) throw new CliExit(EXIT.failed, `no *.scenario.json files in ${positionals.join(', ')}`);
  return r.errors.length ? EXIT.failed : EXIT.ok;
}

/** The --json shape of one scenario (docs/cli.md). */
function scenarioJson(s: ScenarioInfo) {
  return {
    id: s.id,
    name: s.name,
    sourceFile: s.sourceFile,
    updatedAt: s.updatedAt,
    attach: { attribute: s.matchAttribute, tag: s.matchTag, inputContains: s.inputContains, input: s.input },
    idealSteps: s.idealSteps,
    idealToolCalls: s.idealToolCalls,
    latencySeconds: s.latencySeconds,
    trajectoryMatch: s.trajectoryMatch,
    argMatch: s.argMatch,
  };
}

async function listScenarios(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, common);
  if (positionals.length) throw new UsageError(`scenarios ls takes no arguments (got '${positionals[0]}')`);
  const list = await withBackend(resolveWorkspacePath(values.workspace), (b) => b.call('listScenarios', {}));
  if (values.json) {
    await io.out(toJson(list.map(scenarioJson)) + '\n');
    return EXIT.ok;
  }
  const buf = new LineBuffer(io);
  const rows = list.map((s) => [
    oneLine(s.id, 40),
    oneLine(s.name ?? '', 40),
    String(s.idealSteps),
    String(s.idealToolCalls),
    s.latencySeconds === null ? '-' : `${s.latencySeconds}s`,
    s.trajectoryMatch,
    oneLine(scenarioAttachText(s), 60),
  ]);
  for (const l of table(['ID', 'NAME', 'STEPS', 'CALLS', 'LATENCY', 'MATCH', 'ATTACHES BY'], rows, new Set([2, 3, 4]))) await buf.line(l);
  await buf.line(`${list.length} scenario${list.length === 1 ? '' : 's'}`);
  await buf.flush();
  return EXIT.ok;
}

async function showScenario(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { workspace: { type: 'string' } });
  if (positionals.length !== 1) throw new UsageError('scenarios show needs exactly one ID (see `tracedeck scenarios ls`)');
  const workspace = resolveWorkspacePath(values.workspace);
  const s = await withBackend(workspace, (b) => b.call('getScenario', { id: positionals[0]! }));
  if (!s) throw new CliExit(EXIT.notFound, `scenario '${oneLine(positionals[0]!, 200)}' not found in ${workspace}`);
  // The stored scenario as a *.scenario.json file: edit it and import it again.
  await io.out(JSON.stringify(s.body, null, 2) + '\n');
  return EXIT.ok;
}

async function removeScenarios(argv: string[], io: Output): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, common);
  if (!positionals.length) throw new UsageError('scenarios rm needs at least one ID (see `tracedeck scenarios ls`)');
  const workspace = resolveWorkspacePath(values.workspace);
  const deleted: string[] = [];
  const notFound: string[] = [];
  await withBackend(workspace, async (b) => {
    for (const id of positionals) ((await b.call('deleteScenario', { id })).deleted ? deleted : notFound).push(id);
  });
  for (const id of notFound) io.err(`tracedeck: scenario '${oneLine(id, 200)}' not found in ${workspace}\n`);
  if (values.json) await io.out(toJson({ deleted, notFound }) + '\n');
  else for (const id of deleted) await io.out(`removed ${id}\n`);
  return notFound.length ? EXIT.notFound : EXIT.ok;
}
